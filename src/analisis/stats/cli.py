"""``analisis paired``: every paired statistic for any CSV or Excel file, as a table or JSON.

numpy, pandas and the statistics are imported inside the functions that use them, so
that registering the sub-command costs nothing for the others.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING

from analisis.cli import number
from analisis.config import DEFAULTS
from analisis.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: The ``alternative`` values of :mod:`analisis.stats.paired` (a test checks they agree).
ALTERNATIVES = ("two-sided", "greater", "less")
#: The ``primary_test`` values of :mod:`analisis.stats.paired` (a test checks they agree).
PRIMARY_TESTS = ("t_test", "wilcoxon", "auto")


ANALYSIS = DEFAULTS["analysis"]


def add_parsers(subparsers) -> None:
    """Register the ``paired`` sub-command on ``subparsers``."""
    parser = subparsers.add_parser(
        "paired",
        help="paired pre/post statistics of one file, as a table (or JSON)",
        description=(
            "Paired t-test, R-compatible Wilcoxon signed-rank test, effect sizes and, with "
            "--max, N-gain for two columns of a CSV or Excel file. difference = post - pre. "
            "Rows with a missing value are excluded and counted; notes go to stderr."
        ),
    )
    parser.add_argument(
        "file",
        help="CSV (comma and decimal point, or semicolon and decimal comma as Excel saves it "
        "with Indonesian settings: detected), Excel workbook (first sheet) or SPSS .sav",
    )
    parser.add_argument("--pre", required=True, metavar="COL", help="column of pre scores")
    parser.add_argument("--post", required=True, metavar="COL", help="column of post scores")
    parser.add_argument("--id", metavar="COL", help="participant column; must be unique")
    parser.add_argument("--alternative", choices=ALTERNATIVES, default="two-sided")
    parser.add_argument(
        "--max",
        type=number(above=0, what="the lowest score"),
        metavar="SCORE",
        help="scale maximum: scores must lie in 0..SCORE (N-gain)",
    )
    parser.add_argument(
        "--normality-alpha",
        type=number(above=0, below=1),
        default=ANALYSIS["normality_alpha"],
        metavar="ALPHA",
        help="Shapiro-Wilk threshold choosing the primary test (default %(default)s)",
    )
    parser.add_argument(
        "--primary-test",
        choices=PRIMARY_TESTS,
        metavar="TEST",
        help="the pre-specified primary test: t_test, wilcoxon or auto (Shapiro-Wilk chooses; "
        "the t-test above 5000 pairs); default: the config schema's analysis.primary_test (auto)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON schema instead")
    parser.set_defaults(func=run_paired)


def run_paired(args: argparse.Namespace) -> int:
    """Read the file, compute :func:`~analisis.stats.summary.paired_summary`, print it."""
    from analisis.config import DEFAULTS
    from analisis.outputs import to_jsonable
    from analisis.stats.summary import paired_summary

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
        primary_test=args.primary_test or DEFAULTS["analysis"]["primary_test"],
        n_excluded=n_excluded,
    )
    if args.json:
        print(json.dumps(to_jsonable(summary), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(paired_text(to_jsonable(summary)))
    for note in notes:
        print(f"analisis: note: {note}", file=sys.stderr)
    return 0


def read_table(path: str) -> pd.DataFrame:
    """Read a table through the package's reader registry, every cell as text.

    CSV (separator sniffed, as the pipeline reads exports), an Excel workbook's first
    sheet or an SPSS ``.sav`` file (:func:`analisis.ingest.read_table`). Cells such as
    ``76,5``, as Excel writes numbers with Indonesian (and most European) settings, are
    decimal commas and returned as ``76.5``; a note on stderr says what was detected.

    Raises
    ------
    InputError
        The file is missing, empty or of a kind the registry does not read.
    """
    from analisis.ingest import read_table as read_any

    frame, n_commas = _decimal_commas(read_any(path))
    found = []
    if frame.attrs.get("delimiter") == ";":
        found.append("read as semicolon-separated")
    if n_commas:
        found.append(f"{n_commas} number(s) with a decimal comma")
    if found:
        print(f"analisis: note: {path}: {', '.join(found)}", file=sys.stderr)
    return frame


def _decimal_commas(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Cells like ``-3,25`` or ``,5`` with the comma made a point; how many were changed.

    Examples
    --------
    >>> import pandas as pd
    >>> f, n = _decimal_commas(pd.DataFrame({"a": ["76,5", "K,01", "80"], "b": ["-0,25", "", "x"]}))
    >>> f.to_dict("list"), n
    ({'a': ['76.5', 'K,01', '80'], 'b': ['-0.25', '', 'x']}, 2)
    """
    pattern = r"^\s*[+-]?\d*,\d+\s*$"
    changed = 0
    frame = frame.copy()
    frame.attrs = dict(frame.attrs)
    for column in frame.columns:
        cells = frame[column].astype(str)
        comma = cells.str.match(pattern)
        changed += int(comma.sum())
        frame[column] = cells.where(~comma, cells.str.replace(",", ".", regex=False))
    return frame, changed


