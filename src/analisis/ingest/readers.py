"""One registry of file readers: every raw table (CSV, workbook sheet, SPSS file) comes in here.

A reader turns a file of one *kind* into a :class:`RawTable`: header texts, cells and
the row number a person sees for each cell.  Readers know the format only; which column
is a name, an item or a checklist step is decided by the callers
(:mod:`analisis.ingest.exports`, :mod:`analisis.ingest.checklist`), and so is every
rule about people.

Row numbers are those a spreadsheet shows: in a CSV the header is row 1 and the
first submission row 2; in a workbook the Excel row; in an SPSS file the case number.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.text import (
    cell_text,
    check_not_empty,
    decode_bytes,
    is_blank,
    normalise_header,
    sniff_delimiter,
)

logger = logging.getLogger(__name__)


@dataclass
class RawTable:
    """A rectangular table as read from one file (or sheet), before roles are known.

    ``headers[j]`` are the candidate header texts of column ``j`` (a CSV has one; an SPSS
    variable has its name and its label); ``rows`` hold the cells, ``row_numbers`` the
    spreadsheet row of each, ``header_row`` the row of the header and ``preamble`` the
    rows above it (a workbook's title and label rows).  ``value_labels[j]`` maps the
    codes of an SPSS column to their value labels (code -> label).
    """

    file: str
    headers: list[tuple[str, ...]]
    rows: list[list[object]]
    row_numbers: list[int]
    header_row: int = 1
    sheet: str | None = None
    preamble: list[list[object]] = field(default_factory=list)
    value_labels: dict[int, dict[float, str]] = field(default_factory=dict)
    delimiter: str | None = None

    def display(self, j: int) -> str:
        """The header of column ``j`` as the user sees it."""
        return self.headers[j][-1] if self.headers[j] else f"column {j + 1}"

    @cached_property
    def normalised_headers(self) -> list[list[str]]:
        """``headers`` as compared (:func:`~analisis.ingest.text.normalise_header`), worked
        out once: a checklist sheet looks up every step's column."""
        return [[normalise_header(h) for h in hs] for hs in self.headers]

    def find_column(self, candidates: Sequence[str]) -> int | None:
        """The column headed by the first candidate found (compared normalised).

        A header repeated with identical content is one column (the first is used and
        the run log says so); repeated with different content it is ambiguous.

        Raises
        ------
        InputError
            Two columns with one header and different content, naming both.
        """
        for want in map(normalise_header, candidates):
            found = [j for j, hs in enumerate(self.normalised_headers) if want in hs]
            for other in found[1:]:
                self._check_same_content(found[0], other)
            if found:
                return found[0]
        return None

    def _check_same_content(self, first: int, other: int) -> None:
        for row, number in zip(self.rows, self.row_numbers, strict=True):
            if cell_text(row[first]) != cell_text(row[other]):
                raise InputError(
                    self.file,
                    "one column per header (a header repeated with different content "
                    "cannot tell which column holds the answer)",
                    row=self.header_row,
                    column=self.display(first),
                    found=f"columns {_column_name(first)} and {_column_name(other)} with "
                    f"this header, different in row {number}",
                )
        logger.warning(
            "%s: columns %s and %s are both headed %r with identical content; one is used",
            self.where(),
            _column_name(first),
            _column_name(other),
            self.display(first),
        )

    def where(self) -> str:
        """The file, and the sheet when there is one, for messages."""
        return self.file if self.sheet is None else f"{self.file} [sheet {self.sheet!r}]"


def _column_name(j: int) -> str:
    """Column ``j`` (0-based) as a spreadsheet letters it, with its number.

    Examples
    --------
    >>> _column_name(0), _column_name(27)
    ('A (1)', 'AB (28)')
    """
    letters, n = "", j + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters} ({j + 1})"


def _check_has_rows(table: RawTable) -> None:
    if not table.rows:
        raise InputError(
            table.file,
            "at least one submission below the header",
            row=table.header_row + 1,
            column=None if table.sheet is None else table.sheet,
            found="only the header row",
        )


