"""One catalogue of every fixed text, in Bahasa Indonesia (``id``) and English (``en``).

Each language is one flat dictionary (:mod:`analisis.text.id`, :mod:`analisis.text.en`)
from a dotted key to a template with named placeholders in :meth:`str.format` syntax::

    "report.skill_text": "Skill score: mean {mean} (SD {sd}, n = {n})."

Key families: ``report.*`` (the HTML report), ``figure.*`` (labels and alt texts),
``review.*`` (the published-values check and its summary), ``log_reason.<code>`` (the
cleaning log's reason codes; their variable detail is shown beside them) and ``list.*``
(separators).  Both languages must have the same keys and, for each key, the same
placeholders (the test suite checks it), so a sentence cannot be missing or lose a
number in one language only.

The module imports nothing heavy (no pandas, no matplotlib): ``analisis grim`` uses it.
Jinja2 templates can read a language as a plain mapping, :func:`entries`.
"""

from __future__ import annotations

import string
from types import MappingProxyType
from typing import Any

from analisis.text import en as english
from analisis.text import id as indonesian

LANGUAGES = ("id", "en")

_CATALOGUE = {"id": MappingProxyType(indonesian.TEXT), "en": MappingProxyType(english.TEXT)}


def entries(lang: str) -> MappingProxyType:
    """All templates of ``lang``, read-only, keyed by dotted key.

    Examples
    --------
    >>> entries("id")["figure.pre_short"]
    'Sebelum'
    """
    if lang not in _CATALOGUE:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return _CATALOGUE[lang]


def say(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang`` with its placeholders filled from ``values``.

    A template is returned as is when no values are given, so a text without
    placeholders needs none; a template with placeholders and missing values raises
    KeyError naming the placeholder.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"review.note.count"``.
    lang : {"id", "en"}
    **values
        One value per placeholder of the template.

    Raises
    ------
    KeyError
        Unknown key or a missing placeholder value.

    Examples
    --------
    >>> say("report.skill_text", "en", mean="87.26", sd="4.90", n=23)
    'Skill score: mean 87.26 (SD 4.90, n = 23).'
    >>> say("log_reason.override_match", "id")
    'dicocokkan oleh satu baris daftar pencocokan manual'
    """
    template = entries(lang)[key]
    return template.format(**values) if values else template


def placeholders(template: str) -> frozenset[str]:
    """Names of the placeholders of ``template``.

    Examples
    --------
    >>> sorted(placeholders("t({df}) = {t}, {p}"))
    ['df', 'p', 't']
    """
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(template) if name is not None
    )


def family(prefix: str, lang: str) -> dict[str, str]:
    """The templates under ``prefix.`` with the prefix removed (a sub-dictionary).

    Examples
    --------
    >>> family("report.method_names", "id")["exact"]
    'eksak'
    """
    start = prefix + "."
    return {k.removeprefix(start): v for k, v in entries(lang).items() if k.startswith(start)}
