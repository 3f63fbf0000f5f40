"""Random-effects meta-analysis against metafor's published output, statsmodels and brute force.

Sources of the expected values (all computed by metafor, not by this code):

* BCG (dat.bcg, 13 trials, log risk ratios): metafor's reference page of ``rma.uni``
  (example ``rma(yi, vi, data=dat, method="REML")``): estimate -0.7145, se 0.1798,
  zval -3.9744, CI [-1.0669, -0.3622], tau² 0.3132, tau 0.5597, I² 92.22%, H² 12.86,
  Q(df = 12) = 152.2330. metafor's README / pkgdown index, ``rma(yi, vi, data=dat,
  test="knha")``: se 0.1808, tval -3.9522, df 12, p 0.0019, CI [-1.1084, -0.3206];
  ``predict(res, transf=exp, digits=2)``: pi 0.14, 1.76. Reference page of ``predict.rma``
  (REML, z): ``predict(res, digits=2)`` pi.lb -1.87, pi.ub 0.44.
  tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (DL, checked against Stata's
  metan): estimate -0.7141, CI [-1.0644, -0.3638], zval -3.9952, tau² 0.3088,
  I² 92.1173. tests/testthat/test_misc_rma_uni.r: method="DLIT" gives tau² 0.3181;
  iterated DL stops where Q(tau²) = k - 1 with weights 1/(v + tau²), which is the
  Paule-Mandel equation, so PM tau² = 0.3181.
* CLASP (6 trials, log odds ratios; DerSimonian & Kacker 2007, Tables 3 and 4, as in
  metafor's tests/testthat/test_analysis_example_dersimonian2007.r): tau, mu, se =
  PM 0.3681, -0.3811, 0.2060; DL 0.2323, -0.3240, 0.1540; REML 0.1843, -0.2980, 0.1343.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from analisis.results import MetaAnalysis
from analisis.stats import meta
from analisis.stats.meta import random_effects_meta, tau2_ci_qprofile

# dat.bcg: tpos, tneg (vaccinated), cpos, cneg (control) for the 13 trials in order.
BCG = np.array(
    [
        (4, 119, 11, 128),
        (6, 300, 29, 274),
        (3, 228, 11, 209),
        (62, 13536, 248, 12619),
        (33, 5036, 47, 5761),
        (180, 1361, 372, 1079),
        (8, 2537, 10, 619),
        (505, 87886, 499, 87892),
        (29, 7470, 45, 7232),
        (17, 1699, 65, 1600),
        (186, 50448, 141, 27197),
        (5, 2493, 3, 2338),
        (27, 16886, 29, 17825),
    ],
    dtype=float,
)
# CLASP: events and group sizes (treatment ai/n1i, control ci/n2i).
CLASP_N1 = np.array([156, 303, 565, 1570, 103, 4659], dtype=float)
CLASP_N2 = np.array([74, 303, 477, 1565, 105, 4650], dtype=float)
CLASP_A = np.array([5, 5, 12, 69, 9, 313], dtype=float)
CLASP_C = np.array([8, 17, 9, 94, 11, 352], dtype=float)


def bcg_log_rr() -> tuple[np.ndarray, np.ndarray]:
    """escalc(measure="RR"): log((a/(a+b)) / (c/(c+d))), 1/a - 1/(a+b) + 1/c - 1/(c+d)."""
    a, b, c, d = BCG.T
    yi = np.log((a / (a + b)) / (c / (c + d)))
    vi = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
    return yi, vi


def clasp_log_or() -> tuple[np.ndarray, np.ndarray]:
    """escalc(measure="OR"): log(a d / (b c)), 1/a + 1/b + 1/c + 1/d (no zero cells)."""
    a, b = CLASP_A, CLASP_N1 - CLASP_A
    c, d = CLASP_C, CLASP_N2 - CLASP_C
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def printed(digits: int) -> float:
    """Half a unit in the last printed digit: the tolerance of a printed value."""
    return 0.5 * 10.0**-digits + 1e-12


def test_bcg_reml_matches_metafor_rma_uni_example():
    r = random_effects_meta(*bcg_log_rr(), test="z")
    assert (r.k, r.method, r.test, r.Q_df) == (13, "reml", "z", 12)
    assert r.estimate == pytest.approx(-0.7145, abs=printed(4))
    assert r.se == pytest.approx(0.1798, abs=printed(4))
    assert r.statistic == pytest.approx(-3.9744, abs=printed(4))
    assert r.ci95[0] == pytest.approx(-1.0669, abs=printed(4))
    assert r.ci95[1] == pytest.approx(-0.3622, abs=printed(4))
    assert r.tau2 == pytest.approx(0.3132, abs=printed(4))
    assert r.tau == pytest.approx(0.5597, abs=printed(4))
    assert r.I2 == pytest.approx(92.22, abs=printed(2))
    assert r.H2 == pytest.approx(12.86, abs=printed(2))
    assert r.Q == pytest.approx(152.2330, abs=printed(4))
    assert r.p < 1e-4 and r.Q_p < 1e-4  # metafor prints "<.0001"
    # predict(res, digits=2): pi.lb -1.87, pi.ub 0.44
    assert r.prediction_interval95[0] == pytest.approx(-1.87, abs=printed(2))
    assert r.prediction_interval95[1] == pytest.approx(0.44, abs=printed(2))


def test_knapp_hartung_is_the_default():
    assert random_effects_meta(*bcg_log_rr()) == random_effects_meta(*bcg_log_rr(), test="knha")


def test_bcg_heterogeneity_intervals_match_metafor_confint():
    # confint(rma(yi, vi, data = escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos,
    #   di = cneg, data = dat.bcg)))$random, metafor 3.8 (Q-profile, the default):
    #   tau^2   0.3132  0.1197  1.1115
    #   I^2(%) 92.2214 81.9177 97.6781
    # metafor finds the bounds by uniroot with tol = .Machine$double.eps^0.25; with
    # confint(..., control = list(tol = 1e-12)) it prints the exact roots:
    #   tau^2   0.3132433260  0.1197183611  1.111479084
    #   I^2(%) 92.2213860750 81.9205745586 97.678074958
    # The interval does not depend on the tau² estimator (DL prints the same bounds).
    for method in ("reml", "dl"):
        r = random_effects_meta(*bcg_log_rr(), method=method)
        assert r.tau2_ci95 == pytest.approx((0.1197, 1.1115), abs=printed(4))
        assert r.I2_ci95 == pytest.approx((81.9177, 97.6781), abs=printed(4) + 3e-3)
        assert r.tau2_ci95 == pytest.approx((0.1197183611, 1.111479084), rel=1e-8)
        assert r.I2_ci95 == pytest.approx((81.9205745586, 97.678074958), rel=1e-9)
    r = random_effects_meta(*bcg_log_rr())
    assert r.tau2 == pytest.approx(0.3132433260, rel=1e-4)  # Fisher scoring stops at 1e-5
    assert r.I2 == pytest.approx(92.2213860750, abs=printed(2))


def test_qprofile_bounds_solve_the_chi_square_equations():
    # Viechtbauer (2007), eq. 6: Q(lower) = chi²_{k-1}(0.975), Q(upper) = chi²_{k-1}(0.025);
    # qchisq(c(0.975, 0.025), 12) = 23.33666, 4.403789 (R 4.2).
    y, v = bcg_log_rr()
    lo, hi = tau2_ci_qprofile(y, v)
    w_lo, w_hi = 1 / (v + lo), 1 / (v + hi)
    q_lo = np.sum(w_lo * (y - np.sum(w_lo * y) / np.sum(w_lo)) ** 2)
    q_hi = np.sum(w_hi * (y - np.sum(w_hi * y) / np.sum(w_hi)) ** 2)
    assert q_lo == pytest.approx(23.33666, rel=1e-6)
    assert q_hi == pytest.approx(4.403789, rel=1e-6)


def test_homogeneous_estimates_have_a_heterogeneity_interval_from_zero():
    # Q(0) below chi²_{k-1}(0.975): the lower bound is 0; below chi²_{k-1}(0.025) too: [0, 0].
    r = random_effects_meta([0.0, 0.1, -0.1, 0.05], [1.0, 1.0, 1.0, 1.0])
    assert r.tau2 == 0 and r.tau2_ci95 == (0.0, 0.0) and r.I2_ci95 == (0.0, 0.0)
    r = random_effects_meta([0.0, 1.0, -1.0, 0.5], [1.0, 1.0, 1.0, 1.0])
    assert r.tau2_ci95[0] == 0.0 and r.tau2_ci95[1] > 0


def test_bcg_knha_matches_metafor_readme():
    r = random_effects_meta(*bcg_log_rr(), test="knha")
    assert r.estimate == pytest.approx(-0.7145, abs=printed(4))
    assert r.se == pytest.approx(0.1808, abs=printed(4))
    assert r.statistic == pytest.approx(-3.9522, abs=printed(4))
    assert r.p == pytest.approx(0.0019, abs=printed(4))
    assert r.ci95[0] == pytest.approx(-1.1084, abs=printed(4))
    assert r.ci95[1] == pytest.approx(-0.3206, abs=printed(4))
    # predict(res, transf=exp, digits=2): pi.lb 0.14, pi.ub 1.76 (t with k - 1 = 12 df)
    assert math.exp(r.prediction_interval95[0]) == pytest.approx(0.14, abs=printed(2))
    assert math.exp(r.prediction_interval95[1]) == pytest.approx(1.76, abs=printed(2))


def test_bcg_dl_matches_metafor_and_stata_metan():
    r = random_effects_meta(*bcg_log_rr(), method="dl", test="z")
    assert r.tau2 == pytest.approx(0.3088, abs=printed(4))
    assert r.estimate == pytest.approx(-0.7141, abs=printed(4))
    assert r.ci95[0] == pytest.approx(-1.0644, abs=printed(4))
    assert r.ci95[1] == pytest.approx(-0.3638, abs=printed(4))
    assert r.statistic == pytest.approx(-3.9952, abs=printed(4))
    assert r.I2 == pytest.approx(92.1173, abs=printed(4))


def test_bcg_pm_equals_metafor_iterated_dl():
    r = random_effects_meta(*bcg_log_rr(), method="pm")
    assert r.tau2 == pytest.approx(0.3181, abs=printed(4))


@pytest.mark.parametrize(
    ("method", "tau", "mu", "se"),
    [
        ("pm", 0.3681, -0.3811, 0.2060),
        ("dl", 0.2323, -0.3240, 0.1540),
        ("reml", 0.1843, -0.2980, 0.1343),
    ],
)
def test_clasp_matches_dersimonian_kacker_tables(method, tau, mu, se):
    r = random_effects_meta(*clasp_log_or(), method=method, test="z")
    assert r.tau == pytest.approx(tau, abs=printed(4))
    assert r.estimate == pytest.approx(mu, abs=printed(4))
    assert r.se == pytest.approx(se, abs=printed(4))


def test_formulas_by_hand_on_two_estimates():
    # y = 0, 2 with v = 1: Q = 2, DL tau² = (2 - 1) / (2 - 2/2) = 1, w = 1/2 each, mu = 1,
    # se = 1, s² = 1 so I² = 50, H² = 2; KNHA: s²_w = (0.5 + 0.5) / 1 = 1, t(1).
    r = random_effects_meta([0, 2], [1, 1], method="dl", test="knha")
    crit = stats.t.ppf(0.975, 1)
    assert (r.tau2, r.estimate, r.se, r.I2, r.H2, r.Q) == pytest.approx((1, 1, 1, 50, 2, 2))
    assert r.ci95 == pytest.approx((1 - crit, 1 + crit))
    assert r.prediction_interval95 == pytest.approx((1 - crit * math.sqrt(2), 1 + crit * 2**0.5))
    assert r.p == pytest.approx(2 * stats.t.sf(1, 1))


@pytest.mark.parametrize("method", ["dl", "pm"])
def test_dl_and_pm_agree_with_statsmodels(method):
    from statsmodels.stats.meta_analysis import combine_effects

    yi, vi = bcg_log_rr()
    ours = random_effects_meta(yi, vi, method=method, test="knha")
    theirs = combine_effects(yi, vi, method_re=method, atol=1e-12, maxiter=500)
    assert ours.tau2 == pytest.approx(theirs.tau2, rel=1e-9)
    assert ours.estimate == pytest.approx(theirs.mean_effect_re, rel=1e-9)
    # statsmodels' HKSJ variance var_hksj_re is the untruncated Knapp-Hartung variance.
    assert ours.se == pytest.approx(math.sqrt(theirs.var_hksj_re), rel=1e-9)
    assert ours.Q == pytest.approx(theirs.q, rel=1e-12)


def test_knha_factor_is_not_truncated_at_one():
    # y = 0, 0.1, -0.1 with v = 1: Q = 0.02 < 2 so tau² = 0, mu = 0, w = 1;
    # s²_w = (0 + 0.01 + 0.01) / 2 = 0.01, se = sqrt(0.01 / 3) (metafor's "knha"; only
    # "adhoc" would use max(1, s²_w) and give sqrt(1/3)).
    r = random_effects_meta([0.0, 0.1, -0.1], [1.0, 1.0, 1.0], method="dl", test="knha")
    assert r.se == pytest.approx(math.sqrt(0.01 / 3))


def test_reml_where_fisher_scoring_oscillates_solves_the_estimating_equation():
    # Ten village d_z from bench/coverage.py where Fisher scoring jumps between 0.0365 and
    # 0.0528 for ever. metafor 3.8: rma(d, v, method = "REML") stops with "Fisher scoring
    # algorithm did not converge"; with control = list(stepadj = 0.5, maxiter = 1000) it
    # gives tau² 0.04454127949 and estimate 2.861369006 (test = "knha": CI 2.570133982,
    # 3.152604030).
    d = [3.034376, 3.078137, 3.291918, 2.612445, 2.703536, 2.194154, 3.293898, 3.13387,
         2.793514, 3.139284]  # fmt: skip
    v = [0.164815, 0.239061, 0.291744, 0.40113, 0.310304, 0.087363, 0.200778, 0.422184,
         0.204244, 0.204398]  # fmt: skip
    r = random_effects_meta(d, v)
    assert r.tau2 == pytest.approx(0.04454127949, abs=printed(5))
    assert r.estimate == pytest.approx(2.861369006, abs=1e-6)
    assert r.ci95 == pytest.approx((2.570133982, 3.152604030), abs=1e-6)
    # The same root when scoring is cut short on data where it converges (metafor's
    # 0.3132433260 stops at its 1e-5 threshold; the exact root differs in the 7th digit).
    assert meta.tau2_reml(*bcg_log_rr(), maxiter=1) == pytest.approx(0.3132433260, rel=1e-6)


def test_dl_is_truncated_at_zero_unlike_statsmodels():
    from statsmodels.stats.meta_analysis import combine_effects

    yi, vi = [0.0, 0.1, -0.1], [1.0, 1.0, 1.0]  # Q = 0.02 < k - 1 = 2
    assert combine_effects(np.array(yi), np.array(vi), method_re="dl").tau2 < 0
    r = random_effects_meta(yi, vi, method="dl")
    assert r.tau2 == 0 and r.I2 == 0 and r.H2 == 1


def brute_force_reml(yi, vi) -> float:
    """Maximise the restricted log-likelihood of tau² numerically (Viechtbauer 2005, eq. 11)."""

    def negative_ll(tau2):
        w = 1 / (vi + tau2)
        mu = np.sum(w * yi) / np.sum(w)
        return 0.5 * (np.sum(np.log(vi + tau2)) + math.log(np.sum(w)) + np.sum(w * (yi - mu) ** 2))

    found = optimize.minimize_scalar(
        negative_ll, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}
    )
    return float(found.x)


@pytest.mark.parametrize("data", [clasp_log_or, bcg_log_rr])
def test_reml_maximises_the_restricted_likelihood(data):
    yi, vi = data()
    expected = brute_force_reml(yi, vi)
    # Fisher scoring stops when a step changes tau² by <= 1e-5 (metafor's threshold); it
    # converges linearly, so what is left can be a few times the last step (1.1e-5 for
    # CLASP). A tight threshold reaches the optimum itself.
    assert meta.tau2_reml(yi, vi) == pytest.approx(expected, abs=5e-5)
    assert meta.tau2_reml(yi, vi, tol=1e-12) == pytest.approx(expected, abs=1e-8)


def test_reml_truncates_at_zero_when_homogeneous():
    yi, vi = np.array([0.0, 0.1, -0.1, 0.05]), np.full(4, 1.0)
    assert brute_force_reml(yi, vi) == pytest.approx(0, abs=1e-6)
    assert meta.tau2_reml(yi, vi) == 0


def test_weights_are_percent_in_input_order():
    yi, vi = bcg_log_rr()
    r = random_effects_meta(yi, vi)
    w = 1 / (vi + r.tau2)
    assert sum(r.weights) == pytest.approx(100)
    assert r.weights == pytest.approx(tuple(100 * w / w.sum()))


@pytest.mark.parametrize(
    ("yi", "vi", "message"),
    [
        ([1.0], [1.0], "k >= 2"),
        ([1.0, 2.0], [1.0, -0.5], "vi must be positive: vi = -0.5 for b"),
        ([1.0, 2.0], [1.0, 0.0], "vi must be positive"),
        ([1.0, math.nan], [1.0, 1.0], "yi must be finite"),
        ([1.0, 2.0], [1.0], "differ in length"),
    ],
)
def test_bad_input_is_named(yi, vi, message):
    labels = ["a", "b"][: len(yi)]
    with pytest.raises(ValueError, match=message):
        random_effects_meta(yi, vi, labels if len(labels) == len(vi) else None)


def test_unknown_method_or_test():
    with pytest.raises(ValueError, match="method must be one of"):
        random_effects_meta([0, 1], [1, 1], method="ml")
    with pytest.raises(ValueError, match="method must be one of"):
        random_effects_meta([0, 1], [1, 1], test="adhoc")


def test_round_trip_through_json_keeps_every_field():
    import json

    from analisis.outputs import to_jsonable

    r = random_effects_meta(*bcg_log_rr(), test="knha")
    data = json.loads(json.dumps(to_jsonable(r.to_dict())))
    assert list(data) == [
        "k", "method", "test", "estimate", "se", "ci95", "statistic", "p", "tau2",
        "tau2_ci95", "tau", "I2", "I2_ci95", "H2", "Q", "Q_df", "Q_p",
        "prediction_interval95", "weights",
    ]  # fmt: skip
    assert MetaAnalysis.from_dict(data) == r


def test_undefined_statistic_survives_the_json_round_trip():
    import json

    from analisis.outputs import to_jsonable

    # Equal estimates: s²_w = 0, so the Knapp-Hartung se is 0 and t is undefined (None
    # in the result, null in JSON).
    r = random_effects_meta([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], test="knha")
    assert r.se == 0 and r.statistic is None and r.p is None
    data = json.loads(json.dumps(to_jsonable(r.to_dict())))
    assert data["statistic"] is None
    assert MetaAnalysis.from_dict(data) == r
