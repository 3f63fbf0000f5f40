"""Readers of raw exports and instruments: files in, one tidy row per raw data row out.

Everything that needs the *position* of a value in a raw file (file, spreadsheet row,
column header) is checked here, because only here is that position known:
undecodable bytes, missing columns, answers that are not an option of the item,
checklist points outside ``0 … max_points``, missing sheets, empty files.

Encoding policy (``encoding`` of a knowledge export)
----------------------------------------------------
``auto`` (default)
    Decode as UTF-8 (a byte-order mark is removed); if the bytes are not valid
    UTF-8, decode as Windows-1252, the superset of Latin-1 that Excel on Windows
    writes.  Latin-1 itself decodes *every* byte string, so it can never detect an
    error; cp1252 leaves five bytes undefined (0x81 0x8D 0x8F 0x90 0x9D) which never
    occur in real text, so a file that is neither UTF-8 nor cp1252 is reported as
    undecodable.
``utf-8`` / ``utf-8-sig`` / ``cp1252``
    Strict; the first byte that does not decode is an :class:`InputError` naming the
    file, the row (line) and the byte offset.
``latin-1``
    Decodes everything; use it when you know the file is Latin-1.

Row numbers are those a spreadsheet shows: in a CSV the header is row 1 and the
first submission row 2; in a workbook the Excel row; in an SPSS file the case number.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from analisis.errors import InputError

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "latin-1", "cp1252")

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

#: Labels of the rows above a checklist table (first cell, trailing colon ignored).
SHEET_LABELS = {
    "kelompok": "group",
    "group": "group",
    "penilai": "assessor",
    "assessor": "assessor",
}
SHEET_LABELS.update({"tanggal": "date", "date": "date"})

#: Names in a checklist's name column that mark a summary row, not a cadre.
SUMMARY_ROW_LABELS = frozenset({"rata-rata", "rata rata", "rerata", "jumlah", "total", "mean"})

_TIMESTAMP_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:(?:GMT|UTC|WIB|WITA|WIT)[+\-]?\d{0,4})?$"
)
_TIMESTAMP_YEAR_FIRST = re.compile(
    r"^(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:(?:GMT|UTC|WIB|WITA|WIT)[+\-]?\d{0,4}|Z)?$"
)
_TOTAL = re.compile(r"^\s*(?P<num>-?\d+(?:[.,]\d+)?)\s*(?:/\s*(?P<den>\d+(?:[.,]\d+)?))?\s*$")


def normalise_header(text: object) -> str:
    """Header as compared: Unicode NFKC, case-folded, whitespace collapsed, trailing ``:`` dropped.

    Examples
    --------
    >>> normalise_header("  Cap   Waktu ")
    'cap waktu'
    >>> normalise_header("Penilai:")
    'penilai'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(folded.split()).rstrip(":").strip()


# --------------------------------------------------------------------------- text


def decode_bytes(data: bytes, file: str, encoding: str = "auto") -> str:
    """Decode an export's bytes following the module's encoding policy.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        Path as the user gave it, for error messages.
    encoding : {"auto", "utf-8", "utf-8-sig", "latin-1", "cp1252"}
        ``auto`` tries UTF-8 (BOM removed), then cp1252.

    Raises
    ------
    InputError
        When the bytes are not valid in the chosen encoding(s); names the line (row)
        and byte offset of the first bad byte.

    Examples
    --------
    >>> decode_bytes("\\ufeffNama\\nSiti".encode("utf-8"), "x.csv")
    'Nama\\nSiti'
    >>> decode_bytes("Nama\\nAn\\xe9".encode("latin-1"), "x.csv")
    'Nama\\nAné'
    >>> decode_bytes(b"Nama\\nAn\\x81", "x.csv")
    Traceback (most recent call last):
    ...
    analisis.errors.InputError: x.csv, row 2: expected text in UTF-8 or Windows-1252/Latin-1 \
(set the export's encoding in the config if you know it), found 'byte 0x81 at offset 7'
    """
    if encoding not in ENCODINGS:
        raise InputError(file, f"an encoding among {', '.join(ENCODINGS)}", found=encoding)
    if encoding == "auto":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise _undecodable(
                data,
                file,
                error,
                "text in UTF-8 or Windows-1252/Latin-1 "
                "(set the export's encoding in the config if you know it)",
            ) from None
    codec = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise _undecodable(
            data, file, error, f"text in the configured encoding {encoding}"
        ) from None


