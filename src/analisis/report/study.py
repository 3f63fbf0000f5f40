"""What the report says about the study's sites: a few labels in full, many summarised.

A study of a few villages lists their labels. A programme of many villages gets their
count, the sub-districts (kecamatan) and districts (kabupaten/kota) its labels name,
and the full list folded away, so that the first result stays on the first screen. Past
:data:`~analisis.report.scale.ROWS_SHOWN_MAX` villages the folded list is the districts
with their villages and sub-districts, and every village is in ``sites.csv`` beside the
report (:func:`sites_table`): a national programme's labels alone would be megabytes.

A label's parts after the village's name, separated by commas, are read as its
sub-district, district and province, in that order (the schema's ``cohorts[].label``):
``"Desa Sukamaju, Cibeber, Cianjur, Jawa Barat"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analisis.report.scale import ROWS_SHOWN_MAX, table_link
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


def _district_rows(
    districts: Counter[str], subdistricts: set[tuple[str | None, str]], n: int, lang: str
) -> list[str]:
    """``"Cianjur: 120 villages, 8 sub-districts"`` per district, by name, from the counts
    :func:`site_summary` makes; the villages of ``n`` whose label names no district last,
    counted; none when no label names a district."""
    if not districts:
        return []
    per_district = Counter(district for district, _ in subdistricts)
    rows = [
        say("report.sites_district_row", lang, district=d, n=districts[d],
            subdistricts=per_district[d])
        for d in sorted(districts)
    ]  # fmt: skip
    if unnamed := n - sum(districts.values()):
        rows.append(say("report.sites_without_district", lang, n=unnamed))
    return rows


def site_summary(labels: Sequence[str], lang: str) -> dict[str, Any]:
    """The study section's words on its sites: ``text``, the folded ``list`` (or None) and
    the ``csv`` that holds every village when the list is of districts (or None).

    Up to :data:`LISTED_MAX` labels are the text, joined by ``"; "``; more become a
    count, with the sub-districts and districts their labels carry, and the labels go
    to ``list``; more than :data:`~analisis.report.scale.ROWS_SHOWN_MAX` make ``list``
    the districts (:func:`_district_rows`) and link ``sites.csv``.

    Examples
    --------
    >>> site_summary(["Desa A", "Desa B"], "en")
    {'text': 'Desa A; Desa B', 'list': None, 'csv': None}
    >>> labels = [f"Desa {i}, Kec {i % 3}, Kab {i % 2}" for i in range(12)]
    >>> site_summary(labels, "en")["text"]  # doctest: +NORMALIZE_WHITESPACE
    '12 villages in 6 sub-districts (kecamatan) of 2 districts (kabupaten/kota):
     Kab 0 (6), Kab 1 (6)'
    >>> site_summary([f"Desa {i}" for i in range(12)], "id")["text"]
    '12 desa'
    >>> many = site_summary([f"Desa {i}, Kec {i % 3}, Kab {i % 2}" for i in range(201)], "en")
    >>> many["list"]
    ['Kab 0: 101 villages, 3 sub-districts', 'Kab 1: 100 villages, 3 sub-districts']
    >>> many["csv"]
    'tables/sites.csv'
    >>> site_summary([f"Desa {i}" for i in range(201)], "en")["list"]
    []
    """
    if len(labels) <= LISTED_MAX:
        return {"text": "; ".join(labels), "list": None, "csv": None}
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
    if n <= ROWS_SHOWN_MAX:
        return {"text": text, "list": list(labels), "csv": None}
    rows = _district_rows(districts, subdistricts, n, lang)
    return {"text": text, "list": rows, "csv": table_link("sites")}


def sites_table(cohorts: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """sites.csv: each cohort's ``id``, ``label`` (the id where it has none) and the
    ``sub_district`` and ``district`` the label names (:func:`label_parts`), sorted by id.

    Examples
    --------
    >>> t = sites_table([{"id": "b", "label": "Desa B, Cibeber, Cianjur"}, {"id": "a"}])
    >>> t["cohort"].tolist(), t["label"].tolist(), t["district"].tolist()[1]
    (['a', 'b'], ['a', 'Desa B, Cibeber, Cianjur'], 'Cianjur')
    """
    rows = []
    for cohort in cohorts:
        label = str(cohort.get("label", cohort["id"]))
        rows.append([str(cohort["id"]), label, *label_parts(label)])
    frame = pd.DataFrame(rows, columns=["cohort", "label", "sub_district", "district"])
    return frame.sort_values("cohort", kind="mergesort", ignore_index=True)
