"""A reviewer's summary of parts 1 (GRIM) and 3 (robustness), in English or Indonesian.

Only formats what :func:`~analisis.review.published.published_check` and
:func:`~analisis.review.robustness.robustness` produced; numbers use
:mod:`analisis.fmt` (decimal comma in Indonesian).
"""

from __future__ import annotations

import math

import pandas as pd

from analisis.fmt import format_number, format_p

_TEXT = {
    "en": {
        "title": "Check of published numbers",
        "rounding": {
            "half_up": "Printed numbers are assumed rounded half up (ties away from zero).",
            "half_even": "Printed numbers are assumed rounded half to even.",
            "half_down": "Printed numbers are assumed rounded half down (ties toward zero).",
        },
        "part1": "1. Are the printed numbers possible? (GRIM, Brown & Heathers 2017)",
        "possible": "possible",
        "impossible": "IMPOSSIBLE",
        "half_even_differs": "with half-even rounding the verdict would be: {verdict}",
        "part3": "3. Is the gain significant for every data set the printed means allow?",
        "searched": (
            "Searched {n_datasets} data sets (seed {seed}) of {n} scores between {lo} and "
            "{hi}: pre-test mean {pre}, post-test mean {post}; each pair of samples paired "
            "in {k} ways (same order, opposite order, {r} random)."
        ),
        "or": " or ",
        "replaced": "{printed} is impossible, so the nearest possible means are used",
        "ranges": (
            "Paired t-test on post − pre over all cases: t({df}) from {t_min} to {t_max}; "
            "{p_range}; d_z from {dz_min} to {dz_max} (median of the sampled cases {dz_med})."
        ),
        "p_range": "p from {p_min} to {p_max}",
        "unbounded": "no upper bound (all differences can be equal)",
        "no_bound": "no upper bound",
        "count": "stated",
        "difference": "difference of means",
        "worst": (
            "Worst case ({source}): t({df}) = {t}, {p}, d_z = {dz}; pre-test SD {pre_sd}, "
            "post-test SD {post_sd}, r = {r}."
        ),
        "analytic": "exact, from the formula",
        "search": "found by the search",
        "verdict_yes": (
            "Verdict: the gain is significant at alpha = {alpha} in every data set "
            "consistent with the printed means."
        ),
        "verdict_no": (
            "Verdict: the gain is NOT significant at alpha = {alpha} in every data set "
            "consistent with the printed means."
        ),
        "sd_note": "With SD ranges the smallest t comes from the search and may be a little lower.",
        "stopped": "The search stopped at its time limit.",
        "not_probabilities": (
            "The spread of d_z shows what is possible, not what is likely (as in SPRITE)."
        ),
        "sd": "SD",
    },
    "id": {
        "title": "Pemeriksaan angka yang dipublikasikan",
        "rounding": {
            "half_up": "Angka tercetak diasumsikan dibulatkan setengah ke atas.",
            "half_even": "Angka tercetak diasumsikan dibulatkan setengah ke genap.",
            "half_down": "Angka tercetak diasumsikan dibulatkan setengah ke bawah.",
        },
        "part1": "1. Apakah angka tercetak mungkin? (GRIM, Brown & Heathers 2017)",
        "possible": "mungkin",
        "impossible": "TIDAK MUNGKIN",
        "half_even_differs": "dengan pembulatan setengah ke genap putusannya: {verdict}",
        "part3": (
            "3. Apakah peningkatan bermakna untuk setiap data yang dimungkinkan "
            "oleh rerata tercetak?"
        ),
        "searched": (
            "Ditelusuri {n_datasets} set data (seed {seed}) berisi {n} skor antara {lo} dan "
            "{hi}: rerata pretest {pre}, rerata posttest {post}; setiap pasangan sampel "
            "dipasangkan dengan {k} cara (urutan sama, urutan berlawanan, {r} acak)."
        ),
        "or": " atau ",
        "replaced": "{printed} tidak mungkin, sehingga dipakai rerata terdekat yang mungkin",
        "ranges": (
            "Uji t berpasangan pada posttest − pretest untuk semua kasus: t({df}) dari "
            "{t_min} sampai {t_max}; {p_range}; d_z dari {dz_min} sampai {dz_max} "
            "(median kasus sampel {dz_med})."
        ),
        "p_range": "p dari {p_min} sampai {p_max}",
        "unbounded": "tak terbatas (semua selisih bisa sama)",
        "no_bound": "tak terbatas",
        "count": "dinyatakan",
        "difference": "selisih rerata",
        "worst": (
            "Kasus terburuk ({source}): t({df}) = {t}, {p}, d_z = {dz}; SD pretest {pre_sd}, "
            "SD posttest {post_sd}, r = {r}."
        ),
        "analytic": "eksak, dari rumus",
        "search": "ditemukan oleh penelusuran",
        "verdict_yes": (
            "Kesimpulan: peningkatan bermakna pada alpha = {alpha} untuk setiap data yang "
            "sesuai dengan rerata tercetak."
        ),
        "verdict_no": (
            "Kesimpulan: peningkatan TIDAK bermakna pada alpha = {alpha} untuk setiap data "
            "yang sesuai dengan rerata tercetak."
        ),
        "sd_note": (
            "Dengan rentang SD, t terkecil berasal dari penelusuran dan bisa sedikit lebih kecil."
        ),
        "stopped": "Penelusuran berhenti pada batas waktunya.",
        "not_probabilities": (
            "Sebaran d_z menunjukkan apa yang mungkin, bukan apa yang paling mungkin "
            "(seperti pada SPRITE)."
        ),
        "sd": "SD",
    },
}


