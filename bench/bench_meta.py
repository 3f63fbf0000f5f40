"""Time REML meta-analysis and the random-intercept model on many villages.

Run: .venv/bin/python bench/bench_meta.py [--villages 1000] [--cadres 25] [--repeats 3]

Simulated gains: village means N(20, 5²), cadres N(0, 10²) around them, ``--cadres``
per village. Timed (median of ``--repeats``), each next to a baseline on the same data:

* REML meta-analysis of the k village mean gains (Fisher scoring) vs DerSimonian-Laird
  (closed form via statsmodels);
* :func:`random_intercept_mean` (the profiled REML criterion in closed form, with the
  GLS SE, Satterthwaite df and BLUPs) vs a bare statsmodels ``MixedLM.fit(reml=True)``
  at its default tolerance (what this package used before, with a tighter tolerance)
  and vs the one-way ANOVA moments (numpy group means), which give the same answer on
  balanced data.
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

from analisis.stats.meta import random_effects_meta
from analisis.stats.mixed import random_intercept_mean


def simulated_gains(villages: int, cadres: int, seed: int = 2026):
    rng = np.random.default_rng(seed)
    means = rng.normal(20, 5, villages)
    gains = np.round(means[:, None] + rng.normal(0, 10, (villages, cadres)))
    names = np.repeat([f"desa{j:04d}" for j in range(villages)], cadres)
    return gains, names


def median_seconds(fn, repeats: int) -> float:
    return statistics.median(timeit.repeat(fn, number=1, repeat=repeats))


def anova_moments(gains: np.ndarray) -> tuple[float, float]:
    m = gains.shape[1]
    means = gains.mean(axis=1)
    msb = m * means.var(ddof=1)
    msw = gains.var(axis=1, ddof=1).mean()
    return float(msw), float((msb - msw) / m)


def default_mixedlm(gains: np.ndarray, names: np.ndarray):
    import warnings

    from statsmodels.regression.mixed_linear_model import MixedLM

    y = gains.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MixedLM(y, np.ones((y.size, 1)), groups=names).fit(reml=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--cadres", type=int, default=25)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    gains, names = simulated_gains(args.villages, args.cadres)
    yi = gains.mean(axis=1)
    vi = gains.var(axis=1, ddof=1) / args.cadres
    rows = [
        ("meta REML", lambda: random_effects_meta(yi, vi)),
        ("meta DL (baseline)", lambda: random_effects_meta(yi, vi, method="dl")),
        ("random intercept REML", lambda: random_intercept_mean(gains.ravel(), names)),
        ("MixedLM default fit (baseline)", lambda: default_mixedlm(gains, names)),
        ("ANOVA moments (baseline)", lambda: anova_moments(gains)),
    ]
    print(f"{args.villages} villages x {args.cadres} cadres, median of {args.repeats}")
    for label, fn in rows:
        print(f"  {label:31s} {median_seconds(fn, args.repeats):9.4f} s")
    fit = random_intercept_mean(gains.ravel(), names)
    msw, tau2 = anova_moments(gains)
    print(f"  REML - ANOVA: sigma² {fit.sigma2 - msw:.2e}, tau² {fit.tau2 - tau2:.2e}")


if __name__ == "__main__":
    main()
