"""The report's study section: whose identity it shows, and how it scales with villages."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from report_fixtures import STUDY, render_all

from analisis.registry import OUTPUTS
from analisis.report.browser import CHROMIUM, chromium_available, run_script
from analisis.report.context import data_flow, study_words
from analisis.report.study import LISTED_MAX, label_parts, site_summary
from analisis.text import say

#: 1,000 villages: 4 districts of 10 sub-districts of 25 villages each, as labels carry them.
DISTRICTS = ("Cianjur", "Garut", "Lebak", "Sumedang")
LABELS = [
    f"Desa {district[:3]}{k:03d}, Kec{k // 25:02d} {district}, {district}, Jawa Barat"
    for district in DISTRICTS
    for k in range(250)
]


def test_a_label_names_its_sub_district_and_district_after_the_village():
    assert label_parts("Desa Kampung Delima, Curup Timur, Rejang Lebong, Bengkulu") == (
        "Curup Timur",
        "Rejang Lebong",
    )
    assert label_parts("Desa Sukamaju,  Cibeber ") == ("Cibeber", None)
    assert label_parts("Desa Sukamaju") == (None, None)


def test_a_few_villages_are_listed_in_full():
    labels = [f"Desa {k}" for k in range(LISTED_MAX)]
    assert site_summary(labels, "en") == {"text": "; ".join(labels), "list": None, "csv": None}


def test_many_villages_are_counted_by_district_and_sub_district_and_listed_apart():
    # Counted by hand: 1,000 villages, 4 x 10 sub-districts, 250 villages a district.
    summary = site_summary(LABELS, "en")
    assert summary["text"] == (
        "1000 villages in 40 sub-districts (kecamatan) of 4 districts (kabupaten/kota): "
        "Cianjur (250), Garut (250), Lebak (250), Sumedang (250)"
    )
    # More than 200: the folded list is the districts, every village in sites.csv.
    assert summary["list"] == [f"{d}: 250 villages, 10 sub-districts" for d in DISTRICTS]
    assert summary["csv"] == "tables/sites.csv"
    assert site_summary(LABELS[:200], "en")["list"] == LABELS[:200]
    assert site_summary(LABELS[:200], "en")["csv"] is None
    assert site_summary([*LABELS[:240], "Desa X"], "id")["list"] == [
        "Cianjur: 240 desa, 10 kecamatan",
        "label yang tidak menyebut kabupaten/kota: 1 desa",
    ]
    assert site_summary(LABELS, "id")["text"].startswith(
        "1000 desa di 40 kecamatan dari 4 kabupaten/kota: Cianjur (250)"
    )
    # Labels without places: the count alone.
    assert site_summary([f"Desa {k}" for k in range(11)], "en")["text"] == "11 villages"


def test_sub_districts_of_one_name_in_two_districts_are_two():
    labels = [f"Desa {k}, Sukamaju, Kab {k % 2}" for k in range(LISTED_MAX + 2)]
    assert site_summary(labels, "en")["text"].startswith("12 villages in 2 sub-districts")


def test_many_source_files_and_reasons_are_folded_and_a_few_are_not():
    def log(n_files):
        files = [f"data/raw/desa_{k:03d}/pre.csv" for k in range(n_files)]
        # One row dropped for a reason of its own per file (codes shown as they are).
        return pd.DataFrame(
            {"source_file": files, "action": "dropped", "reason": [f"r{k}" for k in range(n_files)]}
        )

    few, many = data_flow(log(LISTED_MAX), "en"), data_flow(log(3000), "id")
    assert few["files_heading"] is None and few["reasons_heading"] is None
    assert many["files_heading"] == "Semua berkas sumber (3000)"
    assert many["reasons_heading"] == "Baris yang berubah, menurut alasan (3000 alasan)"


def test_the_banner_says_what_the_data_are():
    for lang in ("id", "en"):
        assert study_words({"reconstructed": True}, lang)["banner"] == say(
            "report.reconstructed_banner", lang
        )
        assert study_words({"synthetic": True}, lang)["banner"] == say(
            "report.synthetic_banner", lang
        )
        assert study_words({"topic": "gizi"}, lang)["banner"] is None
    assert "Synthetic" in say("report.synthetic_banner", "en")
    assert "sintetis" in say("report.synthetic_banner", "id")


@pytest.fixture(scope="module")
def programme_pages(tmp_path_factory):
    """Reports of a two-village fixture whose study names 1,000 village labels and whose
    cleaning log rows come from 3 files a village, as a 1,000-village programme's do."""
    study = {}
    for lang in ("id", "en"):
        sites = site_summary(LABELS, lang)
        study[lang] = {
            **STUDY[lang],
            "site": sites["text"],
            "site_list": sites["list"],
            "site_csv": sites["csv"],
        }
    root = tmp_path_factory.mktemp("study")
    render_all(root, study=study, villages=2)
    log_path = root / OUTPUTS["cleaning_log"].path
    log = pd.read_csv(log_path, dtype=str, keep_default_na=False)
    log["source_file"] = [f"data/raw/desa_{k // 3:03d}/export_{k % 3}.csv" for k in range(len(log))]
    log.to_csv(log_path, index=False)
    paths = render_all(root, study=study, villages=2, fresh=False)
    return {lang: path.read_text(encoding="utf-8") for lang, path in paths.items()}


