"""Time a cold full pipeline run, a no-op rerun, and a bare import of the libraries.

Run from the repository root with the project's environment active (``make bench``).
The run happens in a temporary copy of the workflow so the checkout is not touched.
Prints one line per measurement and the two ratios the foundation issue targets:
full run <= 3x the bare import, no-op rerun <= 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analisis.sandbox import copy_workflow, run_snakemake

ROOT = Path(__file__).resolve().parents[1]
BARE_IMPORT = "import pandas, scipy.stats, statsmodels.api, pingouin, seaborn"


def timed(run, *args, **kwargs) -> float:
    start = time.perf_counter()
    done = run(*args, **kwargs)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(done.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()

    def bare_import():
        return subprocess.run([sys.executable, "-c", BARE_IMPORT], capture_output=True, text=True)

    baseline, cold, noop = [], [], []
    for _ in range(args.repeats):
        baseline.append(timed(bare_import))
        with tempfile.TemporaryDirectory() as tmp:
            workdir = copy_workflow(ROOT, Path(tmp) / "run")
            cold.append(timed(run_snakemake, workdir, cores=args.cores))
            noop.append(timed(run_snakemake, workdir, cores=args.cores))

    base, full, rerun = (statistics.median(v) for v in (baseline, cold, noop))
    print(f"bare import (median of {args.repeats}): {base:.2f} s")
    print(f"cold full run (median of {args.repeats}): {full:.2f} s  = {full / base:.2f} x import")
    print(f"no-op rerun (median of {args.repeats}): {rerun:.2f} s")


if __name__ == "__main__":
    main()
