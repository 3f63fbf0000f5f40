"""``analisis plan``: sample sizes, power and the draw of villages for the next wave.

``plan paired`` (one group, pre/post), ``plan villages`` (k villages × m cadres) and
``plan sample`` (draw the villages from a frame). Readable tables by default, the result
types of :mod:`analisis.results` as JSON with ``--json``. Only argparse is imported at
start-up; scipy when a sub-command runs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from analisis.cli import number
from analisis.config import DEFAULTS

# Same as analisis.stats.plan.ALTERNATIVES, repeated so start-up imports no scipy.
ALTERNATIVES = ("two-sided", "greater", "less")

#: The config schema's planning block: its alpha and assurance are the defaults here too.
PLANNING = DEFAULTS["planning"]
_POSITIVE = number(above=0)
_PROBABILITY = number(above=0, below=1)


def add_parsers(subparsers) -> None:
    """Register ``plan`` and its sub-commands ``paired``, ``villages``, ``sample``."""
    group = subparsers.add_parser(
        "plan",
        help="plan the next wave: sample size, power, half-width, the draw of villages",
        description=f"Plan the next wave. Tests are two-sided at alpha {PLANNING['alpha']:g} "
        "unless --alpha or --alternative say otherwise, as in R's pwr.",
    )
    commands = group.add_subparsers(dest="plan_command", required=True)
    _add_paired(commands)
    _add_villages(commands)
    _add_sample(commands)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--alpha", type=_PROBABILITY, default=PLANNING["alpha"], help="default %(default)s"
    )
    parser.add_argument("--alternative", choices=ALTERNATIVES, default="two-sided")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _add_paired(commands) -> None:
    parser = commands.add_parser(
        "paired",
        help="one group, pre/post: n, power or d of the paired t-test; n for a half-width",
        description="Give two of --n, --d, --power and get the third (exact noncentral t, "
        "as pwr.t.test(type = 'paired')), with the Wilcoxon signed-rank test's n by its "
        "ARE; or --halfwidth and --sd for the n whose 95%% interval of the mean gain is no "
        "wider with probability --assurance (Kupper & Hafner 1989).",
    )
    parser.add_argument("--n", type=number(at_least=2), help="pairs")
    parser.add_argument("--d", type=float, help="effect d_z = mean gain / SD of the gains")
    parser.add_argument("--power", type=_PROBABILITY)
    parser.add_argument("--halfwidth", type=float, metavar="POINTS", help="target half-width")
    parser.add_argument("--sd", type=float, metavar="POINTS", help="SD of the gains")
    parser.add_argument(
        "--assurance",
        type=_PROBABILITY,
        default=PLANNING["assurance"],
        help="default %(default)s",
    )
    parser.add_argument(
        "--simulate",
        type=number(int, at_least=100),
        metavar="N",
        help="confirm the Wilcoxon n by N simulated samples",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of --simulate")
    _common(parser)
    parser.set_defaults(func=run_paired)


def _add_villages(commands) -> None:
    parser = commands.add_parser(
        "villages",
        help="k villages x m cadres: half-width, power, villages or cadres needed",
        description="Leave out the quantity to solve for: --villages (per arm with "
        "--difference) or --cadres. Variances from --from pooled.json, or --sigma2 with "
        "--tau2 or --icc. See docs/statistics.md, 'Planning'.",
    )
    parser.add_argument(
        "--from",
        dest="pooled",
        metavar="POOLED_JSON",
        help="take sigma² and tau² from a run's reports/tables/pooled.json",
    )
    parser.add_argument("--sigma2", type=_POSITIVE, help="within-village variance of the gain")
    parser.add_argument("--tau2", type=number(at_least=0), help="between-village variance")
    parser.add_argument("--icc", type=float, help="ICC instead of --tau2: tau² = ICC·σ²/(1-ICC)")
    parser.add_argument("--villages", type=number(at_least=2), metavar="K")
    parser.add_argument("--cadres", type=number(at_least=1), metavar="M", help="per village")
    parser.add_argument("--halfwidth", type=float, metavar="POINTS")
    parser.add_argument(
        "--assurance",
        type=_assurance,
        default=PLANNING["assurance"],
        help="plan the half-width not exceeded with this probability (default %(default)s; "
        "'none': with the SD taken as known)",
    )
    parser.add_argument("--power", type=_PROBABILITY)
    parser.add_argument("--mean-gain", type=float, metavar="POINTS")
    parser.add_argument("--target-gain", type=float, metavar="POINTS")
    parser.add_argument("--difference", type=float, metavar="POINTS", help="between two arms")
    parser.add_argument("--cost-village", type=_POSITIVE, metavar="COST")
    parser.add_argument("--cost-cadre", type=_POSITIVE, metavar="COST")
    _common(parser)
    parser.set_defaults(func=run_villages)


def _assurance(text: str) -> float | None:
    """An assurance in (0, 1), or ``none`` (the half-width with the SD taken as known)."""
    return None if text.strip().lower() == "none" else _PROBABILITY(text)


def _add_sample(commands) -> None:
    parser = commands.add_parser(
        "sample",
        help="draw k villages from a frame, with inclusion probabilities and weights",
        description="Simple random or stratified (proportional allocation, largest "
        "remainder) sample of villages; with --size, probability proportional to size. "
        "Seeded: the same frame and seed give the same sample.",
    )
    parser.add_argument("frame", help="CSV or Excel workbook (first sheet), one row per village")
    parser.add_argument("--village", required=True, metavar="COL")
    parser.add_argument("--stratum", metavar="COL", help="e.g. district")
    parser.add_argument("--size", metavar="COL", help="draw proportional to this size")
    parser.add_argument("--villages", required=True, type=number(int, at_least=1), metavar="K")
    parser.add_argument("--seed", required=True, type=int)
    parser.add_argument("--out", metavar="FILE", help="write the sample as CSV")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run_sample)


def _print(result, as_json: bool, table) -> None:
    """A result type as JSON (its ``to_dict``; plain floats, so pandas stays unimported) or
    as ``table(result)``."""
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(table(result))


def run_paired(args: argparse.Namespace) -> int:
    """Solve the paired plan and print it."""
    from analisis.stats.planning import paired_plan

    result = paired_plan(
        n=args.n, d=args.d, power=args.power, halfwidth=args.halfwidth, sd=args.sd,
        assurance=args.assurance, alpha=args.alpha, alternative=args.alternative,
        simulations=args.simulate, seed=args.seed,
    )  # fmt: skip
    _print(result, args.json, format_paired)
    return 0


def _variances(args: argparse.Namespace):
    """(σ², τ², τ² upper or None, source) from --from or the options."""
    from analisis.errors import InputError
    from analisis.stats.plan import ImpossiblePlan, tau2_from_icc
    from analisis.stats.planning import variances_from_pooled

    if args.pooled is not None:
        if any(v is not None for v in (args.sigma2, args.tau2, args.icc)):
            raise ImpossiblePlan("give --from or --sigma2 with --tau2/--icc, not both")
        try:
            with open(args.pooled, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise InputError(args.pooled, "a readable pooled.json", found=error.strerror) from None
        except json.JSONDecodeError as error:
            raise InputError(args.pooled, "JSON", row=error.lineno, found=error.msg) from None
        if not isinstance(data, dict) or data.get("mixed_gain") is None:
            raise InputError(args.pooled, "pooled.json with a 'mixed_gain' block", found="none")
        return (*variances_from_pooled(data, args.pooled), "pooled")
    if args.sigma2 is None or (args.tau2 is None) == (args.icc is None):
        raise ImpossiblePlan("give --from POOLED_JSON, or --sigma2 with one of --tau2, --icc")
    tau2 = args.tau2 if args.tau2 is not None else tau2_from_icc(args.icc, args.sigma2)
    return args.sigma2, tau2, None, "options"


def run_villages(args: argparse.Namespace) -> int:
    """Answer the village question and print it, with τ²'s upper end when known."""
    from analisis.stats.planning import assumptions, with_sensitivity

    sigma2, tau2, upper, source = _variances(args)
    options = {"alpha": args.alpha, "alternative": args.alternative, "assurance": args.assurance}
    primary = assumptions(source, sigma2, tau2, **options)
    others = [] if upper is None else [assumptions("tau2_upper", sigma2, upper, **options)]
    question = {
        "villages": args.villages, "cadres": args.cadres, "halfwidth": args.halfwidth,
        "power": args.power, "mean_gain": args.mean_gain, "target_gain": args.target_gain,
        "difference": args.difference, "cost_village": args.cost_village,
        "cost_cadre": args.cost_cadre,
    }  # fmt: skip
    _print(with_sensitivity(question, primary, others), args.json, format_villages)
    return 0


