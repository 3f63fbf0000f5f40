"""Answers as the knowledge test's options: texts, letters, or SPSS codes with value labels.

An SPSS file stores an answer as a number (``1``, ``2`` …) and the option text as the
code's *value label*.  SPSS cuts value labels at 120 bytes, so a long option's label is
only the start of the instrument's text.  A code is mapped to an option letter by, in
order:

``option_codes``
    the config's ``knowledge.option_codes``: letters in the order of codes 1, 2, 3…;
``value_labels``
    each label equals one option's text (case and spacing aside);
``label_prefix``
    each label begins exactly one option's text (a label cut at 120 bytes);
``code_order``
    labels that begin several options (options alike in their first 120 bytes) are
    taken in code order, the k-th smallest code for the k-th option, when there are
    as many codes as options and each label begins the option at its position.

Anything else is an :class:`~analisis.errors.InputError` naming the item's column and
the label that fits no option.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.readers import RawTable
from analisis.ingest.text import cell_text, normalise_header

#: How the answers of one column were read, from plain to most inferred.
CODINGS: tuple[str | None, ...] = (
    None,
    "value_labels",
    "label_prefix",
    "code_order",
    "option_codes",
)


@dataclass(frozen=True)
class Rejected:
    """What a converter expected and found, carried by its ``ValueError``."""

    expected: str
    found: str


def match_value_labels(
    labels: Mapping[float, str], options: Sequence[tuple[str, str]]
) -> tuple[dict[float, str], str] | None:
    """Map codes to option letters by their value labels (see the module's rules).

    Parameters
    ----------
    labels : mapping of code to label
        The value labels of one SPSS variable.
    options : sequence of (letter, text)
        The item's options in letter order.

    Returns
    -------
    (dict, str) or None
        Code -> letter and the coding used (``value_labels``, ``label_prefix`` or
        ``code_order``); None when the labels fit no rule.

    Examples
    --------
    >>> options = [("a", "Segera setelah lahir"), ("b", "Setelah 1 hari")]
    >>> match_value_labels({1.0: "Segera setelah lahir", 2.0: "Setelah 1 hari"}, options)
    ({1.0: 'a', 2.0: 'b'}, 'value_labels')
    >>> match_value_labels({1.0: "Segera set", 2.0: "Setelah 1"}, options)
    ({1.0: 'a', 2.0: 'b'}, 'label_prefix')
    >>> match_value_labels({1.0: "Se", 2.0: "Setelah"}, options)
    ({1.0: 'a', 2.0: 'b'}, 'code_order')
    """
    texts = [(letter, normalise_header(text)) for letter, text in options]
    mapping: dict[float, str] = {}
    exact = True
    for code, label in labels.items():
        want = normalise_header(label)
        equal = [letter for letter, text in texts if text == want]
        hits = equal or [letter for letter, text in texts if want and text.startswith(want)]
        if len(hits) != 1:
            break
        mapping[code] = hits[0]
        exact = exact and bool(equal)
    else:
        if len(set(mapping.values())) == len(mapping):
            return mapping, "value_labels" if exact else "label_prefix"
    ordered = sorted(labels)
    if len(ordered) == len(texts) and all(
        text.startswith(normalise_header(labels[code]))
        for code, (_, text) in zip(ordered, texts, strict=True)
    ):
        return {
            code: letter for code, (letter, _) in zip(ordered, texts, strict=True)
        }, "code_order"
    return None


def answer_converter(
    table: RawTable,
    j: int,
    item_id: str,
    choices: Mapping[str, str],
    texts: Sequence[tuple[str, str]],
    option_codes: Sequence[str] = (),
) -> tuple[Callable[[object], str | None], str | None]:
    """A function from one raw answer cell of column ``j`` to its option letter.

    Text answers are matched to ``choices`` (normalised option text or bare letter ->
    letter).  When the column has value labels or ``option_codes`` is set, numeric
    cells are codes, mapped by :func:`match_value_labels` or by ``option_codes``.

    Returns
    -------
    (callable, str or None)
        The converter (raises ``ValueError(Rejected(…))`` for an answer that is no
        option) and the coding of :data:`CODINGS` used for this column.

    Raises
    ------
    InputError
        Value labels that fit none of the module's rules.
    """
    labels = table.value_labels.get(j, {})
    codes: dict[float, str] = {}
    coding = None
    if option_codes:
        codes = {float(k): letter for k, letter in enumerate(option_codes, start=1)}
        coding = "option_codes"
    elif labels:
        matched = match_value_labels(labels, texts)
        if matched is None:
            code, label = next(iter(labels.items()))
            raise InputError(
                table.file,
                f"value labels of item {item_id} that each begin one of its options "
                "(SPSS cuts labels at 120 bytes), or knowledge.option_codes in the config",
                column=table.display(j),
                found=f"code {code:g} labelled {label!r}",
            )
        codes, coding = matched
    listed = " | ".join(repr(text) for _, text in texts)

    def convert(value: object) -> str | None:
        if codes and isinstance(value, int | float) and not pd.isna(value):
            if value in codes:
                return codes[value]
            raise ValueError(
                Rejected(f"a code of one of the item's options ({coding})", f"{value:g}")
            )
        text = cell_text(value)
        if text is None:
            return None
        letter = choices.get(normalise_header(text))
        if letter is None:
            expected = "one of the item's options: " + listed
            if isinstance(value, int | float):
                expected += " (for answers stored as codes, set knowledge.option_codes)"
            raise ValueError(Rejected(expected, text))
        return letter

    return convert, coding
