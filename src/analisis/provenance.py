"""Fingerprints of code and inputs: reruns follow what changed; reports say what ran."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from analisis.atomic import atomic_path

CODE_SUFFIXES = (".py", ".j2", ".html", ".css")


def sha256_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file's bytes (as ``sha256sum`` prints it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)  # FIPS 180-2 test vector for "abc"
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``, as :func:`sha256_file` of a file holding them.

    Examples
    --------
    >>> sha256_bytes(b"abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(data).hexdigest()


def code_fingerprint(package_dir: str | os.PathLike) -> str:
    """Hash every source and template file under ``package_dir`` (paths and bytes).

    Snakemake re-runs a rule when a ``params`` value changes but watches only its
    ``script:`` file; passing this fingerprint as a param makes a change anywhere
    in the package re-trigger the rules that use it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.py").write_text("x = 1")
    >>> before = code_fingerprint(root)
    >>> _ = (root / "a.py").write_text("x = 2")
    >>> before == code_fingerprint(root)
    False
    """
    root = Path(package_dir)
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in CODE_SUFFIXES):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def relative_posix(path: str | os.PathLike, root: str | os.PathLike) -> str:
    """``path`` relative to ``root`` with forward slashes (absolute when outside root).

    Examples
    --------
    >>> relative_posix("/repo/data/raw/a.csv", "/repo")
    'data/raw/a.csv'
    """
    resolved, base = Path(path).resolve(), Path(root).resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


def input_hashes(
    paths: Iterable[str | os.PathLike], root: str | os.PathLike = "."
) -> list[list[str]]:
    """``[[relative path, sha256], ...]`` of the given files, sorted by path, duplicates once."""
    rows = {relative_posix(p, root): sha256_file(p) for p in paths}
    return [[name, rows[name]] for name in sorted(rows)]


def write_input_hashes(
    paths: Iterable[str | os.PathLike], target: str | os.PathLike, root: str | os.PathLike = "."
) -> None:
    """Write :func:`input_hashes` of ``paths`` as a CSV ``file,sha256``.

    Each shard of villages records its own raw files, so the report reads a few such
    records instead of taking (and hashing) thousands of raw files itself.
    """
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "sha256"])
        writer.writerows(input_hashes(paths, root))


def read_input_hashes(records: Iterable[str | os.PathLike]) -> list[list[str]]:
    """The rows of several :func:`write_input_hashes` records as one :func:`input_hashes`:
    sorted by path, a file named by several records (a shared instrument) once.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.csv"):
    ...     _ = (root / name).write_text(name)
    >>> write_input_hashes([root / "b.csv", root / "a.csv"], root / "s0.csv", root)
    >>> write_input_hashes([root / "a.csv"], root / "s1.csv", root)
    >>> read_input_hashes([root / "s0.csv", root / "s1.csv"]) == input_hashes(
    ...     [root / "a.csv", root / "b.csv"], root)
    True
    """
    rows: dict[str, str] = {}
    for record in records:
        with open(record, encoding="utf-8", newline="") as handle:
            rows.update((row["file"], row["sha256"]) for row in csv.DictReader(handle))
    return [[name, rows[name]] for name in sorted(rows)]
