"""Schemas of the processed tables: checked on write and read, deterministic bytes."""

from __future__ import annotations

import pandas as pd
import pytest

from analisis import clean, scoring, tables
from analisis.errors import InputError


@pytest.fixture
def study(messy_cohort):
    cleaned = clean.clean_study([messy_cohort])
    scored = scoring.score_study(
        cleaned["responses"], cleaned["skill_steps"], cleaned["participants"]
    )
    return {**cleaned, **scored, "data_dictionary": tables.data_dictionary()}


def test_every_table_round_trips(study, tmp_path):
    assert set(study) == set(tables.SCHEMAS)
    for name, frame in study.items():
        path = tmp_path / tables.schema(name).file
        tables.write_table(frame, name, path)
        back = tables.read_table(path, name)
        pd.testing.assert_frame_equal(back, frame, check_exact=True)


def test_same_input_same_bytes(messy_cohort, tmp_path):
    outputs = []
    for run in ("a", "b"):
        cleaned = clean.clean_study([messy_cohort])
        scored = scoring.score_study(
            cleaned["responses"], cleaned["skill_steps"], cleaned["participants"]
        )
        for name, frame in {**cleaned, **scored}.items():
            tables.write_table(frame, name, tmp_path / run / f"{name}.csv")
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).glob("*.csv"))})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 9


def test_floats_are_not_rounded(tmp_path):
    frame = pd.DataFrame(
        {
            "cohort": ["c"],
            "participant_id": ["K01"],
            "group": ["1"],
            "assessor": [None],
            "points": [2],
            "max_points": [3],
            "score": [200 / 3],
            "category": ["cukup"],
        }
    )
    path = tmp_path / "skill_scores.csv"
    tables.write_table(frame, "skill_scores", path)
    assert "66.66666666666667" in path.read_text()
    assert tables.read_table(path, "skill_scores")["score"][0] == 200 / 3


def test_write_rejects_bad_frames(study, tmp_path):
    log = study["cleaning_log"]
    bad = log.assign(action=log["action"].replace("kept", "ok"))
    with pytest.raises(InputError, match="column 'action': expected one of kept, merged"):
        tables.write_table(bad, "cleaning_log", tmp_path / "log.csv")
    with pytest.raises(ValueError, match="missing columns"):
        tables.write_table(log.drop(columns="reason"), "cleaning_log", tmp_path / "log.csv")
    shuffled = log.iloc[::-1].reset_index(drop=True)
    with pytest.raises(InputError, match="rows sorted by"):
        tables.validate(shuffled, "cleaning_log")
    doubled = pd.concat([log, log.iloc[:1]]).pipe(tables.sort_table, "cleaning_log")
    with pytest.raises(InputError, match="once"):
        tables.validate(doubled, "cleaning_log")
    missing = study["knowledge_scores"].assign(score=float("nan"))
    with pytest.raises(InputError, match="column 'score': expected a value"):
        tables.validate(missing, "knowledge_scores")
    assert not (tmp_path / "log.csv").exists()


def test_read_rejects_a_damaged_file(study, tmp_path):
    path = tmp_path / "knowledge_wide.csv"
    tables.write_table(study["knowledge_wide"], "knowledge_wide", path)
    text = path.read_text().replace(",True\n", ",yes\n", 1)
    path.write_text(text)
    with pytest.raises(InputError, match="column 'paired': expected True or False, found 'yes'"):
        tables.read_table(path, "knowledge_wide")


def test_pre_sorts_before_post(study):
    scores = study["knowledge_scores"]
    first = scores[scores["participant_id"] == scores["participant_id"].iloc[0]]
    assert first["phase"].tolist() == ["pre", "post"]


def test_data_dictionary_describes_every_column():
    dictionary = tables.data_dictionary()
    for spec in tables.SCHEMAS.values():
        described = dictionary.loc[dictionary["table"] == spec.file, "column"].tolist()
        assert described == spec.column_names
    assert dictionary["description"].str.len().min() > 10
    assert set(dictionary["type"]) == {"string", "integer", "number", "boolean"}
