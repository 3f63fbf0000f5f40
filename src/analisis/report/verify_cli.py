"""``analisis verify``: does this checkout's run reproduce the reference manifest?

For a reviewer after ``make``: ``make verify`` (or ``analisis verify``) lists every file
that differs from ``reference/MANIFEST.sha256``, is missing, or was made but is not in the
reference, and exits 1 when there is one. In a folder that is neither a git checkout nor
a git archive, the reports' footer cannot name the reference's commit: two reports that
differ only there are said to, apart from the real differences (:func:`commit_line_only`).

``analisis record-code`` (run by ``make reference``) records the commit and code files
the reference was made from, which a git archive of a later commit compares its code
with (:mod:`analisis.report.provenance`).
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
    record = subparsers.add_parser(
        "record-code",
        help="record the commit and code files a reference run was made from",
        description="Write CODE_COMMIT and CODE.sha256 (the code files of a clean git "
        "checkout) into a folder, so that a git archive of a later commit can tell that "
        "its code is the reference's (make reference does this).",
    )
    record.add_argument("checkout", help="the clean checkout the reference ran in")
    record.add_argument("folder", nargs="?", default="reference", help="default reference")
    record.set_defaults(func=run_record_code)


def run_record_code(args: argparse.Namespace) -> int:
    """Write the code record of ``args.checkout`` into ``args.folder``."""
    from analisis.report.provenance import write_code_record

    write_code_record(args.checkout, args.folder)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Print the comparison; 0 when every file reproduces the reference, else 1."""
    from analisis.report.manifest import compare_to_reference, read_manifest

    reference = Path(args.reference)
    if not reference.is_file():
        raise InputError(str(reference), "a manifest of sha256sum lines", found="no such file")
    differences = compare_to_reference(reference, args.root)
    expected = read_manifest(reference.read_text(encoding="utf-8"))
    explained = commit_line_only(differences, expected, args.root)
    commit_only = {name for name, _ in explained}
    differences = [(name, how) for name, how in differences if name not in commit_only]
    if not differences:
        count = len(expected) - len(explained)
        print(f"All {count} files reproduce {reference} byte for byte.")
    else:
        print(f"{len(differences)} file(s) do not reproduce {reference}:")
        width = max(len(how) for _, how in differences)
        for name, how in differences:
            print(f"  {how:<{width}}  {name}")
    if explained:
        print(
            f"{len(explained)} report(s) differ only in the footer's commit line: this folder "
            "is neither a git checkout nor a git archive that records its commit, so the "
            f"footer says so where the reference names {explained[0][1]}. With that line "
            "set to it they reproduce the reference byte for byte:"
        )
        for name, _ in explained:
            print(f"  {name}")
    changed_code = code_differences(args.root) if differences else []
    if changed_code:
        print(
            f"{len(changed_code)} code file(s) are not those the reference was made from "
            "(reference/CODE.sha256):"
        )
        width = max(len(how) for _, how in changed_code)
        for name, how in changed_code:
            print(f"  {how:<{width}}  {name}")
    return 1 if differences else 0


def code_differences(root: str) -> list[tuple[str, str]]:
    """Code files of ``root`` that differ from or are missing against the reference's
    record of its code (:data:`CODE_RECORD`); empty without a record.

    Why a run does not reproduce the reference, when its code is not the reference's.
    """
    from analisis.report.manifest import compare_to_reference
    from analisis.report.provenance import CODE_RECORD

    record = Path(root) / CODE_RECORD
    if not record.is_file():
        return []
    # The record stands for this run's manifest too: no file is "not in the reference".
    return compare_to_reference(record, root, manifest=CODE_RECORD)


def commit_line_only(
    differences: list[tuple[str, str]], expected: dict[str, str], root: str
) -> list[tuple[str, str]]:
    """The differing reports that match the reference once their footer names its commit.

    Only where the folder knows no commit at all (:func:`source_state`) and the reference
    records the commit of its code (:data:`CODE_COMMIT`): the footer's placeholder text is
    replaced by that commit, as the template prints it, and the bytes hashed again.
    Returns ``[(path, commit), ...]``.
    """
    from markupsafe import escape

    from analisis.provenance import sha256_bytes
    from analisis.report.provenance import CODE_COMMIT, source_state
    from analisis.report.render import REPORT_FILES
    from analisis.text import say

    commit_file = Path(root) / CODE_COMMIT
    if source_state(root).commit is not None or not commit_file.is_file():
        return []
    commit = commit_file.read_text(encoding="utf-8").strip()
    explained = []
    for lang, name in REPORT_FILES.items():
        if (name, "differs") not in differences:
            continue
        placeholder = f"<code>{escape(say('report.no_git', lang))}</code>".encode()
        text = (Path(root) / name).read_bytes()
        if (
            sha256_bytes(text.replace(placeholder, f"<code>{commit}</code>".encode(), 1))
            == (expected[name])
        ):
            explained.append((name, commit))
    return sorted(explained)
