"""Descriptive statistics of one phase and of the paired differences."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from analisis.stats._arrays import as_float_array


def describe(values, *, max_score: float | None = None) -> dict[str, float]:
    """Describe a sample: n, mean and its 95% t CI, SD, SE, median, quartiles, range, ceiling.

    SD uses ``ddof = 1``; SE = SD / sqrt(n). Quartiles are R's default type 7 (linear
    interpolation, numpy's default). ``share_at_max`` is the proportion of values equal to
    ``max_score`` (NaN when no maximum is given).

    Parameters
    ----------
    values : array_like
        Finite numbers.
    max_score : float, optional
        Scale maximum, for the ceiling share.

    Returns
    -------
    dict
        Keys ``n, mean, ci95_lower, ci95_upper, sd, se, median, q1, q3, min, max,
        share_at_max``; the CI is :func:`mean_ci` (NaN for fewer than 2 values).

    References
    ----------
    Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages.
    The American Statistician, 50(4), 361-365 (type 7).

    Examples
    --------
    >>> d = describe([60, 80, 100, 100], max_score=100)
    >>> d["n"], d["mean"], round(d["sd"], 4), d["median"], d["share_at_max"]
    (4, 85.0, 19.1485, 90.0, 0.5)
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
    }


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
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
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
