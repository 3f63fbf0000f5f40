"""The per-village tables against scipy and hand formulas, one village at a time."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analisis.stats.villages import (
    BY_VILLAGE_COLUMNS,
    by_village,
    groups_by_village,
    steps_by_village,
)

# Two villages with overlapping pseudonyms, one with a single pair, one with skill only.
KNOWLEDGE = {
    "desa_a": ([60, 70, 80, 65, 75], [80, 84, 96, 70, 90]),
    "desa_b": ([50, 55, 62, 58], [70, 60, 80, 75]),
    "desa_c": ([40], [70]),
}
SKILL = {
    "desa_a": [70, 80, 85, 90, 72],
    "desa_b": [60, 78, 88],
    "desa_c": [75],
    "desa_d": [80, 90],
}
THRESHOLD = 75.0


def knowledge_wide() -> pd.DataFrame:
    rows = [
        (cohort, f"K{i + 1:02d}", pre[i], post[i], True)
        for cohort, (pre, post) in KNOWLEDGE.items()
        for i in range(len(pre))
    ]
    # A cadre of desa_a who missed the post-test: not a pair.
    rows.append(("desa_a", "K06", 90.0, math.nan, False))
    return pd.DataFrame(rows, columns=["cohort", "participant_id", "pre", "post", "paired"])


def skill_scores() -> pd.DataFrame:
    rows = [(c, f"K{i + 1:02d}", float(s)) for c, v in SKILL.items() for i, s in enumerate(v)]
    return pd.DataFrame(rows, columns=["cohort", "participant_id", "score"])


def table() -> pd.DataFrame:
    return by_village(
        knowledge_wide(),
        skill_scores(),
        max_score=100,
        normality_alpha=0.05,
        competence_threshold=THRESHOLD,
        n_gain_cutoffs=(0.3, 0.7),
    ).set_index("cohort")


def t_interval(values) -> tuple[float, float]:
    x = np.asarray(values, dtype=float)
    half = stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return x.mean() - half, x.mean() + half


def test_columns_and_one_row_per_village_sorted():
    t = table()
    assert ["cohort", *t.columns] == list(BY_VILLAGE_COLUMNS)
    assert t.index.tolist() == ["desa_a", "desa_b", "desa_c", "desa_d"]


@pytest.mark.parametrize("cohort", ["desa_a", "desa_b"])
def test_knowledge_columns_of_a_village(cohort):
    pre, post = (np.asarray(v, dtype=float) for v in KNOWLEDGE[cohort])
    row = table().loc[cohort]
    diff = post - pre
    assert row["n_pairs"] == pre.size
    assert row["pre_mean"] == pytest.approx(pre.sum() / pre.size)
    by_hand_sd = math.sqrt(((pre - pre.mean()) ** 2).sum() / (pre.size - 1))
    assert row["pre_sd"] == pytest.approx(by_hand_sd)
    assert row["post_mean"] == pytest.approx(post.sum() / post.size)
    assert row["post_sd"] == pytest.approx(post.std(ddof=1))
    assert row["gain_mean"] == pytest.approx(diff.mean())
    assert (row["gain_ci95_lower"], row["gain_ci95_upper"]) == pytest.approx(t_interval(diff))
    assert row["d_z"] == pytest.approx(diff.mean() / diff.std(ddof=1))
    # Shapiro-Wilk p is 0.386 (desa_a) and 0.094 (desa_b), both >= 0.05: the t-test leads.
    assert stats.shapiro(diff).pvalue >= 0.05
    assert row["primary_test"] == "t_test"
    assert row["p_primary"] == pytest.approx(stats.ttest_rel(post, pre).pvalue)
    # The d_z limits are the noncentralities putting the observed t at the 97.5th and
    # 2.5th percentiles of the noncentral t, divided by sqrt(n).
    n, t_obs = pre.size, stats.ttest_rel(post, pre).statistic
    lower, upper = row["d_z_ci95_lower"], row["d_z_ci95_upper"]
    assert stats.nct.cdf(t_obs, n - 1, lower * math.sqrt(n)) == pytest.approx(0.975)
    assert stats.nct.cdf(t_obs, n - 1, upper * math.sqrt(n)) == pytest.approx(0.025)
    hake = (post.mean() - pre.mean()) / (100 - pre.mean())
    assert row["n_gain_class"] == pytest.approx(hake)
    assert row["n_gain_class_category"] == ("sedang" if 0.3 <= hake < 0.7 else "tinggi")


def test_class_gains_by_hand():
    t = table()
    # desa_a: means 70 -> 84, 14 / 30; desa_b: 56.25 -> 71.25, 15 / 43.75.
    assert t.loc["desa_a", "n_gain_class"] == pytest.approx(14 / 30)
    assert t.loc["desa_b", "n_gain_class"] == pytest.approx(15 / 43.75)
    assert t.loc["desa_c", "n_gain_class"] == pytest.approx(30 / 60)
    assert t["n_gain_class_category"].tolist()[:3] == ["sedang", "sedang", "sedang"]


def test_skill_columns_of_each_village():
    t = table()
    for cohort, scores in SKILL.items():
        x = np.asarray(scores, dtype=float)
        row = t.loc[cohort]
        assert row["skill_n"] == x.size
        assert row["skill_mean"] == pytest.approx(x.mean())
        at_or_above = sum(score >= THRESHOLD for score in scores)
        assert row["skill_share_at_or_above_threshold"] == pytest.approx(at_or_above / x.size)
        if x.size > 1:
            ci = (row["skill_ci95_lower"], row["skill_ci95_upper"])
            assert ci == pytest.approx(t_interval(x))
    # 75 counts as reaching the threshold of 75.
    assert t.loc["desa_c", "skill_share_at_or_above_threshold"] == 1.0
    assert t.loc["desa_a", "skill_share_at_or_above_threshold"] == pytest.approx(3 / 5)


def test_small_villages_get_nan_where_undefined():
    t = table()
    one = t.loc["desa_c"]
    assert one["n_pairs"] == 1 and one["gain_mean"] == 30 and one["pre_mean"] == 40
    for column in ("pre_sd", "gain_ci95_lower", "d_z", "d_z_ci95_upper", "p_primary"):
        assert math.isnan(one[column]), column
    assert pd.isna(one["primary_test"])
    assert math.isnan(one["skill_ci95_lower"])
    none = t.loc["desa_d"]
    assert none["n_pairs"] == 0 and math.isnan(none["pre_mean"]) and none["skill_n"] == 2
    only_knowledge = by_village(
        knowledge_wide(),
        skill_scores().query("cohort != 'desa_b'"),
        max_score=100,
        normality_alpha=0.05,
        competence_threshold=THRESHOLD,
        n_gain_cutoffs=(0.3, 0.7),
    ).set_index("cohort")
    assert only_knowledge.loc["desa_b", "skill_n"] == 0
    assert math.isnan(only_knowledge.loc["desa_b", "skill_share_at_or_above_threshold"])


def test_groups_by_village_keeps_same_names_apart():
    s = skill_scores().assign(group="Kelompok 1")
    g = groups_by_village(s)
    assert g[["cohort", "group", "n"]].to_numpy().tolist() == [
        [c, "Kelompok 1", len(v)] for c, v in SKILL.items()
    ]
    with pytest.raises(ValueError, match="cohort"):
        groups_by_village(s.drop(columns="cohort"))


def test_steps_by_village_counts_each_village():
    rows = [
        ("desa_a", "L01", 2), ("desa_a", "L01", 2), ("desa_a", "L02", 1), ("desa_a", "L02", 2),
        ("desa_b", "L01", 0), ("desa_b", "L01", 2), ("desa_b", "L01", 2), ("desa_b", "L02", 2),
    ]  # fmt: skip
    steps = pd.DataFrame(rows, columns=["cohort", "step_id", "points"]).assign(max_points=2)
    t = steps_by_village(steps)
    assert list(t.columns) == ["cohort", "step_id", "n", "mean_share", "share_full", "rank"]
    # Weakest first within each village: desa_a L02 (1 of 2 full), desa_b L01 (2 of 3).
    assert t[["cohort", "step_id", "n", "rank"]].to_numpy().tolist() == [
        ["desa_a", "L02", 2, 1],
        ["desa_a", "L01", 2, 2],
        ["desa_b", "L01", 3, 1],
        ["desa_b", "L02", 1, 2],
    ]
    assert t["share_full"].tolist() == pytest.approx([1 / 2, 1, 2 / 3, 1])
    assert t["mean_share"].tolist() == pytest.approx([3 / 4, 1, (0 + 1 + 1) / 3, 1])


def test_steps_by_village_equals_pandas_per_village_to_the_last_bit():
    # 40 villages, 12 steps, uneven cadres and maxima: each village's steps computed with
    # pandas' own groupby on that village alone (Series.mean, Series.std) are the same floats.
    rng = np.random.default_rng(11)
    n = 3000
    steps = pd.DataFrame(
        {
            "cohort": rng.choice([f"desa_{i:02d}" for i in range(40)], n),
            "step_id": rng.choice([f"L{i:02d}" for i in range(12)], n),
            "max_points": 3,
        }
    )
    steps["points"] = rng.integers(0, 4, n)
    table = steps_by_village(steps).set_index(["cohort", "step_id"])
    for (cohort, step), g in steps.groupby(["cohort", "step_id"]):
        share = g["points"] / g["max_points"]
        assert table.loc[(cohort, step), "n"] == len(g)
        assert table.loc[(cohort, step), "mean_share"] == share.mean()
        assert table.loc[(cohort, step), "share_full"] == (g["points"] == 3).mean()
    ranks = table.reset_index().groupby("cohort")["rank"].agg(list)
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
