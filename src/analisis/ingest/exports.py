"""Knowledge-test exports: which column holds which role, and one tidy row per submission.

Everything that needs the *position* of a value in a raw file (file, spreadsheet row,
column header) is checked here, because only here is that position known:
missing columns, answers that are not an option of the item, unreadable totals and
timestamps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.coded import CODINGS, Rejected, answer_converter
from analisis.ingest.instruments import option_columns
from analisis.ingest.readers import RawTable, read_raw_table
from analisis.ingest.text import (
    cell_text,
    is_blank,
    normalise_header,
    parse_timestamp,
    parse_total,
)

#: Headers recognised for each role of a Google Forms export (case and spacing ignored).
ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    "timestamp": ("cap waktu", "timestamp"),
    "name": ("nama", "nama lengkap", "name", "full name"),
    "total": ("total skor", "skor", "score", "total score", "total nilai", "nilai"),
    "group": ("kelompok", "group"),
    "phone": (
        "no hp",
        "no. hp",
        "nomor hp",
        "no hp/wa",
        "no. hp/wa",
        "nomor hp/wa",
        "no wa",
        "no. wa",
        "nomor wa",
        "nomor whatsapp",
        "no. telepon",
        "nomor telepon",
        "telepon",
        "phone",
        "phone number",
        "whatsapp",
    ),
}


def _require_column(table: RawTable, header: str, role: str) -> int:
    j = table.find_column([header])
    if j is None:
        raise InputError(
            table.file,
            f"the {role} column named in the config",
            row=table.header_row,
            column=header,
            found="no such column",
        )
    return j


def _role_column(table: RawTable, columns: Mapping[str, object], role: str) -> int | None:
    explicit = columns.get(role)
    if explicit:
        return _require_column(table, str(explicit), role)
    return table.find_column(ROLE_HEADERS[role])


def _options_by_item(instrument: pd.DataFrame) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each item's id and its (letter, option text) pairs in letter order, blank options
    left out; from the instrument's columns, not a dict per row (read once per export)."""
    columns = option_columns(instrument)
    letters = [column.removeprefix("option_") for column in columns]
    return [
        (item_id, [(letter, text) for letter, text in zip(letters, texts, strict=True) if text])
        for item_id, *texts in zip(
            instrument["item_id"], *(instrument[c] for c in columns), strict=True
        )
    ]


