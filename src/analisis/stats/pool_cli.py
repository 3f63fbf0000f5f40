"""``analisis meta`` and ``analisis pool``: random-effects pooling of villages from a file.

Only argparse is imported at start-up; the statistics (statsmodels) are imported when a
sub-command runs, so other sub-commands stay fast. Tables are formatted here, never in
the statistics modules.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from analisis.text import say

# Same as analisis.stats.meta.METHODS / TESTS, repeated so start-up imports no statistics
# (tests/test_stats_pool_cli.py checks that statsmodels stays unimported).
METHODS = ("reml", "dl", "pm")
TESTS = ("knha", "z")


def add_parsers(subparsers) -> None:
    """Register the ``meta`` and ``pool`` sub-commands on ``subparsers``."""
    meta = subparsers.add_parser(
        "meta",
        help="random-effects meta-analysis of estimates and variances in a file",
        description="Random-effects meta-analysis (metafor's rma.uni) of one estimate per row.",
    )
    meta.add_argument("file", help="CSV (comma, dot decimal) or Excel workbook (first sheet)")
    meta.add_argument("--yi", required=True, metavar="COL", help="column of estimates")
    meta.add_argument("--vi", required=True, metavar="COL", help="column of sampling variances")
    meta.add_argument("--label", metavar="COL", help="column naming each row")
    pool = subparsers.add_parser(
        "pool",
        help="per-village paired summaries pooled by meta-analysis and a mixed model",
        description=(
            "Per village: mean gain (post - pre) and d_z; across villages: random-effects "
            "meta-analyses of both and a random-intercept model of the gains. Villages with "
            "fewer than 2 complete pairs are excluded and listed."
        ),
    )
    pool.add_argument("file", help="CSV (comma, dot decimal) or Excel workbook (first sheet)")
    pool.add_argument("--village", required=True, metavar="COL", help="column of villages")
    pool.add_argument("--pre", required=True, metavar="COL", help="column of pre scores")
    pool.add_argument("--post", required=True, metavar="COL", help="column of post scores")
    pool.add_argument("--id", metavar="COL", help="participant column; must be unique")
    pool.add_argument(
        "--target",
        type=float,
        metavar="POINTS",
        help="mentoring target of the gain: villages whose whole mixed-model interval lies "
        "below it are marked (where to send mentors)",
    )
    for parser in (meta, pool):
        parser.add_argument("--method", choices=METHODS, default="reml", help="tau² estimator")
        parser.add_argument(
            "--test",
            choices=TESTS,
            default="knha",
            help="Knapp-Hartung (t with k - 1 df; default: holds 95%% coverage with few "
            "villages) or z (metafor's default)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    meta.set_defaults(func=run_meta)
    pool.set_defaults(func=run_pool)


def _columns(frame, file: str, names) -> None:
    from analisis.errors import InputError

    for column in names:
        if column is not None and column not in frame.columns:
            found = "columns " + ", ".join(map(str, frame.columns))
            raise InputError(file, f"a column named {column!r}", found=found)


def _emit(result: dict, as_json: bool, table) -> None:
    from analisis.outputs import to_jsonable

    if as_json:
        print(json.dumps(to_jsonable(result), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(table(result))


def run_meta(args: argparse.Namespace) -> int:
    """Read yi/vi (and labels) from the file and print the meta-analysis."""
    import numpy as np

    from analisis.errors import InputError
    from analisis.stats.cli import _numbers, read_table
    from analisis.stats.meta import random_effects_meta

    frame = read_table(args.file)
    _columns(frame, args.file, (args.yi, args.vi, args.label))
    yi, vi = (_numbers(frame, args.file, c, None) for c in (args.yi, args.vi))
    for values, column in ((yi, args.yi), (vi, args.vi)):
        if np.isnan(values).any():
            row = int(np.flatnonzero(np.isnan(values))[0]) + 2
            raise InputError(args.file, "a number", row=row, column=column, found="")
    if (vi <= 0).any():
        row = int(np.flatnonzero(vi <= 0)[0])
        found = str(frame[args.vi].iloc[row])
        raise InputError(args.file, "a variance > 0", row=row + 2, column=args.vi, found=found)
    if yi.size < 2:
        raise InputError(args.file, "at least 2 rows (k >= 2)", found=f"{yi.size} row(s)")
    labels = frame[args.label].astype(str).tolist() if args.label else None
    result = random_effects_meta(yi, vi, labels, method=args.method, test=args.test)
    names = labels or [str(i + 1) for i in range(yi.size)]
    _emit(result.to_dict(), args.json, lambda r: format_meta(r, names, yi, vi))
    return 0


def run_pool(args: argparse.Namespace) -> int:
    """Read village/pre/post from the file and print the pooled analysis."""
    import numpy as np
    import pandas as pd

    from analisis.errors import InputError
    from analisis.stats.cli import _numbers, read_table
    from analisis.stats.pool import pool_villages

    frame = read_table(args.file)
    _columns(frame, args.file, (args.village, args.pre, args.post, args.id))
    if args.id is not None:
        ids = frame[args.id].astype(str).str.strip()
        repeated = ids.duplicated() & (ids != "")
        if repeated.any():
            i = int(np.flatnonzero(repeated.to_numpy())[0])
            raise InputError(args.file, "a unique id", row=i + 2, column=args.id, found=ids.iloc[i])
    village = frame[args.village].astype(str).str.strip()
    if (village == "").any():
        row = int(np.flatnonzero((village == "").to_numpy())[0]) + 2
        raise InputError(args.file, "a village name", row=row, column=args.village, found="")
    data = pd.DataFrame(
        {
            "village": village,
            "pre": _numbers(frame, args.file, args.pre, None),
            "post": _numbers(frame, args.file, args.post, None),
        }
    )
    n_missing = int(data[["pre", "post"]].isna().any(axis=1).sum())
    result = pool_villages(data, method=args.method, test=args.test, target=args.target)
    if result.n_villages < 2:
        found = f"{result.n_villages} village(s) with >= 2 complete pairs"
        raise InputError(args.file, "at least 2 villages with 2 or more pairs", found=found)
    _emit(result.to_dict(), args.json, format_pool)
    if n_missing:
        print(f"analisis: note: {n_missing} row(s) without both scores left out", file=sys.stderr)
    for key in result.note_keys():
        print(f"analisis: note: {say(key, 'en')}", file=sys.stderr)
    return 0


def _f(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    return f"{value:.{digits}f}"


def _interval(pair, digits: int = 4) -> str:
    return f"[{_f(pair[0], digits)}, {_f(pair[1], digits)}]"


def format_meta(r: dict, labels, yi, vi) -> str:
    """Readable table of a meta-analysis dict (as from ``MetaResult.to_dict``)."""
    stat = "z" if r["test"] == "z" else f"t({r['Q_df']})"
    width = max(len(str(name)) for name in labels)
    lines = [f"Random-effects model (k = {r['k']}; tau² estimator: {r['method'].upper()})", ""]
    lines += [f"  {'':{width}}  {'yi':>9} {'vi':>9} {'weight %':>9}"]
    for name, y, v, w in zip(labels, yi, vi, r["weights"], strict=True):
        lines.append(f"  {name:{width}}  {y:9.4f} {v:9.4f} {w:9.2f}")
    lines += [
        "",
        f"estimate {_f(r['estimate'])}  se {_f(r['se'])}  {stat} {_f(r['statistic'], 3)}"
        f"  p {_f(r['p'])}  95% CI {_interval(r['ci95'])}",
        f"95% prediction interval {_interval(r['prediction_interval95'])}",
        f"tau² {_f(r['tau2'])} {_interval(r['tau2_ci95'])}  tau {_f(r['tau'])}  "
        f"I² {_f(r['I2'], 2)}% {_interval(r['I2_ci95'], 2)}  H² {_f(r['H2'], 2)}",
        f"Q({r['Q_df']}) = {_f(r['Q'])}, p = {_f(r['Q_p'])}",
    ]
    return "\n".join(lines)


def format_pool(r: dict) -> str:
    """Readable table of a pooled analysis dict (as from ``PoolResult.to_dict``)."""
    lines = [f"{r['n_villages']} villages, {r['n_pairs']} pairs", ""]
    width = max(len(v["village"]) for v in r["villages"])
    lines.append(f"  {'village':{width}}  {'n':>4} {'pre':>7} {'post':>7} {'gain':>7}  "
                 f"{'gain 95% CI':>18} {'d_z':>6}  {'d_z 95% CI':>16}")  # fmt: skip
    for v in r["villages"]:
        lines.append(
            f"  {v['village']:{width}}  {v['n_pairs']:4d} {v['pre_mean']:7.2f} "
            f"{v['post_mean']:7.2f} {v['gain_mean']:7.2f}  {_interval(v['gain_ci95'], 2):>18} "
            f"{_f(v['d_z'], 2):>6}  {_interval(v['d_z_ci95'], 2):>16}"
        )
    for title, key in (("Mean gain", "meta_gain"), ("d_z", "meta_d_z")):
        m = r[key]
        lines += [
            "",
            f"{title}, random effects ({m['method'].upper()}, {m['test']}): "
            f"{_f(m['estimate'], 3)} {_interval(m['ci95'], 3)}, "
            f"PI {_interval(m['prediction_interval95'], 3)}, "
            f"tau² {_f(m['tau2'], 3)} {_interval(m['tau2_ci95'], 3)}, "
            f"I² {_f(m['I2'], 1)}% {_interval(m['I2_ci95'], 1)}, "
            f"Q({m['Q_df']}) = {_f(m['Q'], 2)}, p = {_f(m['Q_p'])}",
        ]
    g = r["mixed_gain"]
    lines += [
        "",
        f"Mixed model of gains (REML; t, Satterthwaite df {_f(g['df'], 2)}): "
        f"{_f(g['estimate'], 3)} {_interval(g['ci95'], 3)}, se {_f(g['se'], 3)}, "
        f"tau² {_f(g['tau2'], 3)}, sigma² {_f(g['sigma2'], 3)}, ICC {_f(g['icc'], 3)}"
        + ("  (boundary fit: tau² = 0)" if g["boundary"] else "")
        + ("" if g["converged"] else "  (NOT CONVERGED)"),
    ]
    lines += [f"  {b['village']:{width}}  {_f(b['estimate'], 2)} {_interval(b['ci95'], 2)}"
              + ("  below target" if b.get("below_target") else "")
              for b in g["blups"]]  # fmt: skip
    lines += [f"excluded: {e['village']} ({e['n_pairs']} pairs): "
              + say(f"pool_reason.{e['reason']}", "en", n=e["n_pairs"])
              for e in r["excluded"]]  # fmt: skip
    return "\n".join(lines)