def _undecodable(data: bytes, file: str, error: UnicodeDecodeError, expected: str) -> InputError:
    offset = error.start
    row = data.count(b"\n", 0, offset) + 1
    return InputError(
        file, expected, row=row, found=f"byte 0x{data[offset]:02X} at offset {offset}"
    )


def sniff_delimiter(text: str) -> str:
    """Return the field separator of a CSV text: ``,``, ``;`` or tab.

    Preferred, in order: every one of the first rows has the same number of fields; no
    field keeps a stray quote; the most fields.

    Examples
    --------
    >>> sniff_delimiter('Nama;"Skor, total"\\nSiti;"19,00 / 25"\\n')
    ';'
    >>> sniff_delimiter('Nama,Skor\\nSiti,19\\n')
    ','
    """
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    sample = "\n".join(lines)
    best, best_key = ",", (False, False, 0)
    for delimiter in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        if not rows:
            continue
        width = len(rows[0])
        consistent = width > 1 and all(len(r) == width for r in rows)
        # A quote left inside a field means a quoted field was split: wrong separator.
        clean = not any('"' in cell for r in rows for cell in r)
        key = (consistent, clean, width)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def parse_total(text: object) -> tuple[float, float]:
    """Parse an export's total such as ``19.00 / 25`` or ``19,00 / 25`` into (points, maximum).

    Blank gives ``(nan, nan)``; a bare number gives ``(points, nan)``.

    Raises
    ------
    ValueError
        When the text is not a number with an optional ``/ maximum``.

    Examples
    --------
    >>> parse_total("19,00 / 25"), parse_total("19.00 / 25"), parse_total("76")
    ((19.0, 25.0), (19.0, 25.0), (76.0, nan))
    """
    if _is_blank(text):
        return float("nan"), float("nan")
    match = _TOTAL.match(str(text))
    if match is None:
        raise ValueError(str(text))
    points = float(match["num"].replace(",", "."))
    maximum = float(match["den"].replace(",", ".")) if match["den"] else float("nan")
    return points, maximum


