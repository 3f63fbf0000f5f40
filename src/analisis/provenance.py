"""Fingerprints of code and inputs: reruns follow what changed; reports say what ran."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
