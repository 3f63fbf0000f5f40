"""Effect sizes for paired (pre/post) data, each named exactly as Lakens (2013) names it.

Library trap: ``pingouin.ttest(paired=True)["cohen_d"]`` is an average-SD d (root mean
square of the two SDs), not d_z; nothing here is called ``cohen_d``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

from analisis.stats._arrays import as_float_array, paired_arrays


def d_z(pre, post) -> float:
    """Cohen's d_z: mean(post - pre) / SD(post - pre) = t / sqrt(n).

    NaN when the SD of the differences is 0 (every difference equal).

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. Frontiers in Psychology, 4, 863, eq. 7.

    Examples
    --------
    Differences 1, 2, 3: mean 2, SD 1, so d_z = 2:

    >>> d_z([0, 0, 0], [1, 2, 3])
    2.0
    """
    x, y = paired_arrays(pre, post)
    diff = y - x
    sd = float(np.std(diff, ddof=1)) if diff.size > 1 else math.nan
    return float(np.mean(diff)) / sd if sd > 0 else math.nan


def d_z_ci(d_z_value: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval of d_z from the noncentral t distribution (as MOTE and JASP).

    With t = d_z · sqrt(n) and df = n - 1, the limits are the noncentrality parameters
    ``ncp`` with ``P(T <= t | ncp) = 1 - a/2`` and ``= a/2``, divided by sqrt(n).

    References
    ----------
    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
    evaluation of statistical models. In *What if there were no significance tests?*
    Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and calculation
    of confidence intervals that are based on central and noncentral distributions.
    Educational and Psychological Measurement, 61(4), 532-574.

    Examples
    --------
    The interval is symmetric around 0 when d_z = 0:

    >>> lo, hi = d_z_ci(0.0, 10)
    >>> round(lo, 4) == -round(hi, 4), round(hi, 2)
    (True, 0.62)
    """
    if not math.isfinite(d_z_value) or n < 2:
        return (math.nan, math.nan)
    df = n - 1
    t = d_z_value * math.sqrt(n)
    alpha = 1 - confidence

    def limit(target: float) -> float:
        def f(ncp: float) -> float:
            # scipy.stats.nct.cdf(t, df, ncp) is this ufunc behind argument checks that
            # cost more than it does (a solve per limit, two limits per village).
            return float(special.nctdtr(df, ncp, t)) - target

        # P(T <= t | ncp) falls as ncp grows: widen the bracket until it changes sign.
        width = 2.0 + abs(t)
        while f(t - width) < 0 or f(t + width) > 0:
            width *= 2
        return optimize.brentq(f, t - width, t + width, xtol=1e-12)

    return (limit(1 - alpha / 2) / math.sqrt(n), limit(alpha / 2) / math.sqrt(n))


def g_z(d_z_value: float, n: int) -> float:
    """Hedges' g_z: d_z × J with the small-sample correction J = 1 - 3 / (4 df - 1), df = n - 1.

    d_z overestimates the population effect in small samples; J removes most of that
    bias. NaN when d_z is undefined or there are fewer than 3 pairs (df < 2: no
    correction is defined).

    References
    ----------
    Lakens (2013), eq. 4 (the correction, written with df).
    Hedges, L. V., & Olkin, I. (1985). Statistical methods for meta-analysis.

    Examples
    --------
    Differences 1, 2, 3: d_z = 2, df = 2, J = 1 - 3 / 7 = 4 / 7, so g_z = 8 / 7:

    >>> round(g_z(2.0, 3), 6)
    1.142857
    """
    df = n - 1
    if df < 2 or not math.isfinite(d_z_value):
        return math.nan
    return d_z_value * (1 - 3 / (4 * df - 1))


def d_av(pre, post) -> float:
    """Cohen's d_av: mean(post - pre) / ((SD_pre + SD_post) / 2).

    References
    ----------
    Lakens (2013), eq. 10 (after Cumming, 2012).

    Examples
    --------
    Pre 1, 2, 3 (SD 1) and post 3, 5, 7 (SD 2): mean difference 3, average SD 1.5:

    >>> d_av([1, 2, 3], [3, 5, 7])
    2.0
    """
    x, y = paired_arrays(pre, post)
    sd_av = (np.std(x, ddof=1) + np.std(y, ddof=1)) / 2
    return float(np.mean(y - x) / sd_av) if sd_av > 0 else math.nan


