"""Paired tests on post - pre: Shapiro-Wilk, t-test, R-compatible Wilcoxon, SPSS layouts.

scipy's ``wilcoxon`` reports min(W+, W-) for two-sided tests and, by default, an
uncorrected normal approximation with ties; R prints ``V`` = W+ and corrects for
continuity. The functions here follow R and say which method they used.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from analisis.stats._arrays import as_float_array, paired_arrays
from analisis.stats.descriptives import mean_ci

ALTERNATIVES = ("two-sided", "greater", "less")
#: Values of the config key ``analysis.primary_test`` (and of ``--primary-test``).
PRIMARY_TESTS = ("t_test", "wilcoxon", "auto")
#: Largest n for which a Shapiro-Wilk p is used: Royston's approximation is validated up
#: to 5,000 (scipy warns above it; R's ``shapiro.test`` refuses).
SHAPIRO_MAX_N = 5000


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")


def shapiro_wilk(values) -> dict[str, object]:
    """Shapiro-Wilk test of normality (scipy, Royston's AS R94 algorithm as in R).

    Returns ``W``, ``p`` and ``note``; W and p are NaN with a note when n < 3 or all
    values are equal (the test is undefined there) and when n > :data:`SHAPIRO_MAX_N`
    (the p value is not accurate there; R's ``shapiro.test`` refuses such samples).

    References
    ----------
    Royston, P. (1995). Remark AS R94. Applied Statistics, 44(4), 547-551.

    Examples
    --------
    >>> shapiro_wilk([2, 2, 2])["note"]
    'all values equal: Shapiro-Wilk undefined'
    >>> shapiro_wilk(np.arange(5001.0))["note"][:29]
    'n = 5001 > 5000: Shapiro-Wilk'
    """
    x = as_float_array(values)
    if x.size < 3:
        return {"W": math.nan, "p": math.nan, "note": f"n = {x.size} < 3: Shapiro-Wilk undefined"}
    if x.size > SHAPIRO_MAX_N:
        note = (
            f"n = {x.size} > {SHAPIRO_MAX_N}: Shapiro-Wilk not computed (its p value is not "
            "accurate above 5000; R's shapiro.test refuses)"
        )
        return {"W": math.nan, "p": math.nan, "note": note}
    if np.ptp(x) == 0:
        return {"W": math.nan, "p": math.nan, "note": "all values equal: Shapiro-Wilk undefined"}
    result = stats.shapiro(x)
    return {"W": float(result.statistic), "p": float(result.pvalue), "note": None}


def paired_t_test(pre, post, alternative: str = "two-sided") -> dict[str, object]:
    """Paired t-test of post - pre (scipy ``ttest_rel``, same numbers as R ``t.test``).

    t = mean(d) / (SD(d) / sqrt(n)), df = n - 1. ``ci95`` is always the two-sided 95%
    interval of the mean difference. When every difference is equal SD(d) = 0, t is
    undefined: t and p are NaN and ``note`` says why.

    Examples
    --------
    Differences 1, 2, 3: t = 2 / (1 / sqrt(3)) = 3.4641, df = 2:

    >>> r = paired_t_test([0, 0, 0], [1, 2, 3])
    >>> round(r["t"], 4), r["df"], round(r["p"], 4)
    (3.4641, 2, 0.0742)
    """
    _check_alternative(alternative)
    x, y = paired_arrays(pre, post)
    diff = y - x
    n = diff.size
    if n < 2 or np.ptp(diff) == 0:
        note = (
            f"all differences equal ({diff[0]:g}): t and d_z undefined"
            if n >= 2
            else "fewer than 2 pairs: t undefined"
        )
        return {
            "t": math.nan,
            "df": n - 1,
            "p": math.nan,
            "ci95": [math.nan, math.nan],
            "note": note,
        }
    result = stats.ttest_rel(y, x, alternative=alternative)
    return {
        "t": float(result.statistic),
        "df": int(n - 1),
        "p": float(result.pvalue),
        "ci95": list(mean_ci(diff)),
        "note": None,
    }


def wilcoxon_signed_rank(
    differences,
    alternative: str = "two-sided",
    *,
    exact: bool | None = None,
    correction: bool = True,
) -> dict[str, object]:
    """Wilcoxon signed-rank test of the differences, computed as R's ``wilcox.test``.

    Zero differences are dropped (R's behaviour, ``zero_method='wilcox'``) and the rest
    ranked by |d| with mid-ranks. V = sum of the ranks of the positive differences.
    With m non-zero differences, the exact null distribution is used when m < 50 (or
    ``exact=True``) and there are neither ties nor zeros; otherwise the normal
    approximation z = (V - m(m+1)/4 - c) / sigma with
    sigma² = m(m+1)(2m+1)/24 - Σ(t³ - t)/48 and continuity correction c = ±0.5 (R's
    sign rule) when ``correction``.

    Returns
    -------
    dict
        ``V``, ``p``, ``method`` ("exact" or "normal approximation"),
        ``continuity_correction`` (bool, as applied), ``n_zero``, ``n_nonzero``,
        ``zero_method`` ("dropped (R, Wilcoxon 1945)"), ``note``.

    References
    ----------
    R Core Team, ``stats::wilcox.test`` (src/library/stats/R/wilcox.test.R).
    Hollander, Wolfe & Chicken (2014), Nonparametric statistical methods, ch. 3.

    Examples
    --------
    R's example from ``help(wilcox.test)``: x - y for the depression data,
    ``wilcox.test(x, y, paired = TRUE, alternative = "greater")`` gives V = 40,
    p-value = 0.01953.

    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> r = wilcoxon_signed_rank(np.subtract(x, y), "greater")
    >>> r["V"], round(r["p"], 5), r["method"]
    (40.0, 0.01953, 'exact')
    """
    _check_alternative(alternative)
    d = as_float_array(differences)
    n_zero = int(np.sum(d == 0))
    nz = d[d != 0]
    m = nz.size
    base = {"n_zero": n_zero, "n_nonzero": int(m), "zero_method": "dropped (R, Wilcoxon 1945)"}
    if m == 0:
        return {
            "V": 0.0,
            "p": math.nan,
            "method": "undefined",
            "continuity_correction": False,
            **base,
            "note": "all differences are zero: Wilcoxon test undefined",
        }
    ranks = stats.rankdata(np.abs(nz))
    v = float(ranks[nz > 0].sum())
    _, tie_counts = np.unique(np.abs(nz), return_counts=True)
    has_ties = bool(np.any(tie_counts > 1))
    use_exact = (m < 50) if exact is None else exact
    if use_exact and not has_ties and n_zero == 0:
        p = float(stats.wilcoxon(nz, alternative=alternative, method="exact").pvalue)
        return {
            "V": v,
            "p": p,
            "method": "exact",
            "continuity_correction": False,
            **base,
            "note": None,
        }
    z = v - m * (m + 1) / 4
    sigma = math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - np.sum(tie_counts**3 - tie_counts) / 48)
    shift = 0.0
    if correction:
        shift = {"two-sided": 0.5 * np.sign(z), "greater": 0.5, "less": -0.5}[alternative]
    z = (z - shift) / sigma
    if alternative == "two-sided":
        p = 2 * min(stats.norm.cdf(z), stats.norm.sf(z))
    elif alternative == "greater":
        p = stats.norm.sf(z)
    else:
        p = stats.norm.cdf(z)
    reasons = [
        r for r, present in (("ties", has_ties), ("zero differences", n_zero > 0)) if present
    ]
    note = (
        f"normal approximation because of {' and '.join(reasons)}"
        if reasons and use_exact
        else None
    )
    return {
        "V": v,
        "p": float(min(p, 1.0)),
        "method": "normal approximation",
        "continuity_correction": bool(correction),
        **base,
        "note": note,
    }


def spss_wilcoxon_ranks(pre, post) -> dict[str, object]:
    """The SPSS "Ranks" and "Test Statistics" tables of the Wilcoxon test for post - pre.

    Negative ranks: post < pre; positive ranks: post > pre; ties: post = pre (excluded from
    ranking). Z = (min(R+, R-) - m(m+1)/4) / sigma with the tie-corrected sigma of
    :func:`wilcoxon_signed_rank` and *no* continuity correction, so Z <= 0; SPSS notes
    which sum it is "based on". Asymp. Sig. (2-tailed) = 2 Φ(Z).

    References
    ----------
    IBM SPSS Statistics Algorithms, "NPAR TESTS: Wilcoxon Signed-Rank Test".

    Examples
    --------
    Differences 2, 2, -1, 0: ties 1; ranks of |d| = 2.5, 2.5, 1:

    >>> t = spss_wilcoxon_ranks([5, 5, 5, 5], [7, 7, 4, 5])
    >>> t["negative_ranks"], t["positive_ranks"]["sum_of_ranks"], t["ties"]
    ({'n': 1, 'mean_rank': 1.0, 'sum_of_ranks': 1.0}, 5.0, {'n': 1})
    """
    x, y = paired_arrays(pre, post)
    d = y - x
    nz = d[d != 0]
    m = nz.size
    ranks = stats.rankdata(np.abs(nz)) if m else np.array([])

    def block(mask: np.ndarray) -> dict[str, object]:
        k = int(mask.sum())
        total = float(ranks[mask].sum())
        return {"n": k, "mean_rank": total / k if k else math.nan, "sum_of_ranks": total}

    negative, positive = block(nz < 0), block(nz > 0)
    if m:
        _, tie_counts = np.unique(np.abs(nz), return_counts=True)
        sigma = math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - np.sum(tie_counts**3 - tie_counts) / 48)
        smaller = min(negative["sum_of_ranks"], positive["sum_of_ranks"])
        z = (smaller - m * (m + 1) / 4) / sigma
        p = float(min(1.0, 2 * stats.norm.cdf(z)))
    else:
        z = p = math.nan
    based_on = (
        "negative ranks"
        if negative["sum_of_ranks"] <= positive["sum_of_ranks"]
        else "positive ranks"
    )
    return {
        "pair": "post - pre",
        "negative_ranks": negative,
        "positive_ranks": positive,
        "ties": {"n": int(d.size - m)},
        "total": {"n": int(d.size)},
        "z": float(z),
        "z_based_on": based_on,
        "asymp_sig_2_tailed": p,
    }


def spss_paired_samples_test(pre, post) -> dict[str, object]:
    """The SPSS "Paired Samples Test" row for post - pre.

    Mean, Std. Deviation, Std. Error Mean of the differences, 95% Confidence Interval of
    the Difference (lower, upper), t, df, Sig. (2-tailed).

    Examples
    --------
    >>> r = spss_paired_samples_test([0, 0, 0], [1, 2, 3])
    >>> r["mean"], r["std_deviation"], round(r["std_error_mean"], 4), r["df"]
    (2.0, 1.0, 0.5774, 2)
    """
    x, y = paired_arrays(pre, post)
    diff = y - x
    test = paired_t_test(x, y)
    sd = float(np.std(diff, ddof=1)) if diff.size > 1 else math.nan
    return {
        "pair": "post - pre",
        "mean": float(np.mean(diff)),
        "std_deviation": sd,
        "std_error_mean": sd / math.sqrt(diff.size),
        "ci95_lower": test["ci95"][0],
        "ci95_upper": test["ci95"][1],
        "t": test["t"],
        "df": test["df"],
        "sig_2_tailed": test["p"],
    }


def choose_primary_test(
    shapiro_p: float,
    normality_alpha: float,
    *,
    sd_difference: float,
    primary_test: str = "auto",
    n: int = 0,
) -> tuple[str, str]:
    """Choose the primary paired test and say why, in one sentence.

    ``primary_test`` is the study's pre-specified choice (config ``analysis.primary_test``):
    ``"t_test"`` or ``"wilcoxon"`` is used whatever the data show. Under ``"auto"`` the
    choice is data-driven: Shapiro-Wilk p on the differences >= ``normality_alpha``: paired
    t-test; otherwise (or when normality cannot be tested) the Wilcoxon signed-rank test.
    Above n = :data:`SHAPIRO_MAX_N` pairs no Shapiro-Wilk p is used: ``"auto"`` takes the
    paired t-test, whose mean difference is close to normal at that size by the central
    limit theorem. :func:`primary_test_rule` names the rule that applied.

    References
    ----------
    Royston, P. (1995). Remark AS R94. Applied Statistics, 44(4), 547-551 (n <= 5000).

    Examples
    --------
    >>> choose_primary_test(0.2, 0.05, sd_difference=1.0)[0]
    't_test'
    >>> name, reason = choose_primary_test(0.01, 0.05, sd_difference=1.0)
    >>> name, reason[:48]
    ('wilcoxon', 'Shapiro-Wilk on the differences gives p = 0.01 <')
    >>> choose_primary_test(0.01, 0.05, sd_difference=1.0, primary_test="t_test")[0]
    't_test'
    >>> choose_primary_test(float("nan"), 0.05, sd_difference=1.0, n=6000)[0]
    't_test'
    """
    if primary_test not in PRIMARY_TESTS:
        raise ValueError(f"primary_test must be one of {PRIMARY_TESTS}, got {primary_test!r}")
    if primary_test != "auto":
        return _pre_specified(primary_test, sd_difference)
    if sd_difference == 0:
        return (
            "wilcoxon",
            "All differences are equal, so the t-test and d_z are undefined; the Wilcoxon "
            "signed-rank test is primary.",
        )
    if n > SHAPIRO_MAX_N:
        return (
            "t_test",
            f"n = {n} > {SHAPIRO_MAX_N} pairs: no Shapiro-Wilk p is used at this size; by the "
            "stated rule the paired t-test is primary (central limit theorem).",
        )
    if not math.isfinite(shapiro_p):
        return (
            "wilcoxon",
            "Normality of the differences cannot be tested (Shapiro-Wilk undefined), so the "
            "Wilcoxon signed-rank test is primary.",
        )
    if shapiro_p >= normality_alpha:
        return (
            "t_test",
            f"Shapiro-Wilk on the differences gives p = {shapiro_p:.3g} >= {normality_alpha:g}: "
            "normality not rejected, so the paired t-test is primary.",
        )
    return (
        "wilcoxon",
        f"Shapiro-Wilk on the differences gives p = {shapiro_p:.3g} < {normality_alpha:g}: "
        "normality rejected, so the Wilcoxon signed-rank test is primary.",
    )


def _pre_specified(primary_test: str, sd_difference: float) -> tuple[str, str]:
    name = "paired t-test" if primary_test == "t_test" else "Wilcoxon signed-rank test"
    reason = (
        f"The {name} was pre-specified as primary (config analysis.primary_test), before the "
        "data were seen; Shapiro-Wilk is reported but does not choose the test."
    )
    if primary_test == "t_test" and sd_difference == 0:
        reason += " All differences are equal, so the pre-specified t-test is undefined here."
    return primary_test, reason


def primary_test_rule(primary_test: str, n: int) -> str:
    """How the primary test was chosen: the label written to knowledge_details.json.

    ``"pre-specified"`` (config ``t_test`` or ``wilcoxon``), ``"data-driven
    (Shapiro–Wilk)"`` (``auto``, n <= :data:`SHAPIRO_MAX_N`) or ``"stated rule for n >
    5000 (t-test)"`` (``auto`` above it, see :func:`choose_primary_test`).

    Examples
    --------
    >>> primary_test_rule("t_test", 23), primary_test_rule("auto", 23)
    ('pre-specified', 'data-driven (Shapiro–Wilk)')
    >>> primary_test_rule("auto", 5001)
    'stated rule for n > 5000 (t-test)'
    """
    if primary_test != "auto":
        return PRIMARY_TEST_RULES[0]
    return PRIMARY_TEST_RULES[2] if n > SHAPIRO_MAX_N else PRIMARY_TEST_RULES[1]


#: The labels of :func:`primary_test_rule`, in the order pre-specified, data-driven, large n.
PRIMARY_TEST_RULES = (
    "pre-specified",
    "data-driven (Shapiro–Wilk)",
    f"stated rule for n > {SHAPIRO_MAX_N} (t-test)",
)
