"""``analisis paired``: every paired statistic for any CSV or Excel file, as JSON."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analisis.errors import InputError
from analisis.outputs import to_jsonable
from analisis.stats.paired import ALTERNATIVES
from analisis.stats.summary import paired_summary

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def add_parsers(subparsers) -> None:
    """Register the ``paired`` sub-command on ``subparsers``."""
    parser = subparsers.add_parser(
        "paired",
        help="paired pre/post statistics of one file, as JSON",
        description=(
            "Paired t-test, R-compatible Wilcoxon signed-rank test, effect sizes and, with "
            "--max, N-gain for two columns of a CSV or Excel file. difference = post - pre. "
            "Rows with a missing value are excluded and counted; notes go to stderr."
        ),
    )
    parser.add_argument("file", help="CSV (comma, dot decimal) or Excel workbook (first sheet)")
    parser.add_argument("--pre", required=True, metavar="COL", help="column of pre scores")
    parser.add_argument("--post", required=True, metavar="COL", help="column of post scores")
    parser.add_argument("--id", metavar="COL", help="participant column; must be unique")
    parser.add_argument("--alternative", choices=ALTERNATIVES, default="two-sided")
    parser.add_argument(
        "--max",
        type=float,
        metavar="SCORE",
        help="scale maximum: scores must lie in 0..SCORE (N-gain)",
    )
    parser.add_argument(
        "--normality-alpha",
        type=float,
        default=0.05,
        metavar="ALPHA",
        help="Shapiro-Wilk threshold choosing the primary test (default 0.05)",
    )
    parser.set_defaults(func=run_paired)


def run_paired(args: argparse.Namespace) -> int:
    """Read the file, compute :func:`~analisis.stats.summary.paired_summary`, print JSON."""
    frame = read_table(args.file)
    pre, post, n_excluded = extract_pairs(
        frame, args.file, args.pre, args.post, id_column=args.id, max_score=args.max
    )
    summary, notes = paired_summary(
        pre,
        post,
        alternative=args.alternative,
        max_score=args.max,
        normality_alpha=args.normality_alpha,
        n_excluded=n_excluded,
    )
    print(json.dumps(to_jsonable(summary), indent=2, ensure_ascii=False, allow_nan=False))
    for note in notes:
        print(f"analisis: note: {note}", file=sys.stderr)
    return 0


def read_table(path: str) -> pd.DataFrame:
    """Read a CSV or the first sheet of an Excel workbook, every cell as text.

    Raises
    ------
    InputError
        The file is missing or not CSV/Excel.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(path, "an existing CSV or Excel file", found="no such file")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(file, dtype=str, keep_default_na=False)
    if suffix in EXCEL_SUFFIXES:
        return pd.read_excel(file, sheet_name=0, dtype=str, keep_default_na=False)
    raise InputError(path, "a .csv, .xlsx, .xlsm or .xls file", found=file.suffix or file.name)


def _numbers(frame: pd.DataFrame, file: str, column: str, max_score: float | None) -> np.ndarray:
    values = np.full(len(frame), np.nan)
    for i, cell in enumerate(frame[column]):
        text = "" if cell is None else str(cell).strip()
        if text.lower() in ("", "na", "nan"):
            continue
        try:
            value = float(text)
        except ValueError:
            raise InputError(file, "a number", row=i + 2, column=column, found=text) from None
        if not math.isfinite(value):
            raise InputError(file, "a finite number", row=i + 2, column=column, found=text)
        if max_score is not None and not 0 <= value <= max_score:
            raise InputError(
                file, f"a score between 0 and {max_score:g}", row=i + 2, column=column, found=text
            )
        values[i] = value
    return values


def extract_pairs(
    frame: pd.DataFrame,
    file: str,
    pre_column: str,
    post_column: str,
    *,
    id_column: str | None = None,
    max_score: float | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return complete (pre, post) pairs and how many rows lacked a value.

    Row numbers in errors are spreadsheet rows (header = row 1).

    Raises
    ------
    InputError
        A named column is missing, a cell is not a number (or outside 0..max), an id is
        repeated, or fewer than 2 complete pairs remain.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["1", "", "3"], "b": ["2", "5", "4.5"]})
    >>> pre, post, n_excluded = extract_pairs(f, "x.csv", "a", "b")
    >>> pre.tolist(), post.tolist(), n_excluded
    ([1.0, 3.0], [2.0, 4.5], 1)
    """
    for column in (pre_column, post_column, id_column):
        if column is not None and column not in frame.columns:
            raise InputError(
                file,
                f"a column named {column!r}",
                found="columns " + ", ".join(map(str, frame.columns)),
            )
    if id_column is not None:
        ids = frame[id_column].astype(str).str.strip()
        repeated = ids.duplicated() & (ids != "")
        if repeated.any():
            i = int(np.flatnonzero(repeated.to_numpy())[0])
            raise InputError(file, "a unique id", row=i + 2, column=id_column, found=ids.iloc[i])
    pre = _numbers(frame, file, pre_column, max_score)
    post = _numbers(frame, file, post_column, max_score)
    complete = np.isfinite(pre) & np.isfinite(post)
    if complete.sum() < 2:
        raise InputError(
            file,
            f"at least 2 rows with both {pre_column!r} and {post_column!r}",
            found=f"{int(complete.sum())} complete row(s)",
        )
    return pre[complete], post[complete], int((~complete).sum())
