"""Schemas of the processed tables: columns, types, allowed values, sort order, descriptions.

One definition serves three purposes: :func:`validate` checks a table whenever it is
written (:func:`write_table`) or read (:func:`read_table`); :func:`sort_table` gives
every table its one deterministic row order; :func:`data_dictionary` documents every
column for the reader of ``data/processed/``.

Types: ``string`` (text, pandas ``str``), ``integer`` (pandas ``Int64``), ``number``
(float64, full precision, never rounded), ``boolean`` (``True``/``False`` in CSV).
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analisis.config import N_GAIN_CUTOFFS
from analisis.errors import InputError
from analisis.outputs import FORMULA_PREFIXES, atomic_path, map_distinct, write_csv


@dataclass(frozen=True)
class Column:
    """One column of a processed table."""

    name: str
    type: str
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TableSchema:
    """A processed table: its file (relative to ``data/processed/``), columns and row key."""

    name: str
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


PHASE_ORDER = ("pre", "post")
#: Phases of the delayed post-tests, in the order of the config's ``knowledge.follow_up``.
FOLLOW_UP_PHASES = tuple(f"fu{i}" for i in range(1, 10))
ACTIONS = ("kept", "merged", "dropped", "flagged")

_COHORT = Column("cohort", "string", "Study site (cohort id from the config).")
_PID = Column(
    "participant_id", "string", "Pseudonym of the cadre (K01, K02, …), stable per cohort."
)
_PHASE = Column(
    "phase",
    "string",
    "Test occasion: pre (before training) or post.",
    allowed=PHASE_ORDER + FOLLOW_UP_PHASES,
)

SCHEMAS: dict[str, TableSchema] = {
    schema.name: schema
    for schema in (
        TableSchema(
            "responses",
            "responses.csv",
            "Every answer of every scored submission, one row per person, phase and item.",
            (
                _COHORT,
                _PID,
                _PHASE,
                Column("item_id", "string", "Item of the knowledge test (P01 …)."),
                Column(
                    "response",
                    "string",
                    "Option letter chosen (a, b, …); empty when the item was left blank.",
                    nullable=True,
                ),
                Column("correct", "boolean", "Answer equals the key; a blank answer is wrong."),
            ),
            ("cohort", "participant_id", "phase", "item_id"),
        ),
        TableSchema(
            "knowledge_scores",
            "knowledge_scores.csv",
            "Knowledge score per person and phase.",
            (
                _COHORT,
                _PID,
                _PHASE,
                Column("score", "number", "n_correct / n_items × 100 (0–100), unrounded."),
                Column("n_correct", "integer", "Items answered correctly."),
                Column("n_items", "integer", "Items in the test."),
                Column(
                    "category",
                    "string",
                    "Knowledge category by the configured lower bounds (default baik ≥ 76, "
                    "cukup ≥ 56, kurang below).",
                ),
            ),
            ("cohort", "participant_id", "phase"),
        ),
        TableSchema(
            "knowledge_wide",
            "knowledge_wide.csv",
            "One row per person with a knowledge score: pre, post, gain and Hake's N-gain.",
            (
                _COHORT,
                _PID,
                Column("pre", "number", "Pre-test score 0–100.", nullable=True),
                Column("post", "number", "Post-test score 0–100.", nullable=True),
                Column("gain", "number", "post − pre in score points.", nullable=True),
                Column(
                    "n_gain",
                    "number",
                    "Hake's normalised gain (post − pre) / (100 − pre); empty when undefined.",
                    nullable=True,
                ),
                Column(
                    "n_gain_category",
                    "string",
                    f"N-gain category (default tinggi ≥ {N_GAIN_CUTOFFS[1]:g}, "
                    f"sedang ≥ {N_GAIN_CUTOFFS[0]:g}, rendah below).",
                    nullable=True,
                ),
                Column(
                    "n_gain_note",
                    "string",
                    "Why n_gain is empty: 'pre = max', 'no pre-test' or 'no post-test'.",
                    nullable=True,
                ),
                Column("pre_category", "string", "Knowledge category before.", nullable=True),
                Column("post_category", "string", "Knowledge category after.", nullable=True),
                Column(
                    "paired",
                    "boolean",
                    "Both pre and post exist; only these rows enter paired statistics.",
                ),
            ),
            ("cohort", "participant_id"),
        ),
        TableSchema(
            "skill_scores",
            "skill_scores.csv",
            "Skill checklist score per cadre.",
            (
                _COHORT,
                _PID,
                Column("group", "string", "Mentoring group (the sheet's Kelompok label)."),
                Column(
                    "assessor",
                    "string",
                    "Pseudonym of the assessor (A01 …); empty when the sheet names none.",
                    nullable=True,
                ),
                Column("points", "integer", "Points summed over the steps."),
                Column("max_points", "integer", "Maximum points summed over the steps."),
                Column("score", "number", "points / max_points × 100 (0–100), unrounded."),
                Column(
                    "category",
                    "string",
                    "Skill category by the configured lower bounds (default as knowledge).",
                ),
            ),
            ("cohort", "participant_id"),
        ),
        TableSchema(
            "skill_steps",
            "skill_steps.csv",
            "Points per cadre and checklist step.",
            (
                _COHORT,
                _PID,
                Column("step_id", "string", "Step of the checklist (L01 …), in procedure order."),
                Column("points", "integer", "Points given for the step."),
                Column("max_points", "integer", "Maximum points of the step."),
            ),
            ("cohort", "participant_id", "step_id"),
        ),
        TableSchema(
            "participants",
            "participants.csv",
            "Every person found in any source, and which sources they appear in.",
            (
                _COHORT,
                _PID,
                Column("group", "string", "Mentoring group from the checklist.", nullable=True),
                Column(
                    "assessor", "string", "Assessor pseudonym from the checklist.", nullable=True
                ),
                Column("in_pre", "boolean", "A pre-test submission was used."),
                Column("in_post", "boolean", "A post-test submission was used."),
                Column("in_skill", "boolean", "A checklist row was used."),
            ),
            ("cohort", "participant_id"),
        ),
        TableSchema(
            "cleaning_log",
            "cleaning_log.csv",
            "One row per raw data row of every export and every cadre row of every sheet.",
            (
                _COHORT,
                Column("source_file", "string", "Raw file, as named in the config."),
                Column(
                    "sheet",
                    "string",
                    "Workbook sheet; empty for CSV and SPSS files.",
                    nullable=True,
                ),
                Column(
                    "source_row",
                    "integer",
                    "Row as a spreadsheet shows it (CSV header = 1; Excel row; SPSS case).",
                ),
                Column(
                    "action",
                    "string",
                    "kept: used; flagged: used, but a person should check the reason; "
                    "merged: another submission of the same person was used; "
                    "dropped: not a participant's data (test submission, no name).",
                    allowed=ACTIONS,
                ),
                Column(
                    "reason",
                    "string",
                    "Why, as stable codes joined by ';' (listed in docs/contracts.md, e.g. "
                    "duplicate_submission, fuzzy_name_match; used: nothing to note).",
                ),
                Column(
                    "detail",
                    "string",
                    "Variable detail of the codes as 'code: detail' joined by '; ' (rows, "
                    "items, scores, never a name).",
                    nullable=True,
                ),
                Column(
                    "participant_id",
                    "string",
                    "Pseudonym of the person the row belongs to; empty when dropped.",
                    nullable=True,
                ),
            ),
            ("cohort", "source_file", "sheet", "source_row"),
        ),
        TableSchema(
            "data_dictionary",
            "data_dictionary.csv",
            "This dictionary: every column of every processed table.",
            (
                Column("table", "string", "File under data/processed/."),
                Column("column", "string", "Column name."),
                Column("type", "string", "string, integer, number or boolean."),
                Column("description", "string", "Meaning, units and allowed values."),
            ),
            (),
        ),
        TableSchema(
            "linkage",
            "private/linkage.csv",
            "PRIVATE: pseudonym ↔ name. Git-ignored; never share.",
            (
                _COHORT,
                Column("participant_id", "string", "Pseudonym (K… cadre, A… assessor)."),
                Column(
                    "role",
                    "string",
                    "participant or assessor.",
                    allowed=("participant", "assessor"),
                ),
                Column("name", "string", "Normalised name used for matching."),
                Column(
                    "names_seen", "string", "Every spelling met in the raw files, ' | '-separated."
                ),
            ),
            ("cohort", "role", "participant_id"),
        ),
        TableSchema(
            "matches",
            "private/matches.csv",
            "PRIVATE: every cross-file name match, for a person to confirm the fuzzy ones.",
            (
                _COHORT,
                _PID,
                Column("file_a", "string", "File of the first row."),
                Column("sheet_a", "string", "Sheet of the first row.", nullable=True),
                Column("row_a", "integer", "Row in file_a."),
                Column("name_a", "string", "Normalised name in file_a."),
                Column("file_b", "string", "File of the second row."),
                Column("sheet_b", "string", "Sheet of the second row.", nullable=True),
                Column("row_b", "integer", "Row in file_b."),
                Column("name_b", "string", "Normalised name in file_b."),
                Column(
                    "method",
                    "string",
                    "exact, fuzzy or override.",
                    allowed=("exact", "fuzzy", "override"),
                ),
                Column("score", "number", "rapidfuzz token_sort_ratio 0–100."),
            ),
            ("cohort", "participant_id", "file_a", "row_a", "file_b", "row_b"),
        ),
    )
}

_PANDAS_TYPES = {"string": "str", "integer": "Int64", "number": "float64", "boolean": "bool"}


def schema(table: str) -> TableSchema:
    """The schema of ``table``; KeyError names the known tables."""
    try:
        return SCHEMAS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known: {', '.join(SCHEMAS)}") from None


def _key_codes(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Each key column as integer ranks: equal values equal, order kept, missing first.

    ``phase`` ranks by :data:`PHASE_ORDER`, then :data:`FOLLOW_UP_PHASES`.  Ranking each
    column once (one hash pass over its values) makes sorting and checking a table of
    millions of rows a matter of integer sorts.
    """
    codes = {}
    for column in key:
        if column == "phase":
            categories = PHASE_ORDER + FOLLOW_UP_PHASES
            codes[column] = pd.Categorical(frame[column], categories=categories).codes
        else:
            codes[column] = pd.factorize(frame[column], sort=True, use_na_sentinel=True)[0]
    return pd.DataFrame(codes, index=frame.index)


