"""Render the report: one self-contained HTML file per language from one jinja2 template.

Figures are inlined as base64 PNG, the style sheet is inline, and there is no script but
the few inline lines that sort, filter and page the by-village table of a study of many
villages, so the file can be mailed or archived alone. A study of many villages links its
long tables' CSVs beside the report (``tables/…``, :mod:`analisis.report.scale`); the
report shows their ends. The output depends
only on the results, the figures and the provenance passed in: no dates, so a rerun gives
the same bytes.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from analisis.config import DEFAULTS
from analisis.errors import AnalisisError, InputError
from analisis.fmt import LANGUAGES
from analisis.outputs import atomic_path
from analisis.registry import FIGURE_NEEDS, OUTPUTS
from analisis.report.context import build_context
from analisis.report.figureset import available_figures, figure_alt_text
from analisis.report.sources import Results
from analisis.report.study import site_summary

TEMPLATE = "report.html.j2"
#: Output file of each language (the registry's path, relative to the repository root).
REPORT_FILES = {"id": OUTPUTS["laporan"].path, "en": OUTPUTS["report"].path}
#: Names shorter than this are not searched for (they occur inside ordinary words).
MIN_NAME_LENGTH = 3
#: A word of a name or of the page, for the names guard.
WORD = re.compile(r"\w+")


class PrivacyError(AnalisisError):
    """A participant's name would appear in a report."""