def parse_timestamp(text: object, fmt: str | None = None) -> pd.Timestamp:
    """Parse a submission time; day-first unless ``fmt`` (a strptime format) is given.

    Accepts the Indonesian Google Forms forms ``06/09/2024 8:15:32``,
    ``6/9/2024 8.15.32``, ``6-9-2024 08:15``, ISO ``2024-09-06 08:15:32`` (as Excel and
    SPSS give them), an optional AM/PM and a trailing ``GMT+7``/``WIB`` (ignored: all
    times of one export share a zone).  Blank gives ``NaT``.

    Raises
    ------
    ValueError
        When the text is not a date-time in any accepted form.

    Examples
    --------
    >>> parse_timestamp("06/09/2024 8:15:32")
    Timestamp('2024-09-06 08:15:32')
    >>> parse_timestamp("6/9/2024 8.15.32")
    Timestamp('2024-09-06 08:15:32')
    >>> parse_timestamp("2024/09/06 8:15:32 PM GMT+7")
    Timestamp('2024-09-06 20:15:32')
    >>> parse_timestamp("09/06/2024 08:15", fmt="%m/%d/%Y %H:%M")
    Timestamp('2024-09-06 08:15:00')
    """
    if isinstance(text, datetime | pd.Timestamp):
        return pd.Timestamp(text)
    if isinstance(text, date):
        return pd.Timestamp(datetime.combine(text, time()))
    if _is_blank(text):
        return pd.NaT
    value = " ".join(str(text).split())
    if fmt is not None:
        return pd.Timestamp(datetime.strptime(value, fmt))
    match = _TIMESTAMP_DAY_FIRST.match(value) or _TIMESTAMP_YEAR_FIRST.match(value)
    if match is None:
        raise ValueError(value)
    hour = int(match["H"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return pd.Timestamp(
        datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            hour,
            int(match["M"] or 0),
            int(match["S"] or 0),
        )
    )


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cell_text(value: object) -> str | None:
    """A raw cell as text; None when blank.  Whole floats lose their ``.0``."""
    if _is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return pd.Timestamp(value).isoformat(sep=" ")
    return str(value).strip()


# --------------------------------------------------------------------------- raw tables


@dataclass
class RawTable:
    """A rectangular table as read from one file (or sheet), before roles are known.

    ``headers[j]`` are the candidate header texts of column ``j`` (a CSV has one; an SPSS
    variable has its name and its label); ``rows`` hold the cells, ``row_numbers`` the
    spreadsheet row of each, ``header_row`` the row of the header.
    """

    file: str
    headers: list[tuple[str, ...]]
    rows: list[list[object]]
    row_numbers: list[int]
    header_row: int = 1
    sheet: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def display(self, j: int) -> str:
        """The header of column ``j`` as the user sees it."""
        return self.headers[j][-1] if self.headers[j] else f"column {j + 1}"

    def where(self) -> str:
        return self.file if self.sheet is None else f"{self.file} [sheet {self.sheet!r}]"


def _check_not_empty(data: bytes, file: str) -> None:
    if not data.strip():
        raise InputError(
            file,
            "an export with a header row and at least one submission",
            found="an empty file (0 bytes)" if not data else "only blank lines",
        )


def read_csv_table(path: str | Path, encoding: str = "auto") -> RawTable:
    """Read a CSV export (separator sniffed) as a :class:`RawTable`.

    Blank lines are skipped but still counted, so row numbers match a spreadsheet's view.

    Raises
    ------
    InputError
        Empty file, undecodable bytes, header-only file.
    """
    file = str(path)
    data = Path(path).read_bytes()
    _check_not_empty(data, file)
    text = decode_bytes(data, file, encoding)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[object]] = []
    numbers: list[int] = []
    header_row = 1
    # A record is a spreadsheet row (a quoted field may span lines; a blank line is a row).
    for line, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_row = record, line
            continue
        rows.append(record + [""] * (len(header) - len(record)))
        numbers.append(line)
    if header is None:
        raise InputError(file, "an export with a header row", found="no header row")
    table = RawTable(file, [(h.strip(),) for h in header], rows, numbers, header_row)
    _check_has_rows(table)
    return table


def _check_has_rows(table: RawTable) -> None:
    if not table.rows:
        raise InputError(
            table.file,
            "at least one submission below the header",
            row=table.header_row + 1,
            column=None if table.sheet is None else table.sheet,
            found="only the header row",
        )


def read_sav_table(path: str | Path) -> RawTable:
    """Read an SPSS ``.sav`` file; value labels become the option texts.

    Each column answers to its variable name and to its variable label.  Row numbers are
    SPSS case numbers (1 = first case).
    """
    import pyreadstat

    file = str(path)
    if Path(path).stat().st_size == 0:
        _check_not_empty(b"", file)
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except pyreadstat.ReadstatError as error:
        raise InputError(file, "a readable SPSS .sav file", found=str(error)) from None
    labels = meta.column_names_to_labels
    headers = [
        tuple(h for h in (name, labels.get(name)) if h) for name in frame.columns.astype(str)
    ]
    rows = [list(values) for values in frame.itertuples(index=False, name=None)]
    table = RawTable(file, headers, rows, list(range(1, len(rows) + 1)), header_row=0)
    if not rows:
        raise InputError(file, "at least one case", found="a file with variables but no cases")
    return table


