"""Scores, N-gain and categories against hand calculation (values written out below)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analisis import clean, scoring
from analisis.errors import ConfigError


def test_knowledge_score_by_hand():
    # 19 of 25 correct, 4 points an item: 76; 24 of 25: 96; 25: 100.
    assert scoring.knowledge_score(19, 25) == 76.0
    assert scoring.knowledge_score(24, 25) == 96.0
    assert scoring.knowledge_score(25, 25) == 100.0
    # 2 of 3: 66.666…, unrounded.
    assert scoring.knowledge_score(2, 3) == pytest.approx(200 / 3, rel=1e-15)


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (76, 100, 1.0),  # (100 - 76) / (100 - 76)
        (60, 80, 0.5),  # 20 / 40
        (80, 60, -1.0),  # -20 / 20: a fall is a negative gain
        (50, 65, 0.3),  # 15 / 50
        (0, 70, 0.7),
    ],
)
def test_hake_n_gain_by_hand(pre, post, expected):
    assert scoring.hake_n_gain(pre, post) == pytest.approx(expected, abs=1e-15)


def test_hake_n_gain_undefined_at_max():
    assert math.isnan(scoring.hake_n_gain(100, 100))
    assert math.isnan(scoring.hake_n_gain(25, 20, maximum=25))


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (100, "baik"),
        (76, "baik"),
        (75.99, "cukup"),
        (56, "cukup"),
        (55.99, "kurang"),
        (0, "kurang"),
    ],
)
def test_knowledge_categories_at_cutoffs(score, category):
    bounds = scoring.DEFAULT_SCORING["knowledge_categories"]
    assert scoring.categorise(pd.Series([float(score)]), bounds, "kurang")[0] == category


@pytest.mark.parametrize(
    ("g", "category"),
    [
        (1.0, "tinggi"),
        (0.7, "tinggi"),
        (0.6999, "sedang"),
        (0.3, "sedang"),
        (0.2999, "rendah"),
        (-0.5, "rendah"),
    ],
)
def test_n_gain_categories_at_cutoffs(g, category):
    bounds = scoring.DEFAULT_SCORING["n_gain_categories"]
    assert scoring.categorise(pd.Series([g]), bounds, "rendah")[0] == category


def test_categories_without_lowest_bound_and_custom_cutoffs():
    values = pd.Series([80.0, 79.9, 60.0, 59.0])
    assert scoring.categorise(values, {"baik": 80, "cukup": 60}, "kurang").tolist() == [
        "baik",
        "cukup",
        "cukup",
        "kurang",
    ]


def test_counts_give_exact_categories_at_the_bound():
    # 21 items, 11 -> 18 correct: g = (18 - 11) / (21 - 11) = 7 / 10 = 0.7 exactly, 'tinggi'.
    # From the float scores, (85.714… - 52.380…) / (100 - 52.380…) is 0.6999999999999998,
    # which would fall to 'sedang'; the counts route must not.
    pre, post = 100 * 11 / 21, 100 * 18 / 21
    assert (post - pre) / (100 - pre) < 0.7
    scores = pd.DataFrame(
        {
            "cohort": "c",
            "participant_id": ["K01", "K01"],
            "phase": ["pre", "post"],
            "score": [pre, post],
            "n_correct": [11, 18],
            "n_items": [21, 21],
            "category": "x",
        }
    )
    wide = scoring.knowledge_wide(scores)
    assert wide["n_gain"][0] == 0.7
    assert wide["n_gain_category"][0] == "tinggi"


def score(cohort, cleaning=None, scoring_config=None):
    cleaned = clean.clean_study([cohort], cleaning)
    return cleaned, scoring.score_study(
        cleaned["responses"], cleaned["skill_steps"], cleaned["participants"], scoring_config
    )


def test_messy_cohort_scores_by_hand(messy_cohort):
    cleaned, result = score(messy_cohort)
    names = cleaned["linkage"].set_index("name")["participant_id"]
    wide = result["knowledge_wide"].set_index("participant_id")
    # Hand-scored from tests/conftest.py (key a b c d):
    #   Siti   pre abca 3/4 = 75   post abcd 4/4 = 100   g = (4-3)/(4-3) = 1
    #   Rina   pre abcd 100 (row 5 used)  post 100       g undefined: pre = max
    #   Dewi   pre aaaa 1/4 = 25   post abcb 3/4 = 75    g = (3-1)/(4-1) = 2/3
    #   Nur    pre abcc 3/4 = 75   post abcd 100         g = 1
    #   Sri    pre bbcd 3/4 = 75   no post
    expected = {
        "siti aminah": (75.0, 100.0, 1.0, "tinggi", None),
        "rina marlina": (100.0, 100.0, None, None, "pre = max"),
        "dewi lestari": (25.0, 75.0, 2 / 3, "sedang", None),
        "nurhayati": (75.0, 100.0, 1.0, "tinggi", None),
        "sri wahyuni": (75.0, None, None, None, "no post-test"),
    }
    for name, (pre, post, g, category, note) in expected.items():
        row = wide.loc[names[name]]
        assert row["pre"] == pre
        assert (pd.isna(row["post"]) and post is None) or row["post"] == post
        assert (pd.isna(row["n_gain"]) and g is None) or row["n_gain"] == pytest.approx(g)
        assert (pd.isna(row["n_gain_category"]) and category is None) or (
            row["n_gain_category"] == category
        )
        assert (pd.isna(row["n_gain_note"]) and note is None) or row["n_gain_note"] == note
        assert row["paired"] == (post is not None)
    paired = wide[wide["paired"]]
    assert paired["pre"].mean() == (75 + 100 + 25 + 75) / 4
    assert paired["post"].mean() == (100 + 100 + 75 + 100) / 4
    assert wide.loc[names["dewi lestari"], "pre_category"] == "kurang"
    assert wide.loc[names["siti aminah"], "pre_category"] == "cukup"

    scores = result["knowledge_scores"]
    assert len(scores) == 5 + 4
    assert scores["n_items"].unique().tolist() == [4]

    # Skill, max 1 + 2 + 2 = 5: Siti 1+2+1 = 4 (80), Rina 3 (60), Dewi 0+2+2 = 4 (80),
    # Nurhayati 1+1+0 = 2 (40).
    skill = result["skill_scores"].set_index("participant_id")
    assert skill.loc[
        names["siti aminah"], ["points", "max_points", "score", "category"]
    ].tolist() == [
        4,
        5,
        80.0,
        "baik",
    ]
    assert skill.loc[names["rina marlina"], "score"] == 60.0
    assert skill.loc[names["rina marlina"], "category"] == "cukup"
    assert skill.loc[names["nurhayati"], "category"] == "kurang"
    assert skill.loc[names["dewi lestari"], "group"] == "2"
    assert skill["score"].mean() == (80 + 60 + 80 + 40) / 4


def test_skill_cutoffs_are_configurable(messy_cohort):
    _, result = score(messy_cohort, scoring_config={"skill_categories": {"kompeten": 75}})
    assert sorted(result["skill_scores"]["category"]) == [
        "kompeten",
        "kompeten",
        "kurang",
        "kurang",
    ]


def test_bad_scoring_config():
    with pytest.raises(ConfigError, match=r"scoring\.knowledge_categories"):
        scoring.scoring_rules({"knowledge_categories": {"baik": "tinggi"}})
    with pytest.raises(ConfigError, match="unknown"):
        scoring.scoring_rules({"categories": {}})


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    not (ROOT / "data/raw/kampung_delima/daftar_tilik_keterampilan.xlsx").exists(),
    reason="bundled study not generated",
)
def test_bundled_study_reproduces_the_paper(monkeypatch):
    # Targets from the paper and the generator's design table (data/raw/kampung_delima/
    # README.md): 23 pairs; pre 1748 / 23 = 76 (437 correct x 4 points); post 2288 / 23 =
    # 99.478… (prints 99.48); skill 100 x 863 / (43 x 23) = 87.2599… (prints 87.26).
    monkeypatch.chdir(ROOT)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    cleaned = clean.clean_study(config["cohorts"], config.get("cleaning"))
    result = scoring.score_study(
        cleaned["responses"], cleaned["skill_steps"], cleaned["participants"]
    )
    wide = result["knowledge_wide"]
    paired = wide[wide["paired"]]
    assert len(paired) == 23
    assert paired["pre"].mean() == pytest.approx(1748 / 23, rel=1e-12)
    assert paired["post"].mean() == pytest.approx(2288 / 23, rel=1e-12)
    skill = result["skill_scores"]
    assert len(skill) == 23
    assert skill["score"].mean() == pytest.approx(86300 / 989, rel=1e-12)
    assert skill.groupby("group").size().to_dict() == {"1": 6, "2": 6, "3": 6, "4": 5}
    # The README's messiness table: 24 + 24 export rows and 23 cadre rows; one test
    # submission dropped, one duplicate merged, one total mismatch and one fuzzy pair
    # (two rows) flagged; "Dewi S." joined by the override.
    log = cleaned["cleaning_log"]
    assert len(log) == 71
    assert log["action"].value_counts().to_dict() == {
        "kept": 66,
        "flagged": 3,
        "merged": 1,
        "dropped": 1,
    }
    post = log[log["source_file"].str.endswith("posttest_pengetahuan.csv")].set_index("source_row")
    assert post.loc[2, "action"] == "merged"
    assert post.loc[9, "detail"] == "total_mismatch: export 25 / 25; key 24 of 25"
    assert post.loc[24, "action"] == "flagged"
    overridden = cleaned["matches"].query("method == 'override'")
    assert overridden[["name_a", "name_b"]].to_numpy().tolist() == [["dewi sartika", "dewi s"]]
