"""A run killed hard resumes by itself to the same bytes; a second run at once is refused.

Power cuts and the OOM killer give no warning: the whole process group dies by SIGKILL.
After that, the documented command (``snakemake`` with the default profile, as ``make``
runs it) must finish the work without ``--unlock`` or ``--rerun-incomplete`` and end
with the manifest of an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analisis.runlock import LOCK_FILE
from analisis.sandbox import copy_workflow, run_snakemake

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = "reports/MANIFEST.sha256"


def _start(workdir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(path: Path, run: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.stat().st_size):
        assert run.poll() is None, f"the run ended before {path} appeared: {run.stderr.read()}"
        assert time.monotonic() < deadline, f"{path} did not appear in {timeout} s"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Path:
    """One whole run; while it goes, a second run in the same folder must be refused."""
    workdir = copy_workflow(ROOT, tmp_path_factory.mktemp("resume") / "whole")
    first = _start(workdir)
    _wait_for(workdir / LOCK_FILE, first)
    second = run_snakemake(workdir)
    assert first.wait(timeout=600) == 0, first.stderr.read()[-3000:]
    assert second.returncode != 0
    refusals = [x for x in second.stderr.splitlines() if x.startswith("analisis: error:")]
    assert len(refusals) == 1 and "another run is going on" in refusals[0], second.stderr
    assert f"process {first.pid}" in refusals[0]
    return workdir


def test_the_refused_run_damaged_nothing(uninterrupted):
    check = subprocess.run(
        ["sha256sum", "--quiet", "-c", MANIFEST], cwd=uninterrupted, capture_output=True
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize(
    "kill_when",
    [
        "data/processed/responses.csv",  # cleaning done: scoring and statistics under way
        "reports/tables/skill.json",  # statistics partly written
        "reports/figures/diagram1_knowledge_means_en.png",  # figures being drawn
    ],
)
def test_a_hard_kill_resumes_to_the_same_bytes(uninterrupted, tmp_path, kill_when):
    workdir = copy_workflow(ROOT, tmp_path / "killed")
    run = _start(workdir)
    _wait_for(workdir / kill_when, run)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert not (workdir / MANIFEST).exists()

    resumed = run_snakemake(workdir)

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert (workdir / MANIFEST).read_bytes() == (uninterrupted / MANIFEST).read_bytes()
    # No temporary file of a killed job is left among the outputs.
    leftovers = [p for top in ("data/processed", "reports") for p in (workdir / top).rglob(".*")]
    assert leftovers == []