def _load_workbook(path: str | Path):
    import openpyxl

    file = str(path)
    if Path(path).stat().st_size == 0:
        _check_not_empty(b"", file)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for bad files
        raise InputError(
            file, "a readable Excel .xlsx workbook", found=type(error).__name__
        ) from None


def _check_sheet(workbook, file: str, sheet: str) -> None:
    if sheet not in workbook.sheetnames:
        raise InputError(
            file,
            f"a sheet named {sheet!r} (sheets in the workbook: {', '.join(workbook.sheetnames)})",
            column=sheet,
            found="no such sheet",
        )


def _sheet_rows(workbook, file: str, sheet: str) -> list[list[object]]:
    _check_sheet(workbook, file, sheet)
    return [list(r) for r in workbook[sheet].iter_rows(values_only=True)]


def read_xlsx_table(
    path: str | Path, header_names: Sequence[str], sheet: str | None = None
) -> RawTable:
    """Read one sheet of a workbook (default the first); see :func:`table_from_sheet`."""
    file = str(path)
    workbook = _load_workbook(path)
    try:
        name = sheet if sheet is not None else workbook.sheetnames[0]
        cells = _sheet_rows(workbook, file, name)
    finally:
        workbook.close()
    return table_from_sheet(file, name, cells, header_names)


def table_from_sheet(
    file: str, sheet: str, cells: list[list[object]], header_names: Sequence[str]
) -> RawTable:
    """Locate the table in a sheet: the header row is the first holding one of ``header_names``.

    Rows above the header with a label in their first filled cell (``Kelompok``,
    ``Penilai``, ``Tanggal``) are kept in :attr:`RawTable.labels`.  Below the header, rows
    whose cells are all blank are skipped.

    Raises
    ------
    InputError
        No header row, header-only sheet.

    Examples
    --------
    >>> cells = [["Kelompok", "2"], ["Penilai", "Bd. R"], [], ["No", "Nama Kader", "L01"],
    ...          [1, "Siti", 2]]
    >>> t = table_from_sheet("w.xlsx", "K2", cells, ["Nama Kader"])
    >>> t.header_row, t.row_numbers, t.labels
    (4, [5], {'group': '2', 'assessor': 'Bd. R'})
    """
    wanted = {normalise_header(h) for h in header_names}
    labels: dict[str, str] = {}
    for index, row in enumerate(cells):
        texts = [normalise_header(c) for c in row]
        if wanted.intersection(texts):
            header = [_cell_text(c) or "" for c in row]
            body, numbers = [], []
            for number, data_row in enumerate(cells[index + 1 :], start=index + 2):
                if all(_is_blank(c) for c in data_row):
                    continue
                body.append(list(data_row) + [None] * (len(header) - len(data_row)))
                numbers.append(number)
            table = RawTable(
                file, [(h,) for h in header], body, numbers, index + 1, sheet=sheet, labels=labels
            )
            _check_has_rows(table)
            return table
        filled = [c for c in row if not _is_blank(c)]
        if len(filled) >= 2 and normalise_header(filled[0]) in SHEET_LABELS:
            labels[SHEET_LABELS[normalise_header(filled[0])]] = _cell_text(filled[1]) or ""
    raise InputError(
        file,
        f"a header row containing {' or '.join(repr(h) for h in header_names)}",
        column=sheet,
        found="no such row",
    )


# --------------------------------------------------------------------------- instruments


def _read_instrument_csv(path: str | Path, required: Sequence[str]) -> pd.DataFrame:
    file = str(path)
    data = Path(path).read_bytes()
    _check_not_empty(data, file)
    text = decode_bytes(data, file, "auto")
    frame = pd.read_csv(
        io.StringIO(text), sep=sniff_delimiter(text), dtype=str, keep_default_na=False
    )
    frame.columns = [c.strip() for c in frame.columns]
    for column in required:
        if column not in frame.columns:
            raise InputError(
                file, f"a column {column!r}", row=1, column=column, found="no such column"
            )
    if frame.empty:
        raise InputError(file, "at least one row below the header", row=2, found="only the header")
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame


