"""``analisis init``: a draft config from a folder of exports, and what it leaves to a person."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from analisis.cli import main
from analisis.sandbox import copy_workflow, run_snakemake
from analisis.text import say

ROOT = Path(__file__).resolve().parents[1]


def _write_xlsx(path: Path, rows) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def exports(tmp_path, raw, monkeypatch) -> Path:
    """Two villages in three formats: comma CSV, semicolon CSV and xlsx exports."""
    monkeypatch.chdir(tmp_path)
    a, b = tmp_path / "data/raw/desa_a", tmp_path / "data/raw/desa_b"
    a.mkdir(parents=True), b.mkdir(parents=True)
    pre = raw.forms_rows(raw.MESSY_PRE)
    # A column that is no question: e-mail addresses are left out, and said so.
    pre = [[*row, "Alamat email" if n == 0 else f"kader{n}@desa.id"] for n, row in enumerate(pre)]
    raw.write_csv(a / "pretest_pengetahuan.csv", pre)
    raw.write_forms(a / "posttest_pengetahuan.csv", raw.MESSY_POST)
    raw.write_workbook(a / "daftar_tilik.xlsx", raw.MESSY_SHEETS)
    raw.write_forms(b / "Pre-Test.csv", raw.MESSY_PRE, delimiter=";", decimal_comma=True)
    _write_xlsx(b / "Post-Test.xlsx", raw.forms_rows(raw.MESSY_POST))
    raw.write_workbook(b / "Keterampilan.xlsx", raw.MESSY_SHEETS)
    return tmp_path


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_draft_names_each_village_its_exports_and_its_checklist(exports, raw, capsys):
    before = _tree(exports / "data/raw")
    assert main(["init", "data/raw", "--out", "config/their.yaml"]) == 0
    assert _tree(exports / "data/raw") == before  # nothing written among the exports
    config = yaml.safe_load((exports / "config/their.yaml").read_text(encoding="utf-8"))
    assert set(config["study"]) == {"title", "topic"}
    assert [c["id"] for c in config["cohorts"]] == ["desa_a", "desa_b"]
    a, b = config["cohorts"]
    assert a["knowledge"]["pre"] == "data/raw/desa_a/pretest_pengetahuan.csv"
    assert a["knowledge"]["post"] == "data/raw/desa_a/posttest_pengetahuan.csv"
    assert b["knowledge"]["pre"] == "data/raw/desa_b/Pre-Test.csv"
    assert b["knowledge"]["post"] == "data/raw/desa_b/Post-Test.xlsx"
    assert b["skill"]["workbook"] == "data/raw/desa_b/Keterampilan.xlsx"
    for cohort in (a, b):
        assert cohort["knowledge"]["instrument"] == "config/their/pengetahuan.csv"
        assert cohort["skill"]["instrument"] == "config/their/daftar_tilik.csv"
        assert cohort["skill"]["sheets"] == list(raw.MESSY_SHEETS)
        assert cohort["skill"]["name_header"] == "Nama Kader"
    # The questions in the export's order; the answer key left blank, never guessed.
    items = _csv(exports / "config/their/pengetahuan.csv")
    assert [i["question"] for i in items] == raw.QUESTIONS
    assert [i["answer"] for i in items] == [""] * len(raw.QUESTIONS)
    chosen = {o for i in items for k, o in i.items() if k.startswith("option_") and o}
    assert chosen <= {o for options in raw.OPTIONS.values() for o in options.values()}
    assert "Punggung dan payudara" in chosen  # the key of P03, chosen by several cadres
    steps = _csv(exports / "config/their/daftar_tilik.csv")
    assert [s["step_id"] for s in steps] == [s for s, _, _ in raw.STEPS]
    assert [s["max_points"] for s in steps] == [""] * len(raw.STEPS)
    out = capsys.readouterr().out
    assert say("init.next", "en", file="config/their.yaml") in out
    left_out = {"file": "data/raw/desa_a/pretest_pengetahuan.csv", "columns": "'Alamat email'"}
    assert say("init.columns_left_out", "en", **left_out) in out


def test_what_it_cannot_decide_is_said_in_the_chosen_language(exports, capsys):
    # An export whose name says neither pre nor post, and a folder without a checklist.
    c = exports / "data/raw/desa_c"
    c.mkdir()
    shutil.copy(exports / "data/raw/desa_a/pretest_pengetahuan.csv", c / "pre.csv")
    shutil.copy(exports / "data/raw/desa_a/posttest_pengetahuan.csv", c / "hasil.csv")
    (c / "rusak.xlsx").write_bytes(b"not a workbook")
    assert main(["init", "data/raw", "--lang", "id"]) == 0
    out = capsys.readouterr().out
    assert say("init.not_an_export", "id", file="data/raw/desa_c/rusak.xlsx") in out
    assert say("init.phase_guessed", "id", file="data/raw/desa_c/hasil.csv", phase="post") in out
    assert say("init.no_checklist", "id", folder="data/raw/desa_c") in out
    assert say("init.undecided", "id") in out
    cohort = yaml.safe_load((exports / "config/study.yaml").read_text())["cohorts"][2]
    assert cohort["skill"]["workbook"] == "TODO"


def test_one_folder_of_one_village_with_an_spss_export(tmp_path, raw, monkeypatch, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "exports" / "Desa Sukamaju"
    folder.mkdir(parents=True)
    frame = pd.DataFrame({"nama": ["Siti", "Rina"], "P01": [1.0, 2.0], "P02": [2.0, None]})
    labels = {
        item_id: {float(i + 1): raw.OPTIONS[item_id][letter] for i, letter in enumerate("abcd")}
        for item_id in ("P01", "P02")
    }
    pyreadstat.write_sav(
        frame,
        folder / "pretest.sav",
        column_labels=["Nama", *raw.QUESTIONS[:2]],
        variable_value_labels=labels,
    )
    raw.write_forms(folder / "posttest.csv", raw.MESSY_POST)
    raw.write_workbook(folder / "daftar_tilik.xlsx", raw.MESSY_SHEETS)
    assert main(["init", "exports/Desa Sukamaju", "--out", "sukamaju.yaml"]) == 0
    (cohort,) = yaml.safe_load((tmp_path / "sukamaju.yaml").read_text())["cohorts"]
    assert cohort["id"] == "desa_sukamaju" and cohort["label"] == "Desa Sukamaju"
    assert cohort["knowledge"]["pre"] == "exports/Desa Sukamaju/pretest.sav"
    # The pre-test asks two questions, the post-test four: two instruments, and a note.
    pre = _csv(tmp_path / "sukamaju/pengetahuan.csv")
    assert [i["question"] for i in pre] == raw.QUESTIONS[:2]
    # Value labels in code order, as the SPSS file defines them (all four options).
    assert [pre[0][f"option_{x}"] for x in "abcd"] == [raw.OPTIONS["P01"][x] for x in "abcd"]
    assert len(_csv(tmp_path / "sukamaju/pengetahuan_2.csv")) == 4
    out = capsys.readouterr().out
    assert say("init.questions_differ", "en", folder="exports/Desa Sukamaju") in out


def _one_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("analisis: error: "), err
    return err[0]


def test_a_folder_without_exports_is_one_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("no exports here")
    assert main(["init", "empty"]) == 2
    assert _one_error(capsys).startswith("analisis: error: empty: expected knowledge-test exports")
    assert not (tmp_path / "config").exists()


def test_an_existing_config_is_kept_without_force(exports, capsys):
    existing = exports / "config/study.yaml"
    existing.parent.mkdir()
    existing.write_text("cohorts: []  # mine\n")
    assert main(["init", "data/raw"]) == 2
    assert _one_error(capsys) == (
        "analisis: error: config/study.yaml: expected no existing file "
        "(give --force to overwrite it), found 'one'"
    )
    assert existing.read_text() == "cohorts: []  # mine\n"
    assert not (exports / "config/study").exists()
    assert main(["init", "data/raw", "--force"]) == 0
    assert "cohorts:\n  - id: desa_a" in existing.read_text()


def test_it_never_writes_into_the_raw_folder(exports, capsys):
    before = _tree(exports / "data/raw")
    assert main(["init", "data/raw", "--out", "data/raw/desa_a/config.yaml"]) == 2
    assert "expected a place outside data/raw/" in _one_error(capsys)
    assert _tree(exports / "data/raw") == before


# ------------------------------------------------------------ the run from the draft


def _fill(draft: Path, bundled: Path, key: str, by: str, columns: list[str]) -> None:
    """Copy ``columns`` of the bundled instrument into the draft's rows, matched by ``by``."""
    known = {row[by]: row for row in _csv(bundled)}
    rows = _csv(draft)
    for row in rows:
        source = known[row[by]]
        for column in columns:
            row[column] = source[column]
        if key:
            # The key as the option text the bundled instrument marks, found in the draft.
            text = source[f"option_{source[key]}"]
            row[key] = next(k[-1] for k, v in row.items() if k.startswith("option_") and v == text)
    with draft.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


