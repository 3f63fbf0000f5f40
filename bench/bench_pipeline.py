"""Time a cold full pipeline run, a no-op rerun, and a bare import of the libraries.

Run from the repository root with the project's environment active (``make bench``).
The run happens in a temporary copy of the workflow so the checkout is not touched.
Prints one line per measurement and the two ratios the foundation issue targets:
full run <= 3x the bare import, no-op rerun <= 3 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW_PARTS = ("Snakefile", "workflow", "config", "data/raw", "src")
BARE_IMPORT = "import pandas, scipy.stats, statsmodels.api, pingouin, seaborn"


def copy_workflow(destination: Path) -> None:
    for part in WORKFLOW_PARTS:
        source = ROOT / part
        target = destination / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores", default="all")
    args = parser.parse_args()
    snakemake = [sys.executable, "-m", "snakemake", "--cores", args.cores, "--quiet", "all"]

    baseline = [timed([sys.executable, "-c", BARE_IMPORT], ROOT) for _ in range(args.repeats)]
    cold, noop = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            copy_workflow(workdir)
            cold.append(timed(snakemake, workdir))
            noop.append(timed(snakemake, workdir))

    base, full, rerun = (statistics.median(v) for v in (baseline, cold, noop))
    print(f"bare import (median of {args.repeats}): {base:.2f} s")
    print(f"cold full run (median of {args.repeats}): {full:.2f} s  = {full / base:.2f} x import")
    print(f"no-op rerun (median of {args.repeats}): {rerun:.2f} s")


if __name__ == "__main__":
    main()
