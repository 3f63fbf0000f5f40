"""The figures of one run: each drawn from the result files, in both languages, three formats.

File names: ``<out_dir>/<name>_<lang>.<png|svg|pdf>``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from analisis.figures import companions, diagrams
from analisis.figures.style import FORMATS, save_figure
from analisis.fmt import LANGUAGES
from analisis.report import sources
from analisis.report.sources import Results


@dataclass(frozen=True)
class FigureSpec:
    """How to draw one figure and describe it from the results."""

    draw: Callable[[Results, str], Figure]
    alt_text: Callable[[Results, str], str]
    optional: bool = False


def _group_means(results: Results):
    return results["skill_groups"][["group", "n", "mean", "ci_low", "ci_high"]]


def _robustness(results: Results) -> dict:
    """The first cohort's search (the figure shows one distribution)."""
    return sources.robustness(results)[0]


def _robustness_kwargs(results: Results) -> dict:
    return {"significant_in_every_case": _robustness(results)["significant_in_every_case"]}


FIGURES: dict[str, FigureSpec] = {
    "diagram1_knowledge_means": FigureSpec(
        lambda r, lang: diagrams.diagram1_knowledge_means(
            r["paired"]["pre"]["mean"], r["paired"]["post"]["mean"], lang
        ),
        lambda r, lang: diagrams.diagram1_alt_text(
            r["paired"]["pre"]["mean"], r["paired"]["post"]["mean"], lang
        ),
    ),
    "diagram2_skill_means": FigureSpec(
        lambda r, lang: diagrams.diagram2_skill_means(
            sources.skill(r)["mean"], _group_means(r), lang
        ),
        lambda r, lang: diagrams.diagram2_alt_text(sources.skill(r)["mean"], _group_means(r), lang),
    ),
    "knowledge_paired_plot": FigureSpec(
        lambda r, lang: companions.paired_plot(
            sources.paired_pairs(r), r["paired"], sources.phase_ci(r), lang
        ),
        lambda r, lang: companions.paired_plot_alt_text(r["paired"], sources.phase_ci(r), lang),
    ),
    "skill_by_group": FigureSpec(
        lambda r, lang: companions.skill_by_group(
            r["skill_scores"], _group_means(r), sources.skill(r)["threshold"], lang
        ),
        lambda r, lang: companions.skill_by_group_alt_text(
            _group_means(r), sources.skill(r)["threshold"], lang
        ),
    ),
    "checklist_steps": FigureSpec(
        lambda r, lang: companions.checklist_steps(sources.steps_table(r), lang),
        lambda r, lang: companions.checklist_steps_alt_text(sources.steps_table(r), lang),
    ),
    "knowledge_items": FigureSpec(
        lambda r, lang: companions.items_dumbbell(r["items"], lang),
        lambda r, lang: companions.items_dumbbell_alt_text(r["items"], lang),
    ),
    "robustness_d_z": FigureSpec(
        lambda r, lang: companions.robustness_d_z(
            _robustness(r)["d_z_values"],
            lang,
            observed_d_z=r["paired"]["effect_size"]["d_z"],
            **_robustness_kwargs(r),
        ),
        lambda r, lang: companions.robustness_d_z_alt_text(
            _robustness(r)["d_z_values"], lang, **_robustness_kwargs(r)
        ),
        optional=True,
    ),
}
FIGURE_NAMES = tuple(FIGURES)


def available_figures(results: Results) -> list[str]:
    """Names of the figures the results allow (the robustness one only after the review)."""
    searched = sources.robustness(results)
    return [name for name, spec in FIGURES.items() if not spec.optional or searched]


def draw_figure(name: str, results: Results, lang: str) -> Figure:
    """Figure ``name`` in language ``lang``, drawn from ``results``."""
    return FIGURES[name].draw(results, lang)


def figure_alt_text(name: str, results: Results, lang: str) -> str:
    """Alt text of figure ``name`` in language ``lang``."""
    return FIGURES[name].alt_text(results, lang)


def figure_stem(out_dir: str | os.PathLike, name: str, lang: str) -> Path:
    """``<out_dir>/<name>_<lang>`` (add ``.png``, ``.svg`` or ``.pdf``).

    Examples
    --------
    >>> figure_stem("reports/figures", "diagram1_knowledge_means", "id").as_posix()
    'reports/figures/diagram1_knowledge_means_id'
    """
    return Path(out_dir) / f"{name}_{lang}"


def write_figures(
    results: Results,
    out_dir: str | os.PathLike,
    *,
    names: Sequence[str] | None = None,
    langs: Sequence[str] = LANGUAGES,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Draw and save figures ``names`` (default: all available) in every language and format."""
    paths: list[Path] = []
    for name in names if names is not None else available_figures(results):
        for lang in langs:
            figure = draw_figure(name, results, lang)
            paths.extend(save_figure(figure, figure_stem(out_dir, name, lang), formats))
    return paths
