"""GRIM: can a mean, as printed, come from n scores on a grid?

A mean of n scores that are all multiples of a granule ``g`` (1 for integer scores,
``1/K`` for the average of K integer items, 4 for a 25-item test scored 4 points an
item) is ``g * T / n`` for some integer total ``T``.  A printed mean is *consistent*
when one such value rounds to it at the printed number of decimals.  All arithmetic
here is exact (:class:`fractions.Fraction`), so ties such as 1.125 are real ties and
the rounding convention decides them.

Rounding conventions (``rounding``):

* ``"half_up"`` (default): ties away from zero, as SPSS, Excel and most people print.
* ``"half_even"``: ties to the even digit (IEC 60559; R's ``round`` in principle,
  Python's ``round``).
* ``"half_down"``: ties toward zero.

Every result also carries the half-even verdict so that a reader sees when the
convention matters (e.g. "1.12" for n = 8: 9/8 = 1.125 prints 1.13 half up, 1.12
half even).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

ROUNDING_MODES = ("half_up", "half_even", "half_down")

T = TypeVar("T")


def parse_printed(printed: str, *, key: str = "mean") -> Decimal:
    """Read a number exactly as printed; a decimal comma is read as a decimal point.

    The value must be a string because trailing zeros count: ``"99.50"`` has two
    decimals, ``99.5`` (a float) has lost one.

    Raises
    ------
    TypeError
        If ``printed`` is not a string (the message names ``key``).
    ValueError
        If it is not a plain decimal number.

    Examples
    --------
    >>> parse_printed("99.50"), parse_printed("99,50"), parse_printed("76")
    (Decimal('99.50'), Decimal('99.50'), Decimal('76'))
    >>> parse_printed(99.5)
    Traceback (most recent call last):
    ...
    TypeError: mean must be the number as printed, as a string (e.g. "99.50"), got float 99.5
    """
    if not isinstance(printed, str):
        raise TypeError(
            f'{key} must be the number as printed, as a string (e.g. "99.50"), '
            f"got {type(printed).__name__} {printed!r}"
        )
    text = printed.strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{key} must be a decimal number, got {printed!r}") from None
    if not value.is_finite() or "e" in text.lower() or text.count(".") > 1:
        raise ValueError(f"{key} must be a plain decimal number, got {printed!r}")
    return value


def decimals_of(printed: str) -> int:
    """Number of decimals of a printed number (trailing zeros count).

    Examples
    --------
    >>> decimals_of("99.50"), decimals_of("76"), decimals_of("0,125")
    (2, 0, 3)
    """
    return max(0, -parse_printed(printed).as_tuple().exponent)


def parse_step(step: int | float | str | Fraction) -> Fraction:
    """Read a grid step (``4``, ``"2.5"``, ``"100/36"``) as an exact positive fraction.

    Floats are read through their shortest decimal representation (``2.5`` is 5/2).

    Examples
    --------
    >>> parse_step(4), parse_step("100/36"), parse_step(0.25)
    (Fraction(4, 1), Fraction(25, 9), Fraction(1, 4))
    """
    if isinstance(step, bool):
        raise ValueError(f"step must be a positive number, got {step!r}")
    try:
        value = Fraction(repr(step)) if isinstance(step, float) else Fraction(step)
    except (ValueError, ZeroDivisionError, TypeError):
        raise ValueError(f"step must be a positive number or fraction, got {step!r}") from None
    if value <= 0:
        raise ValueError(f"step must be positive, got {step!r}")
    return value


def round_fraction(x: Fraction, decimals: int, rounding: str = "half_up") -> Decimal:
    """Round an exact fraction to ``decimals`` places with an explicit tie rule.

    Parameters
    ----------
    x : Fraction
        The exact value.
    decimals : int
        Places after the decimal point (>= 0).
    rounding : {"half_up", "half_even", "half_down"}
        Tie rule; ``half_up`` and ``half_down`` are away from / toward zero.

    Examples
    --------
    >>> round_fraction(Fraction(9, 8), 2), round_fraction(Fraction(9, 8), 2, "half_even")
    (Decimal('1.13'), Decimal('1.12'))
    >>> round_fraction(Fraction(2288, 23), 2), round_fraction(Fraction(-1, 8), 2)
    (Decimal('99.48'), Decimal('-0.13'))
    """
    check_rounding(rounding)
    sign = -1 if x < 0 else 1
    scaled = abs(Fraction(x)) * 10**decimals
    floor = math.floor(scaled)
    rest = scaled - floor
    if rest > Fraction(1, 2):
        floor += 1
    elif rest == Fraction(1, 2):
        if rounding == "half_up" or (rounding == "half_even" and floor % 2 == 1):
            floor += 1
    return Decimal(sign * floor).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def check_rounding(rounding: str) -> None:
    """Raise ValueError unless ``rounding`` is one of :data:`ROUNDING_MODES`.

    Examples
    --------
    >>> check_rounding("half_even")
    """
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"rounding must be one of {ROUNDING_MODES}, got {rounding!r}")


def under_both_roundings(check: Callable[[str], T], rounding: str) -> tuple[T, T]:
    """``check(rounding)`` and ``check("half_even")``: the verdict as stated and under the
    other common convention (computed once when they are the same).

    Examples
    --------
    >>> under_both_roundings(lambda mode: mode.upper(), "half_up")
    ('HALF_UP', 'HALF_EVEN')
    """
    check_rounding(rounding)
    stated = check(rounding)
    return stated, stated if rounding == "half_even" else check("half_even")


def granule(items: int = 1, step: int | float | str | Fraction = 1) -> Fraction:
    """Smallest difference between two possible scores: ``step / items``.

    Examples
    --------
    >>> granule(), granule(items=3), granule(step=4)
    (Fraction(1, 1), Fraction(1, 3), Fraction(4, 1))
    """
    if not isinstance(items, int) or isinstance(items, bool) or items < 1:
        raise ValueError(f"items must be a positive integer, got {items!r}")
    return parse_step(step) / items


def unit_bounds(
    g: Fraction, score_min: float | None, score_max: float | None
) -> tuple[int | None, int | None]:
    """Bounds of a score in grid units (score = g * unit), or None where unbounded.

    Examples
    --------
    >>> unit_bounds(Fraction(4), 0, 100), unit_bounds(Fraction(1), None, None)
    ((0, 25), (None, None))
    """
    low = None if score_min is None else math.ceil(Fraction(repr(score_min)) / g)
    high = None if score_max is None else math.floor(Fraction(repr(score_max)) / g)
    if low is not None and high is not None and low > high:
        raise ValueError(f"no grid value lies between {score_min} and {score_max}")
    return low, high


@dataclass(frozen=True)
class GrimResult:
    """Outcome of a GRIM test; see :func:`grim`.

    ``totals`` are the possible sums in grid units (sum of scores / granule);
    ``nearest_below`` / ``nearest_above`` are the possible printed means closest to
    the printed one, strictly below and above (None where the bounds allow none).
    """

    mean: str
    n: int
    items: int
    step: Fraction
    decimals: int
    rounding: str
    consistent: bool
    consistent_half_even: bool
    nearest_below: Decimal | None
    nearest_above: Decimal | None
    totals: tuple[int, ...]

    def to_dict(self) -> dict:
        """JSON form: ``{"mean", "n", "items", "decimals", "consistent", "nearest", ...}``."""
        return {
            "mean": self.mean,
            "n": self.n,
            "items": self.items,
            "decimals": self.decimals,
            "consistent": self.consistent,
            "nearest": [_as_number(self.nearest_below), _as_number(self.nearest_above)],
            "step": step_text(self.step),
            "rounding": self.rounding,
            "consistent_half_even": self.consistent_half_even,
        }


def _as_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def step_text(step: Fraction) -> str:
    """A grid step as written in a config: ``"4"`` or ``"100/36"``.

    Examples
    --------
    >>> step_text(Fraction(4)), step_text(Fraction(25, 9))
    ('4', '25/9')
    """
    return str(step.numerator) if step.denominator == 1 else f"{step.numerator}/{step.denominator}"


def possible_totals(
    printed: Decimal,
    decimals: int,
    n: int,
    g: Fraction,
    rounding: str,
    units: tuple[int | None, int | None] = (None, None),
) -> tuple[int, ...]:
    """All totals T (grid units, within bounds) whose mean ``g*T/n`` prints as ``printed``.

    Examples
    --------
    >>> possible_totals(Decimal("76"), 0, 23, Fraction(4), "half_up", (0, 25))
    (435, 436, 437, 438, 439)
    >>> possible_totals(Decimal("99.50"), 2, 23, Fraction(1), "half_up")
    ()
    """
    half = Fraction(1, 2 * 10**decimals)
    target = Fraction(printed)
    low = math.floor((target - half) * n / g)
    high = math.ceil((target + half) * n / g)
    lo_unit, hi_unit = units
    if lo_unit is not None:
        low = max(low, lo_unit * n)
    if hi_unit is not None:
        high = min(high, hi_unit * n)
    return tuple(
        t for t in range(low, high + 1) if round_fraction(g * t / n, decimals, rounding) == printed
    )


def _nearest(
    printed: Decimal,
    decimals: int,
    n: int,
    g: Fraction,
    rounding: str,
    units: tuple[int | None, int | None],
    direction: int,
) -> Decimal | None:
    # Rounding is monotone in the mean, so walking the totals away from the printed
    # value finds the closest printed value that differs from it.
    lo_unit, hi_unit = units
    total = math.floor(Fraction(printed) * n / g) + (1 if direction < 0 else 0)
    if direction < 0 and hi_unit is not None:
        total = min(total, hi_unit * n)
    if direction > 0 and lo_unit is not None:
        total = max(total, lo_unit * n)
    while True:
        if (lo_unit is not None and total < lo_unit * n) or (
            hi_unit is not None and total > hi_unit * n
        ):
            return None
        value = round_fraction(g * total / n, decimals, rounding)
        if (value < printed) if direction < 0 else (value > printed):
            return value
        total += direction


def grim(
    mean: str,
    n: int,
    *,
    items: int = 1,
    step: int | float | str | Fraction = 1,
    rounding: str = "half_up",
    score_min: float | None = None,
    score_max: float | None = None,
) -> GrimResult:
    """GRIM test (Brown & Heathers 2017) of a mean as printed.

    The mean of n scores on a grid of granule ``g = step / items`` is ``g*T/n`` for an
    integer total T.  The printed mean M (d decimals) is consistent iff
    ``round(g*T/n, d) == M`` for some T (with ``score_min*n <= g*T <= score_max*n``
    when bounds are given).

    Parameters
    ----------
    mean : str
        The mean exactly as printed (``"99.50"``: the trailing zero counts).
    n : int
        Number of scores.
    items : int
        Scores are averages of this many integer items (1: integer scores).
    step : int, float, str or Fraction
        Scores (or item values) are multiples of ``step`` (4 for 25 items x 4 points).
    rounding : {"half_up", "half_even", "half_down"}
        Tie rule of the printed mean; the half-even verdict is reported as well.
    score_min, score_max : float, optional
        Bounds of a single score; they limit the possible totals and the nearest means.

    Returns
    -------
    GrimResult

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: A simple technique
    detects numerous anomalies in the reporting of results in psychology. *Social
    Psychological and Personality Science*, 8(4), 363-369.
    https://doi.org/10.1177/1948550616673876

    Examples
    --------
    >>> r = grim("99.50", 23)
    >>> r.consistent, str(r.nearest_below), str(r.nearest_above)
    (False, '99.48', '99.52')
    >>> grim("76", 23).consistent, grim("87.26", 23).consistent
    (True, True)
    >>> r = grim("99.50", 23, step=4, score_min=0, score_max=100)
    >>> r.consistent, str(r.nearest_below), str(r.nearest_above)
    (False, '99.48', '99.65')
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    printed = parse_printed(mean)
    decimals = max(0, -printed.as_tuple().exponent)
    g = granule(items, step)
    units = unit_bounds(g, score_min, score_max)
    totals, half_even = under_both_roundings(
        lambda mode: possible_totals(printed, decimals, n, g, mode, units), rounding
    )
    return GrimResult(
        mean=mean,
        n=n,
        items=items,
        step=parse_step(step),
        decimals=decimals,
        rounding=rounding,
        consistent=bool(totals),
        consistent_half_even=bool(half_even),
        nearest_below=_nearest(printed, decimals, n, g, rounding, units, -1),
        nearest_above=_nearest(printed, decimals, n, g, rounding, units, +1),
        totals=totals,
    )


def possible_n(
    mean: str,
    n: int,
    *,
    window: int = 5,
    items: int = 1,
    step: int | float | str | Fraction = 1,
    rounding: str = "half_up",
    score_min: float | None = None,
    score_max: float | None = None,
) -> list[int]:
    """Sample sizes within ``n - window ... n + window`` for which the printed mean is possible.

    Useful when a mean is GRIM-inconsistent: perhaps fewer (or more) people took
    that test than the paper says.

    Examples
    --------
    >>> possible_n("99.50", 23)
    [18, 20, 22, 24, 26, 28]
    >>> possible_n("99.50", 23, step=4, score_min=0, score_max=100)
    [24]
    """
    return [
        size
        for size in range(max(1, n - window), n + window + 1)
        if grim(
            mean,
            size,
            items=items,
            step=step,
            rounding=rounding,
            score_min=score_min,
            score_max=score_max,
        ).consistent
    ]
