"""The HTML reports and the manifest: sections, formatting, self-containment, determinism."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
from dataclasses import fields
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_fixtures import (
    NAMES,
    POST,
    PRE,
    STEP_POINTS,
    clear_figure_cache,
    render_all,
    write_results_files,
)
from scipy import stats

from analisis.errors import InputError
from analisis.fmt import format_number, format_p
from analisis.provenance import sha256_file
from analisis.registry import FIGURE_NAMES, MANIFEST, OUTPUTS
from analisis.report.context import EFFECT_LABELS
from analisis.report.manifest import write_manifest
from analisis.report.render import PrivacyError
from analisis.report.sources import load_results
from analisis.report.text import SECTION_IDS, SECTIONS, TEXT, VILLAGE_SECTIONS, WAVE_SECTIONS
from analisis.results import EffectSizes
from analisis.text import say

ROOT = Path(__file__).resolve().parents[1]


class Page(HTMLParser):
    """Ids, images, links and scripts of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.images: list[dict] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "img":
            self.images.append(attributes)
        for key in ("href", "src"):
            if key in attributes and tag != "img":
                self.links.append(attributes[key])


@pytest.fixture(scope="module", autouse=True)
def clean_cache():
    yield
    clear_figure_cache()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return render_all(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def pages(reports):
    return {lang: path.read_text(encoding="utf-8") for lang, path in reports.items()}


def test_report_files_are_named_by_language(reports):
    assert reports["id"].name == "laporan.html" and reports["en"].name == "report.html"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_section_is_present_in_order(lang, pages):
    ids = Page(pages[lang]).ids
    # The fixture has no delayed post-test: no waves section either.
    one_village = [sid for sid in SECTION_IDS if sid not in VILLAGE_SECTIONS + WAVE_SECTIONS]
    assert [i for i in ids if i in SECTION_IDS] == one_village


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_section_has_its_heading_in_the_language(lang, pages):
    headings = re.findall(r'<section id="([^"]+)">\s*<h2>([^<]*)</h2>', pages[lang])
    assert headings == [
        (sid, html.escape(TEXT[lang][key]))
        for sid, key in SECTIONS
        if sid not in VILLAGE_SECTIONS + WAVE_SECTIONS
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_is_self_contained(lang, pages):
    page = Page(pages[lang])
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    assert all(link.startswith(("#", "https://", "http://")) for link in page.links), page.links
    assert "file:" not in pages[lang]
    assert len(page.images) == 8  # with the planning figure
    for image in page.images:
        assert image["src"].startswith("data:image/png;base64,")
        png = base64.b64decode(image["src"].split(",", 1)[1], validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(image["alt"]) > 40


# The fixture's statistics, recomputed here with scipy and numpy from its scores.
DIFF = np.subtract(POST, PRE)
T = stats.ttest_rel(POST, PRE).statistic  # 18.94
D_Z = DIFF.mean() / DIFF.std(ddof=1)  # = t / sqrt(23), 3.95
SKILL = 100 * np.sum(STEP_POINTS, axis=1) / 12


def test_indonesian_report_writes_decimal_commas_and_the_english_one_points(pages):
    id_page, en_page = pages["id"], pages["en"]
    assert f"{T:.2f} {D_Z:.2f}" == "18.94 3.95"
    assert "t(22) = 18,94; p &lt; 0,001; d_z = 3,95 [" in id_page
    assert "t(22) = 18.94, p &lt; 0.001, d_z = 3.95 [" in en_page
    assert ">99,48<" in id_page and ">99.48<" in en_page
    assert ">76,00<" in id_page and ">76.00<" in en_page
    # 23 cadres, 12 points each: mean 92.39, SD 5.57.
    assert f"{SKILL.mean():.2f} {SKILL.std(ddof=1):.2f}" == "92.39 5.57"
    assert "rerata 92,39 (SB 5,57; n = 23)" in id_page
    assert "mean 92.39 (SD 5.57, n = 23)" in en_page


def test_both_reports_carry_the_results_sentence_and_its_indonesian_twin(pages):
    assert f"{np.std(PRE, ddof=1):.2f}" == "5.26"
    for page in pages.values():
        assert "Skor pengetahuan naik dari rerata 76,00 (SB 5,26) sebelum menjadi 99,48" in page
        assert "Knowledge scores rose from M = 76.00 (SD = 5.26) before to M = 99.48" in page
        assert "paired t-test (primary): t(22) = 18.94, p &lt; 0.001" in page


def test_spss_layouts_show_the_tables_reviewers_expect(pages):
    page = pages["en"]
    for heading in [
        "Paired Samples Test",
        "Wilcoxon Signed Ranks Test: Ranks",
        "Test Statistics",
        "Asymp. Sig. (2-tailed)",
        "Sig. (2-tailed)",
    ]:
        assert heading in page  # fmt: skip
    # t with SPSS's three decimals; Z of the normal approximation with the tie correction
    # (SPSS's), as scipy computes it without continuity correction.
    z = stats.wilcoxon(POST, PRE, method="approx", correction=False).zstatistic
    assert (f"{T:.3f}", f"{-abs(z):.3f}") == ("18.938", "-4.222")
    assert ">18.938<" in page and ">-4.222<" in page
    assert ">18,938<" in pages["id"]


def test_data_flow_counts_every_raw_row_and_names_reasons(pages):
    page = pages["en"]
    # 23 + 23 kept, 1 merged, 1 dropped in the fixture's cleaning log.
    assert "Raw data rows: <strong>48</strong>" in page
    # The log's codes, in words of each language.
    assert "<td>no pre-test submission matched; blank answers scored wrong</td>" in page
    assert "<td>merged</td><td>another submission of the same name was used</td>" in page
    assert "<td>tidak ada pre-test yang cocok; jawaban kosong dinilai salah</td>" in pages["id"]
    assert "no_pre_test" not in page
    # K24 took only the pre-test.
    assert "Pre–post pairs analysed: 23 (excluded for a missing value: 1)." in page


def test_assumptions_name_the_primary_test_and_why(pages):
    shapiro = stats.shapiro(DIFF)
    assert (f"{shapiro.statistic:.3f}", f"{shapiro.pvalue:.3f}") == ("0.951", "0.313")
    assert "W = 0.951, p = 0.313, α = 0.05" in pages["en"]
    assert "so the paired t-test is primary" in pages["en"]
    assert "W = 0,951; p = 0,313; α = 0,05" in pages["id"]
    # 20 of 23 post-test scores are 100.
    assert "87,0% kader mencapai skor maksimum" in pages["id"]


def test_published_check_is_shown_when_the_review_ran(pages):
    assert "99.50 is impossible for 23 integer scores" in pages["en"]
    assert ">impossible<" in pages["en"] and ">tidak mungkin<" in pages["id"]
    assert "Not applicable" not in pages["en"]


def test_published_check_says_not_run_without_review_results(tmp_path):
    reports = render_all(tmp_path, with_review=False)
    id_page = reports["id"].read_text(encoding="utf-8")
    en_page = reports["en"].read_text(encoding="utf-8")
    # "Belum dijalankan" (not run) read as a failure; without a published: block the
    # check does not apply.
    assert en_page.count("Not applicable: the configuration of this study gives no published") == 2
    assert id_page.count("Tidak berlaku: konfigurasi studi ini tidak memuat") == 2
    assert len(Page(en_page).images) == 7  # no robustness histogram (planning is there)


def test_reproducibility_footer_lists_hashes_versions_commit_and_config(reports, pages):
    page = pages["en"]
    root = reports["en"].parent.parent
    log = root / "data" / "processed" / "cleaning_log.csv"
    assert "<code>data/processed/cleaning_log.csv</code>" in page
    assert sha256_file(log) in page
    assert "0123456789abcdef" in page
    assert "<td>statsmodels</td><td>0.15.0</td>" in page
    assert "seed: 20240906" in page
    assert "Python 3.11.7" in page and "Matplotlib 3.11.2" in page  # methods paragraph


def test_rendering_again_elsewhere_gives_the_same_bytes(reports, tmp_path):
    again = render_all(tmp_path)
    for lang in ("id", "en"):
        assert again[lang].read_bytes() == reports[lang].read_bytes()


def test_no_participant_name_appears(pages):
    for page in pages.values():
        for name in NAMES:
            assert name.lower() not in page.lower()


def test_a_name_in_the_results_stops_the_report(tmp_path):
    log_path = write_results_files(tmp_path)["cleaning_log"]
    log = pd.read_csv(log_path)
    log.loc[log["action"] == "dropped", "reason"] = "no pre-test for SITI  Aminah"
    log.to_csv(log_path, index=False)
    with pytest.raises(PrivacyError, match="1 participant name"):
        render_all(tmp_path, fresh=False)


def test_a_cadre_called_like_an_author_or_the_village_does_not_stop_the_report(tmp_path):
    # "Sari" is in the citation, "Delima" in the site: words of the study, not of the data.
    reports = render_all(tmp_path, names=[*NAMES, "Sari", "Kampung Delima"])
    page = reports["en"].read_text(encoding="utf-8")
    assert "Kurniyati, Sari, Andini" in page and "Desa Kampung Delima" in page


def test_a_name_in_a_group_label_stops_the_report(tmp_path):
    groups_path = write_results_files(tmp_path)["skill_groups"]
    groups = pd.read_csv(groups_path, dtype={"group": str})
    groups.loc[0, "group"] = "Kelompok Dewi Lestari"
    groups.to_csv(groups_path, index=False)
    with pytest.raises(PrivacyError, match="1 participant name"):
        render_all(tmp_path, fresh=False)


def test_the_study_block_titles_the_report_and_a_banner_says_reconstructed(pages):
    en, id_ = html.unescape(pages["en"]), pages["id"]
    assert "<h1>Analysis report: lactation-massage training of health cadres</h1>" in en
    assert "<h1>Laporan analisis: pelatihan kader pijat laktasi</h1>" in id_
    assert '<p class="banner" role="note">Reconstructed data, not the authors\'' in en
    assert '<p class="banner" role="note">Data rekonstruksi, bukan data para penulis' in id_
    assert "computed from reconstructed data" in en and "recomputed from the raw" not in en
    assert "dihitung dari data rekonstruksi" in id_ and "dihitung ulang dari data" not in id_
    assert "their lactation-massage skill was then scored" in en


def test_a_study_of_real_data_has_no_banner(tmp_path):
    study = {lang: {"topic": "gizi", "reconstructed": False} for lang in ("id", "en")}
    page = render_all(tmp_path, study=study)["id"].read_text(encoding="utf-8")
    assert "Laporan analisis: pelatihan kader gizi" in page
    assert 'class="banner"' not in page and "dihitung ulang dari data mentah" in page


def test_printed_values_take_the_decimal_mark_of_the_language(pages):
    assert 'num">99,50</td><td class="num">99,48<' in pages["id"]
    assert 'num">99.50</td><td class="num">99.48<' in pages["en"]


def test_every_caption_of_the_snakemake_report_is_used_and_carries_the_banner():
    folder = ROOT / "workflow" / "report"
    used = {*OUTPUTS, *FIGURE_NAMES, "report_html", "workflow"} - {"report"}
    banner = say("report.reconstructed_banner", "en")
    for caption in folder.glob("*.rst"):
        assert caption.stem in used, caption.name
        text = caption.read_text(encoding="utf-8")
        assert text.startswith('{% if snakemake.config.get("study", {}).get("reconstructed") %}')
        assert banner in text and say("report.reconstructed_banner", "id") in text


def test_a_missing_result_key_names_the_file_and_key(tmp_path):
    details_path = write_results_files(tmp_path)["knowledge_details"]
    details = json.loads(details_path.read_text())
    del details["spss_wilcoxon_ranks"]["asymp_sig_2_tailed"]
    details_path.write_text(json.dumps(details))
    with pytest.raises(InputError) as error:
        render_all(tmp_path, fresh=False)
    assert "knowledge_details.json" in str(error.value)
    assert "asymp_sig_2_tailed" in str(error.value)


def test_a_missing_result_file_is_an_input_error(tmp_path):
    paths = write_results_files(tmp_path)
    paths["skill"].unlink()
    with pytest.raises(InputError, match=r"skill\.json"):
        load_results(paths)


def test_manifest_lists_exactly_the_files_given_and_verifies_with_sha256sum(tmp_path):
    for name, text in {
        "data/processed/b.csv": "b\n",
        "data/processed/a.csv": "abc",
        "data/processed/private/linkage.csv": "names\n",
        "reports/report.html": "<html></html>\n",
        "reports/figures/x_id.png": "png",
        "reports/figures/left_by_an_earlier_study_id.png": "old",
        "reports/.report.html.tmp123": "partial",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    given = ["reports/report.html", "data/processed/b.csv", "reports/figures/x_id.png",
             "data/processed/a.csv"]  # fmt: skip
    path = write_manifest(given, root=tmp_path)
    assert path == tmp_path / MANIFEST
    lines = path.read_text().splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == sorted(given)
    # FIPS 180-2 test vector: SHA-256("abc").
    assert lines[0] == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  data/processed/a.csv"
    )
    assert path.read_bytes().endswith(b"\n") and b"\r" not in path.read_bytes()
    first = path.read_bytes()
    write_manifest(reversed(given), root=tmp_path)
    assert path.read_bytes() == first
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "-c", "--strict", MANIFEST],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        (tmp_path / "reports/report.html").write_text("changed")
        check = subprocess.run(
            ["sha256sum", "-c", "--quiet", MANIFEST],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert check.returncode != 0 and "reports/report.html: FAILED" in check.stdout


def test_effect_size_table_lists_every_effect_size_of_the_result_type(pages):
    section = pages["en"].split('<section id="effect-sizes">')[1].split("</section>")[0]
    estimates = [f.name for f in fields(EffectSizes) if not f.name.endswith("_ci95")]
    # Every estimate, Hodges-Lehmann and the bootstrap interval: one row each.
    assert section.count("<tr>") == 1 + len(estimates) + 2
    for name in estimates:
        assert TEXT["en"][EFFECT_LABELS.get(name, f"{name}_text")] in html.unescape(section)


def test_effect_size_table_shows_g_z(pages):
    # d_z = t / sqrt(23) with t from scipy; df = 22, J = 1 - 3 / 87 (Lakens 2013, eq. 4).
    g_z = T / np.sqrt(23) * (1 - 3 / (4 * 22 - 1))
    assert f"{g_z:.2f}" == "3.81"
    assert '<td>g_z (d_z with Hedges&#39; correction)</td><td class="num">3.81</td>' in pages["en"]
    assert '<td>g_z (d_z dengan koreksi Hedges)</td><td class="num">3,81</td>' in pages["id"]


def test_report_says_how_the_primary_test_was_chosen_and_flags_the_scale(pages):
    en, id_ = (html.unescape(pages[lang]) for lang in ("en", "id"))
    # The fixture's results use the schema default (auto): data-driven, both tests shown.
    assert "chosen from the data (data-driven" in en and "berbasis data" in id_
    assert "t(22) = 18.94" in en and "V = 276" in en
    # 20 of 23 post scores at 100 = 87.0% >= 15% (Terwee et al. 2007).
    assert "After: 87.0% of scores are at the scale's maximum (100)" in en
    assert "efek plafon (Terwee dkk. 2007)" in id_
    # d_z = mean / SD of the differences (numpy, above); d_av divides by the mean of the SDs.
    d_av = DIFF.mean() / ((np.std(PRE, ddof=1) + np.std(POST, ddof=1)) / 2)
    assert f"d_av = {d_av:.2f}" in en and f"d_z = {D_Z:.2f}" in en and d_av > D_Z
    # Every difference positive: r_rb = 1 with the degenerate CI [1, 1].
    assert "The rank-biserial interval [1.00, 1.00] is degenerate" in en
    # Post mean 99.48 ± t(0.975, 22) × SE: the upper limit passes 100.
    se = np.std(POST, ddof=1) / np.sqrt(23)
    upper = np.mean(POST) + stats.t.ppf(0.975, 22) * se
    assert upper > 100 and f"{upper:.2f}]" in en
    assert "reaches beyond the scale (0–100)" in en and "melampaui skala (0–100)" in id_


def test_pre_specified_primary_test_is_called_so(tmp_path):
    from dataclasses import replace

    from analisis.report.context import checks_context

    results = load_results(write_results_files(tmp_path))
    details = replace(results.knowledge_details, primary_test_rule="pre-specified")
    checks = {
        lang: checks_context(replace(results, knowledge_details=details), lang)
        for lang in ("en", "id")
    }
    assert "pre-specified as the primary test" in checks["en"]["primary_rule"]
    assert "ditetapkan sebelumnya" in checks["id"]["primary_rule"]
    assert checks["en"]["primary_data_driven"] is False


@pytest.fixture(scope="module")
def village_pages(tmp_path_factory):
    made = render_all(tmp_path_factory.mktemp("villages"), villages=2)
    return {lang: path.read_text(encoding="utf-8") for lang, path in made.items()}


def test_one_village_has_no_village_sections(pages):
    for page in pages.values():
        assert 'id="pooled"' not in page and 'id="villages"' not in page
        assert "ignoring villages" not in page and "mengabaikan desa" not in page


@pytest.fixture(scope="module")
def pooled_document(tmp_path_factory) -> dict:
    paths = write_results_files(tmp_path_factory.mktemp("pooled"), villages=2)
    return json.loads(Path(paths["pooled"]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pooled_gain(pooled_document) -> dict:
    return pooled_document["meta_gain"]


def test_two_villages_headline_the_pooled_gain_and_label_the_naive_tests(
    village_pages, pooled_gain
):
    en, id_ = village_pages["en"], village_pages["id"]
    for page in (en, id_):
        expected = [sid for sid in SECTION_IDS if sid not in WAVE_SECTIONS]
        assert [i for i in Page(page).ids if i in SECTION_IDS] == expected
        assert 'id="fig-forest_plot"' in page and 'id="fig-skill_by_village"' in page
    # The sentence shows pooled.json's meta-analysis of the gain (checked against metafor
    # in test_stats_meta.py), in each language's words and number format.
    (lo, hi), test = pooled_gain["ci95"], pooled_gain["test"]
    for lang, page, head in (
        ("en", en, "Pooled over 2 villages (random effects, REML, {test}): knowledge"),
        ("id", id_, "Digabung atas 2 desa (efek acak, REML, {test}): skor pengetahuan"),
    ):
        assert head.format(test=say(f"report.pool_test.{test}", lang)) in page
        number = [format_number(x, 2, lang) for x in (pooled_gain["estimate"], lo, hi)]
        interval = f"[{number[1]}{'; ' if lang == 'id' else ', '}{number[2]}]"
        assert f"{number[0]} {'poin' if lang == 'id' else 'points'} {interval}" in page
        assert html.escape(format_p(pooled_gain["p"], lang)) in page
    # The naive paired tests are labelled, and the results sentence opens with the pooled one.
    assert "<h2>Tests (SPSS layout) (ignoring villages)</h2>" in en
    assert (
        "<h2>Tes (tata letak SPSS) (mengabaikan desa)</h2>" in id_
        or "(mengabaikan desa)</h2>" in id_
    )
    section = en[en.index('id="results-sentence"') :]
    assert section.index("Headline (pooled over villages)") < section.index("(ignoring villages):")


def test_by_village_table_and_per_village_tables_in_each_language(village_pages):
    en, id_ = village_pages["en"], village_pages["id"]
    assert ">27.48 [24.91, 30.05]<" in en and ">27,48 [24,91; 30,05]<" in id_
    assert ">72.00 (5.26)<" in en and ">72,00 (5,26)<" in id_
    assert "<h3>Mentoring groups by village</h3>" in en
    assert "<td>desa_02</td><td>Group 1</td>" in en and "<td>desa_02</td><td>Kelompok 1</td>" in id_
    assert "<h3>Langkah daftar tilik per desa</h3>" in id_
    # Two villages: a plain table, no script.
    assert "<script>" not in en and 'id="village-filter"' not in en


def test_mixed_model_and_where_to_send_mentors(village_pages, pooled_document):
    en, mixed = village_pages["en"], pooled_document["mixed_gain"]
    numbers = [format_number(x, 2, "en") for x in (mixed["estimate"], *mixed["ci95"])]
    df = format_number(mixed["df"], 1, "en")
    assert (
        f"Mixed model (random intercept per village): pooled gain {numbers[0]} "
        f"[{numbers[1]}, {numbers[2]}] (t with {df} Satterthwaite df)"
    ) in en
    assert f"ICC {format_number(mixed['icc'], 2, 'en')}" in en
    assert "lies below the target of 28.0 points: none." in en


def test_heterogeneity_is_given_with_its_interval_and_two_villages_are_called_wide(
    village_pages, pooled_gain
):
    # The sentence cites the Q-profile intervals of tau² and I² (checked against metafor's
    # confint in test_stats_meta.py); two villages get the note on 1 degree of freedom.
    for lang in ("en", "id"):
        page = village_pages[lang]
        tau2 = [format_number(x, 2, lang) for x in (pooled_gain["tau2"], *pooled_gain["tau2_ci95"])]
        sep = "; " if lang == "id" else ", "
        assert f"τ² = {tau2[0]} [{tau2[1]}{sep}{tau2[2]}]" in page
        assert html.escape(say("pool_note.two_villages", lang)) in page


def test_ten_villages_mark_those_below_the_target_and_can_sort(tmp_path):
    page = render_all(tmp_path, villages=10)["id"].read_text(encoding="utf-8")
    assert "di bawah target 28,0 poin: desa_04; desa_08." in page
    assert 'id="village-filter"' in page and '<button type="button" data-column="4">' in page
    # Ten villages look as before: every row in the table, no pages, no table cut.
    body = page[page.index('<table id="by-village"') :]
    assert body[: body.index("</table>")].count("<tr>") == 11
    assert '<p id="by-village-pages" hidden>' in page and 'href="tables/' not in page


def test_villages_left_out_of_the_pooling_are_named_with_the_reason_in_each_language(tmp_path):
    from dataclasses import replace

    from analisis.report.context import Formatter
    from analisis.report.villages import pooled_context
    from analisis.results import ExcludedFromPooling

    results = load_results(write_results_files(tmp_path, villages=2))
    left_out = (
        ExcludedFromPooling("desa_09", 1, "too_few_pairs"),
        ExcludedFromPooling("desa_10", 3, "no_spread"),
    )
    results = replace(results, pooled=replace(results.pooled, excluded=left_out))
    words = {
        lang: pooled_context(results, lang, Formatter(lang))["excluded"] for lang in ("id", "en")
    }
    assert words["en"] == (
        "Left out of the pooling: desa_09 (only 1 complete pair(s)), desa_10 (all gains equal: "
        "SD 0, so no sampling variance and d_z undefined)."
    )
    assert words["id"].startswith("Tidak diikutkan dalam penggabungan: desa_09 (hanya 1 pasangan")
    assert "desa_10 (semua selisih sama" in words["id"]
