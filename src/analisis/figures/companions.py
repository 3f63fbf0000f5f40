"""Honest companions of the paper's diagrams: spread, pairing, the ceiling, steps and items.

Each function draws statistics computed by :mod:`analisis.stats` (or the review) and passed
in; none computes a test or an interval. Jitter is drawn from a seeded
:class:`numpy.random.Generator`, never from numpy's global state.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from analisis.figures.statline import format_ci, paired_subtitle
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
from analisis.fmt import format_number
from analisis.text import say

JITTER = 0.06


def _jitter(n: int, seed: int, width: float = JITTER) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-width, width, size=n)


def _mean_with_ci(ax, x: float, mean: float, ci: Sequence[float] | None, colour: str) -> None:
    if ci is not None:
        ax.errorbar(
            [x],
            [mean],
            yerr=[[mean - ci[0]], [ci[1] - mean]],
            fmt="none",
            ecolor="black",
            elinewidth=1.4,
            capsize=4,
            zorder=4,
        )
    ax.scatter(
        [x], [mean], s=60, marker="D", color=colour, edgecolor="black", linewidth=1.0, zorder=5
    )


#: Above this many pairs the paired plot draws one line per distinct (before, after) pair
#: of scores, as wide as the cadres it stands for: thousands of single lines are a grey
#: mass, and slow to draw in three formats.
PAIRED_LINES_MAX = 200


def _each_cadre(ax, pre: np.ndarray, post: np.ndarray, seed: int) -> None:
    """One line per cadre, jittered sideways so that equal scores stay apart."""
    offset = _jitter(len(pre), seed)
    for i in range(len(pre)):
        ax.plot(
            [offset[i], 1 + offset[i]],
            [pre[i], post[i]],
            color=NEUTRAL_COLOUR,
            alpha=0.45,
            linewidth=0.9,
            zorder=2,
        )
    ax.scatter(offset, pre, s=14, color=PRE_COLOUR, alpha=0.8, zorder=3, linewidth=0)
    ax.scatter(1 + offset, post, s=14, color=POST_COLOUR, alpha=0.8, zorder=3, linewidth=0)


def _same_scores_together(ax, pre: np.ndarray, post: np.ndarray) -> None:
    """One line per distinct (before, after) pair, its width and each point's area growing
    with the number of cadres it stands for (the widest: the most common pair)."""
    pairs = pd.DataFrame({"pre": pre, "post": post}).value_counts().sort_index()
    widths = 0.3 + 3.7 * np.sqrt(pairs.to_numpy() / pairs.max())
    segments = [[(0.0, a), (1.0, b)] for a, b in pairs.index]
    ax.add_collection(
        LineCollection(segments, linewidths=widths, colors=NEUTRAL_COLOUR, alpha=0.35, zorder=2)
    )
    for x, scores, colour in ((0.0, pre, PRE_COLOUR), (1.0, post, POST_COLOUR)):
        counts = pd.Series(scores).value_counts().sort_index()
        sizes = 14 + 186 * counts.to_numpy() / counts.max()
        ax.scatter(
            np.full(len(counts), x),
            counts.index,
            s=sizes,
            color=colour,
            alpha=0.8,
            zorder=3,
            linewidth=0,
        )


def _line_key(pairs: int) -> str:
    """The catalogue label saying what one line of the paired plot is."""
    return "cadre_line" if pairs <= PAIRED_LINES_MAX else "cadre_line_many"


def paired_plot(
    wide: pd.DataFrame,
    paired: Mapping,
    phase_ci: Mapping[str, Sequence[float]] | None,
    lang: str,
    *,
    max_score: float = 100.0,
    seed: int = 20240906,
) -> Figure:
    """Each cadre's knowledge score before and after, joined by a line; means with 95% CIs.

    Parameters
    ----------
    wide : DataFrame
        Columns ``pre`` and ``post``: one row per analysed pair (knowledge_wide.csv,
        rows with ``paired`` true).
    paired : Mapping
        The ``analisis paired`` JSON (knowledge_paired.json): ``pre.mean``, ``post.mean``
        and the test results printed as the subtitle.
    phase_ci : Mapping or None
        ``{"pre": [lo, hi], "post": [lo, hi]}``: 95% CI of each phase mean, from the
        statistics results; None draws the means without intervals.
    lang : {"id", "en"}
    max_score : float
        The scale maximum, drawn as the ceiling line.
    seed : int
        Seed of the horizontal jitter that separates overlapping cadres.

    Above :data:`PAIRED_LINES_MAX` pairs, one line stands for all cadres with the same two
    scores, and its width for their number.

    Examples
    --------
    >>> wide = pd.DataFrame({"pre": [60.0, 80.0, 88.0], "post": [100.0, 96.0, 100.0]})
    >>> paired = {"n_pairs": 3, "primary_test": "t_test", "pre": {"mean": 76.0},
    ...           "post": {"mean": 98.667}, "t_test": {"t": 2.9, "df": 2, "p": 0.1},
    ...           "wilcoxon": {"V": 6, "p": 0.25},
    ...           "effect_size": {"d_z": 1.7, "d_z_ci95": [-0.2, 3.5],
    ...                           "rank_biserial": 1.0, "rank_biserial_ci95": None}}
    >>> fig = paired_plot(wide, paired, {"pre": [50.1, 101.9], "post": [95.0, 102.0]}, "en")
    >>> fig.axes[0].get_title(loc="left")
    't(2) = 2.90, p = 0.100, d_z = 1.70 [-0.20, 3.50], n = 3 (primary test)'
    """
    pre = wide["pre"].to_numpy(dtype=float)
    post = wide["post"].to_numpy(dtype=float)
    ci = phase_ci or {}
    with style_context():
        fig = new_figure((5.6, 4.8))
        ax = fig.add_subplot()
        if len(pre) <= PAIRED_LINES_MAX:
            _each_cadre(ax, pre, post, seed)
        else:
            _same_scores_together(ax, pre, post)
        _mean_with_ci(ax, -0.25, paired["pre"]["mean"], ci.get("pre"), PRE_COLOUR)
        _mean_with_ci(ax, 1.25, paired["post"]["mean"], ci.get("post"), POST_COLOUR)
        ax.axhline(max_score, color=ACCENT_COLOUR, linestyle="--", linewidth=1.0, zorder=1)
        ax.text(
            0.5,
            max_score,
            f"{label('ceiling', lang)} ({format_number(max_score, 0, lang)})",
            color=ACCENT_COLOUR,
            ha="center",
            va="bottom",
            fontsize=8,
        )
        ax.set_xticks([0, 1], [label("pre", lang), label("post", lang)])
        ax.set_xlim(-0.5, 1.5)
        low = min([float(np.min(pre)), *(c[0] for c in ci.values())]) if len(pre) else 0.0
        ax.set_ylim(max(0.0, np.floor((low - 5) / 10) * 10), max_score * 1.06)
        ax.yaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_ylabel(label("knowledge_score", lang))
        ax.set_title(paired_subtitle(paired, lang), loc="left", fontsize=7.5)
        fig.suptitle(label("paired_title", lang), fontweight="bold", fontsize=10)
        ax.text(
            0.0,
            -0.13,
            f"{label(_line_key(len(pre)), lang)}. ◆ {label('mean_ci' if ci else 'mean', lang)}",
            transform=ax.transAxes,
            fontsize=7,
            color="#444444",
        )
    return fig


def paired_plot_alt_text(
    paired: Mapping, phase_ci: Mapping[str, Sequence[float]] | None, lang: str
) -> str:
    """Alt text of the paired plot.

    Examples
    --------
    >>> paired = {"n_pairs": 23, "pre": {"mean": 76.0, "share_at_max": 0.0},
    ...           "post": {"mean": 99.478, "share_at_max": 0.8696}}
    >>> ci = {"pre": [72.1, 79.9], "post": [98.9, 100.0]}
    >>> print(paired_plot_alt_text(paired, ci, "id"))  # doctest: +NORMALIZE_WHITESPACE
    Grafik berpasangan: 23 kader, masing-masing satu garis dari skor sebelum ke skor
    setelah pelatihan. Rerata 76,00 [72,10; 79,90] sebelum dan 99,48 [98,90; 100,00]
    setelah. 87,0% kader mencapai skor maksimum setelah.
    """
    ci = phase_ci or {}
    pre = format_number(paired["pre"]["mean"], 2, lang)
    post = format_number(paired["post"]["mean"], 2, lang)
    pre_ci, post_ci = format_ci(ci.get("pre"), lang), format_ci(ci.get("post"), lang)
    share = paired["post"].get("share_at_max")
    text = say(
        "figure.alt.paired", lang, n=paired["n_pairs"], pre=pre, pre_ci=pre_ci, post=post,
        post_ci=post_ci,
    )  # fmt: skip
    if share is not None:
        text += " " + say(
            "figure.alt.paired_share", lang, share=format_number(100 * share, 1, lang)
        )
    return text


#: Characters per line of a group's tick label; the figure widens to fit the longest line.
GROUP_LABEL_WIDTH = 13
#: Above this many groups the figure stops widening and the labels turn upright, one line.
MAX_WIDE_GROUPS = 12
#: Inches per character of a tick label (DejaVu Sans at 10 pt) and margin per group.
TICK_CHAR_INCHES, TICK_MARGIN_INCHES = 0.085, 0.3
#: Inches per group when the labels are upright.
UPRIGHT_INCHES = 0.28
#: Between a village and its group in a label: "kampung_delima · Kelompok 1".
VILLAGE_SEPARATOR = " · "


def group_keys(frame: pd.DataFrame) -> list[str]:
    """One key per row: the group, or "village · group" when rows span several villages.

    Groups are (cohort, group) in a study of several villages, so two villages' "Kelompok
    1" take two positions.

    Examples
    --------
    >>> group_keys(pd.DataFrame({"group": [1, 2]}))
    ['1', '2']
    >>> group_keys(pd.DataFrame({"cohort": ["a", "b"], "group": [1, 1]}))
    ['a · 1', 'b · 1']
    """
    groups = frame["group"].astype(str)
    if "cohort" not in frame.columns or frame["cohort"].nunique() < 2:
        return groups.tolist()
    return (frame["cohort"].astype(str) + VILLAGE_SEPARATOR + groups).tolist()


def group_tick_label(key: str, lang: str, width: int = GROUP_LABEL_WIDTH) -> str:
    """A group's tick label in ``lang``, wrapped onto lines of about ``width`` characters.

    Examples
    --------
    >>> print(group_tick_label("Kelompok Posyandu Mawar Merah 1", "en"))
    Group
    Posyandu
    Mawar Merah 1
    >>> print(group_tick_label("desa_b · 1", "id"))
    desa_b
    Kelompok 1
    """
    village, _, group = key.rpartition(VILLAGE_SEPARATOR)
    lines = [village] if village else []
    lines += textwrap.wrap(group_label(group, lang), width, break_long_words=False)
    return "\n".join(lines)


def skill_by_group(
    scores: pd.DataFrame,
    groups: pd.DataFrame,
    threshold: float | None,
    lang: str,
    *,
    max_score: float = 100.0,
    seed: int = 20240918,
) -> Figure:
    """Each cadre's skill score as a point in its mentoring group; group means with 95% CIs.

    Long group names wrap onto several lines and the figure widens with the number of
    groups, so labels never overlap. With several villages a group is (cohort, group),
    labelled "village · group" (:func:`group_keys`).

    Parameters
    ----------
    scores : DataFrame
        Columns ``group`` and ``score`` (skill_scores.csv; ``cohort`` with several
        villages), one row per cadre.
    groups : DataFrame
        Columns ``group``, ``mean``, ``ci_low``, ``ci_high`` (skill_groups.csv, with
        ``cohort`` when the scores have it), in display order; missing intervals (NaN)
        draw the mean alone.
    threshold : float or None
        The competence threshold the one-sample tests use, drawn as a line.
    lang : {"id", "en"}
    max_score : float
    seed : int
        Seed of the horizontal jitter.

    Examples
    --------
    >>> scores = pd.DataFrame({"group": [1, 1, 2, 2], "score": [80.0, 90.0, 85.0, 95.0]})
    >>> groups = pd.DataFrame({"group": [1, 2], "mean": [85.0, 90.0],
    ...                        "ci_low": [21.5, 26.5], "ci_high": [148.5, 153.5]})
    >>> fig = skill_by_group(scores, groups, 75.0, "id")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Kelompok 1', 'Kelompok 2']
    """
    order = group_keys(groups)
    position = {key: i for i, key in enumerate(order)}
    several = "cohort" in groups.columns and groups["cohort"].nunique() >= 2
    score_keys = group_keys(scores) if several else scores["group"].astype(str).tolist()
    x = pd.Series(score_keys).map(position).to_numpy(dtype=float)
    y = scores["score"].to_numpy(dtype=float)
    x_jittered = x + _jitter(len(x), seed, width=0.12)
    with style_context():
        upright = len(order) > MAX_WIDE_GROUPS
        ticks = [
            group_tick_label(key, lang, width=1000).replace("\n", VILLAGE_SEPARATOR)
            if upright
            else group_tick_label(key, lang)
            for key in order
        ]
        longest = max((len(line) for tick in ticks for line in tick.split("\n")), default=0)
        per_group = UPRIGHT_INCHES if upright else longest * TICK_CHAR_INCHES + TICK_MARGIN_INCHES
        fig = new_figure((max(6.0, per_group * len(order)), 5.4 if upright else 4.4))
        ax = fig.add_subplot()
        colours = [GROUP_COLOURS[int(i) % len(GROUP_COLOURS)] for i in x]
        ax.scatter(x_jittered, y, s=22, c=colours, alpha=0.75, linewidth=0, zorder=3)
        for i, row in enumerate(groups.itertuples(index=False)):
            ci = None if pd.isna(row.ci_low) or pd.isna(row.ci_high) else (row.ci_low, row.ci_high)
            _mean_with_ci(ax, i + 0.3, float(row.mean), ci, GROUP_COLOURS[i % len(GROUP_COLOURS)])
        if threshold is not None:
            ax.axhline(threshold, color=ACCENT_COLOUR, linestyle="--", linewidth=1.0, zorder=1)
            ax.text(
                len(order) - 0.5,
                threshold,
                f"{label('threshold', lang)} ({format_number(threshold, 0, lang)})",
                color=ACCENT_COLOUR,
                ha="right",
                va="bottom",
                fontsize=8,
            )
        turned = {"rotation": 90, "fontsize": 8} if upright else {}
        ax.set_xticks(range(len(order)), ticks, **turned)
        ax.set_xlim(-0.5, len(order) - 0.5)
        ax.set_ylim(None, max_score * 1.04)
        ax.yaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_ylabel(label("skill_score", lang))
        has_ci = bool(groups[["ci_low", "ci_high"]].notna().all(axis=1).any())
        mean_key = "mean_ci" if has_ci else "mean"
        ax.set_title(
            f"{label('cadre_point', lang)}. ◆ {label(mean_key, lang)}", loc="left", fontsize=8
        )
        fig.suptitle(label("skill_title", lang), fontweight="bold", fontsize=10)
    return fig


def skill_by_group_alt_text(groups: pd.DataFrame, threshold: float | None, lang: str) -> str:
    """Alt text of the skill-by-group plot (groups as the figure labels them).

    Examples
    --------
    >>> groups = pd.DataFrame({"group": [1, 2], "n": [6, 5], "mean": [85.0, 90.0]})
    >>> print(skill_by_group_alt_text(groups, 75.0, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Dot plot: skill score of each cadre by mentoring group; means Group 1 85.00 (n = 6),
    Group 2 90.00 (n = 5); competence threshold 75.
    """
    has_n = "n" in groups.columns
    parts = []
    for key, row in zip(group_keys(groups), groups.itertuples(index=False), strict=True):
        name = group_tick_label(key, lang, width=1000).replace("\n", VILLAGE_SEPARATOR)
        text = f"{name} {format_number(row.mean, 2, lang)}"
        parts.append(text + (f" (n = {int(row.n)})" if has_n else ""))
    text = say("figure.alt.skill", lang, means=", ".join(parts))
    if threshold is not None:
        text += say("figure.alt.skill_threshold", lang, threshold=format_number(threshold, 0, lang))
    return text + "."


def _step_text(row, lang: str) -> str:
    description = getattr(row, f"description_{lang}", None)
    if description is None or pd.isna(description) or not str(description).strip():
        return str(row.step_id)
    short = textwrap.shorten(str(description), width=42, placeholder="…")
    return f"{row.step_id} {short}"


def checklist_steps(steps: pd.DataFrame, lang: str) -> Figure:
    """Checklist steps as horizontal bars, weakest at the top, as ordered by the statistics.

    Bars: share of cadres who did the step fully correctly; dots: mean points as a share of
    the step's maximum.

    Parameters
    ----------
    steps : DataFrame
        Columns ``step_id``, ``share_full`` (0–1), ``mean_share`` (0–1), optionally
        ``description_id`` / ``description_en``; rows weakest first (skill_steps_summary.csv).
    lang : {"id", "en"}

    Examples
    --------
    >>> steps = pd.DataFrame({"step_id": ["L02", "L01"], "share_full": [0.5, 0.9],
    ...                       "mean_share": [0.7, 0.95]})
    >>> fig = checklist_steps(steps, "en")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['L02', 'L01']
    """
    n = len(steps)
    y = np.arange(n)
    with style_context():
        fig = new_figure((6.4, max(2.6, 0.28 * n + 1.4)))
        ax = fig.add_subplot()
        ax.barh(
            y,
            100 * steps["share_full"].to_numpy(dtype=float),
            color=POST_COLOUR,
            alpha=0.85,
            height=0.65,
            label=label("share_full", lang),
        )
        ax.scatter(
            100 * steps["mean_share"].to_numpy(dtype=float),
            y,
            color=PRE_COLOUR,
            edgecolor="black",
            linewidth=0.6,
            s=28,
            zorder=3,
            label=label("mean_points_share", lang),
        )
        ax.set_yticks(y, [_step_text(row, lang) for row in steps.itertuples(index=False)])
        ax.invert_yaxis()
        ax.set_xlim(0, 103)
        ax.set_xticks(range(0, 101, 20))
        ax.xaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_xlabel(label("percent", lang))
        ax.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=1, fontsize=7.5, frameon=False
        )
        fig.suptitle(label("steps_title", lang), fontweight="bold", fontsize=10)
    return fig


def checklist_steps_alt_text(steps: pd.DataFrame, lang: str) -> str:
    """Alt text of the checklist-steps plot: the weakest steps named.

    Examples
    --------
    >>> steps = pd.DataFrame({"step_id": ["L02", "L01"], "share_full": [0.5, 0.9],
    ...                       "mean_share": [0.7, 0.95]})
    >>> print(checklist_steps_alt_text(steps, "id"))  # doctest: +NORMALIZE_WHITESPACE
    Diagram batang mendatar: 2 langkah daftar tilik, yang terlemah di atas.
    Terlemah: L02 (50,0% sempurna), L01 (90,0% sempurna).
    """
    weakest = ", ".join(
        say(
            "figure.alt.steps_item",
            lang,
            step=row.step_id,
            share=format_number(100 * row.share_full, 1, lang),
        )
        for row in steps.head(3).itertuples(index=False)
    )
    return say("figure.alt.steps", lang, n=len(steps), weakest=weakest)


def items_dumbbell(items: pd.DataFrame, lang: str) -> Figure:
    """Proportion correct per knowledge item before and after training, joined per item.

    Parameters
    ----------
    items : DataFrame
        Columns ``item_id``, ``p_pre``, ``p_post`` (proportions 0–1, items.csv), in test order.
    lang : {"id", "en"}

    Examples
    --------
    >>> items = pd.DataFrame({"item_id": ["P01", "P02"], "p_pre": [0.5, 0.8], "p_post": [1.0, 1.0]})
    >>> fig = items_dumbbell(items, "id")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['P01', 'P02']
    """
    n = len(items)
    y = np.arange(n)
    pre = 100 * items["p_pre"].to_numpy(dtype=float)
    post = 100 * items["p_post"].to_numpy(dtype=float)
    with style_context():
        fig = new_figure((5.6, max(2.6, 0.22 * n + 1.4)))
        ax = fig.add_subplot()
        ax.hlines(y, pre, post, color=NEUTRAL_COLOUR, linewidth=1.4, zorder=1)
        ax.scatter(pre, y, color=PRE_COLOUR, s=30, zorder=2, label=label("pre", lang))
        ax.scatter(post, y, color=POST_COLOUR, s=30, zorder=3, label=label("post", lang))
        ax.set_yticks(y, [str(i) for i in items["item_id"]])
        ax.invert_yaxis()
        ax.set_xlim(-2, 102)
        ax.xaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_xlabel(label("share_correct", lang))
        ax.set_ylabel(label("item", lang))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=8, frameon=False)
        fig.suptitle(label("items_title", lang), fontweight="bold", fontsize=10)
    return fig


def items_dumbbell_alt_text(items: pd.DataFrame, lang: str) -> str:
    """Alt text of the item dumbbell plot.

    Examples
    --------
    >>> items = pd.DataFrame({"item_id": ["P01", "P02"], "p_pre": [0.5, 0.8], "p_post": [1.0, 1.0]})
    >>> print(items_dumbbell_alt_text(items, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Dumbbell plot: share of correct answers for 2 items before and after training;
    lowest before: P01 (50.0%).
    """
    hardest = items.iloc[int(np.argmin(items["p_pre"].to_numpy(dtype=float)))]
    share = format_number(100 * float(hardest["p_pre"]), 1, lang)
    return say("figure.alt.items", lang, n=len(items), item=hardest["item_id"], share=share)


def robustness_d_z(
    d_z_values: Sequence[float],
    lang: str,
    *,
    observed_d_z: float | None = None,
    significant_in_every_case: bool | None = None,
) -> Figure:
    """Histogram of d_z over every data set consistent with the paper's printed numbers.

    Parameters
    ----------
    d_z_values : sequence of float
        ``d_z.values`` of published_robustness.json.
    lang : {"id", "en"}
    observed_d_z : float or None
        d_z recomputed from the raw data, drawn as a line.
    significant_in_every_case : bool or None
        Printed in the subtitle.

    Examples
    --------
    >>> fig = robustness_d_z([1.5, 2.0, 2.5, 3.0], "id", observed_d_z=2.2,
    ...                      significant_in_every_case=True)
    >>> fig.axes[0].get_title(loc="left")
    'n = 4; signifikan pada semua himpunan data'
    """
    values = np.asarray(d_z_values, dtype=float)
    # Near-constant differences give d_z in the tens beside a bulk near 1: a log axis
    # shows both where a linear one squeezes the bulk into one bar.
    log_scale = len(values) > 0 and values.min() > 0 and values.max() > 10 * values.min()
    if log_scale:
        edges = np.geomspace(values.min(), values.max(), 50)
    elif len(values):
        edges = np.histogram_bin_edges(values, bins="auto")
    else:
        edges = np.array([0, 1])
    with style_context():
        fig = new_figure((5.6, 3.8))
        ax = fig.add_subplot()
        ax.hist(values, bins=edges, color=POST_COLOUR, alpha=0.85, edgecolor="white")
        if observed_d_z is not None:
            ax.axvline(observed_d_z, color=ACCENT_COLOUR, linestyle="--", linewidth=1.2)
            low, high = ax.get_xlim()
            on_right = observed_d_z > (low + high) / 2
            ax.text(
                observed_d_z,
                ax.get_ylim()[1],
                f" {label('observed', lang)}: {format_number(observed_d_z, 2, lang)} ",
                color=ACCENT_COLOUR,
                ha="right" if on_right else "left",
                va="top",
                fontsize=8,
            )
        if log_scale:
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_minor_locator(NullLocator())
        else:
            ax.xaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(number_formatter(1, lang))
        ax.set_xlabel(label("d_z", lang))
        ax.set_ylabel(label("n_datasets", lang))
        subtitle = f"n = {len(values)}"
        if significant_in_every_case is not None:
            key = "significant_all" if significant_in_every_case else "significant_not_all"
            subtitle += say("list.separator", lang) + label(key, lang)
        ax.set_title(subtitle, loc="left", fontsize=8)
        fig.suptitle(label("robustness_title", lang), fontweight="bold", fontsize=10)
    return fig


def robustness_d_z_alt_text(
    d_z_values: Sequence[float], lang: str, *, significant_in_every_case: bool | None = None
) -> str:
    """Alt text of the robustness histogram.

    Examples
    --------
    >>> text = robustness_d_z_alt_text([1.5, 2.0, 3.0], "en", significant_in_every_case=True)
    >>> print(text)  # doctest: +NORMALIZE_WHITESPACE
    Histogram of possible d_z over 3 data sets consistent with the paper, from 1.50 to 3.00;
    significant in every data set.
    """
    values = np.asarray(d_z_values, dtype=float)
    low = format_number(float(values.min()), 2, lang) if len(values) else "–"
    high = format_number(float(values.max()), 2, lang) if len(values) else "–"
    verdict = ""
    if significant_in_every_case is not None:
        key = "significant_all" if significant_in_every_case else "significant_not_all"
        verdict = f"; {label(key, lang)}"
    return say("figure.alt.robustness", lang, n=len(values), low=low, high=high) + verdict + "."
