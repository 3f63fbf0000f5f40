"""Peak memory and time of ``paired_details`` (Hodges-Lehmann, BCa bootstrap) at scale.

Run: python bench/bench_details.py [--pairs 100000] [--baseline-pairs 1000] [--repeats 3]

Each measurement runs in a fresh Python process started by a fresh launcher process,
which reports ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of that one child (the
peak resident set of the whole interpreter, libraries included). The child reports the
seconds spent in ``paired_details`` alone. Three rows, medians of ``--repeats`` runs:
a bare import of :mod:`analisis.stats.summary` (the floor), ``--baseline-pairs`` pairs
and ``--pairs`` pairs, all with max_score = 100 and 10,000 bootstrap resamples.
The data mimic a 25-item test: pre = 4 × Binomial(25, 0.76), post = 4 × Binomial(25, 0.93).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

WORKLOAD = """
import json, sys, time
import numpy as np
from analisis.stats.summary import paired_details
n_pairs, resamples = int(sys.argv[1]), int(sys.argv[2])
seconds = 0.0
if n_pairs:
    rng = np.random.default_rng(2032)
    pre = 4.0 * rng.binomial(25, 0.76, size=n_pairs)
    post = 4.0 * rng.binomial(25, 0.93, size=n_pairs)
    start = time.perf_counter()
    paired_details(pre, post, max_score=100, bootstrap_resamples=resamples, seed=1,
                   normality_alpha=0.05, alpha=0.05)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds}))
"""

LAUNCHER = """
import json, resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]],
                      capture_output=True, text=True)
if done.returncode:
    sys.exit(done.stderr)
result = json.loads(done.stdout)
result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(n_pairs: int, resamples: int) -> dict[str, float]:
    """Seconds in ``paired_details`` and peak RSS (MB) of one fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, WORKLOAD, str(n_pairs), str(resamples)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(done.stderr or done.stdout)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--baseline-pairs", type=int, default=1_000)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':>28} {'peak MB':>9} {'seconds':>9}   (medians of {args.repeats})")
    for label, n_pairs in (
        ("bare import", 0),
        (f"{args.baseline_pairs:,} pairs", args.baseline_pairs),
        (f"{args.pairs:,} pairs", args.pairs),
    ):
        runs = [measure(n_pairs, args.resamples) for _ in range(args.repeats)]
        peak = statistics.median(r["peak_mb"] for r in runs)
        seconds = statistics.median(r["seconds"] for r in runs)
        print(f"{label:>28} {peak:9.0f} {seconds:9.2f}")


if __name__ == "__main__":
    main()
