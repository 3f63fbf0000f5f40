"""The paper's two diagrams, redrawn from the recomputed means.

Diagram 1 ("Rerata Pengetahuan Kader Sebelum dan Setelah Pelatihan") shows two bars,
diagram 2 ("Rerata Keterampilan Kader") the mean skill score. Like the paper they show
means only; the companions in :mod:`analisis.figures.companions` show what means hide.
The functions draw numbers computed elsewhere; they compute no statistic.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analisis.figures.style import (
    ACCENT_COLOUR,
    GROUP_COLOURS,
    NEUTRAL_COLOUR,
    POST_COLOUR,
    PRE_COLOUR,
    group_label,
    label,
    new_figure,
    number_formatter,
    style_context,
)
from analisis.figures.villages import RASTER_FROM, range_text
from analisis.fmt import format_number
from analisis.text import say


def _wrap(title: str, width: int = 40) -> str:
    return "\n".join(textwrap.wrap(title, width))


def bar_labels(ax, bars, values, lang: str) -> None:
    """Each bar's value above it, bold, in the language's number format (the paper's look)."""
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            format_number(value, 2, lang),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontweight="bold",
        )


def _mean_score_axis(ax, max_score: float, lang: str) -> None:
    """The y axis of both diagrams: 0 to the maximum in steps of 20, headroom for labels."""
    ax.set_ylim(0, max_score * 1.08)
    ax.set_yticks(list(range(0, int(max_score) + 1, 20)))
    ax.yaxis.set_major_formatter(number_formatter(0, lang))
    ax.set_ylabel(label("mean_score", lang))


def diagram1_knowledge_means(
    pre_mean: float, post_mean: float, lang: str, *, max_score: float = 100.0
) -> Figure:
    """Diagram 1: mean knowledge score before and after training, two labelled bars.

    Parameters
    ----------
    pre_mean, post_mean : float
        Mean knowledge scores (``pre.mean`` and ``post.mean`` of knowledge_paired.json).
    lang : {"id", "en"}
        Language of labels and number format (decimal comma in Indonesian).
    max_score : float
        Top of the y axis: the scale maximum.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = diagram1_knowledge_means(76.0, 99.478, "id")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['76,00', '99,48']
    """
    with style_context():
        fig = new_figure((5.0, 4.0))
        ax = fig.add_subplot()
        values = [pre_mean, post_mean]
        bars = ax.bar(
            [label("pre", lang), label("post", lang)],
            values,
            color=[PRE_COLOUR, POST_COLOUR],
            width=0.6,
        )
        bar_labels(ax, bars, values, lang)
        _mean_score_axis(ax, max_score, lang)
        ax.set_title(_wrap(label("diagram1_title", lang)), fontweight="bold")
    return fig


def diagram1_alt_text(pre_mean: float, post_mean: float, lang: str) -> str:
    """Alt text of diagram 1.

    Examples
    --------
    >>> print(diagram1_alt_text(76, 99.478, "id"))  # doctest: +NORMALIZE_WHITESPACE
    Diagram batang: rerata skor pengetahuan kader 76,00 sebelum dan 99,48 setelah
    pelatihan (skala 0–100).
    """
    pre, post = format_number(pre_mean, 2, lang), format_number(post_mean, 2, lang)
    return say("figure.alt.diagram1", lang, pre=pre, post=post)


def diagram2_skill_means(
    overall_mean: float, group_means: pd.DataFrame, lang: str, *, max_score: float = 100.0
) -> Figure:
    """Diagram 2: mean skill score of all cadres and of each mentoring group, labelled bars.

    Parameters
    ----------
    overall_mean : float
        Mean skill score of all cadres (``mean`` of skill.json).
    group_means : DataFrame
        Columns ``group`` and ``mean`` (skill_groups.csv), one row per group, in display order.
    lang : {"id", "en"}
    max_score : float

    Examples
    --------
    >>> groups = pd.DataFrame({"group": [1, 2], "mean": [85.0, 89.5]})
    >>> fig = diagram2_skill_means(87.26, groups, "id")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['87,26', '85,00', '89,50']
    """
    names = [label("overall", lang)] + [group_label(g, lang) for g in group_means["group"]]
    values = [overall_mean, *group_means["mean"].astype(float)]
    colours = [NEUTRAL_COLOUR] + [
        GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(len(group_means))
    ]
    with style_context():
        fig = new_figure((6.0, 4.0))
        ax = fig.add_subplot()
        bars = ax.bar(names, values, color=colours, width=0.65)
        bar_labels(ax, bars, values, lang)
        ax.axvline(0.5, color="#BBBBBB", linewidth=0.8)
        _mean_score_axis(ax, max_score, lang)
        ax.set_title(_wrap(label("diagram2_title", lang)), fontweight="bold")
    return fig


def diagram2_alt_text(overall_mean: float, group_means: pd.DataFrame, lang: str) -> str:
    """Alt text of diagram 2.

    Examples
    --------
    >>> groups = pd.DataFrame({"group": [1, 2], "mean": [85.0, 89.5]})
    >>> diagram2_alt_text(87.26, groups, "en")
    'Bar chart: mean skill score 87.26 for all cadres; Group 1 85.00, Group 2 89.50 (scale 0–100).'
    """
    per_group = ", ".join(
        f"{group_label(g, lang)} {format_number(m, 2, lang)}"
        for g, m in zip(group_means["group"], group_means["mean"], strict=True)
    )
    overall = format_number(overall_mean, 2, lang)
    return say("figure.alt.diagram2", lang, overall=overall, groups=per_group)


