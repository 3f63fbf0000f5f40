"""The manuscript kit: every table cell is the result files' number in the language's
format, the methods paragraph names the installed versions, and the bytes are fixed.

Expected cells are built here from the result files as written (JSON and CSV read with
the standard library and pandas, not the result types the kit reads), formatted with
:func:`analisis.fmt.format_number` (tested on its own in its doctests and test_report).
"""

from __future__ import annotations

import json
import platform
import zipfile
from importlib import metadata
from pathlib import Path

import docx
import pandas as pd
import pytest
from markupsafe import escape
from report_fixtures import NAMES, STUDY, clear_figure_cache, render_all

from analisis.fmt import format_number, format_p
from analisis.registry import OUTPUTS, figure_names, figure_path
from analisis.registry import Run as RegistryRun
from analisis.report.manuscript import FIXED_DATE, SOFTWARE, write_manuscript
from analisis.report.provenance import package_versions
from analisis.report.render import PrivacyError
from analisis.report.sources import load_results
from analisis.report.text import TEXT
from analisis.text import say

CHECKSUM = "ab" * 32
CITATION = "The analisis contributors. analisis (Version 0.1.0) [Computer software]."
SEP = {"id": "; ", "en": ", "}


@pytest.fixture(scope="module", autouse=True)
def clean_cache():
    yield
    clear_figure_cache()


def _write(root: Path, lang: str, villages: int = 1, names=NAMES) -> Path:
    run = RegistryRun(published=True, villages=villages >= 2)
    paths = {n: root / OUTPUTS[n].path for n in OUTPUTS if (root / OUTPUTS[n].path).is_file()}
    results = load_results({n: p for n, p in paths.items() if p.suffix in (".json", ".csv")})
    return write_manuscript(
        results,
        lang,
        root / OUTPUTS["naskah" if lang == "id" else "manuscript"].path,
        figure_files={n: root / figure_path(n, lang, "png") for n in figure_names(run)},
        versions=package_versions(),
        checksum=CHECKSUM,
        citation=CITATION,
        study=STUDY[lang],
        forbidden_names=names,
    )


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    root = tmp_path_factory.mktemp("kit")
    render_all(root)
    return root, {lang: _write(root, lang) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def village_kit(tmp_path_factory):
    root = tmp_path_factory.mktemp("villages")
    render_all(root, villages=3)
    return root, {lang: _write(root, lang, villages=3) for lang in ("id", "en")}


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(path).tables]


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


def _json(root: Path, name: str) -> dict:
    return json.loads((root / OUTPUTS[name].path).read_text(encoding="utf-8"))


def _csv(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / OUTPUTS[name].path)


def num(value, lang, decimals=2) -> str:
    return format_number(value, decimals, lang)


def ci(pair, lang, decimals=2) -> str:
    return f"[{num(pair[0], lang, decimals)}{SEP[lang]}{num(pair[1], lang, decimals)}]"


def p_cell(value, lang) -> str:
    return format_p(value, lang).removeprefix("p = ").removeprefix("p ")


def _descriptives(root: Path, lang: str) -> list[list[str]]:
    details, paired = _json(root, "knowledge_details"), _json(root, "knowledge_paired")
    rows = []
    for phase in ("pre", "post"):
        d = details["descriptives"][phase]
        rows.append(
            [
                str(d["n"]),
                num(d["mean"], lang),
                num(d["sd"], lang),
                num(d["se"], lang),
                ci([d["ci95_lower"], d["ci95_upper"]], lang),
                num(d["median"], lang),
                f"{num(d['q1'], lang)}–{num(d['q3'], lang)}",
                f"{num(d['min'], lang)}–{num(d['max'], lang)}",
                num(100 * d["share_at_max"], lang, 1),
            ]
        )
    diff = paired["difference"]
    se = details["spss_paired_samples_test"]["std_error_mean"]
    rows.append(
        [
            str(paired["n_pairs"]),
            num(diff["mean"], lang),
            num(diff["sd"], lang),
            num(se, lang),
            ci(diff["ci95"], lang),
            "",
            "",
            "",
            "",
        ]
    )
    return rows


