"""Random-effects meta-analysis of one estimate per village (or study), as metafor computes it.

The model is y_i = mu + u_i + e_i with u_i ~ N(0, tau²) and e_i ~ N(0, v_i), v_i known.
tau² is estimated by REML (default; Fisher scoring written here, statsmodels has none),
DerSimonian-Laird or Paule-Mandel (both taken from statsmodels'
``combine_effects`` and checked, see :func:`tau2_dl` and :func:`tau2_pm`). Everything
else (estimate, Knapp-Hartung adjustment, I², H², prediction interval, weights, the
Q-profile intervals of tau² and I²) is computed here from tau² with metafor's formulas.
See docs/statistics.md, section "Random-effects meta-analysis".

References
----------
DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. Controlled
Clinical Trials, 7(3), 177-188.
Paule, R. C., & Mandel, J. (1982). Consensus values and weighting factors. Journal of
Research of the National Bureau of Standards, 87(5), 377-385.
Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the
random-effects model. Journal of Educational and Behavioral Statistics, 30(3), 261-293.
Knapp, G., & Hartung, J. (2003). Improved tests for a random effects meta-regression
with a single covariate. Statistics in Medicine, 22(17), 2693-2710.
Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a
meta-analysis. Statistics in Medicine, 21(11), 1539-1558.
Riley, R. D., Higgins, J. P. T., & Deeks, J. J. (2011). Interpretation of random effects
meta-analyses. BMJ, 342, d549.
Viechtbauer, W. (2007). Confidence intervals for the amount of heterogeneity in
meta-analysis. Statistics in Medicine, 26(1), 37-52.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from analisis.outputs import to_jsonable
from analisis.results import MetaAnalysis

METHODS = ("reml", "dl", "pm")
TESTS = ("knha", "z")
#: metafor's ``control`` defaults: threshold (change in tau²) and maxiter for REML.
REML_TOL = 1e-5
REML_MAXITER = 100


def check_inputs(yi, vi, labels=None) -> tuple[np.ndarray, np.ndarray]:
    """Return yi and vi as float arrays; ValueError naming the first bad entry.

    Requires k >= 2 finite estimates and finite variances v_i > 0 (a zero variance
    gives an infinite weight), and as many labels as estimates when labels are given.

    Examples
    --------
    >>> check_inputs([1, 2], [0.1, -1], labels=["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: vi must be positive: vi = -1 for b
    """
    y, v = np.asarray(yi, dtype=float).ravel(), np.asarray(vi, dtype=float).ravel()
    names = [str(x) for x in labels] if labels is not None else [f"#{i + 1}" for i in range(y.size)]
    if y.size != v.size or len(names) != y.size:
        raise ValueError(f"yi, vi and labels differ in length ({y.size}, {v.size}, {len(names)})")
    if y.size < 2:
        raise ValueError(f"a meta-analysis needs k >= 2 estimates, got {y.size}")
    for array, name in ((y, "yi"), (v, "vi")):
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            raise ValueError(
                f"{name} must be finite: {name} = {array[bad[0]]:g} for {names[bad[0]]}"
            )
    bad = np.flatnonzero(v <= 0)
    if bad.size:
        raise ValueError(f"vi must be positive: vi = {v[bad[0]]:g} for {names[bad[0]]}")
    return y, v


def q_statistic(y: np.ndarray, v: np.ndarray, tau2: float = 0.0) -> float:
    """Generalised Cochran Q: Σ w_i (y_i - mu_w)², w_i = 1 / (v_i + tau²).

    With tau² = 0 this is Cochran's Q (the heterogeneity test); Paule-Mandel solves
    Q(tau²) = k - 1.

    Examples
    --------
    >>> q_statistic(np.array([0.0, 2.0]), np.array([1.0, 1.0]))
    2.0
    """
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    return float(np.sum(w * (y - mu) ** 2))


def restricted_loglik(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """REML log-likelihood of tau² (metafor's full form, constants included).

    ll = -(k-1)/2 log(2 pi) - ½ Σ log(v_i + tau²) - ½ log Σ w_i - ½ Q(tau²).

    Examples
    --------
    >>> y, v = np.array([0.0, 2.0]), np.array([1.0, 1.0])
    >>> restricted_loglik(1.0, y, v) > restricted_loglik(0.0, y, v)
    True
    """
    w = 1 / (v + tau2)
    return float(
        -(y.size - 1) / 2 * math.log(2 * math.pi)
        - 0.5 * np.sum(np.log(v + tau2))
        - 0.5 * math.log(np.sum(w))
        - 0.5 * q_statistic(y, v, tau2)
    )


def tau2_reml(yi, vi, *, tol: float = REML_TOL, maxiter: int = REML_MAXITER) -> float:
    """REML estimate of tau² by Fisher scoring, as metafor's ``rma.uni(method="REML")``.

    Start at the Hedges estimate max(0, var(y) - mean(v)); iterate
    tau² += (y'PPy - tr P) / tr(PP), with P = W - w w' / Σw, W = diag(1 / (v + tau²)),
    halving the step while it would make tau² negative; stop when the change is
    <= ``tol`` (metafor's threshold 1e-5). Fisher scoring can oscillate between two
    values for ever (metafor then stops with "Fisher scoring algorithm did not converge"
    and suggests a step adjustment); after ``maxiter`` steps the root of the REML
    estimating equation y'PPy = tr P is found instead by Brent's method
    (:func:`_tau2_reml_root`). As metafor, tau² is set to 0 when the restricted
    likelihood at 0 exceeds that at the solution by more than 1.22e-4 (its ``ll0check``).
    Here y'PPy = Σ (w_i (y_i - mu_w))², tr P = Σw - Σw²/Σw,
    tr PP = Σw² - 2 Σw³/Σw + (Σw²/Σw)².

    References
    ----------
    Viechtbauer (2005), eq. 12 and appendix (Fisher scoring for REML).

    Examples
    --------
    Two estimates 0 and 2 with v = 1: tau² = (0 - 1)² + (2 - 1)² - 1 = 1 (for k = 2
    REML and DL agree):

    >>> round(tau2_reml([0, 2], [1, 1]), 6)
    1.0
    """
    y, v = check_inputs(yi, vi)
    tau2 = max(0.0, float(np.var(y, ddof=1) - np.mean(v)))
    for _ in range(maxiter):
        w = 1 / (v + tau2)
        sw, sw2 = np.sum(w), np.sum(w**2)
        resid = y - np.sum(w * y) / sw
        tr_p = sw - sw2 / sw
        tr_pp = sw2 - 2 * np.sum(w**3) / sw + (sw2 / sw) ** 2
        step = float((np.sum((w * resid) ** 2) - tr_p) / tr_pp)
        while tau2 + step < 0 and step < -1e-300:  # step-halving, as metafor
            step /= 2
        new = max(0.0, tau2 + step)
        change, tau2 = abs(new - tau2), new
        if change <= tol:
            break
    else:
        tau2 = _tau2_reml_root(y, v)
    if tau2 > tol and restricted_loglik(0.0, y, v) - restricted_loglik(tau2, y, v) > 1.22e-4:
        return 0.0
    return tau2


def _reml_score(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """y'PPy - tr P: twice the derivative of the restricted log-likelihood in tau²."""
    w = 1 / (v + tau2)
    sw = np.sum(w)
    resid = y - np.sum(w * y) / sw
    return float(np.sum((w * resid) ** 2) - (sw - np.sum(w**2) / sw))


def _tau2_reml_root(y: np.ndarray, v: np.ndarray) -> float:
    """The REML tau² as the root of :func:`_reml_score` (0 when the score is <= 0 at 0).

    The upper end of the bracket doubles from max(1, var(y)) until the score is negative;
    ``scipy.optimize.brentq`` then finds the root to 1e-12.
    """
    if _reml_score(0.0, y, v) <= 0:
        return 0.0
    hi = max(1.0, float(np.var(y, ddof=1)))
    while _reml_score(hi, y, v) > 0:
        hi *= 2
    return float(optimize.brentq(_reml_score, 0.0, hi, args=(y, v), xtol=1e-12))


def _combine(y: np.ndarray, v: np.ndarray, method: str, **kwds):
    from statsmodels.stats.meta_analysis import combine_effects

    return combine_effects(y, v, method_re=method, **kwds)


def tau2_dl(yi, vi) -> float:
    """DerSimonian-Laird tau², truncated at 0 (statsmodels' ``method_re="dl"`` is not).

    tau² = max(0, (Q - (k - 1)) / (Σw - Σw²/Σw)), w = 1/v. statsmodels'
    ``combine_effects`` returns the untruncated value (negative when Q < k - 1) and
    then weights with it; only its tau² is used here, after truncation.

    References
    ----------
    DerSimonian & Laird (1986), eq. 7.

    Examples
    --------
    >>> tau2_dl([0, 0.5], [1, 1])   # Q = 0.125 < 1
    0.0
    """
    y, v = check_inputs(yi, vi)
    return max(0.0, float(_combine(y, v, "dl").tau2))


def tau2_pm(yi, vi, *, atol: float = 1e-10, maxiter: int = 200) -> float:
    """Paule-Mandel tau²: the root of Q(tau²) = k - 1, or 0 when Q(0) <= k - 1.

    Wraps statsmodels' ``combine_effects(method_re="pm")`` (the DerSimonian-Kacker
    Newton iteration from tau² = 0). statsmodels discards its own convergence flag and
    sets tau² = 0 whenever an iterate overshoots, so the result is checked here against
    the estimating equation and an ArithmeticError raised when it does not hold.

    References
    ----------
    Paule & Mandel (1982); DerSimonian, R., & Kacker, R. (2007). Random-effects model
    for meta-analysis of clinical trials: an update. Contemporary Clinical Trials,
    28(2), 105-114, appendix.

    Examples
    --------
    >>> round(tau2_pm([0, 2], [1, 1]), 6)   # Q(tau²) = 2 / (1 + tau²) = 1
    1.0
    """
    y, v = check_inputs(yi, vi)
    tau2 = max(0.0, float(_combine(y, v, "pm", atol=atol, maxiter=maxiter).tau2))
    excess = q_statistic(y, v, tau2) - (y.size - 1)
    if (tau2 > 0 and abs(excess) > 1e-6 * (y.size - 1)) or (tau2 == 0 and excess > 0):
        raise ArithmeticError(f"Paule-Mandel did not solve Q = k - 1 (Q - (k-1) = {excess:g})")
    return tau2


def tau2_ci_qprofile(yi, vi, level: float = 0.95) -> tuple[float, float]:
    """Q-profile confidence interval of tau² (Viechtbauer 2007), as metafor's ``confint``.

    The generalised Q(tau²) = Σ w_i (y_i - mu_w)², w_i = 1/(v_i + tau²), falls from Q(0)
    to 0 as tau² grows and is chi-square on k - 1 df at the true tau². The bounds solve
    Q(lower) = chi²_{k-1}(1 - a/2) and Q(upper) = chi²_{k-1}(a/2), a = 1 - level; a bound
    whose equation has no root above 0 (Q(0) already below the quantile) is 0. The
    roots are found by Brent's method (``scipy.optimize.brentq``) after doubling an upper
    bracket.

    Examples
    --------
    Two estimates 0 and 2 with v = 1: Q(tau²) = 2 / (1 + tau²); chi²_1(0.975) = 5.0239 >
    Q(0) = 2, so the lower bound is 0; the upper solves 2 / (1 + tau²) = chi²_1(0.025):

    >>> lo, hi = tau2_ci_qprofile([0, 2], [1, 1])
    >>> lo, round(hi, 4), round(float(2 / stats.chi2.ppf(0.025, 1) - 1), 4)
    (0.0, 2035.5165, 2035.5165)
    """
    y, v = check_inputs(yi, vi)
    k, alpha = y.size, 1 - level

    def bound(quantile: float) -> float:
        crit = float(stats.chi2.ppf(quantile, k - 1))
        if q_statistic(y, v, 0.0) <= crit:
            return 0.0
        hi = max(1.0, 10 * float(np.var(y, ddof=1)))
        while q_statistic(y, v, hi) > crit:
            hi *= 2
        return float(optimize.brentq(lambda t: q_statistic(y, v, t) - crit, 0.0, hi, xtol=1e-12))

    return bound(1 - alpha / 2), bound(alpha / 2)


def i2_of_tau2(tau2: float, vi) -> float:
    """I² in percent: 100 tau² / (tau² + s²), s² = :func:`typical_variance`.

    The same map turns tau²'s interval into I²'s, as metafor's ``confint`` does.

    Examples
    --------
    >>> i2_of_tau2(2.0, [2.0, 2.0, 2.0])
    50.0
    """
    s2 = typical_variance(vi)
    return 100 * tau2 / (tau2 + s2)


def typical_variance(vi) -> float:
    """metafor's 'typical' within-study variance s² = (k-1) Σw / ((Σw)² - Σw²), w = 1/v.

    Examples
    --------
    >>> typical_variance([2.0, 2.0, 2.0])
    2.0
    """
    w = 1 / np.asarray(vi, dtype=float)
    return float((w.size - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2)))


def random_effects_meta(
    yi, vi, labels=None, *, method: str = "reml", test: str = "knha"
) -> MetaAnalysis:
    """Random-effects meta-analysis: pooled estimate, heterogeneity, prediction interval.

    With w_i = 1/(v_i + tau²): mu = Σ w_i y_i / Σ w_i, se = sqrt(1 / Σ w_i).
    ``test="knha"`` (the default; Knapp-Hartung, metafor's ``test="knha"``, which holds
    its coverage with few villages, see docs/statistics.md): se² is multiplied by
    s²_w = Σ w_i (y_i - mu)² / (k - 1), *not* truncated at 1 (metafor truncates only
    with ``test="adhoc"``), and t(k - 1) gives the p-value and intervals. ``test="z"``
    (metafor's default): z = mu / se, normal CI. Q is Cochran's Q (weights 1/v_i) on
    k - 1 df.
    I² = 100 tau² / (tau² + s²), H² = 1 + tau² / s², s² = :func:`typical_variance`.
    95% prediction interval (metafor's ``predict``): mu ± crit sqrt(se² + tau²), crit
    = z for ``test="z"``, t(k - 1) for ``knha`` (not Riley's k - 2). Weights are
    100 w_i / Σ w_i. ``tau2_ci95`` is the Q-profile interval (:func:`tau2_ci_qprofile`)
    and ``I2_ci95`` its image under :func:`i2_of_tau2`. See docs/statistics.md,
    "Random-effects meta-analysis".

    Parameters
    ----------
    yi, vi : array_like
        Estimates and their sampling variances (v_i > 0), k >= 2.
    labels : sequence, optional
        Names used in error messages.
    method : {"reml", "dl", "pm"}
    test : {"knha", "z"}

    Examples
    --------
    >>> r = random_effects_meta([0, 2], [1, 1])
    >>> r.estimate, r.tau2, r.I2, r.weights, r.tau2_ci95[0]
    (1.0, 1.0, 50.0, (50.0, 50.0), 0.0)
    """
    if method not in METHODS or test not in TESTS:
        raise ValueError(f"method must be one of {METHODS} and test one of {TESTS}")
    y, v = check_inputs(yi, vi, labels)
    k = y.size
    tau2 = {"reml": tau2_reml, "dl": tau2_dl, "pm": tau2_pm}[method](y, v)
    w = 1 / (v + tau2)
    estimate = float(np.sum(w * y) / np.sum(w))
    se = math.sqrt(1 / np.sum(w))
    if test == "knha":
        rss = float(np.sum(w * (y - estimate) ** 2))
        se *= math.sqrt(rss / (k - 1) if rss > np.finfo(float).eps else 0.0)
        dist = stats.t(k - 1)
    else:
        dist = stats.norm()
    crit = float(dist.ppf(0.975))
    statistic = estimate / se if se > 0 else math.nan
    q = q_statistic(y, v)
    half_pi = crit * math.sqrt(se**2 + tau2)
    tau2_ci = tau2_ci_qprofile(y, v)
    document = {
        "k": int(k), "method": method, "test": test, "estimate": estimate, "se": se,
        "ci95": [estimate - crit * se, estimate + crit * se], "statistic": statistic,
        "p": float(2 * dist.sf(abs(statistic))), "tau2": tau2, "tau2_ci95": list(tau2_ci),
        "tau": math.sqrt(tau2), "I2": i2_of_tau2(tau2, v),
        "I2_ci95": [i2_of_tau2(t, v) for t in tau2_ci], "H2": 1 + tau2 / typical_variance(v),
        "Q": q, "Q_df": int(k - 1), "Q_p": float(stats.chi2.sf(q, k - 1)),
        "prediction_interval95": [estimate - half_pi, estimate + half_pi],
        "weights": [float(x) for x in 100 * w / np.sum(w)],
    }  # fmt: skip
    return MetaAnalysis.from_dict(to_jsonable(document), source="random_effects_meta")