def _key_order(codes: pd.DataFrame) -> np.ndarray:
    """Positions of the rows in key order (stable: ties keep their order)."""
    return np.lexsort([codes[column].to_numpy() for column in reversed(codes.columns)])


def sort_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Rows in the table's key order (``pre`` before ``post``; empty sheet first), index reset.

    Examples
    --------
    >>> f = pd.DataFrame({"cohort": ["a", "a"], "participant_id": ["K01", "K01"],
    ...                   "phase": ["post", "pre"], "score": [1.0, 2.0], "n_correct": [1, 2],
    ...                   "n_items": [2, 2], "category": ["x", "y"]})
    >>> sort_table(f, "knowledge_scores")["phase"].tolist()
    ['pre', 'post']
    """
    spec = schema(table)
    if not spec.key or frame.empty:
        return frame.reset_index(drop=True)
    order = _key_order(_key_codes(frame, spec.key))
    return frame.iloc[order].reset_index(drop=True)


def combine(frames: Sequence[pd.DataFrame], table: str) -> pd.DataFrame:
    """Parts of ``table`` (cohorts, shards) as one table: typed, in key order, validated.

    One part is returned as it is (already typed and sorted), validated.

    Examples
    --------
    >>> f = pd.DataFrame({"table": ["t"], "column": ["c"], "type": ["string"],
    ...                   "description": ["d"]})
    >>> combine([f, f.assign(table="s")], "data_dictionary")["table"].tolist()
    ['t', 's']
    """
    combined = frames[0]
    if len(frames) > 1:
        combined = pd.concat(frames, ignore_index=True)
        combined = sort_table(coerce(combined, table), table)
    return validate(combined, table)


def _records(data: bytes, start: int) -> Iterator[tuple[bytes, int]]:
    """(first field, end offset) of each CSV record of ``data`` from ``start``.

    A record ends at a newline outside quotes: RFC 4180 doubles a quote inside a quoted
    field, so a line with an odd number of quotes continues on the next one.
    """
    quoted = b'"' in data
    position, end = start, len(data)
    while position < end:
        stop = data.index(b"\n", position) + 1
        if quoted:
            while data.count(b'"', position, stop) % 2:
                stop = data.index(b"\n", stop) + 1
        comma = data.find(b",", position, stop)
        yield data[position : comma if comma >= 0 else stop - 1], stop
        position = stop


def cohort_blocks(data: bytes) -> tuple[bytes, list[tuple[bytes, int, int]]]:
    r"""The header of a CSV table whose first column is ``cohort`` and whose rows are
    grouped by cohort, and each cohort's (cohort, start, end) byte range.

    Examples
    --------
    >>> cohort_blocks(b'cohort,x\na,1\na,"2\n3"\nb,4\n')
    (b'cohort,x\n', [(b'a', 9, 21), (b'b', 21, 25)])
    """
    start = data.index(b"\n") + 1
    blocks: list[tuple[bytes, int, int]] = []
    begin = start
    for cohort, stop in _records(data, start):
        if blocks and blocks[-1][0] == cohort:
            blocks[-1] = (cohort, blocks[-1][1], stop)
        else:
            blocks.append((cohort, begin, stop))
        begin = stop
    return data[:start], blocks


def merge_parts(parts: Sequence[str | os.PathLike], path: str | os.PathLike) -> None:
    r"""Write the table whose parts (disjoint cohorts, each written by :func:`write_table`)
    are ``parts``: the bytes :func:`write_table` would write for their :func:`combine`,
    without reading them as tables.

    Every processed table's key starts with ``cohort`` (ids are lower-case letters,
    digits and ``_``, never quoted) and :func:`write_table` writes each value on its own,
    so the whole table is the header and each cohort's block of rows, cohorts in order.
    Memory holds one part's bytes at a time and the blocks' offsets, not the table: the
    answers of ten thousand villages are copied, not parsed. One part is copied as it is.

    Raises
    ------
    ValueError
        The parts have different headers or share a cohort.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "1.csv").write_bytes(b"cohort,x\nb,1\nd,2\n")
    >>> _ = (d / "2.csv").write_bytes(b"cohort,x\na,3\nc,4\n")
    >>> merge_parts([d / "1.csv", d / "2.csv"], d / "all.csv")
    >>> (d / "all.csv").read_bytes()
    b'cohort,x\na,3\nb,1\nc,4\nd,2\n'
    """
    if len(parts) == 1:
        shutil.copyfile(parts[0], path)
        return
    headers, blocks = set(), []
    for number, part in enumerate(parts):
        header, found = cohort_blocks(Path(part).read_bytes())
        headers.add(header)
        blocks += [(cohort, number, start, end) for cohort, start, end in found]
    if len(headers) > 1:
        raise ValueError(f"parts of {path} have different headers")
    blocks.sort()
    repeated = [a[0] for a, b in itertools.pairwise(blocks) if a[0] == b[0]]
    if repeated:
        raise ValueError(f"parts of {path} share cohort {repeated[0].decode()}")
    with atomic_path(path) as tmp, open(tmp, "wb") as out, ExitStack() as stack:
        files = [stack.enter_context(open(part, "rb")) for part in parts]
        out.write(headers.pop())
        for _, number, start, end in blocks:
            files[number].seek(start)
            out.write(files[number].read(end - start))


def coerce(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Columns in schema order with the schema's pandas dtypes (extra columns are an error)."""
    spec = schema(table)
    missing = [c for c in spec.column_names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in spec.column_names]
    if missing or extra:
        raise ValueError(f"table {table}: missing columns {missing}, unexpected columns {extra}")
    out = frame[spec.column_names].copy()
    for column in spec.columns:
        out[column.name] = out[column.name].astype(_PANDAS_TYPES[column.type])
    return out


