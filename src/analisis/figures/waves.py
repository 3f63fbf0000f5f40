"""Figures of a study with delayed post-tests: the paper's diagram 1 over the waves, and
each cadre's line over the waves with the wave means.

The functions draw numbers computed elsewhere (waves.json, knowledge_scores.csv); they
compute no statistic. Wave means and intervals are the mixed model's (every cadre
measured at least once), as the report's waves section states.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analisis.figures.diagrams import bar_labels
from analisis.figures.statline import format_ci
from analisis.figures.style import (
    ACCENT_COLOUR,
    NEUTRAL_COLOUR,
    OKABE_ITO,
    POST_COLOUR,
    PRE_COLOUR,
    label,
    new_figure,
    number_formatter,
    style_context,
)
from analisis.fmt import format_number
from analisis.text import say

#: Colour of each wave's bar: pre and post as in diagram 1, then the follow-ups.
FOLLOW_UP_COLOURS = (OKABE_ITO["green"], OKABE_ITO["purple"], OKABE_ITO["sky_blue"])


def wave_colours(n_waves: int) -> list[str]:
    """Pre, post, then a colour per follow-up (cycling after three).

    Examples
    --------
    >>> len(wave_colours(4)), wave_colours(3)[:2] == [PRE_COLOUR, POST_COLOUR]
    (4, True)
    """
    follow = [FOLLOW_UP_COLOURS[i % len(FOLLOW_UP_COLOURS)] for i in range(n_waves - 2)]
    return [PRE_COLOUR, POST_COLOUR, *follow]


def waves_diagram(labels: Sequence[str], means: Sequence[float], lang: str) -> Figure:
    """Diagram 1 over the waves: one labelled bar per wave (model means, 0-100).

    Examples
    --------
    >>> fig = waves_diagram(["Pre", "Post", "3 months"], [60.27, 77.48, 72.84], "en")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['60.27', '77.48', '72.84']
    """
    with style_context():
        fig = new_figure((1.6 + 1.3 * len(labels), 4.0))
        ax = fig.add_subplot()
        bars = ax.bar(list(labels), list(means), color=wave_colours(len(labels)), width=0.6)
        bar_labels(ax, bars, means, lang)
        ax.set_ylim(0, 108)
        ax.set_yticks(list(range(0, 101, 20)))
        ax.yaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_ylabel(label("mean_score", lang))
        ax.set_title(label("waves_title", lang), fontweight="bold")
    return fig


def waves_diagram_alt_text(labels: Sequence[str], means: Sequence[float], lang: str) -> str:
    """Alt text of the waves diagram.

    Examples
    --------
    >>> print(waves_diagram_alt_text(["Pre", "Post", "3 months"], [60.27, 77.48, 72.84],
    ...                              "en"))  # doctest: +NORMALIZE_WHITESPACE
    Bar chart: mean knowledge score of cadres at each test: Pre 60.27, Post 77.48,
    3 months 72.84 (mixed model of every cadre tested, scale 0–100).
    """
    values = ", ".join(
        f"{name} {format_number(v, 2, lang)}" for name, v in zip(labels, means, strict=True)
    )
    return say("figure.alt.waves_diagram", lang, values=values)


def waves_lines(
    scores: pd.DataFrame,
    labels: Sequence[str],
    means: Sequence[float],
    intervals: Sequence[Sequence[float]],
    lang: str,
) -> Figure:
    """Each cadre's score over the waves, the lost drawn up to their last wave; model means.

    Parameters
    ----------
    scores : DataFrame
        One row per cadre, one column per wave in order (NaN: not tested).
    labels : sequence of str
        The waves' names, in the language of the figure.
    means, intervals : sequence
        Each wave's model mean and 95% interval (waves.json, ``mixed_model.means``).
    lang : {"id", "en"}

    Examples
    --------
    >>> s = pd.DataFrame({"pre": [60.0, 40], "post": [90.0, 80], "fu1": [80.0, None]})
    >>> fig = waves_lines(s, ["Pre", "Post", "3 mo"], [50, 85, 80], [[40, 60], [80, 90],
    ...                   [70, 90]], "en")
    >>> len(fig.axes[0].lines) >= 3
    True
    """
    values = scores.to_numpy(dtype=float)
    x = np.arange(values.shape[1], dtype=float)
    jitter = np.random.default_rng(20240906).uniform(-0.06, 0.06, size=values.shape[0])
    complete = ~np.isnan(values).any(axis=1)
    with style_context():
        fig = new_figure((1.8 + 1.4 * len(labels), 4.8))
        ax = fig.add_subplot()
        for row, shift, whole in zip(values, jitter, complete, strict=True):
            seen = ~np.isnan(row)
            colour = NEUTRAL_COLOUR if whole else ACCENT_COLOUR
            ax.plot(x[seen] + shift, row[seen], color=colour, alpha=0.45 if whole else 0.8,
                    linewidth=0.9, marker="o", markersize=2.5, zorder=2)  # fmt: skip
            if not whole:
                last = np.flatnonzero(seen)[-1]
                ax.plot(x[last] + shift, row[last], marker="x", color=ACCENT_COLOUR,
                        markersize=6, zorder=3)  # fmt: skip
        low = [m - i[0] for m, i in zip(means, intervals, strict=True)]
        high = [i[1] - m for m, i in zip(means, intervals, strict=True)]
        ax.errorbar(x + 0.22, means, yerr=[low, high], fmt="D", color="black", markersize=6,
                    capsize=4, linewidth=1.6, zorder=4)  # fmt: skip
        ax.set_xticks(x, list(labels))
        ax.set_xlim(-0.4, x[-1] + 0.5)
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_formatter(number_formatter(0, lang))
        ax.set_ylabel(label("knowledge_score", lang))
        ax.set_title(label("waves_lines_title", lang), fontweight="bold")
        handles = [
            ax.plot([], [], color=NEUTRAL_COLOUR, marker="o", markersize=3)[0],
            ax.plot([], [], color=ACCENT_COLOUR, marker="x", markersize=6)[0],
            ax.errorbar([], [], yerr=[], fmt="D", color="black", capsize=4),
        ]
        names = [label(key, lang) for key in ("waves_complete", "waves_lost", "waves_mean")]
        ax.legend(handles, names, loc="lower right", fontsize=8, frameon=False)
    return fig


def waves_lines_alt_text(
    scores: pd.DataFrame,
    labels: Sequence[str],
    means: Sequence[float],
    intervals: Sequence[Sequence[float]],
    lang: str,
) -> str:
    """Alt text of the waves line plot.

    Examples
    --------
    >>> s = pd.DataFrame({"pre": [60.0, 40], "post": [90.0, 80], "fu1": [80.0, None]})
    >>> print(waves_lines_alt_text(s, ["Pre", "Post", "3 mo"], [50, 85, 80],
    ...                            [[40, 60], [80, 90], [70, 90]], "en"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Line plot: 2 cadres, one line each over the tests; 1 missed a later test (their line
    ends with a cross). Model means: Pre 50.00 [40.00, 60.00], Post 85.00 [80.00, 90.00],
    3 mo 80.00 [70.00, 90.00].
    """
    lost = int(scores.isna().any(axis=1).sum())
    values = ", ".join(
        f"{name} {format_number(m, 2, lang)} {format_ci(list(i), lang)}"
        for name, m, i in zip(labels, means, intervals, strict=True)
    )
    return say("figure.alt.waves_lines", lang, n=len(scores), lost=lost, values=values)
