"""Descriptives: the 95% CI of a mean against R, and the group table built on it."""

import math

import pandas as pd
import pytest

from analisis.stats.descriptives import (
    CEILING_FLOOR_SHARE,
    ceiling_floor,
    crosses_scale,
    describe,
)
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


def test_share_at_min_and_max_by_hand():
    # 0, 0, 40, 100: one half at the minimum 0, one quarter at the maximum 100.
    d = describe([0, 0, 40, 100], max_score=100, min_score=0)
    assert d["share_at_min"] == 0.5 and d["share_at_max"] == 0.25
    assert math.isnan(describe([0, 40])["share_at_min"])


def test_ceiling_and_floor_flag_at_terwees_15_percent():
    # Terwee et al. (2007, J Clin Epidemiol 60:34-42): a ceiling or floor effect is
    # present when more than 15% of respondents score the highest or lowest possible
    # value; at exactly 15% the flag is raised (the criterion's boundary, taken inclusive).
    at_15 = [100] * 3 + [50] * 17  # 3 / 20 = 15%
    below = [100] * 2 + [0] * 2 + [50] * 16  # 10% each
    assert ceiling_floor(at_15, min_score=0, max_score=100)["ceiling"] is True
    flags = ceiling_floor(below, min_score=0, max_score=100)
    assert (flags["ceiling"], flags["floor"]) == (False, False)
    floor = ceiling_floor([0] * 4 + [60] * 16, min_score=0, max_score=100)
    assert floor["floor"] is True and floor["share_at_min"] == 0.2
    # The bundled study after training: 20 of 23 at 100 (86.96%).
    post = ceiling_floor([100] * 20 + [96] * 3, min_score=0, max_score=100)
    assert post["share_at_max"] == pytest.approx(20 / 23) and post["ceiling"] is True
    assert CEILING_FLOOR_SHARE == 0.15


def test_crosses_scale():
    # Mean of 20 × 100 and 3 × 96 = 99.478, SD 1.3774, SE 0.28721, t(0.975, 22) = 2.073873:
    # 99.478 ± 0.5956 = [98.883, 100.074] reaches above 100.
    lo, hi = (99.478 - 2.073873 * 0.28721, 99.478 + 2.073873 * 0.28721)
    assert crosses_scale([lo, hi], min_score=0, max_score=100) is True
    assert crosses_scale([0, 100], min_score=0, max_score=100) is False
    assert crosses_scale([-0.1, 5], min_score=0, max_score=100) is True
