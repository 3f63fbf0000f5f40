"""A fresh run on a clean clone reproduces the committed reference manifest byte for byte.

``reference/MANIFEST.sha256`` is the bundled study's outputs as committed (``make
reference`` regenerates it from a clone of the last commit). A change to the code,
config or raw data that changes any output must come with a new reference, so a reviewer
who runs ``make`` then ``make verify`` sees exactly the numbers, figures and reports the
authors saw.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analisis.sandbox import run_snakemake

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "reference/MANIFEST.sha256"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to clone")
def test_a_clean_clone_reproduces_the_reference_manifest(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    done = run_snakemake(clone, "--quiet")
    assert done.returncode == 0, done.stderr[-3000:]
    env = {**os.environ, "PYTHONPATH": str(clone / "src")}
    verify = subprocess.run(
        [sys.executable, "-m", "analisis.cli", "verify", REFERENCE],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
