"""The planning figure: half-width of the mean gain against the number of villages.

Draws already computed curves (planning.json's ``curves``); nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from analisis.figures.style import (
    ACCENT_COLOUR,
    GROUP_COLOURS,
    NEUTRAL_COLOUR,
    check_language,
    label,
    new_figure,
    number_formatter,
    style_context,
)
from analisis.fmt import format_number
from analisis.text import say


def _halfwidth_at(curves: Sequence[Mapping], villages: int, cadres: int) -> float:
    """The half-width of the curve of ``cadres`` at ``villages`` (a point of the data)."""
    for curve in curves:
        if curve["cadres"] == cadres and villages in curve["villages"]:
            return curve["halfwidth"][list(curve["villages"]).index(villages)]
    raise ValueError(f"no curve point for {villages} villages of {cadres} cadres")


def planning_halfwidth(
    curves: Sequence[Mapping],
    target: float,
    assurance: float | None,
    lang: str,
    planned: tuple[int, int] | None = None,
) -> Figure:
    """One line per cadres-per-village: half-width (points) against villages.

    Parameters
    ----------
    curves : sequence of mappings
        ``cadres``, ``villages`` (list), ``halfwidth`` (list), as planning.json's
        ``curves``.
    target : float
        The target half-width, drawn as a dashed line.
    assurance : float or None
        The probability the half-width is not exceeded (named on the axis).
    lang : {"id", "en"}
    planned : (villages, cadres), optional
        The plan, marked with a point on the line of its cadres (or on its own).

    Examples
    --------
    >>> c = [{"cadres": 5, "villages": [2, 3, 4], "halfwidth": [20.0, 9.0, 6.0]}]
    >>> fig = planning_halfwidth(c, 8.0, 0.8, "en", planned=(4, 5))
    >>> fig.axes[0].get_xlabel()
    'Villages (k)'
    """
    check_language(lang)
    with style_context():
        figure = new_figure((6.4, 4.0))
        axes = figure.add_subplot()
        for i, curve in enumerate(curves):
            axes.plot(
                curve["villages"],
                curve["halfwidth"],
                color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                linewidth=2.6 if planned and curve["cadres"] == planned[1] else 1.3,
                label=say("figure.planning.line", lang, cadres=curve["cadres"]),
            )
        axes.axhline(target, color=NEUTRAL_COLOUR, linestyle="--", linewidth=1.0,
                     label=say("figure.planning.target", lang,
                               halfwidth=format_number(target, 1, lang)))  # fmt: skip
        if planned is not None:
            villages, cadres = planned
            width = _halfwidth_at(curves, villages, cadres)
            axes.plot([villages], [width], marker="o", color=ACCENT_COLOUR, linestyle="none",
                      label=say("figure.planning.plan", lang, villages=villages,
                                cadres=cadres))  # fmt: skip
        highest = max(max(curve["halfwidth"]) for curve in curves)
        axes.set_ylim(0, min(highest, 4 * target) * 1.05)
        axes.set_xlim(left=0)
        axes.set_xlabel(label("planning.villages_axis", lang))
        key = "planning.halfwidth_axis" if assurance is None else "planning.assured_axis"
        axes.set_ylabel(say(f"figure.{key}", lang, assurance=format_number(
            100 * (assurance or 0), 0, lang)))  # fmt: skip
        axes.yaxis.set_major_formatter(number_formatter(0, lang))
        axes.set_title(label("planning.title", lang))
        axes.legend(frameon=False, fontsize=8)
    return figure


def planning_halfwidth_alt_text(
    curves: Sequence[Mapping], target: float, lang: str, planned: tuple[int, int] | None = None
) -> str:
    """Alt text: what falls with what, and where the plan reaches the target.

    Examples
    --------
    >>> c = [{"cadres": 5, "villages": [2, 3, 4], "halfwidth": [20.0, 9.0, 6.0]},
    ...      {"cadres": 10, "villages": [2, 3, 4], "halfwidth": [15.0, 7.0, 5.0]}]
    >>> print(planning_halfwidth_alt_text(c, 8.0, "en", planned=(4, 5)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Line chart: the 95% half-width of the programme's mean gain against the number of
    villages (2 to 4), one line each for 5 and 10 cadres per village. With 4 villages of
    5 cadres it is 6.0 points. Dashed line: the target ±8.0.
    """
    villages = [k for curve in curves for k in curve["villages"]]
    lists = [str(curve["cadres"]) for curve in curves]
    cadres = ", ".join(lists[:-1]) + say("figure.planning.and", lang) + lists[-1]
    text = say(
        "figure.planning.alt", lang, low=min(villages), high=max(villages),
        cadres=cadres if len(lists) > 1 else lists[0],
    )  # fmt: skip
    if planned is not None:
        k, m = planned
        width = format_number(_halfwidth_at(curves, k, m), 1, lang)
        text += say("figure.planning.alt_plan", lang, villages=k, cadres=m, halfwidth=width)
    return text + say("figure.planning.alt_target", lang, halfwidth=format_number(target, 1, lang))
