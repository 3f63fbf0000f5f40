"""What the report says about the study's sites: a few labels in full, many summarised.

A study of a few villages lists their labels. A programme of many villages gets their
count, the sub-districts (kecamatan) and districts (kabupaten/kota) its labels name,
and the full list folded away, so that the first result stays on the first screen.

A label's parts after the village's name, separated by commas, are read as its
sub-district, district and province, in that order (the schema's ``cohorts[].label``):
``"Desa Sukamaju, Cibeber, Cianjur, Jawa Barat"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from analisis.text import say

#: Up to this many sites (or source files) the report lists them in the open.
LISTED_MAX = 10
#: Districts named in the summary, the most villages first; the rest are counted.
DISTRICTS_NAMED = 8


def label_parts(label: str) -> tuple[str | None, str | None]:
    """The (sub-district, district) a label names, None where it names none.

    Examples
    --------
    >>> label_parts("Desa Sukamaju, Cibeber, Cianjur, Jawa Barat")
    ('Cibeber', 'Cianjur')
    >>> label_parts("Desa Sukamaju, Cibeber"), label_parts("Desa Sukamaju")
    (('Cibeber', None), (None, None))
    """
    parts = [*(part.strip() for part in label.split(",")[1:]), None, None]
    return parts[0] or None, parts[1] or None


def _district_names(districts: Counter[str], lang: str) -> str:
    """``"Cianjur (120), Garut (80), …"``: the districts with most villages, named."""
    named = sorted(districts.items(), key=lambda item: (-item[1], item[0]))[:DISTRICTS_NAMED]
    text = say("list.separator", lang).join(f"{name} ({n})" for name, n in named)
    rest = len(districts) - len(named)
    return text + (say("list.separator", lang) + "…" if rest else "")


def site_summary(labels: Sequence[str], lang: str) -> dict[str, Any]:
    """The study section's words on its sites: ``text`` and the folded ``list`` (or None).

    Up to :data:`LISTED_MAX` labels are the text, joined by ``"; "``; more become a
    count, with the sub-districts and districts their labels carry, and the labels go
    to ``list``.

    Examples
    --------
    >>> site_summary(["Desa A", "Desa B"], "en")
    {'text': 'Desa A; Desa B', 'list': None}
    >>> labels = [f"Desa {i}, Kec {i % 3}, Kab {i % 2}" for i in range(12)]
    >>> site_summary(labels, "en")["text"]  # doctest: +NORMALIZE_WHITESPACE
    '12 villages in 6 sub-districts (kecamatan) of 2 districts (kabupaten/kota):
     Kab 0 (6), Kab 1 (6)'
    >>> site_summary([f"Desa {i}" for i in range(12)], "id")["text"]
    '12 desa'
    """
    if len(labels) <= LISTED_MAX:
        return {"text": "; ".join(labels), "list": None}
    places = [label_parts(label) for label in labels]
    subdistricts = {(district, sub) for sub, district in places if sub}
    districts = Counter(district for _, district in places if district)
    n = len(labels)
    if districts:
        text = say(
            "report.sites_districts",
            lang,
            n=n,
            subdistricts=len(subdistricts),
            districts=len(districts),
            names=_district_names(districts, lang),
        )
    elif subdistricts:
        text = say("report.sites_subdistricts", lang, n=n, subdistricts=len(subdistricts))
    else:
        text = say("report.sites_count", lang, n=n)
    return {"text": text, "list": list(labels)}
