"""The SPRITE-style search over data sets consistent with printed means."""

import itertools
import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import stats

from analisis.review.grim import possible_totals, round_fraction
from analisis.review.grimmer import max_sum_of_squares
from analisis.review.robustness import (
    analytic_extremes,
    paired_t,
    pairings,
    robustness,
    sprite_samples,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "published_example.yaml"

SMALL = {
    "n": 4,
    "score_min": 0,
    "score_max": 10,
    "values": [
        {"quantity": "pre_mean", "printed": "5.00"},
        {"quantity": "post_mean", "printed": "7.50"},
    ],
}


@pytest.fixture(scope="module")
def paper_block():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]


@pytest.fixture(scope="module")
def paper_result(paper_block):
    return robustness(paper_block, n_samples=500, seed=7)


def test_paired_t_matches_r_on_the_sleep_data():
    # R, datasets::sleep: t.test(group2, group1, paired = TRUE): t = 4.0621, df = 9,
    # p = 0.002833, mean difference 1.58.
    g1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
    g2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
    t, p, d_z = paired_t(g2 - g1)
    assert float(t) == pytest.approx(4.0621, abs=5e-5)
    assert float(p) == pytest.approx(0.002833, abs=5e-7)
    assert float(d_z) == pytest.approx(4.0621 / math.sqrt(10), abs=5e-5)


def test_paired_t_lakens_movie_ratings():
    # Lakens (2013), Frontiers in Psychology 4:863, movie ratings: t(9) = 4.74, d_z = 1.50.
    movie1 = np.array([9, 7, 8, 9, 8, 9, 9, 10, 9, 9])
    movie2 = np.array([9, 6, 7, 8, 7, 9, 8, 8, 8, 7])
    t, _, d_z = paired_t(movie1 - movie2)
    assert round(float(t), 2) == 4.74 and round(float(d_z), 2) == 1.50


def test_paired_t_equal_differences():
    t, p, d_z = paired_t(np.array([[3.0, 3.0, 3.0], [0.0, 0.0, 0.0]]))
    assert np.isinf(t[0]) and p[0] == 0 and np.isinf(d_z[0])
    assert t[1] == 0 and d_z[1] == 0


def test_pairings_order_the_sd_of_differences():
    # Rearrangement inequality: for fixed samples, same-order pairing gives the smallest
    # sum of products (largest correlation) and the smallest SD of the differences,
    # opposite order the largest; every random pairing lies in between.
    rng = np.random.default_rng(3)
    pre = rng.integers(0, 26, size=(200, 9)) * 4.0
    post = rng.integers(0, 26, size=(200, 9)) * 4.0
    pre_p, post_p, labels = pairings(pre, post, rng, 20)
    sd = (post_p - pre_p).std(axis=2, ddof=1)
    assert labels[:2] == ["same order", "opposite order"]
    assert (sd[:, 0][:, None] <= sd[:, 2:] + 1e-9).all()
    assert (sd[:, 1][:, None] >= sd[:, 2:] - 1e-9).all()
    # Pairing only reorders: the samples are unchanged.
    assert np.array_equal(np.sort(post_p[:, 3], axis=1), np.sort(post, axis=1))


def test_sprite_samples_keep_mean_grid_and_bounds():
    # The paper's pre-test: mean "76" of 23 scores in steps of 4 (units 0..25).
    totals = possible_totals(Decimal("76"), 0, 23, Fraction(4), "half_up", (0, 25))
    rng = np.random.default_rng(11)
    chosen = rng.choice(np.array(totals), size=300)
    low_ss = np.array([min_ss(int(t), 23) for t in chosen])
    high_ss = np.array([max_sum_of_squares(int(t), 23, 0, 25) for t in chosen])
    target = low_ss + rng.random(300) * (high_ss - low_ss)
    units = sprite_samples(23, chosen, target, 0, 25, rng)
    assert units.dtype.kind == "i"
    assert ((units >= 0) & (units <= 25)).all()
    assert np.array_equal(units.sum(axis=1), chosen)
    for row in units:
        mean = Fraction(int(row.sum()) * 4, 23)
        assert round_fraction(mean, 0) == Decimal("76")
    # The search reaches its targets (sums of squares move in steps of 2 or more).
    ss = (units.astype(float) ** 2).sum(axis=1)
    assert np.median(np.abs(ss - target)) <= 2
    assert np.corrcoef(ss, target)[0, 1] > 0.999


def min_ss(total, n):
    q, k = divmod(total, n)
    return (n - k) * q * q + k * (q + 1) ** 2