def _printed(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "id" else text


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
    words = _TEXT[lang]
    lines = [words["part1"]]
    note_column = "note" if lang == "en" else "note_id"
    for _, row in check.iterrows():
        lines.append(
            f"- {row['quantity']} = {_printed(row['printed'], lang)}: "
            f"{_verdict(row, words)}. {row[note_column]}"
        )
    return lines


def _number(value: float | None, decimals: int, lang: str, unbounded: str) -> str:
    if value is None or not math.isfinite(value):
        return unbounded
    return format_number(value, decimals, lang)


def robustness_section(robust: dict, *, lang: str = "en") -> list[str]:
    """Lines of part 3 from the dict of :func:`analisis.review.robustness.robustness`.

    Examples
    --------
    >>> from analisis.review.robustness import robustness
    >>> block = {"n": 4, "score_min": 0, "score_max": 10, "values": [
    ...     {"quantity": "pre_mean", "printed": "5.00"},
    ...     {"quantity": "post_mean", "printed": "7.50"}]}
    >>> robustness_section(robustness(block, n_samples=20, seed=1))[-2][:52]
    'Verdict: the gain is NOT significant at alpha = 0.05'
    """
    words = _TEXT[lang]
    inputs = robust["inputs"]
    df = inputs["n"] - 1

    def mean_text(side: dict) -> str:
        shown = words["or"].join(_printed(t, lang) for t in side["targets"])
        if side["targets"] != [side["printed"]]:
            replaced = words["replaced"].format(printed=_printed(side["printed"], lang))
            return f"{shown} ({replaced})"
        return shown

    lines = [words["part3"]]
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
    """The whole readable summary (parts 1 and 3) as one string.

    Parameters
    ----------
    check : pandas.DataFrame
        Output of :func:`analisis.review.published.published_check`.
    robust : dict or None
        Output of :func:`analisis.review.robustness.robustness` (None: part 3 left out).
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
    words = _TEXT[lang]
    title = words["title"] + (f": {source}" if source else "")
    lines = [title, words["rounding"][rounding], ""]
    lines += check_section(check, lang=lang)
    if robust is not None:
        lines += ["", *robustness_section(robust, lang=lang)]
    return "\n".join(lines)
