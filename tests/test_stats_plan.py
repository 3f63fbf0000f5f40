"""Planning statistics against R's ``pwr`` (1.3), closed forms and the χ² distribution.

R values were printed with ``print(..., digits = 10)`` after ``library(pwr)``.
``pwr.t.test`` solves n and d with ``uniroot(tol = .Machine$double.eps^0.25)`` (about
1e-4), so its solved values are matched within 2e-4 and, more tightly, against the same
root found by ``uniroot(..., tol = 1e-12)`` in R.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analisis.stats import plan

# pwr.t.test(d = 5 / sqrt(36 + 57/15), power = 0.9, type = "two.sample")$n -> 34.44494961
# uniroot(function(n) pwr.t.test(n = n, d = 5 / sqrt(36 + 57/15), type = "two.sample")$power
#         - 0.9, c(2 + 1e-10, 1e5), tol = 1e-12)$root -> 34.4449372916
SIGMA2, TAU2 = 57.0, 36.0


def test_paired_n_matches_pwr():
    # pwr.t.test(d = 0.5, power = 0.9, sig.level = 0.05, type = "paired")$n -> 43.99548138
    # the same root with uniroot(tol = 1e-12): 43.9954809067
    n = plan.t_test_n(0.5, 0.9)
    assert n == pytest.approx(43.99548138, abs=2e-4)
    assert n == pytest.approx(43.9954809067, abs=1e-8)
    assert math.ceil(n) == 44


def test_paired_power_matches_pwr():
    # pwr.t.test(d = 0.4, n = 23, type = "paired")$power -> 0.4501383079
    assert plan.t_test_power(23, 0.4) == pytest.approx(0.4501383079, abs=1e-9)
    # pwr.t.test(n = 15, d = -0.5, type = "paired", alternative = "less")$power -> 0.5780554911
    assert plan.t_test_power(15, -0.5, alternative="less") == pytest.approx(0.5780554911, abs=1e-9)
    # pwr.t.test(n = 30, d = 0.6, type = "two.sample")$power -> 0.627504587
    assert plan.t_test_power(30, 0.6, design="two.sample") == pytest.approx(0.627504587, abs=1e-8)


def test_detectable_d_matches_pwr():
    # pwr.t.test(n = 23, power = 0.8, type = "paired")$d -> 0.611277526; uniroot tol 1e-12:
    # 0.611276374603
    assert plan.t_test_d(23, 0.8) == pytest.approx(0.611276374603, abs=1e-8)
    assert plan.t_test_d(23, 0.8) == pytest.approx(0.611277526, abs=2e-4)
    # pwr.t.test(n = 50, power = 0.9, type = "paired")$d -> 0.4676800846
    assert plan.t_test_d(50, 0.9) == pytest.approx(0.4676800846, abs=2e-4)
    # the solved d gives back the power
    assert plan.t_test_power(50, plan.t_test_d(50, 0.9)) == pytest.approx(0.9, abs=1e-9)


def test_one_sided_n_matches_pwr():
    # pwr.t.test(d = 0.3, power = 0.8, type = "paired", alternative = "greater")$n -> 70.0679052
    assert plan.t_test_n(0.3, 0.8, alternative="greater") == pytest.approx(70.0679052, abs=2e-4)


def test_large_plans_do_not_fail_where_scipy_nct_underflows():
    # n around 2183 made scipy's nct.cdf return NaN in the far tail; 1/0.01² order of n
    n = plan.t_test_n(0.01, 0.9)
    # normal approximation (z_0.975 + z_0.9)² / d² = 105,074; the t adds about 2
    assert n == pytest.approx(((1.959964 + 1.281552) / 0.01) ** 2, rel=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"d": 0.5, "power": 0.04}, "power must lie above alpha"),
        ({"d": 0.5, "power": 0.05}, "power must lie above alpha"),
        ({"d": 0.0, "power": 0.8}, "cannot reach power"),
        ({"d": -0.5, "power": 0.8, "alternative": "greater"}, "cannot reach power"),
    ],
)
def test_impossible_power_requests(kwargs, message):
    with pytest.raises(plan.ImpossiblePlan, match=message):
        plan.t_test_n(**kwargs)


def test_halfwidth_n_kupper_hafner_assurance():
    # R: w <- 3; s <- 7.5; pchisq((n-1)*(w*sqrt(n)/(qt(.975,n-1)*s))^2, n-1)
    #   n = 31 -> 0.7811221315, n = 32 -> 0.823929892: 32 is the first n with 80 % assurance
    n = plan.halfwidth_n(3.0, 7.5, assurance=0.8)
    assert math.ceil(n) == 32
    assert plan.halfwidth_assurance(31, 3.0, 7.5) == pytest.approx(0.7811221315, abs=1e-9)
    assert plan.halfwidth_assurance(32, 3.0, 7.5) == pytest.approx(0.823929892, abs=1e-8)
    # at the continuous root the assurance is exactly 0.8 (chi-square identity)
    df = n - 1
    t = stats.t.isf(0.025, df)
    assert t * 7.5 * math.sqrt(stats.chi2.ppf(0.8, df) / df / n) == pytest.approx(3.0, abs=1e-9)


def test_halfwidth_assurance_by_simulation():
    # 40,000 samples of n = 32 normal values: the share of t-intervals with half-width <= 3
    rng = np.random.default_rng(7)
    sd = rng.normal(0, 7.5, size=(40_000, 32)).std(axis=1, ddof=1)
    share = np.mean(stats.t.isf(0.025, 31) * sd / math.sqrt(32) <= 3.0)
    assert share == pytest.approx(0.823929892, abs=0.006)  # 3 binomial SEs


def test_halfwidth_zero_is_impossible():
    with pytest.raises(plan.ImpossiblePlan, match="half-width must be above 0"):
        plan.halfwidth_n(0.0, 7.5)


def test_wilcoxon_by_are():
    # G*Power's A.R.E. method: n_t / ARE; ARE = 3/pi under normality, 0.864 worst case
    assert plan.ARE["normal"] == pytest.approx(0.9549297, abs=1e-7)
    assert plan.wilcoxon_n(43.99548, plan.ARE["normal"]) == pytest.approx(43.99548 * math.pi / 3)
    assert plan.wilcoxon_n(43.99548, plan.ARE["worst_case"]) == pytest.approx(50.92069, abs=1e-5)


def test_wilcoxon_simulation_is_seeded_and_near_the_are_plan():
    first = plan.wilcoxon_power_simulated(47, 0.5, n_sim=2000, seed=3)
    assert first == plan.wilcoxon_power_simulated(47, 0.5, n_sim=2000, seed=3)
    # 47 = ceil(43.995 / (3/pi)) pairs plan 90 % power; SE of 2000 runs is 0.7 points
    assert first == pytest.approx(0.90, abs=0.025)


def test_village_halfwidth_closed_form():
    # t(11)·sqrt((36 + 57/15)/12); R: qt(0.975, 11)*sqrt((36+57/15)/12) -> 4.00837207
    assert plan.village_halfwidth(12, 15, SIGMA2, TAU2) == pytest.approx(4.00837207, abs=1e-8)
    k = plan.villages_for_halfwidth(4.00837207, 15, SIGMA2, TAU2)
    assert k == pytest.approx(12.0, abs=1e-6)
    m = plan.cadres_for_halfwidth(4.00837207, 12, SIGMA2, TAU2)
    assert m == pytest.approx(15.0, abs=1e-5)


def test_village_halfwidth_with_assurance():
    # R: v <- 36 + 57/15; pchisq((k-1)*(3*sqrt(k)/(qt(.975,k-1)*sqrt(v)))^2, k-1)
    #   k = 16 -> 0.3168841873, k = 17 -> 0.377950865
    k = plan.villages_for_halfwidth(3.0, 15, SIGMA2, TAU2)
    assert plan.village_halfwidth(k, 15, SIGMA2, TAU2) == pytest.approx(3.0, abs=1e-9)
    sd = math.sqrt(TAU2 + SIGMA2 / 15)
    assert plan.halfwidth_assurance(17, 3.0, sd) == pytest.approx(0.377950865, abs=1e-8)
    k80 = plan.villages_for_halfwidth(3.0, 15, SIGMA2, TAU2, assurance=0.8)
    assert plan.halfwidth_assurance(math.ceil(k80), 3.0, sd) >= 0.8
    assert plan.halfwidth_assurance(math.ceil(k80) - 1, 3.0, sd) < 0.8


def test_cadres_cannot_beat_tau2():
    # with k = 4, t(3)² τ²/k = 3.182² · 36 / 4 = 91 > 3²: no m reaches ±3
    with pytest.raises(plan.ImpossiblePlan, match="cannot reach"):
        plan.cadres_for_halfwidth(3.0, 4, SIGMA2, TAU2)


def test_one_sample_power_matches_pwr():
    # pwr.t.test(n = 12, d = 4/sqrt(36 + 57/15), type = "one.sample")$power -> 0.5173570901
    power = plan.one_sample_power(12, 15, SIGMA2, TAU2, mean_gain=24, target_gain=20)
    assert power == pytest.approx(0.5173570901, abs=1e-9)
    # ... alternative = "greater" -> 0.6604410533
    power = plan.one_sample_power(
        12, 15, SIGMA2, TAU2, mean_gain=24, target_gain=20, alternative="greater"
    )
    assert power == pytest.approx(0.6604410533, abs=1e-9)


def test_two_arm_plan_matches_pwr():
    k = plan.villages_for_power(5, 0.9, 15, SIGMA2, TAU2, design="two.sample")
    assert k == pytest.approx(34.44494961, abs=2e-4)
    assert k == pytest.approx(34.4449372916, abs=1e-8)
    # pwr.t.test(n = 20, d = 5/sqrt(36 + 57/12), type = "two.sample")$power -> 0.6750730787
    power = plan.two_arm_power(20, 12, SIGMA2, TAU2, difference=5)
    assert power == pytest.approx(0.6750730787, abs=1e-9)


def test_design_effect_and_icc():
    assert plan.icc_of(TAU2, SIGMA2) == pytest.approx(36 / 93)
    assert plan.tau2_from_icc(36 / 93, SIGMA2) == pytest.approx(TAU2)
    assert plan.design_effect(15, 0.05) == pytest.approx(1.7)
    # k·m / deff: 10 villages × 15 = 150 cadres, deff 1.7 -> 88.235
    assert plan.effective_sample_size(10, 15, 0.05) == pytest.approx(150 / 1.7)
    # the half-width from the design effect equals the village formula (large k, t -> z):
    # var(mean) = sigma_total² · deff / (k m) = (τ² + σ²/m) / k
    icc = plan.icc_of(TAU2, SIGMA2)
    assert (TAU2 + SIGMA2) * plan.design_effect(15, icc) / (12 * 15) == pytest.approx(
        (TAU2 + SIGMA2 / 15) / 12
    )
    for bad in (-0.1, 1.0, 1.5):
        with pytest.raises(plan.ImpossiblePlan, match="ICC must lie in"):
            plan.tau2_from_icc(bad, SIGMA2)


def test_cost_optimal_cadres_minimises_variance_per_budget():
    m_star = plan.cost_optimal_cadres(400.0, 25.0, SIGMA2, TAU2)
    assert m_star == pytest.approx(math.sqrt(16 * 57 / 36))

    # (τ² + σ²/m)(c_v + m c_c) is smallest at m*: check on a fine grid
    def variance_cost(m):
        return (TAU2 + SIGMA2 / m) * (400 + 25 * m)

    grid = np.linspace(1, 40, 3901)
    assert grid[np.argmin(variance_cost(grid))] == pytest.approx(m_star, abs=0.01)
    assert plan.cost_optimal_cadres(400.0, 25.0, SIGMA2, 0.0) == math.inf
