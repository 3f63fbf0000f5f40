"""N-gain and category shifts by hand."""

from __future__ import annotations

import numpy as np
import pytest

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
