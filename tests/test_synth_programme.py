"""The fictitious many-village programme written by ``python -m analisis.synth --villages N``.

The raw exports are read back here with plain pandas, openpyxl and jsonschema, not with
the pipeline's readers, and cadres are paired across the two tests by phone number (the
generator gives each cadre one number, the pipeline never uses it), so that the checks
do not depend on the code under test.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from jsonschema import Draft202012Validator
from snakemake.common.configfile import load_configfile

from analisis.provenance import sha256_file
from analisis.sandbox import copy_workflow, run_snakemake
from analisis.synth import cli, common
from analisis.synth.programme import HEADER, KEY_TEXTS, generate, programme_study
from analisis.text import say

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
KEYS = dict(zip(HEADER[4:], KEY_TEXTS, strict=True))


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("programme")
    generate(out, 50, seed=11, root=out)
    return out


@pytest.fixture(scope="module")
def villages(programme) -> pd.DataFrame:
    return pd.read_csv(programme / "villages.csv").set_index("id")


@pytest.fixture(scope="module")
def exports(programme) -> dict[str, dict[str, pd.DataFrame]]:
    """Every village's two knowledge exports as text frames, whatever their format."""
    return {
        folder.name: {phase: read_export(folder, phase) for phase in ("pre", "post")}
        for folder in sorted(programme.glob("desa_*"))
    }


