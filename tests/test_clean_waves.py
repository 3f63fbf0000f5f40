"""Delayed post-tests (knowledge.follow_up) through the same reading, cleaning and matching.

The cohort, worked out by hand (answer key of the four items in tests/conftest.py):

pre.csv  rows 2-5  Ani, Budi, Citra, Dewi                         kept
post.csv rows 2-5  Ani, Budi, Citra, Dewi                         kept
fu1.csv  row 2     Ibu Ani       (title removed: exact match)     kept
         row 3     Budi          (resubmitted, row 4 is later)    merged
         row 4     Budi                                           kept (duplicates_merged)
         row 5     Tes Fasilitator                                dropped (test_submission)
         row 6     Citra Ayu     (override: Citra)                kept (override_match)
         row 7     Eka           (a newcomer)                     flagged (no pre, no post)
Dewi has no follow-up: her pre and post rows are flagged no_follow_up: fu1.

15 raw rows: 1 merged, 1 dropped; 5 people; Ani, Budi, Citra measured at every wave.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate
from test_clean import log_of
from test_config import ROOT, SCHEMA

from analisis import clean, tables
from analisis.errors import ConfigError
from analisis.preflight import configured_files, key_path
from analisis.scoring import SCORE_INPUTS, score_study

PRE = [("06/09/2024 8:00:00", n, "", "abcd") for n in ("Ani", "Budi", "Citra", "Dewi")]
POST = [("06/09/2024 15:00:00", n, "", "abcd") for n in ("Ani", "Budi", "Citra", "Dewi")]
FOLLOW_UP = [
    ("05/12/2024 9:00:00", "Ibu Ani", "", "abcd"),
    ("05/12/2024 9:01:00", "Budi", "", "ab--"),
    ("05/12/2024 9:05:00", "Budi", "", "abca"),
    ("05/12/2024 9:06:00", "Tes Fasilitator", "", "abcd"),
    ("05/12/2024 9:07:00", "Citra Ayu", "", "abcd"),
    ("05/12/2024 9:08:00", "Eka", "", "abcd"),
]


@pytest.fixture
def cohort(tmp_path, raw):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("name_a,name_b,decision\nCitra,Citra Ayu,match\n", encoding="utf-8")
    return {
        "id": "c",
        "knowledge": {
            "instrument": str(raw.write_knowledge_instrument(tmp_path / "i.csv")),
            "pre": str(raw.write_forms(tmp_path / "pre.csv", PRE)),
            "post": str(raw.write_forms(tmp_path / "post.csv", POST)),
            "follow_up": [
                {
                    "label": {"id": "3 bulan", "en": "3 months"},
                    "file": str(raw.write_forms(tmp_path / "fu1.csv", FOLLOW_UP)),
                    "days_after_training": 90,
                }
            ],
        },
        "match_overrides": str(overrides),
    }


@pytest.fixture
def cleaned(cohort):
    # clean_study proves the log complete (check_log_complete) over all three exports.
    return clean.clean_study([cohort])


def test_every_row_of_every_wave_is_logged_by_hand(cleaned):
    log = cleaned["cleaning_log"]
    assert len(log) == 4 + 4 + 6
    fu = {row: log_of(cleaned, "fu1.csv", row) for row in range(2, 8)}
    assert [fu[r]["action"] for r in range(2, 8)] == [
        "kept", "merged", "kept", "dropped", "kept", "flagged",
    ]  # fmt: skip
    assert fu[3]["reason"] == "duplicate_submission"
    assert fu[5]["reason"] == "test_submission"
    assert fu[6]["reason"] == "override_match"
    assert fu[7]["reason"] == "no_pre_test;no_post_test"
    dewi = log_of(cleaned, "pre.csv", 5)
    assert (dewi["action"], dewi["reason"], dewi["detail"]) == (
        "flagged", "no_follow_up", "no_follow_up: fu1",
    )  # fmt: skip
    assert log_of(cleaned, "post.csv", 5)["detail"] == "no_follow_up: fu1"


def test_a_cadre_is_one_person_across_every_wave(cleaned):
    for pre_row, fu_row in ((2, 2), (3, 4), (4, 6)):  # Ani, Budi, Citra
        pid = log_of(cleaned, "pre.csv", pre_row)["participant_id"]
        assert log_of(cleaned, "post.csv", pre_row)["participant_id"] == pid
        assert log_of(cleaned, "fu1.csv", fu_row)["participant_id"] == pid
    assert (
        log_of(cleaned, "fu1.csv", 3)["participant_id"]
        == log_of(cleaned, "fu1.csv", 4)["participant_id"]
    )
    assert len(cleaned["participants"]) == 5  # Ani, Budi, Citra, Dewi, Eka
    responses = cleaned["responses"]
    by_phase = responses.groupby("phase")["participant_id"].nunique().to_dict()
    assert by_phase == {"fu1": 4, "post": 4, "pre": 4}
    # Budi's used follow-up is the later one: a b c a, 3 of 4 correct.
    budi = log_of(cleaned, "fu1.csv", 4)["participant_id"]
    budi_fu = responses[(responses["participant_id"] == budi) & (responses["phase"] == "fu1")]
    assert budi_fu["correct"].sum() == 3
    # Phases sort pre, post, fu1 within a person, and the table passes its schema.
    ani = responses[responses["participant_id"] == log_of(cleaned, "pre.csv", 2)["participant_id"]]
    assert list(dict.fromkeys(ani["phase"])) == ["pre", "post", "fu1"]
    tables.validate(responses, "responses")


def test_no_names_leave_the_private_tables(cleaned):
    public = ("responses", "participants", "cleaning_log")
    text = " ".join(cleaned[name].to_csv() for name in public)
    for name in ("Ani", "Budi", "Citra", "Dewi", "Eka"):
        assert name not in text


def test_the_same_file_twice_is_a_config_error(cohort):
    cohort["knowledge"]["follow_up"][0]["file"] = cohort["knowledge"]["post"]
    with pytest.raises(ConfigError, match=r"post and follow_up\[0\]\.file name the same file"):
        clean.clean_study([cohort])


def test_follow_up_files_are_configured_files(cohort):
    keys = [key_path(parts) for parts, _ in configured_files({"cohorts": [cohort]})]
    assert "cohorts[0].knowledge.follow_up[0].file" in keys


def test_schema_validates_the_follow_up_block(cohort):
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    knowledge = config["cohorts"][0]["knowledge"]
    knowledge["follow_up"] = cohort["knowledge"]["follow_up"]
    validate(config, SCHEMA)
    del knowledge["follow_up"][0]["days_after_training"]
    with pytest.raises(WorkflowError, match="days_after_training"):
        validate(config, SCHEMA)
    knowledge["follow_up"][0].update(days_after_training=0)
    with pytest.raises(WorkflowError, match="minimum"):
        validate(config, SCHEMA)
    knowledge["follow_up"][0].update(days_after_training=90, label={"id": "3 bulan"})
    with pytest.raises(WorkflowError, match="en"):
        validate(config, SCHEMA)


def test_bundled_study_has_no_follow_up_and_its_dictionary_only_pre_and_post():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    assert all("follow_up" not in c["knowledge"] for c in config["cohorts"])
    dictionary = tables.data_dictionary()
    phase = dictionary.loc[dictionary["column"] == "phase", "description"].iloc[0]
    assert phase == "Test occasion: pre (before training) or post. Allowed: pre, post."


def test_follow_up_phases_sort_after_post():
    frame = pd.DataFrame(
        {"cohort": "c", "participant_id": "K01", "phase": ["fu2", "post", "fu1", "pre"],
         "score": 1.0, "n_correct": 1, "n_items": 1, "category": "baik"}
    )  # fmt: skip
    assert tables.sort_table(frame, "knowledge_scores")["phase"].tolist() == [
        "pre", "post", "fu1", "fu2",
    ]  # fmt: skip


def test_scores_carry_the_follow_up_and_the_wide_table_keeps_to_pre_and_post(cleaned):
    scored = score_study(*(cleaned[name] for name in SCORE_INPUTS))
    scores = scored["knowledge_scores"]
    fu = scores[scores["phase"] == "fu1"].set_index("participant_id")["score"]
    budi = log_of(cleaned, "fu1.csv", 4)["participant_id"]
    assert len(fu) == 4 and fu[budi] == 75.0  # 3 of 4
    wide = scored["knowledge_wide"]
    assert list(wide.columns) == tables.schema("knowledge_wide").column_names
    # Eka sat only the follow-up: a participant, not a pair.
    assert (len(wide), int(wide["paired"].sum())) == (5, 4)


def test_follow_ups_must_be_in_time_order(cohort, raw, tmp_path):
    second = dict(cohort["knowledge"]["follow_up"][0], days_after_training=60)
    second["file"] = str(raw.write_forms(tmp_path / "fu2.csv", FOLLOW_UP[:1]))
    cohort["knowledge"]["follow_up"].append(second)
    message = r"follow_up\[1\]\.days_after_training: expected more than 90 .*found 60"
    with pytest.raises(ConfigError, match=message):
        clean.clean_study([cohort])
    second["days_after_training"] = 180
    result = clean.clean_study([cohort])
    assert set(result["responses"]["phase"]) == {"pre", "post", "fu1", "fu2"}