def compact_json(value: Any) -> markupsafe.Markup:
    """``value`` as JSON without spaces, safe inside a ``<script>`` element.

    Only ``<`` before ``/`` or ``!`` is written as ``\\u003c``: those are the two ways
    text can end a script element's raw text (``</script>``) or switch its parsing
    (``<!--``); a ``<`` before anything else, as in "< 0.001", stays one byte. Other
    characters stay as they are (UTF-8, a third of an escape).

    Examples
    --------
    >>> print(compact_json([["desa </script>", "<!-- x", "< 0.001", "1–2"]]))
    [["desa \\u003c/script>","\\u003c!-- x","< 0.001","1–2"]]
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return markupsafe.Markup(SCRIPT_BREAK.sub(r"\\u003c", text))


#: Where text inside a script element could close it or start an HTML comment.
SCRIPT_BREAK = re.compile(r"<(?=[/!])")
#: Between the cells of a row in :func:`rows_json` (no formatted cell holds one).
CELL_SEPARATOR = "\t"


def rows_json(rows: Sequence[Sequence[str]]) -> markupsafe.Markup:
    """Rows of text cells for a script: :func:`compact_json` of one tab-joined string per
    row (the script splits them), 12 bytes a row of 12 cells fewer than lists of strings.

    Examples
    --------
    >>> print(rows_json([["desa_a", "23", "< 0.001"], ["desa_b", "9", "0.02"]]))
    ["desa_a\\t23\\t< 0.001","desa_b\\t9\\t0.02"]
    """
    if any(CELL_SEPARATOR in cell for row in rows for cell in row):
        raise ValueError("a cell of the table holds a tab, which separates its cells")
    return compact_json([CELL_SEPARATOR.join(row) for row in rows])


def environment() -> jinja2.Environment:
    """The jinja2 environment: package templates, autoescape, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("analisis", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rows_json"] = rows_json
    return env


def render_html(context: Mapping[str, Any]) -> str:
    """The report's HTML text for a context from :func:`build_context`."""
    return environment().get_template(TEMPLATE).render(**context)


def png_data_uri(path: str | os.PathLike) -> str:
    """``data:image/png;base64,...`` of a PNG file.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.png"
    >>> _ = p.write_bytes(b"\\x89PNG")
    >>> png_data_uri(p)
    'data:image/png;base64,iVBORw=='
    """
    data = Path(path).read_bytes()
    if not data.startswith(b"\x89PNG"):
        raise InputError(str(path), "a PNG image", found="other bytes")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def inline_figures(
    results: Results, pngs: Mapping[str, str | os.PathLike], lang: str
) -> dict[str, dict[str, str]]:
    """``{name: {"src": data URI, "alt": alt text}}`` of every available figure in ``lang``.

    ``pngs`` maps each figure's name to its PNG in ``lang``; an available figure the run
    does not draw (``registry.Run.village_figures``) has none and is left out.
    """
    figures = {}
    for name in available_figures(results):
        if FIGURE_NEEDS[name] == "village_figures" and name not in pngs:
            continue
        path = Path(pngs.get(name, f"<no PNG given for {name}>"))
        if not path.exists():
            raise InputError(str(path), "the figure's PNG (draw the figures first)")
        figures[name] = {"src": png_data_uri(path), "alt": figure_alt_text(name, results, lang)}
    return figures


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


def find_names(text: str, names: Iterable[str]) -> list[str]:
    """Names from ``names`` that occur in ``text`` as whole words, case-insensitively.

    Text and names are read as runs of word characters (``\\w+``): a name matches
    wherever its words follow one another in the text, whatever spaces or punctuation
    stand between them ("Siti  Aminah", "SITI-aminah"), so the guard errs on the side of
    stopping the report. One pass over the text's word sequences of each name length,
    looked up in a set: thousands of names cost no more than one.

    Examples
    --------
    >>> find_names("Kader K01 (Siti Aminah) ...", ["siti aminah", "Rina", "An"])
    ['siti aminah']
    >>> find_names("Kader K01 (Siti Aminah) ...", ["Aminah Siti", "Siti Am"])
    []
    """
    wanted: dict[tuple[str, ...], str] = {}
    for name in names:
        shown = " ".join(str(name).split())
        if len(shown) >= MIN_NAME_LENGTH and _words(shown):
            wanted.setdefault(_words(shown), shown)
    if not wanted:
        return []
    words = _words(text)
    seen = {
        run
        for length in {len(key) for key in wanted}
        for run in zip(*(words[i:] for i in range(length)), strict=False)
    }
    return [shown for key, shown in wanted.items() if key in seen]


#: Parts of the context written from the catalogue, the config's study block (title,
#: citation, site) or the provenance: the names guard does not read them.
NOT_FROM_DATA = frozenset(
    {"lang", "t", "sections", "study", "title", "subtitle", "banner", "study_text",
     "reconstructed", "synthetic", "methods", "provenance", "inputs", "config_cut"}
)  # fmt: skip


def participant_text(context: Mapping[str, Any]) -> str:
    """The context's text drawn from participants' data, for the names guard.

    Every table cell and label (the strings inside lists: rows, headers, group labels)
    of the parts derived from the results and the cleaning log, and every figure's alt
    text; not the catalogue's sentences, the study block, the citation or the
    provenance, so a cadre called like a word of those (an author's name, the village)
    does not stop the report.

    Examples
    --------
    >>> context = {"t": {"title": "Sari"}, "study": {"citation": "Kurniyati, Sari"},
    ...            "skill": {"group_rows": [["Kelompok Rina", "6"]], "summary": "Skor"},
    ...            "figures": {"a": {"src": "data:...", "alt": "Dot plot"}}}
    >>> participant_text(context).splitlines()
    ['Kelompok Rina', '6', 'Dot plot']
    """
    found: list[str] = []

    def cells(value: Any, in_list: bool) -> None:
        if isinstance(value, Mapping):
            for item in value.values():
                cells(item, in_list)
        elif isinstance(value, list | tuple):
            for item in value:
                cells(item, True)
        elif in_list and value is not None:
            found.append(str(value))

    for key, value in context.items():
        if key == "figures":
            found += [figure["alt"] for figure in value.values()]
        elif key not in NOT_FROM_DATA:
            cells(value, False)
    return "\n".join(found)


def write_report(
    results: Results,
    lang: str,
    out_path: str | os.PathLike,
    *,
    figures: Mapping[str, str | os.PathLike],
    provenance: Mapping[str, Any],
    study: Mapping[str, Any] | None = None,
    forbidden_names: Iterable[str] = (),
) -> Path:
    """Render the report in ``lang`` and write it to ``out_path`` atomically.

    Parameters
    ----------
    results : Results
        From :func:`analisis.report.sources.load_results`.
    lang : {"id", "en"}
    out_path : path
        reports/laporan.html (id) or reports/report.html (en).
    figures : Mapping
        ``{name: PNG in lang}`` as :func:`analisis.report.figureset.write_figures` wrote them.
    provenance : Mapping
        From :func:`analisis.report.provenance.build_provenance`.
    study : Mapping, optional
        ``title``, ``citation``, ``doi``, ``site`` printed in the study section.
    forbidden_names : iterable of str
        Participants' names (private linkage); PrivacyError if any appears in what the
        report shows from the data (:func:`participant_text`).

    Raises
    ------
    PrivacyError
        A name from ``forbidden_names`` occurs in a table, label or alt text.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    context = build_context(
        results,
        lang,
        figures=inline_figures(results, figures, lang),
        provenance=provenance,
        study=study,
    )
    html = render_html(context)
    leaked = find_names(participant_text(context), forbidden_names)
    if leaked:
        raise PrivacyError(
            f"{out_path}: {len(leaked)} participant name(s) would appear in the report; "
            "check the result files for names"
        )
    target = Path(out_path)
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8", newline="\n")
    return target


def study_from_config(config: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The report's words about the study, from the workflow config's ``study:`` block.

    ``title`` and ``topic`` are the ``study.title`` and ``study.topic`` of ``lang`` (the
    schema's defaults where the config leaves them out; no topic is None),
    ``reconstructed`` and ``synthetic`` are the study's flags; the site summarises the
    cohorts' labels (:func:`analisis.report.study.site_summary`) and the citation joins
    the ``published.source`` of each cohort that has one.

    Examples
    --------
    >>> config = {"study": {"topic": {"id": "pijat laktasi", "en": "lactation-massage"}},
    ...           "cohorts": [{"id": "a", "label": "Village A",
    ...                        "published": {"source": "Author (2026)"}}]}
    >>> study_from_config(config, "en")  # doctest: +NORMALIZE_WHITESPACE
    {'title': 'Evaluation of a Health-Cadre Training', 'topic': 'lactation-massage',
     'reconstructed': False, 'synthetic': False, 'site': 'Village A', 'site_list': None,
     'site_csv': None, 'citation': 'Author (2026)'}
    """
    study = {**DEFAULTS["study"], **config.get("study", {})}
    cohorts = config["cohorts"]
    sources = [c["published"]["source"] for c in cohorts if c.get("published", {}).get("source")]
    sites = site_summary([c.get("label", c["id"]) for c in cohorts], lang)
    return {
        "title": study["title"][lang],
        "topic": study["topic"][lang] if study["topic"] else None,
        "reconstructed": bool(study["reconstructed"]),
        "synthetic": bool(study.get("synthetic")),
        "site": sites["text"],
        "site_list": sites["list"],
        "site_csv": sites["csv"],
        "citation": "; ".join(sources) or None,
    }
