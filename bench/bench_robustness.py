"""Time the SPRITE-style robustness search on the paper's published: block.

Run: .venv/bin/python bench/bench_robustness.py [--samples 500 2000 8000] [--repeats 3]

Prints, per number of sampled data sets: median wall time, cases evaluated, the smallest
t found and whether the search reached the analytic smallest t.  Also times GRIM on the
paper's post-test mean and the whole published-values check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import yaml

from analisis.review.grim import grim
from analisis.review.published import published_check
from analisis.review.robustness import robustness

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "published_example.yaml"


def median_seconds(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    block = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]
    print(f"cores available: {len(os.sched_getaffinity(0))}")

    seconds, _ = median_seconds(lambda: grim("99.50", 23, step=4, score_min=0, score_max=100), 50)
    print(f"grim('99.50', 23, step=4): {seconds * 1e3:.2f} ms")
    seconds, _ = median_seconds(lambda: published_check(block), args.repeats)
    print(f"published_check (5 values, both languages): {seconds * 1e3:.1f} ms")

    print(f"{'data sets':>10} {'seconds':>8} {'cases':>7} {'t_min':>8} {'reached':>8}")
    for n_samples in args.samples:
        seconds, result = median_seconds(
            lambda n=n_samples: robustness(block, n_samples=n, time_limit_s=600), args.repeats
        )
        print(
            f"{result['n_datasets']:>10} {seconds:>8.2f} {result['n_cases']:>7} "
            f"{result['t']['min']:>8.4f} {result['analytic']['search_reached_t_min']!s:>8}"
        )


if __name__ == "__main__":
    main()