def test_sprite_samples_reach_both_extremes():
    rng = np.random.default_rng(0)
    # total 20 of 4 values in 0..10: even (5, 5, 5, 5) SS 100, extreme (0, 0, 10, 10) SS 200.
    x = sprite_samples(4, np.array([20, 20]), np.array([100.0, 1e9]), 0, 10, rng)
    assert sorted(x[0].tolist()) == [5, 5, 5, 5]
    assert sorted(x[1].tolist()) == [0, 0, 10, 10]


def test_analytic_extremes_by_hand():
    # n = 4 scores in 0..10; pre total 20 (mean 5.00 is only 20/4), post total 30 (7.50).
    # Smallest t: pre (0, 0, 10, 10) against post (10, 10, 10, 0) in opposite order:
    # d = (10, 10, 0, -10), mean 2.5, squared deviations 56.25 + 56.25 + 6.25 + 156.25
    # = 275, var 275/3, t = 2.5 / sqrt(275/3/4) = 0.522233.
    # Largest t: differences as equal as possible, (2, 2, 3, 3): var 1/3,
    # t = 2.5 / sqrt(1/3/4) = 5 * sqrt(3) = 8.660254.
    result = analytic_extremes(4, (20,), (30,), (Fraction(1), 0, 10), (Fraction(1), 0, 10))
    assert result["worst"]["t"] == pytest.approx(2.5 / math.sqrt(275 / 3 / 4), rel=1e-12)
    assert result["best"]["t"] == pytest.approx(5 * math.sqrt(3), rel=1e-12)
    assert sorted(result["worst"]["pre_scores"]) == [0, 0, 10, 10]


def brute_force_t_range(n, low, high, pre_totals, post_totals):
    """Every pre tuple, every post tuple: the exact range of the paired t."""
    values = range(low, high + 1)
    pres = [p for p in itertools.product(values, repeat=n) if sum(p) in pre_totals]
    posts = [p for p in itertools.product(values, repeat=n) if sum(p) in post_totals]
    d = np.array(posts, dtype=float)[None, :, :] - np.array(pres, dtype=float)[:, None, :]
    t, _, _ = paired_t(d)
    return float(t.min()), float(t.max())


def test_search_reaches_the_exhaustive_minimum():
    # n = 3 scores in 0..6; pre mean "2.7" (totals 8: 2.67), post mean "5.0" (15: 5.00).
    # Exhaustive enumeration of all 7^3 x 7^3 pairs of tuples gives the true t range.
    block = {
        "n": 3,
        "score_min": 0,
        "score_max": 6,
        "values": [
            {"quantity": "pre_mean", "printed": "2.7"},
            {"quantity": "post_mean", "printed": "5.0"},
        ],
    }
    t_min, t_max = brute_force_t_range(3, 0, 6, {8}, {15})
    result = robustness(block, n_samples=300, seed=5)
    assert result["inputs"]["pre"]["totals"] == [8]
    assert result["t"]["min"] == pytest.approx(t_min, rel=1e-12)
    assert result["analytic"]["t_min"] == pytest.approx(t_min, rel=1e-12)
    assert result["analytic"]["search_reached_t_min"] is True
    assert (result["t"]["max"] is None) == math.isinf(t_max)


def test_search_reaches_the_minimum_with_several_totals():
    # Mean "2.5" of 4 integer scores in 0..5 allows totals 10 only (9/4 = 2.25 -> 2.3,
    # 11/4 = 2.75 -> 2.8); "3.6" allows none -> nearest 3.5 (14) and 3.8 (15) are used.
    block = {
        "n": 4,
        "score_min": 0,
        "score_max": 5,
        "values": [
            {"quantity": "pre_mean", "printed": "2.5"},
            {"quantity": "post_mean", "printed": "3.6"},
        ],
    }
    result = robustness(block, n_samples=500, seed=2)
    assert result["inputs"]["post"]["targets"] == ["3.5", "3.8"]
    assert result["inputs"]["post"]["totals"] == [14, 15]
    t_min, _ = brute_force_t_range(4, 0, 5, {10}, {14, 15})
    assert result["t"]["min"] == pytest.approx(t_min, rel=1e-12)
    assert result["analytic"]["search_reached_t_min"] is True
    assert any("3.6 is impossible" in note for note in result["notes"])


