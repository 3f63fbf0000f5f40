"""Effect sizes against Lakens (2013), R effectsize outputs and hand calculation."""

from __future__ import annotations

import json
import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analisis.stats import effect_sizes as es

# Lakens (2013), Front. Psychol. 4:863, worked example: movie ratings, n = 10.
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]

SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_lakens_movie_example():
    # Lakens (2013): t(9) = 4.74, d_z = 1.50, g_av = 1.08 (movie 1 rated higher, so
    # "post" = movie 1 gives positive signs).
    t = stats.ttest_rel(MOVIE_1, MOVIE_2).statistic
    assert round(t, 2) == 4.74
    assert round(es.d_z(MOVIE_2, MOVIE_1), 2) == 1.50
    assert round(es.g_av(MOVIE_2, MOVIE_1), 2) == 1.08
    # Hand: SD 0.823273 and 0.948683, mean difference 1, d_av = 1 / 0.885978 = 1.128696.
    assert es.d_av(MOVIE_2, MOVIE_1) == pytest.approx(1.128696, abs=1e-6)


def test_sleep_d_z_matches_r_effectsize():
    # effectsize::cohens_d(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep)
    # = -1.284558 (value asserted in tidystats' effectsize tests); post - pre flips sign.
    assert es.d_z(SLEEP_1, SLEEP_2) == pytest.approx(1.284558, abs=1e-6)


def test_sleep_d_rm_and_d_av_match_r_effectsize_after_its_adjustment():
    # effectsize::repeated_measures_d(Pair(...) ~ 1, data = sleep) prints d_rm = -0.75 and
    # d_av = -0.76 (source comments, R/repeated_measures_d.R); it applies the small-sample
    # factor 1 - 3 / (4 df - 1), df = 9, which our unadjusted d_rm and d_av do not.
    factor = 1 - 3 / (4 * 9 - 1)
    assert round(es.d_rm(SLEEP_1, SLEEP_2) * factor, 2) == 0.75
    assert round(es.d_av(SLEEP_1, SLEEP_2) * factor, 2) == 0.76


def test_d_z_ci_is_the_noncentral_t_interval():
    # At the limits the observed t sits at the 97.5th and 2.5th percentile of the
    # noncentral t with ncp = limit × sqrt(n).
    dz, n = 1.284558, 10
    lo, hi = es.d_z_ci(dz, n)
    t = dz * math.sqrt(n)
    assert stats.nct.cdf(t, n - 1, lo * math.sqrt(n)) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(t, n - 1, hi * math.sqrt(n)) == pytest.approx(0.025, abs=1e-9)
    assert lo < dz < hi


def test_rank_biserial_matches_r_effectsize():
    # effectsize tests (tests/testthat/test-rankES.R): rank_biserial(x, y, paired = TRUE)
    # on help(wilcox.test)'s depression data: r = 0.777, CI 0.2953631 .. 0.9441559.
    x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    r = es.rank_biserial(x - y)
    assert r["rank_biserial"] == pytest.approx(7 / 9)  # (40 - 5) / 45
    assert r["ci95"] == pytest.approx([0.2953631, 0.9441559], abs=5e-8)


def test_rank_biserial_zeros_dropped_and_ceiling():
    r = es.rank_biserial([0, 0, 4, 8])
    assert r["rank_biserial"] == 1.0 and r["ci95"] == [1.0, 1.0] and r["n_nonzero"] == 2


def test_cles_and_hodges_lehmann_by_hand():
    # d = 20, 0, -4, 8: positive 2, zero 1 -> (2 + 0.5) / 4 = 0.625.
    assert es.cles_paired([20, 0, -4, 8]) == 0.625
    # Walsh averages of 0, 4, 20: 0, 2, 10, 4, 12, 20 -> median (4 + 10) / 2 = 7.
    assert es.hodges_lehmann([0, 4, 20]) == 7.0


def test_d_rm_hand():
    # pre 2, 4, 6, 8; post 4, 5, 9, 10: d = 2, 1, 3, 2, mean 2, SD sqrt(2/3) = 0.816497,
    # d_z = 2.449490. Deviations pre -3, -1, 1, 3 (SS 20), post -3, -2, 2, 3 (SS 26),
    # cross-products 22: r = 22 / sqrt(20 × 26) = 0.964764;
    # d_rm = d_z × sqrt(2 × 0.035236) = 2.449490 × 0.265466 = 0.650257.
    assert es.d_rm([2, 4, 6, 8], [4, 5, 9, 10]) == pytest.approx(0.650257, abs=1e-6)


pairs = st.lists(st.tuples(st.integers(0, 25), st.integers(0, 25)), min_size=4, max_size=30)