def read_knowledge_instrument(path: str | Path) -> pd.DataFrame:
    """Read the knowledge test's items: ``item_id, topic, question, option_a…, answer``.

    Returns the frame in test order with ``answer`` lower-cased.  Any number (≥ 2) of
    ``option_<letter>`` columns is allowed; an item may leave later options blank.

    Raises
    ------
    InputError
        Missing column, duplicate item_id or question, an answer letter without option text.
    """
    file = str(path)
    frame = _read_instrument_csv(path, ["item_id", "question", "answer"])
    options = option_columns(frame)
    if len(options) < 2:
        raise InputError(file, "at least two columns option_a, option_b, …", row=1)
    frame["answer"] = frame["answer"].str.lower()
    for position, item in enumerate(frame.itertuples(index=False), start=2):
        key = f"option_{item.answer}"
        if key not in options or not getattr(item, key):
            raise InputError(
                file,
                f"an answer letter with an option text ({', '.join(o[-1] for o in options)})",
                row=position,
                column="answer",
                found=item.answer,
            )
    for column in ("item_id", "question"):
        _check_unique(frame, column, file)
    return frame.reset_index(drop=True)


def option_columns(instrument: pd.DataFrame) -> list[str]:
    """The ``option_<letter>`` columns of a knowledge instrument, in letter order."""
    return sorted(c for c in instrument.columns if re.fullmatch(r"option_[a-z]", c))


def _check_unique(frame: pd.DataFrame, column: str, file: str) -> None:
    keys = frame[column].map(normalise_header)
    repeated = keys.duplicated()
    if repeated.any():
        position = int(repeated.to_numpy().argmax())
        raise InputError(
            file,
            f"each {column} once",
            row=position + 2,
            column=column,
            found=frame[column].iloc[position],
        )


def read_skill_instrument(path: str | Path) -> pd.DataFrame:
    """Read the checklist's steps: ``step_id, stage, description_id, description_en, max_points``.

    ``max_points`` becomes an integer ≥ 1.

    Raises
    ------
    InputError
        Missing column, duplicate step_id, max_points not a positive integer.
    """
    file = str(path)
    frame = _read_instrument_csv(path, ["step_id", "max_points"])
    for position, value in enumerate(frame["max_points"], start=2):
        if not re.fullmatch(r"[1-9]\d*", value):
            raise InputError(
                file, "a positive integer", row=position, column="max_points", found=value
            )
    frame["max_points"] = frame["max_points"].astype(int)
    _check_unique(frame, "step_id", file)
    return frame.reset_index(drop=True)


def read_match_overrides(path: str | Path | None) -> pd.DataFrame:
    """Read ``match_overrides.csv`` (name_a, name_b, decision); missing path gives no rows.

    Returns columns ``name_a, name_b, decision, source_row``.

    Raises
    ------
    InputError
        Missing column, a decision other than ``match``/``no_match``, a blank name.
    """
    columns = ["name_a", "name_b", "decision", "source_row"]
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=columns)
    file = str(path)
    data = Path(path).read_bytes()
    text = decode_bytes(data, file, "auto")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    if not records:
        return pd.DataFrame(columns=columns)
    table = RawTable(file, [(h.strip(),) for h in records[0]], [], [])
    for number, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record):
            table.rows.append(record + [""] * (len(records[0]) - len(record)))
            table.row_numbers.append(number)
    found = {normalise_header(h[0]): j for j, h in enumerate(table.headers)}
    for column in columns[:3]:
        if column not in found:
            raise InputError(
                file, f"a column {column!r}", row=1, column=column, found="no such column"
            )
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        a, b, decision = (_cell_text(row[found[c]]) for c in columns[:3])
        decision = (decision or "").casefold().replace("-", "_").replace(" ", "_")
        if decision not in ("match", "no_match"):
            raise InputError(
                file, "match or no_match", row=number, column="decision", found=decision
            )
        for column, value in (("name_a", a), ("name_b", b)):
            if value is None:
                raise InputError(file, "a name", row=number, column=column, found="")
        records.append((a, b, decision, number))
    return pd.DataFrame(records, columns=columns)