def validate(frame: pd.DataFrame, table: str, file: str | None = None) -> pd.DataFrame:
    """Check ``frame`` against the schema of ``table``; return it unchanged.

    Checks: exactly the schema's columns in order; each column's dtype; no missing value
    in a non-nullable column; allowed values; the key unique and rows in key order.

    Raises
    ------
    InputError
        Naming ``file`` (or the table), the row (as in the CSV: header = 1) and column.

    Examples
    --------
    >>> f = pd.DataFrame({"table": ["t"], "column": ["c"], "type": ["string"],
    ...                   "description": ["d"]})
    >>> validate(coerce(f, "data_dictionary"), "data_dictionary").shape
    (1, 4)
    """
    spec = schema(table)
    where = file or spec.file
    if list(frame.columns) != spec.column_names:
        raise InputError(
            where,
            "columns " + ", ".join(spec.column_names),
            row=1,
            found=", ".join(map(str, frame.columns)),
        )
    for column in spec.columns:
        values = frame[column.name]
        expected_dtype = _PANDAS_TYPES[column.type]
        if str(values.dtype) != expected_dtype:
            raise InputError(
                where, f"type {expected_dtype}", row=1, column=column.name, found=str(values.dtype)
            )
        if not column.nullable and values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2
            raise InputError(where, "a value", row=row, column=column.name, found="empty")
        if column.allowed is not None:
            bad = values.notna() & ~values.isin(column.allowed)
            if bad.any():
                row = int(bad.to_numpy().argmax())
                raise InputError(
                    where,
                    "one of " + ", ".join(column.allowed),
                    row=row + 2,
                    column=column.name,
                    found=str(values.iloc[row]),
                )
    if spec.key and len(frame):
        keys = _key_codes(frame, spec.key)
        duplicated = keys.duplicated()
        if duplicated.any():
            row = int(duplicated.to_numpy().argmax())
            raise InputError(
                where, f"each ({', '.join(spec.key)}) once", row=row + 2, found="a repeated key"
            )
        if not (_key_order(keys) == np.arange(len(keys))).all():
            raise InputError(where, f"rows sorted by {', '.join(spec.key)}", found="another order")
    return frame


