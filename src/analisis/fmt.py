"""Number formatting by language: Indonesian uses the decimal comma (99,48; p < 0,001)."""

from __future__ import annotations

import math

LANGUAGES = ("id", "en")


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")


def format_number(value: float | None, decimals: int = 2, lang: str = "en") -> str:
    """Format ``value`` with ``decimals`` places, with the decimal mark of ``lang``.

    Rounds half away from zero on the printed digits as people expect
    (Python's ``format`` rounds the binary value; 0.125 would print 0.12).

    Parameters
    ----------
    value : float or None
        The number; None or NaN gives an en dash.
    decimals : int
        Places after the decimal mark.
    lang : {"id", "en"}
        ``"id"`` writes a decimal comma, ``"en"`` a decimal point.

    Examples
    --------
    >>> format_number(99.478, 2, "id"), format_number(76, 2, "en"), format_number(0.125, 2)
    ('99,48', '76.00', '0.13')
    >>> format_number(-1.5, 0), format_number(None)
    ('-2', '–')
    """
    _check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    from decimal import ROUND_HALF_UP, Decimal

    quantum = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]
    return text.replace(".", ",") if lang == "id" else text


def format_p(p: float, lang: str = "en", decimals: int = 3) -> str:
    """Format a p value APA-style: ``p = 0.012`` or ``p < 0.001`` (``p < 0,001`` in Indonesian).

    Examples
    --------
    >>> format_p(0.0123), format_p(2e-9, "id"), format_p(0.5, "id")
    ('p = 0.012', 'p < 0,001', 'p = 0,500')
    """
    threshold = 10.0**-decimals
    if p < threshold:
        return f"p < {format_number(threshold, decimals, lang)}"
    return f"p = {format_number(p, decimals, lang)}"


def format_printed(text: str, lang: str = "en") -> str:
    """A number as a paper printed it, with the decimal mark of ``lang``; digits unchanged.

    A printed value keeps its own digits (its trailing zeros count: "99.50" has two
    decimals), so it is not rounded or reformatted; only the mark follows the language,
    so that a table in Indonesian shows "99,50" beside a recomputed "99,48".

    Parameters
    ----------
    text : str
        The number as printed, with a decimal point or a decimal comma.
    lang : {"id", "en"}

    Examples
    --------
    >>> format_printed("99.50", "id"), format_printed("99,50", "en"), format_printed(" 76 ", "id")
    ('99,50', '99.50', '76')
    """
    _check_language(lang)
    plain = text.strip().replace(",", ".")
    return plain.replace(".", ",") if lang == "id" else plain
