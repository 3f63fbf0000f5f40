"""Every rule's script turns an unexpected exception into one line naming its log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "workflow/scripts").glob("*.py"))

#: Runs a script with a stand-in for Snakemake's object: its log is real, and touching
#: anything else (inputs, outputs, params) raises an error no step expects.
FAKE_SNAKEMAKE = """
import runpy, sys

class Unexpected:
    log = [sys.argv[2]]

    def __getattr__(self, name):
        raise RuntimeError(f"unexpected failure reading {name}\\nsecond line")

runpy.run_path(sys.argv[1], init_globals={"snakemake": Unexpected()})
"""


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_an_unexpected_exception_is_one_line_and_a_logged_traceback(script, tmp_path):
    log = tmp_path / "step.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", FAKE_SNAKEMAKE, str(script), str(log)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("analisis: error: internal error (RuntimeError: unexpected")
    assert "second line" in lines[0] and str(log) in lines[0]
    logged = log.read_text()
    assert "Traceback" in logged and "RuntimeError" in logged
