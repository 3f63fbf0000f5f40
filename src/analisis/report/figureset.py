"""The figures of one run: each drawn from the results, in both languages, three formats.

The figure functions (:mod:`analisis.figures`) take plain values and tables; this module
picks them from the result types. File names come from :mod:`analisis.registry`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analisis.figures import companions, diagrams, planning, villages, waves
from analisis.figures.style import save_figure
from analisis.registry import FIGURE_NEEDS, Run
from analisis.report import sources
from analisis.report.sources import Results


@dataclass(frozen=True)
class FigureSpec:
    """How to draw one figure and describe it from the results."""

    draw: Callable[[Results, str], Figure]
    alt_text: Callable[[Results, str], str]
    #: The result (a :class:`Results` field) without which there is no figure.
    needs_result: str | None = None


def _group_means(results: Results) -> pd.DataFrame:
    """skill_groups.csv with the interval columns the figure functions name ci_low/ci_high."""
    groups = results.skill_groups.rename(columns={"ci95_lower": "ci_low", "ci95_upper": "ci_high"})
    keys = ["cohort", "group"] if "cohort" in groups.columns else ["group"]
    return groups[[*keys, "n", "mean", "ci_low", "ci_high"]]


def _items(results: Results) -> pd.DataFrame:
    """items.csv with the difficulty columns the dumbbell names p_pre/p_post."""
    return results.item_analysis.rename(
        columns={"difficulty_pre": "p_pre", "difficulty_post": "p_post"}
    )


def _paired(results: Results) -> dict:
    """knowledge_paired.json as the figure functions read it (the file's shape)."""
    return results.knowledge_paired.to_dict()


def _robustness(results: Results):
    """The first cohort's search (the figure shows one distribution)."""
    return results.published_robustness.cohorts[0]


def _meta_gain(results: Results) -> dict | None:
    """pooled.json's meta-analysis of the gain as the forest plot reads it (None: none)."""
    meta = None if results.pooled is None else results.pooled.meta_gain
    return None if meta is None else meta.to_dict()


def _gain_flags(results: Results) -> tuple[list[str], float] | None:
    """The villages the mixed model of the gain flags below its target, and the target
    (None without a model or a target)."""
    model = None if results.pooled is None else results.pooled.mixed_gain
    if model is None or model.target is None:
        return None
    return [blup.village for blup in model.blups if blup.below_target], model.target


def _several_villages(results: Results) -> bool:
    """Whether the study has two or more villages (then pooled.json exists)."""
    return results.pooled is not None


def _plan_curves(results: Results) -> dict:
    """planning.json as the planning figure reads it: curves, target, the planned point."""
    plan = results.planning.halfwidth_plan
    return {
        "curves": [curve.to_dict() for curve in results.planning.curves],
        "target": plan.halfwidth,
        "planned": (plan.planned, int(plan.cadres)),
    }


def _robustness_kwargs(results: Results) -> dict:
    return {"significant_in_every_case": _robustness(results).significant_in_every_case}


FIGURES: dict[str, FigureSpec] = {
    "diagram1_knowledge_means": FigureSpec(
        lambda r, lang: diagrams.diagram1_knowledge_means(
            r.knowledge_paired.pre.mean, r.knowledge_paired.post.mean, lang
        ),
        lambda r, lang: diagrams.diagram1_alt_text(
            r.knowledge_paired.pre.mean, r.knowledge_paired.post.mean, lang
        ),
    ),
    "diagram2_skill_means": FigureSpec(
        lambda r, lang: (
            diagrams.diagram2_village_means(r.skill.mean, r.by_village, lang)
            if _several_villages(r)
            else diagrams.diagram2_skill_means(r.skill.mean, _group_means(r), lang)
        ),
        lambda r, lang: (
            diagrams.diagram2_village_alt_text(r.skill.mean, r.by_village, lang)
            if _several_villages(r)
            else diagrams.diagram2_alt_text(r.skill.mean, _group_means(r), lang)
        ),
    ),
    "knowledge_paired_plot": FigureSpec(
        lambda r, lang: companions.paired_plot(
            sources.paired_pairs(r), _paired(r), sources.phase_ci(r), lang
        ),
        lambda r, lang: companions.paired_plot_alt_text(_paired(r), sources.phase_ci(r), lang),
    ),
    "forest_plot": FigureSpec(
        lambda r, lang: villages.forest_plot(r.by_village, _meta_gain(r), lang, _gain_flags(r)),
        lambda r, lang: villages.forest_plot_alt_text(r.by_village, _meta_gain(r), lang),
    ),
    "skill_by_village": FigureSpec(
        lambda r, lang: villages.skill_by_village(r.by_village, r.skill.competence_threshold, lang),
        lambda r, lang: villages.skill_by_village_alt_text(
            r.by_village, r.skill.competence_threshold, lang
        ),
    ),
    "skill_by_group": FigureSpec(
        lambda r, lang: companions.skill_by_group(
            r.skill_scores, _group_means(r), r.skill.competence_threshold, lang
        ),
        lambda r, lang: companions.skill_by_group_alt_text(
            _group_means(r), r.skill.competence_threshold, lang
        ),
    ),
    "checklist_steps": FigureSpec(
        lambda r, lang: companions.checklist_steps(r.skill_steps_summary, lang),
        lambda r, lang: companions.checklist_steps_alt_text(r.skill_steps_summary, lang),
    ),
    "knowledge_items": FigureSpec(
        lambda r, lang: companions.items_dumbbell(_items(r), lang),
        lambda r, lang: companions.items_dumbbell_alt_text(_items(r), lang),
    ),
    "robustness_d_z": FigureSpec(
        lambda r, lang: companions.robustness_d_z(
            list(_robustness(r).d_z.values),
            lang,
            observed_d_z=r.knowledge_paired.effect_size.d_z,
            **_robustness_kwargs(r),
        ),
        lambda r, lang: companions.robustness_d_z_alt_text(
            list(_robustness(r).d_z.values), lang, **_robustness_kwargs(r)
        ),
    ),
    "planning_halfwidth": FigureSpec(
        lambda r, lang: planning.planning_halfwidth(
            **_plan_curves(r),
            assurance=r.planning.halfwidth_plan.assumptions.assurance,
            lang=lang,
        ),
        lambda r, lang: planning.planning_halfwidth_alt_text(**_plan_curves(r), lang=lang),
        needs_result="planning",
    ),
    "waves_diagram": FigureSpec(
        lambda r, lang: waves.waves_diagram(
            sources.wave_labels(r, lang), sources.wave_means(r)[0], lang
        ),
        lambda r, lang: waves.waves_diagram_alt_text(
            sources.wave_labels(r, lang), sources.wave_means(r)[0], lang
        ),
    ),
    "waves_lines": FigureSpec(
        lambda r, lang: waves.waves_lines(
            sources.wave_scores(r), sources.wave_labels(r, lang), *sources.wave_means(r), lang
        ),
        lambda r, lang: waves.waves_lines_alt_text(
            sources.wave_scores(r), sources.wave_labels(r, lang), *sources.wave_means(r), lang
        ),
    ),
}


def available_figures(results: Results) -> list[str]:
    """Names of the figures the results allow (the robustness one only after the review,
    the village ones only with the pooled analysis of two or more villages, the planning
    one with a plan)."""
    run = Run(
        published=results.published_robustness is not None,
        villages=_several_villages(results),
        follow_up=results.waves is not None,
    )
    return [
        name
        for name, spec in FIGURES.items()
        if run.has(FIGURE_NEEDS[name])
        and (spec.needs_result is None or getattr(results, spec.needs_result) is not None)
    ]


def draw_figure(name: str, results: Results, lang: str) -> Figure:
    """Figure ``name`` in language ``lang``, drawn from ``results``."""
    return FIGURES[name].draw(results, lang)


def figure_alt_text(name: str, results: Results, lang: str) -> str:
    """Alt text of figure ``name`` in language ``lang``."""
    return FIGURES[name].alt_text(results, lang)


def write_figures(
    results: Results, files: Mapping[str, Sequence[str | os.PathLike]], lang: str
) -> list[Path]:
    """Draw each figure of ``files`` (``{name: [path.png, path.svg, ...]}``) in ``lang``.

    The format of each file is its suffix.
    """
    written: list[Path] = []
    for name, paths in files.items():
        figure = draw_figure(name, results, lang)
        for path in map(Path, paths):
            written.extend(save_figure(figure, path.with_suffix(""), [path.suffix[1:]]))
    return written
