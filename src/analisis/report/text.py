"""The report's words, as ``TEXT[lang][key]``: a view of the ``report.*`` catalogue entries.

Every sentence lives in :mod:`analisis.text`; this module keeps the dictionary the report
code and the template read (``t.<key>``), with ``report.a.b`` entries nested as
``TEXT[lang]["a"]["b"]``.  It also fixes the order of the report's sections.
"""

from __future__ import annotations

from analisis.text import LANGUAGES, family


def _report_view(lang: str) -> dict:
    view: dict = {}
    for key, template in family("report", lang).items():
        head, _, tail = key.partition(".")
        if tail:
            view.setdefault(head, {})[tail] = template
        else:
            view[head] = template
    return view


TEXT = {lang: _report_view(lang) for lang in LANGUAGES}

#: Section ids of the report, in order (anchors; the browser test checks each).
SECTIONS = (
    ("study", "study"),
    ("data-flow", "data_flow"),
    ("pooled", "pooled"),
    ("villages", "villages"),
    ("descriptives", "descriptives"),
    ("tests", "tests"),
    ("effect-sizes", "effect_sizes"),
    ("assumptions", "assumptions"),
    ("n-gain", "n_gain"),
    ("waves", "waves_heading"),
    ("skill", "skill"),
    ("items", "items"),
    ("published-check", "published"),
    ("planning", "planning"),
    ("methods", "methods"),
    ("results-sentence", "apa"),
    ("reproducibility", "reproducibility"),
)
SECTION_IDS = tuple(section_id for section_id, _ in SECTIONS)
#: Sections only a study of two or more villages has.
VILLAGE_SECTIONS = ("pooled", "villages")
#: Sections only a study with delayed post-tests (knowledge.follow_up) has.
WAVE_SECTIONS = ("waves",)
