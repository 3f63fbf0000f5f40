"""``analisis verify``: does this checkout's run reproduce the reference manifest?

For a reviewer after ``make``: ``make verify`` (or ``analisis verify``) lists every file
that differs from ``reference/MANIFEST.sha256``, is missing, or was made but is not in the
reference, and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analisis.errors import InputError

#: The bundled study's outputs as committed: what a fresh run must reproduce.
REFERENCE = "reference/MANIFEST.sha256"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register ``verify``."""
    parser = subparsers.add_parser(
        "verify",
        help="compare a run's outputs with the reference manifest",
        description="List every output that differs from the reference manifest "
        "(exit status 1 when one does).",
    )
    parser.add_argument("reference", nargs="?", default=REFERENCE, help=f"default {REFERENCE}")
    parser.add_argument("--root", default=".", help="the project folder (default: here)")
    parser.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    """Print the comparison; 0 when every file reproduces the reference, else 1."""
    from analisis.report.manifest import compare_to_reference, read_manifest

    reference = Path(args.reference)
    if not reference.is_file():
        raise InputError(str(reference), "a manifest of sha256sum lines", found="no such file")
    differences = compare_to_reference(reference, args.root)
    if not differences:
        count = len(read_manifest(reference.read_text(encoding="utf-8")))
        print(f"All {count} files reproduce {reference} byte for byte.")
        return 0
    print(f"{len(differences)} file(s) do not reproduce {reference}:")
    width = max(len(how) for _, how in differences)
    for name, how in differences:
        print(f"  {how:<{width}}  {name}")
    return 1
