"""Text primitives of raw exports: decoding, delimiters, headers, cells, totals, times.

Encoding policy (``encoding`` of a knowledge export)
----------------------------------------------------
``auto`` (default)
    A file starting with a UTF-16 byte-order mark (``FF FE`` or ``FE FF``) is UTF-16:
    Excel's "Unicode text" (``.txt``, tab-separated) is saved so.  Otherwise decode as
    UTF-8 (a byte-order mark is removed); a NUL byte, which no text holds, makes the
    file undecodable (UTF-16 without its mark, or not text at all); if the bytes are
    not valid UTF-8, decode as Windows-1252, the superset of Latin-1 that Excel on Windows
    writes.  Latin-1 itself decodes *every* byte string, so it can never detect an
    error; cp1252 leaves five bytes undefined (0x81 0x8D 0x8F 0x90 0x9D) which never
    occur in real text, so a file that is neither UTF-8 nor cp1252 is reported as
    undecodable.
``utf-8`` / ``utf-8-sig`` / ``utf-16`` / ``cp1252``
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
from datetime import date, datetime, time

import pandas as pd

from analisis.errors import InputError

ENCODINGS = ("auto", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_AUTO_EXPECTED = (
    "text in UTF-8, UTF-16 (with its byte-order mark) or Windows-1252/Latin-1 "
    "(set the export's encoding in the config if you know it)"
)

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


def decode_bytes(data: bytes, file: str, encoding: str = "auto") -> str:
    """Decode an export's bytes following the module's encoding policy.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        Path as the user gave it, for error messages.
    encoding : {"auto", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"}
        ``auto``: UTF-16 when the file starts with its byte-order mark, else UTF-8
        (BOM removed), else cp1252; NUL bytes are never text.

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
    >>> decode_bytes("Nama\\tSkor\\nSiti\\t3".encode("utf-16"), "x.txt")
    'Nama\\tSkor\\nSiti\\t3'
    >>> decode_bytes(b"Nama\\nAn\\x81", "x.csv")
    Traceback (most recent call last):
    ...
    analisis.errors.InputError: x.csv, row 2: expected text in UTF-8, UTF-16 (with its \
byte-order mark) or Windows-1252/Latin-1 (set the export's encoding in the config if you \
know it), found 'byte 0x81 at offset 7'
    """
    if encoding not in ENCODINGS:
        raise InputError(file, f"an encoding among {', '.join(ENCODINGS)}", found=encoding)
    if encoding == "auto":
        return _decode_auto(data, file)
    codec = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise _undecodable(
            data, file, error, codec, f"text in the configured encoding {encoding}"
        ) from None


def _decode_auto(data: bytes, file: str) -> str:
    if data.startswith(_UTF16_BOMS):
        codecs = ("utf-16",)
    elif b"\x00" in data:
        # NUL is valid UTF-8 and cp1252 but never text: UTF-16 without its mark, or binary.
        offset = data.index(b"\x00")
        error = UnicodeDecodeError("cp1252", data, offset, offset + 1, "NUL is not text")
        raise _undecodable(data, file, error, "cp1252", _AUTO_EXPECTED)
    else:
        codecs = ("utf-8-sig", "cp1252")
    for codec in codecs:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as error:
            last = error
    raise _undecodable(data, file, last, codec, _AUTO_EXPECTED) from None


def _undecodable(
    data: bytes, file: str, error: UnicodeDecodeError, codec: str, expected: str
) -> InputError:
    offset = error.start
    # Rows are counted in the text decoded so far, so UTF-16's two-byte newlines count too.
    row = data[:offset].decode(codec, errors="replace").count("\n") + 1
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
    if is_blank(text):
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
    if is_blank(text):
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


def is_blank(value: object) -> bool:
    """True for None, NaN and whitespace-only text."""
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object) -> str | None:
    """A raw cell as text; None when blank.  Whole floats lose their ``.0``.

    Examples
    --------
    >>> cell_text(812.0), cell_text("  Siti "), cell_text("  ")
    ('812', 'Siti', None)
    """
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return pd.Timestamp(value).isoformat(sep=" ")
    return str(value).strip()


def check_not_empty(data: bytes, file: str) -> None:
    """Raise :class:`InputError` when a file holds no bytes or only blank lines."""
    if not data.strip():
        raise InputError(
            file,
            "an export with a header row and at least one submission",
            found="an empty file (0 bytes)" if not data else "only blank lines",
        )
