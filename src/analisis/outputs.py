"""Deterministic, atomic writers for every file the pipeline produces.

Same inputs, same bytes: CSV with ``\\n`` line endings and full-precision floats,
JSON with a fixed key order and ``null`` for NaN, and each file written to a
temporary name first so that a failure never leaves a partial output behind.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analisis.atomic import atomic_path
from analisis.results import Record

FORMULA_PREFIXES = ("=", "+", "-", "@")


def map_distinct(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """``values.map(function)``, with ``function`` called once per distinct value.

    A column of a million answers holds a few dozen distinct values; only the cells whose
    value ``function`` changes are rewritten. Missing cells stay missing.

    Examples
    --------
    >>> map_distinct(pd.Series(["a", "b", "a", None], dtype=object), str.upper).tolist()
    ['A', 'B', 'A', None]
    """
    changed = {}
    for value in values.dropna().unique():
        new = function(value)
        if new is not value and new != value:
            changed[value] = new
    if not changed:
        return values
    at = values.isin(list(changed))
    out = values.copy()
    out[at] = [changed[value] for value in values[at]]
    return out


def neutralise_formula(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``.

    Numbers are left alone; only strings starting with ``= + - @`` are changed
    (OWASP "CSV injection").

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula(-1.5), neutralise_formula("ok")
    ("'=HYPERLINK(1)", -1.5, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``frame`` as UTF-8, comma-separated CSV, formulas neutralised, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"a": [1.5, None], "b": ["=x", "y"]}), p)
    >>> p.read_text()
    "a,b\\n1.5,'=x\\n,y\\n"
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = map_distinct(safe[column], neutralise_formula)
    with atomic_path(path) as tmp:
        safe.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def to_jsonable(value: Any) -> Any:
    """Convert results, numpy/pandas scalars and containers to plain JSON; NaN becomes None.

    A result type (:class:`~analisis.results.Record`) becomes its ``to_dict()``.

    Examples
    --------
    >>> to_jsonable({"a": np.float64("nan"), "b": (np.int64(2), 1.5)})
    {'a': None, 'b': [2, 1.5]}
    """
    if isinstance(value, Record):
        return to_jsonable(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [to_jsonable(v) for v in list(value)]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if value is pd.NA or value is None:
        return None
    return value


def write_json(obj: Any, path: str | os.PathLike) -> None:
    """Write ``obj`` as indented UTF-8 JSON (NaN as null), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.json"
    >>> write_json({"mean": np.float64(76.0), "sd": float("nan")}, p)
    >>> p.read_text()
    '{\\n  "mean": 76.0,\\n  "sd": null\\n}\\n'
    """
    text = json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")


def write_results(results: Mapping[str, Any], paths: Mapping[str, str | os.PathLike]) -> None:
    """Write each named result to its path: a DataFrame as CSV, anything else as JSON.

    Every name in ``paths`` must be in ``results`` (a rule that promises a file and a
    function that does not make it is a bug worth failing on).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_results({"t": pd.DataFrame({"a": [1]}), "s": {"n": 1}},
    ...               {"t": d / "t.csv", "s": d / "s.json"})
    >>> sorted(p.name for p in d.iterdir())
    ['s.json', 't.csv']
    """
    missing = sorted(set(paths) - set(results))
    if missing:
        raise KeyError(f"no result named {missing}; results are {sorted(results)}")
    for name, path in paths.items():
        result = results[name]
        if isinstance(result, pd.DataFrame):
            write_csv(result, path)
        else:
            write_json(result, path)