def write_table(frame: pd.DataFrame, table: str, path: str | os.PathLike) -> None:
    """Coerce, validate and write ``frame`` atomically with :func:`analisis.outputs.write_csv`."""
    typed = coerce(frame, table)
    validate(typed, table, str(path))
    write_csv(typed, path)


def read_table(path: str | os.PathLike, table: str) -> pd.DataFrame:
    """Read a processed table written by :func:`write_table`, typed and validated.

    Only an empty cell is missing ("NA" is text).  A text cell that :func:`write_csv`
    protected with a leading ``'`` is returned as written before protection.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "dd.csv"
    >>> f = pd.DataFrame({"table": ["t"], "column": ["c"], "type": ["string"],
    ...                   "description": ["-1 means none"]})
    >>> write_table(f, "data_dictionary", p)
    >>> read_table(p, "data_dictionary")["description"].tolist()
    ['-1 means none']
    """
    spec = schema(table)
    text = Path(path).read_text(encoding="utf-8")
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    if list(raw.columns) != spec.column_names:
        validate(raw, table, str(path))
    out = raw.copy()
    for column in spec.columns:
        values = raw[column.name]
        if column.type == "boolean":
            mapped = values.map({"True": True, "False": False})
            bad = mapped.isna()
            if bad.any():
                row = int(bad.to_numpy().argmax())
                raise InputError(
                    str(path),
                    "True or False",
                    row=row + 2,
                    column=column.name,
                    found=str(values.iloc[row]),
                )
            out[column.name] = mapped.astype(bool)
        elif column.type == "string":
            out[column.name] = map_distinct(values.astype("str"), _unprotect)
        else:
            out[column.name] = pd.to_numeric(values).astype(_PANDAS_TYPES[column.type])
    return validate(out, table, str(path))


