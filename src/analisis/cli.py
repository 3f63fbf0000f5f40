"""The ``analisis`` command: the package's functions without Snakemake.

Each family of methods registers its own sub-commands (``add_parsers``) so that this
module only assembles them and turns :class:`~analisis.errors.AnalisisError` into one
clear message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Modules that define ``add_parsers(subparsers)``; each sub-command sets ``func``.
COMMAND_MODULES = (
    "analisis.stats.cli",
    "analisis.stats.pool_cli",
    "analisis.review.cli",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available sub-command."""
    parser = argparse.ArgumentParser(
        prog="analisis", description="Statistics for health-cadre training evaluations."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parsers(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    from analisis.errors import AnalisisError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnalisisError as error:
        print(f"analisis: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
