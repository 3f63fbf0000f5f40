"""Assemble plans of the next wave (typed results) from :mod:`analisis.stats.plan`.

:func:`paired_plan` and :func:`village_plan` answer one question each (``analisis plan
paired`` / ``villages``): the quantity left out is solved for, its exact value kept and
its ceiling planned. :func:`planning_result` is the pipeline's planning.json: the plan
from this run's σ² and τ², or with one village from σ² of the paired gains and the
config's ICC assumption, each with a sensitivity analysis. See docs/statistics.md,
section "Planning".
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from analisis.errors import InputError
from analisis.results import (
    HalfwidthCurve,
    PairedPlan,
    PlanAssumptions,
    PlanningResult,
    VillagePlan,
    WilcoxonPlan,
)
from analisis.stats import plan

if TYPE_CHECKING:  # the command line plans without importing pandas
    import pandas as pd

#: How ``analisis plan paired`` computes each answer (``PairedPlan.method``).
PAIRED_METHODS = {
    "t": "exact noncentral t, as pwr.t.test(type = 'paired')",
    "halfwidth": "chi-square assurance of the SD (Kupper & Hafner 1989)",
}


def paired_plan(
    *,
    n: float | None = None,
    d: float | None = None,
    power: float | None = None,
    halfwidth: float | None = None,
    sd: float | None = None,
    assurance: float = 0.8,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    simulations: int | None = None,
    seed: int = 1,
) -> PairedPlan:
    """Solve the paired t-test for the one of n, d, power not given, or n for a half-width.

    Given ``halfwidth`` and ``sd``: n by :func:`~analisis.stats.plan.halfwidth_n`.
    Otherwise exactly two of ``n``, ``d``, ``power``. When n is solved, the Wilcoxon
    test's n by both AREs is added and, with ``simulations``, the simulated power of
    the signed-rank test at the normal-ARE n.

    Examples
    --------
    >>> p = paired_plan(d=0.5, power=0.9)
    >>> p.solved, round(p.n, 5), p.planned
    ('n', 43.99548, 44)
    """
    if halfwidth is not None or sd is not None:
        if halfwidth is None or sd is None:
            raise plan.ImpossiblePlan("a half-width needs both --halfwidth and --sd")
        value = plan.halfwidth_n(halfwidth, sd, assurance=assurance, confidence=1 - alpha)
        return PairedPlan(
            "n", math.ceil(value), PAIRED_METHODS["halfwidth"], alpha, alternative,
            n=value, halfwidth=halfwidth, sd=sd, assurance=assurance,
        )  # fmt: skip
    given = {"n": n, "d": d, "power": power}
    missing = [name for name, value in given.items() if value is None]
    if len(missing) != 1:
        raise plan.ImpossiblePlan(
            "give exactly two of --n, --d and --power (or --halfwidth with --sd)"
        )
    options = {"alpha": alpha, "alternative": alternative}
    if missing == ["power"]:
        power = plan.t_test_power(n, d, **options)
    elif missing == ["d"]:
        d = plan.t_test_d(n, power, **options)
    else:
        n = plan.t_test_n(d, power, **options)
    solved = missing[0]
    result = PairedPlan(
        solved, math.ceil(n) if solved == "n" else None, PAIRED_METHODS["t"], alpha,
        alternative, n=n, d=d, power=power,
    )  # fmt: skip
    if solved != "n":
        return result
    wilcoxon = tuple(
        WilcoxonPlan(name, are, plan.wilcoxon_n(n, are), math.ceil(plan.wilcoxon_n(n, are)))
        for name, are in plan.ARE.items()
    )
    simulated = None
    if simulations:
        simulated = plan.wilcoxon_power_simulated(
            wilcoxon[0].planned, d, n_sim=simulations, seed=seed, **options
        )
    return dataclasses.replace(
        result,
        wilcoxon=wilcoxon,
        wilcoxon_power_simulated=simulated,
        simulations=simulations or None,
        seed=seed if simulations else None,
    )


def assumptions(
    source: str,
    sigma2: float,
    tau2: float,
    *,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    assurance: float | None = None,
) -> PlanAssumptions:
    """The assumptions of a village plan, with the ICC τ²/(τ² + σ²).

    Examples
    --------
    >>> assumptions("options", 57.0, 36.0).icc == 36 / 93
    True
    """
    if not (math.isfinite(sigma2) and sigma2 > 0):
        raise plan.ImpossiblePlan(f"sigma² must be above 0, found {sigma2:g}")
    if not (math.isfinite(tau2) and tau2 >= 0):
        raise plan.ImpossiblePlan(f"tau² must be 0 or above, found {tau2:g}")
    if assurance is not None and not 0 < assurance < 1:
        raise plan.ImpossiblePlan(f"the assurance must lie in (0, 1), found {assurance:g}")
    icc = plan.icc_of(tau2, sigma2)
    return PlanAssumptions(source, sigma2, tau2, icc, alpha, alternative, assurance)


def village_plan(
    a: PlanAssumptions,
    *,
    villages: float | None = None,
    cadres: float | None = None,
    halfwidth: float | None = None,
    power: float | None = None,
    mean_gain: float | None = None,
    target_gain: float | None = None,
    difference: float | None = None,
    cost_village: float | None = None,
    cost_cadre: float | None = None,
) -> VillagePlan:
    """Answer one planning question about k villages × m cadres under assumptions ``a``.

    * k and m given: the half-width, and the power when a gain against a target
      (``mean_gain``, ``target_gain``: one-sample) or a ``difference`` between two arms
      of k villages each is given (the half-width is the pooled mean's, so not given
      for two arms).
    * k missing: k for the ``power`` (difference: per arm; mean and target: one sample)
      or, failing those, for the ``halfwidth``.
    * m missing and k given: m for the ``halfwidth``.
    * Costs of a village and of a cadre: m* = √((c_v/c_c)·σ²/τ²), rounded, is the m
      planned with when m is not given; the plan's total cost is k·(c_v + m·c_c).

    Examples
    --------
    >>> a = assumptions("options", 57.0, 36.0)
    >>> round(village_plan(a, villages=12, cadres=15).halfwidth, 6)
    4.008372
    >>> p = village_plan(a, cadres=15, difference=5, power=0.9)
    >>> p.solved, round(p.villages_per_arm, 4), p.planned
    ('villages_per_arm', 34.4449, 35)
    """
    test, effect = _test_of(mean_gain, target_gain, difference)
    cadres, cadres_optimal = _cadres_of(a, cadres, cost_village, cost_cadre)
    solved, value = _solve(a, villages, cadres, halfwidth, power, test, effect)
    planned = None if solved is None else math.ceil(value)
    k = planned if solved in ("villages", "villages_per_arm") else villages
    m = planned if solved == "cadres" else cadres
    if k < 2:
        raise plan.ImpossiblePlan(f"at least 2 villages are needed, found {k:g}")
    variance = (a.sigma2, a.tau2)
    if test is not None and solved is None:
        d = effect / math.sqrt(plan.village_mean_variance(*variance, m))
        power = plan.t_test_power(k, d, alpha=a.alpha, alternative=a.alternative, design=test)
    per_arm = test == "two.sample"
    assured = None
    if not per_arm:
        if halfwidth is None or solved is None:
            halfwidth = plan.village_halfwidth(k, m, *variance, confidence=1 - a.alpha)
        if a.assurance is not None:
            assured = plan.village_halfwidth(
                k, m, *variance, assurance=a.assurance, confidence=1 - a.alpha
            )
    arms = 2 if per_arm else 1
    exact = {solved: value} if solved else {}
    return VillagePlan(
        solved,
        planned,
        a,
        villages=None if per_arm else exact.get("villages", k),
        villages_per_arm=exact.get("villages_per_arm", k) if per_arm else None,
        cadres=exact.get("cadres", m),
        cadres_optimal=cadres_optimal,
        halfwidth=halfwidth,
        halfwidth_assured=assured,
        test=test,
        power=power,
        mean_gain=mean_gain,
        target_gain=target_gain,
        difference=difference,
        design_effect=plan.design_effect(m, a.icc),
        effective_sample_size=plan.effective_sample_size(arms * k, m, a.icc),
        cost_village=cost_village,
        cost_cadre=cost_cadre,
        cost=None if cost_village is None else arms * k * (cost_village + m * cost_cadre),
    )


def _test_of(
    mean_gain: float | None, target_gain: float | None, difference: float | None
) -> tuple[str | None, float | None]:
    """(design, effect in points) of the power question asked, if any."""
    one_sample = mean_gain is not None or target_gain is not None
    if one_sample and (mean_gain is None or target_gain is None):
        raise plan.ImpossiblePlan("the one-sample question needs --mean-gain and --target-gain")
    if one_sample and difference is not None:
        raise plan.ImpossiblePlan("ask one question: --difference or --mean-gain/--target-gain")
    if difference is not None:
        return "two.sample", difference
    return ("one.sample", mean_gain - target_gain) if one_sample else (None, None)


def _cadres_of(
    a: PlanAssumptions,
    cadres: float | None,
    cost_village: float | None,
    cost_cadre: float | None,
) -> tuple[float | None, float | None]:
    """(m to plan with, the cost-optimal m* or None): m given, else m* rounded (≥ 1)."""
    if (cost_village is None) != (cost_cadre is None):
        raise plan.ImpossiblePlan("costs need both --cost-village and --cost-cadre")
    if cost_village is None:
        return cadres, None
    optimal = plan.cost_optimal_cadres(cost_village, cost_cadre, a.sigma2, a.tau2)
    if cadres is None and math.isinf(optimal):
        raise plan.ImpossiblePlan(
            "with tau² = 0 every cadre may come from one village: give --cadres"
        )
    return (float(max(1, round(optimal))) if cadres is None else cadres), optimal


def _solve(
    a: PlanAssumptions,
    villages: float | None,
    cadres: float | None,
    halfwidth: float | None,
    power: float | None,
    test: str | None,
    effect: float | None,
) -> tuple[str | None, float | None]:
    """(name of the quantity solved for, its exact value), or (None, None) with k and m."""
    variance = (a.sigma2, a.tau2)
    options = {"assurance": a.assurance, "confidence": 1 - a.alpha}
    if villages is None:
        if cadres is None:
            raise plan.ImpossiblePlan("give --cadres (or the costs) to solve for the villages")
        if test is not None and power is not None:
            value = plan.villages_for_power(
                effect, power, cadres, *variance, design=test, alpha=a.alpha,
                alternative=a.alternative,
            )  # fmt: skip
            return ("villages_per_arm" if test == "two.sample" else "villages"), value
        if halfwidth is not None:
            return "villages", plan.villages_for_halfwidth(halfwidth, cadres, *variance, **options)
        raise plan.ImpossiblePlan(
            "nothing to solve: give --villages, or a target: --halfwidth, or --power with "
            "--difference or --mean-gain/--target-gain"
        )
    if cadres is None:
        if halfwidth is None:
            raise plan.ImpossiblePlan("give --cadres, or --halfwidth to solve for the cadres")
        return "cadres", plan.cadres_for_halfwidth(halfwidth, villages, *variance, **options)
    return None, None


def with_sensitivity(
    question: Mapping, primary: PlanAssumptions, others: Sequence[PlanAssumptions]
) -> VillagePlan:
    """The plan of ``question`` (keyword arguments of :func:`village_plan`) under
    ``primary``, with the same question under each of ``others`` as its sensitivity.

    Examples
    --------
    >>> a, b = assumptions("pooled", 57.0, 36.0), assumptions("tau2_upper", 57.0, 60.0)
    >>> p = with_sensitivity({"villages": 12, "cadres": 15}, a, [b])
    >>> p.halfwidth < p.sensitivity[0].halfwidth
    True
    """
    plans = [village_plan(other, **question) for other in others]
    return dataclasses.replace(village_plan(primary, **question), sensitivity=tuple(plans))


def _number(data: Mapping, source: str, *keys: str, required: bool = True) -> float | None:
    """The number at the dotted ``keys`` of a JSON document; None if absent and optional."""
    value = data
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        where = ".".join(keys)
        raise InputError(source, f"a number at {where!r}", column=where, found=repr(value))
    return float(value)


def variances_from_pooled(pooled: Mapping, source: str) -> tuple[float, float, float | None]:
    """(σ², τ², upper end of τ²'s 95 % interval or None) from a pooled.json document.

    σ² and τ² are the random-intercept model's (``mixed_gain.sigma2``, ``.tau2``); the
    upper end is ``meta_gain.tau2_ci95[1]`` (Q-profile) when the file has it.

    Examples
    --------
    >>> variances_from_pooled({"mixed_gain": {"sigma2": 57, "tau2": 36}}, "p.json")
    (57.0, 36.0, None)
    """
    sigma2 = _number(pooled, source, "mixed_gain", "sigma2")
    tau2 = _number(pooled, source, "mixed_gain", "tau2")
    interval = (pooled.get("meta_gain") or {}).get("tau2_ci95")
    upper = None
    if isinstance(interval, list | tuple) and len(interval) == 2 and interval[1] is not None:
        upper = _number({"upper": interval[1]}, source, "upper")
    return sigma2, tau2, upper


def planning_scenarios(
    settings: Mapping,
    *,
    sigma2: float,
    tau2: float | None,
    tau2_upper: float | None,
) -> tuple[PlanAssumptions, list[PlanAssumptions]]:
    """The primary assumptions and the sensitivity ones of a run's plan.

    With τ² estimated (``tau2`` not None): primary ``pooled``, and ``tau2_upper`` when
    its interval is known. Without: τ² from ``settings['icc']`` (``icc_assumption``),
    with ``icc_low`` and ``icc_high`` as the sensitivity.

    Examples
    --------
    >>> s = {"icc": 0.05, "icc_low": 0.01, "icc_high": 0.1, "alpha": 0.05, "assurance": 0.8}
    >>> a, others = planning_scenarios(s, sigma2=57.0, tau2=None, tau2_upper=None)
    >>> a.source, round(a.tau2, 4), [o.source for o in others]
    ('icc_assumption', 3.0, ['icc_low', 'icc_high'])
    """
    options = {"alpha": settings["alpha"], "assurance": settings["assurance"]}
    if tau2 is not None:
        others = (
            [] if tau2_upper is None else [assumptions("tau2_upper", sigma2, tau2_upper, **options)]
        )
        return assumptions("pooled", sigma2, tau2, **options), others
    iccs = (("icc_assumption", "icc"), ("icc_low", "icc_low"), ("icc_high", "icc_high"))
    made = [
        assumptions(name, sigma2, plan.tau2_from_icc(settings[key], sigma2), **options)
        for name, key in iccs
    ]
    return made[0], made[1:]


def halfwidth_curves(
    a: PlanAssumptions, cadres: Sequence[int], max_villages: int
) -> tuple[HalfwidthCurve, ...]:
    """Half-width (with the assumptions' assurance) for k = 2..max_villages, per m.

    Examples
    --------
    >>> c = halfwidth_curves(assumptions("options", 57.0, 36.0), [15], 12)[0]
    >>> c.villages[-1], round(c.halfwidth[-1], 6)
    (12, 4.008372)
    """
    villages = tuple(range(2, max_villages + 1))
    return tuple(
        HalfwidthCurve(
            m,
            villages,
            tuple(
                plan.village_halfwidth(
                    k, m, a.sigma2, a.tau2, assurance=a.assurance, confidence=1 - a.alpha
                )
                for k in villages
            ),
        )
        for m in cadres
    )


def _has_variances(pooled: Mapping | None) -> bool:
    """Whether pooled.json's mixed model of the gains gave σ² > 0 and τ².

    Examples
    --------
    >>> _has_variances({"mixed_gain": {"sigma2": 57.0, "tau2": 0.0}}), _has_variances(None)
    (True, False)
    >>> _has_variances({"mixed_gain": None})
    False
    """
    mixed = (pooled or {}).get("mixed_gain") or {}
    return bool(mixed.get("sigma2")) and mixed.get("tau2") is not None


def planning_result(
    knowledge_wide: pd.DataFrame, pooled: Mapping | None, settings: Mapping, source: str = ""
) -> PlanningResult:
    """planning.json from a run: knowledge_wide (paired rows) and pooled.json if any.

    σ² and τ² come from ``pooled`` (the mixed model of the gains) when given and the
    model gave them; otherwise σ² is the variance of the paired gains and τ² follows from
    ``settings['icc']``.
    ``settings`` is the config's ``planning`` block (defaults in the schema).
    """
    paired = knowledge_wide[knowledge_wide["paired"].astype(bool)]
    gains = paired["post"] - paired["pre"]
    n_villages = int(knowledge_wide["cohort"].nunique())
    if _has_variances(pooled):
        sigma2, tau2, upper = variances_from_pooled(pooled, source)
        sources = ("pooled", "pooled")
    else:
        if len(gains) < 2:
            raise InputError(source, "at least 2 paired knowledge scores", found=str(len(gains)))
        sigma2, tau2, upper = float(gains.var(ddof=1)), None, None
        sources = ("paired_gains", "icc_assumption")
    primary, others = planning_scenarios(settings, sigma2=sigma2, tau2=tau2, tau2_upper=upper)
    cadres = settings["cadres"]
    halfwidth_plan = with_sensitivity(
        {"cadres": cadres, "halfwidth": settings["halfwidth"]}, primary, others
    )
    arms_plan = with_sensitivity(
        {"cadres": cadres, "difference": settings["difference"], "power": settings["power"]},
        primary,
        others,
    )
    cost_plan = None
    if primary.tau2 > 0:
        cost_plan = village_plan(
            primary,
            halfwidth=settings["halfwidth"],
            cost_village=settings["cost_village"],
            cost_cadre=settings["cost_cadre"],
        )
    return PlanningResult(
        n_villages=n_villages,
        mean_gain=float(gains.mean()) if len(gains) else None,
        sigma2_source=sources[0],
        tau2_source=sources[1],
        halfwidth_plan=halfwidth_plan,
        arms_plan=arms_plan,
        cost_plan=cost_plan,
        curves=halfwidth_curves(
            primary,
            sorted({*settings["curve_cadres"], cadres}),
            max(settings["curve_villages"], halfwidth_plan.planned),
        ),
    )