def _option_lookup(instrument: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Per item: accepted answer (option text normalised, or the bare letter) -> letter."""
    lookup: dict[str, dict[str, str]] = {}
    for item_id, options in _options_by_item(instrument):
        choices: dict[str, str] = {}
        for letter, text in options:
            choices[normalise_header(text)] = letter
            choices[letter] = letter
        lookup[item_id] = choices
    return lookup


def _option_texts(instrument: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """Per item: (letter, option text as the instrument writes it), in letter order."""
    return dict(_options_by_item(instrument))


def read_knowledge_export(
    path: str | Path,
    instrument: pd.DataFrame,
    columns: Mapping[str, object] | None = None,
    encoding: str = "auto",
    timestamp_format: str | None = None,
    option_codes: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a knowledge-test export (Google Forms CSV, ``.xlsx`` or ``.sav``).

    Column roles come from ``columns`` (``timestamp``, ``name``, ``total``, ``group``,
    ``phone``, ``items: {item_id: header}``) or are recognised from :data:`ROLE_HEADERS`;
    an item's column is headed by its question text exactly as in the instrument (case and
    spacing aside) or by its ``item_id``.  Answers may be the option text or the option
    letter; they are returned as the letter.

    Parameters
    ----------
    path : str or Path
        The export.
    instrument : DataFrame
        From :func:`read_knowledge_instrument`.
    columns : mapping, optional
        Explicit roles (the ``knowledge.columns`` block of a cohort).
    encoding : str
        See the module's encoding policy.
    timestamp_format : str, optional
        strptime format of the timestamp; default parses day-first.
    option_codes : sequence of str
        Option letters in the order of answer codes 1, 2, 3… (SPSS files whose value
        labels cannot be matched); empty matches the value labels
        (see :func:`analisis.ingest.coded.answer_converter`).

    Returns
    -------
    DataFrame
        One row per raw data row: ``source_file, source_row, timestamp, name, group,
        phone, total_reported, total_possible`` and one column per ``item_id`` holding the
        chosen option letter (``<NA>`` when blank).  ``phone`` holds the number as written
        (cleaning compares it in one normal form) and exists for telling namesakes
        apart; it must never be written out.  ``attrs["answer_coding"]`` says
        how coded answers were mapped (None when the answers were texts or letters).

    Raises
    ------
    InputError
        Empty/header-only/undecodable file, missing name or item column, an answer that
        is not an option of its item, an unreadable timestamp or total.
    """
    columns = dict(columns or {})
    name_candidates = [columns["name"]] if columns.get("name") else ROLE_HEADERS["name"]
    table = read_raw_table(path, encoding=encoding, header_at=name_candidates)
    roles = _role_columns(table, columns)
    items = _item_columns(table, instrument, columns)
    cells = list(zip(*table.rows, strict=False)) if table.rows else []
    frame = pd.DataFrame({"source_file": str(path), "source_row": table.row_numbers})
    frame["timestamp"] = pd.to_datetime(
        _convert(
            table,
            cells,
            roles["timestamp"],
            lambda value: parse_timestamp(value, timestamp_format),
            _TIMESTAMP_EXPECTED,
        )
    )
    for role, convert in (("name", cell_text), ("group", cell_text), ("phone", cell_text)):
        frame[role] = pd.Series(_convert(table, cells, roles[role], convert), dtype="str")
    totals = _convert(table, cells, roles["total"], parse_total, _TOTAL_EXPECTED)
    frame["total_reported"] = [points for points, _ in totals]
    frame["total_possible"] = [maximum for _, maximum in totals]
    choices, texts = _option_lookup(instrument), _option_texts(instrument)
    codings = []
    for item_id, j in items.items():
        convert, coding = answer_converter(
            table, j, item_id, choices[item_id], texts[item_id], option_codes
        )
        codings.append(coding)
        frame[item_id] = pd.Series(_convert(table, cells, j, convert, labelled=False), dtype="str")
    frame["source_row"] = frame["source_row"].astype("int64")
    frame.attrs["name_header"] = table.display(roles["name"])
    frame.attrs["phone_header"] = None if roles["phone"] is None else table.display(roles["phone"])
    frame.attrs["answer_coding"] = max(codings, key=CODINGS.index, default=None)
    return frame


def _role_columns(table: RawTable, columns: Mapping[str, object]) -> dict[str, int | None]:
    roles = {role: _role_column(table, columns, role) for role in ROLE_HEADERS}
    if roles["name"] is None:
        raise InputError(
            table.file,
            "a name column headed "
            + ", ".join(repr(h) for h in ROLE_HEADERS["name"][:4])
            + " (or knowledge.columns.name in the config)",
            row=table.header_row,
            column="name",
            found="headers " + ", ".join(repr(table.display(j)) for j in range(len(table.headers))),
        )
    return roles


def _item_columns(
    table: RawTable, instrument: pd.DataFrame, columns: Mapping[str, object]
) -> dict[str, int]:
    explicit_items = dict(columns.get("items") or {})
    item_index: dict[str, int] = {}
    for item_id, question in zip(instrument["item_id"], instrument["question"], strict=True):
        if item_id in explicit_items:
            item_index[item_id] = _require_column(table, str(explicit_items[item_id]), item_id)
            continue
        j = table.find_column([question, item_id])
        if j is None:
            raise InputError(
                table.file,
                f"a column for item {item_id} headed by its question as in the instrument "
                f"or by {item_id!r}",
                row=table.header_row,
                column=question,
                found="no such column",
            )
        item_index[item_id] = j
    return item_index


_TOTAL_EXPECTED = "a total such as '19.00 / 25' or '19,00 / 25'"
_TIMESTAMP_EXPECTED = (
    "a day-first date-time such as '06/09/2024 8:15:32' (or set knowledge.timestamp_format)"
)


def _convert(
    table: RawTable,
    cells: Sequence[Sequence[object]],
    j: int | None,
    convert: Callable[[object], object],
    expected: str = "",
    labelled: bool = True,
) -> list[object]:
    """``convert`` applied to column ``j``, once per distinct cell (exports repeat answers).

    Converting distinct cells keeps reading linear in the rows with a small constant.
    A ``ValueError`` of ``convert`` becomes an :class:`InputError` at the first row
    holding that cell, saying ``expected`` (or what a :class:`Rejected` argument
    says).  A missing column is a column of blanks.  SPSS codes with a value label are converted
    as their label unless ``labelled`` is false (answers, which map codes themselves).
    """
    if j is None:
        return [convert(None)] * len(table.rows)
    labels = table.value_labels.get(j, {}) if labelled else {}
    converted: dict[object, object] = {}
    out = []
    for value, number in zip(cells[j], table.row_numbers, strict=True):
        # NaN is not equal to itself, so blank cells go by their own key.
        key = None if is_blank(value) else value
        if key not in converted:
            try:
                converted[key] = convert(labels.get(key, key))
            except ValueError as error:
                rejected = error.args[0] if error.args else None
                found = str(value)
                if isinstance(rejected, Rejected):
                    expected, found = rejected.expected, rejected.found
                raise InputError(
                    table.file, expected, row=number, column=table.display(j), found=found
                ) from None
        out.append(converted[key])
    return out
