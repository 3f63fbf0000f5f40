"""What every generator of :mod:`analisis.synth` shares: seed, file names, spelling, formats.

How cadres misspell their names (:func:`spell`, :func:`typo`), how Google Forms writes a
timestamp, a score and a CSV, what a phone number looks like, the rows of a checklist
sheet and an atomic :func:`write_file`, which the bundled study
(:mod:`analisis.synth.paper`) and the programme (:mod:`analisis.synth.programme`) both
use; and the programme's minimal deterministic .xlsx writer (:func:`xlsx_package`; the
bundled study's one workbook is openpyxl's).
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from analisis.outputs import atomic_path
from analisis.synth.instruments import STEPS

#: Default seed: the first training day, 6 September 2024.
SEED = 20240906

PRE_FILE = "pretest_pengetahuan.csv"
POST_FILE = "posttest_pengetahuan.csv"
WORKBOOK_FILE = "daftar_tilik_keterampilan.xlsx"

#: Fixed timestamp written into the workbook's properties and zip entries.
WORKBOOK_STAMP = datetime(2024, 10, 31, 16, 0, 0)

DUPLICATE_GAP = timedelta(minutes=11, seconds=23)
FORMS_FORMAT = (
    'Google Forms "Download responses (.csv)": UTF-8 without BOM, comma-separated, '
    "minimal quoting (fields with a comma are double-quoted), CRLF line ends"
)
FORM_HEADERS = ("Cap waktu", "Total skor", "Nama", "Nomor HP")


#: Titles cadres write before their name (the pipeline's cleaning removes them).
NAME_TITLES = ("Ibu", "Bu", "Ny.", "Hj.")


def spell(name: str, kind: str, rng: np.random.Generator) -> str:
    """Write ``name`` as a cadre might type it; ``kind`` is one of the bundled variants.

    ``usual`` keeps it; ``title`` puts one of :data:`NAME_TITLES` before it (now and then
    all in lower case, ``bu fitriani``); ``case`` writes it all upper or all lower case;
    ``spacing`` doubles the first inner space and adds a trailing one (a one-word name
    gains a leading space instead); ``typo`` changes one letter, see :func:`typo`.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> [spell("Leli Suryani", kind, rng) for kind in ("title", "case", "spacing")]
    ['Hj. Leli Suryani', 'leli suryani', 'Leli  Suryani ']
    """
    if kind == "title":
        titled = f"{NAME_TITLES[int(rng.integers(len(NAME_TITLES)))]} {name}"
        return titled.lower() if rng.random() < 0.2 else titled
    if kind == "case":
        return name.upper() if rng.random() < 0.5 else name.lower()
    if kind == "spacing":
        return name.replace(" ", "  ", 1) + " " if " " in name else f" {name} "
    if kind == "typo":
        return typo(name, rng)
    return name


def typo(name: str, rng: np.random.Generator) -> str:
    """Change one letter of the longest word, never its first: ``Septi`` -> ``Septy``.

    One of: ``i``/``y`` swapped, a letter doubled, a letter dropped, two neighbours
    swapped; the caller checks that the pipeline can still match it (a typo may by chance
    make one name look like another).

    Examples
    --------
    >>> typo("Septi Wulandari", np.random.default_rng(0)) != "Septi Wulandari"
    True
    """
    words = name.split(" ")
    k = max(range(len(words)), key=lambda j: len(words[j]))
    word = words[k]
    at = int(rng.integers(1, len(word) - 1))
    edits = [
        word[:at] + word[at] + word[at:],
        word[:at] + word[at + 1 :],
        word[:at] + word[at + 1] + word[at] + word[at + 2 :],
    ]
    last_iy = max(word.rfind("i"), word.rfind("y"))
    if last_iy > 0:
        edits.append(word[:last_iy] + "iy"[word[last_iy] == "i"] + word[last_iy + 1 :])
    words[k] = edits[int(rng.integers(len(edits)))]
    return " ".join(words)


def format_timestamp(moment: datetime) -> str:
    """Format a time as Google Sheets does for locale Indonesia: ``dd/mm/yyyy H:MM:SS``.

    Day first, zero-padded day and month, 24-hour clock, hour not zero-padded.

    Examples
    --------
    >>> format_timestamp(datetime(2024, 9, 6, 8, 5, 2))
    '06/09/2024 8:05:02'
    >>> format_timestamp(datetime(2024, 9, 7, 15, 31, 40))
    '07/09/2024 15:31:40'
    """
    return f"{moment:%d/%m/%Y} {moment.hour}:{moment:%M:%S}"


def format_total(n_correct: int, n_items: int) -> str:
    """Format the Google Forms score column, one point an item: ``"19.00 / 25"``.

    Examples
    --------
    >>> format_total(19, 25)
    '19.00 / 25'
    """
    return f"{n_correct:.2f} / {n_items}"


#: Prefixes of Indonesian mobile numbers (Telkomsel) used for fictitious phone numbers.
PHONE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853")


def format_phone(prefix: str, digits: Sequence[int]) -> str:
    """Write a mobile number as cadres type it: ``0812-3456-7890``.

    Examples
    --------
    >>> format_phone("0812", [3, 4, 5, 6, 7, 8, 9, 0])
    '0812-3456-7890'
    """
    return f"{prefix}-{''.join(map(str, digits[:4]))}-{''.join(map(str, digits[4:]))}"


def rows_csv_text(
    header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ","
) -> str:
    r"""Render a header and rows as a spreadsheet program writes CSV: minimal quoting, CRLF.

    Examples
    --------
    >>> rows_csv_text(["Nama", "Total skor"], [["Siti", "19,00 / 25"]], delimiter=";")
    'Nama;Total skor\r\nSiti;19,00 / 25\r\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def checklist_rows(
    group: int,
    assessor: str,
    day: date,
    names: Sequence[str],
    points: Sequence[Sequence[int]],
) -> list[list[object]]:
    """The cells of one checklist sheet, row by row (row 5, the header, is bold in Excel).

    Examples
    --------
    >>> rows = checklist_rows(1, "Bd. R", date(2024, 9, 18), ["Siti"], [[2, 1]])
    >>> rows[:2], rows[3], rows[4][:3], rows[5]
    ([['Kelompok', 1], ['Penilai', 'Bd. R']], [], ['No', 'Nama Kader', 'L01'], [1, 'Siti', 2, 1])
    """
    header = ["No", "Nama Kader", *(step.step_id for step in STEPS)]
    rows = [["Kelompok", group], ["Penilai", assessor], ["Tanggal", day], [], header]
    for number, (name, row) in enumerate(zip(names, points, strict=True), start=1):
        rows.append([number, name, *row])
    return rows


