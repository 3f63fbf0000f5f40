"""Paired tests against published R output and hand calculation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analisis.stats.paired import (
    choose_primary_test,
    paired_t_test,
    primary_test_rule,
    shapiro_wilk,
    spss_paired_samples_test,
    spss_wilcoxon_ranks,
    wilcoxon_signed_rank,
)
from analisis.stats.summary import paired_summary

# Student's sleep data, R datasets::sleep (docs/statistics.md, "Library traps").
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])

# help(wilcox.test), Hollander & Wolfe (1973) p. 29: depression scale, first and second visit.
DEPRESSION_X = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
DEPRESSION_Y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])


def test_sleep_t_test_matches_r():
    # R: t.test(group2, group1, paired = TRUE)
    # t = 4.0621, df = 9, p-value = 0.002833, 95% CI 0.7001142 2.4598858
    r = paired_t_test(SLEEP_1, SLEEP_2)
    assert r["t"] == pytest.approx(4.0621, abs=5e-5)
    assert r["df"] == 9
    assert r["p"] == pytest.approx(0.002833, abs=5e-7)
    assert r["ci95"] == pytest.approx([0.7001142, 2.4598858], abs=5e-8)


def test_sleep_shapiro_matches_r():
    # R: shapiro.test(group2 - group1): W = 0.82987, p-value = 0.03334
    r = shapiro_wilk(SLEEP_2 - SLEEP_1)
    assert r["W"] == pytest.approx(0.82987, abs=5e-6)
    assert r["p"] == pytest.approx(0.03334, abs=5e-6)


def test_sleep_wilcoxon_matches_r_both_orders():
    # R: wilcox.test(group1, group2, paired = TRUE): V = 0, p-value = 0.009091
    # (normal approximation with continuity correction: one zero, ties at 1.3).
    # Reversed, every non-zero difference is positive: V = 1 + ... + 9 = 45, same p.
    swapped = wilcoxon_signed_rank(SLEEP_1 - SLEEP_2)
    assert swapped["V"] == 0
    assert swapped["p"] == pytest.approx(0.009091, abs=5e-7)
    r = wilcoxon_signed_rank(SLEEP_2 - SLEEP_1)
    assert r["V"] == 45
    assert r["p"] == pytest.approx(0.009091, abs=5e-7)
    assert r["method"] == "normal approximation"
    assert r["continuity_correction"] is True
    assert r["n_zero"] == 1 and r["n_nonzero"] == 9


def test_depression_wilcoxon_matches_r_help_example():
    # help(wilcox.test): wilcox.test(x, y, paired = TRUE, alternative = "greater")
    # V = 40, p-value = 0.01953 (exact: no ties, no zeros, n < 50).
    r = wilcoxon_signed_rank(DEPRESSION_X - DEPRESSION_Y, "greater")
    assert r["V"] == 40
    assert r["p"] == pytest.approx(0.01953, abs=5e-6)
    assert r["method"] == "exact" and r["continuity_correction"] is False
    # Two-sided exact p doubles the smaller tail: 2 × 10 / 512 = 0.0390625.
    assert wilcoxon_signed_rank(DEPRESSION_X - DEPRESSION_Y)["p"] == pytest.approx(20 / 512)


def test_wilcoxon_normal_approximation_by_hand():
    # d = 1, 2, 2, -4 (a tie at 2): ranks of |d| are 1, 2.5, 2.5, 4; V = 1 + 2.5 + 2.5 = 6.
    # Mean 4·5/4 = 5; variance 4·5·9/24 - (2³ - 2)/48 = 7.5 - 0.125 = 7.375.
    # Two-sided correction: z = (6 - 5 - 0.5) / sqrt(7.375) = 0.184115, p = 0.853923.
    r = wilcoxon_signed_rank([1, 2, 2, -4])
    assert r["V"] == 6
    assert r["method"] == "normal approximation"
    assert r["p"] == pytest.approx(0.853923, abs=1e-6)
    # Without correction: z = 1 / sqrt(7.375) = 0.368230, p = 0.712702.
    assert wilcoxon_signed_rank([1, 2, 2, -4], correction=False)["p"] == pytest.approx(
        0.712702, abs=1e-6
    )


def test_wilcoxon_all_zero_is_stated():
    r = wilcoxon_signed_rank([0, 0, 0])
    assert np.isnan(r["p"]) and "all differences are zero" in r["note"]


def test_spss_wilcoxon_ranks_sleep_by_hand():
    # post - pre = group2 - group1: 9 positive, 0 negative, 1 tie; positive ranks sum 45,
    # mean rank 5. Z = (0 - 9·10/4) / sqrt(9·10·19/24 - (2³ - 2)/48)
    #   = -22.5 / sqrt(71.25 - 0.125) = -22.5 / 8.433564 = -2.667911, no continuity corr.
    # Asymp. Sig. = 2 Φ(-2.667911) = 0.007632.
    t = spss_wilcoxon_ranks(SLEEP_1, SLEEP_2)
    assert t["negative_ranks"]["n"] == 0 and t["negative_ranks"]["sum_of_ranks"] == 0
    assert np.isnan(t["negative_ranks"]["mean_rank"])
    assert t["positive_ranks"] == {"n": 9, "mean_rank": 5.0, "sum_of_ranks": 45.0}
    assert t["ties"] == {"n": 1} and t["total"] == {"n": 10}
    assert t["z"] == pytest.approx(-2.667911, abs=1e-6)
    assert t["z_based_on"] == "negative ranks"
    assert t["asymp_sig_2_tailed"] == pytest.approx(0.007632, abs=1e-6)


def test_spss_paired_samples_test_sleep():
    # SD of differences 1.2299955 (R: sd(group2 - group1)), SE = SD / sqrt(10) = 0.3889587.
    r = spss_paired_samples_test(SLEEP_1, SLEEP_2)
    assert r["mean"] == pytest.approx(1.58)
    assert r["std_deviation"] == pytest.approx(1.2299955, abs=5e-8)
    assert r["std_error_mean"] == pytest.approx(0.3889587, abs=5e-8)
    assert [r["ci95_lower"], r["ci95_upper"]] == pytest.approx([0.7001142, 2.4598858], abs=5e-8)
    assert r["t"] == pytest.approx(4.0621, abs=5e-5) and r["df"] == 9
    assert r["sig_2_tailed"] == pytest.approx(0.002833, abs=5e-7)


def test_constant_difference_gives_reason_not_silent_nan():
    r = paired_t_test([60, 70, 80], [80, 90, 100])
    assert np.isnan(r["t"]) and "all differences equal (20)" in r["note"]
    assert "undefined" in shapiro_wilk([20, 20, 20])["note"]
    name, reason = choose_primary_test(float("nan"), 0.05, sd_difference=0.0)
    assert name == "wilcoxon" and "All differences are equal" in reason


def test_primary_test_rule():
    assert choose_primary_test(0.05, 0.05, sd_difference=1)[0] == "t_test"
    assert choose_primary_test(0.0499, 0.05, sd_difference=1)[0] == "wilcoxon"


pairs = st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25)), min_size=3, max_size=30).filter(
    lambda p: len({b - a for a, b in p}) > 1
)


@settings(max_examples=60, deadline=None)
@given(pairs, st.integers(-50, 50))
def test_swap_flips_signs_and_shift_changes_nothing(data, shift):
    pre = np.array([a for a, _ in data], float) * 4
    post = np.array([b for _, b in data], float) * 4
    t = paired_t_test(pre, post)
    swapped = paired_t_test(post, pre)
    assert swapped["t"] == pytest.approx(-t["t"])
    assert swapped["p"] == pytest.approx(t["p"])
    w = wilcoxon_signed_rank(post - pre)
    w_swapped = wilcoxon_signed_rank(pre - post)
    assert w_swapped["p"] == pytest.approx(w["p"], nan_ok=True)
    assert w["V"] + w_swapped["V"] == pytest.approx(w["n_nonzero"] * (w["n_nonzero"] + 1) / 2)
    shifted = paired_t_test(pre + shift, post + shift)
    assert shifted["t"] == pytest.approx(t["t"]) and shifted["p"] == pytest.approx(t["p"])


def test_spss_z_agrees_with_scipy_uncorrected_normal_approximation():
    # scipy's independent implementation of the tie-corrected normal approximation
    # without continuity correction (zero_method="wilcox") gives the same Z and p.
    from scipy.stats import wilcoxon

    rng = np.random.default_rng(4)
    pre = rng.integers(10, 26, 40) * 4.0
    post = np.minimum(pre + rng.integers(-2, 6, 40) * 4.0, 100)
    ref = wilcoxon(post - pre, zero_method="wilcox", correction=False, method="asymptotic")
    t = spss_wilcoxon_ranks(pre, post)
    assert t["z"] == pytest.approx(-abs(ref.zstatistic))
    assert t["asymp_sig_2_tailed"] == pytest.approx(ref.pvalue)


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_normal_approximation_agrees_with_scipy_when_told_rs_options(alternative):
    # With ties and zeros R uses the corrected normal approximation; scipy gives the same
    # p when asked explicitly (zero_method="wilcox", correction=True, "asymptotic").
    from scipy.stats import wilcoxon

    rng = np.random.default_rng(9)
    d = rng.integers(-3, 8, 30) * 4.0
    ref = wilcoxon(
        d, zero_method="wilcox", correction=True, method="asymptotic", alternative=alternative
    )
    ours = wilcoxon_signed_rank(d, alternative)
    assert ours["method"] == "normal approximation" and ours["n_zero"] > 0
    assert ours["p"] == pytest.approx(ref.pvalue, rel=1e-12)


def test_pre_specified_primary_test_ignores_shapiro():
    # Shapiro p = 0.01 < 0.05 would make the Wilcoxon test primary under "auto"; a study
    # that pre-specified the t-test keeps it, and the label says it was pre-specified.
    name, reason = choose_primary_test(0.01, 0.05, sd_difference=1.0, primary_test="t_test")
    assert name == "t_test" and "pre-specified" in reason
    name, _ = choose_primary_test(0.9, 0.05, sd_difference=1.0, primary_test="wilcoxon")
    assert name == "wilcoxon"
    assert primary_test_rule("t_test", 23) == "pre-specified"
    assert primary_test_rule("auto", 23) == "data-driven (Shapiro–Wilk)"
    with pytest.raises(ValueError, match="primary_test"):
        choose_primary_test(0.5, 0.05, sd_difference=1.0, primary_test="sign")


def test_no_shapiro_p_above_5000_and_auto_falls_back_to_the_t_test():
    # R: shapiro.test(rnorm(5001)) stops with "sample size must be between 3 and 5000";
    # scipy warns that its p may be inaccurate for N > 5000. At n = 5000 the test runs.
    rng = np.random.default_rng(1)
    assert np.isfinite(shapiro_wilk(rng.normal(size=5000))["p"])
    big = rng.exponential(size=5001)  # clearly not normal: auto would have said Wilcoxon
    result = shapiro_wilk(big)
    assert np.isnan(result["p"]) and "5000" in result["note"]
    name, reason = choose_primary_test(result["p"], 0.05, sd_difference=1.0, n=5001)
    assert name == "t_test" and "central limit theorem" in reason
    assert primary_test_rule("auto", 5001) == "stated rule for n > 5000 (t-test)"
    summary, notes = paired_summary(np.zeros(5001), big, primary_test="auto")
    assert summary.primary_test == "t_test" and summary.shapiro.p != summary.shapiro.p
    assert any("no Shapiro-Wilk p is used" in note for note in notes)
