"""Instruments: the knowledge test's items and options, the checklist's steps.

Instruments are study design kept in ``config/instruments/``; they are read strictly
(every required column, unique ids) because every score depends on them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analisis.errors import InputError
from analisis.ingest.text import check_not_empty, decode_bytes, normalise_header, sniff_delimiter


def _read_instrument_csv(path: str | Path, required: Sequence[str]) -> pd.DataFrame:
    file = str(path)
    data = Path(path).read_bytes()
    check_not_empty(data, file)
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
