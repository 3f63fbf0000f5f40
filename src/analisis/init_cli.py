"""``analisis init FOLDER``: a draft config and draft instruments from a folder of exports.

The logic is :mod:`analisis.draft`; this module checks where the draft may go, writes
it, and prints, in the chosen language, what it wrote and the few things it could not
decide. It never writes into ``data/raw/`` or the exports' folder, and never over an
existing file without ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analisis.atomic import atomic_path
from analisis.errors import InputError

DEFAULT_OUT = "config/study.yaml"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register ``init``."""
    parser = subparsers.add_parser(
        "init",
        help="write a draft config from a folder of exports",
        description="Write a draft config (one cohort per village subfolder) and draft "
        "instruments with the questions and checklist steps found; the answer key and the "
        "step maxima are left for you to fill.",
    )
    parser.add_argument("folder", help="the exports: one subfolder per village, or one folder")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"the config (default {DEFAULT_OUT})")
    parser.add_argument("--lang", choices=("id", "en"), default="en", help="language of messages")
    parser.add_argument("--force", action="store_true", help="overwrite an existing draft")
    parser.set_defaults(func=run_init)


def check_destination(paths: list[Path], folder: Path, root: Path, force: bool) -> None:
    """Refuse a destination inside ``data/raw/`` or the exports' folder, or one that exists.

    Raises
    ------
    InputError
        Naming the path and what was expected.
    """
    raw = [(root / "data" / "raw").resolve(), folder.resolve()]
    for path in paths:
        resolved = path.resolve()
        if any(resolved == r or r in resolved.parents for r in raw):
            raise InputError(
                str(path),
                "a place outside data/raw/ and the exports' folder (raw files are never written)",
                found="a path inside it",
            )
        if path.exists() and not force:
            raise InputError(
                str(path), "no existing file (give --force to overwrite it)", found="one"
            )


def run_init(args: argparse.Namespace) -> int:
    """Write the draft; print what was written and what to check."""
    from analisis.draft import build_draft, instrument_csv, shown_path
    from analisis.text import say

    root, folder, out = Path.cwd(), Path(args.folder), Path(args.out)
    # Where it would write is checked before any export is read.
    check_destination([out], folder, root, args.force)
    draft = build_draft(folder, out, root)
    check_destination(list(draft.instruments), folder, root, args.force)
    for path, rows in draft.instruments.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(instrument_csv(rows), encoding="utf-8", newline="\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        tmp.write_text(draft.config, encoding="utf-8", newline="\n")
    lang = args.lang
    print(say("init.wrote", lang, file=shown_path(out, root)))
    for path, rows in sorted(draft.instruments.items()):
        print(say("init.wrote_instrument", lang, file=shown_path(path, root), n=len(rows) - 1))
    if draft.notes:
        print(say("init.undecided", lang))
        for note in draft.notes:
            print("  - " + say(f"init.{note.code}", lang, **note.values))
    print(say("init.next", lang, file=shown_path(out, root)))
    return 0
