"""``reports/MANIFEST.sha256``: the SHA-256 of every output of a run, for ``sha256sum -c``.

Lines are ``<64 hex>  <path relative to the repository root>`` (two spaces: text mode of GNU
coreutils), sorted by path, so two runs that produce the same files produce the same
manifest byte for byte. The files are the ones the caller names (the pipeline passes the
registered outputs of the run, :func:`analisis.registry.run_outputs`), never a folder
listing: files of an earlier study in the same checkout are not this run's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from analisis.outputs import atomic_path
from analisis.provenance import sha256_file
from analisis.registry import MANIFEST


def manifest_text(root: str | os.PathLike, files: Iterable[str]) -> str:
    """Manifest lines for ``files`` (POSIX paths relative to ``root``), sorted, once each.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "b.txt").write_text("")
    >>> print(manifest_text(root, ["b.txt", "b.txt"]), end="")
    e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  b.txt
    """
    names = sorted({Path(name).as_posix() for name in files})
    return "".join(f"{sha256_file(Path(root) / name)}  {name}\n" for name in names)


def write_manifest(
    files: Iterable[str], manifest: str | os.PathLike = MANIFEST, *, root: str | os.PathLike = "."
) -> Path:
    """Write the manifest of ``files`` (relative to ``root``) to ``root/manifest``.

    Check it from the repository root with ``sha256sum -c reports/MANIFEST.sha256``.
    """
    target = Path(root) / manifest
    text = manifest_text(root, files)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return target


def read_manifest(text: str) -> dict[str, str]:
    """``{path: sha256}`` of manifest lines (``sha256sum`` text or binary mode).

    Examples
    --------
    >>> read_manifest("ab12  reports/a.csv\\ncd34 *reports/b.png\\n")
    {'reports/a.csv': 'ab12', 'reports/b.png': 'cd34'}
    """
    entries = {}
    for line in text.splitlines():
        if line.strip():
            digest, _, name = line.partition(" ")
            entries[name.lstrip(" *")] = digest
    return entries


def compare_to_reference(
    reference: str | os.PathLike, root: str | os.PathLike = ".", manifest: str = MANIFEST
) -> list[tuple[str, str]]:
    """Files of this run that differ from a reference manifest, as ``(path, how)``.

    ``how`` is ``differs`` (other bytes), ``missing`` (in the reference, not on disk) or
    ``not in the reference`` (listed by this run's manifest at ``root/manifest`` only).
    An empty list means the run reproduced the reference byte for byte.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.txt").write_text("x")
    >>> _ = (root / "ref.sha256").write_text(manifest_text(root, ["a.txt"]) + "00  b.txt\\n")
    >>> _ = (root / "a.txt").write_text("y")
    >>> compare_to_reference(root / "ref.sha256", root, manifest="none.sha256")
    [('a.txt', 'differs'), ('b.txt', 'missing')]
    """
    expected = read_manifest(Path(reference).read_text(encoding="utf-8"))
    found = []
    for name, digest in sorted(expected.items()):
        path = Path(root) / name
        if not path.is_file():
            found.append((name, "missing"))
        elif sha256_file(path) != digest:
            found.append((name, "differs"))
    this_run = Path(root) / manifest
    if this_run.is_file():
        extra = set(read_manifest(this_run.read_text(encoding="utf-8"))) - set(expected)
        found += [(name, "not in the reference") for name in sorted(extra)]
    return found


def lines_checksum(root: str | os.PathLike, files: Iterable[str]) -> str:
    """SHA-256 of the manifest lines of ``files``: what ``grep`` of those lines of
    ``reports/MANIFEST.sha256`` piped to ``sha256sum`` prints.

    The manuscript kit's data-availability sentence gives this for the data, tables and
    figures (:func:`analisis.registry.checked_outputs`): a document cannot hold the hash
    of a manifest that lists the document itself.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "b.txt").write_text("")
    >>> lines_checksum(root, ["b.txt"])  # printf 'e3b0...b855  b.txt\\n' | sha256sum
    '091fc49acbd173840a30b2f97b98f7861e26f9fb9df0f1ffc294db8f5e586bde'
    """
    from analisis.provenance import sha256_bytes

    return sha256_bytes(manifest_text(root, files).encode("utf-8"))
