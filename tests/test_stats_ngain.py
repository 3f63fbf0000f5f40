"""N-gain and category shifts by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analisis.scoring import hake_n_gain, knowledge_score, knowledge_wide
from analisis.stats.ngain import (
    category_shift_table,
    individual_n_gain,
    n_gain_category,
    n_gain_category_counts,
    n_gain_summary,
)


def test_n_gain_hand_calculation():
    # pre 40, 80, 100, 90; post 70, 100, 100, 85 (max 100):
    # g = 30/60 = 0.5, 20/20 = 1.0, undefined, -5/10 = -0.5.
    # class: means 77.5 -> 88.75; (88.75 - 77.5) / 22.5 = 0.5.
    # individual: mean (0.5 + 1 - 0.5) / 3 = 1/3, SD sqrt(((1/6)² + (2/3)² + (5/6)²) / 2)
    #   = sqrt((0.027778 + 0.444444 + 0.694444) / 2) = sqrt(0.583333) = 0.763763.
    pre, post = [40, 80, 100, 90], [70, 100, 100, 85]
    g = individual_n_gain(pre, post, 100)
    assert g[[0, 1, 3]].tolist() == [0.5, 1.0, -0.5] and np.isnan(g[2])
    s = n_gain_summary(pre, post, 100)
    assert s["class"] == pytest.approx(0.5)
    assert s["mean_individual"] == pytest.approx(1 / 3)
    assert s["sd_individual"] == pytest.approx(0.763763, abs=1e-6)
    assert s["n_undefined"] == 1


def test_categories_and_counts_use_the_cutoffs_given():
    assert n_gain_category([0.7, 0.3, 0.29], (0.3, 0.7)) == ["tinggi", "sedang", "rendah"]
    assert n_gain_category([0.7, 0.3], (0.4, 0.8)) == ["sedang", "rendah"]
    counts = n_gain_category_counts([1.0, 0.5, -0.5, np.nan])
    assert counts["n"].tolist() == [1, 1, 1, 1]
    assert counts["share"].tolist()[:3] == pytest.approx([1 / 3] * 3)
    with pytest.raises(ValueError, match="increasing"):
        n_gain_category([0.5], (0.7, 0.3))


def test_score_above_max_is_an_error():
    with pytest.raises(ValueError, match="above the maximum"):
        individual_n_gain([50], [104], 100)


def test_category_shift_table_counts_every_cell():
    pre = ["kurang", "cukup", "baik", "cukup"]
    post = ["baik", "baik", "baik", "cukup"]
    t = category_shift_table(pre, post, ["baik", "cukup", "kurang"])
    assert len(t) == 9 and t["n"].sum() == 4
    cell = t.set_index(["pre_category", "post_category"])
    assert cell.loc[("kurang", "baik"), "n"] == 1
    assert cell.loc[("cukup", "baik"), "direction"] == "up"
    assert cell.loc[("cukup", "cukup"), "n"] == 1
    with pytest.raises(ValueError, match="not among the levels"):
        category_shift_table(["sangat baik"], ["baik"], ["baik"])


def test_21_item_test_11_to_18_correct_is_tinggi_from_the_percentages():
    # g = (18 - 11) / (21 - 11) = 7/10 exactly, so 'tinggi' (g >= 0.7). The naive float
    # formula on 100·11/21 = 52.380… and 100·18/21 = 85.714… gives 0.6999999999999998.
    pre, post = 100 * 11 / 21, 100 * 18 / 21
    assert (post - pre) / (100 - pre) < 0.7
    g = individual_n_gain([pre], [post], 100)
    assert g.tolist() == [0.7]
    assert n_gain_category(g) == ["tinggi"]


def test_n_gain_reads_decimal_scores_as_decimals():
    # 52.4 -> 76.2 of 100: (76.2 - 52.4) / 47.6 = 23.8 / 47.6 = 1/2 exactly.
    assert hake_n_gain(52.4, 76.2) == 0.5
    assert (76.2 - 52.4) / (100 - 52.4) != 0.5


def _scores_table(n: int) -> pd.DataFrame:
    """Every (pre, post) count of an n-item test, one person each."""
    rows = []
    for k_pre in range(n + 1):
        for k_post in range(n + 1):
            person = f"K{k_pre:02d}-{k_post:02d}"
            for phase, k in (("pre", k_pre), ("post", k_post)):
                rows.append(("c", person, phase, knowledge_score(k, n), k, n, "x"))
    columns = ["cohort", "participant_id", "phase", "score", "n_correct", "n_items", "category"]
    return pd.DataFrame(rows, columns=columns)


@settings(max_examples=30)
@given(st.integers(5, 60))
def test_stats_and_scoring_tables_never_disagree_on_n_gain_category(n_items):
    # The scoring path (knowledge_wide.csv, from item counts) and the statistics path
    # (knowledge_details.json, from the percentage scores) categorise every person alike,
    # for every pre and post count of the test.
    wide = knowledge_wide(_scores_table(n_items))
    from_scores = n_gain_category(individual_n_gain(wide["pre"], wide["post"], 100))
    from_counts = [None if pd.isna(c) else c for c in wide["n_gain_category"]]
    assert from_scores == from_counts
