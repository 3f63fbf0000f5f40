"""Random-intercept model, checked against lme4 1.1 / lmerTest 3.1 and against closed forms.

On balanced data REML is the one-way ANOVA, computed here by hand: for m people in each
of J villages with MSB > MSW, the REML estimates are sigma² = MSW and
tau² = (MSB - MSW) / m (Searle, Casella & McCulloch 1992, Variance components, sec. 3.7
and 6.7), the GLS mean is the grand mean with Var = MSB / (J m), Satterthwaite's df is
J - 1, and the BLUP of village j is grand mean + lambda (mean_j - grand mean) with
lambda = tau² / (tau² + sigma² / m).

The lme4 references are lme4's own data sets ``Dyestuff`` and ``Dyestuff2`` (Davies &
Goldsmith 1972), printed by R 4.2 with lme4 1.1-31 and lmerTest 3.1-3:

    library(lmerTest); options(digits = 10)
    m <- lmer(Yield ~ 1 + (1 | Batch), data = Dyestuff)
    coef(summary(m)); as.data.frame(VarCorr(m)); coef(m)$Batch; REMLcrit(m)
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from analisis.outputs import to_jsonable
from analisis.results import MixedModel
from analisis.stats.mixed import (
    VillageSums,
    profiled_reml,
    random_intercept_mean,
    reml_deviance,
)

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

# lme4's Dyestuff: yield of dyestuff (grams of standard colour) from 6 batches x 5.
DYESTUFF = [
    1545, 1440, 1440, 1520, 1580, 1540, 1555, 1490, 1560, 1495,
    1595, 1550, 1605, 1510, 1560, 1445, 1440, 1595, 1465, 1545,
    1595, 1630, 1515, 1635, 1625, 1520, 1455, 1450, 1480, 1445,
]  # fmt: skip
# lme4's Dyestuff2: simulated data whose batches differ less than chance (Box & Tiao 1973).
DYESTUFF2 = [
    7.298, 3.846, 2.434, 9.566, 7.990, 5.220, 6.556, 0.608, 11.788, -0.892,
    0.110, 10.386, 13.434, 5.510, 8.166, 2.212, 4.852, 7.092, 9.288, 4.980,
    0.282, 9.014, 4.458, 9.446, 7.198, 1.722, 4.782, 8.106, 0.758, 3.758,
]  # fmt: skip
BATCH = np.repeat(list("ABCDEF"), 5)


def anova(g: np.ndarray) -> tuple[float, float, float]:
    """(grand mean, MSB, MSW) of a balanced J x m table, by the textbook sums of squares."""
    j, m = g.shape
    means = g.mean(axis=1)
    grand = g.mean()
    msb = m * np.sum((means - grand) ** 2) / (j - 1)
    msw = np.sum((g - means[:, None]) ** 2) / (j * (m - 1))
    return float(grand), float(msb), float(msw)


@pytest.fixture(scope="module")
def fit() -> MixedModel:
    return random_intercept_mean(GAINS.ravel(), np.repeat(VILLAGES, GAINS.shape[1]), target=16)


def test_dyestuff_equals_lme4_and_lmertest():
    # coef(summary(m)): Estimate 1527.5, Std. Error 19.38341218, df 4.999999981;
    # VarCorr: Batch 1764.050006, Residual 2451.249999; REMLcrit(m) 319.654276842.
    r = random_intercept_mean(DYESTUFF, BATCH)
    assert r.estimate == pytest.approx(1527.5, abs=1e-9)
    assert r.se == pytest.approx(19.38341218, rel=1e-7)
    assert r.df == pytest.approx(5, rel=1e-6)
    assert r.tau2 == pytest.approx(1764.050006, rel=1e-7)
    assert r.sigma2 == pytest.approx(2451.249999, rel=1e-7)
    assert not r.boundary and r.converged
    # coef(m)$Batch[, 1]
    lme4 = [1509.893149, 1527.891263, 1556.062226, 1504.415462, 1584.233188, 1482.504713]
    assert [b.estimate for b in r.blups] == pytest.approx(lme4, abs=1e-5)
    s = VillageSums.of(DYESTUFF, BATCH)
    assert profiled_reml(r.tau2 / r.sigma2, s) == pytest.approx(319.654276842, abs=1e-6)


def test_unbalanced_dyestuff_equals_lme4_and_lmertest():
    # Dyestuff[-c(2, 3, 4, 7, 13, 14), ]: Estimate 1535.27547, Std. Error 20.68528821,
    # df 5.326567255; Batch 2000.152268, Residual 2086.381735; coef(m)$Batch below.
    keep = np.array([i not in (2, 3, 4, 7, 13, 14) for i in range(1, 31)])
    r = random_intercept_mean(np.array(DYESTUFF)[keep], BATCH[keep])
    assert r.estimate == pytest.approx(1535.27547, abs=1e-5)
    assert r.se == pytest.approx(20.68528821, rel=1e-7)
    assert r.df == pytest.approx(5.326567255, rel=1e-6)
    assert r.tau2 == pytest.approx(2000.152268, rel=1e-6)
    assert r.sigma2 == pytest.approx(2086.381735, rel=1e-6)
    lme4 = [1553.168032, 1524.151012, 1559.804497, 1504.434180, 1588.827792, 1481.267307]
    assert [b.estimate for b in r.blups] == pytest.approx(lme4, abs=1e-5)
    low, high = r.ci95
    half = (high - low) / 2
    assert half == pytest.approx(20.68528821 * 2.523894848, rel=1e-6)  # qt(0.975, 5.326567255)


def test_dyestuff2_is_a_boundary_fit_without_warnings():
    # lme4: "boundary (singular) fit"; Estimate 5.6656, Std. Error 0.6783880312, df 29;
    # Batch 0, Residual 13.80630963; every coef(m)$Batch 5.6656; REMLcrit 161.828277812.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = random_intercept_mean(DYESTUFF2, BATCH)
    assert r.boundary and r.converged
    assert r.tau2 == 0 and r.icc == 0
    assert r.estimate == pytest.approx(5.6656, abs=1e-12)
    assert r.se == pytest.approx(0.6783880312, rel=1e-9)
    assert r.df == pytest.approx(29, rel=1e-6)
    assert r.sigma2 == pytest.approx(13.80630963, rel=1e-9)
    assert all(b.estimate == pytest.approx(5.6656, abs=1e-12) for b in r.blups)
    assert profiled_reml(0.0, VillageSums.of(DYESTUFF2, BATCH)) == pytest.approx(
        161.828277812, abs=1e-6
    )


def test_gls_standard_error_equals_the_matrix_formula_on_an_unbalanced_design():
    # Var(mu) = (X' V^-1 X)^-1 with V = sigma² I + tau² Z Z', built as a dense matrix here
    # (Searle et al. 1992, eq. 6.14) at the REML estimates; 3 villages of 12, 8 and 25.
    rng = np.random.default_rng(7)
    sizes = [12, 8, 25]
    village = np.repeat(["a", "b", "c"], sizes)
    gains = np.concatenate([rng.normal(m, 8, n) for m, n in zip((14, 24, 19), sizes, strict=True)])
    r = random_intercept_mean(gains, village)
    z = (village[:, None] == np.array(["a", "b", "c"])[None, :]).astype(float)
    v = r.sigma2 * np.eye(gains.size) + r.tau2 * z @ z.T
    ones = np.ones(gains.size)
    vinv = np.linalg.inv(v)
    assert r.se == pytest.approx(math.sqrt(1 / (ones @ vinv @ ones)), rel=1e-10)
    assert r.estimate == pytest.approx((ones @ vinv @ gains) / (ones @ vinv @ ones), rel=1e-10)
    # and the closed form of the issue: (Σ n_j / (sigma² + n_j tau²))^-½
    n = np.array(sizes, dtype=float)
    assert r.se == pytest.approx(np.sum(n / (r.sigma2 + n * r.tau2)) ** -0.5, rel=1e-12)


def test_reml_estimates_maximise_the_restricted_likelihood():
    # The REML criterion written with sigma free (reml_deviance) is smallest at the fit:
    # any step in theta = tau/sigma or sigma raises it.
    r = random_intercept_mean(DYESTUFF, BATCH)
    s = VillageSums.of(DYESTUFF, BATCH)
    theta, sigma = math.sqrt(r.tau2 / r.sigma2), math.sqrt(r.sigma2)
    best = reml_deviance(theta, sigma, s)
    assert best == pytest.approx(319.654276842, abs=1e-6)
    for dt, ds in ((1e-3, 0), (-1e-3, 0), (0, 1e-2), (0, -1e-2)):
        assert reml_deviance(theta + dt, sigma + ds, s) > best


def test_villages_that_differ_less_than_chance_do_not_crash():
    # Three villages of 38, 40 and 15 cadres with equal means: a boundary fit, one result.
    rng = np.random.default_rng(3)
    sizes = (38, 40, 15)
    gains = np.concatenate([rng.normal(0, 1, n) for n in sizes])
    gains -= np.repeat([gains[:38].mean(), gains[38:78].mean(), gains[78:].mean()], sizes)
    gains += 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = random_intercept_mean(gains, np.repeat(["x", "y", "z"], sizes), target=25)
    assert r.boundary and r.tau2 == 0
    assert r.df == pytest.approx(sum(sizes) - 1, rel=1e-6)
    assert r.estimate == pytest.approx(20, abs=1e-9)
    assert all(b.below_target for b in r.blups)


def test_reml_equals_anova_on_balanced_data(fit):
    grand, msb, msw = anova(GAINS)
    j, m = GAINS.shape
    assert msb > msw
    assert fit.converged and not fit.boundary
    assert fit.sigma2 == pytest.approx(msw, rel=1e-9)
    assert fit.tau2 == pytest.approx((msb - msw) / m, rel=1e-9)
    assert fit.icc == pytest.approx(fit.tau2 / (fit.tau2 + fit.sigma2))
    assert fit.estimate == pytest.approx(grand, abs=1e-9)
    # Var(grand mean) = (tau² + sigma²/m) / J = MSB / (J m) on balanced data, on J - 1 df.
    assert fit.se == pytest.approx(math.sqrt(msb / GAINS.size), rel=1e-9)
    assert fit.df == pytest.approx(j - 1, rel=1e-6)
    crit = 2.776445105  # qt(0.975, 4)
    assert fit.ci95 == pytest.approx((grand - crit * fit.se, grand + crit * fit.se), rel=1e-6)


def test_blups_shrink_village_means_toward_grand_mean(fit):
    # PEV_j = lambda sigma²/m + (1 - lambda)² Var(mu) (Henderson 1975); lambda sigma²/m is
    # lme4's condVar, (1/tau² + m/sigma²)^-1.
    grand, msb, msw = anova(GAINS)
    j, m = GAINS.shape
    tau2 = (msb - msw) / m
    shrink = tau2 / (tau2 + msw / m)
    assert [b.village for b in fit.blups] == VILLAGES
    for b, mean_j in zip(fit.blups, GAINS.mean(axis=1), strict=True):
        assert b.estimate == pytest.approx(grand + shrink * (mean_j - grand), abs=1e-9)
        pev = 1 / (1 / tau2 + m / msw) + (1 - shrink) ** 2 * msb / (j * m)
        half = 2.776445105 * math.sqrt(pev)  # qt(0.975, 4)
        assert b.ci95 == pytest.approx((b.estimate - half, b.estimate + half), abs=1e-5)


def test_target_flags_only_villages_wholly_below(fit):
    flagged = [b.village for b in fit.blups if b.below_target]
    assert flagged == [b.village for b in fit.blups if b.ci95[1] < 16]
    # Mekarsari (mean 6.67) is the only village whose interval stays below 16: the next
    # lowest, Sukamaju (mean 13.33), has BLUP 13.51 ± 4.68 by the formula above.
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


def test_no_between_village_variance_gives_tau2_exactly_zero():
    # Identical village means: MSB = 0 < MSW, so REML tau² is on the boundary 0 and
    # sigma² = total SS / (N - 1) = 6 / 8, df = N - 1 = 8.
    g = np.array([[1, 2, 3], [3, 2, 1], [2, 1, 3]], dtype=float)
    r = random_intercept_mean(g.ravel(), np.repeat(["a", "b", "c"], 3))
    assert r.tau2 == 0 and r.boundary
    assert r.sigma2 == pytest.approx(0.75, rel=1e-12)
    assert r.estimate == pytest.approx(2)
    assert r.df == pytest.approx(8, rel=1e-6)


def test_deterministic_and_round_trip(fit):
    again = random_intercept_mean(GAINS.ravel(), np.repeat(VILLAGES, 6), target=16)
    assert again == fit
    data = json.loads(json.dumps(to_jsonable(fit.to_dict())))
    assert MixedModel.from_dict(data) == fit


def test_needs_two_villages():
    with pytest.raises(ValueError, match="at least 2 villages"):
        random_intercept_mean([1, 2, 3], ["a", "a", "a"])