#: Up to this many villages diagram 2 names each village's bar and prints its mean; above,
#: the bars are ranked and unnamed (the by-village table and figure name them).
DIAGRAM2_NAMED_MAX = 12


def _village_skill(by_village: pd.DataFrame) -> pd.DataFrame:
    """``cohort`` and ``skill_mean`` of the villages with skill scores, in table order."""
    return by_village.loc[by_village["skill_mean"].notna(), ["cohort", "skill_mean"]]


def diagram2_village_means(
    overall_mean: float, by_village: pd.DataFrame, lang: str, *, max_score: float = 100.0
) -> Figure:
    """Diagram 2 of a study of several villages: all cadres, then one bar per village.

    A mentoring group belongs to one village, so "group 1" of two villages is two groups;
    the paper's one bar per group would stack them. The village's mean takes the group's
    place (each village's groups are in the skill-by-group figure). Up to
    :data:`DIAGRAM2_NAMED_MAX` villages the bars are named and labelled, in the table's
    order; above, they are ranked and unnamed, and all cadres are a line across them;
    from :data:`~analisis.figures.villages.RASTER_FROM` villages the touching bars are one
    stepped area.

    Parameters
    ----------
    overall_mean : float
        Mean skill score of all cadres (``mean`` of skill.json).
    by_village : DataFrame
        Columns ``cohort`` and ``skill_mean`` (by_village.csv); villages without skill
        scores are left out.
    lang : {"id", "en"}
    max_score : float

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "skill_mean": [85.0, 89.5]})
    >>> fig = diagram2_village_means(87.26, t, "en")
    >>> [x.get_text() for x in fig.axes[0].get_xticklabels()]
    ['All cadres', 'desa_a', 'desa_b']
    >>> [x.get_text() for x in fig.axes[0].texts]
    ['87.26', '85.00', '89.50']
    """
    villages = _village_skill(by_village)
    with style_context():
        fig = new_figure((6.0, 4.0))
        ax = fig.add_subplot()
        if len(villages) <= DIAGRAM2_NAMED_MAX:
            names = [label("overall", lang), *villages["cohort"].astype(str)]
            values = [overall_mean, *villages["skill_mean"].astype(float)]
            colours = [NEUTRAL_COLOUR] + [
                GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(len(villages))
            ]
            bars = ax.bar(names, values, color=colours, width=0.65)
            bar_labels(ax, bars, values, lang)
            ax.axvline(0.5, color="#BBBBBB", linewidth=0.8)
            if len(villages) > 5:
                ax.tick_params(axis="x", labelrotation=90)
        else:
            ranked = villages["skill_mean"].astype(float).sort_values().to_numpy()
            rank = np.arange(1, len(ranked) + 1)
            if len(ranked) < RASTER_FROM:
                ax.bar(rank, ranked, color=POST_COLOUR, width=1.0, linewidth=0)
            else:
                # Touching bars drawn as one stepped area: the same picture, one shape
                # instead of thousands (10,000 bars took 9 s and 2 MB of SVG).
                edges = np.append(rank - 0.5, rank[-1] + 0.5)
                ax.stairs(ranked, edges, fill=True, color=POST_COLOUR, linewidth=0)
            ax.axhline(overall_mean, color=ACCENT_COLOUR, linestyle="--", linewidth=1.0)
            overall = f"{label('overall', lang)}: {format_number(overall_mean, 2, lang)}"
            ax.annotate(
                overall,
                (0.01, overall_mean),
                xycoords=("axes fraction", "data"),
                xytext=(0, 3),
                textcoords="offset points",
                color=ACCENT_COLOUR,
            )
            ax.set_xlim(0.5, len(ranked) + 0.5)
            ax.set_xlabel(say("figure.village.rank_axis", lang))
        _mean_score_axis(ax, max_score, lang)
        ax.set_title(_wrap(label("diagram2_title", lang)), fontweight="bold")
    return fig


def diagram2_village_alt_text(overall_mean: float, by_village: pd.DataFrame, lang: str) -> str:
    """Alt text of diagram 2 of several villages.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "skill_mean": [85.0, 89.5]})
    >>> diagram2_village_alt_text(87.26, t, "en")
    'Bar chart: mean skill score 87.26 for all cadres; desa_a 85.00, desa_b 89.50 (scale 0–100).'
    """
    villages = _village_skill(by_village)
    overall = format_number(overall_mean, 2, lang)
    if len(villages) <= DIAGRAM2_NAMED_MAX:
        each = ", ".join(
            f"{name} {format_number(m, 2, lang)}"
            for name, m in zip(villages["cohort"], villages["skill_mean"], strict=True)
        )
        return say("figure.alt.diagram2", lang, overall=overall, groups=each)
    return say(
        "figure.alt.diagram2_ranked",
        lang,
        overall=overall,
        **range_text(villages, lang, estimate="skill_mean"),
    )