def _unprotect(text: str) -> str:
    """A text cell as written before :func:`write_csv` protected it."""
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def data_dictionary(n_follow_ups: int = 0) -> pd.DataFrame:
    """Every column of every processed table: ``table, column, type, description``.

    Allowed values are appended to the description; those of ``phase`` are the study's:
    pre, post and its ``n_follow_ups`` delayed post-tests (fu1, fu2, ...).

    Examples
    --------
    >>> d = data_dictionary()
    >>> d.loc[d["column"] == "action", "table"].tolist()
    ['cleaning_log.csv']
    >>> data_dictionary(2).loc[lambda f: f["column"] == "phase", "description"].iloc[0][-29:]
    'Allowed: pre, post, fu1, fu2.'
    """
    rows = []
    for spec in SCHEMAS.values():
        for column in spec.columns:
            description, allowed = column.description, column.allowed
            if column is _PHASE:
                allowed = PHASE_ORDER + FOLLOW_UP_PHASES[:n_follow_ups]
                if n_follow_ups:
                    description = (
                        "Test occasion: pre (before training), post, or a delayed post-test "
                        "(fu1, fu2, ... as listed in knowledge.follow_up, in its order)."
                    )
            if allowed is not None:
                description += f" Allowed: {', '.join(allowed)}."
            if column.nullable:
                description += " May be empty."
            rows.append((spec.file, column.name, column.type, description))
    frame = pd.DataFrame(rows, columns=["table", "column", "type", "description"])
    return coerce(frame, "data_dictionary")