def _tests(root: Path, lang: str) -> list[list[str]]:
    k = _json(root, "knowledge_paired")
    eff = k["effect_size"]
    t = [
        f"t({k['t_test']['df']}) = {num(k['t_test']['t'], lang)}",
        p_cell(k["t_test"]["p"], lang),
        f"d_z = {num(eff['d_z'], lang)}",
        ci(eff["d_z_ci95"], lang),
    ]
    w = [
        f"V = {k['wilcoxon']['V']:.0f}",
        p_cell(k["wilcoxon"]["p"], lang),
        f"r_rb = {num(eff['rank_biserial'], lang)}",
        ci(eff["rank_biserial_ci95"], lang),
    ]
    return [t, w] if k["primary_test"] == "t_test" else [w, t]


def _effects(root: Path, lang: str) -> list[str]:
    eff = _json(root, "knowledge_paired")["effect_size"]
    details = _json(root, "knowledge_details")
    values = [f"{num(eff['d_z'], lang)} {ci(eff['d_z_ci95'], lang)}"]
    values += [num(eff[name], lang) for name in ("g_z", "d_av", "g_av", "d_rm")]
    values.append(f"{num(eff['rank_biserial'], lang)} {ci(eff['rank_biserial_ci95'], lang)}")
    values += [num(eff["cles"], lang), num(details["hodges_lehmann"], lang)]
    return [*values, ci(details["bootstrap_mean_difference"]["ci95"], lang)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_table_cell_is_the_result_files_number(kit, lang):
    root, files = kit
    tables = _tables(files[lang])
    t = TEXT[lang]
    assert len(tables) == 6
    descriptives, tests, effects, n_gain, groups, steps = tables
    assert descriptives[0] == [
        t[k]
        for k in (
            "phase",
            "n",
            "mean",
            "sd",
            "se",
            "ci95",
            "median",
            "quartiles",
            "min_max",
            "share_at_max",
        )
    ]
    assert [row[1:] for row in descriptives[1:]] == _descriptives(root, lang)
    assert [row[0] for row in descriptives[1:]] == [t["pre"], t["post"], t["difference"]]

    assert [row[1:] for row in tests[1:]] == _tests(root, lang)
    primary = _json(root, "knowledge_paired")["primary_test"]
    assert tests[1][0] == (
        f"{say(f'manuscript.test.{primary}', lang)} {say('manuscript.primary_marker', lang)}"
    )

    assert [row[1] for row in effects[1:]] == _effects(root, lang)

    categories = _csv(root, "n_gain_categories")
    assert [row[1] for row in n_gain[1:]] == [str(n) for n in categories["n"]]

    g = _csv(root, "skill_groups")
    assert groups[1:] == [
        [
            str(r.group),
            str(r.n),
            num(r.mean, lang),
            num(r.sd, lang),
            ci([r.ci95_lower, r.ci95_upper], lang),
        ]
        for r in g.itertuples()
    ]

    s = _csv(root, "skill_steps_summary")
    assert [[row[0], *row[2:]] for row in steps[1:]] == [
        [
            str(r.step_id),
            num(r.mean_points, lang),
            f"{r.max_points:.0f}",
            num(100 * r.share_full, lang, 1),
        ]
        for r in s.itertuples()
    ]


def test_the_decimal_mark_is_the_languages(kit):
    root, files = kit
    mean = _json(root, "knowledge_paired")["pre"]["mean"]
    assert _tables(files["id"])[0][1][2] == f"{mean:.2f}".replace(".", ",")
    assert _tables(files["en"])[0][1][2] == f"{mean:.2f}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_villages_add_the_by_village_table_and_the_meta_analyses(village_kit, lang):
    root, files = village_kit
    tables = _tables(files[lang])
    assert len(tables) == 8
    by_village, meta = tables[6], tables[7]
    table = _csv(root, "by_village")
    assert [row[0] for row in by_village[1:]] == list(table["cohort"])
    assert [row[1] for row in by_village[1:]] == [str(n) for n in table["n_pairs"]]
    assert [row[4] for row in by_village[1:]] == [
        f"{num(r.gain_mean, lang)} {ci([r.gain_ci95_lower, r.gain_ci95_upper], lang)}"
        for r in table.itertuples()
    ]
    pooled = _json(root, "pooled")
    expected = []
    for m in (pooled["meta_gain"], pooled["meta_d_z"], pooled["skill"]["meta_mean"]):
        expected.append(
            [
                num(m["estimate"], lang),
                ci(m["ci95"], lang),
                p_cell(m["p"], lang),
                f"{num(m['tau2'], lang)} {ci(m['tau2_ci95'], lang)}",
                f"{num(m['I2'], lang, 1)} {ci(m['I2_ci95'], lang, 1)}",
            ]
        )
    assert [row[1:6] for row in meta[1:]] == expected
    captions = _paragraphs(files[lang])
    assert say("manuscript.caption.villages", lang) in captions
    assert say("manuscript.caption.pooled", lang) in captions


@pytest.mark.parametrize("lang", ["id", "en"])
def test_methods_name_the_installed_versions_and_the_count_of_every_raw_row(kit, lang):
    _, files = kit
    paragraphs = _paragraphs(files[lang])
    start = paragraphs.index(say("manuscript.methods", lang))
    end = paragraphs.index(say("manuscript.results", lang))
    methods = " ".join(paragraphs[start + 1 : end])
    for name in SOFTWARE:
        version = platform.python_version() if name == "python" else metadata.version(name)
        assert f"{'Python' if name == 'python' else name} {version}" in methods.replace(
            "Snakemake", "snakemake"
        ).replace("SciPy", "scipy")
    # The fixture's cleaning log: 48 rows, 46 kept, 1 merged, 1 dropped, 23 pairs.
    counts = {"id": "48 baris", "en": "48 rows"}[lang]
    assert counts in methods and "46" in methods and "23" in methods
    assert say("report.reconstructed_banner", lang) in methods


@pytest.mark.parametrize("lang", ["id", "en"])
def test_results_are_the_reports_sentences_and_figures_have_captions(kit, lang):
    root, files = kit
    page = (root / OUTPUTS["laporan" if lang == "id" else "report"].path).read_text("utf-8")
    paragraphs = _paragraphs(files[lang])
    start = paragraphs.index(say("manuscript.results", lang))
    end = paragraphs.index(say("manuscript.tables", lang))
    for sentence in paragraphs[start + 1 : end]:
        assert str(escape(sentence)) in page  # the template's autoescape
    document = docx.Document(files[lang])
    assert len(document.inline_shapes) == 4
    assert say("manuscript.availability_text", lang, checksum=CHECKSUM) in paragraphs
    assert CITATION in paragraphs


def test_two_writes_give_the_same_bytes_with_fixed_dates(kit, tmp_path):
    root, files = kit
    first = files["en"].read_bytes()
    assert _write(root, "en").read_bytes() == first
    with zipfile.ZipFile(files["en"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = docx.Document(files["en"]).core_properties
    assert properties.created == properties.modified == FIXED_DATE


def test_a_name_in_the_results_stops_the_kit(tmp_path):
    render_all(tmp_path)
    groups_path = tmp_path / OUTPUTS["skill_groups"].path
    groups = pd.read_csv(groups_path, dtype={"group": str})
    groups.loc[0, "group"] = "Kelompok Dewi Lestari"
    groups.to_csv(groups_path, index=False)
    target = tmp_path / OUTPUTS["manuscript"].path
    with pytest.raises(PrivacyError, match="1 participant name"):
        _write(tmp_path, "en")
    assert not target.exists()
