"""GRIM and GRIMMER against the paper, the literature and hand calculation."""

import itertools
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import pytest

from analisis.review.grim import (
    decimals_of,
    grim,
    parse_printed,
    possible_n,
    possible_totals,
    round_fraction,
)
from analisis.review.grimmer import attainable, extreme_sample, grimmer, max_sum_of_squares


# --------------------------------------------------------------------- the paper
def test_paper_means_with_integer_scores():
    # 76 * 23 = 1748 exactly; 87.26 * 23 = 2006.98 -> 2007 / 23 = 87.2609 -> 87.26.
    assert grim("76", 23).consistent
    assert grim("87.26", 23).consistent
    # 99.50 * 23 = 2288.5: 2288 / 23 = 99.4783 -> 99.48, 2289 / 23 = 99.5217 -> 99.52.
    result = grim("99.50", 23)
    assert not result.consistent
    assert (result.nearest_below, result.nearest_above) == (Decimal("99.48"), Decimal("99.52"))
    assert result.decimals == 2
    assert result.to_dict() == {
        "mean": "99.50",
        "n": 23,
        "items": 1,
        "decimals": 2,
        "consistent": False,
        "nearest": [99.48, 99.52],
        "step": "1",
        "rounding": "half_up",
        "consistent_half_even": False,
    }


def test_paper_post_mean_on_the_four_point_grid():
    # Scores are 4 * (correct answers): means 4k/23.  k = 572 -> 2288/23 = 99.478 (99.48),
    # k = 573 -> 2292/23 = 99.652 (99.65); 99.50 would need k = 572.125.
    result = grim("99.50", 23, step=4, score_min=0, score_max=100)
    assert not result.consistent
    assert (str(result.nearest_below), str(result.nearest_above)) == ("99.48", "99.65")
    assert grim("99.48", 23, step=4).consistent
    # 76 on the grid: 4k/23 in [75.5, 76.5) for k = 435..439 (75.65 ... 76.35).
    assert grim("76", 23, step=4).totals == (435, 436, 437, 438, 439)


def test_possible_n_for_the_paper_post_mean():
    # 99.5 * n must be within n/200 of an integer: true for every even n (99.5 n is whole).
    # Odd n: 99.5 * 21 = 2089.5, 2089/21 = 99.476, 2090/21 = 99.524 -> impossible.
    assert possible_n("99.50", 23) == [18, 20, 22, 24, 26, 28]
    assert possible_n("99.50", 23, window=3) == [20, 22, 24, 26]
    # On the 4-point grid 4k/24 = 99.5 needs k = 597 <= 24 * 25 = 600: possible.
    assert possible_n("99.50", 23, step=4, score_min=0, score_max=100) == [24]


def test_bounds_remove_impossible_totals():
    # 4 scores of at most 10: a mean of 10.00 needs every score at 10; nothing above it.
    result = grim("10.00", 4, score_min=0, score_max=10)
    assert result.consistent and result.totals == (40,)
    assert result.nearest_above is None
    assert str(result.nearest_below) == "9.75"


# ----------------------------------------------------------------- the literature
@pytest.mark.parametrize(
    ("mean", "n", "consistent"),
    [
        # rsprite2 tests/testthat/test-core-and-plot-functions.R and GRIM_test() examples:
        # "A sample of 28 integers cannot result in a mean of 5.19" (closest 5.18).
        ("5.19", 28, False),
        # scrutiny vignette "GRIM": grim(x = "5.27", n = 43) is FALSE.
        ("5.27", 43, False),
        # Wikipedia "GRIM test": 20 die rolls cannot average 3.48 (only X.X0 or X.X5).
        ("3.48", 20, False),
        ("3.45", 20, True),
    ],
)
def test_published_single_cases(mean, n, consistent):
    assert grim(mean, n).consistent is consistent


def test_rsprite2_closest_mean():
    # rsprite2: GRIM_test(5.19, 28, return_values = TRUE) returns 5.18 (145/28 = 5.1786).
    assert str(grim("5.19", 28).nearest_below) == "5.18"
    # rsprite2: GRIM_test(5.18, 14, n_items = 2) is TRUE (145/28 = 5.1786 -> 5.18).
    assert grim("5.18", 14, items=2).consistent


def test_scrutiny_sequence_5_19_to_5_30():
    # scrutiny tests/testthat/test-grim.R: grim(seq_endpoint(5.19, 5.3), 28) gives
    # F F T F F F T F F F T F.
    means = [f"{5.19 + i / 100:.2f}" for i in range(12)]
    expected = [False, False, True, False, False, False, True, False, False, False, True, False]
    assert [grim(m, 28).consistent for m in means] == expected


def test_scrutiny_items_argument():
    # scrutiny tests/testthat/test-grim.R: grim(seq_endpoint(0.150, 0.159), 120, items = 3)
    # gives T F F T F F T F T F.
    means = [f"{0.150 + i / 1000:.3f}" for i in range(10)]
    expected = [True, False, False, True, False, False, True, False, True, False]
    assert [grim(m, 120, items=3).consistent for m in means] == expected


