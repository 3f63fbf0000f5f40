"""A reviewer's summary of part 1 (GRIM) and part 2 (robustness), in English or Indonesian.

The words are the ``review.*`` entries of the text catalogue (:mod:`analisis.text`).
Only formats what :func:`~analisis.review.published.published_check` and
:func:`~analisis.review.robustness.robustness` produced; numbers use
:mod:`analisis.fmt` (decimal comma in Indonesian).
"""

from __future__ import annotations

import math

import pandas as pd

from analisis.fmt import format_number, format_p, format_printed
from analisis.review.published import NOTE_COLUMNS
from analisis.text import family, say


def _verdict(row: pd.Series, words: dict) -> str:
    value = row["grim_consistent"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words["difference"] if row["quantity"] == "gain" else words["count"]
    return words["possible"] if value else words["impossible"]


def _bare_p(p: float, lang: str) -> str:
    """``"< 0.001"`` or ``"0.016"``: a p value without its ``p =``."""
    return format_p(p, lang).removeprefix("p = ").removeprefix("p ")


def check_section(check: pd.DataFrame, *, lang: str = "en") -> list[str]:
    """Lines of part 1: one line per printed number with its verdict and note.

    Examples
    --------
    >>> from analisis.review.published import published_check
    >>> block = {"n": 23, "values": [{"quantity": "post_mean", "printed": "99.50"}]}
    >>> check_section(published_check(block), lang="id")[1][:41]
    '- post_mean = 99,50: TIDAK MUNGKIN. 99,50'
    """
    words = family("review", lang)
    lines = [words["part1"]]
    note_column = NOTE_COLUMNS[lang]
    for _, row in check.iterrows():
        lines.append(
            f"- {row['quantity']} = {format_printed(row['printed'], lang)}: "
            f"{_verdict(row, words)}. {row[note_column]}"
        )
    return lines


def _number(value: float | None, decimals: int, lang: str, unbounded: str) -> str:
    if value is None or not math.isfinite(value):
        return unbounded
    return format_number(value, decimals, lang)


def robustness_section(robust: dict, *, lang: str = "en") -> list[str]:
    """Lines of part 2 from the dict of :func:`analisis.review.robustness.robustness`.

    Examples
    --------
    >>> from analisis.review.robustness import robustness
    >>> block = {"n": 4, "score_min": 0, "score_max": 10, "values": [
    ...     {"quantity": "pre_mean", "printed": "5.00"},
    ...     {"quantity": "post_mean", "printed": "7.50"}]}
    >>> robustness_section(robustness(block, n_samples=20, seed=1))[-2][:52]
    'Verdict: the gain is NOT significant at alpha = 0.05'
    """
    words = family("review", lang)
    inputs = robust["inputs"]
    df = inputs["n"] - 1

    def mean_text(side: dict) -> str:
        shown = say("list.or", lang).join(format_printed(t, lang) for t in side["targets"])
        if side["targets"] != [side["printed"]]:
            replaced = words["replaced"].format(printed=format_printed(side["printed"], lang))
            return f"{shown} ({replaced})"
        return shown

    lines = [words["part2"]]
    lines.append(
        words["searched"].format(
            n_datasets=robust["n_datasets"],
            seed=inputs["seed"],
            n=inputs["n"],
            lo=format_number(inputs["score_min"], 0, lang),
            hi=format_number(inputs["score_max"], 0, lang),
            pre=mean_text(inputs["pre"]),
            post=mean_text(inputs["post"]),
            k=len(inputs["pairings"]),
            r=inputs["random_pairings"],
        )
    )
    unbounded = words["unbounded"]
    p_min = robust["p"]["min"]
    p_range = words["p_range"].format(
        p_min=_bare_p(p_min, lang), p_max=_bare_p(robust["p"]["max"], lang)
    )
    lines.append(
        words["ranges"].format(
            df=df,
            t_min=_number(robust["t"]["min"], 2, lang, unbounded),
            t_max=_number(robust["t"]["max"], 2, lang, unbounded),
            p_range=p_range,
            dz_min=_number(robust["d_z"]["min"], 2, lang, unbounded),
            dz_max=_number(robust["d_z"]["max"], 2, lang, words["no_bound"]),
            dz_med=_number(robust["d_z"]["quantiles"].get("0.5"), 2, lang, unbounded),
        )
    )
    worst = robust["worst_case"]
    lines.append(
        words["worst"].format(
            source=words["analytic" if worst["source"] == "analytic" else "search"],
            df=worst["df"],
            t=format_number(worst["t"], 2, lang),
            p=format_p(worst["p"], lang),
            dz=format_number(worst["d_z"], 2, lang),
            pre_sd=format_number(worst["pre_sd"], 2, lang),
            post_sd=format_number(worst["post_sd"], 2, lang),
            r=format_number(worst["r"], 2, lang),
        )
    )
    if not robust["analytic"]["exact"]:
        lines.append(words["sd_note"])
    if robust["stopped_by_time_limit"]:
        lines.append(words["stopped"])
    alpha = format_number(inputs["alpha"], len(str(inputs["alpha"]).split(".")[-1]), lang)
    key = "verdict_yes" if robust["significant_in_every_case"] else "verdict_no"
    lines.append(words[key].format(alpha=alpha))
    lines.append(words["not_probabilities"])
    return lines


def review_summary(
    check: pd.DataFrame, robust: dict | None, *, lang: str = "en", source: str = "",
    rounding: str = "half_up",
) -> str:  # fmt: skip
    """The whole readable summary (parts 1 and 2) as one string.

    Parameters
    ----------
    check : pandas.DataFrame
        Output of :func:`analisis.review.published.published_check`.
    robust : dict or None
        Output of :func:`analisis.review.robustness.robustness` (None: part 2 left out).
    lang : {"en", "id"}
        Language; Indonesian writes decimal commas.
    source : str
        The paper, as cited in the ``published:`` block.
    rounding : str
        Tie rule assumed for the printed numbers.

    Examples
    --------
    >>> from analisis.review.published import published_check
    >>> block = {"n": 23, "values": [{"quantity": "pre_mean", "printed": "76"}]}
    >>> print(review_summary(published_check(block), None, source="Paper (2026)"))
    Check of published numbers: Paper (2026)
    Printed numbers are assumed rounded half up (ties away from zero).
    <BLANKLINE>
    1. Are the printed numbers possible? (GRIM, Brown & Heathers 2017)
    - pre_mean = 76: possible. 76 is possible for 23 integer scores (GRIM).
    """
    words = family("review", lang)
    title = words["title"] + (f": {source}" if source else "")
    lines = [title, words[f"rounding.{rounding}"], ""]
    lines += check_section(check, lang=lang)
    if robust is not None:
        lines += ["", *robustness_section(robust, lang=lang)]
    return "\n".join(lines)
