"""GRIMMER: can a standard deviation, as printed, come with that mean and n?

For scores ``g * u_i`` with integer ``u_i`` (see :mod:`analisis.review.grim`), the total
``T = sum u_i`` and the sum of squares ``Q = sum u_i**2`` are integers, and the sample
variance is ``g**2 * (Q - T**2 / n) / (n - 1)``.  A printed SD is possible if and only
if, for some total T that passes GRIM, an integer Q exists such that

1. Q lies in the range implied by the SD's rounding interval and is at least the
   smallest sum of squares of n integers with total T (all as equal as possible);
2. the SD it gives rounds to the printed SD;
3. Q has the parity of T (``u**2`` and ``u`` are both odd or both even);
4. when score bounds are given, Q is at most the largest sum of squares the bounds
   allow (all scores at the bounds but one);
5. some n integers (within the bounds, if any) have sum T and sum of squares Q.

Tests 1-4 are the necessary conditions of Anaya (2016) and Allard (2018); they are not
sufficient: near the smallest and the largest sum of squares some values between them
cannot be reached.  For 5 scores from 1 to 5 with total 8 the samples are (1, 1, 2, 2, 2),
(1, 1, 1, 2, 3) and (1, 1, 1, 1, 4), so Q is 14, 16 or 20 and never 18, although 18 passes
tests 1-4.  Test 5 decides it exactly by a depth-first search over the sorted samples
(:func:`attainable`), pruned by the smallest and largest Q of what remains to choose.

The SD is the sample SD (divisor n - 1).  Rounding follows the same tie rules as
:func:`analisis.review.grim.grim`; all arithmetic is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache

from analisis.review.grim import (
    check_rounding,
    granule,
    parse_printed,
    parse_step,
    possible_totals,
    under_both_roundings,
    unit_bounds,
)

#: Reasons, in the order the conditions are tested (Allard 2018's tests 1-3, the bounds,
#: then whether any sample reaches the sum of squares).
REASONS = (
    "passed",
    "grim",
    "no_integer_sum_of_squares",
    "sd_does_not_round",
    "parity",
    "outside_score_bounds",
    "unattainable_sum_of_squares",
)


def round_sqrt_fraction(value: Fraction, decimals: int, rounding: str = "half_up") -> Decimal:
    """Round ``sqrt(value)`` to ``decimals`` places exactly (ties only when the root is rational).

    Examples
    --------
    >>> round_sqrt_fraction(Fraction(2), 3), round_sqrt_fraction(Fraction(25, 16), 1)
    (Decimal('1.414'), Decimal('1.3'))
    >>> round_sqrt_fraction(Fraction(25, 16), 1, "half_even")
    Decimal('1.2')
    """
    check_rounding(rounding)
    if value < 0:
        raise ValueError("cannot take the square root of a negative number")
    scaled = Fraction(value) * 10 ** (2 * decimals)
    root = math.isqrt(math.floor(scaled))
    midpoint = (Fraction(2 * root + 1, 2)) ** 2
    if scaled > midpoint or (
        scaled == midpoint and (rounding == "half_up" or (rounding == "half_even" and root % 2))
    ):
        root += 1
    return Decimal(root).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def min_sum_of_squares(total: int, n: int) -> int:
    """Smallest sum of squares of n integers summing to ``total`` (as equal as possible).

    Examples
    --------
    >>> min_sum_of_squares(7, 3)  # 2, 2, 3
    17
    """
    q, k = divmod(total, n)
    return (n - k) * q * q + k * (q + 1) ** 2


def max_sum_of_squares(total: int, n: int, low: int, high: int) -> int:
    """Largest sum of squares of n integers in ``[low, high]`` summing to ``total``.

    All values sit at a bound except at most one (a vertex of the feasible polytope;
    the sum of squares is convex, so its maximum is at a vertex).

    Examples
    --------
    >>> max_sum_of_squares(7, 3, 0, 5)  # 5, 2, 0
    29
    """
    return sum(v * v for v in extreme_sample(total, n, low, high))


def extreme_sample(total: int, n: int, low: int, high: int) -> list[int]:
    """The most spread-out n integers in ``[low, high]`` with sum ``total``, ascending.

    Examples
    --------
    >>> extreme_sample(7, 3, 0, 5)
    [0, 2, 5]
    """
    if not n * low <= total <= n * high:
        raise ValueError(f"total {total} impossible for {n} values in [{low}, {high}]")
    if high == low:
        return [low] * n
    n_high, rest = divmod(total - n * low, high - low)
    values = [high] * n_high
    if n_high < n:
        values.append(low + rest)
    values += [low] * (n - len(values))
    return sorted(values)


def attainable(
    total: int, square_sum: int, n: int, low: int | None = None, high: int | None = None
) -> bool:
    """Whether some n integers in ``[low, high]`` have this sum and this sum of squares.

    Exact: without bounds the values are confined to ``|u - T/n| <= sqrt((n-1)/n * D)``
    with ``D = Q - T**2/n`` (one value's deviation is largest when all the others are
    equal), so the search is always finite.  It picks the values from the largest down
    and abandons a branch once the square sum left is outside the smallest and largest
    square sums of the values left to choose.

    Parameters
    ----------
    total, square_sum : int
        T and Q, in grid units.
    n : int
        Number of values.
    low, high : int or None
        Bounds of a value; None where unbounded.

    Examples
    --------
    >>> [q for q in range(12, 22) if attainable(8, q, 5, 1, 5)]  # n = 5, scores 1..5
    [14, 16, 20]
    >>> attainable(6, 14, 3), attainable(6, 16, 3)  # (1, 2, 3); 16 would need 2 +- sqrt(2)
    (True, False)
    """
    deviation = Fraction(square_sum) - Fraction(total * total, n)
    if deviation < 0:
        return False
    reach = math.sqrt(float(deviation * (n - 1) / n))
    centre = total / n
    # One unit of slack on each side: the float root only has to contain the true range.
    lowest, highest = math.floor(centre - reach) - 1, math.ceil(centre + reach) + 1
    low = lowest if low is None else max(low, lowest)
    high = highest if high is None else min(high, highest)
    if low > high:
        return False
    shifted = total - n * low
    # Shift to values in [0, high - low]: sum (u - low)**2 = Q - 2 low T + n low**2.
    return _fits(n, shifted, square_sum - 2 * low * total + n * low * low, high - low)


@cache
def _fits(k: int, s: int, q: int, cap: int) -> bool:
    """k values in [0, cap], non-increasing, with sum s and sum of squares q."""
    if k == 0:
        return s == 0 and q == 0
    if not 0 <= s <= k * cap or (q - s) % 2:
        return False
    smallest, largest = min_sum_of_squares(s, k), max_sum_of_squares(s, k, 0, cap)
    if not smallest <= q <= largest:
        return False
    if q in (smallest, largest):
        return True
    first_at_least = -(-s // k)  # the largest value is at least the mean
    return any(
        _fits(k - 1, s - v, q - v * v, v) for v in range(min(cap, s), first_at_least - 1, -1)
    )


@dataclass(frozen=True)
class GrimmerResult:
    """Outcome of :func:`grimmer`; ``reason`` is one of :data:`REASONS`."""

    mean: str
    sd: str
    n: int
    items: int
    step: Fraction
    rounding: str
    consistent: bool
    reason: str
    consistent_half_even: bool

    def to_dict(self) -> dict:
        """JSON form of the GRIMMER part of ``analisis grim --sd``."""
        return {
            "sd": self.sd,
            "grimmer_consistent": self.consistent,
            "grimmer_reason": self.reason,
            "grimmer_consistent_half_even": self.consistent_half_even,
        }


def _grimmer_reason(
    mean: Decimal,
    sd: Decimal,
    n: int,
    g: Fraction,
    rounding: str,
    units: tuple[int | None, int | None],
) -> str:
    mean_decimals = max(0, -mean.as_tuple().exponent)
    sd_decimals = max(0, -sd.as_tuple().exponent)
    totals = possible_totals(mean, mean_decimals, n, g, rounding, units)
    if not totals:
        return "grim"
    half = Fraction(1, 2 * 10**sd_decimals)
    sd_low = max(Fraction(0), Fraction(sd) - half)
    sd_high = Fraction(sd) + half
    furthest = 1
    for total in totals:
        centre = Fraction(total * total, n)
        q_low = max(math.ceil(centre + (n - 1) * sd_low**2 / g**2), min_sum_of_squares(total, n))
        q_high = math.floor(centre + (n - 1) * sd_high**2 / g**2)
        if q_low > q_high:
            continue
        furthest = max(furthest, 2)
        rounds = [
            q
            for q in range(q_low, q_high + 1)
            if round_sqrt_fraction(g**2 * (q - centre) / (n - 1), sd_decimals, rounding) == sd
        ]
        if not rounds:
            continue
        furthest = max(furthest, 3)
        right_parity = [q for q in rounds if (q - total) % 2 == 0]
        if not right_parity:
            continue
        furthest = max(furthest, 4)
        low, high = units
        if low is not None and high is not None:
            right_parity = [q for q in right_parity if q <= max_sum_of_squares(total, n, low, high)]
            if not right_parity:
                continue
        furthest = max(furthest, 5)
        if any(attainable(total, q, n, low, high) for q in right_parity):
            return "passed"
    return REASONS[furthest + 1]


def grimmer(
    mean: str,
    sd: str,
    n: int,
    *,
    items: int = 1,
    step: int | float | str | Fraction = 1,
    rounding: str = "half_up",
    score_min: float | None = None,
    score_max: float | None = None,
) -> GrimmerResult:
    """GRIMMER test of a printed mean and SD, exact (see the module docstring).

    Allard's (2018) analytic tests first, then a search for a sample that reaches the
    sum of squares; the SD is possible if and only if some sample of n scores on the
    grid (within the bounds) has the printed mean and SD.

    Parameters
    ----------
    mean, sd : str
        Mean and sample SD exactly as printed (strings: trailing zeros count).
    n : int
        Number of scores (n >= 2).
    items, step, rounding, score_min, score_max
        As in :func:`analisis.review.grim.grim`.

    Returns
    -------
    GrimmerResult
        ``reason`` names the first condition that no candidate total passed
        ("grim", "no_integer_sum_of_squares", "sd_does_not_round", "parity",
        "outside_score_bounds", "unattainable_sum_of_squares") or "passed".

    References
    ----------
    Anaya, J. (2016). The GRIMMER test: A method for testing the validity of reported
    measures of variability. *PeerJ Preprints* 4:e2400v1.
    https://doi.org/10.7287/peerj.preprints.2400v1

    Allard, A. (2018). Analytic-GRIMMER: a new way of testing the possibility of
    standard deviations. https://aurelienallard.netlify.app/post/anaytic-grimmer-possibility-standard-deviations/

    Examples
    --------
    >>> grimmer("5.21", "1.60", 28).consistent, grimmer("3.44", "2.47", 18).reason
    (True, 'parity')
    >>> grimmer("99.50", "1.00", 23).reason
    'grim'
    >>> grimmer("1.60", "1.14", 5, score_min=1, score_max=5).reason  # Q = 18 unreachable
    'unattainable_sum_of_squares'
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n must be an integer >= 2 for a sample SD, got {n!r}")
    mean_value = parse_printed(mean, key="mean")
    sd_value = parse_printed(sd, key="sd")
    if sd_value < 0:
        raise ValueError(f"sd must not be negative, got {sd!r}")
    g = granule(items, step)
    units = unit_bounds(g, score_min, score_max)
    reason, half_even = under_both_roundings(
        lambda mode: _grimmer_reason(mean_value, sd_value, n, g, mode, units), rounding
    )
    return GrimmerResult(
        mean=mean,
        sd=sd,
        n=n,
        items=items,
        step=parse_step(step),
        rounding=rounding,
        consistent=reason == "passed",
        reason=reason,
        consistent_half_even=half_even == "passed",
    )
