"""Time our BCa bootstrap next to pingouin.compute_bootci (BCa) on the same 23 pairs.

Run: .venv/bin/python bench/bench_bootstrap.py [--resamples 10000] [--repeats 7]

The data mimic the bundled study: 23 cadres, pre scores on the 4-point grid of a 25-item
test with mean about 76, post scores mostly 100. pingouin 0.7's ``compute_bootci`` calls
``scipy.stats.bootstrap`` with method "BCa" (its default ``method="bca"``); it is timed
twice: on the differences with ``np.mean`` (scipy vectorises it) and on the (pre, post)
pairs with a mean-difference function, which is how a paired analysis would call it.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pingouin

from analisis.stats.bootstrap import bca_ci_mean


def study_like_pairs(seed: int = 2032) -> tuple[np.ndarray, np.ndarray]:
    """23 pairs: pre = 4 × correct items (mean near 76), post mostly 100."""
    rng = np.random.default_rng(seed)
    pre = 4.0 * np.clip(rng.binomial(25, 0.76, size=23), 12, 24)
    post = np.where(rng.random(23) < 0.87, 100.0, 96.0)
    return pre, post


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    pre, post = study_like_pairs()
    diff = post - pre
    b = args.resamples

    def ours():
        return bca_ci_mean(diff, n_resamples=b, seed=1)["ci95"]

    def pingouin_mean():
        return pingouin.compute_bootci(
            diff, func=np.mean, method="bca", n_boot=b, seed=1, decimals=6
        )

    def pingouin_pairs():
        return pingouin.compute_bootci(
            pre,
            post,
            func=lambda x, y: np.mean(y - x),
            method="bca",
            paired=True,
            n_boot=b,
            seed=1,
            decimals=6,
        )

    print(
        f"23 pairs: pre mean {pre.mean():.2f}, post mean {post.mean():.2f}, "
        f"mean difference {diff.mean():.4f}; {b} resamples, median of {args.repeats} runs"
    )
    t_ours = median_seconds(ours, args.repeats)
    t_mean = median_seconds(pingouin_mean, args.repeats)
    t_pairs = median_seconds(pingouin_pairs, max(1, min(args.repeats, 3)))
    rows = [
        ("analisis bca_ci_mean (differences)", t_ours, ours()),
        ("pingouin compute_bootci BCa, np.mean on differences", t_mean, pingouin_mean()),
        ("pingouin compute_bootci BCa, paired (pre, post)", t_pairs, pingouin_pairs()),
    ]
    for name, seconds, ci in rows:
        lo, hi = (float(v) for v in ci)
        print(f"{name:55s} {seconds * 1000:9.2f} ms   95% CI [{lo:.4f}, {hi:.4f}]")
    print(f"ratio pingouin (np.mean) / analisis: {t_mean / t_ours:.1f}x")
    print(f"ratio pingouin (paired)  / analisis: {t_pairs / t_ours:.1f}x")


if __name__ == "__main__":
    main()