def read_frame(args: argparse.Namespace):
    """The sampling frame: named columns present, villages non-empty and unique, sizes > 0."""
    import numpy as np

    from analisis.errors import InputError
    from analisis.stats.cli import _numbers, read_table
    from analisis.stats.pool_cli import _columns

    frame = read_table(args.frame)
    _columns(frame, args.frame, (args.village, args.stratum, args.size))
    for column in filter(None, (args.village, args.stratum)):
        frame[column] = frame[column].astype(str).str.strip()
        empty = np.flatnonzero((frame[column] == "").to_numpy())
        if empty.size:
            raise InputError(args.frame, "a name", row=int(empty[0]) + 2, column=column, found="")
    repeated = np.flatnonzero(frame[args.village].duplicated().to_numpy())
    if repeated.size:
        i = int(repeated[0])
        raise InputError(args.frame, "each village once", row=i + 2, column=args.village,
                         found=f"{frame[args.village].iloc[i]} again")  # fmt: skip
    if args.size is not None:
        sizes = _numbers(frame, args.frame, args.size, None)
        bad = np.flatnonzero(~(sizes > 0))
        if bad.size:
            i = int(bad[0])
            raise InputError(args.frame, "a size above 0", row=i + 2, column=args.size,
                             found=str(frame[args.size].iloc[i]))  # fmt: skip
        frame[args.size] = sizes
    return frame


