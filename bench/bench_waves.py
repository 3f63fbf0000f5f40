"""Coverage of the waves mixed model's intervals under dropout, against complete cases.

Run: .venv/bin/python bench/bench_waves.py [--reps 400] [--cadres 30] [--seed 2026]

Simulated study (scores in points): score_ti = mu_t + u_i + e_ti with
mu = (60, 80, 72) for pre, post and a follow-up, u_i ~ N(0, 10²), e_ti ~ N(0, 6²).
Every cadre sits pre and post; at follow-up she is lost with probability 0.5 when her
observed pre-test is below 60, else 0.1: missing at random (given the pre-test), not
completely at random. Per replicate:

* the mixed model of :func:`analisis.stats.waves.mixed_model_waves` (every score): the
  follow-up mean and the follow-up - post difference, each with its 95% Wald interval;
* the complete cases: the follow-up mean with its t interval, and the follow-up - post
  difference with the paired t interval (:func:`analisis.stats.paired.paired_t_test`).

Printed: mean bias and the share of 95% intervals that hold the true value. Under this
model the complete-case follow-up mean is biased upwards (the cadres lost had lower u_i)
while the mixed model's is not; both differences are unbiased (u_i cancels).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from analisis.stats.descriptives import mean_ci
from analisis.stats.paired import paired_t_test
from analisis.stats.waves import mixed_model_waves

WAVES = ["pre", "post", "fu1"]
MEANS = np.array([60.0, 80.0, 72.0])


def simulate(rng: np.random.Generator, cadres: int) -> pd.DataFrame:
    """One study as a wide table (NaN: lost at follow-up)."""
    scores = MEANS + rng.normal(0, 10, (cadres, 1)) + rng.normal(0, 6, (cadres, 3))
    lost = rng.random(cadres) < np.where(scores[:, 0] < 60, 0.5, 0.1)
    scores[lost, 2] = np.nan
    return pd.DataFrame(scores, columns=WAVES, index=[f"K{i:02d}" for i in range(cadres)])


def one_replicate(wide: pd.DataFrame) -> dict[str, tuple[float, bool]]:
    """(estimate - truth, interval holds the truth) of each method and target."""
    long = wide.rename_axis("cadre").reset_index().melt(id_vars="cadre", var_name="wave",
                                                       value_name="score").dropna()  # fmt: skip
    model = mixed_model_waves(long, WAVES)
    fu_mean = model["means"][2]
    fu_post = next(d for d in model["differences"] if (d["earlier"], d["later"]) == ("post", "fu1"))
    complete = wide.dropna()
    cc_mean, cc_ci = float(complete["fu1"].mean()), mean_ci(complete["fu1"])
    cc_diff = paired_t_test(complete["post"], complete["fu1"])
    truth_mean, truth_diff = MEANS[2], MEANS[2] - MEANS[1]

    def holds(ci, truth) -> bool:
        return bool(ci[0] <= truth <= ci[1])

    return {
        "mixed model: follow-up mean": (fu_mean["estimate"] - truth_mean,
                                        holds(fu_mean["ci95"], truth_mean)),
        "complete cases: follow-up mean": (cc_mean - truth_mean, holds(cc_ci, truth_mean)),
        "mixed model: follow-up - post": (fu_post["estimate"] - truth_diff,
                                          holds(fu_post["ci95"], truth_diff)),
        "complete cases: follow-up - post": (
            float((complete["fu1"] - complete["post"]).mean()) - truth_diff,
            holds(cc_diff["ci95"], truth_diff),
        ),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--cadres", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = [one_replicate(simulate(rng, args.cadres)) for _ in range(args.reps)]
    print(f"{args.reps} replicates, {args.cadres} cadres, MAR dropout at follow-up")
    print(f"{'method and target':36} {'bias':>7} {'coverage':>9}")
    for key in rows[0]:
        bias = np.mean([r[key][0] for r in rows])
        coverage = np.mean([r[key][1] for r in rows])
        print(f"{key:36} {bias:7.2f} {coverage:9.3f}")


if __name__ == "__main__":
    main()
