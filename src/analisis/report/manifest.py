"""``reports/MANIFEST.sha256``: the SHA-256 of every output, checkable with ``sha256sum -c``.

Lines are ``<64 hex>  <path relative to the repository root>`` (two spaces: text mode of GNU
coreutils), sorted by path, so two runs that produce the same files produce the same
manifest byte for byte.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from analisis.outputs import atomic_path
from analisis.provenance import sha256_file

MANIFEST = "reports/MANIFEST.sha256"
COVERED = ("data/processed", "reports")
#: Not covered: the name linkage (private, git-ignored: a hash of a names file could confirm
#: a guessed name list), Snakemake's report archive (built after the pipeline, carries
#: timestamps) and hidden files (temporary files of atomic writes, editor files).
EXCLUDED = (
    "data/processed/private/*",
    "reports/snakemake-report.zip",
    "*/.*",
    ".*",
)


def _excluded(relative: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in patterns)


def manifest_files(
    root: str | os.PathLike,
    directories: Iterable[str] = COVERED,
    *,
    manifest: str = MANIFEST,
    exclude: Sequence[str] = EXCLUDED,
) -> list[str]:
    """Relative paths (POSIX) of the files the manifest covers, sorted.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ["reports/b.html", "reports/MANIFEST.sha256", "data/processed/a.csv",
    ...              "data/processed/private/linkage.csv", "reports/.x.tmp"]:
    ...     (root / name).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (root / name).write_text("x")
    >>> manifest_files(root)
    ['data/processed/a.csv', 'reports/b.html']
    """
    base = Path(root)
    found = []
    for directory in directories:
        for path in (base / directory).rglob("*"):
            if not path.is_file():
                continue
            relative = path.relative_to(base).as_posix()
            if relative == manifest or _excluded(relative, exclude):
                continue
            found.append(relative)
    return sorted(set(found))


def manifest_text(root: str | os.PathLike, files: Iterable[str]) -> str:
    """Manifest lines for ``files`` (relative to ``root``), in the order given."""
    return "".join(f"{sha256_file(Path(root) / name)}  {name}\n" for name in files)


def write_manifest(
    root: str | os.PathLike = ".",
    directories: Iterable[str] = COVERED,
    *,
    manifest: str = MANIFEST,
    exclude: Sequence[str] = EXCLUDED,
) -> Path:
    """Write the manifest of every covered file under ``root``; return its path.

    Check it from the repository root with ``sha256sum -c reports/MANIFEST.sha256``.
    """
    files = manifest_files(root, directories, manifest=manifest, exclude=exclude)
    target = Path(root) / manifest
    text = manifest_text(root, files)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return target
