"""The report of a national programme: 10,000 villages stay within 15 MB and useful.

The result files are fabricated (report_fixtures.render_scaled); every expected value is
read from them with pandas, not from the report code.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markupsafe
import pandas as pd
import pytest
from report_fixtures import SCALED_TARGET, STUDY, VERSIONS, render_scaled, write_scaled_results
from test_report import Page

from analisis.fmt import format_number
from analisis.provenance import read_input_hashes
from analisis.registry import OUTPUTS, REPORT_INPUTS, Run, run_outputs
from analisis.report.context import build_context
from analisis.report.manuscript import kit_tables
from analisis.report.provenance import Source, build_provenance
from analisis.report.scale import ENDS_SHOWN
from analisis.report.sources import load_results
from analisis.report.villages import PAGE_ROWS
from analisis.text import say

VILLAGES = 10_000
#: The client's bound on each report, at any scale.
MAX_BYTES = 15 * 1024 * 1024
#: Indonesia has some 80,000 villages (desa and kelurahan); with a margin.
NATIONAL = 84_000
#: The embedded figures of a report of thousands of villages (2.0-2.2 MB measured at
#: 2,000, 10,000 and 80,000 villages): fixed sizes in pixels, rasterised bands.
FIGURES_MAX = 3_000_000


def _rendered(root: Path, villages: int) -> dict[str, str]:
    reports = render_scaled(root, villages)
    return {lang: path.read_text(encoding="utf-8") for lang, path in reports.items()}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    return root, _rendered(root, VILLAGES)


def table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / OUTPUTS[name].path)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ten_thousand_villages_fit_in_15_mb(scaled, lang):
    _, pages = scaled
    size = len(pages[lang].encode("utf-8"))
    assert size <= MAX_BYTES
    # Most of it is the by-village rows (about 140 bytes a village) and the figures.
    data = _by_village_data(pages[lang])
    assert len(data.encode("utf-8")) < 150 * VILLAGES
    rows = json.loads(data)
    assert len(rows) == VILLAGES and len(rows[0].split("\t")) == 12


def _by_village_data(page: str) -> str:
    """The by-village rows the page's script reads (JSON)."""
    return re.search(r'id="by-village-data">(.*?)</script>', page, re.DOTALL).group(1)


def _parts(page: str) -> dict[str, int]:
    """Bytes of the page's by-village rows, of its embedded figures and of the rest."""
    total = len(page.encode("utf-8"))
    rows = len(_by_village_data(page).encode("utf-8"))
    figures = sum(len(uri) for uri in re.findall(r'src="(data:image/[^"]*)"', page))
    return {"rows": rows, "figures": figures, "rest": total - rows - figures}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_national_programme_fits_in_15_mb(scaled, tmp_path, lang):
    # Only the by-village rows may grow with the villages: the figures have a fixed size
    # in pixels (their PNG bytes vary a little with the data) and every other list is cut
    # or summarised, so the rest stays the same from 2,000 to 10,000 villages. 84,000
    # villages then take at most those parts plus 84,000 rows.
    _, pages = scaled
    small, large = _parts(_rendered(tmp_path, 2_000)[lang]), _parts(pages[lang])
    assert abs(large["rest"] - small["rest"]) < 2_000  # counts grow a digit, not a list
    assert max(small["figures"], large["figures"]) < FIGURES_MAX
    row_bytes = large["rows"] / VILLAGES
    assert row_bytes < 150
    assert large["rest"] + FIGURES_MAX + row_bytes * NATIONAL <= MAX_BYTES


@pytest.mark.parametrize("lang", ["id", "en"])
def test_search_box_and_the_first_page_without_script(scaled, lang):
    _, pages = scaled
    page = pages[lang]
    label = html.escape(say("report.filter_label", lang))
    assert f'<label for="village-filter">{label}</label>' in page
    assert '<input id="village-filter" type="search">' in page
    body = page[page.index('<table id="by-village"') :]
    body = body[: body.index("</table>")]
    assert body.count("<tr>") == PAGE_ROWS + 1  # the heading row and the first page
    assert "desa_00001" in body and f"desa_{PAGE_ROWS + 1:05d}" not in body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_link_is_a_section_or_a_file_of_the_run_beside_the_report(scaled, lang):
    root, pages = scaled
    links = {link for link in Page(pages[lang]).links if not link.startswith("#")}
    assert links == {
        "tables/by_village.csv",
        "tables/skill_groups.csv",
        "tables/skill_steps_by_village.csv",
        "tables/input_hashes.csv",
        "tables/data_flow_by_file.csv",
        "tables/sites.csv",
    }
    registered = set(run_outputs(Run(villages=True)))
    for link in links:
        assert f"reports/{link}" in registered
        assert (root / "reports" / link).is_file()


