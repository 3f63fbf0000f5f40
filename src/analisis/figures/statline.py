"""Test results as one line of text, in the style of ggstatsplot's subtitle and APA.

English separates with commas (``t(22) = 12.34, p < 0.001``); Indonesian writes the
decimal comma, so it separates with semicolons (``t(22) = 12,34; p < 0,001``).

References
----------
Patil, I. (2021). Visualizations with statistical details: the 'ggstatsplot' approach.
Journal of Open Source Software, 6(61), 3167. https://doi.org/10.21105/joss.03167

American Psychological Association (2020). Publication Manual, 7th ed., §6.43–6.46.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from analisis.fmt import LANGUAGES, format_number, format_p
from analisis.text import say

#: Separator of the parts of a result, by language (catalogue entry ``list.separator``).
SEPARATOR = {lang: say("list.separator", lang) for lang in LANGUAGES}


def format_count(value: float, lang: str) -> str:
    """A count or degrees of freedom: no decimals when whole, else two.

    Examples
    --------
    >>> format_count(22.0, "en"), format_count(21.37, "id"), format_count(27.5, "id")
    ('22', '21,37', '27,50')
    """
    if float(value).is_integer():
        return str(int(value))
    return format_number(value, 2, lang)


def format_ci(ci: Sequence[float] | None, lang: str, decimals: int = 2) -> str:
    """A 95% CI as ``[lo, hi]`` (``[lo; hi]`` in Indonesian); empty text when absent.

    Examples
    --------
    >>> format_ci([1.724, 3.4099], "en"), format_ci([1.724, 3.4099], "id"), format_ci(None, "en")
    ('[1.72, 3.41]', '[1,72; 3,41]', '')
    """
    if ci is None or any(v is None or (isinstance(v, float) and math.isnan(v)) for v in ci):
        return ""
    low, high = (format_number(v, decimals, lang) for v in ci)
    return f"[{low}{SEPARATOR[lang]}{high}]"


def t_test_line(
    t: float,
    df: float,
    p: float,
    d_z: float,
    d_z_ci: Sequence[float] | None,
    n: int,
    lang: str,
) -> str:
    """Paired t-test as ``t(df) = …, p …, d_z = … [CI], n = …``.

    Examples
    --------
    >>> t_test_line(12.3449, 22, 2e-11, 2.5743, [1.7201, 3.4132], 23, "en")
    't(22) = 12.34, p < 0.001, d_z = 2.57 [1.72, 3.41], n = 23'
    >>> t_test_line(12.3449, 22, 2e-11, 2.5743, [1.7201, 3.4132], 23, "id")
    't(22) = 12,34; p < 0,001; d_z = 2,57 [1,72; 3,41]; n = 23'
    """
    parts = [
        f"t({format_count(df, lang)}) = {format_number(t, 2, lang)}",
        format_p(p, lang),
        f"d_z = {format_number(d_z, 2, lang)} {format_ci(d_z_ci, lang)}".rstrip(),
        f"n = {int(n)}",
    ]
    return SEPARATOR[lang].join(parts)


def wilcoxon_line(
    v: float,
    p: float,
    rank_biserial: float,
    rank_biserial_ci: Sequence[float] | None,
    lang: str,
) -> str:
    """Wilcoxon signed-rank test as ``V = …, p …, r_rb = … [CI]`` (V as R prints it).

    Examples
    --------
    >>> wilcoxon_line(210, 0.0000617, 1.0, [1.0, 1.0], "en")
    'V = 210, p < 0.001, r_rb = 1.00 [1.00, 1.00]'
    >>> wilcoxon_line(27.5, 0.0412, 0.604, [0.08, 0.87], "id")
    'V = 27,50; p = 0,041; r_rb = 0,60 [0,08; 0,87]'
    """
    parts = [
        f"V = {format_count(v, lang)}",
        format_p(p, lang),
        f"r_rb = {format_number(rank_biserial, 2, lang)} "
        f"{format_ci(rank_biserial_ci, lang)}".rstrip(),
    ]
    return SEPARATOR[lang].join(parts)


def paired_subtitle(paired: Mapping, lang: str) -> str:
    """The result lines of ``analisis paired`` JSON: t-test, plus Wilcoxon when it is primary.

    The primary test is marked. Reads only the keys documented for knowledge_paired.json
    in docs/contracts.md.

    Examples
    --------
    >>> paired = {"n_pairs": 10, "primary_test": "t_test",
    ...           "t_test": {"t": 4.0621, "df": 9, "p": 0.002833},
    ...           "wilcoxon": {"V": 45, "p": 0.009091},
    ...           "effect_size": {"d_z": 1.2845, "d_z_ci95": [0.4408, 2.0915],
    ...                           "rank_biserial": 1.0, "rank_biserial_ci95": [1.0, 1.0]}}
    >>> paired_subtitle(paired, "en")
    't(9) = 4.06, p = 0.003, d_z = 1.28 [0.44, 2.09], n = 10 (primary test)'
    >>> paired["primary_test"] = "wilcoxon"
    >>> print(paired_subtitle(paired, "id"))
    t(9) = 4,06; p = 0,003; d_z = 1,28 [0,44; 2,09]; n = 10
    V = 45; p = 0,009; r_rb = 1,00 [1,00; 1,00] (uji utama)
    """
    t_test, effect, wilcoxon = paired["t_test"], paired["effect_size"], paired["wilcoxon"]
    t_line = t_test_line(
        t_test["t"],
        t_test["df"],
        t_test["p"],
        effect["d_z"],
        effect.get("d_z_ci95"),
        paired["n_pairs"],
        lang,
    )
    marker = f" ({say('figure.primary_test', lang)})"
    if paired["primary_test"] != "wilcoxon":
        return t_line + marker
    w_line = wilcoxon_line(
        wilcoxon["V"],
        wilcoxon["p"],
        effect["rank_biserial"],
        effect.get("rank_biserial_ci95"),
        lang,
    )
    return f"{t_line}\n{w_line}{marker}"
