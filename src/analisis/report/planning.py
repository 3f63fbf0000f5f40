"""The report's section "Planning the next wave": planning.json in words and a table.

As the other report modules, nothing here computes a statistic: the plan, its
assumptions and the sensitivity plans are formatted (:mod:`analisis.stats.planning`
computed them). The section opens with one sentence a district officer can act on,
then says where σ² and τ² came from (with one village: the ICC assumption), the
cost-optimal plan, the table of assumptions and the command line for other targets.
"""

from __future__ import annotations

from typing import Any

from analisis.report.sources import Results
from analisis.results import PlanningResult, VillagePlan
from analisis.text import say


def _percent(f: Any, share: float) -> str:
    return f.num(100 * share, 0)


def plan_sentence(p: PlanningResult, lang: str, f: Any) -> str:
    """The plan in one sentence: villages × cadres for the half-width, villages per arm.

    Examples
    --------
    >>> from analisis.report.context import Formatter
    >>> from analisis.stats.planning import planning_result
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"cohort": "a", "pre": [50.0, 60, 70, 55],
    ...                      "post": [70.0, 75, 90, 80], "paired": True})
    >>> from analisis.config import DEFAULTS
    >>> p = planning_result(wide, None, DEFAULTS["planning"])
    >>> print(plan_sentence(p, "en", Formatter("en")))  # doctest: +NORMALIZE_WHITESPACE
    4 villages × 12 cadres give the programme's mean gain within ±3.0 points (95% CI, with
    80% assurance); 4 villages per arm, 12 cadres each, detect a 5.0-point difference in
    gain between two arms with 90% power (α = 0.05).
    """
    h, arms = p.halfwidth_plan, p.arms_plan
    return say(
        "report.planning_plan", lang,
        villages=f.count(h.planned), cadres=f.count(h.cadres), halfwidth=f.num(h.halfwidth, 1),
        assurance=_percent(f, h.assumptions.assurance), per_arm=f.count(arms.planned),
        difference=f.num(arms.difference, 1), power=_percent(f, arms.power),
        alpha=f.num(arms.assumptions.alpha),
    )  # fmt: skip


def _assumption_text(p: PlanningResult, lang: str, f: Any) -> str:
    """Where σ² and τ² came from, and the plan at τ²'s upper end when there is one."""
    a = p.halfwidth_plan.assumptions
    if p.tau2_source == "icc_assumption":
        low, high = (s.assumptions.icc for s in p.halfwidth_plan.sensitivity)
        key = "one_village" if p.n_villages == 1 else "no_estimate"
        return say(
            f"report.planning_{key}", lang, icc=f.num(a.icc), sigma2=f.num(a.sigma2),
            low=f.num(low), high=f.num(high), n=f.count(p.n_villages),
        )  # fmt: skip
    text = say("report.planning_pooled", lang, sigma2=f.num(a.sigma2), tau2=f.num(a.tau2),
               icc=f.num(a.icc), n=f.count(p.n_villages))  # fmt: skip
    if not p.halfwidth_plan.sensitivity:
        return text + say("report.planning_no_interval", lang)
    upper, arms = p.halfwidth_plan.sensitivity[0], p.arms_plan.sensitivity[0]
    return text + say(
        "report.planning_tau2_upper", lang, tau2=f.num(upper.assumptions.tau2),
        villages=f.count(upper.planned), per_arm=f.count(arms.planned),
    )  # fmt: skip


def _cost_text(p: PlanningResult, lang: str, f: Any) -> str:
    c = p.cost_plan
    if c is None:
        return say("report.planning_no_cost", lang)
    return say(
        "report.planning_cost", lang, ratio=f.num(c.cost_village / c.cost_cadre, 1),
        halfwidth=f.num(c.halfwidth, 1), cadres=f.count(c.cadres),
        m_star=f.num(c.cadres_optimal, 1), villages=f.count(c.planned),
    )  # fmt: skip


def _rows(p: PlanningResult, lang: str, f: Any) -> list[list[str]]:
    plans: list[tuple[VillagePlan, VillagePlan]] = [
        (p.halfwidth_plan, p.arms_plan),
        *zip(p.halfwidth_plan.sensitivity, p.arms_plan.sensitivity, strict=True),
    ]
    return [
        [
            say(f"report.planning_source.{h.assumptions.source}", lang),
            f.num(h.assumptions.sigma2),
            f.num(h.assumptions.tau2),
            f.num(h.assumptions.icc, 3),
            f.count(h.planned),
            f.count(arms.planned),
            f.num(h.design_effect),
        ]
        for h, arms in plans
    ]


def command_line(p: PlanningResult) -> str:
    """The ``analisis plan villages`` call that recomputes the half-width plan.

    Examples
    --------
    >>> from analisis.results import PlanAssumptions, VillagePlan
    >>> a = PlanAssumptions("pooled", 57.0, 3.0, 0.05, 0.05, "two-sided", 0.8)
    >>> h = VillagePlan("villages", 8, a, villages=7.2, cadres=12.0, halfwidth=3.0)
    >>> p = PlanningResult(1, 23.5, "paired_gains", "icc_assumption", h, h, None, ())
    >>> command_line(p)
    'analisis plan villages --sigma2 57 --tau2 3 --cadres 12 --halfwidth 3 --assurance 0.8'
    """
    h = p.halfwidth_plan
    a = h.assumptions
    return (
        f"analisis plan villages --sigma2 {a.sigma2:.4g} --tau2 {a.tau2:.4g} "
        f"--cadres {h.cadres:g} --halfwidth {h.halfwidth:g} --assurance {a.assurance:g}"
    )


def planning_context(results: Results, lang: str, formatter: Any) -> dict[str, Any] | None:
    """The section's sentences, table header and rows; None without a plan."""
    p = results.planning
    if p is None:
        return None
    f = formatter
    header = [
        say("report.planning_assumption", lang), "σ²", "τ²", "ICC",
        say("report.planning_villages_for", lang, halfwidth=f.num(p.halfwidth_plan.halfwidth, 1)),
        say("report.planning_per_arm", lang), say("report.planning_design_effect", lang),
    ]  # fmt: skip
    return {
        "sentence": plan_sentence(p, lang, f),
        "assumptions": _assumption_text(p, lang, f),
        "cost": _cost_text(p, lang, f),
        "method": say("report.planning_method", lang),
        "header": header,
        "rows": _rows(p, lang, f),
        "command_intro": say("report.planning_command", lang),
        "command": command_line(p),
    }