def test_long_tables_show_their_ends(scaled):
    root, pages = scaled
    en = pages["en"]
    steps = table(root, "skill_steps_by_village")
    by = "mean share of points"
    note = say("report.long_table_ends", "en", n=len(steps), k=ENDS_SHOWN, by=by)
    assert note in en
    weakest = steps.loc[steps["mean_share"].idxmin()]
    strongest = steps.loc[steps["mean_share"].idxmax()]
    section = en[en.index(note) :]
    section = section[: section.index("</table>")]
    rows = re.findall(r"<tr><td>(desa_\d+)</td><td>(L\d+)</td>", section)
    assert len(rows) == 2 * ENDS_SHOWN
    assert rows[0] == (weakest.cohort, weakest.step_id)
    assert rows[-1] == (strongest.cohort, strongest.step_id)
    assert f">{format_number(100 * weakest.mean_share, 1, 'en')}<" in section
    # The raw files: 3 a village, the first 10 shown.
    hashes = table(root, "input_hashes")
    assert len(hashes) == 3 * VILLAGES
    assert say("report.long_table_first", "en", n=len(hashes), k=ENDS_SHOWN) in en
    assert hashes["sha256"].iloc[0] in en and hashes["sha256"].iloc[ENDS_SHOWN] not in en
    # The tally of the cleaning log per file is beside the report: a kept row per pair in
    # each knowledge export and per cadre in each workbook, a merged duplicate in every
    # fifth village's pre-test and a dropped row in every seventh's post-test.
    flow, by_village = table(root, "data_flow_by_file"), table(root, "by_village")
    assert len(flow) == 3 * VILLAGES
    assert flow["kept"].sum() == 2 * by_village["n_pairs"].sum() + by_village["skill_n"].sum()
    assert flow["merged"].sum() == VILLAGES // 5 and flow["dropped"].sum() == -(-VILLAGES // 7)
    assert say("report.long_table_ends", "en", n=len(flow), k=ENDS_SHOWN,
               by="number of rows changed") in en  # fmt: skip


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_flagged_villages_are_counted_and_the_first_named(scaled, lang):
    root, pages = scaled
    by_village = table(root, "by_village")
    flagged = by_village.loc[by_village["gain_ci95_upper"] < SCALED_TARGET, "cohort"]
    assert 30 < len(flagged) < 200
    named = say("list.separator", lang).join(flagged.iloc[:ENDS_SHOWN])
    more = say(
        "report.more_villages",
        lang,
        villages=named,
        n=len(flagged) - ENDS_SHOWN,
        file="tables/pooled.json",
    )
    page = pages[lang]
    assert html.escape(more) in page
    sentence = page[page.index('<ul class="mentors">') : page.index("</ul>")]
    assert flagged.iloc[ENDS_SHOWN] not in sentence


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_sites_are_summarised_by_district_and_listed_beside_the_report(scaled, lang):
    root, pages = scaled
    sites = table(root, "sites")
    assert len(sites) == VILLAGES and sites["cohort"].is_unique
    assert sites.loc[0].tolist() == ["desa_00001", "Desa desa_00001, Kec 00, Kab 0", "Kec 00",
                                     "Kab 0"]  # fmt: skip
    study = pages[lang][pages[lang].index('<section id="study">') :]
    study = study[: study.index("</section>")]
    folded = study[study.index("<details>") : study.index("</details>")]
    # One entry per district of sites.csv, with its villages and sub-districts counted.
    per_district = sites.groupby("district").agg(
        n=("cohort", "size"), subs=("sub_district", "nunique")
    )
    for district, row in per_district.iterrows():
        entry = say("report.sites_district_row", lang, district=district, n=row.n,
                    subdistricts=row.subs)  # fmt: skip
        assert html.escape(entry) in folded
    assert "desa_00001" not in folded
    assert 'href="tables/sites.csv"' in folded


def test_the_configuration_shows_three_cohorts_of_ten_thousand(scaled):
    _, pages = scaled
    en = pages["en"]
    assert markupsafe.escape(say("report.config_cohorts_cut", "en", n=VILLAGES, k=3)) in en
    config = en[en.index("<pre>") : en.index("</pre>")]
    assert config.count("- id: desa_") == 3


def test_the_manuscript_kit_shows_the_ends_of_ten_thousand_villages(tmp_path):
    # Table 7 of the kit: the 10 villages with the lowest and the 10 with the highest mean
    # gain (read here from the fabricated by_village.csv with pandas), then the CSV's path.
    paths = write_scaled_results(tmp_path, VILLAGES)
    results = load_results({k: v for k, v in paths.items() if k in REPORT_INPUTS})
    provenance = build_provenance(
        read_input_hashes([paths["hash_records"]]),
        config={"cohorts": []},
        source=Source("0123456789abcdef"),
        versions=VERSIONS,
    )
    context = build_context(results, "en", figures={}, provenance=provenance, study=STUDY["en"])
    tables = kit_tables(results, context, "en")
    villages = next(t for t in tables if t.caption == say("manuscript.caption.villages", "en"))
    by_gain = pd.read_csv(paths["by_village"]).dropna(subset=["gain_mean"])
    by_gain = by_gain.sort_values("gain_mean", kind="mergesort")["cohort"].tolist()
    shown = [row[0] for row in villages.rows]
    assert shown[:ENDS_SHOWN] == by_gain[:ENDS_SHOWN]
    assert shown[ENDS_SHOWN + 1 :] == by_gain[-ENDS_SHOWN:]
    assert villages.note.endswith("reports/tables/by_village.csv")