# --------------------------------------------------------------------------- knowledge exports


def read_raw_table(
    path: str | Path, encoding: str = "auto", header_names: Sequence[str] = ()
) -> RawTable:
    """Read a CSV, ``.xlsx`` (first sheet) or ``.sav`` export by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".sav":
        return read_sav_table(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_table(path, header_names)
    return read_csv_table(path, encoding)


def _find_column(table: RawTable, candidates: Sequence[str]) -> int | None:
    wanted = [normalise_header(c) for c in candidates]
    normalised = [[normalise_header(h) for h in hs] for hs in table.headers]
    for want in wanted:
        for j, hs in enumerate(normalised):
            if want in hs:
                return j
    return None


def _require_column(table: RawTable, header: str, role: str) -> int:
    j = _find_column(table, [header])
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
    return _find_column(table, ROLE_HEADERS[role])


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
    table = read_raw_table(path, encoding, header_names=name_candidates)
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
        j = _find_column(table, [item["question"], item_id])
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
        record["name"] = _cell_text(row[role_index["name"]])
        group_j = role_index["group"]
        record["group"] = _cell_text(row[group_j]) if group_j is not None else None
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
    text = _cell_text(value)
    if text is None:
        return None
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits or None


def _answer_letter(
    table: RawTable, row, number: int, j: int, choices: dict[str, str], texts: list[str]
) -> str | None:
    text = _cell_text(row[j])
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


# --------------------------------------------------------------------------- checklist workbook


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
    file = str(path)
    workbook = _load_workbook(path)
    try:
        names = list(sheets) or list(workbook.sheetnames)
        for sheet in names:
            _check_sheet(workbook, file, sheet)
        frames = [
            _checklist_frame(
                table_from_sheet(
                    file, sheet, _sheet_rows(workbook, file, sheet), [name_header, "Nama"]
                ),
                instrument,
                name_header,
            )
            for sheet in names
        ]
    finally:
        workbook.close()
    frame = pd.concat(frames, ignore_index=True)
    for column in ("sheet", "group", "assessor", "name"):
        frame[column] = frame[column].astype("str")
    return frame


def _checklist_frame(table: RawTable, instrument: pd.DataFrame, name_header: str) -> pd.DataFrame:
    name_j = _find_column(table, [name_header, "Nama"])
    step_index: dict[str, int] = {}
    for step in instrument.to_dict("records"):
        candidates = [step["step_id"]]
        if step.get("description_id"):
            candidates.append(step["description_id"])
        j = _find_column(table, candidates)
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
    maxima = dict(zip(instrument["step_id"], instrument["max_points"], strict=True))
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        name = _cell_text(row[name_j])
        steps_filled = any(not _is_blank(row[j]) for j in step_index.values())
        if name is None and not steps_filled:
            continue
        if name is not None and normalise_header(name) in SUMMARY_ROW_LABELS:
            continue
        record: dict[str, object] = {
            "source_file": table.file,
            "sheet": table.sheet,
            "source_row": number,
            "group": table.labels.get("group") or table.sheet,
            "assessor": table.labels.get("assessor") or None,
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
    frame = pd.DataFrame.from_records(records)
    for step_id in step_index:
        frame[step_id] = frame[step_id].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


def _points(table: RawTable, value: object, number: int, j: int, maximum: int) -> int:
    text = _cell_text(value)
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