#: Results that must not depend on which config (draft or hand-written) named the files.
COMPARED = (
    "data/processed/knowledge_scores.csv",
    "data/processed/knowledge_wide.csv",
    "data/processed/skill_scores.csv",
    "data/processed/participants.csv",
    "data/processed/cleaning_log.csv",
    "reports/tables/knowledge_paired.json",
    "reports/tables/by_village.csv",
    "reports/tables/pooled.json",
)


@pytest.mark.pipeline
def test_the_run_from_the_filled_draft_equals_the_run_from_a_hand_written_config(tmp_path):
    # The bundled village twice, in three export formats: comma CSV (village A), then a
    # semicolon CSV pre-test and an xlsx post-test (village B).
    workdir = copy_workflow(ROOT, tmp_path / "run")
    raw = workdir / "data/raw/study"
    bundled = workdir / "data/raw/kampung_delima"
    (raw / "desa_a").mkdir(parents=True), (raw / "desa_b").mkdir()
    for name in ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv"):
        shutil.copy(bundled / name, raw / "desa_a" / name)
    for village in ("desa_a", "desa_b"):
        shutil.copy(bundled / "daftar_tilik_keterampilan.xlsx", raw / village / "tilik.xlsx")
    pre = pd.read_csv(bundled / "pretest_pengetahuan.csv", dtype=str, keep_default_na=False)
    pre.to_csv(raw / "desa_b/pre.csv", sep=";", index=False)
    post = pd.read_csv(bundled / "posttest_pengetahuan.csv", dtype=str, keep_default_na=False)
    _write_xlsx(raw / "desa_b/post.xlsx", [list(post.columns), *post.to_numpy().tolist()])

    command = [sys.executable, "-m", "analisis.cli", "init", "data/raw/study"]
    done = subprocess.run(
        [*command, "--out", "config/draft.yaml"], cwd=workdir, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    draft = workdir / "config/draft"
    instruments = workdir / "config/instruments"
    _fill(draft / "pengetahuan.csv", instruments / "pengetahuan.csv", "answer", "question",
          ["item_id", "topic"])  # fmt: skip
    _fill(draft / "daftar_tilik.csv", instruments / "daftar_tilik.csv", "", "step_id",
          ["stage", "description_id", "description_en", "max_points"])  # fmt: skip
    study = {"title": {"id": "Studi", "en": "Study"}, "topic": {"id": "gizi", "en": "nutrition"}}
    text = (workdir / "config/draft.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    (workdir / "config/draft.yaml").write_text(yaml.safe_dump({**config, "study": study}))

    by_hand = {
        "study": study,
        "cohorts": [
            {
                "id": village,
                "label": village.replace("_", " ").title(),
                "knowledge": {
                    "instrument": "config/instruments/pengetahuan.csv",
                    "pre": f"data/raw/study/{village}/{pre_name}",
                    "post": f"data/raw/study/{village}/{post_name}",
                },
                "skill": {
                    "instrument": "config/instruments/daftar_tilik.csv",
                    "workbook": f"data/raw/study/{village}/tilik.xlsx",
                },
            }
            for village, pre_name, post_name in (
                ("desa_a", "pretest_pengetahuan.csv", "posttest_pengetahuan.csv"),
                ("desa_b", "pre.csv", "post.xlsx"),
            )
        ],
    }
    (workdir / "by_hand.yaml").write_text(yaml.safe_dump(by_hand))

    results = {}
    for name in ("config/draft.yaml", "by_hand.yaml"):
        done = run_snakemake(workdir, "--configfile", name)
        assert done.returncode == 0, done.stderr[-3000:]
        results[name] = {f: (workdir / f).read_bytes() for f in COMPARED}
    assert json.loads(results["by_hand.yaml"]["reports/tables/pooled.json"])  # a real result
    for file in COMPARED:
        assert results["config/draft.yaml"][file] == results["by_hand.yaml"][file], file
