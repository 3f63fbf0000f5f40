"""Descriptives: the 95% CI of a mean against R, and the group table built on it."""

import math

import pandas as pd
import pytest

from analisis.stats.descriptives import describe
from analisis.stats.skill import group_table

SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]


def test_mean_ci_matches_r_one_sample_t_test():
    # R: t.test(sleep$extra[sleep$group == 1]) prints
    #   95 percent confidence interval: -0.5297804  2.0297804; mean of x 0.75
    d = describe(SLEEP_GROUP_1)
    assert d["mean"] == pytest.approx(0.75, abs=1e-12)
    assert d["ci95_lower"] == pytest.approx(-0.5297804, abs=5e-8)
    assert d["ci95_upper"] == pytest.approx(2.0297804, abs=5e-8)


def test_group_table_carries_each_groups_mean_ci():
    # Group a: 80, 100 -> mean 90, SD 14.1421, SE 10, t(0.975, 1) = 12.7062047
    # so 90 ± 127.062047; group b has one cadre: no CI.
    frame = pd.DataFrame({"group": ["b", "a", "a"], "score": [90.0, 80.0, 100.0]})
    table = group_table(frame).set_index("group")
    assert table.loc["a", "ci95_lower"] == pytest.approx(90 - 127.062047, abs=1e-5)
    assert table.loc["a", "ci95_upper"] == pytest.approx(90 + 127.062047, abs=1e-5)
    assert math.isnan(table.loc["b", "ci95_lower"])
