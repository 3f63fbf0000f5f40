"""The match overrides file: a person forces or forbids a match between two spellings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.readers import csv_records
from analisis.ingest.text import cell_text, decode_bytes, normalise_header


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
    table = csv_records(decode_bytes(data, file, "auto"), file)
    if not table.headers:
        return pd.DataFrame(columns=columns)
    found = {normalise_header(h[0]): j for j, h in enumerate(table.headers)}
    for column in columns[:3]:
        if column not in found:
            raise InputError(
                file, f"a column {column!r}", row=1, column=column, found="no such column"
            )
    records = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        a, b, decision = (cell_text(row[found[c]]) for c in columns[:3])
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