# --------------------------------------------------------------------------- text (CSV)


def csv_records(text: str, file: str) -> RawTable:
    """Split decoded CSV text (separator sniffed) into a header and its records.

    A record is a spreadsheet row (a quoted field may span lines); blank rows are
    skipped but still counted, so row numbers match a spreadsheet's view.  A file
    without a header gives a table with no headers.
    """
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[object]] = []
    numbers: list[int] = []
    header_row = 1
    for line, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_row = record, line
            continue
        rows.append(record + [""] * (len(header) - len(record)))
        numbers.append(line)
    headers = [(h.strip(),) for h in header or []]
    return RawTable(file, headers, rows, numbers, header_row, delimiter=delimiter)


def read_csv_table(
    path: str | Path, encoding: str = "auto", sheet: str | None = None, header_at=()
) -> RawTable:
    """Read a delimited text export (CSV, or tab-separated text) as a :class:`RawTable`.

    ``sheet`` and ``header_at`` are accepted for the registry's sake and ignored: a
    text file has one table whose header is its first non-blank row.

    Raises
    ------
    InputError
        Empty file, undecodable bytes, header-only file.
    """
    file = str(path)
    data = Path(path).read_bytes()
    check_not_empty(data, file)
    table = csv_records(decode_bytes(data, file, encoding), file)
    if not table.headers:
        raise InputError(file, "an export with a header row", found="no header row")
    _check_has_rows(table)
    return table


# --------------------------------------------------------------------------- SPSS


def read_sav_table(
    path: str | Path, encoding: str = "auto", sheet: str | None = None, header_at=()
) -> RawTable:
    """Read an SPSS ``.sav`` file: cells as stored (codes), value labels alongside.

    Each column answers to its variable name and to its variable label.  Row numbers are
    SPSS case numbers (1 = first case).  ``encoding``, ``sheet`` and ``header_at`` are
    ignored: the file states its own encoding and holds one table.
    """
    import pyreadstat

    file = str(path)
    if Path(path).stat().st_size == 0:
        check_not_empty(b"", file)
    try:
        frame, meta = pyreadstat.read_sav(str(path))
    except pyreadstat.ReadstatError as error:
        raise InputError(file, "a readable SPSS .sav file", found=str(error)) from None
    labels = meta.column_names_to_labels
    headers = [
        tuple(h for h in (name, labels.get(name)) if h) for name in frame.columns.astype(str)
    ]
    rows = [list(values) for values in frame.itertuples(index=False, name=None)]
    table = RawTable(file, headers, rows, list(range(1, len(rows) + 1)), header_row=0)
    names = list(frame.columns.astype(str))
    table.value_labels = {
        names.index(name): dict(labels) for name, labels in meta.variable_value_labels.items()
    }
    if not rows:
        raise InputError(file, "at least one case", found="a file with variables but no cases")
    return table


# --------------------------------------------------------------------------- workbooks


def _load_workbook(path: str | Path):
    import openpyxl

    file = str(path)
    if Path(path).stat().st_size == 0:
        check_not_empty(b"", file)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for bad files
        raise InputError(
            file, "a readable Excel .xlsx workbook", found=type(error).__name__
        ) from None


def sheet_names(path: str | Path) -> list[str]:
    """A workbook's sheet names, in workbook order.

    Raises
    ------
    InputError
        An empty or unreadable workbook.
    """
    workbook = _load_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def sheet_key(name: str) -> str:
    """A sheet name as Excel compares it: case and surrounding spaces ignored.

    Examples
    --------
    >>> sheet_key(" KELOMPOK 1 ") == sheet_key("Kelompok 1")
    True
    """
    return name.strip().casefold()