def test_small_example_values(paper_block):
    result = robustness(SMALL, n_samples=100, seed=1)
    assert result["t"]["min"] == pytest.approx(0.522233, abs=1e-6)
    assert result["t"]["max"] == pytest.approx(8.660254, abs=1e-6)
    assert result["significant_in_every_case"] is False
    assert result["worst_case"]["source"] == "analytic"


def test_paper_worst_case(paper_result):
    # Worst case by hand: pre = five 0s, one 56, seventeen 100s (sum 1756, mean 76.35,
    # prints 76); post = twenty-two 100s and one 88 (sum 2288, mean 99.48), in opposite
    # order: d = five 100s, 44, sixteen 0s, -12.  mean d = 532/23 = 23.1304;
    # sum d^2 = 52080; SD = sqrt((52080 - 532^2/23) / 22) = 42.5198; t = 2.6089.
    worst = paper_result["worst_case"]
    assert sorted(worst["pre_scores"]) == [0.0] * 5 + [56.0] + [100.0] * 17
    assert sorted(worst["post_scores"]) == [88.0] + [100.0] * 22
    sd = math.sqrt((52080 - 532**2 / 23) / 22)
    assert worst["sd_difference"] == pytest.approx(sd, rel=1e-12)
    assert worst["t"] == pytest.approx((532 / 23) / (sd / math.sqrt(23)), rel=1e-12)
    assert round(worst["t"], 4) == 2.6089
    check = stats.ttest_rel(worst["post_scores"], worst["pre_scores"])
    assert worst["p"] == pytest.approx(check.pvalue, rel=1e-9)
    assert paper_result["t"]["min"] == pytest.approx(worst["t"], rel=1e-12)
    assert paper_result["p"]["max"] == pytest.approx(check.pvalue, rel=1e-9)
    assert paper_result["significant_in_every_case"] is True
    assert paper_result["analytic"]["search_reached_t_min"] is True


def test_paper_alpha_001_is_not_met(paper_block):
    result = robustness(paper_block, n_samples=100, seed=7, alpha=0.01)
    assert result["significant_in_every_case"] is False


def test_paper_uses_nearest_possible_post_means(paper_result):
    post = paper_result["inputs"]["post"]
    assert post["targets"] == ["99.48", "99.65"]
    assert post["totals"] == [572, 573]
    assert paper_result["inputs"]["pre"]["totals"] == [435, 436, 437, 438, 439]
    assert any("99.50 is impossible" in note for note in paper_result["notes"])
    # 573 - 435 = 138 = 6 * 23 units: all differences can be 24 points, so t is unbounded.
    assert paper_result["t"]["max"] is None


def test_keys_and_json(paper_result):
    assert set(paper_result) == {
        "inputs", "n_datasets", "n_rejected_by_sd_range", "n_cases",
        "stopped_by_time_limit", "t", "p", "d_z", "analytic",
        "significant_in_every_case", "worst_case", "notes",
    }  # fmt: skip
    assert set(paper_result["d_z"]) == {"min", "max", "values", "quantiles"}
    assert paper_result["n_datasets"] == 500
    assert paper_result["n_cases"] == 500 * 5
    assert len(paper_result["d_z"]["values"]) <= 2500
    json.dumps(paper_result, allow_nan=False)


def test_reproducible_with_a_seed(paper_block):
    first = robustness(paper_block, n_samples=300, seed=42)
    second = robustness(paper_block, n_samples=300, seed=42)
    other = robustness(paper_block, n_samples=300, seed=43)
    assert first == second
    assert first["d_z"]["values"] != other["d_z"]["values"]


def test_time_limit_and_progress(paper_block):
    calls = []
    result = robustness(
        paper_block, n_samples=600, seed=1, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(250, 600), (500, 600), (600, 600)]
    stopped = robustness(paper_block, n_samples=600, seed=1, time_limit_s=1e-9)
    assert stopped["stopped_by_time_limit"] is True
    assert stopped["n_datasets"] == 0
    # The analytic worst case still decides the verdict.
    assert stopped["significant_in_every_case"] is result["significant_in_every_case"] is True


def test_sd_ranges_are_respected(paper_block):
    block = dict(paper_block, robustness={"pre_sd": [10, 20], "post_sd": [0, 3]})
    result = robustness(block, n_samples=300, seed=3)
    assert result["analytic"]["exact"] is False
    worst = result["worst_case"]
    assert worst["source"] == "search"
    assert 10 <= worst["pre_sd"] <= 20 and worst["post_sd"] <= 3
    # Narrower pre SDs than the unconstrained worst case (42.14) give a larger smallest t.
    assert result["t"]["min"] > 2.6089
