"""``analisis waves``: three or more waves of one wide table (pre, post, follow-ups).

Only argparse is imported at start-up; the statistics (pingouin, statsmodels) are imported
when the command runs. Tables are formatted here, never in :mod:`analisis.stats.waves`.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial

from analisis.cli import number
from analisis.stats.pool_cli import _f as _fixed
from analisis.stats.pool_cli import _interval

#: Two decimals, as scores and their differences are reported.
_f = partial(_fixed, digits=2)
_interval_2 = partial(_interval, digits=2)

MIN_WAVES = 3
#: As analisis.stats.waves.MIN_COMPLETE, repeated so start-up imports no statistics.
MIN_COMPLETE = 3


def add_parsers(subparsers) -> None:
    """Register the ``waves`` sub-command on ``subparsers``."""
    parser = subparsers.add_parser(
        "waves",
        help="pre, post and follow-up tests of one wide table: attrition, tests, retention",
        description=(
            "One row per cadre, one column per wave (pre, post, then follow-ups; an empty "
            "cell = not measured). Attrition and the baseline of those who stayed against "
            "those lost; for the cadres measured at every wave (complete cases) Friedman's "
            "test with Kendall's W, the repeated-measures ANOVA with Mauchly's test and the "
            "Greenhouse-Geisser and Huynh-Feldt corrections, pairwise paired t and Wilcoxon "
            "tests (Holm) with d_z, and the share of the gain retained; for every cadre "
            "measured at least once a linear mixed model (REML) under missing at random."
        ),
    )
    parser.add_argument(
        "file", help="CSV (separator and decimal comma detected), Excel workbook or SPSS .sav"
    )
    parser.add_argument("--id", required=True, metavar="COL", help="cadre column; must be unique")
    parser.add_argument(
        "--waves",
        required=True,
        type=_wave_list,
        metavar="PRE,POST,FU[,...]",
        help="the wave columns in time order, comma-separated (at least 3)",
    )
    parser.add_argument("--village", metavar="COL", help="village column (nests the cadres)")
    parser.add_argument(
        "--max",
        type=number(above=0, what="the lowest score"),
        metavar="SCORE",
        help="scale maximum: scores must lie in 0..SCORE",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(func=run_waves)


def _wave_list(text: str) -> list[str]:
    """The ``--waves`` value as a list of column names (argparse ``type``).

    Examples
    --------
    >>> _wave_list("pre, post,fu")
    ['pre', 'post', 'fu']
    >>> _wave_list("pre,post")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected at least 3 wave columns, found 2: 'pre,post'
    """
    names = [name.strip() for name in text.split(",")]
    if any(not name for name in names) or len(set(names)) < len(names):
        raise argparse.ArgumentTypeError(f"expected distinct, non-empty column names: {text!r}")
    if len(names) < MIN_WAVES:
        raise argparse.ArgumentTypeError(
            f"expected at least {MIN_WAVES} wave columns, found {len(names)}: {text!r}"
        )
    return names


def _required_text(frame, file: str, column: str, what: str, *, unique: bool = False):
    """The column as stripped text; an error at the first empty (or repeated) cell."""
    import numpy as np

    from analisis.errors import InputError

    values = frame[column].astype(str).str.strip()
    bad = ((values == "") | values.str.lower().isin(["nan", "none"])).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(file, what, row=row + 2, column=column, found="")
    if unique and values.duplicated().any():
        row = int(np.flatnonzero(values.duplicated().to_numpy())[0])
        raise InputError(
            file, f"a unique {what}", row=row + 2, column=column, found=values.iloc[row]
        )
    return values


def read_waves(args: argparse.Namespace):
    """The wide table of ``args.file``: index = cadre id, one float column per wave, village.

    Raises
    ------
    InputError
        A named column is missing, an id is empty or repeated, a village is empty, a
        score is not a number (or outside 0..max), or fewer than 3 cadres have every wave.
    """
    import pandas as pd

    from analisis.errors import InputError
    from analisis.stats.cli import _numbers, read_table
    from analisis.stats.pool_cli import _columns

    frame = read_table(args.file)
    _columns(frame, args.file, [args.id, *args.waves, args.village])
    wide = pd.DataFrame(
        {wave: _numbers(frame, args.file, wave, args.max) for wave in args.waves},
        index=pd.Index(
            _required_text(frame, args.file, args.id, "cadre id", unique=True), name="cadre"
        ),
    )
    if args.village is not None:
        wide["village"] = _required_text(
            frame, args.file, args.village, "a village name"
        ).to_numpy()
    n_complete = int(wide[args.waves].notna().all(axis=1).sum())
    if n_complete < MIN_COMPLETE:
        raise InputError(
            args.file,
            f"at least {MIN_COMPLETE} rows with a score at every wave ({', '.join(args.waves)})",
            found=f"{n_complete} such row(s)",
        )
    return wide


def run_waves(args: argparse.Namespace) -> int:
    """Read the wide table, compute :func:`~analisis.stats.waves.waves_summary`, print it."""
    from analisis.outputs import to_jsonable
    from analisis.stats.waves import waves_summary

    wide = read_waves(args)
    n_unmeasured = int(wide[args.waves].isna().all(axis=1).sum())
    summary = to_jsonable(waves_summary(wide, args.waves, "village" if args.village else None))
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(waves_text(summary))
    notes = list(summary["notes"])
    if n_unmeasured:
        notes.append(f"{n_unmeasured} row(s) without any score left out")
    mixed = summary["mixed_model"]
    if mixed["notes"]:
        # One line for the optimiser's messages (statsmodels repeats one fact many times);
        # their text is in the JSON.
        state = "converged" if mixed["converged"] else "did NOT converge"
        notes.append(
            f"mixed model: {state}; the optimiser left {len(mixed['notes'])} message(s), "
            "in mixed_model.notes of --json"
        )
    for note in notes:
        print(f"analisis: note: {note}", file=sys.stderr)
    return 0


def _p(value) -> str:
    if value is None:
        return "NA"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _p_is(value) -> str:
    """``p = 0.012`` or ``p < 0.001`` in a sentence."""
    text = _p(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _share(count: int, total: int) -> str:
    return f"{count} of {total} ({100 * count / total:.0f}%)" if total else f"{count} of 0"


def waves_text(r: dict) -> str:
    """Readable tables of a waves summary (as from :func:`~analisis.stats.waves.waves_summary`).

    Sections in the order a reader needs them: attrition first, then the complete-case
    tests (labelled as such), retention, and the mixed model of all cadres.
    """
    from analisis.stats.cli import _aligned

    waves = r["waves"]
    lines = [
        f"Waves: {', '.join(waves)}. {r['n_cadres']} cadres measured at least once, "
        f"{r['n_complete']} at every wave (complete cases), {r['n_incomplete']} missing a wave.",
        "",
        "Who was measured at each wave",
    ]
    table = [("village", *waves, "every wave")]
    table += [
        (row["village"] or "all", *(str(row[w]) for w in waves), str(row["complete"]))
        for row in r["attrition"]
    ]
    lines += ["  " + line for line in _aligned(table)]
    lines += ["", "Baseline: cadres measured at every wave against those who missed one"]
    table = [("wave", "n stayed", "mean", "n lost", "mean", "difference", "95% CI", "d")]
    table += [
        (b["wave"], str(b["n_stayed"]), _f(b["mean_stayed"]), str(b["n_lost"]),
         _f(b["mean_lost"]), _f(b["difference"]), _interval_2(b["ci95"]), _f(b["d"]))
        for b in r["baseline"]
    ]  # fmt: skip
    lines += ["  " + line for line in _aligned(table)]
    f, a = r["friedman"], r["rm_anova"]
    lines += [
        "",
        f"Complete cases (n = {r['n_complete']})",
        f"  Friedman: chi²({f['df']}) = {_f(f['chi2'])}, {_p_is(f['p'])}, "
        f"Kendall's W = {_fixed(f['kendall_w'], 3)}",
        f"  Repeated-measures ANOVA: F({a['df1']}, {a['df2']}) = {_f(a['F'])}, {_p_is(a['p'])}, "
        f"generalised eta² = {_fixed(a['ges'], 3)}",
        f"    Mauchly W = {_fixed(a['mauchly_W'], 3)}, {_p_is(a['mauchly_p'])}; "
        f"Greenhouse-Geisser eps = {_fixed(a['eps_gg'], 3)}, {_p_is(a['p_gg'])}; "
        f"Huynh-Feldt eps = {_fixed(a['eps_hf'], 3)}, {_p_is(a['p_hf'])}",
        *([f"    ({a['note']})"] if a["note"] else []),
        "  Pairwise (difference = later - earlier; p Holm-adjusted over the pairs)",
    ]
    table = [("earlier", "later", "difference", "95% CI", "t", "p_t Holm", "V", "p_V Holm",
              "d_z", "d_z 95% CI")]  # fmt: skip
    table += [
        (c["earlier"], c["later"], _f(c["mean_difference"]), _interval_2(c["ci95"]), _f(c["t"]),
         _p(c["p_t_holm"]), _fixed(c["V"], 1), _p(c["p_wilcoxon_holm"]), _f(c["d_z"]),
         _interval_2(c["d_z_ci95"]))
        for c in r["pairwise"]
    ]  # fmt: skip
    lines += ["    " + line for line in _aligned(table)]
    for k in r["retention"]:
        lines.append(
            f"  Retention at {k['wave']}: (follow-up - pre) / (post - pre) as a ratio of means "
            f"{_f(k['ratio_of_means'])}, median per cadre {_f(k['median_retention'])}; kept at "
            f"least {k['kept_share']:.0%} of their gain: {_share(k['n_kept'], k['n_with_gain'])}; "
            f"back at or below baseline: {_share(k['n_at_baseline'], k['n_with_gain'])}"
            + (f"; {k['n_no_gain']} without a gain left out" if k["n_no_gain"] else "")
        )
    m = r["mixed_model"]
    nested = " and per village" if m["n_villages"] else ""
    lines += [
        "",
        f"All cadres ({m['n_cadres']}, {m['n_observations']} scores): linear mixed model, wave "
        f"as a factor, random intercept per cadre{nested}, REML; valid if missing at random"
        + ("" if m["converged"] else "  (NOT CONVERGED)"),
    ]
    table = [("wave", "n", "model mean", "95% CI")]
    table += [
        (w["wave"], str(m["n_by_wave"][w["wave"]]), _f(w["estimate"]), _interval_2(w["ci95"]))
        for w in m["means"]
    ]
    table += [
        (f"{d['later']} - {d['earlier']}", "", _f(d["estimate"]), _interval_2(d["ci95"]))
        for d in m["differences"]
    ]
    lines += ["  " + line for line in _aligned(table)]
    variances = f"  variances: cadre {_f(m['tau2_cadre'])}"
    if m["n_villages"]:
        variances += f", village {_f(m['tau2_village'])}"
    lines.append(variances + f", residual {_f(m['sigma2'])}")
    return "\n".join(lines)