@settings(max_examples=60, deadline=None)
@given(pairs, st.integers(-40, 40))
def test_swap_flips_and_shift_keeps(data, shift):
    pre = np.array([a for a, _ in data], float) * 4
    post = np.array([b for _, b in data], float) * 4
    if np.ptp(post - pre) == 0 or np.ptp(pre) == 0 or np.ptp(post) == 0:
        return
    for f in (es.d_z, es.d_av, es.g_av, es.d_rm):
        # abs: with r = 1 the factor sqrt(2 (1 - r)) is rounding noise around 0.
        assert f(post, pre) == pytest.approx(-f(pre, post), abs=1e-6)
        assert f(pre + shift, post + shift) == pytest.approx(f(pre, post), abs=1e-6)
    lo, hi = es.d_z_ci(es.d_z(pre, post), len(pre))
    lo_s, hi_s = es.d_z_ci(es.d_z(post, pre), len(pre))
    assert (lo_s, hi_s) == pytest.approx((-hi, -lo), abs=1e-7)
    rb = es.rank_biserial(post - pre)
    assert es.rank_biserial(pre - post)["rank_biserial"] == pytest.approx(
        -rb["rank_biserial"], nan_ok=True
    )
    assert es.cles_paired(pre - post) == pytest.approx(1 - es.cles_paired(post - pre))


def brute_force_hodges_lehmann(d) -> float:
    """Median of all n (n + 1) / 2 Walsh averages (d_i + d_j) / 2, i <= j, formed."""
    d = np.asarray(d, dtype=float)
    i, j = np.triu_indices(d.size)
    return float(np.median((d[i] + d[j]) / 2))


def test_hodges_lehmann_equals_brute_force_with_ties_zeros_and_rounding():
    rng = np.random.default_rng(616)
    for trial in range(600):
        n = int(rng.integers(1, 201))
        d = [
            rng.integers(-3, 4, size=n).astype(float),  # many ties and zeros
            4.0 * (rng.binomial(25, 0.93, size=n) - rng.binomial(25, 0.76, size=n)),
            np.round(rng.normal(size=n), 1),  # decimals whose sums round
            rng.normal(size=n) * 10.0 ** rng.integers(-6, 7),
        ][trial % 4]
        assert es.hodges_lehmann(d) == brute_force_hodges_lehmann(d), (trial, n)


def test_hodges_lehmann_memory_does_not_grow_with_n_squared():
    # 5,000 differences have 12,502,500 Walsh averages: 100 MB as float64, and the two
    # index arrays of np.triu_indices 200 MB more. The selection keeps O(n) arrays.
    d = np.random.default_rng(2).integers(-10, 30, size=5_000).astype(float)
    tracemalloc.start()
    es.hodges_lehmann(d)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20e6


# Hedges' g_z on differences 2, 4, 6, 8 (pre 10, 10, 10, 10): mean 5, SD sqrt(20 / 3),
# d_z = 5 / sqrt(20 / 3) = 1.936492; df = 3, J = 1 - 3 / (4 × 3 - 1) = 8 / 11 (Lakens 2013,
# eq. 4, written with df); g_z = 1.936492 × 8 / 11 = 1.408358.
G_Z_PRE = [10, 10, 10, 10]
G_Z_POST = [12, 14, 16, 18]
G_Z = 5 / math.sqrt(20 / 3) * (8 / 11)


def test_g_z_is_d_z_with_hedges_correction_by_hand():
    assert G_Z == pytest.approx(1.408358, abs=1e-6)
    assert es.g_z(es.d_z(G_Z_PRE, G_Z_POST), 4) == pytest.approx(G_Z, rel=1e-12)
    assert math.isnan(es.g_z(2.0, 2)) and math.isnan(es.g_z(math.nan, 10))


def test_g_z_is_in_the_paired_json_and_the_command_output(tmp_path, capsys):
    from analisis.cli import main
    from analisis.stats.summary import EFFECT_SIZE_DEFINITIONS, paired_summary

    summary, _ = paired_summary(G_Z_PRE, G_Z_POST)
    assert summary.to_dict()["effect_size"]["g_z"] == pytest.approx(G_Z, rel=1e-12)
    assert "g_z" in EFFECT_SIZE_DEFINITIONS
    csv = tmp_path / "scores.csv"
    csv.write_text(
        "pre,post\n" + "".join(f"{a},{b}\n" for a, b in zip(G_Z_PRE, G_Z_POST, strict=True))
    )
    assert main(["paired", str(csv), "--pre", "pre", "--post", "post", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["effect_size"]["g_z"] == pytest.approx(G_Z, rel=1e-12)