def test_scrutiny_items_two_needs_either_tie_direction():
    # scrutiny tests/testthat/test-grim.R: grim(seq_endpoint(0.80, 0.89), 28, items = 2)
    # with scrutiny's default rounding "up_or_down" gives T F T F T F T T T T.
    # 0.87 is consistent there only through a tie: 49/56 = 0.875 rounds down to 0.87.
    means = [f"{0.80 + i / 100:.2f}" for i in range(10)]
    expected = [True, False, True, False, True, False, True, True, True, True]
    either = [
        grim(m, 28, items=2).consistent or grim(m, 28, items=2, rounding="half_down").consistent
        for m in means
    ]
    assert either == expected
    assert not grim("0.87", 28, items=2).consistent  # half up: 0.875 prints 0.88


def test_scrutiny_pigs1():
    # scrutiny README: grim_map(pigs1) consistency column.
    pigs1 = [
        ("7.22", 32, True), ("4.74", 25, False), ("5.23", 29, False), ("2.57", 24, False),
        ("6.77", 27, False), ("2.68", 28, True), ("7.01", 29, False), ("7.38", 26, True),
        ("3.14", 27, False), ("6.89", 31, False), ("5.00", 25, True), ("0.24", 28, False),
    ]  # fmt: skip
    assert [grim(x, n).consistent for x, n, _ in pigs1] == [c for _, _, c in pigs1]


# ------------------------------------------------------------------------ rounding
def test_half_even_changes_a_verdict():
    # n = 8: 9/8 = 1.125 exactly.  Half up prints 1.13, half even 1.12 (the tie example
    # of Wikipedia's "GRIM test" article); 8/8 = 1.00 and 10/8 = 1.25 are the neighbours.
    result = grim("1.12", 8)
    assert not result.consistent
    assert result.consistent_half_even
    assert grim("1.12", 8, rounding="half_even").consistent
    assert grim("1.13", 8, rounding="half_even").consistent is False


def test_round_fraction_exact_ties():
    assert round_fraction(Fraction(9, 8), 2) == Decimal("1.13")
    assert round_fraction(Fraction(9, 8), 2, "half_even") == Decimal("1.12")
    assert round_fraction(Fraction(9, 8), 2, "half_down") == Decimal("1.12")
    assert round_fraction(Fraction(-9, 8), 2) == Decimal("-1.13")
    assert round_fraction(Fraction(3, 8), 2, "half_even") == Decimal("0.38")  # 0.375: 7 odd
    assert round_fraction(Fraction(5, 2), 0, "half_even") == Decimal("2")


def test_printed_values_must_be_strings():
    with pytest.raises(TypeError, match="mean must be the number as printed"):
        grim(99.5, 23)
    assert parse_printed("99,50") == Decimal("99.50")
    assert decimals_of("99.50") == 2 and decimals_of("76") == 0
    with pytest.raises(ValueError):
        parse_printed("1e3")


def test_possible_totals_by_hand():
    # Mean "2.5" of 4 integer scores: totals 10 (2.5) only; 9/4 = 2.25 -> 2.3, 11/4 -> 2.8.
    assert possible_totals(Decimal("2.5"), 1, 4, Fraction(1), "half_up") == (10,)


# ------------------------------------------------------------------------- GRIMMER
def test_grimmer_rsprite2_examples():
    # rsprite2 tests: GRIMMER_test(5.21, 1.6, 28) TRUE; GRIMMER_test(3.44, 2.47, 18) FALSE.
    assert grimmer("5.21", "1.6", 28).consistent
    assert not grimmer("3.44", "2.47", 18).consistent


def test_grimmer_scrutiny_pigs5():
    # scrutiny tests/testthat/test-grimmer-map.R: grimmer_map(pigs5) consistency and reason
    # ("GRIM inconsistent", "GRIMMER inconsistent (test 3)" = parity, "Passed all").
    pigs5 = [
        ("7.22", "5.30", 38, "grim"), ("4.74", "6.55", 31, "passed"),
        ("5.23", "2.55", 35, "parity"), ("2.57", "2.57", 30, "passed"),
        ("6.77", "2.18", 33, "grim"), ("2.68", "2.59", 34, "passed"),
        ("7.01", "6.68", 35, "grim"), ("7.38", "3.65", 32, "passed"),
        ("3.14", "5.32", 33, "grim"), ("6.89", "4.18", 37, "passed"),
        ("5.00", "2.18", 31, "passed"), ("0.24", "6.43", 34, "passed"),
    ]  # fmt: skip
    assert [grimmer(x, s, n).reason for x, s, n, _ in pigs5] == [r for *_, r in pigs5]


