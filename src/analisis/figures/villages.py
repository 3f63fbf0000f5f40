"""Villages side by side: a forest plot of the knowledge gain and the skill of each village.

The functions draw the per-village table of :func:`analisis.stats.villages.by_village` and
a pooled estimate computed elsewhere (a random-effects meta-analysis); they compute no
test and no interval. Up to :data:`FOREST_MAX` villages each gets a labelled row; above
that the plot becomes a caterpillar plot, villages sorted by their estimate on a rank
axis, with thin lines and small markers so that a district of 1,000 villages stays legible
in a figure of bounded height. From :data:`RASTER_FROM` villages the intervals are drawn
as a raster inside the vector formats (10,000 villages form a band, not 10,000 paths), and
the PNG keeps its fixed size whatever the count. Villages the mixed model flags (their
whole interval below the mentoring target, read from pooled.json) are drawn in the
accent colour over the band and counted in the key.

References
----------
Lewis, S., & Clarke, M. (2001). Forest plots: trying to see the wood and the trees.
BMJ, 322(7300), 1479-1480.
IntHout, J., Ioannidis, J. P. A., Rovers, M. M., & Goeman, J. J. (2016). Plea for
routinely presenting prediction intervals in meta-analysis. BMJ Open, 6(7), e010247.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator

from analisis.figures.statline import format_ci
from analisis.figures.style import (
    ACCENT_COLOUR,
    NEUTRAL_COLOUR,
    POST_COLOUR,
    new_figure,
    number_formatter,
    style_context,
)
from analisis.fmt import format_number
from analisis.text import say

#: Above this many villages the forest plot becomes a caterpillar plot.
FOREST_MAX = 30
#: Figure height per village row and its bound, in inches: two lines of a wrapped label
#: fit in one row, so 30 villages with long names stay apart.
ROW_HEIGHT = 0.26
MAX_HEIGHT = 10.0
CATERPILLAR_HEIGHT = 6.0
#: A village label wraps after this many characters, onto two lines at most.
LABEL_WIDTH = 26
#: From this many villages the intervals are rasterised in SVG and PDF.
RASTER_FROM = 300


def _skill_key(rows: pd.DataFrame) -> str:
    return "skill_caterpillar_key" if len(rows) > FOREST_MAX else "skill_key"


def _rows(by_village: pd.DataFrame, estimate: str, lower: str, upper: str) -> pd.DataFrame:
    """Villages with an estimate, in display order: as given, or by estimate when many."""
    rows = by_village.rename(columns={estimate: "est", lower: "lo", upper: "hi"})
    rows = rows[np.isfinite(rows["est"].astype(float))]
    if len(rows) > FOREST_MAX:
        rows = rows.sort_values(["est", "cohort"], kind="mergesort")
    return rows.reset_index(drop=True)


def _height(n_rows: int) -> float:
    if n_rows > FOREST_MAX:
        return CATERPILLAR_HEIGHT
    return min(MAX_HEIGHT, 1.7 + ROW_HEIGHT * (n_rows + 2))


def _label(cohort: object) -> str:
    return "\n".join(textwrap.wrap(str(cohort), LABEL_WIDTH, max_lines=2, placeholder="…"))


def _intervals(
    ax, rows: pd.DataFrame, sizes: np.ndarray, colour: str, *, room_below: bool
) -> np.ndarray:
    """Draw each village's estimate and CI on its own row, labelled by name or by rank.

    Few villages: top to bottom in table order, squares of area ``sizes``. Many: rank 1
    (lowest) at the bottom, lines fainter and markers smaller as the villages multiply,
    and from :data:`RASTER_FROM` villages the estimates in black, so the sorted estimates
    stay visible through the band of intervals. ``room_below`` keeps a row under the
    villages for the pooled estimate. Returns each row's y position.
    """
    n = len(rows)
    many = n > FOREST_MAX
    y = np.arange(1, n + 1, dtype=float) if many else np.arange(n, 0, -1, dtype=float)
    line, alpha = (0.3, 0.35) if n >= RASTER_FROM else (0.6, 0.6) if many else (1.1, 0.8)
    lines = ax.hlines(
        y, rows["lo"], rows["hi"], color=colour, linewidth=line, alpha=alpha, zorder=2
    )
    marker_area = np.full(n, 1.0 if n >= RASTER_FROM else 10.0) if many else sizes
    points = ax.scatter(
        rows["est"],
        y,
        s=marker_area,
        marker="o" if many else "s",
        # Over a band of intervals the estimates show only in a darker colour.
        color="black" if n >= RASTER_FROM else colour,
        edgecolor="none" if many else "black",
        linewidth=0.5,
        zorder=3,
    )
    for drawn in (lines, points):
        drawn.set_rasterized(n >= RASTER_FROM)
    if many:
        ranks = [r for r in MaxNLocator(nbins=6, integer=True).tick_values(1, n) if 1 <= r <= n]
        ax.set_yticks(ranks, [str(int(r)) for r in ranks])
        ax.set_ylim(-0.08 * n if room_below else 0, n + 1)
    else:
        ax.set_yticks(y, [_label(c) for c in rows["cohort"]])
        ax.tick_params(axis="y", labelsize=8 if n > 12 else 9)
        ax.set_ylim(-0.7 if room_below else 0.4, n + 0.6)
    # Ticks at whole points: a 0-decimal label on a tick at 2.5 would print 3.
    ax.xaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10], integer=True))
    return y


def _flagged(ax, rows: pd.DataFrame, y: np.ndarray, flagged: Collection[str]) -> int:
    """Redraw the flagged villages' intervals in the accent colour over the band; their count."""
    mask = rows["cohort"].astype(str).isin({str(v) for v in flagged}).to_numpy()
    if mask.any():
        lines = ax.hlines(y[mask], rows["lo"][mask], rows["hi"][mask], color=ACCENT_COLOUR,
                          linewidth=0.8, zorder=3.5)  # fmt: skip
        points = ax.scatter(rows["est"][mask], y[mask], s=6.0, color=ACCENT_COLOUR,
                            edgecolor="none", zorder=3.6)  # fmt: skip
        for drawn in (lines, points):
            drawn.set_rasterized(len(rows) >= RASTER_FROM)
    return int(mask.sum())


