"""Descriptive statistics of one phase and of the paired differences."""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats

from analisis.stats._arrays import as_float_array

#: Share of scores at the scale's maximum (minimum) from which a phase has a ceiling
#: (floor) effect: 15% (Terwee et al. 2007, J Clin Epidemiol 60:34-42, criterion 6).
CEILING_FLOOR_SHARE = 0.15


def describe(
    values, *, max_score: float | None = None, min_score: float | None = None
) -> dict[str, float]:
    """Describe a sample: n, mean and its 95% t CI, SD, SE, median, quartiles, range, ceiling.

    SD uses ``ddof = 1``; SE = SD / sqrt(n). Quartiles are R's default type 7 (linear
    interpolation, numpy's default). ``share_at_max`` is the proportion of values equal to
    ``max_score`` (NaN when no maximum is given), ``share_at_min`` the proportion equal to
    ``min_score`` (NaN when no minimum is given).

    Parameters
    ----------
    values : array_like
        Finite numbers.
    max_score : float, optional
        Scale maximum, for the ceiling share.
    min_score : float, optional
        Scale minimum, for the floor share.

    Returns
    -------
    dict
        Keys ``n, mean, ci95_lower, ci95_upper, sd, se, median, q1, q3, min, max,
        share_at_max, share_at_min``; the CI is :func:`mean_ci` (NaN for fewer than 2
        values).

    References
    ----------
    Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages.
    The American Statistician, 50(4), 361-365 (type 7).

    Examples
    --------
    >>> d = describe([0, 80, 100, 100], max_score=100, min_score=0)
    >>> d["n"], d["mean"], d["median"], d["share_at_max"], d["share_at_min"]
    (4, 70.0, 90.0, 0.5, 0.25)
    """
    x = as_float_array(values)
    n = x.size
    sd = float(np.std(x, ddof=1)) if n > 1 else math.nan
    q1, median, q3 = (float(q) for q in np.quantile(x, [0.25, 0.5, 0.75])) if n else (math.nan,) * 3
    ci_lower, ci_upper = mean_ci(x) if n > 1 else (math.nan, math.nan)
    return {
        "n": int(n),
        "mean": float(np.mean(x)) if n else math.nan,
        "ci95_lower": ci_lower,
        "ci95_upper": ci_upper,
        "sd": sd,
        "se": sd / math.sqrt(n) if n > 1 else math.nan,
        "median": median,
        "q1": q1,
        "q3": q3,
        "min": float(np.min(x)) if n else math.nan,
        "max": float(np.max(x)) if n else math.nan,
        "share_at_max": float(np.mean(x == max_score)) if max_score is not None and n else math.nan,
        "share_at_min": float(np.mean(x == min_score)) if min_score is not None and n else math.nan,
    }


def ceiling_floor(
    values, *, min_score: float, max_score: float, threshold: float = CEILING_FLOOR_SHARE
) -> dict[str, object]:
    """Shares of scores at the scale's ends and whether they make a ceiling or floor effect.

    ceiling = share(x == max_score) >= ``threshold``; floor = share(x == min_score) >=
    ``threshold``. At 15% (the default) a ceiling or floor effect is present by Terwee et
    al.'s quality criterion: scores at the end of the scale cannot show further change,
    and their spread is compressed (so SD-standardised effect sizes such as d_av grow).

    Returns
    -------
    dict
        ``share_at_max``, ``share_at_min`` (NaN for an empty sample), ``ceiling``,
        ``floor`` (bool).

    References
    ----------
    Terwee, C. B., Bot, S. D. M., de Boer, M. R., et al. (2007). Quality criteria were
    proposed for measurement properties of health status questionnaires. Journal of
    Clinical Epidemiology, 60(1), 34-42.

    Examples
    --------
    3 of 20 scores (15%) at 100 is a ceiling; 2 of 20 (10%) at 0 is not a floor:

    >>> c = ceiling_floor([100] * 3 + [0] * 2 + [50] * 15, min_score=0, max_score=100)
    >>> c["share_at_max"], c["ceiling"], c["share_at_min"], c["floor"]
    (0.15, True, 0.1, False)
    """
    x = as_float_array(values)
    at_max = float(np.mean(x == max_score)) if x.size else math.nan
    at_min = float(np.mean(x == min_score)) if x.size else math.nan
    return {
        "share_at_max": at_max,
        "share_at_min": at_min,
        "ceiling": bool(at_max >= threshold),
        "floor": bool(at_min >= threshold),
    }


def crosses_scale(interval, *, min_score: float, max_score: float) -> bool:
    """Whether an interval reaches beyond the scale [min_score, max_score].

    A t interval of a mean is symmetric (mean ± t·SE), so for a mean near the end of a
    bounded scale it can include values no mean of these scores can take.

    Examples
    --------
    The mean after training in the bundled study, 99.48 with t interval [98.88, 100.07]:

    >>> crosses_scale([98.88, 100.07], min_score=0, max_score=100)
    True
    >>> crosses_scale([72.42, 79.58], min_score=0, max_score=100)
    False
    """
    lower, upper = (float(v) for v in interval)
    return bool(lower < min_score or upper > max_score)


@functools.cache
def t_quantile(probability: float, df: int) -> float:
    """Student's t quantile (scipy ``t.ppf``), kept per (probability, df): the groups and
    villages of a programme ask for the same few degrees of freedom thousands of times.

    Examples
    --------
    >>> round(t_quantile(0.975, 2), 6)
    4.302653
    """
    return float(stats.t.ppf(probability, df))


def mean_ci(values, confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided t confidence interval of a mean: mean ± t(1 - a/2, n - 1) · SD / sqrt(n).

    Applied to paired differences this is the interval R's ``t.test(post, pre,
    paired = TRUE)`` prints.

    Examples
    --------
    Differences 1, 2, 3: mean 2, SD 1, SE 1/sqrt(3), t(0.975, 2) = 4.302653:

    >>> [round(v, 4) for v in mean_ci([1, 2, 3])]
    [-0.4841, 4.4841]
    """
    x = as_float_array(values)
    n = x.size
    if n < 2:
        return (math.nan, math.nan)
    se = float(np.std(x, ddof=1)) / math.sqrt(n)
    half = t_quantile(0.5 + confidence / 2, n - 1) * se
    mean = float(np.mean(x))
    return (mean - half, mean + half)


def difference_summary(differences, confidence: float = 0.95) -> dict[str, object]:
    """Mean, SD and two-sided CI of the paired differences (post - pre).

    Examples
    --------
    >>> s = difference_summary([1, 2, 3])
    >>> s["mean"], s["sd"], [round(v, 2) for v in s["ci95"]]
    (2.0, 1.0, [-0.48, 4.48])
    """
    x = as_float_array(differences)
    return {
        "mean": float(np.mean(x)) if x.size else math.nan,
        "sd": float(np.std(x, ddof=1)) if x.size > 1 else math.nan,
        "ci95": list(mean_ci(x, confidence)),
    }
