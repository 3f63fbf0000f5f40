"""The sentences of the published-values check, one per printed value, in ``id`` or ``en``.

Every sentence is a ``review.note.*`` or ``review.grid.*`` entry of the text catalogue
(:mod:`analisis.text`); this module only decides which one applies and fills it in.
Numbers use the language's decimal mark (:mod:`analisis.fmt`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from analisis.fmt import format_number, format_printed
from analisis.review.block import PublishedBlock, PublishedValue
from analisis.review.grim import grim, parse_printed, possible_n, round_fraction, step_text
from analisis.text import family, say


def _num(value: Decimal | float | None, decimals: int, lang: str) -> str:
    return format_number(None if value is None else float(value), decimals, lang)


def or_list(words: list[str], lang: str) -> str:
    """``"22, 23 or 24"`` (``"22, 23 atau 24"``).

    Examples
    --------
    >>> or_list(["22", "23", "24"], "id"), or_list(["5"], "en")
    ('22, 23 atau 24', '5')
    """
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + say("list.or", lang) + words[-1]


def grid_phrase(step: Fraction, items: int, lang: str) -> str:
    """The score grid in words: ``"integer scores"``, ``"scores in steps of 4"``, ...

    Examples
    --------
    >>> grid_phrase(Fraction(1), 1, "en"), grid_phrase(Fraction(4), 2, "id")
    ('integer scores', 'skor berkelipatan 4 rerata dari 2 butir')
    """
    if step == 1 and items == 1:
        return say("review.grid.integer", lang)
    parts = []
    if step != 1:
        parts.append(say("review.grid.steps", lang, step=step_text(step)))
    if items != 1:
        parts.append(say("review.grid.items", lang, items=items))
    return say("review.grid.scores", lang, parts=" ".join(parts))


def _impossible(value: PublishedValue, block: PublishedBlock, step: Fraction, items: int,
                lang: str) -> str | None:  # fmt: skip
    """Sentence tail for a GRIM-inconsistent mean (nearest means, possible n), else None."""
    bounds = {"score_min": block.score_min, "score_max": block.score_max}
    result = grim(value.printed, value.n, items=items, step=step, rounding=block.rounding,
                  **bounds)  # fmt: skip
    if result.consistent:
        return None
    ns = possible_n(value.printed, value.n, window=block.n_window, items=items, step=step,
                    rounding=block.rounding, **bounds)  # fmt: skip
    d = value.decimals
    text = say(
        "review.note.nearest", lang,
        below=_num(result.nearest_below, d, lang), above=_num(result.nearest_above, d, lang),
    )  # fmt: skip
    if ns:
        label = family("review.quantity", lang).get(value.quantity, value.quantity)
        return text + say(
            "review.note.n_may_be", lang, label=label, ns=or_list([str(i) for i in ns], lang)
        )
    return text + say("review.note.no_n", lang, n=value.n, window=block.n_window)


def mean_note(value: PublishedValue, block: PublishedBlock, lang: str) -> str:
    """GRIM verdict of a printed mean, on integer scores and on the score grid, in words.

    Integer scores are the weakest assumption; whenever the grid is a subset of the
    integers they are checked first, so that an impossibility does not hinge on the grid.

    Examples
    --------
    >>> from analisis.review.block import parse_published
    >>> b = parse_published({"n": 23, "score_step": 4,
    ...                      "values": [{"quantity": "post_mean", "printed": "99.50"}]})
    >>> mean_note(b.printed_values[0], b, "id")[:50]
    '99,50 tidak mungkin untuk 23 skor bilangan bulat; '
    """
    fields = {
        "printed": format_printed(value.printed, lang),
        "n": value.n,
        "grid": grid_phrase(value.step, value.items, lang),
        "on_grid": _impossible(value, block, value.step, value.items, lang),
    }
    granule = value.step / value.items
    integer_grid = granule != 1 and granule.denominator == 1
    as_integers = _impossible(value, block, Fraction(1), 1, lang) if integer_grid else None
    if as_integers is not None:
        key = "review.note.impossible_both"
    elif fields["on_grid"] is None:
        key = "review.note.possible"
    elif integer_grid:
        key = "review.note.impossible_on_grid_only"
    else:
        key = "review.note.impossible"
    text = say(key, lang, as_integers=as_integers, **fields)
    if not value.step_given:
        text += say("review.note.grid_assumed", lang)
    return text + "."


def gain_note(value: PublishedValue, block: PublishedBlock, lang: str) -> str:
    """Whether a printed gain fits the printed means, allowing for their rounding.

    Examples
    --------
    >>> from analisis.review.block import parse_published
    >>> b = parse_published({"n": 23, "values": [
    ...     {"quantity": "pre_mean", "printed": "76"},
    ...     {"quantity": "post_mean", "printed": "99.50"},
    ...     {"quantity": "gain", "printed": "23.5"}]})
    >>> gain_note(b.printed_values[2], b, "en").split(". ")[1][:45]
    'The printed means give 99.50 − 76 = 23.50; al'
    """
    pre, post = block.value("pre_mean"), block.value("post_mean")
    first = say("review.note.gain_not_grim", lang)
    if pre is None or post is None:
        return say("review.note.gain_means_missing", lang, first=first)
    half = {v.quantity: Fraction(1, 2 * 10**v.decimals) for v in (pre, post, value)}
    pre_value = Fraction(parse_printed(pre.printed))
    post_value = Fraction(parse_printed(post.printed))
    low = post_value - half["post_mean"] - (pre_value + half["pre_mean"])
    high = post_value + half["post_mean"] - (pre_value - half["pre_mean"])
    gain = Fraction(parse_printed(value.printed))
    fits = gain + half["gain"] >= low and gain - half["gain"] <= high
    d = max(pre.decimals, post.decimals)
    return say(
        "review.note.gain", lang,
        first=first,
        post=format_printed(post.printed, lang),
        pre=format_printed(pre.printed, lang),
        difference=_num(round_fraction(post_value - pre_value, d), d, lang),
        low=_num(float(low), d + 1, lang),
        high=_num(float(high), d + 1, lang),
        printed=format_printed(value.printed, lang),
        verdict=say("review.note.fits" if fits else "review.note.does_not_fit", lang),
    )  # fmt: skip


def agreement_note(value: PublishedValue, recomputed: float | None, agrees: bool | None,
                   lang: str) -> str:  # fmt: skip
    """Whether the recomputed value agrees with the printed one; empty without one.

    Examples
    --------
    >>> from analisis.review.block import parse_published
    >>> v = parse_published({"n": 23, "values": [
    ...     {"quantity": "post_mean", "printed": "99.50"}]}).printed_values[0]
    >>> agreement_note(v, 2288 / 23, False, "id")
    'Nilai hitung ulang 99,48 tidak sesuai dengan angka tercetak 99,50.'
    """
    if recomputed is None:
        return ""
    key = "review.note.agrees" if agrees else "review.note.disagrees"
    return say(
        key, lang,
        shown=_num(recomputed, value.decimals, lang),
        printed=format_printed(value.printed, lang),
    )  # fmt: skip


def count_note(value: PublishedValue, lang: str) -> str:
    """A count is stated, not tested.

    Examples
    --------
    >>> from analisis.review.block import parse_published
    >>> v = parse_published({"n": 23, "values": [{"quantity": "n", "printed": "23"}]})
    >>> count_note(v.printed_values[0], "en")
    'Stated sample size 23; GRIM does not apply to a count.'
    """
    return say("review.note.count", lang, printed=value.printed)


def note(value: PublishedValue, block: PublishedBlock, recomputed: float | None,
         agrees: bool | None, lang: str) -> str:  # fmt: skip
    """The whole note of one printed value: its check, then the agreement.

    Examples
    --------
    >>> from analisis.review.block import parse_published
    >>> b = parse_published({"n": 4, "values": [{"quantity": "n", "printed": "4"}]})
    >>> print(note(b.printed_values[0], b, 4, True, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Stated sample size 4; GRIM does not apply to a count. The recomputed value 4 agrees
    with the printed 4.
    """
    if value.kind == "mean":
        text = mean_note(value, block, lang)
    elif value.kind == "difference":
        text = gain_note(value, block, lang)
    else:
        text = count_note(value, lang)
    agreement = agreement_note(value, recomputed, agrees, lang)
    return f"{text} {agreement}" if agreement else text