def _pooled(ax, pooled: Mapping, y: float, height: float, name: str) -> None:
    """The pooled estimate as a diamond spanning its CI, the prediction interval as a line.

    The row is labelled ``name`` on the y axis, after the villages' (or ranks') ticks.
    """
    estimate, (lo, hi) = float(pooled["estimate"]), pooled["ci95"]
    prediction = pooled.get("prediction_interval95")
    if prediction is not None and all(math.isfinite(v) for v in prediction):
        ax.hlines(y, *prediction, color="black", linewidth=1.0, zorder=4)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    ax.set_yticks([*ax.get_yticks(), y], [*ticks, name])
    corners = [(lo, y), (estimate, y + height / 2), (hi, y), (estimate, y - height / 2)]
    ax.add_patch(Polygon(corners, closed=True, facecolor=ACCENT_COLOUR, edgecolor="black",
                         linewidth=0.6, zorder=5))  # fmt: skip
    ax.axvline(estimate, color=ACCENT_COLOUR, linestyle=":", linewidth=0.8, zorder=1)


def _freeze_layout(fig: Figure) -> Figure:
    """Lay the figure out once, then keep that layout for every save.

    Constrained layout measures text at the dpi of each save; a 300-dpi PNG between two
    SVG saves moves the axes by a rounding step, and the second SVG differs from the first.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


def _village_axes(rows: pd.DataFrame, size_column: str, lang: str, *, room_below: bool):
    """Figure, axes and rows' y positions with every village's interval drawn; call inside
    :func:`style_context`."""
    n = len(rows)
    counts = rows[size_column].to_numpy(float)
    sizes = 12 + 110 * counts / counts.max() if n else counts
    fig = new_figure((6.4, _height(n)))
    ax = fig.add_subplot()
    y = _intervals(ax, rows, sizes, POST_COLOUR, room_below=room_below)
    if n > FOREST_MAX:
        ax.set_ylabel(say("figure.village.rank_axis", lang))
    ax.xaxis.set_major_formatter(number_formatter(0, lang))
    return fig, ax, y


def forest_plot(
    by_village: pd.DataFrame,
    pooled: Mapping | None,
    lang: str,
    flags: tuple[Collection[str], float] | None = None,
) -> Figure:
    """Mean knowledge gain of each village with its 95% CI, and the pooled estimate.

    Parameters
    ----------
    by_village : DataFrame
        Columns ``cohort``, ``n_pairs``, ``gain_mean``, ``gain_ci95_lower``,
        ``gain_ci95_upper`` (by_village.csv). Villages without a gain are left out.
    pooled : Mapping or None
        ``{"estimate", "ci95": [lo, hi], "prediction_interval95": [lo, hi]}`` of a
        random-effects meta-analysis; None draws the villages alone.
    lang : {"id", "en"}
    flags : (villages, target), optional
        The villages the mixed model flags (whole interval below ``target``) and the
        target; in a caterpillar plot they are drawn in the accent colour and counted,
        with the target as a dashed line.

    Above :data:`FOREST_MAX` villages the rows are sorted by estimate on a rank axis.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "n_pairs": [17, 26],
    ...                   "gain_mean": [14.0, 9.5], "gain_ci95_lower": [10.0, 6.0],
    ...                   "gain_ci95_upper": [18.0, 13.0]})
    >>> pooled = {"estimate": 11.4, "ci95": [7.0, 15.8], "prediction_interval95": [1.0, 22.0]}
    >>> fig = forest_plot(t, pooled, "en")
    >>> [x.get_text() for x in fig.axes[0].get_yticklabels()]
    ['desa_a', 'desa_b', 'Pooled (random effects)']
    """
    rows = _rows(by_village, "gain_mean", "gain_ci95_lower", "gain_ci95_upper")
    n = len(rows)
    many = n > FOREST_MAX
    with style_context():
        fig, ax, y = _village_axes(rows, "n_pairs", lang, room_below=pooled is not None)
        ax.axvline(0, color=NEUTRAL_COLOUR, linewidth=0.8, zorder=1)
        if pooled is not None:
            at, height = (-0.04 * n, 0.05 * n) if many else (0.0, 0.6)
            _pooled(ax, pooled, at, height, say("figure.village.pooled", lang))
        ax.set_xlabel(say("figure.village.gain_axis", lang))
        key = say("figure.village." + ("caterpillar_key" if many else "forest_key"), lang)
        if many and flags is not None:
            villages_flagged, target = flags
            ax.axvline(target, color=ACCENT_COLOUR, linestyle="--", linewidth=1.0, zorder=4)
            key += "; " + say(
                "figure.village.flagged_key",
                lang,
                k=_flagged(ax, rows, y, villages_flagged),
                n=n,
                target=format_number(target, 1, lang),
            )
        ax.set_title("\n".join(textwrap.wrap(key, 90)), loc="left", fontsize=7)
        fig.suptitle(say("figure.village.forest_title", lang), fontweight="bold", fontsize=10)
        return _freeze_layout(fig)


def range_text(rows: pd.DataFrame, lang: str, estimate: str = "est") -> dict[str, object]:
    """The catalogue values ``n, low, low_name, high, high_name`` of the villages' range of
    ``estimate`` (with their ``cohort``), for the village figures' alt texts.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["a", "b"], "est": [2.5, 1.0]})
    >>> range_text(t, "id")
    {'n': 2, 'low': '1,00', 'low_name': 'b', 'high': '2,50', 'high_name': 'a'}
    """
    low, high = rows.loc[rows[estimate].idxmin()], rows.loc[rows[estimate].idxmax()]
    return {
        "n": len(rows),
        "low": format_number(low[estimate], 2, lang),
        "low_name": low["cohort"],
        "high": format_number(high[estimate], 2, lang),
        "high_name": high["cohort"],
    }


def forest_plot_alt_text(by_village: pd.DataFrame, pooled: Mapping | None, lang: str) -> str:
    """Alt text of the forest (or caterpillar) plot: the range of villages and the pooled gain.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "n_pairs": [17, 26],
    ...                   "gain_mean": [14.0, 9.5], "gain_ci95_lower": [10.0, 6.0],
    ...                   "gain_ci95_upper": [18.0, 13.0]})
    >>> pooled = {"estimate": 11.4, "ci95": [7.0, 15.8], "prediction_interval95": [1.0, 22.0]}
    >>> print(forest_plot_alt_text(t, pooled, "id"))  # doctest: +NORMALIZE_WHITESPACE
    Diagram hutan: kenaikan rerata skor pengetahuan dengan IK 95% di 2 desa, dari 9,50
    (desa_b) sampai 14,00 (desa_a). Gabungan (efek acak) 11,40 [7,00; 15,80]; interval
    prediksi 95% [1,00; 22,00].
    """
    rows = _rows(by_village, "gain_mean", "gain_ci95_lower", "gain_ci95_upper")
    kind = "caterpillar_alt" if len(rows) > FOREST_MAX else "forest_alt"
    text = say(f"figure.village.{kind}", lang, **range_text(rows, lang))
    if pooled is None:
        return text
    return text + say(
        "figure.village.pooled_alt",
        lang,
        estimate=format_number(pooled["estimate"], 2, lang),
        ci=format_ci(pooled["ci95"], lang),
        pi=format_ci(pooled.get("prediction_interval95"), lang) or "–",
    )


def skill_by_village(by_village: pd.DataFrame, threshold: float | None, lang: str) -> Figure:
    """Mean skill score of each village with its 95% CI and the competence threshold.

    Parameters
    ----------
    by_village : DataFrame
        Columns ``cohort``, ``skill_n``, ``skill_mean``, ``skill_ci95_lower``,
        ``skill_ci95_upper`` (by_village.csv). Villages without skill scores are left out.
    threshold : float or None
        The competence threshold, drawn as a line.
    lang : {"id", "en"}

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "skill_n": [17, 26],
    ...                   "skill_mean": [82.0, 74.0], "skill_ci95_lower": [78.0, 70.0],
    ...                   "skill_ci95_upper": [86.0, 78.0]})
    >>> fig = skill_by_village(t, 75.0, "id")
    >>> fig.axes[0].get_xlabel()
    'Skor keterampilan (0–100), rerata dan IK 95%'
    """
    rows = _rows(by_village, "skill_mean", "skill_ci95_lower", "skill_ci95_upper")
    with style_context():
        fig, ax, _ = _village_axes(rows, "skill_n", lang, room_below=False)
        key = say(f"figure.village.{_skill_key(rows)}", lang)
        if threshold is not None:
            # Above the intervals: with 1,000 villages they would hide it.
            ax.axvline(threshold, color=ACCENT_COLOUR, linestyle="--", linewidth=1.0, zorder=4)
            limit = format_number(threshold, 0, lang)
            key += "; " + say("figure.village.threshold_key", lang, threshold=limit)
        ax.set_xlim(None, 100 * 1.02)
        ax.set_xlabel(say("figure.village.skill_axis", lang))
        ax.set_title(key, loc="left", fontsize=7)
        fig.suptitle(say("figure.village.skill_title", lang), fontweight="bold", fontsize=10)
        return _freeze_layout(fig)


def skill_by_village_alt_text(by_village: pd.DataFrame, threshold: float, lang: str) -> str:
    """Alt text of the skill-by-village plot.

    Examples
    --------
    >>> t = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "skill_n": [17, 26],
    ...                   "skill_mean": [82.0, 74.0], "skill_ci95_lower": [78.0, 70.0],
    ...                   "skill_ci95_upper": [86.0, 78.0]})
    >>> print(skill_by_village_alt_text(t, 75.0, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Mean skill score with 95% CI in 2 villages, from 74.00 (desa_b) to 82.00 (desa_a);
    the mean of 1 of 2 villages is at or above the competence threshold 75.
    """
    rows = _rows(by_village, "skill_mean", "skill_ci95_lower", "skill_ci95_upper")
    return say(
        "figure.village.skill_alt",
        lang,
        **range_text(rows, lang),
        k=int((rows["est"] >= threshold).sum()),
        threshold=format_number(threshold, 0, lang),
    )
