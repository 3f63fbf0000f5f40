"""Planning the next wave: sample sizes, power and half-widths, for one group or villages.

Every function is a closed form or the root of one, solved on a continuous n (or k, m)
as R's ``pwr`` does; callers round up to the integer to plan. See docs/statistics.md,
section "Planning".

* One group, pre/post: the paired t-test's exact power from the noncentral t
  (:func:`t_test_power`, as ``pwr.t.test``), n for a confidence-interval half-width with
  an assurance (:func:`halfwidth_n`, Kupper & Hafner 1989), the Wilcoxon signed-rank
  test by the asymptotic relative efficiency (:func:`wilcoxon_n`, as G*Power).
* Villages (k villages of m cadres; within-village variance of the gain σ², between
  villages τ²): the variance of a village mean τ² + σ²/m, the half-width of the pooled
  mean gain, one-sample and two-arm power on village means, the design effect and the
  cost-optimal m (Raudenbush 1997).

References
----------
Cohen, J. (1988). Statistical power analysis for the behavioral sciences (2nd ed.).
Erlbaum. (Implemented in R's ``pwr``, Champely 2020.)
Kupper, L. L., & Hafner, K. B. (1989). How appropriate are popular sample size formulas?
The American Statistician, 43(2), 101-105.
Lehmann, E. L. (1975). Nonparametrics: statistical methods based on ranks. Holden-Day.
(ARE of the signed-rank test: 3/π under normality, at least 0.864.)
Faul, F., Erdfelder, E., Lang, A.-G., & Buchner, A. (2007). G*Power 3. Behavior Research
Methods, 39(2), 175-191.
Donner, A., & Klar, N. (2000). Design and analysis of cluster randomization trials in
health research. Arnold. (Design effect 1 + (m - 1)·ICC.)
Raudenbush, S. W. (1997). Statistical analysis and optimal design for cluster randomized
trials. Psychological Methods, 2(2), 173-185.
Adams, G., Gulliford, M. C., Ukoumunne, O. C., Eldridge, S., Chinn, S., & Campbell, M. J.
(2004). Patterns of intra-cluster correlation from primary care research to inform study
design and analysis. Journal of Clinical Epidemiology, 57(8), 785-794.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from analisis.errors import AnalisisError

#: The ``alternative`` values, as ``pwr.t.test``'s (``two.sided`` written ``two-sided``).
ALTERNATIVES = ("two-sided", "greater", "less")
#: The designs of ``pwr.t.test``'s ``type``: groups of the test and its degrees of freedom.
DESIGNS = ("paired", "one.sample", "two.sample")
#: Asymptotic relative efficiency of the signed-rank test to the t-test (Lehmann 1975):
#: 3/π under normal differences; 0.864 is its minimum over all continuous distributions.
ARE = {"normal": 3 / math.pi, "worst_case": 0.864}
#: The largest n (or k) the solvers search; beyond it a request is called impossible.
N_MAX = 1e7


class ImpossiblePlan(AnalisisError):
    """A planning request with no answer (power ≤ α, a half-width of 0, ICC outside [0, 1))."""


def _check_alpha_power(alpha: float, power: float | None, alternative: str) -> None:
    if not 0 < alpha < 1:
        raise ImpossiblePlan(f"alpha must lie in (0, 1), found {alpha:g}")
    if alternative not in ALTERNATIVES:
        raise ImpossiblePlan(f"alternative must be one of {', '.join(ALTERNATIVES)}")
    if power is not None and not alpha < power < 1:
        raise ImpossiblePlan(f"power must lie above alpha ({alpha:g}) and below 1, found {power:g}")


def t_test_power(
    n: float,
    d: float,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    design: str = "paired",
) -> float:
    """Exact power of a t-test from the noncentral t distribution, as ``pwr.t.test``.

    With ``g`` = 1 (paired, one sample) or 2 (two samples of n each), the degrees of
    freedom are ν = g(n − 1), the noncentrality δ = d·√(n/g) and, for a two-sided test
    with critical value c = t(1 − α/2; ν),

        power = P(T'(ν, δ) > c) + P(T'(ν, δ) < −c),

    with one tail only (c = t(1 − α; ν)) for ``greater`` and ``less``. For a paired
    design d is d_z = mean difference / SD of the differences.

    References
    ----------
    Cohen (1988), ch. 2; R package ``pwr``, ``pwr.t.test``.

    Examples
    --------
    >>> round(t_test_power(23, 0.4), 7)  # pwr.t.test(d=0.4, n=23, type="paired")
    0.4501383
    """
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}")
    groups = 2 if design == "two.sample" else 1
    df = groups * (n - 1)
    ncp = d * math.sqrt(n / groups)
    if alternative == "two-sided":
        c = stats.t.isf(alpha / 2, df)
        return _tail(c, df, ncp, upper=True) + _tail(-c, df, ncp, upper=False)
    if alternative == "greater":
        return _tail(stats.t.isf(alpha, df), df, ncp, upper=True)
    return _tail(stats.t.ppf(alpha, df), df, ncp, upper=False)


def _tail(c: float, df: float, ncp: float, *, upper: bool) -> float:
    """P(T'(df, ncp) > c) (or < c): scipy's noncentral t, whose far tail can be NaN where
    it underflows (e.g. the lower tail at df = 2182, ncp = 23); that tail is then 0."""
    value = stats.nct.sf(c, df, ncp) if upper else stats.nct.cdf(c, df, ncp)
    if math.isnan(value) and (ncp > c if upper else ncp < c):
        raise ArithmeticError(f"noncentral t tail undefined at df={df:g}, ncp={ncp:g}")
    return 0.0 if math.isnan(value) else float(value)


def _root(function, low: float, high: float, what: str) -> float:
    """The root of an increasing ``function`` in [low, high]; ImpossiblePlan if none.

    The bracket grows from ``low`` by doubling, so that a plan of 44 never evaluates
    the function at 10⁷; ``low`` itself when the function is already ≥ 0 there.
    """
    if function(low) >= 0:
        return low
    upper = min(2 * low, high)
    while function(upper) < 0:
        if upper >= high:
            raise ImpossiblePlan(f"no {what} up to {high:g} reaches the target")
        low, upper = upper, min(2 * upper, high)
    return float(optimize.brentq(function, low, upper, xtol=1e-10, rtol=1e-12))


def t_test_n(
    d: float,
    power: float,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    design: str = "paired",
) -> float:
    """The (continuous) n per group at which :func:`t_test_power` equals ``power``.

    Solved by Brent's method on n ∈ [2, 10⁷], as ``pwr.t.test`` solves with ``uniroot``;
    plan ⌈n⌉. Raises :class:`ImpossiblePlan` for power ≤ α or d = 0.

    Examples
    --------
    >>> round(t_test_n(0.5, 0.9), 5)  # pwr.t.test(d=0.5, power=0.9, type="paired")
    43.99548
    """
    _check_alpha_power(alpha, power, alternative)
    if d == 0 or (alternative == "greater" and d < 0) or (alternative == "less" and d > 0):
        raise ImpossiblePlan(f"an effect of d = {d:g} cannot reach power {power:g}")
    return _root(
        lambda n: t_test_power(n, d, alpha=alpha, alternative=alternative, design=design) - power,
        2.0,
        N_MAX,
        "n",
    )


def t_test_d(
    n: float,
    power: float,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    design: str = "paired",
) -> float:
    """The smallest effect d (d_z when paired) detected with ``power`` by n per group.

    The root of :func:`t_test_power` in d ∈ (0, 100]; for ``less`` the effect is
    negative.

    Examples
    --------
    >>> round(t_test_d(23, 0.8), 5)  # pwr.t.test(n=23, power=0.8, type="paired")
    0.61128
    """
    _check_alpha_power(alpha, power, alternative)
    if n < 2:
        raise ImpossiblePlan(f"n must be at least 2, found {n:g}")
    sign = -1.0 if alternative == "less" else 1.0
    d = _root(
        lambda x: (
            t_test_power(n, sign * x, alpha=alpha, alternative=alternative, design=design) - power
        ),
        1e-9,
        100.0,
        "effect",
    )
    return sign * d


def _halfwidth_factor(n: float, assurance: float | None, confidence: float) -> float:
    """t(1 − (1−conf)/2; n − 1)·√(q/(n − 1))/√n, q the χ²(n − 1) assurance quantile
    (q/(n − 1) = 1 without an assurance): half-width per unit SD."""
    df = n - 1
    ratio = 1.0 if assurance is None else stats.chi2.ppf(assurance, df) / df
    return float(stats.t.isf((1 - confidence) / 2, df) * math.sqrt(ratio / n))


def _check_halfwidth(halfwidth: float, sd: float, assurance: float | None, confidence: float):
    if not halfwidth > 0:
        raise ImpossiblePlan(f"the half-width must be above 0, found {halfwidth:g}")
    if not sd > 0:
        raise ImpossiblePlan(f"the standard deviation must be above 0, found {sd:g}")
    if assurance is not None and not 0 < assurance < 1:
        raise ImpossiblePlan(f"the assurance must lie in (0, 1), found {assurance:g}")
    if not 0 < confidence < 1:
        raise ImpossiblePlan(f"the confidence must lie in (0, 1), found {confidence:g}")


def halfwidth_n(
    halfwidth: float, sd: float, *, assurance: float | None = 0.8, confidence: float = 0.95
) -> float:
    """n for which the t-interval of a mean has half-width ≤ w with probability γ.

    The half-width t(1 − α/2; n − 1)·S/√n is random through S, with
    (n − 1)S²/σ² ~ χ²(n − 1). It is at most w with probability γ (the assurance) when

        t(1 − α/2; n − 1)·σ·√(χ²(γ; n − 1)/(n − 1))/√n ≤ w

    (Kupper & Hafner 1989). Solved for a continuous n ≥ 2; plan ⌈n⌉. With
    ``assurance=None`` the SD is taken as known (S = σ).

    Examples
    --------
    >>> n = halfwidth_n(3.0, 7.5, assurance=0.8)
    >>> math.ceil(n)
    32
    """
    _check_halfwidth(halfwidth, sd, assurance, confidence)
    return _root(
        lambda n: halfwidth - sd * _halfwidth_factor(n, assurance, confidence),
        2.0,
        N_MAX,
        "n",
    )


def halfwidth_assurance(n: int, halfwidth: float, sd: float, *, confidence: float = 0.95) -> float:
    """P(t(1 − α/2; n − 1)·S/√n ≤ w) for n observations with SD σ (the assurance of n).

    Equal to F_χ²(n−1)((n − 1)·(w·√n / (t·σ))²).

    Examples
    --------
    >>> round(halfwidth_assurance(32, 3.0, 7.5), 3)
    0.824
    """
    df = n - 1
    t = stats.t.isf((1 - confidence) / 2, df)
    return float(stats.chi2.cdf(df * (halfwidth * math.sqrt(n) / (t * sd)) ** 2, df))


def wilcoxon_n(n_t: float, are: float) -> float:
    """n of the Wilcoxon signed-rank test by the asymptotic relative efficiency: n_t / ARE.

    G*Power's "A.R.E." method: the signed-rank test needs 1/ARE times the t-test's n;
    ARE = 3/π ≈ 0.955 for normal differences and at least 0.864 for any continuous
    distribution (Lehmann 1975).

    Examples
    --------
    >>> round(wilcoxon_n(43.99548, ARE["normal"]), 3)
    46.072
    """
    if not 0 < are <= 1.5:
        raise ImpossiblePlan(f"the ARE must lie in (0, 1.5], found {are:g}")
    return n_t / are


def wilcoxon_power_simulated(
    n: int,
    d: float,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    n_sim: int = 2000,
    seed: int = 1,
) -> float:
    """Power of the Wilcoxon signed-rank test by simulation of normal differences.

    ``n_sim`` samples of n differences N(d, 1), each tested with
    ``scipy.stats.wilcoxon`` (exact null distribution for small n without ties, as R's
    ``wilcox.test``); the share with p < α. Seeded: the same seed gives the same value.

    Examples
    --------
    >>> p = wilcoxon_power_simulated(47, 0.5, n_sim=500, seed=1)
    >>> 0.85 < p < 0.95
    True
    """
    rng = np.random.default_rng(seed)
    differences = rng.normal(d, 1.0, size=(n_sim, n))
    p = stats.wilcoxon(differences, axis=1, alternative=alternative).pvalue
    return float(np.mean(p < alpha))


# --------------------------------------------------------------------------- villages


def tau2_from_icc(icc: float, sigma2: float) -> float:
    """Between-village variance from an ICC: τ² = ICC·σ²/(1 − ICC).

    From ICC = τ²/(τ² + σ²). Raises :class:`ImpossiblePlan` for ICC outside [0, 1).

    Examples
    --------
    >>> round(tau2_from_icc(0.05, 57.0), 4)
    3.0
    """
    if not 0 <= icc < 1:
        raise ImpossiblePlan(f"the ICC must lie in [0, 1), found {icc:g}")
    return icc * sigma2 / (1 - icc)


def icc_of(tau2: float, sigma2: float) -> float:
    """Intra-village correlation τ²/(τ² + σ²).

    Examples
    --------
    >>> icc_of(36.0, 57.0) == 36 / 93
    True
    """
    return tau2 / (tau2 + sigma2)


def village_mean_variance(sigma2: float, tau2: float, cadres: float) -> float:
    """Variance of one village's observed mean gain: τ² + σ²/m.

    Examples
    --------
    >>> village_mean_variance(57.0, 36.0, 15)
    39.8
    """
    return tau2 + sigma2 / cadres


def village_halfwidth(
    villages: float,
    cadres: float,
    sigma2: float,
    tau2: float,
    *,
    assurance: float | None = None,
    confidence: float = 0.95,
) -> float:
    """Half-width of the pooled mean gain's interval: t(1 − α/2; k − 1)·√((τ² + σ²/m)/k).

    The t-interval on k village means of m cadres (balanced: equal to the
    random-intercept model's). With an assurance γ, the half-width not exceeded with
    probability γ: the variance times χ²(γ; k − 1)/(k − 1) (as :func:`halfwidth_n`).

    Examples
    --------
    >>> round(village_halfwidth(12, 15, 57.0, 36.0), 6)
    4.008372
    """
    sd = math.sqrt(village_mean_variance(sigma2, tau2, cadres))
    return sd * _halfwidth_factor(villages, assurance, confidence)


def villages_for_halfwidth(
    halfwidth: float,
    cadres: float,
    sigma2: float,
    tau2: float,
    *,
    assurance: float | None = None,
    confidence: float = 0.95,
) -> float:
    """The (continuous) k at which :func:`village_halfwidth` equals ``halfwidth``.

    Examples
    --------
    >>> k = villages_for_halfwidth(4.008372, 15, 57.0, 36.0)
    >>> round(k, 4)
    12.0
    """
    sd = math.sqrt(village_mean_variance(sigma2, tau2, cadres))
    return halfwidth_n(halfwidth, sd, assurance=assurance, confidence=confidence)


def cadres_for_halfwidth(
    halfwidth: float,
    villages: int,
    sigma2: float,
    tau2: float,
    *,
    assurance: float | None = None,
    confidence: float = 0.95,
) -> float:
    """m such that k villages of m cadres reach ``halfwidth``: σ²/(k·(w/f)² − τ²).

    f = t(1 − α/2; k − 1)·√(χ²(γ; k − 1)/(k − 1)) (f = t without an assurance), from
    f²(τ² + σ²/m)/k = w². Raises :class:`ImpossiblePlan` when k·(w/f)² ≤ τ²: then no
    number of cadres is enough, since τ²/k remains however large m is.

    Examples
    --------
    >>> round(cadres_for_halfwidth(4.008372, 12, 57.0, 36.0), 3)
    15.0
    """
    _check_halfwidth(halfwidth, 1.0, assurance, confidence)
    if villages < 2:
        raise ImpossiblePlan(f"the number of villages must be at least 2, found {villages:g}")
    factor = _halfwidth_factor(villages, assurance, confidence) * math.sqrt(villages)
    room = villages * (halfwidth / factor) ** 2 - tau2
    if room <= 0:
        raise ImpossiblePlan(
            f"{villages:g} villages cannot reach ±{halfwidth:g} with any number of cadres "
            f"(τ² = {tau2:.4g} alone gives more)"
        )
    return sigma2 / room


def one_sample_power(
    villages: float,
    cadres: float,
    sigma2: float,
    tau2: float,
    *,
    mean_gain: float,
    target_gain: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float:
    """Power to show the programme's mean gain differs from (exceeds) a target.

    A one-sample t-test on k village means, effect d = (μ − target)/√(τ² + σ²/m):
    ``pwr.t.test(n = k, d = d, type = "one.sample")``.

    Examples
    --------
    >>> round(one_sample_power(12, 15, 57.0, 36.0, mean_gain=24, target_gain=20), 7)
    0.5173571
    """
    d = (mean_gain - target_gain) / math.sqrt(village_mean_variance(sigma2, tau2, cadres))
    return t_test_power(villages, d, alpha=alpha, alternative=alternative, design="one.sample")


def two_arm_power(
    villages_per_arm: float,
    cadres: float,
    sigma2: float,
    tau2: float,
    *,
    difference: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float:
    """Power to compare two arms of k villages each: two-sample t on village means.

    d = Δ/√(τ² + σ²/m): ``pwr.t.test(n = k, d = d, type = "two.sample")``.

    Examples
    --------
    >>> round(two_arm_power(20, 12, 57.0, 36.0, difference=5), 6)
    0.675073
    """
    d = difference / math.sqrt(village_mean_variance(sigma2, tau2, cadres))
    return t_test_power(
        villages_per_arm, d, alpha=alpha, alternative=alternative, design="two.sample"
    )


def villages_for_power(
    effect: float,
    power: float,
    cadres: float,
    sigma2: float,
    tau2: float,
    *,
    design: str,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> float:
    """The (continuous) k (per arm for two arms) reaching ``power`` for an effect in points.

    ``effect`` is μ − target (one sample) or Δ (two arms); d = effect/√(τ² + σ²/m).

    Examples
    --------
    >>> round(villages_for_power(5, 0.9, 15, 57.0, 36.0, design="two.sample"), 4)
    34.4449
    """
    d = effect / math.sqrt(village_mean_variance(sigma2, tau2, cadres))
    return t_test_n(d, power, alpha=alpha, alternative=alternative, design=design)


def design_effect(cadres: float, icc: float) -> float:
    """Design effect of clusters of m: 1 + (m − 1)·ICC (Donner & Klar 2000).

    Examples
    --------
    >>> round(design_effect(15, 0.05), 10)
    1.7
    """
    return 1 + (cadres - 1) * icc


def effective_sample_size(villages: float, cadres: float, icc: float) -> float:
    """k·m cadres worth k·m / (1 + (m − 1)·ICC) independent ones.

    Examples
    --------
    >>> round(effective_sample_size(10, 15, 0.05), 3)
    88.235
    """
    return villages * cadres / design_effect(cadres, icc)


def cost_optimal_cadres(
    cost_village: float, cost_cadre: float, sigma2: float, tau2: float
) -> float:
    """Cadres per village minimising the variance of the mean gain at a fixed budget.

    m* = √((c_village / c_cadre)·(σ²/τ²)) (Raudenbush 1997, eq. 20), the m minimising
    (τ² + σ²/m)·(c_village + m·c_cadre). Infinite when τ² = 0.

    Examples
    --------
    >>> round(cost_optimal_cadres(400.0, 25.0, 57.0, 36.0), 4)
    5.0332
    """
    if not (cost_village > 0 and cost_cadre > 0):
        raise ImpossiblePlan("the costs of a village and of a cadre must be above 0")
    if tau2 <= 0:
        return math.inf
    return math.sqrt(cost_village / cost_cadre * sigma2 / tau2)