def resolve_sheet(sheetnames: Sequence[str], file: str, sheet: str) -> str:
    """The workbook's own name of the sheet configured as ``sheet`` (see :func:`sheet_key`).

    Raises
    ------
    InputError
        No sheet of that name, or two sheets whose names differ only in case or
        surrounding spaces (both named).
    """
    found = [name for name in sheetnames if sheet_key(name) == sheet_key(sheet)]
    if not found:
        raise InputError(
            file,
            f"a sheet named {sheet!r} (sheets in the workbook: {', '.join(sheetnames)})",
            column=sheet,
            found="no such sheet",
        )
    if len(found) > 1:
        raise InputError(
            file,
            "one sheet per name, with case and surrounding spaces ignored as in Excel",
            column=sheet,
            found="sheets " + " and ".join(repr(name) for name in found[:2]),
        )
    return found[0]


def _read_sheets(
    path: str | Path, choose: Callable[[list[str]], list[str]], header_at: Sequence[str]
) -> list[RawTable]:
    """The sheets ``choose(workbook's sheet names)`` names, read in one opening."""
    workbook = _load_workbook(path)
    try:
        names = choose(list(workbook.sheetnames))
        cells = {n: [list(r) for r in workbook[n].iter_rows(values_only=True)] for n in names}
    finally:
        workbook.close()
    return [table_from_sheet(str(path), name, cells[name], header_at) for name in names]


def read_xlsx_tables(
    path: str | Path, sheets: Sequence[str] = (), header_at: Sequence[str] = ()
) -> list[RawTable]:
    """Sheets ``sheets`` of a workbook (default: all, in workbook order), opened once; see
    :func:`table_from_sheet`.

    Every sheet is resolved, also when all are read: two names that Excel would take for
    one are an error either way.
    """
    return _read_sheets(
        path,
        lambda names: [resolve_sheet(names, str(path), s) for s in (list(sheets) or names)],
        header_at,
    )


def read_xlsx_table(
    path: str | Path, encoding: str = "auto", sheet: str | None = None, header_at=()
) -> RawTable:
    """Read one sheet of a workbook (default the first); see :func:`table_from_sheet`."""
    if sheet is not None:
        return read_xlsx_tables(path, [sheet], header_at)[0]
    return _read_sheets(path, lambda names: names[:1], header_at)[0]


def table_from_sheet(
    file: str, sheet: str, cells: list[list[object]], header_at: Sequence[str] = ()
) -> RawTable:
    """Locate the table in a sheet: the header row is the first holding one of ``header_at``.

    Without ``header_at`` the header is the first row with a filled cell.  Rows above
    the header are kept as :attr:`RawTable.preamble`; below it, rows whose cells are
    all blank are skipped.

    Raises
    ------
    InputError
        No header row, header-only sheet.

    Examples
    --------
    >>> cells = [["Kelompok", "2"], ["Penilai", "Bd. R"], [], ["No", "Nama Kader", "L01"],
    ...          [1, "Siti", 2]]
    >>> t = table_from_sheet("w.xlsx", "K2", cells, ["Nama Kader"])
    >>> t.header_row, t.row_numbers, t.preamble[:2]
    (4, [5], [['Kelompok', '2'], ['Penilai', 'Bd. R']])
    """
    wanted = {normalise_header(h) for h in header_at}
    for index, row in enumerate(cells):
        texts = [normalise_header(c) for c in row]
        if wanted.intersection(texts) if wanted else any(texts):
            header = [cell_text(c) or "" for c in row]
            body, numbers = [], []
            for number, data_row in enumerate(cells[index + 1 :], start=index + 2):
                if all(is_blank(c) for c in data_row):
                    continue
                body.append(list(data_row) + [None] * (len(header) - len(data_row)))
                numbers.append(number)
            table = RawTable(
                file, [(h,) for h in header], body, numbers, index + 1, sheet, cells[:index]
            )
            _check_has_rows(table)
            return table
    raise InputError(
        file,
        f"a header row containing {' or '.join(repr(h) for h in header_at) or 'a header'}",
        column=sheet,
        found="no such row",
    )


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Reader:
    """How one kind of file is read: its suffixes and its reader function.

    ``read(path, encoding, sheet, header_at)`` returns a :class:`RawTable`;
    ``sheets(path, sheets, header_at)`` reads several sheets of a multi-sheet file, opened
    once (None: one table per file).
    """

    kind: str
    suffixes: tuple[str, ...]
    read: Callable[..., RawTable]
    sheets: Callable[..., list[RawTable]] | None = None


