"""End to end: the Snakemake pipeline on the bundled study, in scratch copies of the workflow.

Checks the foundation's "done when" points on real runs: the tables reproduce the paper
(23 pairs, 76.00, 99.48, 87.26); the cleaning log accounts for every raw row, counted
here independently of the package; no raw name or phone number reaches data/processed/
(the private linkage aside) or reports/; two runs from a clean state give the same
bytes; bad input stops the run with one clear message, no partial output and data/raw/
untouched; a user's config and a second village need no code change.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import platform
import re
import shutil
import subprocess
import zipfile
from dataclasses import fields
from importlib import metadata
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
import yaml
from scipy import stats
from scipy.stats import kruskal, ttest_rel

from analisis import results
from analisis.config import DEFAULTS
from analisis.registry import Run, figure_names, run_outputs
from analisis.report.browser import CHROMIUM, check_page, chromium_available
from analisis.report.text import SECTION_IDS, VILLAGE_SECTIONS, WAVE_SECTIONS
from analisis.sandbox import copy_workflow, run_snakemake
from analisis.stats.meta import random_effects_meta
from analisis.text import say

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data/raw/kampung_delima"
EXPORTS = ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv")
WORKBOOK = "daftar_tilik_keterampilan.xlsx"


def _run_ok(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    done = run_snakemake(workdir, *args)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    workdir = copy_workflow(ROOT, tmp_path_factory.mktemp("pipeline") / "run")
    _run_ok(workdir)
    return workdir


def _json(workdir: Path, name: str) -> dict:
    return json.loads((workdir / "reports/tables" / name).read_text())


def _tree_digest(path: Path) -> dict[str, str]:
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------- the paper


def test_tables_reproduce_the_paper(run):
    paired = _json(run, "knowledge_paired.json")
    assert paired["n_pairs"] == 23
    assert f"{paired['pre']['mean']:.2f}" == "76.00"
    assert f"{paired['post']['mean']:.2f}" == "99.48"
    skill = _json(run, "skill.json")
    assert skill["n"] == 23
    assert f"{skill['mean']:.2f}" == "87.26"
    groups = pd.read_csv(run / "reports/tables/skill_groups.csv")
    assert sorted(groups["n"]) == [5, 6, 6, 6]


def test_processed_tables_agree_with_the_results(run):
    scores = pd.read_csv(run / "data/processed/knowledge_scores.csv")
    means = scores.groupby("phase")["score"].mean()
    assert means["pre"] == pytest.approx(76.0, abs=1e-9)
    assert means["post"] == pytest.approx(2288 / 23, abs=1e-9)  # 572 of 575 items right
    wide = pd.read_csv(run / "data/processed/knowledge_wide.csv")
    assert wide["paired"].sum() == 23
    skill = pd.read_csv(run / "data/processed/skill_scores.csv")
    assert skill["score"].mean() == pytest.approx(863 / 43 / 23 * 100, abs=1e-9)


def test_published_check_flags_only_the_impossible_mean(run):
    rows = {r["quantity"]: r for r in _json(run, "published_check.json")["cohorts"][0]["rows"]}
    assert rows["post_mean"]["grim_consistent"] is False
    assert rows["post_mean"]["agrees"] is False
    assert [rows[q]["agrees"] for q in ("n", "pre_mean", "gain", "skill_mean")] == [True] * 4
    robust = _json(run, "published_robustness.json")["cohorts"][0]
    assert robust["significant_in_every_case"] is True


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("knowledge_paired.json", results.PairedSummary),
        ("knowledge_details.json", results.PairedDetails),
        ("skill.json", results.SkillResult),
        ("items.json", results.ItemsSummary),
        ("published_check.json", results.PublishedCheck),
        ("published_robustness.json", results.Robustness),
        ("planning.json", results.PlanningResult),
    ],
)
def test_result_types_round_trip_the_bundled_studys_files(run, name, kind):
    document = _json(run, name)
    again = kind.from_dict(document, source=name).to_dict()
    assert again == document and list(again) == list(document)


def test_every_figure_in_both_languages_and_three_formats(run):
    expected = {
        f"{name}_{lang}.{fmt}"
        for name in figure_names(Run(published=True))  # one village: no village figures
        for lang in ("id", "en")
        for fmt in ("png", "svg", "pdf")
    }
    assert {p.name for p in (run / "reports/figures").iterdir()} == expected


def test_reports_speak_their_language(run):
    laporan = (run / "reports/laporan.html").read_text()
    report = (run / "reports/report.html").read_text()
    assert "t(22) = 14,89; p &lt; 0,001" in laporan and "t(22) = 14.89, p &lt; 0.001" in report
    assert "99,48" in laporan and "99.48" in report
    # The robustness search finds no upper bound of t (all differences can be equal).
    assert "sampai tak terbatas" in laporan and "to unbounded" in report
    assert "metode: aproksimasi normal" in laporan


# ------------------------------------------------------------------ nothing lost, no names


def _raw_rows() -> set[tuple[str, str, int]]:
    """Every raw data row, counted with pandas/openpyxl alone (header = row 1)."""
    rows = set()
    for name in EXPORTS:
        frame = pd.read_csv(RAW / name, dtype=str, keep_default_na=False)
        rows |= {(name, "", i + 2) for i in range(len(frame))}
    book = openpyxl.load_workbook(RAW / WORKBOOK, read_only=True)
    for sheet in book.worksheets:
        header = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                header = number if values[:2] == ("No", "Nama Kader") else None
            elif any(v is not None for v in values):
                rows.add((WORKBOOK, sheet.title, number))
    return rows


def test_cleaning_log_accounts_for_every_raw_row_once(run):
    log = pd.read_csv(run / "data/processed/cleaning_log.csv", dtype=str, keep_default_na=False)
    logged = list(zip(log["source_file"], log["sheet"], log["source_row"].astype(int), strict=True))
    assert len(logged) == len(set(logged))
    assert {(Path(f).name, s, r) for f, s, r in logged} == _raw_rows()
    assert len(logged) == 24 + 24 + 23
    assert set(log["action"]) <= {"kept", "merged", "dropped", "flagged"}
    assert (log["reason"] != "").all()


def _identifying_strings() -> set[str]:
    names = set()
    for name in EXPORTS:
        frame = pd.read_csv(RAW / name, dtype=str, keep_default_na=False)
        names |= set(frame["Nama"]) | set(frame["Nomor HP"]) - {""}
    book = openpyxl.load_workbook(RAW / WORKBOOK, read_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        names.add(str(rows[1][1]))  # Penilai (assessor)
        names |= {str(r[1]) for r in rows[5:] if r[1]}
    return {" ".join(n.split()) for n in names if n.strip()}


def test_no_raw_name_or_phone_number_leaves_data_raw(run):
    strings = _identifying_strings()
    assert len(strings) > 40  # names of 23 cadres, variants, phones, assessors
    patterns = [re.compile(re.escape(s).replace(r"\ ", r"\s+"), re.IGNORECASE) for s in strings]
    checked = 0
    for top in ("data/processed", "reports"):
        for path in (run / top).rglob("*"):
            if path.is_dir() or "private" in path.relative_to(run).parts:
                continue
            text = path.read_bytes().decode("utf-8", errors="ignore")
            leaked = [p.pattern for p in patterns if p.search(text)]
            assert leaked == [], f"{path.relative_to(run)} contains {leaked[:3]}"
            checked += 1
    assert checked > 60


def test_private_linkage_is_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "data/processed/private/linkage.csv"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


# ----------------------------------------------------------------------- reproducibility


def _check_manifest(workdir: Path) -> None:
    done = subprocess.run(
        ["sha256sum", "--check", "--strict", "reports/MANIFEST.sha256"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _manifest_files(workdir: Path) -> list[str]:
    lines = (workdir / "reports/MANIFEST.sha256").read_text().splitlines()
    return [line.split("  ", 1)[1] for line in lines]


def test_manifest_verifies_with_sha256sum(run):
    _check_manifest(run)
    listed = set(_manifest_files(run))
    assert "reports/laporan.html" in listed and "data/processed/knowledge_scores.csv" in listed


def test_the_kit_gives_the_manifests_checksum_and_the_installed_versions(run):
    lines = (run / "reports/MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    # What `grep -v -E '\\.(html|docx)$' reports/MANIFEST.sha256 | sha256sum` prints.
    kept = "".join(f"{line}\n" for line in lines if not re.search(r"\.(html|docx)$", line))
    checksum = hashlib.sha256(kept.encode()).hexdigest()
    assert len(kept.splitlines()) == len(lines) - 4
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for lang, name in (("id", "naskah"), ("en", "manuscript")):
        text = "\n".join(p.text for p in docx.Document(run / f"reports/{name}.docx").paragraphs)
        assert say("manuscript.availability_text", lang, checksum=checksum) in text
        names = ("pandas", "scipy", "statsmodels", "pingouin", "seaborn", "snakemake", "analisis")
        for package in names:  # SciPy, Snakemake: as their projects write them
            assert f"{package} {metadata.version(package)}" in text.lower()
        assert f"Python {platform.python_version()}" in text
        page = (run / f"reports/{'laporan' if lang == 'id' else 'report'}.html").read_text()
        assert f"{say('report.how_to_cite', lang)}: The analisis contributors. {cff['title']}" in (
            page
        )


def test_two_runs_from_a_clean_state_give_the_same_bytes(run, tmp_path):
    second = copy_workflow(ROOT, tmp_path / "second")
    _run_ok(second)
    assert (second / "reports/MANIFEST.sha256").read_bytes() == (
        run / "reports/MANIFEST.sha256"
    ).read_bytes()
    for top in ("data/processed", "reports"):
        assert _tree_digest(second / top) == _tree_digest(run / top)


def test_rerun_does_nothing_and_a_code_change_reruns(run, tmp_path):
    assert "Nothing to be done" in _run_ok(run, "--dry-run").stdout
    changed = copy_workflow(run, tmp_path / "changed")
    for top in ("data/processed", "data/interim", "reports", ".snakemake"):
        if (run / top).exists():
            shutil.copytree(run / top, changed / top, dirs_exist_ok=True, symlinks=True)
    scoring = changed / "src/analisis/scoring.py"
    scoring.write_text(scoring.read_text() + "\n# touched by a test\n")
    planned = _run_ok(changed, "--dry-run").stdout
    assert re.search(r"^rule clean_score_shard:", planned, re.MULTILINE)


def test_snakemake_report_builds(run):
    _run_ok(run, "--report", "reports/snakemake-report.zip")
    archive = run / "reports/snakemake-report.zip"
    assert archive.stat().st_size > 100_000
    with zipfile.ZipFile(archive) as report:
        files = {Path(name).name for name in report.namelist()}
        page = report.read("snakemake-report/report.html").decode("utf-8")
    # The result tables, each with its caption, and the banner of the reconstruction.
    for table in ("knowledge_paired.json", "skill_groups.csv", "items.csv", "items.json"):
        assert table in files
    assert "Reliability of the knowledge test" in page
    assert "Reconstructed data, not the authors" in page


def test_lint_is_clean():
    done = run_snakemake(ROOT, "--lint")
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------------------- bad input


@pytest.fixture
def broken_copy(tmp_path):
    return copy_workflow(ROOT, tmp_path / "broken")


def _unknown_option(workdir: Path) -> None:
    post = workdir / "data/raw/kampung_delima/posttest_pengetahuan.csv"
    frame = pd.read_csv(post, dtype=str, keep_default_na=False)
    frame.loc[3, frame.columns[5]] = "Jawaban yang tidak ada"
    frame.to_csv(post, index=False)


def _empty_export(workdir: Path) -> None:
    (workdir / "data/raw/kampung_delima/pretest_pengetahuan.csv").write_bytes(b"")


def _undecodable(workdir: Path) -> None:
    # 0x81 is neither UTF-8 here nor a Windows-1252 character.
    post = workdir / "data/raw/kampung_delima/posttest_pengetahuan.csv"
    data = post.read_bytes()
    cut = data.index(b"Herlina")
    post.write_bytes(data[:cut] + b"\x81" + data[cut:])


def _missing_sheet(workdir: Path) -> None:
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    config["cohorts"][0]["skill"]["sheets"].append("Kelompok 5")
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config))


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            _unknown_option,
            [
                "posttest_pengetahuan.csv, row 5, column 'Peraturan Pemerintah",
                "Jawaban yang tidak ada",
            ],
        ),
        (_empty_export, ["pretest_pengetahuan.csv", "expected"]),
        (_undecodable, ["posttest_pengetahuan.csv, row 2", "UTF-8", "0x81"]),
        (_missing_sheet, ["daftar_tilik_keterampilan.xlsx", "'Kelompok 5'", "Kelompok 4"]),
    ],
    ids=["unknown-option", "empty-file", "undecodable-bytes", "missing-sheet"],
)
def test_bad_input_stops_the_run_with_one_message_and_no_partial_output(
    broken_copy, damage, expected
):
    damage(broken_copy)
    raw_before = _tree_digest(broken_copy / "data/raw")

    done = run_snakemake(broken_copy)

    assert done.returncode != 0
    message = [line for line in done.stderr.splitlines() if line.startswith("analisis: error:")]
    assert len(message) == 1, done.stderr[-2000:]
    for words in expected:
        assert words in message[0]
    # Only jobs that read no raw file (the data dictionary, the robustness search from the
    # config's published means) may have finished; nothing derived from the exports exists.
    made = {
        p.relative_to(broken_copy).as_posix()
        for top in ("data/processed", "reports")
        for p in (broken_copy / top).rglob("*")
        if p.is_file()
    }
    assert made <= {
        "data/processed/data_dictionary.csv",
        "reports/tables/published_robustness.json",
    }
    assert _tree_digest(broken_copy / "data/raw") == raw_before


def test_invalid_config_is_refused_before_anything_runs(broken_copy):
    config = yaml.safe_load((broken_copy / "config/config.yaml").read_text())
    config["cleaning"] = {"duplicate_rule": "keep_all"}
    (broken_copy / "config/config.yaml").write_text(yaml.safe_dump(config))
    done = run_snakemake(broken_copy)
    assert done.returncode != 0
    assert "keep_all" in done.stderr
    assert not (broken_copy / "data/processed").exists()
    assert not (broken_copy / "reports").exists()


# ------------------------------------------------------------------- another study, many


@pytest.fixture(scope="module")
def two_villages(tmp_path_factory) -> Path:
    """The bundled village and a copy of it (same sheets, groups, assessor codes), with
    the copy's first 6 post-test rows removed so the villages differ; a user's config."""
    workdir = copy_workflow(ROOT, tmp_path_factory.mktemp("villages") / "two")
    shutil.copytree(workdir / "data/raw/kampung_delima", workdir / "data/raw/desa_kedua")
    post = workdir / "data/raw/desa_kedua" / EXPORTS[1]
    frame = pd.read_csv(post, dtype=str, keep_default_na=False)
    frame.iloc[6:].to_csv(post, index=False)
    bundled = yaml.safe_load((workdir / "config/config.yaml").read_text())["cohorts"][0]
    second = json.loads(json.dumps(bundled).replace("kampung_delima", "desa_kedua"))
    second.pop("published")
    second["label"] = "Desa Kedua"
    (workdir / "their.yaml").write_text(yaml.safe_dump({"cohorts": [bundled, second]}))
    _run_ok(workdir, "--configfile", "their.yaml")
    return workdir


def _processed(workdir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(workdir / f"data/processed/{name}.csv")


def test_a_users_config_with_two_villages_needs_no_code_change(two_villages):
    workdir = two_villages
    wide = _processed(workdir, "knowledge_wide")
    pairs = wide[wide["paired"]]
    n_per_village = pairs.groupby("cohort").size().to_dict()
    assert n_per_village["kampung_delima"] == 23 and n_per_village["desa_kedua"] < 23
    paired = _json(workdir, "knowledge_paired.json")
    assert paired["n_pairs"] == len(pairs)
    assert list(paired) == [f.metadata.get("key", f.name) for f in fields(results.PairedSummary)]
    pooling = _json(workdir, "knowledge_details.json")["pooling"]
    assert pooling == {
        "n_villages": 2,
        "paired_tests": "ignores_villages",
        "village_aware_results": "pooled.json",
    }
    checked = _json(workdir, "published_check.json")["cohorts"]
    assert [c["cohort"] for c in checked] == ["kampung_delima"]
    assert not (workdir / "reports/tables/knowledge_by_cohort.csv").exists()
    assert _manifest_files(workdir) == run_outputs(Run(published=True, villages=True))
    assert (workdir / "reports/figures/forest_plot_en.png").exists()
    assert (workdir / "reports/report.html").exists()
    report = (workdir / "reports/report.html").read_text()
    assert '<section id="pooled">' in report and '<section id="villages">' in report
    assert "Pooled over 2 villages (random effects" in report
    assert "(ignoring villages)</h2>" in report


def test_one_village_plans_from_the_icc_assumption_and_says_so(run):
    planning = _json(run, "planning.json")
    wide = _processed(run, "knowledge_wide")
    gains = (wide["post"] - wide["pre"])[wide["paired"]]
    settings = DEFAULTS["planning"]
    plan = planning["halfwidth_plan"]
    a = plan["assumptions"]
    assert (planning["sigma2_source"], planning["tau2_source"]) == (
        "paired_gains",
        "icc_assumption",
    )
    assert a["sigma2"] == pytest.approx(gains.var(ddof=1), rel=1e-12)
    assert a["tau2"] == pytest.approx(settings["icc"] * a["sigma2"] / (1 - settings["icc"]))
    assert [s["assumptions"]["source"] for s in plan["sensitivity"]] == ["icc_low", "icc_high"]
    # k is the first number of villages of 12 cadres whose ±3 has 80 % assurance:
    # P(chi2(k-1) <= (k-1)·(w·sqrt(k)/(t(k-1)·sd))²) with sd² = tau² + sigma²/12
    sd = math.sqrt(a["tau2"] + a["sigma2"] / settings["cadres"])

    def assurance(k):
        t = stats.t.isf(0.025, k - 1)
        return stats.chi2.cdf(
            (k - 1) * (settings["halfwidth"] * math.sqrt(k) / (t * sd)) ** 2, k - 1
        )

    k = plan["planned"]
    assert assurance(k) >= 0.8 > assurance(k - 1)
    for name, words in (("laporan.html", "ICC yang diasumsikan"), ("report.html", "Assumed ICC")):
        page = (run / "reports" / name).read_text()
        assert '<section id="planning">' in page and words in page
        assert 'id="fig-planning_halfwidth"' in page
    english = (run / "reports/report.html").read_text()
    assert f"{k} villages × 12 cadres give the programme&#39;s mean gain within ±3.0" in english
    assert "This study has one village" in english


def test_two_villages_plan_from_the_pooled_variances(two_villages):
    planning = _json(two_villages, "planning.json")
    mixed = _json(two_villages, "pooled.json")["mixed_gain"]
    a = planning["halfwidth_plan"]["assumptions"]
    assert planning["tau2_source"] == "pooled" and a["source"] == "pooled"
    assert (a["sigma2"], a["tau2"]) == (mixed["sigma2"], mixed["tau2"])
    report = (two_villages / "reports/report.html").read_text()
    assert '<section id="planning">' in report and "mixed model of this study" in report


def test_a_users_own_cohorts_take_nothing_of_the_bundled_studys_identity(two_villages):
    # their.yaml names only cohorts: the bundled study's title, topic, reconstructed flag
    # and pre-specified test (config/config.yaml) must not carry over into its report.
    pages = {
        lang: html.unescape((two_villages / f"reports/{name}").read_text(encoding="utf-8"))
        for lang, name in (("id", "laporan.html"), ("en", "report.html"))
    }
    for lang, page in pages.items():
        assert f"<h1>{say('report.title_general', lang)}</h1>" in page
        assert 'class="banner"' not in page
        assert say("report.reconstructed_banner", lang) not in page
        assert say("report.subtitle", lang) in page
        assert say("report.study_text_general", lang) in page
    # (The topic's words still occur in the bundled checklist's steps, which it reuses.)
    bundled = yaml.safe_load((ROOT / "config/config.yaml").read_text())["study"]
    for lang, page in pages.items():
        head = page[: page.index('<section id="data-flow">')]
        assert bundled["title"][lang] not in page and bundled["topic"][lang] not in head
    # The schema's default (auto: chosen from the data), not the bundled study's
    # pre-specified t-test.
    rule = _json(two_villages, "knowledge_details.json")["primary_test_rule"]
    assert rule == "data-driven (Shapiro–Wilk)"


def test_two_villages_pseudonyms_carry_the_village_code(two_villages):
    people = _processed(two_villages, "participants")
    prefixes = people["participant_id"].str.split("-").str[0]
    assert (prefixes == people["cohort"].map({"kampung_delima": "KAM", "desa_kedua": "DES"})).all()
    assert people["participant_id"].is_unique
    scores = _processed(two_villages, "skill_scores")
    assessors = scores.groupby("cohort")["assessor"].unique()
    assert sorted(assessors["desa_kedua"]) == ["DES-A01", "DES-A02", "DES-A03", "DES-A04"]
    assert sorted(assessors["kampung_delima"]) == ["KAM-A01", "KAM-A02", "KAM-A03", "KAM-A04"]


def test_two_villages_items_count_each_village_once(two_villages):
    # A person is (cohort, participant_id): per item, the pairs of each village add up.
    wide = _processed(two_villages, "knowledge_wide")
    responses = _processed(two_villages, "responses")
    people = wide.loc[wide["paired"], ["cohort", "participant_id"]]
    mine = responses.merge(people, on=["cohort", "participant_id"])
    expected = {}
    for _, village in mine.groupby("cohort"):
        phases = village.groupby(["item_id", "participant_id"])["phase"].nunique()
        for item, n in (phases == 2).groupby("item_id").sum().items():
            expected[item] = expected.get(item, 0) + n
    items = pd.read_csv(two_villages / "reports/tables/items.csv").set_index("item_id")
    assert items["n_paired"].to_dict() == expected
    assert set(items["n_paired"]) == {len(people)}


def test_two_villages_groups_are_groups_of_their_village(two_villages):
    scores = _processed(two_villages, "skill_scores")
    cells = [g["score"].to_numpy() for _, g in scores.groupby(["cohort", "group"], sort=True)]
    assert len(cells) == 8  # "Kelompok 1-4" in each village: 8 groups, not 4
    groups = pd.read_csv(two_villages / "reports/tables/skill_groups.csv")
    assert len(groups) == 8 and groups["n"].sum() == len(scores)
    comparison = _json(two_villages, "skill.json")["group_comparison"]
    assert comparison["k"] == 8
    assert comparison["kruskal_wallis"]["H"] == pytest.approx(kruskal(*cells).statistic, rel=1e-12)
    assert comparison["kruskal_wallis"]["df"] == 7


def test_by_village_is_each_village_on_its_own(two_villages):
    wide = _processed(two_villages, "knowledge_wide")
    scores = _processed(two_villages, "skill_scores")
    table = pd.read_csv(two_villages / "reports/tables/by_village.csv").set_index("cohort")
    assert list(table.index) == ["desa_kedua", "kampung_delima"]
    for cohort, village in wide[wide["paired"]].groupby("cohort"):
        gain = village["post"] - village["pre"]
        row = table.loc[cohort]
        assert row["n_pairs"] == len(village)
        assert row["pre_mean"] == pytest.approx(village["pre"].mean(), rel=1e-12)
        assert row["post_mean"] == pytest.approx(village["post"].mean(), rel=1e-12)
        assert row["gain_mean"] == pytest.approx(gain.mean(), rel=1e-12)
        assert row["d_z"] == pytest.approx(gain.mean() / gain.std(ddof=1), rel=1e-12)
        if row["primary_test"] == "t_test":
            assert row["p_primary"] == pytest.approx(
                ttest_rel(village["post"], village["pre"]).pvalue
            )
        skill = scores.loc[scores["cohort"] == cohort, "score"]
        assert row["skill_n"] == len(skill)
        assert row["skill_mean"] == pytest.approx(skill.mean(), rel=1e-12)
    steps = pd.read_csv(two_villages / "reports/tables/skill_steps_by_village.csv")
    assert sorted(steps["cohort"].unique()) == ["desa_kedua", "kampung_delima"]


def test_pooled_json_pools_villages_as_villages(two_villages):
    wide = _processed(two_villages, "knowledge_wide")
    pooled = _json(two_villages, "pooled.json")
    assert results.PooledAnalysis.from_dict(pooled).to_dict() == pooled
    assert pooled["n_villages"] == 2 and pooled["excluded"] == []
    # The meta-analysis of the gains, recomputed from the pairs of each village.
    labels, yi, vi = [], [], []
    for cohort, village in wide[wide["paired"]].groupby("cohort"):
        gain = (village["post"] - village["pre"]).to_numpy(float)
        labels.append(cohort)
        yi.append(gain.mean())
        vi.append(gain.var(ddof=1) / gain.size)
    options = {"method": DEFAULTS["analysis"]["pooling_method"],
               "test": DEFAULTS["analysis"]["pooling_test"]}  # fmt: skip
    expected = random_effects_meta(yi, vi, labels, **options)
    meta = pooled["meta_gain"]
    assert meta["estimate"] == pytest.approx(expected.estimate, rel=1e-9)
    assert meta["ci95"] == pytest.approx(list(expected.ci95), rel=1e-9)
    assert meta["tau2"] == pytest.approx(expected.tau2, abs=1e-9)
    assert meta["I2"] == pytest.approx(expected.I2, abs=1e-9)
    flags = [b["below_target"] for b in pooled["mixed_gain"]["blups"]]
    assert flags == [False, False]  # both villages gain: no interval below 0
    skill = pooled["skill"]
    assert skill["meta_mean"]["k"] == 2
    assert skill["mixed_mean"]["target"] == DEFAULTS["analysis"]["competence_threshold"]


def test_nobody_paired_stops_cleaning_with_one_message(tmp_path):
    workdir = copy_workflow(ROOT, tmp_path / "unpaired")
    post = workdir / "data/raw/kampung_delima" / EXPORTS[1]
    frame = pd.read_csv(post, dtype=str, keep_default_na=False)
    frame["Nama"] = [f"Xylo Qadr {chr(65 + i)}{chr(90 - i)}" for i in range(len(frame))]
    frame.to_csv(post, index=False)

    done = run_snakemake(workdir)

    assert done.returncode != 0
    message = [line for line in done.stderr.splitlines() if line.startswith("analisis: error:")]
    assert len(message) == 1, done.stderr[-2000:]
    assert EXPORTS[0] in message[0] and EXPORTS[1] in message[0]
    assert "nobody paired" in message[0] and "no name in the post-test" in message[0]
    made = {p.name for p in (workdir / "data/processed").rglob("*") if p.is_file()}
    assert made <= {"data_dictionary.csv"}


def test_a_second_study_in_the_same_checkout_shows_nothing_of_the_first(run, tmp_path):
    workdir = copy_workflow(run, tmp_path / "second_study")
    for top in ("data/processed", "reports", ".snakemake"):
        shutil.copytree(run / top, workdir / top, dirs_exist_ok=True, symlinks=True)
    cohort = yaml.safe_load((workdir / "config/config.yaml").read_text())["cohorts"][0]
    cohort.pop("published")
    (workdir / "their.yaml").write_text(yaml.safe_dump({"cohorts": [cohort]}))

    _run_ok(workdir, "--configfile", "their.yaml")

    # The first study's published-values files are still on disk ...
    stale = ["reports/tables/published_check.json", "reports/figures/robustness_d_z_en.png"]
    assert all((workdir / name).exists() for name in stale)
    # ... but neither the report nor the manifest of the second study shows them.
    report = (workdir / "reports/report.html").read_text()
    assert report.count(say("report.not_run", "en")) == 2
    # six figures of one village without a published check, and the planning figure
    assert "99.50" not in report and report.count("data:image/png;base64,") == 7
    listed = _manifest_files(workdir)
    assert listed == run_outputs(Run())
    assert not [name for name in listed if "published" in name or "robustness" in name]
    _check_manifest(workdir)


def test_the_manifest_lists_exactly_the_registered_outputs(run):
    assert _manifest_files(run) == run_outputs(Run(published=True))


# ------------------------------------------------------------------------- in a browser


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} not found (.ci/run installs it)")
@pytest.mark.parametrize("name", ["laporan.html", "report.html"])
def test_the_pipelines_reports_open_cleanly_in_chromium(run, name):
    # One village: no pooled or by-village section.
    optional = VILLAGE_SECTIONS + WAVE_SECTIONS
    seen = check_page(run / "reports" / name, [s for s in SECTION_IDS if s not in optional])
    assert seen.problems == []
    assert len(seen.images) == 8  # 6 figures, the robustness histogram, the planning figure