def read_export(folder: Path, phase: str) -> pd.DataFrame:
    stem = "pretest_pengetahuan" if phase == "pre" else "posttest_pengetahuan"
    if (folder / f"{stem}.xlsx").exists():
        frame = pd.read_excel(folder / f"{stem}.xlsx", dtype=str, keep_default_na=False)
    else:
        data = (folder / f"{stem}.csv").read_bytes()
        sep = ";" if data.startswith(b"\xef\xbb\xbf") else ","
        frame = pd.read_csv(
            io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    frame["n_correct"] = sum((frame[q] == key).astype(int) for q, key in KEYS.items())
    return frame


def used_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a name and a phone (no test rows), the latest per phone, indexed by phone."""
    named = frame[(frame["Nama"].str.strip() != "") & (frame["Nomor HP"] != "")]
    return named.drop_duplicates("Nomor HP", keep="last").set_index("Nomor HP")


def observed_gains(exports: dict) -> pd.DataFrame:
    """Per village: mean post - pre score (points) over cadres paired by phone, its variance."""
    rows = {}
    for village, phases in exports.items():
        pre, post = used_rows(phases["pre"]), used_rows(phases["post"])
        both = pre.index.intersection(post.index)
        gains = (post.loc[both, "n_correct"] - pre.loc[both, "n_correct"]) * 4
        rows[village] = {"mean": gains.mean(), "variance": gains.var() / len(gains)}
    return pd.DataFrame.from_dict(rows, orient="index")


def test_counts_per_village_are_within_the_stated_ranges(programme, villages):
    assert len(villages) == 50
    assert villages["n_cadres"].between(8, 40).all()
    assert villages["n_groups"].between(2, 6).all()
    assert (villages["n_groups"] <= villages["n_cadres"] // 4).all()
    assert villages["n_cadres"].nunique() > 10 and villages["n_groups"].nunique() >= 4
    for village, row in villages.iterrows():
        book = openpyxl.load_workbook(programme / village / common.WORKBOOK_FILE, read_only=True)
        assert book.sheetnames == [f"Kelompok {g}" for g in range(1, row["n_groups"] + 1)]
        sizes = [sum(1 for r in sheet.iter_rows(min_row=6) if r[0].value) for sheet in book]
        assert sum(sizes) == row["n_cadres"] and max(sizes) - min(sizes) <= 1
        assert min(sizes) >= 4


def test_exports_hold_every_cadre_once_per_phone(exports, villages):
    for village, phases in exports.items():
        pre, post = used_rows(phases["pre"]), used_rows(phases["post"])
        row = villages.loc[village]
        assert len(pre) == row["n_cadres"]
        assert len(post) == row["n_post"] - row["n_post_unnamed"]
        assert set(post.index) <= set(pre.index)


def test_some_cadres_miss_the_post_test(exports, villages):
    missing = villages["n_cadres"] - villages["n_post"]
    assert missing.sum() >= 0.02 * villages["n_cadres"].sum() and (missing > 0).sum() >= 10
    for village, phases in exports.items():
        pre_phones = set(phases["pre"]["Nomor HP"]) - {""}
        post_phones = set(phases["post"]["Nomor HP"])
        assert len(pre_phones - post_phones) == missing[village]


def test_village_gains_vary_and_the_data_carry_them(exports, villages):
    true = villages["true_gain"]
    # tau = 6: the sample SD of 50 draws lies in [4, 8] unless the seed is very unlucky.
    assert 4 < true.std() < 8 and abs(true.mean() - 20) < 3
    observed = observed_gains(exports).loc[true.index]
    assert np.corrcoef(true, observed["mean"])[0, 1] > 0.7
    assert abs(observed["mean"].mean() - true.mean()) < 2.5
    # Method of moments: between-village variance minus the mean sampling variance.
    tau = np.sqrt(observed["mean"].var() - observed["variance"].mean())
    assert 3.5 < tau < 8.5


def test_the_mess_is_present(programme, exports, villages):
    assert set(villages["export_format"]) == {"forms_csv", "excel_csv", "xlsx"}
    pre = pd.concat([p["pre"] for p in exports.values()])
    post = pd.concat([p["post"] for p in exports.values()])
    names = pd.concat([pre["Nama"], post["Nama"]])
    assert names.str.match(r"(?i)(ibu|bu|ny\.|hj\.) ").sum() >= 10
    assert (names.str.isupper() & (names.str.len() > 3)).sum() >= 3
    assert names.str.contains("  ").sum() >= 5
    assert pre["Nama"].str.match(r"(?i)(tes|test|coba)\b").sum() >= 5
    assert (post["Nama"] == "").sum() == villages["n_post_unnamed"].sum() > 0
    for frame in (pre, post):
        named = frame[frame["Nama"] != ""]
        assert named.duplicated(["Nomor HP"]).sum() >= 5  # earlier incomplete submissions
        answers = named[list(KEYS)]
        assert (answers == "").any(axis=1).sum() >= 10
    # A typo: the post-test name differs from the pre-test one beyond title, case, spaces.
    typos = 0
    for phases in exports.values():
        pre_names = used_rows(phases["pre"])["Nama"].map(plain_name)
        post_names = used_rows(phases["post"])["Nama"].map(plain_name)
        typos += (post_names != pre_names[post_names.index]).sum()
    assert 10 <= typos <= 0.05 * villages["n_post"].sum()


def plain_name(name: str) -> str:
    return re.sub(r"^(ibu|bu|ny\.|hj\.) ", "", " ".join(name.split()).lower())


def test_config_validates_against_the_schema_and_names_existing_files(programme):
    config = yaml.safe_load((programme / "config.yaml").read_text())
    schema = yaml.safe_load(SCHEMA.read_text())
    assert list(Draft202012Validator(schema).iter_errors(config)) == []
    assert [c["id"] for c in config["cohorts"]] == [f"desa_{k:03d}" for k in range(1, 51)]
    for cohort in config["cohorts"]:
        assert "published" not in cohort
        files = [*cohort["knowledge"].values(), cohort["skill"]["instrument"]]
        files.append(cohort["skill"]["workbook"])
        assert all(not Path(f).is_absolute() and (programme / f).is_file() for f in files)
    # JSON text, so Snakemake parses it with Python's C reader; the model is in the README.
    assert json.loads((programme / "config.yaml").read_text(encoding="utf-8")) == config
    assert (
        "* true village mean knowledge gain g_v ~ N(20, 6^2) points (tau = 6), "
        "independent across villages"
    ) in (programme / "README.md").read_text(encoding="utf-8")


def test_outside_the_root_the_config_names_absolute_paths(tmp_path):
    out = tmp_path / "elsewhere"
    cli.main(["--villages", "1", "--seed", "2", "--out", str(out), "--root", str(ROOT)])
    pre = yaml.safe_load((out / "config.yaml").read_text())["cohorts"][0]["knowledge"]["pre"]
    assert Path(pre).is_absolute() and Path(pre).is_file()


def digests(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in files}


def test_same_villages_and_seed_give_the_same_bytes(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, 4, seed=seed, root=tmp_path / name)
    first, again, other = (digests(tmp_path / name) for name in "abc")
    assert first == again
    assert len(first) == 3 + 2 + 4 * 3  # config, README, villages.csv, instruments, 4 x 3
    assert any(f.endswith(".xlsx") for f in first)
    changed = [f for f in first if first[f] != other.get(f)]
    assert len(changed) >= 4 * 3  # every export differs under another seed
    # A village does not depend on how many are generated.
    generate(tmp_path / "d", 2, seed=5, root=tmp_path / "d")
    fewer = digests(tmp_path / "d")
    assert all(fewer[f] == first[f] for f in fewer if f.startswith("desa_"))


def test_the_config_is_json_that_yaml_and_snakemake_read_alike(tmp_path):
    # Outside the root, so paths are absolute: long, with spaces and a non-ASCII letter.
    out = tmp_path / "program desa é" / ("sangat panjang " * 6).strip()
    generate(out, 12, seed=2, root=tmp_path / "elsewhere")
    text = (out / "config.yaml").read_text(encoding="utf-8")
    parsed = json.loads(text)
    assert yaml.safe_load(text) == parsed
    assert load_configfile(str(out / "config.yaml")) == parsed
    assert "é" in parsed["cohorts"][0]["knowledge"]["pre"]


def test_the_bundled_command_still_needs_its_instruments_folder(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["--out", str(tmp_path)])
    assert "--instruments is required without --villages" in capsys.readouterr().err


@pytest.mark.pipeline
def test_the_pipeline_runs_on_a_generated_programme(tmp_path):
    workdir = copy_workflow(ROOT, tmp_path / "run")
    out = workdir / "data" / "raw" / "programme"
    cli.main(["--villages", "2", "--seed", "3", "--out", str(out), "--root", str(workdir)])
    done = run_snakemake(workdir, "--configfile", "data/raw/programme/config.yaml")
    assert done.returncode == 0, done.stderr[-3000:]
    wide = pd.read_csv(workdir / "data" / "processed" / "knowledge_wide.csv")
    expected = pd.read_csv(out / "villages.csv").set_index("id")["n_paired"]
    assert wide.groupby("cohort")["paired"].sum().to_dict() == expected.to_dict()
    # The programme's own study block: a synthetic banner, never "reconstructed".
    for lang, name in (("id", "laporan.html"), ("en", "report.html")):
        page = html.unescape((workdir / "reports" / name).read_text(encoding="utf-8"))
        banner = say("report.synthetic_banner", lang)
        assert f'<p class="banner" role="note">{banner}</p>' in page
        assert say("report.subtitle_synthetic", lang) in page
        assert say("report.reconstructed_banner", lang) not in page
        assert programme_study(2)["title"][lang] in page
    assert "rekonstruksi" not in html.unescape((workdir / "reports/laporan.html").read_text())