def _visible_before_the_pooled_result(page: str) -> str:
    """The text a reader sees between the contents and the pooled section, folds closed."""
    between = page[page.index("</nav>") : page.index('<section id="pooled">')]
    closed = re.sub(r"<details>.*?</summary>.*?</details>", "", between, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", closed))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_village_list_is_folded_so_the_pooled_result_comes_soon(lang, programme_pages):
    page = programme_pages[lang]
    study = page[page.index('<section id="study">') : page.index('<section id="data-flow">')]
    # The summary (count, kecamatan, kabupaten) opens the folded list of districts, and
    # the link to every village's label.
    folded = re.search(
        r"<details><summary>([^<]*)</summary><p>([^<]*)</p><p[^>]*>[^<]*<a href=\"([^\"]+)\"",
        study,
    )
    assert folded and html.unescape(folded.group(1)) == site_summary(LABELS, lang)["text"]
    assert html.unescape(folded.group(2)).split("; ") == site_summary(LABELS, lang)["list"]
    assert folded.group(3) == "tables/sites.csv"
    # 1,000 labels are ~45,000 characters; folded, what precedes the result is a few lines.
    assert len(" ".join(_visible_before_the_pooled_result(page).split())) < 1500


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} not found")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_in_a_browser_the_pooled_result_is_on_the_first_screen_after_the_contents(
    lang, programme_pages, tmp_path
):
    # A laptop's screen, 1280 x 800: the pooled sentence ends within 800 px below the contents.
    page = tmp_path / "page.html"
    page.write_text(programme_pages[lang], encoding="utf-8")
    nav_bottom, result_bottom = run_script(
        page,
        'return [document.querySelector("nav").getBoundingClientRect().bottom,'
        ' document.querySelector("#pooled .sentence").getBoundingClientRect().bottom];',
        window=(1280, 800),
    )
    assert 0 < result_bottom - nav_bottom <= 800


def test_labels_without_districts_fold_to_the_link_alone(tmp_path):
    # 201 villages named "Desa k" only: no district to list, every label in sites.csv.
    sites = site_summary([f"Desa {k}" for k in range(201)], "en")
    study = {"en": {**STUDY["en"], "site": sites["text"], "site_list": sites["list"],
                    "site_csv": sites["csv"]}}  # fmt: skip
    study["id"] = study["en"]
    page = render_all(tmp_path, study=study, villages=2)["en"].read_text(encoding="utf-8")
    link = html.escape(say("report.sites_csv", "en"))
    assert (
        f'<details><summary>201 villages</summary><p class="hint">{link} '
        '<a href="tables/sites.csv">sites.csv</a></p></details>'
    ) in page