def g_av(pre, post) -> float:
    """Hedges' g_av: d_av × (1 - 3 / (8n - 9)), n = number of pairs.

    This is Hedges' small-sample factor 1 - 3 / (4N - 9) with N = n1 + n2 = 2n, which
    is how Lakens (2013) applies it to d_av; it reproduces his g_av = 1.08 for the movie
    example, whereas the one-sample factor 1 - 3 / (4(n - 1) - 1) would give 1.03.

    References
    ----------
    Lakens (2013), eq. 4 and the worked example (d_av = 1.13, g_av = 1.08).
    Hedges, L. V., & Olkin, I. (1985). Statistical methods for meta-analysis.

    Examples
    --------
    >>> round(g_av([1, 2, 3], [3, 5, 7]), 4)   # 2 × (1 - 3/15)
    1.6
    """
    n = as_float_array(pre).size
    return d_av(pre, post) * (1 - 3 / (8 * n - 9))


def d_rm(pre, post) -> float:
    """Cohen's d_rm: d_z × sqrt(2 (1 - r)), r = Pearson correlation of pre and post.

    Equivalently mean difference / sqrt(SD1² + SD2² - 2 r SD1 SD2) × sqrt(2 (1 - r)).

    References
    ----------
    Lakens (2013), eq. 9 (after Morris & DeShon, 2002).

    Examples
    --------
    Pre 1, 2, 3, 4 and post 2, 4, 4, 6: differences 1, 2, 1, 2 (mean 1.5, SD 0.57735),
    d_z = 2.598076; r = 6 / sqrt(5 × 8) = 0.948683, so
    d_rm = 2.598076 × sqrt(0.102633) = 2.598076 × 0.320364 = 0.832331:

    >>> round(d_rm([1, 2, 3, 4], [2, 4, 4, 6]), 6)
    0.832331
    """
    x, y = paired_arrays(pre, post)
    if np.std(x) == 0 or np.std(y) == 0:
        return math.nan
    # Rounding can push a perfect correlation just above 1; sqrt would then give NaN.
    r = min(float(np.corrcoef(x, y)[0, 1]), 1.0)
    return d_z(x, y) * math.sqrt(2 * (1 - r))


def rank_biserial(differences, confidence: float = 0.95) -> dict[str, object]:
    """Matched-pairs rank-biserial correlation with its confidence interval.

    r = (R+ - R-) / (R+ + R-), where R+ and R- are the sums of the ranks of |d| of the
    positive and negative differences, zero differences dropped before ranking (ties get
    mid-ranks). The interval is R effectsize's: tanh(atanh(r) ± z · SE) with
    SE = sqrt((2m³ + 3m² + m) / 6) / (m(m + 1) / 2), m = number of non-zero differences.
    When r = ±1 the interval collapses to that value (as in effectsize).

    Returns
    -------
    dict
        ``rank_biserial``, ``ci95`` (list), ``n_nonzero``.

    References
    ----------
    Kerby, D. S. (2014). The simple difference formula: an approach to teaching
    nonparametric correlation. Comprehensive Psychology, 3, 11.IT.3.1.
    Ben-Shachar, M. S., Lüdecke, D., & Makowski, D. (2020). effectsize: estimation of
    effect size indices and standardized parameters. JOSS, 5(56), 2815
    (``rank_biserial()``, file R/rank_diff.R).

    Examples
    --------
    Differences 1, -2, 3, 4: ranks 1, 2, 3, 4; R+ = 8, R- = 2, r = 6 / 10:

    >>> rank_biserial([1, -2, 3, 4, 0])["rank_biserial"]
    0.6
    """
    d = as_float_array(differences)
    nz = d[d != 0]
    m = nz.size
    if m == 0:
        return {"rank_biserial": math.nan, "ci95": [math.nan, math.nan], "n_nonzero": 0}
    ranks = stats.rankdata(np.abs(nz))
    total = m * (m + 1) / 2
    r = float((ranks[nz > 0].sum() - ranks[nz < 0].sum()) / total)
    se = math.sqrt((2 * m**3 + 3 * m**2 + m) / 6) / total
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    if abs(r) == 1:
        ci = [r, r]
    else:
        ci = [math.tanh(math.atanh(r) - z * se), math.tanh(math.atanh(r) + z * se)]
    return {"rank_biserial": r, "ci95": ci, "n_nonzero": int(m)}