def _numbers(frame: pd.DataFrame, file: str, column: str, max_score: float | None) -> np.ndarray:
    import numpy as np

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
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": ["1", "", "3"], "b": ["2", "5", "4.5"]})
    >>> pre, post, n_excluded = extract_pairs(f, "x.csv", "a", "b")
    >>> pre.tolist(), post.tolist(), n_excluded
    ([1.0, 3.0], [2.0, 4.5], 1)
    """
    import numpy as np

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


def _cell(value) -> str:
    if value is None:
        return "NA"
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    return f"{value:.4g}"


def _interval(pair) -> str:
    return f"[{_cell(pair[0])}, {_cell(pair[1])}]"


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as lines: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        ).rstrip()
        for row in rows
    ]


def paired_text(summary: dict) -> str:
    """A small aligned table of the ``analisis paired`` JSON (4 significant digits).

    Examples
    --------
    >>> phase = {"mean": 76.0, "sd": 8.0, "median": 76.0, "min": 60.0, "max": 92.0}
    >>> s = {"n_pairs": 3, "n_excluded": 0, "pre": phase, "post": phase,
    ...      "difference": {"mean": 0.0, "sd": 0.0, "ci95": [0.0, 0.0]},
    ...      "shapiro": {"W": None, "p": None}, "t_test": {"t": None, "df": 2, "p": None},
    ...      "wilcoxon": {"V": 0.0, "p": 1.0, "method": "exact"},
    ...      "effect_size": {"d_z": None, "d_z_ci95": [None, None], "g_z": None, "d_av": 0.0,
    ...                      "g_av": 0.0, "d_rm": None, "rank_biserial": 0.0,
    ...                      "rank_biserial_ci95": [0.0, 0.0], "cles": 0.5},
    ...      "primary_test": "wilcoxon"}
    >>> print("\\n".join(paired_text(s).splitlines()[:3]))
                    pre  post  post - pre
    mean             76    76           0
    SD                8     8           0
    """
    pre, post, diff = summary["pre"], summary["post"], summary["difference"]
    phases = [("mean", "mean", diff["mean"]), ("SD", "sd", diff["sd"])]
    phases += [(label, key, None) for label, key in (("median", "median"), ("min", "min"))]
    phases.append(("max", "max", None))
    table = [("", "pre", "post", "post - pre")]
    table += [
        (label, _cell(pre[key]), _cell(post[key]), "" if d is None else _cell(d))
        for label, key, d in phases
    ]
    table.append(("95% CI of mean", "", "", _interval(diff["ci95"])))
    t, w, es = summary["t_test"], summary["wilcoxon"], summary["effect_size"]
    shapiro = summary["shapiro"]
    tests = [
        ("n pairs", f"{summary['n_pairs']} ({summary['n_excluded']} rows excluded)"),
        ("Shapiro-Wilk", f"W = {_cell(shapiro['W'])}, p = {_cell(shapiro['p'])}"),
        ("paired t-test", f"t({_cell(t['df'])}) = {_cell(t['t'])}, p = {_cell(t['p'])}"),
        ("Wilcoxon", f"V = {_cell(w['V'])}, p = {_cell(w['p'])} ({w['method']})"),
        ("d_z", f"{_cell(es['d_z'])} {_interval(es['d_z_ci95'])}"),
        ("g_z, d_av, g_av, d_rm", ", ".join(_cell(es[k]) for k in ("g_z", "d_av", "g_av", "d_rm"))),
        ("rank-biserial", f"{_cell(es['rank_biserial'])} {_interval(es['rank_biserial_ci95'])}"),
        ("CLES", _cell(es["cles"])),
    ]
    if "n_gain" in summary:
        g = summary["n_gain"]
        tests.append(("N-gain of means", _cell(g["class"])))
        individual = f"{_cell(g['mean_individual'])} (SD {_cell(g['sd_individual'])})"
        tests.append(("N-gain individual", f"{individual}, {g['n_undefined']} undefined"))
    tests.append(("primary test", summary["primary_test"]))
    width = max(len(label) for label, _ in tests) + 2
    return "\n".join([*_aligned(table), "", *(a.ljust(width) + b for a, b in tests)])
