"""Knowledge-test exports: which column holds which role, and one tidy row per submission.

Everything that needs the *position* of a value in a raw file (file, spreadsheet row,
column header) is checked here, because only here is that position known:
missing columns, answers that are not an option of the item, unreadable totals and
timestamps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.instruments import option_columns
from analisis.ingest.readers import RawTable, read_raw_table
from analisis.ingest.text import cell_text, normalise_header, parse_timestamp, parse_total

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


def _option_lookup(instrument: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Per item: accepted answer (option text normalised, or the bare letter) -> letter."""
    lookup: dict[str, dict[str, str]] = {}
    for item in instrument.to_dict("records"):
        choices: dict[str, str] = {}
        for column in option_columns(instrument):
            text = item[column]
            if text:
                letter = column.removeprefix("option_")
                choices[normalise_header(text)] = letter
                choices[letter] = letter
        lookup[item["item_id"]] = choices
    return lookup


def _option_texts(instrument: pd.DataFrame) -> dict[str, list[str]]:
    """Per item: its option texts as the instrument writes them, for error messages."""
    columns = option_columns(instrument)
    return {
        item["item_id"]: [item[c] for c in columns if item[c]]
        for item in instrument.to_dict("records")
    }


def read_knowledge_export(
    path: str | Path,
    instrument: pd.DataFrame,
    columns: Mapping[str, object] | None = None,
    encoding: str = "auto",
    timestamp_format: str | None = None,
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

    Returns
    -------
    DataFrame
        One row per raw data row: ``source_file, source_row, timestamp, name, group,
        phone, total_reported, total_possible`` and one column per ``item_id`` holding the
        chosen option letter (``<NA>`` when blank).  ``phone`` holds digits only and
        exists for telling namesakes apart; it must never be written out.

    Raises
    ------
    InputError
        Empty/header-only/undecodable file, missing name or item column, an answer that
        is not an option of its item, an unreadable timestamp or total.
    """
    columns = dict(columns or {})
    file = str(path)
    name_candidates = [columns["name"]] if columns.get("name") else ROLE_HEADERS["name"]
    table = read_raw_table(path, encoding=encoding, header_at=name_candidates)
    role_index = {role: _role_column(table, columns, role) for role in ROLE_HEADERS}
    if role_index["name"] is None:
        raise InputError(
            file,
            "a name column headed "
            + ", ".join(repr(h) for h in ROLE_HEADERS["name"][:4])
            + " (or knowledge.columns.name in the config)",
            row=table.header_row,
            column="name",
            found="headers " + ", ".join(repr(table.display(j)) for j in range(len(table.headers))),
        )
    explicit_items = dict(columns.get("items") or {})
    item_index: dict[str, int] = {}
    for item in instrument.to_dict("records"):
        item_id = item["item_id"]
        if item_id in explicit_items:
            item_index[item_id] = _require_column(table, str(explicit_items[item_id]), item_id)
            continue
        j = table.find_column([item["question"], item_id])
        if j is None:
            raise InputError(
                file,
                f"a column for item {item_id} headed by its question as in the instrument "
                f"or by {item_id!r}",
                row=table.header_row,
                column=item["question"],
                found="no such column",
            )
        item_index[item_id] = j
    options = _option_lookup(instrument)
    option_texts = _option_texts(instrument)
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        record: dict[str, object] = {"source_file": file, "source_row": number}
        record["timestamp"] = _parse_cell(
            table, row, number, role_index["timestamp"], parse_timestamp, timestamp_format
        )
        record["name"] = cell_text(row[role_index["name"]])
        group_j = role_index["group"]
        record["group"] = cell_text(row[group_j]) if group_j is not None else None
        phone_j = role_index["phone"]
        record["phone"] = _phone_digits(row[phone_j]) if phone_j is not None else None
        points, maximum = _parse_cell(table, row, number, role_index["total"], parse_total)
        record["total_reported"], record["total_possible"] = points, maximum
        for item_id, j in item_index.items():
            record[item_id] = _answer_letter(
                table, row, number, j, options[item_id], option_texts[item_id]
            )
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    for column in ("name", "group", "phone", *item_index):
        frame[column] = frame[column].astype("str")
    frame["source_row"] = frame["source_row"].astype("int64")
    frame.attrs["name_header"] = table.display(role_index["name"])
    frame.attrs["phone_header"] = (
        table.display(role_index["phone"]) if role_index["phone"] is not None else None
    )
    return frame


def _parse_cell(table, row, number, j, parser, *args):
    if j is None:
        return (float("nan"), float("nan")) if parser is parse_total else pd.NaT
    try:
        return parser(row[j], *args)
    except ValueError:
        expected = {
            parse_total: "a total such as '19.00 / 25' or '19,00 / 25'",
            parse_timestamp: "a day-first date-time such as '06/09/2024 8:15:32' "
            "(or set knowledge.timestamp_format)",
        }[parser]
        raise InputError(
            table.file, expected, row=number, column=table.display(j), found=str(row[j])
        ) from None


def _phone_digits(value: object) -> str | None:
    text = cell_text(value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits or None


def _answer_letter(
    table: RawTable, row, number: int, j: int, choices: dict[str, str], texts: list[str]
) -> str | None:
    text = cell_text(row[j])
    if text is None:
        return None
    letter = choices.get(normalise_header(text))
    if letter is None:
        raise InputError(
            table.file,
            "one of the item's options: " + " | ".join(repr(t) for t in texts),
            row=number,
            column=table.display(j),
            found=text,
        )
    return letter
