"""``analisis grim`` and ``analisis review``: checking published numbers from the command line.

GRIM and GRIMMER are exact arithmetic on the standard library; the review's libraries
(yaml, pandas, scipy) are imported only by ``analisis review``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from analisis.cli import number
from analisis.errors import ConfigError, InputError
from analisis.review.grim import ROUNDING_MODES, grim, possible_n
from analisis.review.grimmer import grimmer

_COMMAND_LINE = "command line"


def add_parsers(subparsers) -> None:
    """Register the ``grim`` and ``review`` sub-commands on ``subparsers``."""
    parser = subparsers.add_parser(
        "grim",
        help="is a printed mean (and SD) possible for n scores on a grid? (GRIM, GRIMMER)",
        description=(
            "GRIM (Brown & Heathers 2017): is MEAN, as printed (its decimals count), the "
            "rounded mean of N scores that are averages of K integer items or multiples of "
            "STEP? With --sd, GRIMMER (Anaya 2016; Allard 2018) tests the sample SD too. "
            "Ties are rounded half up unless --rounding says otherwise; the half-even "
            "verdict is always reported."
        ),
    )
    parser.add_argument("--mean", required=True, help='the mean as printed, e.g. "99.50"')
    count = number(int, at_least=1)
    parser.add_argument("--n", required=True, type=count, help="number of scores")
    parser.add_argument("--items", type=count, default=1, help="items averaged per score")
    parser.add_argument("--step", default="1", help='grid step of a score, e.g. 4 or "100/36"')
    parser.add_argument("--sd", help="the SD as printed (GRIMMER)")
    parser.add_argument("--min", type=number(), dest="score_min", help="lowest possible score")
    parser.add_argument("--max", type=number(), dest="score_max", help="highest possible score")
    parser.add_argument("--rounding", choices=ROUNDING_MODES, default="half_up")
    parser.add_argument(
        "--window", type=number(int, at_least=0), default=5, help="look for possible n in n ± W"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run_grim)

    parser = subparsers.add_parser(
        "review",
        help="check a paper's printed numbers from a YAML file with a published: block",
        description=(
            "Reads only a published: block (no raw data), tests every printed mean (GRIM) "
            "and searches the data sets consistent with the printed pre/post means "
            "(SPRITE-style) for the range of the paired t-test; prints a readable summary."
        ),
    )
    parser.add_argument("file", help="YAML file with a top-level published: block")
    parser.add_argument("--lang", choices=("id", "en"), default="en")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the summary")
    parser.add_argument(
        "--seed", type=number(int, at_least=0), help="seed of the search (default from the file)"
    )
    parser.add_argument("--n-samples", type=count, help="data sets to draw (default 2000)")
    parser.add_argument(
        "--time-limit", type=number(above=0), help="seconds for the search (default 8)"
    )
    parser.set_defaults(func=run_review)


def _grim_dict(args: argparse.Namespace) -> dict:
    bounds = {"score_min": args.score_min, "score_max": args.score_max}
    if None not in bounds.values() and args.score_max <= args.score_min:
        raise InputError(
            _COMMAND_LINE, f"--max above --min ({args.score_min:g})", found=f"{args.score_max:g}"
        )
    try:
        result = grim(
            args.mean, args.n, items=args.items, step=args.step, rounding=args.rounding, **bounds
        )
        document = result.to_dict()
        document["possible_n"] = possible_n(
            args.mean, args.n, window=args.window, items=args.items, step=args.step,
            rounding=args.rounding, **bounds,
        )  # fmt: skip
        if args.sd is not None:
            document.update(
                grimmer(
                    args.mean, args.sd, args.n, items=args.items, step=args.step,
                    rounding=args.rounding, **bounds,
                ).to_dict()
            )  # fmt: skip
    except (TypeError, ValueError) as error:
        raise InputError(
            _COMMAND_LINE, "valid --mean, --sd, --n, --items, --step, --min and --max",
            found=str(error),
        ) from None  # fmt: skip
    return document


def grim_text(document: dict) -> str:
    """Plain-English lines for ``analisis grim`` without ``--json``.

    Examples
    --------
    >>> print(grim_text({"mean": "99.50", "n": 23, "items": 1, "step": "1", "decimals": 2,
    ...                  "consistent": False, "nearest": [99.48, 99.52], "rounding": "half_up",
    ...                  "consistent_half_even": False, "possible_n": [22, 24]}))
    99.50 with n = 23 (scores in steps of 1, 1 item(s), 2 decimals, rounded half_up): IMPOSSIBLE.
    Nearest possible means: 99.48 (below) and 99.52 (above).
    Possible with n = 22, 24.
    Half-even rounding gives the same verdict.
    """
    verdict = "consistent" if document["consistent"] else "IMPOSSIBLE"
    lines = [
        f"{document['mean']} with n = {document['n']} (scores in steps of {document['step']}, "
        f"{document['items']} item(s), {document['decimals']} decimals, rounded "
        f"{document['rounding']}): {verdict}."
    ]
    below, above = document["nearest"]
    lines.append(f"Nearest possible means: {below} (below) and {above} (above).")
    if not document["consistent"]:
        possible = ", ".join(str(n) for n in document["possible_n"]) or "none nearby"
        lines.append(f"Possible with n = {possible}.")
    if document["consistent_half_even"] == document["consistent"]:
        lines.append("Half-even rounding gives the same verdict.")
    else:
        other = "consistent" if document["consistent_half_even"] else "IMPOSSIBLE"
        lines.append(f"Half-even rounding changes the verdict: {other}.")
    if "grimmer_consistent" in document:
        sd_verdict = "consistent" if document["grimmer_consistent"] else "IMPOSSIBLE"
        lines.append(f"SD {document['sd']} (GRIMMER): {sd_verdict} ({document['grimmer_reason']}).")
    return "\n".join(lines)


def run_grim(args: argparse.Namespace) -> int:
    """Print the GRIM (and GRIMMER) verdict; exit 0 whatever the verdict."""
    document = _grim_dict(args)
    if args.json:  # plain str, int, float, bool and lists: no conversion needed
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(grim_text(document))
    return 0


def stderr_progress(after_s: float = 2.0) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that reports on stderr once a run takes long."""
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        if elapsed >= after_s:
            print(
                f"analisis: robustness: {done}/{total} data sets ({elapsed:.1f} s)",
                file=sys.stderr,
            )

    return report