def write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (never a half-written export); return ``path``.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a" / "x.csv"
    >>> write_file(path, b"Nama\\r\\n").read_bytes()
    b'Nama\\r\\n'
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


# A minimal SpreadsheetML package. openpyxl needs about 35 ms a workbook here (mostly
# per-cell XML serialisation and a temporary file per sheet), which alone would take a
# 1,000-village programme past half a minute; these few parts are all its readers need.
#: The workbooks' ``dc:creator``, as first written: it is part of every generated
#: workbook's bytes, which a seed must reproduce.
XLSX_CREATOR = "analisis.synth_programme"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SHEET_TYPE = f"{_OFFICE_TYPE}.worksheet+xml"
_TYPES = (
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE_TYPE}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
)
_ROOT_RELATIONS = (
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_RELS}/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
)
_CORE_NAMESPACES = (
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_BOLD, _DATE, _DATETIME = 1, 2, 3
_EPOCH = datetime(1899, 12, 30)


def _column(j: int) -> str:
    """Spreadsheet column letters of 0-based column ``j`` (``A`` ... ``Z``, ``AA`` ...)."""
    return _column(j // 26 - 1) + chr(65 + j % 26) if j >= 26 else chr(65 + j)


# Names and answer texts recur in every village and sheet: each is escaped once.
_escaped = functools.lru_cache(maxsize=None)(escape)


def _cell_xml(ref: str, value: object, style: int) -> str:
    if isinstance(value, str):
        text = f'<is><t xml:space="preserve">{_escaped(value)}</t></is>'
        return f'<c r="{ref}" s="{style}" t="inlineStr">{text}</c>'
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'


def sheet_xml(rows: Sequence[Sequence[object]], bold_row: int | None = None) -> str:
    """One worksheet's XML: inline strings, numbers, dates; ``None`` cells left out.

    Examples
    --------
    >>> sheet_xml([["Nama", 2]]).split("<sheetData>")[1].split("</row>")[0]
    '<row r="1"><c r="A1" s="0" t="inlineStr"><is><t xml:space="preserve">Nama</t></is></c>\
<c r="B1" s="0"><v>2</v></c>'
    """
    width = max(len(row) for row in rows)
    parts = [
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}">'
        f'<dimension ref="A1:{_column(width - 1)}{len(rows)}"/>'
        '<cols><col min="2" max="2" width="22" customWidth="1"/></cols><sheetData>'
    ]
    columns = [_column(j) for j in range(width)]
    for r, row in enumerate(rows, start=1):
        style = _BOLD if r == bold_row else 0
        # Checklist points are most cells: whole numbers are written here, without a call.
        cells = "".join(
            f'<c r="{column}{r}" s="{style}"><v>{value}</v></c>'
            if type(value) is int
            else _cell_xml(f"{column}{r}", value, style)
            for column, value in zip(columns, row, strict=False)
            if value is not None
        )
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_package(
    sheets: Sequence[tuple[str, Sequence[Sequence[object]]]],
    title: str,
    bold_row: int | None = None,
) -> bytes:
    """A deterministic .xlsx (zip entries dated :data:`WORKBOOK_STAMP`).

    Examples
    --------
    >>> import openpyxl
    >>> data = xlsx_package([("Kelompok 1", [["No", "Nama Kader"], [1, "Siti "]])], "T")
    >>> book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    >>> [list(r) for r in book["Kelompok 1"].iter_rows(values_only=True)]
    [['No', 'Nama Kader'], [1, 'Siti ']]
    """
    n = len(sheets)
    stamp = f"{WORKBOOK_STAMP:%Y-%m-%dT%H:%M:%SZ}"
    sheet_list = "".join(
        f'<sheet name="{escape(name)}" sheetId="{k}" r:id="rId{k}"/>'
        for k, (name, _) in enumerate(sheets, start=1)
    )
    relations = "".join(
        f'<Relationship Id="rId{k}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{k}.xml"/>'
        for k in range(1, n + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{_SHEET_TYPE}"/>'
        for k in range(1, n + 1)
    )
    parts = {
        "[Content_Types].xml": f'{_XML_HEAD}<Types xmlns="{_CONTENT_TYPES}">{_TYPES}'
        f"{overrides}</Types>",
        "_rels/.rels": f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">{_ROOT_RELATIONS}'
        "</Relationships>",
        "docProps/core.xml": f"{_XML_HEAD}<cp:coreProperties {_CORE_NAMESPACES}>"
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{XLSX_CREATOR}</dc:creator>"
        "<dc:description>FICTITIOUS programme data</dc:description>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>",
        "xl/workbook.xml": f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        f"<sheets>{sheet_list}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">{relations}'
        f'<Relationship Id="rId{n + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": _STYLES,
    }
    for k, (_, rows) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{k}.xml"] = sheet_xml(rows, bold_row)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, WORKBOOK_STAMP.timetuple()[:6]), text)
    return out.getvalue()
