"""The skill checklist workbook: one sheet per mentoring group, one row per cadre."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.readers import RawTable, read_raw_sheets
from analisis.ingest.text import cell_text, is_blank, normalise_header

SHEET_LABELS = {
    "kelompok": "group",
    "group": "group",
    "penilai": "assessor",
    "assessor": "assessor",
}
SHEET_LABELS.update({"tanggal": "date", "date": "date"})

#: Names in a checklist's name column that mark a summary row, not a cadre.
SUMMARY_ROW_LABELS = frozenset({"rata-rata", "rata rata", "rerata", "jumlah", "total", "mean"})


def sheet_labels(preamble: Sequence[Sequence[object]]) -> dict[str, str]:
    """Roles of the label rows above a checklist table: {"group": …, "assessor": …, "date": …}.

    A label row's first filled cell is a label of :data:`SHEET_LABELS` and its second
    filled cell the value; later rows win.

    Examples
    --------
    >>> sheet_labels([["Pelatihan pijat"], ["Kelompok:", 2], ["Penilai", "Bd. R"]])
    {'group': '2', 'assessor': 'Bd. R'}
    """
    labels: dict[str, str] = {}
    for row in preamble:
        filled = [c for c in row if not is_blank(c)]
        if len(filled) >= 2 and normalise_header(filled[0]) in SHEET_LABELS:
            labels[SHEET_LABELS[normalise_header(filled[0])]] = cell_text(filled[1]) or ""
    return labels


def read_skill_workbook(
    path: str | Path,
    instrument: pd.DataFrame,
    sheets: Sequence[str] = (),
    name_header: str = "Nama Kader",
) -> pd.DataFrame:
    """Read the skill checklist: one sheet per mentoring group, one row per cadre.

    In each sheet the table's header row is the first row holding ``name_header`` (or
    ``Nama``); its step columns are headed by ``step_id`` or the step's ``description_id``.
    Label rows above it (``Kelompok``, ``Penilai``, ``Tanggal``) give the group (else the
    sheet name) and the assessor.  A row below the header is a cadre row when its name or
    any step cell is filled; rows named ``Rata-rata``/``Jumlah``/``Total`` are summaries and
    skipped.

    Returns
    -------
    DataFrame
        ``source_file, sheet, source_row (Excel row), group, assessor, name`` and one
        integer column per ``step_id``.

    Raises
    ------
    InputError
        Missing sheet (column = sheet name), missing step column, points that are not an
        integer in ``0 … max_points`` (column = ``'<sheet>!<header>'``), blank points.
    """
    steps = instrument.to_dict("records")
    maxima = dict(zip(instrument["step_id"], instrument["max_points"], strict=True))
    records = [
        record
        for table in read_raw_sheets(path, sheets, header_at=[name_header, "Nama"])
        for record in _checklist_records(table, steps, maxima, name_header)
    ]
    # One frame for the workbook, not one a sheet: a DataFrame's construction and typing
    # cost more than a sheet of a few cadres' cells.
    frame = pd.DataFrame.from_records(records)
    for step_id in maxima:
        frame[step_id] = frame[step_id].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    for column in ("sheet", "group", "assessor", "name"):
        frame[column] = frame[column].astype("str")
    return frame


def _checklist_records(
    table: RawTable,
    steps: Sequence[Mapping[str, object]],
    maxima: Mapping[str, int],
    name_header: str,
) -> list[dict[str, object]]:
    """The cadre rows of one sheet, as records of :func:`read_skill_workbook`'s columns."""
    name_j = table.find_column([name_header, "Nama"])
    step_index: dict[str, int] = {}
    for step in steps:
        candidates = [step["step_id"]]
        if step.get("description_id"):
            candidates.append(step["description_id"])
        j = table.find_column(candidates)
        if j is None:
            raise InputError(
                table.file,
                f"a column for step {step['step_id']} headed by {step['step_id']!r} "
                "or by its description as in the instrument",
                row=table.header_row,
                column=f"{table.sheet}!{step['step_id']}",
                found="no such column",
            )
        step_index[step["step_id"]] = j
    labels = sheet_labels(table.preamble)
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        name = cell_text(row[name_j])
        steps_filled = any(not is_blank(row[j]) for j in step_index.values())
        if name is None and not steps_filled:
            continue
        if name is not None and normalise_header(name) in SUMMARY_ROW_LABELS:
            continue
        record: dict[str, object] = {
            "source_file": table.file,
            "sheet": table.sheet,
            "source_row": number,
            "group": labels.get("group") or table.sheet,
            "assessor": labels.get("assessor") or None,
            "name": name,
        }
        for step_id, j in step_index.items():
            record[step_id] = _points(table, row[j], number, j, maxima[step_id])
        records.append(record)
    if not records:
        raise InputError(
            table.file,
            "at least one cadre row below the header",
            row=table.header_row + 1,
            column=table.sheet,
            found="only the header row",
        )
    return records


def _points(table: RawTable, value: object, number: int, j: int, maximum: int) -> int:
    text = cell_text(value)
    try:
        points = float(text.replace(",", ".")) if text is not None else float("nan")
    except ValueError:
        points = float("nan")
    if not (points.is_integer() and 0 <= points <= maximum):
        raise InputError(
            table.file,
            f"whole points from 0 to {maximum}",
            row=number,
            column=f"{table.sheet}!{table.display(j)}",
            found="" if text is None else text,
        )
    return int(points)
