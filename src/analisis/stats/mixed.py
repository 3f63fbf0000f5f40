"""Random-intercept model of villages: y_ij = mu + u_j + e_ij, fitted by REML as lme4 does.

u_j ~ N(0, tau²) is the village effect, e_ij ~ N(0, sigma²) the cadre's own deviation;
y is a knowledge gain (post - pre) or a skill score. The REML criterion of this model
depends on the data only through each village's size, mean and within sum of squares, so
it is written here in closed form and profiled over the one ratio rho = tau² / sigma²
(as lme4 profiles over its relative covariance factor theta = sqrt(rho)). The standard
error of mu is the GLS one and its degrees of freedom are Satterthwaite's, as lme4 and
lmerTest report them. See docs/statistics.md, section "Random-intercept model of villages".

References
----------
Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects
models using lme4. Journal of Statistical Software, 67(1), 1-48, sec. 3.4 (the profiled
REML criterion).
Kuznetsova, A., Brockhoff, P. B., & Christensen, R. H. B. (2017). lmerTest package: tests
in linear mixed effects models. Journal of Statistical Software, 82(13), 1-26, sec. 3
(Satterthwaite's degrees of freedom).
Henderson, C. R. (1975). Best linear unbiased estimation and prediction under a selection
model. Biometrics, 31(2), 423-447 (prediction error variance of a BLUP).
Searle, S. R., Casella, G., & McCulloch, C. E. (1992). Variance components. Wiley,
sec. 3.7 and 6.7.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from analisis.outputs import to_jsonable
from analisis.results import MixedModel

#: Points of the coarse grid over t = rho / (1 + rho) in [0, 1) that brackets the REML
#: optimum before Brent's method refines it (the criterion is cheap: O(villages)).
GRID = 64
#: Largest ratio tau² / sigma² searched (the end of the grid's last bracket).
RHO_MAX = 1e12


@dataclass(frozen=True)
class VillageSums:
    """Sufficient statistics of the one-way model: per village n_j, mean_j; pooled SSW.

    Examples
    --------
    >>> s = VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> s.villages, s.n.tolist(), s.mean.tolist(), s.ssw
    (('a', 'b'), [3.0, 3.0], [2.0, 7.0], 4.0)
    """

    villages: tuple[str, ...]
    n: np.ndarray
    mean: np.ndarray
    ssw: float

    @classmethod
    def of(cls, values, village) -> VillageSums:
        """Group ``values`` by ``village`` (villages in order of first appearance)."""
        y = np.asarray(values, dtype=float).ravel()
        codes, names = pd.factorize(pd.Series(village, dtype=str), sort=False)
        if y.size != codes.size or not np.all(np.isfinite(y)):
            raise ValueError("values and village must have equal length and finite values")
        if names.size < 2:
            raise ValueError("a random-intercept model needs at least 2 villages")
        n = np.bincount(codes).astype(float)
        mean = np.bincount(codes, weights=y) / n
        ssw = float(np.sum((y - mean[codes]) ** 2))
        return cls(tuple(str(x) for x in names), n, mean, ssw)

    @property
    def total(self) -> int:
        """N, the number of people."""
        return int(self.n.sum())


def _gls(rho: float, s: VillageSums) -> tuple[float, float, float]:
    """(mu, Σ w_j, Q) at the ratio rho: w_j = n_j / (1 + n_j rho), the GLS weights of the
    village means in units of sigma²; Q = SSW + Σ w_j (mean_j - mu)², the residual sum of
    squares r'(I + rho ZZ')⁻¹r."""
    w = s.n / (1 + s.n * rho)
    sw = float(np.sum(w))
    mu = float(np.sum(w * s.mean) / sw)
    return mu, sw, s.ssw + float(np.sum(w * (s.mean - mu) ** 2))


def profiled_reml(rho: float, s: VillageSums) -> float:
    """REML criterion (-2 restricted log-likelihood) profiled over sigma², at rho = tau²/sigma².

    d(rho) = (N-1) (1 + log(2 pi Q / (N-1))) + Σ log(1 + n_j rho) + log Σ w_j,
    with sigma²(rho) = Q / (N - 1) (Bates et al. 2015, eq. 42, for one variance
    component). It equals lme4's ``REMLcrit``.

    Examples
    --------
    >>> s = VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> d0 = 5 * (1 + math.log(2 * math.pi * 41.5 / 5)) + math.log(6)  # rho = 0: SST = 41.5
    >>> round(profiled_reml(0.0, s) - d0, 12)
    0.0
    """
    _, sw, q = _gls(rho, s)
    dof = s.total - 1
    return float(
        dof * (1 + math.log(2 * math.pi * q / dof)) + np.sum(np.log1p(s.n * rho)) + math.log(sw)
    )


def reml_deviance(theta: float, sigma: float, s: VillageSums) -> float:
    """REML criterion at lmerTest's variance parameters (theta = tau / sigma, sigma).

    -2 l_R = Σ_j [(n_j - 1) log sigma² + log(sigma² + n_j tau²)] + log Σ n_j/(sigma² + n_j tau²)
    + SSW / sigma² + Σ_j n_j (mean_j - mu)² / (sigma² + n_j tau²) + (N - 1) log 2 pi,
    tau² = theta² sigma², mu the GLS mean (not profiled over sigma: this is the function
    whose Hessian gives the covariance of the variance parameters).

    Examples
    --------
    >>> s = VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> round(reml_deviance(0.0, math.sqrt(41.5 / 5), s), 4) == round(profiled_reml(0.0, s), 4)
    True
    """
    rho, sigma2 = theta**2, sigma**2
    _, sw, q = _gls(rho, s)
    return float(
        (s.total - 1) * math.log(2 * math.pi * sigma2)
        + np.sum(np.log1p(s.n * rho))
        + math.log(sw)
        + q / sigma2
    )


def reml_score(rho: float, s: VillageSums) -> float:
    """Derivative of :func:`profiled_reml` in rho: (N - 1) Q'/Q + Σ w_j - Σ w_j² / S.

    Q' = -Σ w_j² (mean_j - mu)² (mu minimises Q, so its own change drops out), with
    w_j = n_j / (1 + n_j rho) and S = Σ w_j. The REML estimate is its root, or 0 when it
    is positive at 0.

    Examples
    --------
    >>> s = VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> round(reml_score(73 / 6, s), 12)   # zero at the balanced-data estimate
    0.0
    """
    mu, sw, q = _gls(rho, s)
    w = s.n / (1 + s.n * rho)
    q1 = -float(np.sum(w**2 * (s.mean - mu) ** 2))
    return float((s.total - 1) * q1 / q + np.sum(w) - np.sum(w**2) / sw)


def reml_ratio(s: VillageSums) -> tuple[float, bool]:
    """The REML estimate of rho = tau² / sigma² >= 0, and whether the search converged.

    The profiled criterion is evaluated on a grid of :data:`GRID` points of
    t = rho / (1 + rho) in [0, 1); the root of :func:`reml_score` between the best grid
    point's neighbours is then found by Brent's method (``scipy.optimize.brentq``) to
    machine precision. rho = 0 (a boundary fit) is returned exactly when the best grid
    point is 0 and the criterion rises from there, as lme4 returns theta = 0 at its bound.

    Raises
    ------
    ValueError
        No spread within any village (SSW = 0): sigma² would be 0 and the model undefined.

    Examples
    --------
    Balanced data: rho = tau² / sigma² = ((MSB - MSW) / m) / MSW = (37.5 - 1) / 3:

    >>> rho, ok = reml_ratio(VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3))
    >>> round(rho, 12), ok
    (12.166666666667, True)
    """
    if s.ssw <= 0:
        raise ValueError("a random-intercept model needs spread within at least one village")
    grid = np.linspace(0, 1, GRID + 1)[:-1]
    ratios = np.append(grid / (1 - grid), RHO_MAX)
    best = int(np.argmin([profiled_reml(rho, s) for rho in ratios[:-1]]))
    if best == 0 and reml_score(0.0, s) >= 0:
        return 0.0, True
    lo, hi = ratios[max(best - 1, 0)], ratios[best + 1]
    if best == 0 or reml_score(lo, s) > 0:
        lo = 0.0
    if reml_score(lo, s) * reml_score(hi, s) > 0:
        return float(ratios[best]), False
    rho, result = optimize.brentq(lambda x: reml_score(x, s), lo, hi, full_output=True)
    return float(rho), bool(result.converged)


def reml_hessian(theta: float, sigma: float, s: VillageSums) -> np.ndarray:
    """Hessian of :func:`reml_deviance` in (theta, sigma), in closed form.

    With rho = theta², w_j = n_j / (1 + n_j rho), S = Σ w_j, r_j = mean_j - mu and
    f(rho) = Σ log(1 + n_j rho) + log S: f' = Σ w_j - Σ w_j² / S,
    f'' = -Σ w_j² + 2 Σ w_j³ / S - (Σ w_j² / S)²; Q' = -Σ w_j² r_j² and
    Q'' = 2 Σ w_j³ r_j² - 2 (Σ w_j² r_j)² / S (mu minimises Q, so its own derivative drops
    out of Q'). Then, by the chain rule through rho = theta²,
    H_theta,theta = 4 theta² (f'' + Q''/sigma²) + 2 (f' + Q'/sigma²),
    H_theta,sigma = -4 theta Q' / sigma³, H_sigma,sigma = -2 (N - 1) / sigma² + 6 Q / sigma⁴.

    Examples
    --------
    At a boundary fit the two parameters are uncoupled and H_sigma,sigma = 4 (N-1)² / Q:

    >>> s = VillageSums.of([1, 2, 3, 3, 2, 1, 2, 1, 3], list("aaabbbccc"))
    >>> h = reml_hessian(0.0, math.sqrt(0.75), s)
    >>> float(h[0, 1]), round(float(h[1, 1]), 9) == round(4 * 8**2 / 6, 9)
    (0.0, True)
    """
    rho, sigma2 = theta**2, sigma**2
    mu, sw, q = _gls(rho, s)
    w = s.n / (1 + s.n * rho)
    r = s.mean - mu
    w2, w3 = float(np.sum(w**2)), float(np.sum(w**3))
    d1 = float(np.sum(w)) - w2 / sw + float(-np.sum(w**2 * r**2)) / sigma2
    d2 = -w2 + 2 * w3 / sw - (w2 / sw) ** 2
    d2 += (2 * float(np.sum(w**3 * r**2)) - 2 * float(np.sum(w**2 * r)) ** 2 / sw) / sigma2
    q1 = -float(np.sum(w**2 * r**2))
    h_tt = 4 * rho * d2 + 2 * d1
    h_ts = -4 * theta * q1 / sigma**3
    h_ss = -2 * (s.total - 1) / sigma2 + 6 * q / sigma2**2
    return np.array([[h_tt, h_ts], [h_ts, h_ss]])


def satterthwaite_df(theta: float, sigma: float, s: VillageSums) -> float:
    """Satterthwaite's df of mu as lmerTest computes it: 2 V² / (g' A g).

    V = Var(mu) = sigma² / Σ n_j / (1 + n_j theta²); g its gradient in (theta, sigma);
    A = 2 H⁻¹, the asymptotic covariance of (theta, sigma), with H the Hessian of the REML
    criterion (:func:`reml_hessian`; lmerTest differentiates numerically, with numDeriv).
    In the interior the result does not depend on the parameterisation; at a boundary fit
    (theta = 0) dV/dtheta = 0 in lmerTest's (theta, sigma), and df = N - 1.
    Returns NaN when H is not positive definite.

    Examples
    --------
    >>> s = VillageSums.of([1, 2, 3, 3, 2, 1, 2, 1, 3], list("aaabbbccc"))
    >>> round(satterthwaite_df(0.0, math.sqrt(0.75), s), 9)   # boundary: N - 1
    8.0
    """
    share = s.n / (1 + s.n * theta**2)
    total = float(np.sum(share))
    var_mu = sigma**2 / total
    grad = np.array([sigma**2 / total**2 * float(np.sum(2 * theta * share**2)), 2 * sigma / total])
    hess = reml_hessian(theta, sigma, s)
    try:
        np.linalg.cholesky(hess)
    except np.linalg.LinAlgError:
        return math.nan
    return float(2 * var_mu**2 / (grad @ (2 * np.linalg.solve(hess, grad))))


def blup_table(mu: float, var_mu: float, tau2: float, sigma2: float, s: VillageSums):
    """Each village's BLUP mu + lambda_j (mean_j - mu) and its prediction error variance.

    lambda_j = n_j tau² / (sigma² + n_j tau²). The prediction error variance of the
    village mean mu + u_j, given tau² and sigma², is
    PEV_j = lambda_j sigma² / n_j + (1 - lambda_j)² Var(mu) (Henderson 1975): the
    conditional variance of u_j (lme4's ``condVar``) plus the part of the fixed effect's
    variance that the shrinkage carries into the village; their covariance is 0 in this
    model. At tau² = 0 every BLUP is mu with PEV Var(mu).

    Examples
    --------
    tau² = 73/6, sigma² = 1, n = 3: lambda = 36.5 / 37.5, so the BLUP of village a is
    4.5 - 2.5 lambda = 2.0667 and PEV = lambda / 3 + (1 / 37.5)² 37.5 / 6 = 0.3289:

    >>> s = VillageSums.of([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> est, pev = blup_table(4.5, 37.5 / 6, 73 / 6, 1.0, s)
    >>> [round(float(x), 4) for x in est], [round(float(x), 4) for x in pev]
    ([2.0667, 6.9333], [0.3289, 0.3289])
    """
    shrink = s.n * tau2 / (sigma2 + s.n * tau2) if tau2 > 0 else np.zeros_like(s.n)
    estimate = mu + shrink * (s.mean - mu)
    pev = shrink * sigma2 / s.n + (1 - shrink) ** 2 * var_mu
    return estimate, pev


def random_intercept_mean(values, village, target: float | None = None) -> MixedModel:
    """Pooled mean of a score over villages with a random intercept per village (REML).

    Fits y_ij = mu + u_j + e_ij by REML (:func:`reml_ratio`). Returned, as lme4 1.1 with
    lmerTest 3.1 report them: mu = Σ w_j mean_j / Σ w_j, the GLS standard error
    se = (Σ n_j / (sigma² + n_j tau²))^-½, Satterthwaite's ``df``
    (:func:`satterthwaite_df`) and ci95 = mu ± t(df) se; tau² = Var(u_j),
    sigma² = Var(e_ij), ICC = tau² / (tau² + sigma²); ``boundary`` is True when tau² = 0
    (lme4's "boundary (singular) fit": the villages differ no more than chance). For each
    village the BLUP with the interval BLUP ± t(df) sqrt(PEV_j) (:func:`blup_table`); with
    a ``target``, ``below_target`` flags villages whose whole interval lies below it.

    On balanced data (m per village) with MSB > MSW, REML gives sigma² = MSW and
    tau² = (MSB - MSW) / m, mu = grand mean, se = sqrt(MSB / N) and df = J - 1.

    Parameters
    ----------
    values : array_like
        One finite score per person (a gain, or a skill score).
    village : array_like
        Village of each person (at least 2 villages).
    target : float, optional
        Value the programme wants each village to reach.

    Examples
    --------
    Two villages of three, means 2 and 7: MSW = 1, MSB = 3 (2.5² + 2.5²) / 1 = 37.5,
    so tau² = (37.5 - 1) / 3 = 12.1667, se = sqrt(37.5 / 6) = 2.5, df = 1:

    >>> r = random_intercept_mean([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> round(r.estimate, 6), round(r.tau2, 4), round(r.sigma2, 4), r.se, round(r.df, 4)
    (4.5, 12.1667, 1.0, 2.5, 1.0)
    """
    s = VillageSums.of(values, village)
    rho, converged = reml_ratio(s)
    mu, sw, q = _gls(rho, s)
    sigma2 = q / (s.total - 1)
    tau2 = rho * sigma2
    var_mu = sigma2 / sw
    se = math.sqrt(var_mu)
    df = satterthwaite_df(math.sqrt(rho), math.sqrt(sigma2), s)
    crit = float(stats.t.ppf(0.975, df)) if math.isfinite(df) else math.nan
    estimates, pev = blup_table(mu, var_mu, tau2, sigma2, s)
    blups = []
    for name, estimate, variance in zip(s.villages, estimates, pev, strict=True):
        half = crit * math.sqrt(variance)
        below = None if target is None else bool(estimate + half < target)
        interval = [estimate - half, estimate + half]
        blups.append({"village": name, "estimate": estimate, "ci95": interval,
                      "below_target": below})  # fmt: skip
    document = {
        "estimate": mu,
        "se": se,
        "df": df,
        "ci95": [mu - crit * se, mu + crit * se],
        "tau2": tau2,
        "sigma2": sigma2,
        "icc": tau2 / (tau2 + sigma2) if tau2 + sigma2 > 0 else math.nan,
        "boundary": rho == 0,
        "converged": converged,
        "blups": blups,
        "target": None if target is None else float(target),
    }
    return MixedModel.from_dict(to_jsonable(document), source="random_intercept_mean")