def cles_paired(differences) -> float:
    """Common-language effect size for paired data: P(d > 0) + ½ P(d = 0).

    The share of participants whose post score exceeds their pre score, ties (zero
    differences) counted half: the dependent-samples probability of superiority. It is
    *not* pingouin's CLES, which compares every pre value with every post value and
    ignores the pairing.

    References
    ----------
    Grissom, R. J., & Kim, J. J. (2012). Effect sizes for research (2nd ed.), ch. 5
    (PS_dep). McGraw, K. O., & Wong, S. P. (1992). A common language effect size
    statistic. Psychological Bulletin, 111(2), 361-365.

    Examples
    --------
    >>> cles_paired([4, 0, -1, 2])   # (2 + 0.5) / 4
    0.625
    """
    d = as_float_array(differences)
    return float(np.mean(d > 0) + 0.5 * np.mean(d == 0)) if d.size else math.nan


def hodges_lehmann(differences) -> float:
    """Hodges-Lehmann estimate of the paired shift: median of the Walsh averages.

    Walsh averages are (d_i + d_j) / 2 for all i <= j, over every difference (zeros
    included). R's ``wilcox.test(conf.int = TRUE)`` drops zeros first and, with ties,
    finds its estimate by root finding, so it can differ slightly.

    The n (n + 1) / 2 averages are never formed: with d sorted, row i of the Walsh
    matrix, (d_i + d_j) / 2 for j >= i, is sorted, and the middle order statistic(s) are
    found by selection over that implicit matrix (random pivots, each counted in every
    row by bisection), in O(n log² n) expected time and O(n) memory (Monahan 1984). The
    result equals ``numpy.median`` of the formed averages exactly: the same floating-point
    averages are compared, and two middle values are averaged as (a + b) / 2.

    References
    ----------
    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). Nonparametric statistical
    methods (3rd ed.), section 3.2.
    Monahan, J. F. (1984). Algorithm 616: fast computation of the Hodges-Lehmann
    location estimator. ACM Transactions on Mathematical Software, 10(3), 265-270.

    Examples
    --------
    Differences 1, 2, 9: Walsh averages 1, 1.5, 5, 2, 5.5, 9, median 3.5:

    >>> hodges_lehmann([1, 2, 9])
    3.5
    """
    d = np.sort(as_float_array(differences))
    if not d.size:
        return math.nan
    m = d.size * (d.size + 1) // 2
    k = (m + 1) // 2
    lower = _walsh_order_statistic(d, k)
    if m % 2:
        return float(lower)
    upper = lower if _walsh_at_most(d, lower).sum() > k else _walsh_above(d, lower)
    return float((lower + upper) / 2)


def _walsh_at_most(d: np.ndarray, value: float) -> np.ndarray:
    """Per row i of sorted ``d``: how many j >= i have (d_i + d_j) / 2 <= value."""
    n = d.size
    rows = np.arange(n)
    lo, hi = rows.copy(), np.full(n, n)  # averages at j < lo are <= value, at j >= hi above
    while np.any(lo < hi):
        mid = (lo + hi) // 2
        fits = (d + d[np.minimum(mid, n - 1)]) / 2 <= value
        open_ = lo < hi
        lo = np.where(open_ & fits, mid + 1, lo)
        hi = np.where(open_ & ~fits, mid, hi)
    return lo - rows


def _walsh_above(d: np.ndarray, value: float) -> float:
    """The smallest Walsh average of sorted ``d`` greater than ``value``."""
    rows = np.arange(d.size)
    first = rows + _walsh_at_most(d, value)
    has = first < d.size
    return float(np.min((d[rows[has]] + d[first[has]]) / 2))


def _walsh_order_statistic(d: np.ndarray, k: int) -> float:
    """The k-th smallest (1-based) Walsh average of sorted ``d``, by pivoting."""
    n = d.size
    rows = np.arange(n)
    left, right = rows.copy(), np.full(n, n)  # row i's candidates: columns left..right-1
    rng = np.random.default_rng(0)  # any pivot gives the same answer; fixed for speed
    while True:
        sizes = right - left
        ends = np.cumsum(sizes)
        total = int(ends[-1])
        if total <= max(4 * n, 1024):  # few candidates left: form and select them
            i = np.repeat(rows, sizes)
            j = np.arange(total) - np.repeat(ends - sizes, sizes) + np.repeat(left, sizes)
            rank = k - int((left - rows).sum()) - 1
            return float(np.partition((d[i] + d[j]) / 2, rank)[rank])
        pick = int(rng.integers(total))
        row = int(np.searchsorted(ends, pick, side="right"))
        pivot = (d[row] + d[left[row] + pick - (ends[row] - sizes[row])]) / 2
        below = _walsh_at_most(d, np.nextafter(pivot, -np.inf))
        if below.sum() >= k:
            right = np.minimum(right, rows + below)
            continue
        at_most = _walsh_at_most(d, pivot)
        if at_most.sum() >= k:
            return float(pivot)
        left = np.maximum(left, rows + at_most)
