"""Readers of raw exports and instruments: files in, one tidy row per raw data row out.

Modules, one job each:

:mod:`~analisis.ingest.text`
    Decoding, delimiters, header normalisation, cells, totals, timestamps.
:mod:`~analisis.ingest.readers`
    The one registry of file readers (CSV, ``.xlsx``, ``.sav``) and
    :func:`read_table` for tools that want a plain table.
:mod:`~analisis.ingest.instruments`
    The knowledge test's items and the checklist's steps.
:mod:`~analisis.ingest.coded`
    Answers as option letters: texts, letters, SPSS codes with value labels.
:mod:`~analisis.ingest.exports`
    Knowledge-test exports: column roles, one tidy row per submission.
:mod:`~analisis.ingest.checklist`
    The skill checklist workbook.
:mod:`~analisis.ingest.overrides`
    The match overrides file.
"""

from analisis.ingest.checklist import SHEET_LABELS, SUMMARY_ROW_LABELS, read_skill_workbook
from analisis.ingest.coded import CODINGS
from analisis.ingest.exports import ROLE_HEADERS, read_knowledge_export
from analisis.ingest.instruments import (
    option_columns,
    read_knowledge_instrument,
    read_skill_instrument,
)
from analisis.ingest.overrides import read_match_overrides
from analisis.ingest.readers import (
    READERS,
    RawTable,
    file_kind,
    read_raw_sheets,
    read_raw_table,
    read_table,
    table_from_sheet,
)
from analisis.ingest.text import (
    ENCODINGS,
    decode_bytes,
    normalise_header,
    parse_timestamp,
    parse_total,
    sniff_delimiter,
)

__all__ = [
    "CODINGS",
    "ENCODINGS",
    "READERS",
    "ROLE_HEADERS",
    "SHEET_LABELS",
    "SUMMARY_ROW_LABELS",
    "RawTable",
    "decode_bytes",
    "file_kind",
    "normalise_header",
    "option_columns",
    "parse_timestamp",
    "parse_total",
    "read_knowledge_export",
    "read_knowledge_instrument",
    "read_match_overrides",
    "read_raw_sheets",
    "read_raw_table",
    "read_skill_instrument",
    "read_skill_workbook",
    "read_table",
    "sniff_delimiter",
    "table_from_sheet",
]
