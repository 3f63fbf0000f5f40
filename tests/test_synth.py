"""The bundled, RECONSTRUCTED Kampung Delima study: committed bytes and published targets.

The targets are recomputed here from the committed raw files with plain pandas and the
standard library (difflib for the one typo), deliberately without any of the pipeline's
own ingest/clean/score code, so that a bug there cannot hide a wrong bundled study.
Published values (Kurniyati et al., 2026): 23 cadres, pre 76, post 99,50 (nearest
attainable 99.48 = 2288 / 23), skill 87,26, four groups of 5-6.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from analisis.synth import cli, paper

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "kampung_delima"
INSTRUMENTS = ROOT / "config" / "instruments"
RAW_FILES = (
    "pretest_pengetahuan.csv",
    "posttest_pengetahuan.csv",
    "daftar_tilik_keterampilan.xlsx",
    "match_overrides.csv",
    "README.md",
)
TITLES = re.compile(r"^(ibu|bu|ny\.?|hj\.?)\s+")
TEST_NAME = re.compile(r"^(tes|test|coba)\b", re.IGNORECASE)


def round2(value: float) -> Decimal:
    """Round half-up to two decimals, as the paper prints."""
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def normalise(name: str) -> str:
    name = " ".join(name.lower().split())
    return TITLES.sub("", name)


def read_form(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def score_form(form: pd.DataFrame, instrument: pd.DataFrame) -> pd.DataFrame:
    """One row per submission: normalised name, time, n_correct, completeness, shown total."""
    keys = {row.question: getattr(row, f"option_{row.answer}") for row in instrument.itertuples()}
    answers = form[list(keys)]
    return pd.DataFrame(
        {
            "raw_name": form["Nama"],
            "name": form["Nama"].map(normalise),
            "time": pd.to_datetime(form["Cap waktu"], format="%d/%m/%Y %H:%M:%S"),
            "n_correct": sum((answers[q] == key).astype(int) for q, key in keys.items()),
            "complete": (answers != "").all(axis=1),
            "shown": form["Total skor"].str.split(" / ").str[0].astype(float),
        }
    )


def keep_one(scored: pd.DataFrame) -> pd.DataFrame:
    """Drop test rows; per name keep the latest complete submission, else the latest."""
    real = scored[~scored["raw_name"].str.strip().str.match(TEST_NAME)]
    ordered = real.sort_values(["name", "complete", "time"])
    return ordered.groupby("name").tail(1).set_index("name")


def match(names: list[str], targets: list[str], forced: dict[str, str]) -> dict[str, str]:
    """Map each name to a target: forced, else exact, else the closest at ratio >= 0.85."""
    mapping = {}
    for name in names:
        if name in forced:
            mapping[name] = forced[name]
        elif name in targets:
            mapping[name] = name
        else:
            close = difflib.get_close_matches(name, targets, n=1, cutoff=0.85)
            if close:
                mapping[name] = close[0]
    return mapping


def read_workbook(path: Path) -> pd.DataFrame:
    frames = []
    for sheet, table in pd.read_excel(path, sheet_name=None, header=None).items():
        header_row = table.index[table[0].eq("No")][0]
        body = table.iloc[header_row + 1 :].dropna(how="all")
        body.columns = table.iloc[header_row].tolist()
        labels = dict(zip(table[0].iloc[:header_row], table[1].iloc[:header_row], strict=True))
        body = body.assign(sheet=sheet, group=labels["Kelompok"], assessor=labels["Penilai"])
        frames.append(body)
    return pd.concat(frames, ignore_index=True)


def study_figures(raw: Path, instruments: Path) -> dict:
    """Everything the paper reports, computed from the raw files alone."""
    instrument = pd.read_csv(instruments / "pengetahuan.csv", dtype=str)
    steps = pd.read_csv(instruments / "daftar_tilik.csv")
    pre = keep_one(score_form(read_form(raw / "pretest_pengetahuan.csv"), instrument))
    post = keep_one(score_form(read_form(raw / "posttest_pengetahuan.csv"), instrument))
    overrides = pd.read_csv(raw / "match_overrides.csv", dtype=str)
    forced = {
        normalise(row.name_b): normalise(row.name_a)
        for row in overrides.itertuples()
        if row.decision == "match"
    }

    post_to_pre = match(list(post.index), list(pre.index), {})
    pairs = pd.DataFrame(
        {
            "pre": pre["n_correct"],
            "post": post.rename(index=post_to_pre)["n_correct"],
        }
    ).dropna()

    sheet = read_workbook(raw / "daftar_tilik_keterampilan.xlsx")
    step_ids = steps["step_id"].tolist()
    total_max = int(steps["max_points"].sum())
    sheet["name"] = sheet["Nama Kader"].map(normalise)
    sheet_to_pre = match(sheet["name"].tolist(), list(pre.index), forced)
    sheet["cadre"] = sheet["name"].map(sheet_to_pre)
    sheet["points"] = sheet[step_ids].astype(int).sum(axis=1)
    sheet["score"] = sheet["points"] / total_max * 100
    return {
        "pre": pre,
        "post": post,
        "pairs": pairs,
        "sheet": sheet,
        "steps": steps,
        "post_to_pre": post_to_pre,
        "sheet_to_pre": sheet_to_pre,
    }


@pytest.fixture(scope="module")
def committed() -> dict:
    return study_figures(RAW, INSTRUMENTS)


def test_regeneration_is_byte_identical(tmp_path):
    cli.main(["--out", str(tmp_path / "raw"), "--instruments", str(tmp_path / "ins")])
    for name in RAW_FILES:
        assert (tmp_path / "raw" / name).read_bytes() == (RAW / name).read_bytes(), name
    for name in ("pengetahuan.csv", "daftar_tilik.csv"):
        assert (tmp_path / "ins" / name).read_bytes() == (INSTRUMENTS / name).read_bytes(), name


def assert_published_targets(figures: dict) -> None:
    pairs, sheet = figures["pairs"], figures["sheet"]
    assert len(pairs) == 23
    # 76.00 exactly: 437 correct answers, 437 / 23 = 19 items = 76 points a cadre.
    assert pairs["pre"].sum() == 437
    assert (pairs["pre"] / 25 * 100).mean() == pytest.approx(76.0, abs=1e-12)
    # 99.50 is impossible (it needs 2288.5 points); 572 correct = 2288 / 23 = 99.478...
    assert pairs["post"].sum() == 572
    assert round2((pairs["post"] / 25 * 100).mean()) == Decimal("99.48")
    # Skill: 863 of 23 x 43 points; 86300 / 989 = 87.2599...
    assert sheet["cadre"].notna().all() and sheet["cadre"].is_unique
    assert set(sheet["cadre"]) == set(pairs.index)
    assert sheet["points"].sum() == 863
    assert round2(sheet["score"].mean()) == Decimal("87.26")
    assert sheet.groupby("sheet").size().tolist() == [6, 6, 6, 5]
    assert sheet["group"].tolist() == [int(s.split()[-1]) for s in sheet["sheet"]]


def test_committed_files_reproduce_the_paper(committed):
    assert_published_targets(committed)


def test_another_seed_reproduces_the_paper_too(tmp_path):
    paper.generate(tmp_path / "raw", tmp_path / "ins", seed=7)
    assert_published_targets(study_figures(tmp_path / "raw", tmp_path / "ins"))


def test_spreads_are_plausible(committed):
    pre = committed["pairs"]["pre"] / 25 * 100
    post = committed["pairs"]["post"] / 25 * 100
    skill = committed["sheet"]["score"]
    assert 6 <= pre.std() <= 10 and pre.min() >= 56 and pre.max() <= 96
    assert sorted(post.value_counts().items()) == [(96.0, 3), (100.0, 20)]
    assert (post >= pre).all()
    assert 4 <= skill.std() <= 8 and skill.min() >= 70 and skill.max() < 100
    group_means = committed["sheet"].groupby("group")["score"].mean()
    assert group_means.max() - group_means.min() > 2
    per_step = committed["sheet"][committed["steps"]["step_id"]].astype(int).sum()
    per_step = per_step / committed["steps"].set_index("step_id")["max_points"]
    weakest = per_step.sort_values().index[:4]
    stage = committed["steps"].set_index("step_id")["stage"]
    assert set(stage[weakest]) == {"pijat_payudara"}


def test_instruments_follow_the_contract():
    items = pd.read_csv(INSTRUMENTS / "pengetahuan.csv", dtype=str)
    assert items.columns.tolist() == [
        "item_id", "topic", "question", "option_a", "option_b", "option_c", "option_d", "answer"
    ]  # fmt: skip
    assert items["item_id"].tolist() == [f"P{k:02d}" for k in range(1, 26)]
    assert items["question"].is_unique and set(items["answer"]) == set("abcd")
    options = items[["option_a", "option_b", "option_c", "option_d"]]
    assert (options.nunique(axis=1) == 4).all()
    steps = pd.read_csv(INSTRUMENTS / "daftar_tilik.csv")
    assert steps.columns.tolist() == [
        "step_id", "stage", "description_id", "description_en", "max_points"
    ]  # fmt: skip
    assert steps["step_id"].tolist() == [f"L{k:02d}" for k in range(1, 24)]
    assert list(dict.fromkeys(steps["stage"])) == [
        "persiapan", "pijat_kepala_leher_punggung", "pijat_payudara", "penutup"
    ]  # fmt: skip
    assert steps["max_points"].sum() == 43 and set(steps["max_points"]) == {1, 2}


def test_mean_87_26_needs_43_points_not_40():
    # 100 T / (23 M) must lie in [87.255, 87.265): M = 40 needs 802.746 <= T < 802.838.
    assert paper.attainable_means(40, 23) == []
    assert paper.attainable_means(43, 23) == [863]


def test_exports_have_the_google_forms_shape():
    for name in ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv"):
        data = (RAW / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\r\n") == 25  # header + 24 rows, CRLF, no embedded newlines
        form = read_form(RAW / name)
        assert form.columns[:4].tolist() == ["Cap waktu", "Total skor", "Nama", "Nomor HP"]
        stamps = form["Cap waktu"]
        assert stamps.str.fullmatch(r"\d{2}/\d{2}/2024 \d{1,2}:\d{2}:\d{2}").all()
        parsed = [datetime.strptime(s, "%d/%m/%Y %H:%M:%S") for s in stamps]
        assert parsed == sorted(parsed)
        assert form["Total skor"].str.fullmatch(r"\d{1,2}\.00 / 25").all()
    assert read_form(RAW / "pretest_pengetahuan.csv")["Cap waktu"].str.startswith("06/09").all()
    assert read_form(RAW / "posttest_pengetahuan.csv")["Cap waktu"].str.startswith("07/09").all()


def test_workbook_layout():
    table = pd.read_excel(RAW / "daftar_tilik_keterampilan.xlsx", sheet_name=None, header=None)
    assert list(table) == ["Kelompok 1", "Kelompok 2", "Kelompok 3", "Kelompok 4"]
    for number, (_, sheet) in enumerate(table.items(), start=1):
        assert sheet.iloc[:3, 0].tolist() == ["Kelompok", "Penilai", "Tanggal"]
        assert sheet.iloc[0, 1] == number
        assert pd.Timestamp("2024-09-18") <= sheet.iloc[2, 1] <= pd.Timestamp("2024-10-31")
        assert sheet.iloc[3].isna().all()
        assert sheet.iloc[4, :3].tolist() == ["No", "Nama Kader", "L01"]


def test_messiness_is_present(committed):
    instrument = pd.read_csv(INSTRUMENTS / "pengetahuan.csv", dtype=str)
    pre_raw = score_form(read_form(RAW / "pretest_pengetahuan.csv"), instrument)
    post_raw = score_form(read_form(RAW / "posttest_pengetahuan.csv"), instrument)
    # A facilitator's test row (pre only) and a duplicate (post only): 24 raw rows each.
    assert pre_raw["raw_name"].str.match(TEST_NAME).sum() == 1
    assert len(pre_raw) == len(post_raw) == 24
    counts = post_raw["name"].value_counts()
    duplicated = counts[counts == 2].index.tolist()
    assert len(duplicated) == 1 and (counts.drop(duplicated) == 1).all()
    twice = post_raw[post_raw["name"] == duplicated[0]].sort_values("time")
    assert twice["complete"].tolist() == [False, True]
    # Exactly one blank answer among the kept pre-test rows, and none in kept post rows.
    assert (~committed["pre"]["complete"]).sum() == 1
    assert committed["post"]["complete"].all()
    # The export's total agrees with the answers except in exactly one kept row.
    kept = pd.concat([committed["pre"], committed["post"]])
    assert ((kept["shown"] != kept["n_correct"]).sum()) == 1
    # Name variants: title, case and spacing vanish on normalisation; one typo needs fuzz.
    raw_differs = [
        (a, b)
        for b, a in committed["post_to_pre"].items()
        if committed["post"].loc[b, "raw_name"] != committed["pre"].loc[a, "raw_name"]
    ]
    assert len(raw_differs) >= 4
    raw_names = set(pre_raw["raw_name"]) | set(post_raw["raw_name"])
    assert {"Hj. Nurhayati", "Ibu Yusnita", "LENI MARLINA", "Leli  Suryani "} <= raw_names
    fuzzy = {b: a for b, a in committed["post_to_pre"].items() if a != b}
    assert fuzzy == {"septy wulandari": "septi wulandari"}
    # The workbook spells a few names differently; the override is needed for one.
    sheet_names = set(committed["sheet"]["Nama Kader"])
    assert {"Ny. Eka Susanti", "bu fitriani", "Dewi S."} <= sheet_names
    unforced = match(["dewi s."], list(committed["pre"].index), {})
    assert unforced == {}
    overrides = pd.read_csv(RAW / "match_overrides.csv", dtype=str)
    assert overrides.columns.tolist() == ["name_a", "name_b", "decision"]
    assert overrides.iloc[0].tolist() == ["Dewi Sartika", "Dewi S.", "match"]


def test_readme_labels_the_data_as_reconstructed():
    text = (RAW / "README.md").read_text(encoding="utf-8")
    assert "RECONSTRUCTED" in text and "NOT the authors' data" in text
    assert "dd/mm/yyyy H:MM:SS" in text