def run_sample(args: argparse.Namespace) -> int:
    """Draw the villages; print them and write --out."""
    from analisis.errors import InputError
    from analisis.outputs import to_jsonable, write_csv
    from analisis.stats.plan import ImpossiblePlan
    from analisis.stats.village_sample import draw_villages

    frame = read_frame(args)
    try:
        sample = draw_villages(
            frame, args.villages, seed=args.seed, village=args.village,
            stratum=args.stratum, size=args.size,
        )  # fmt: skip
    except ImpossiblePlan as error:
        raise InputError(args.frame, "strata large enough for the allocation",
                         column=args.stratum, found=str(error)) from None  # fmt: skip
    if args.stratum:
        for name in sorted(set(frame[args.stratum]) - set(sample[args.stratum])):
            print(f"analisis: note: stratum {name!r} gets no village in proportion to its size "
                  "(its villages have inclusion probability 0)", file=sys.stderr)  # fmt: skip
    if args.out:
        write_csv(sample, args.out)
    if args.json:
        records = to_jsonable(sample.to_dict("records"))
        print(json.dumps(records, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(sample.to_string(index=False))
    return 0


def _value(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    return f"{value:.{digits}f}"


def format_paired(p) -> str:
    """Readable text of a :class:`~analisis.results.PairedPlan`."""
    lines = [f"Paired plan ({p.method}; alpha {p.alpha:g}, {p.alternative})", ""]
    for name in ("n", "d", "power", "halfwidth", "sd", "assurance"):
        value = getattr(p, name)
        if value is not None:
            mark = "  <- solved" if name == p.solved else ""
            lines.append(f"  {name:<10} {_value(value, 6)}{mark}")
    if p.planned is not None:
        lines += ["", f"Plan {p.planned} pairs."]
    for w in p.wilcoxon:
        lines.append(f"Wilcoxon signed-rank, ARE {w.are:.4f} ({w.are_name}): n {w.n:.2f}, "
                     f"plan {w.planned} pairs.")  # fmt: skip
    if p.wilcoxon_power_simulated is not None:
        lines.append(f"Simulated power of the Wilcoxon test at {p.wilcoxon[0].planned} pairs: "
                     f"{p.wilcoxon_power_simulated:.3f} ({p.simulations} samples, "
                     f"seed {p.seed}).")  # fmt: skip
    return "\n".join(lines)


_VILLAGE_ROWS = (
    ("villages", "villages (k)"), ("villages_per_arm", "villages per arm (k)"),
    ("cadres", "cadres per village (m)"), ("cadres_optimal", "cost-optimal m*"),
    ("halfwidth", "95% half-width"), ("halfwidth_assured", "half-width at assurance"),
    ("power", "power"), ("design_effect", "design effect"),
    ("effective_sample_size", "effective sample size"), ("cost", "total cost"),
)  # fmt: skip


def format_villages(p) -> str:
    """Readable table of a :class:`~analisis.results.VillagePlan` and its sensitivity."""
    plans = (p, *p.sensitivity)
    names = [q.assumptions.source for q in plans]
    width = max(12, *map(len, names))
    lines = [f"  {'':26}" + "".join(f"{n:>{width + 2}}" for n in names)]
    for label, row in (("sigma²", "sigma2"), ("tau²", "tau2"), ("ICC", "icc")):
        lines.append(f"  {label:26}" + "".join(
            f"{_value(getattr(q.assumptions, row)):>{width + 2}}" for q in plans))  # fmt: skip
    for key, label in _VILLAGE_ROWS:
        if getattr(p, key) is None:
            continue
        mark = " *" if key == p.solved else ""
        lines.append(f"  {label + mark:26}" + "".join(
            f"{_value(getattr(q, key)):>{width + 2}}" for q in plans))  # fmt: skip
    a = p.assumptions
    lines.append("")
    if p.test:
        lines.append(f"test: {p.test} t on village means, alpha {a.alpha:g}, {a.alternative}")
    if a.assurance is not None:
        lines.append(f"assurance of the half-width: {a.assurance:g}")
    if p.planned is not None:
        plans_text = ", ".join(f"{q.assumptions.source} {q.planned}" for q in plans)
        lines.append(f"* solved; plan ({p.solved}): {plans_text}")
    return "\n".join(lines)
