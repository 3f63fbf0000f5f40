"""The run lock: one run at a time, and free again the moment its holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analisis.runlock import LOCK_FILE, RunInProgress, acquire_run_lock

ROOT = Path(__file__).resolve().parents[1]
HOLD = (
    "import sys, time; from analisis.runlock import acquire_run_lock; "
    "lock = acquire_run_lock(sys.argv[1]); print('held', flush=True); time.sleep(60)"
)


def _holder(project: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(project)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path):
    holder = _holder(tmp_path)
    try:
        with pytest.raises(RunInProgress, match=f"process {holder.pid}"):
            acquire_run_lock(tmp_path)
    finally:
        holder.kill()
        holder.wait()


def test_a_hard_kill_releases_the_lock(tmp_path):
    holder = _holder(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    # The lock file outlives its holder (as Snakemake's does), but the lock does not.
    assert (tmp_path / LOCK_FILE).exists()
    deadline = time.monotonic() + 5
    while True:
        try:
            acquire_run_lock(tmp_path).close()
            break
        except RunInProgress:
            assert time.monotonic() < deadline, "lock still held 5 s after SIGKILL"
            time.sleep(0.05)