def test_grimmer_by_hand():
    # n = 3 integer scores, mean "2.00": total 6, SS = sum of squares, var = (SS - 36/3) / 2.
    # SD 1.00: var in [0.995^2, 1.005^2) -> SS in [13.98, 14.02] -> 14 (1, 2, 3), even: ok.
    assert grimmer("2.00", "1.00", 3).consistent
    # SD 1.73: var in [2.9756, 3.0102) -> SS 18 (1, 1, 4), even: ok.
    assert grimmer("2.00", "1.73", 3).consistent
    # SD 1.22: var in [1.4762, 1.5006) -> SS 15, odd, but the total 6 is even: parity fails.
    result = grimmer("2.00", "1.22", 3)
    assert not result.consistent and result.reason == "parity"
    # SD 0.50: var in [0.2450, 0.2550) -> SS in [12.49, 12.51]: no integer.
    assert grimmer("2.00", "0.50", 3).reason == "no_integer_sum_of_squares"
    # SD 0.71: var in [0.4970, 0.5112) -> SS 13, odd: parity fails.
    assert grimmer("2.00", "0.71", 3).reason == "parity"


def test_grimmer_bounds():
    # 4 scores in 0..10 with mean 5.00 (total 20): the largest SS is 0,0,10,10 -> 200,
    # var (200 - 100)/3 = 33.33, SD 5.77.  SD 6.00 (var 36 -> SS 208, even) passes the
    # sum-of-squares tests but not the bounds.
    assert max_sum_of_squares(20, 4, 0, 10) == 200
    assert extreme_sample(20, 4, 0, 10) == [0, 0, 10, 10]
    assert grimmer("5.00", "5.77", 4, score_min=0, score_max=10).consistent
    assert grimmer("5.00", "6.00", 4).consistent
    assert grimmer("5.00", "6.00", 4, score_min=0, score_max=10).reason == "outside_score_bounds"


def test_grimmer_half_even_changes_a_verdict():
    # "1.12" with n = 8 fails GRIM half up (9/8 = 1.125 prints 1.13) but passes half even.
    # Then (1, 1, 1, 1, 1, 1, 1, 2): SS 11 (odd, like the total 9),
    # var = (11 - 81/8) / 7 = 1/8, SD 0.3536 -> "0.35".
    result = grimmer("1.12", "0.35", 8)
    assert result.reason == "grim"
    assert result.consistent_half_even
    assert grimmer("1.12", "0.35", 8, rounding="half_even").consistent


def test_grimmer_rejects_a_sum_of_squares_between_the_bounds_that_no_sample_reaches():
    # 5 scores from 1 to 5 with mean 1.60 (total 8): (1,1,2,2,2), (1,1,1,2,3), (1,1,1,1,4)
    # have sums of squares 14, 16, 20.  SD 1.14 needs 18 (var 1.3, SD 1.140): parity and
    # the largest sum of squares (20) let it pass; no sample reaches it.
    assert [q for q in range(14, 21) if attainable(8, q, 5, 1, 5)] == [14, 16, 20]
    result = grimmer("1.60", "1.14", 5, score_min=1, score_max=5)
    assert not result.consistent and result.reason == "unattainable_sum_of_squares"
    # Without bounds (0, 1, 2, 2, 3) has total 8 and sum of squares 18.
    assert grimmer("1.60", "1.14", 5).consistent


def _printed_pairs(n: int, low: int, high: int) -> set[tuple[str, str]]:
    """Every (mean, SD) pair, printed to 2 decimals half even, of n integers in [low, high]."""
    pairs = set()
    with localcontext() as context:
        context.prec = 50
        cent = Decimal("0.01")
        for sample in itertools.combinations_with_replacement(range(low, high + 1), n):
            total, squares = sum(sample), sum(v * v for v in sample)
            mean = Decimal(total) / n
            variance = (Decimal(squares) - Decimal(total) ** 2 / n) / (n - 1)
            pairs.add(
                (
                    str(mean.quantize(cent, ROUND_HALF_EVEN)),
                    str(variance.sqrt().quantize(cent, ROUND_HALF_EVEN)),
                )
            )
    return pairs


@pytest.mark.parametrize("n", range(2, 9))
def test_grimmer_agrees_with_brute_force_on_a_bounded_scale(n):
    # Every sample of n scores from 1 to 4 (itertools.combinations_with_replacement);
    # every possible printed mean against every SD from 0.00 to just past the largest,
    # in steps of 0.01: GRIMMER must call exactly the pairs some sample gives possible.
    possible = _printed_pairs(n, 1, 4)
    means = sorted({mean for mean, _ in possible})
    top = max(int(Decimal(sd) * 100) for _, sd in possible)
    wrong = [
        (mean, sd)
        for mean in means
        for sd in (f"{k / 100:.2f}" for k in range(top + 3))
        if grimmer(mean, sd, n, score_min=1, score_max=4, rounding="half_even").consistent
        != ((mean, sd) in possible)
    ]
    assert wrong == []
