"""The ``analisis`` command: the package's functions without Snakemake.

Each family of methods registers its own sub-commands (``add_parsers``) so that this
module only assembles them and turns :class:`~analisis.errors.AnalisisError` into one
clear message on stderr and exit status 2, any other exception into one line saying it is
a bug (exit status 3; the traceback with ``--debug``), and a closed pipe (``| head``) into
a quiet end. A sub-command is one line of
:data:`COMMANDS`; its module is imported only when that command runs (or for
``--help``), and imports its numerical libraries only inside the command, so that
``analisis grim`` starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys

#: Sub-command -> module whose ``add_parsers(subparsers)`` registers it (and sets ``func``).
COMMANDS = {
    "paired": "analisis.stats.cli",
    "grim": "analisis.review.cli",
    "review": "analisis.review.cli",
    "meta": "analisis.stats.pool_cli",
    "pool": "analisis.stats.pool_cli",
    "waves": "analisis.stats.waves_cli",
    "verify": "analisis.report.verify_cli",
    "record-code": "analisis.report.verify_cli",
    "plan": "analisis.stats.plan_cli",
    "init": "analisis.init_cli",
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors read ``analisis: error: ...`` (exit status 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"analisis: error: {message}\n")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with the sub-command ``argv`` names (all without one)."""
    parser = _Parser(
        prog="analisis", description="Statistics for health-cadre training evaluations."
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    words = [word for word in argv or [] if not word.startswith("-")][:1]  # after --debug
    named = [COMMANDS[word] for word in words if word in COMMANDS]
    for name in dict.fromkeys(named or COMMANDS.values()):
        importlib.import_module(name).add_parsers(subparsers)
    return parser


def number(kind: type = float, *, above=None, at_least=None, below=None, what: str = ""):
    """An argparse ``type`` for a finite number within bounds; the message says which.

    ``above``/``below`` are strict bounds, ``at_least`` an inclusive one; ``what``
    explains a bound in words (e.g. "the lowest score").

    Examples
    --------
    >>> alpha = number(above=0, below=1)
    >>> alpha("0.05")
    0.05
    >>> alpha("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number above 0 and below 1, found '1'
    """
    noun = "a whole number" if kind is int else "a number"
    bounds = [f"above {above:g}"] if above is not None else []
    bounds += [f"of at least {at_least:g}"] if at_least is not None else []
    bounds += [f"below {below:g}"] if below is not None else []
    expected = " and ".join([f"{noun} {bounds[0]}", *bounds[1:]]) if bounds else noun
    expected += f" ({what})" if what else ""

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = math.nan
        if not (
            math.isfinite(value)
            and (above is None or value > above)
            and (at_least is None or value >= at_least)
            and (below is None or value < below)
        ):
            raise argparse.ArgumentTypeError(f"expected {expected}, found {text!r}")
        return value

    convert.__name__ = noun  # argparse names the type in some messages
    return convert


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 3 a bug).

    A reader that closes the pipe early (``analisis pool ... | head``) ends the command
    quietly, as Python's documentation on SIGPIPE recommends: stdout is pointed at
    /dev/null so that the interpreter's final flush cannot fail again.
    """
    from analisis.errors import AnalisisError, internal_error_line

    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()
        return status
    except AnalisisError as error:
        print(f"analisis: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        if args.debug:
            import traceback

            traceback.print_exc()
        print(internal_error_line(error, "run with --debug to see where"), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