#: Every kind of raw file the pipeline reads, keyed by kind.
READERS: dict[str, Reader] = {
    "csv": Reader("csv", (".csv", ".txt", ".tsv"), read_csv_table),
    "xlsx": Reader("xlsx", (".xlsx", ".xlsm"), read_xlsx_table, read_xlsx_tables),
    "sav": Reader("sav", (".sav",), read_sav_table),
}


def file_kind(path: str | Path) -> str:
    """The registry kind of a file, by its suffix (case ignored).

    Raises
    ------
    InputError
        A suffix no reader takes.

    Examples
    --------
    >>> file_kind("data/raw/pre.CSV"), file_kind("pre.xlsx"), file_kind("pre.sav")
    ('csv', 'xlsx', 'sav')
    """
    suffix = Path(path).suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader.kind
    accepted = ", ".join(s for reader in READERS.values() for s in reader.suffixes)
    raise InputError(str(path), f"a file ending in {accepted}", found=suffix or Path(path).name)


def read_raw_table(
    path: str | Path,
    *,
    encoding: str = "auto",
    sheet: str | None = None,
    header_at: Sequence[str] = (),
) -> RawTable:
    """Read any raw file through :data:`READERS`.

    Parameters
    ----------
    path : str or Path
        The file; its suffix chooses the reader.
    encoding : str
        Text encoding of a CSV (see :mod:`analisis.ingest.text`).
    sheet : str, optional
        The sheet of a workbook (default the first).
    header_at : sequence of str
        In a workbook, header texts marking the header row (default: the first filled
        row).

    Raises
    ------
    InputError
        Missing file, unknown suffix, or whatever the reader finds wrong.
    """
    if not Path(path).is_file():
        raise InputError(str(path), "an existing file", found="no such file")
    return READERS[file_kind(path)].read(path, encoding, sheet, header_at)


def read_raw_sheets(
    path: str | Path, sheets: Sequence[str] = (), header_at: Sequence[str] = ()
) -> list[RawTable]:
    """Sheets ``sheets`` (default: all) of a multi-sheet file, read in one opening; of a
    one-table file, its table once per sheet named (none named: none)."""
    if not Path(path).is_file():
        raise InputError(str(path), "an existing file", found="no such file")
    reader = READERS[file_kind(path)]
    if reader.sheets is None:
        return [reader.read(path, "auto", sheet, header_at) for sheet in sheets]
    return reader.sheets(path, sheets, header_at)


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV, a workbook sheet (default the first) or an SPSS file, every cell as text.

    Columns are headed by the file's header (an SPSS variable's name); blank cells are
    ``""``; whole numbers lose their ``.0``.  A header repeated with identical content
    is one column; with different content it is an error.  This is the reader for tools that take
    a plain table (``analisis paired``); a text file's sniffed separator is kept in
    ``frame.attrs["delimiter"]``.

    Raises
    ------
    InputError
        Missing file, unknown suffix, an unreadable or empty file, a header repeated
        with different content.
    """
    table = read_raw_table(path, sheet=sheet)
    columns = [h[0] if h else f"column {j + 1}" for j, h in enumerate(table.headers)]
    first = {column: table.find_column([column]) for column in columns}
    keep = [j for j, column in enumerate(columns) if first[column] in (j, None)]
    labels = [table.value_labels.get(j, {}) for j in range(len(columns))]
    cells = [[cell_text(labels[j].get(row[j], row[j])) or "" for j in keep] for row in table.rows]
    frame = pd.DataFrame(cells, columns=[columns[j] for j in keep], dtype=object).astype(str)
    frame.attrs["delimiter"] = table.delimiter
    return frame