def read_published_file(path: str) -> dict:
    """Load the ``published:`` mapping of a YAML file.

    Raises
    ------
    InputError
        The file is missing or is not YAML.
    ConfigError
        There is no top-level ``published:`` mapping.
    """
    import yaml

    file = Path(path)
    if not file.is_file():
        raise InputError(path, "an existing YAML file", found="no such file")
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError(path, "a YAML file", found=str(error).splitlines()[0]) from None
    if not isinstance(document, dict) or "published" not in document:
        raise ConfigError(f"{path}: key 'published': expected a top-level published: block")
    return document["published"]


def run_review(args: argparse.Namespace) -> int:
    """Check the printed numbers and print the summary (or JSON)."""
    from analisis.outputs import to_jsonable
    from analisis.review.published import parse_published, published_check, published_check_json
    from analisis.review.robustness import robustness
    from analisis.review.summary import review_summary

    block = parse_published(read_published_file(args.file), file=args.file)
    check = published_check(block)
    robust = None
    if block.value("pre_mean") is not None and block.value("post_mean") is not None:
        robust = robustness(
            block,
            seed=args.seed,
            n_samples=args.n_samples,
            time_limit_s=args.time_limit,
            progress=stderr_progress(),
        )
    if args.json:
        document = {
            "published_check": published_check_json(check, block),
            "robustness": robust,
        }
        print(json.dumps(to_jsonable(document), indent=2, ensure_ascii=False))
    else:
        print(
            review_summary(
                check, robust, lang=args.lang, source=block.source, rounding=block.rounding
            )
        )
    return 0
