"""Random-intercept model: on balanced data REML is the one-way ANOVA, computed here by hand.

For m people in each of J villages with MSB > MSW, the REML estimates are
sigma² = MSW and tau² = (MSB - MSW) / m (Searle, Casella & McCulloch 1992, Variance
components, sec. 3.7 and 6.7), the GLS mean is the grand mean, and the BLUP of village
j is grand mean + lambda (mean_j - grand mean) with lambda = tau² / (tau² + sigma² / m);
Var(u_j | y) = (1/tau² + m/sigma²)^-1.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from analisis.outputs import to_jsonable
from analisis.stats.mixed import MixedResult, random_intercept_mean

# 5 villages x 6 cadres, knowledge gains in points (integers, as tests are scored).
GAINS = np.array(
    [
        [10, 14, 8, 12, 20, 16],
        [25, 18, 30, 22, 27, 20],
        [5, 9, 2, 11, 7, 6],
        [15, 21, 12, 18, 16, 24],
        [30, 26, 35, 28, 24, 33],
    ],
    dtype=float,
)
VILLAGES = ["Sukamaju", "Cibodas", "Mekarsari", "Karanganyar", "Sidomulyo"]


def anova(g: np.ndarray) -> tuple[float, float, float]:
    """(grand mean, MSB, MSW) of a balanced J x m table, by the textbook sums of squares."""
    j, m = g.shape
    means = g.mean(axis=1)
    grand = g.mean()
    msb = m * np.sum((means - grand) ** 2) / (j - 1)
    msw = np.sum((g - means[:, None]) ** 2) / (j * (m - 1))
    return float(grand), float(msb), float(msw)


@pytest.fixture(scope="module")
def fit() -> MixedResult:
    return random_intercept_mean(GAINS.ravel(), np.repeat(VILLAGES, GAINS.shape[1]), target=16)


def test_reml_equals_anova_on_balanced_data(fit):
    grand, msb, msw = anova(GAINS)
    m = GAINS.shape[1]
    assert msb > msw
    assert fit.converged
    assert fit.sigma2 == pytest.approx(msw, abs=1e-6)
    assert fit.tau2 == pytest.approx((msb - msw) / m, abs=1e-6)
    assert fit.icc == pytest.approx(fit.tau2 / (fit.tau2 + fit.sigma2))
    assert fit.estimate == pytest.approx(grand, abs=1e-9)
    # Var(grand mean) = (tau² + sigma²/m) / J = MSB / (J m) on balanced data.
    assert fit.se == pytest.approx(math.sqrt(msb / GAINS.size), abs=1e-6)


def test_blups_shrink_village_means_toward_grand_mean(fit):
    grand, msb, msw = anova(GAINS)
    j, m = GAINS.shape
    tau2 = (msb - msw) / m
    shrink = tau2 / (tau2 + msw / m)
    assert [b.village for b in fit.blups] == VILLAGES
    for b, mean_j in zip(fit.blups, GAINS.mean(axis=1), strict=True):
        assert b.estimate == pytest.approx(grand + shrink * (mean_j - grand), abs=1e-6)
        half = 1.959963984540054 * math.sqrt(1 / (1 / tau2 + m / msw) + msb / (j * m))
        assert b.ci95 == pytest.approx((b.estimate - half, b.estimate + half), abs=1e-5)


def test_target_flags_only_villages_wholly_below(fit):
    flagged = [b.village for b in fit.blups if b.below_target]
    assert flagged == [b.village for b in fit.blups if b.ci95[1] < 16]
    # Mekarsari (mean 6.67) is the only village whose interval stays below 16: the next
    # lowest, Sukamaju (mean 13.33), has BLUP 13.51 ± 8.38 by the formula above.
    assert flagged == ["Mekarsari"]
    assert (
        random_intercept_mean(GAINS.ravel(), np.repeat(VILLAGES, 6)).blups[0].below_target is None
    )


def test_works_for_one_score_per_cadre_unbalanced():
    # Skill scores, unequal village sizes: the pooled mean lies between the unweighted
    # mean of village means and the grand mean of people (GLS weights m/(sigma² + m tau²)).
    scores = [70, 75, 80, 60, 65, 90, 85, 88, 92, 95, 91]
    village = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "c", "c"]
    r = random_intercept_mean(scores, village)
    means = [75.0, 62.5, 90.1666667]
    lo, hi = sorted([float(np.mean(scores)), float(np.mean(means))])
    assert lo - 1e-9 <= r.estimate <= hi + 1e-9
    assert r.converged and r.tau2 > 0


def test_no_between_village_variance_gives_tau2_zero_and_a_note():
    # Identical village means: MSB = 0 < MSW, so REML tau² is on the boundary 0 and
    # sigma² = total SS / (N - 1) = 6 / 8. statsmodels optimises a Cholesky factor whose
    # gradient vanishes at 0, so it stops near, not at, 0: 1e-4 of sigma² is its reach.
    g = np.array([[1, 2, 3], [3, 2, 1], [2, 1, 3]], dtype=float)
    r = random_intercept_mean(g.ravel(), np.repeat(["a", "b", "c"], 3))
    assert r.tau2 == pytest.approx(0, abs=1e-4 * 0.75)
    assert r.sigma2 == pytest.approx(0.75, rel=1e-4)
    assert r.estimate == pytest.approx(2)
    assert r.converged
    assert any("boundary" in note for note in r.notes)


def test_deterministic_and_round_trip(fit):
    again = random_intercept_mean(GAINS.ravel(), np.repeat(VILLAGES, 6), target=16)
    assert again == fit
    data = json.loads(json.dumps(to_jsonable(fit.to_dict())))
    assert MixedResult.from_dict(data) == fit


def test_needs_two_villages():
    with pytest.raises(ValueError, match="at least 2 villages"):
        random_intercept_mean([1, 2, 3], ["a", "a", "a"])
