"""The command line ``python -m analisis.synth``: the bundled study, a programme, a follow-up.

Without ``--villages`` it writes the bundled study (:func:`analisis.synth.paper.generate`);
with ``--villages N`` a fictitious programme (:func:`analisis.synth.programme.generate`),
and with ``--follow-up`` that programme with a delayed test
(:func:`analisis.synth.waves.generate`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from analisis.synth import paper, programme, waves
from analisis.synth.common import SEED


def parser() -> argparse.ArgumentParser:
    """The command's arguments: ``--out``, ``--instruments``, ``--seed``, ``--villages`` ...

    Examples
    --------
    >>> parser().parse_args(["--villages", "3", "--out", "p"]).villages
    3
    """
    result = argparse.ArgumentParser(
        prog="python -m analisis.synth",
        description="Write the RECONSTRUCTED Kampung Delima raw exports and instruments, or "
        "with --villages a FICTITIOUS programme of many villages with a ready config.yaml.",
    )
    result.add_argument("--out", type=Path, required=True, help="folder for the raw exports")
    result.add_argument(
        "--instruments", type=Path, help="folder for the instruments (bundled study only)"
    )
    result.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    result.add_argument(
        "--villages",
        type=int,
        help="write a programme of this many villages (instruments go to OUT/instruments)",
    )
    result.add_argument(
        "--follow-up",
        action="store_true",
        help="with --villages (default 2): add a GENERATED delayed post-test three months "
        "on to every village, with decay and informative dropout (analisis.synth.waves)",
    )
    result.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="with --villages: the repository root where snakemake runs (default: the "
        "current directory). Snakemake resolves config paths from there and the workflow "
        "expects files inside the project, so keep OUT inside it (e.g. data/raw/programme): "
        "OUT/config.yaml then names files relative to ROOT; an OUT outside gets absolute "
        "paths",
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Write what the arguments ask for and print each top-level path written.

    ``python -m analisis.synth --out DIR --instruments DIR [--seed S]`` writes the
    bundled study; ``python -m analisis.synth --villages N --out DIR [--seed S]
    [--root DIR]`` writes :func:`analisis.synth.programme.generate`'s programme, and
    with ``--follow-up`` :func:`analisis.synth.waves.generate`'s (a delayed post-test).
    """
    arguments = parser()
    args = arguments.parse_args(argv)
    if args.follow_up:
        villages = 2 if args.villages is None else args.villages
        if villages < 1:
            arguments.error("--villages must be at least 1")
        paths = waves.generate(args.out, villages, args.seed, args.root)
    elif args.villages is not None:
        if args.villages < 1:
            arguments.error("--villages must be at least 1")
        paths = programme.generate(args.out, args.villages, args.seed, args.root)
    elif args.instruments is None:
        arguments.error("--instruments is required without --villages")
    else:
        paths = paper.generate(args.out, args.instruments, args.seed)
    for path in paths:
        print(path)
    return 0
