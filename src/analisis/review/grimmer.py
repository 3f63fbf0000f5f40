"""GRIMMER: can a standard deviation, as printed, come with that mean and n?

For scores ``g * u_i`` with integer ``u_i`` (see :mod:`analisis.review.grim`), the total
``T = sum u_i`` and the sum of squares ``Q = sum u_i**2`` are integers, and the sample
variance is ``g**2 * (Q - T**2 / n) / (n - 1)``.  A printed SD is possible only if, for
some total T that passes GRIM, an integer Q exists such that

1. Q lies in the range implied by the SD's rounding interval and is at least the
   smallest sum of squares of n integers with total T (all as equal as possible);
2. the SD it gives rounds to the printed SD;
3. Q has the parity of T (``u**2`` and ``u`` are both odd or both even);

and, when score bounds are given, Q is at most the largest sum of squares the bounds
allow (all scores at the bounds but one).  These are necessary conditions, not
sufficient ones (for n < 5 some sums of squares that pass are still unattainable).

The SD is the sample SD (divisor n - 1).  Rounding follows the same tie rules as
:func:`analisis.review.grim.grim`; all arithmetic is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analisis.review.grim import (
    check_rounding,
    granule,
    parse_printed,
    parse_step,
    possible_totals,
    under_both_roundings,
    unit_bounds,
)

#: Reasons, in the order the conditions are tested (Allard 2018's tests 1-3, then bounds).
REASONS = (
    "passed",
    "grim",
    "no_integer_sum_of_squares",
    "sd_does_not_round",
    "parity",
    "outside_score_bounds",
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
            if not any(q <= max_sum_of_squares(total, n, low, high) for q in right_parity):
                continue
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
    """GRIMMER test of a printed mean and SD (Anaya 2016; analytic form of Allard 2018).

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
        "outside_score_bounds") or "passed".

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
