"""How to cite analisis: one line built from ``CITATION.cff`` (the one place it is written).

The report's footer and the manuscript kit's reference list print :func:`citation_text`
of the repository's ``CITATION.cff`` (Citation File Format 1.2.0); the version is the
installed one (``importlib.metadata``), which is also what the methods paragraph names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from analisis.errors import InputError

#: The project's citation file, at the repository root.
CITATION_FILE = "CITATION.cff"


def read_citation(path: str | os.PathLike = CITATION_FILE) -> dict[str, Any]:
    """The mapping of a ``CITATION.cff``; an :class:`InputError` naming the file and key
    when it is not one (a mapping with ``title`` and ``authors``)."""
    try:
        cff = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(str(path), "a CITATION.cff (YAML)", found=str(error)) from None
    for key in ("title", "authors"):
        if not isinstance(cff, dict) or not cff.get(key):
            raise InputError(str(path), f"a CITATION.cff with '{key}'", column=key)
    return cff


def _author(person: Mapping[str, Any]) -> str:
    """``Family, G.`` for a person, the name for an entity (CFF's two kinds of author)."""
    if "name" in person:
        return str(person["name"])
    initials = " ".join(f"{part[0]}." for part in str(person.get("given-names", "")).split())
    return ", ".join(filter(None, [str(person.get("family-names", "")), initials]))


def citation_text(cff: Mapping[str, Any], version: str | None = None) -> str:
    """An APA-style software reference from a CITATION.cff mapping.

    ``Authors (year). Title (Version v) [Computer software]. DOI or URL``, each part only
    when the file (or ``version``) gives it; the year is that of ``date-released``.

    Examples
    --------
    >>> cff = {"title": "analisis", "authors": [{"family-names": "Sari", "given-names":
    ...        "Dewi Ayu"}, {"name": "The analisis contributors"}], "doi": "10.5281/x"}
    >>> citation_text(cff, "0.1.0")
    'Sari, D. A.; The analisis contributors. analisis (Version 0.1.0) [Computer software]. https://doi.org/10.5281/x'
    """
    authors = "; ".join(_author(person) for person in cff["authors"])
    released = cff.get("date-released")
    head = f"{authors} ({str(released)[:4]})." if released else f"{authors}."
    title = str(cff["title"]) + (f" (Version {version})" if version else "")
    where = f"https://doi.org/{cff['doi']}" if cff.get("doi") else cff.get("repository-code")
    return " ".join(filter(None, [head, f"{title} [Computer software].", where]))
