"""Skill statistics against R's help-page outputs, Newcombe (1998) and hand calculation."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analisis.stats.skill import (
    group_comparison,
    group_table,
    one_sample_tests,
    proportion_wilson,
    skill_summary,
    step_counts,
    steps_summary,
    study_steps_summary,
)


def test_kruskal_wallis_matches_r_help_example_and_effectsize():
    # help(kruskal.test), Hollander & Wolfe (1973) p. 116 (airway clearance):
    # Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68.
    # effectsize tests (test-rankES.R): rank_epsilon_squared = 0.05934066 on the same data.
    x = [2.9, 3.0, 2.5, 2.6, 3.2]
    y = [3.8, 2.7, 4.0, 2.4]
    z = [2.8, 3.4, 3.7, 2.2, 2.0]
    r = group_comparison(x + y + z, ["x"] * 5 + ["y"] * 4 + ["z"] * 5)
    kw = r["kruskal_wallis"]
    assert kw["H"] == pytest.approx(0.77143, abs=5e-6)
    assert kw["df"] == 2
    assert round(kw["p"], 2) == 0.68
    assert kw["epsilon_squared"] == pytest.approx(0.05934066, abs=5e-9)


def test_welch_anova_matches_r_on_sleep():
    # R: oneway.test(extra ~ group, data = sleep) -> F = 3.4626, num df = 1,
    # denom df = 17.776, p-value = 0.07939 (= Welch t.test: t = -1.8608, df = 17.776).
    g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    w = group_comparison(g1 + g2, ["1"] * 10 + ["2"] * 10)["welch_anova"]
    assert w["F"] == pytest.approx(3.4626, abs=5e-5)
    assert w["df1"] == 1
    assert w["df2"] == pytest.approx(17.776, abs=5e-4)
    assert w["p"] == pytest.approx(0.07939, abs=5e-6)


def test_eta_and_omega_squared_by_hand():
    # Groups (1, 2, 3) and (4, 5, 9): means 2 and 6, grand mean 4.
    # SS_between = 3·4 + 3·4 = 24; SS_total = 9+4+1+0+1+25 = 40; SS_within = 16,
    # MS_within = 16 / 4 = 4. eta² = 24/40 = 0.6; omega² = (24 - 4) / (40 + 4) = 0.454545.
    w = group_comparison([1, 2, 3, 4, 5, 9], list("aaabbb"))["welch_anova"]
    assert w["eta_squared"] == pytest.approx(0.6)
    assert w["omega_squared"] == pytest.approx(20 / 44)


def test_groups_all_equal_are_stated():
    r = group_comparison([90, 90, 90, 90], list("aabb"))
    assert np.isnan(r["kruskal_wallis"]["H"]) and "all scores equal" in r["note"]


def test_wilson_matches_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score):
    # 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611.
    assert proportion_wilson(81, 263)["ci95"] == pytest.approx([0.2553, 0.3662], abs=5e-5)
    assert proportion_wilson(15, 148)["ci95"] == pytest.approx([0.0624, 0.1605], abs=5e-5)
    assert proportion_wilson(0, 20)["ci95"] == pytest.approx([0.0, 0.1611], abs=5e-5)


def test_one_sample_against_threshold_by_hand():
    # Scores 70, 80, 90, 100 vs 75: mean 85, SD 12.909944, SE 6.454972,
    # t = 10 / 6.454972 = 1.549193, df 3; d = 10 / 12.909944 = 0.774597.
    # Wilcoxon on -5, 5, 15, 25: ranks 1.5, 1.5, 3, 4, V = 8.5 (ties: normal approx).
    r = one_sample_tests([70, 80, 90, 100], 75)
    assert r["t_test"]["t"] == pytest.approx(1.549193, abs=1e-6)
    assert r["t_test"]["df"] == 3
    assert r["t_test"]["d"] == pytest.approx(0.774597, abs=1e-6)
    assert r["wilcoxon"]["V"] == 8.5
    assert r["wilcoxon"]["method"] == "normal approximation"


def test_skill_summary_top_level_keys():
    s = skill_summary(
        [80, 90, 100, 100],
        ["baik", "baik", "baik", "cukup"],
        competence_threshold=75,
        top_category="baik",
    )
    assert (s["n"], s["mean"]) == (4, 92.5)
    assert s["sd"] == pytest.approx(9.574271, abs=1e-6)  # sqrt(275 / 3)
    assert s["top_category"]["k"] == 3 and s["top_category"]["share"] == 0.75
    assert s["category_counts"] == {"baik": 3, "cukup": 1}


def test_steps_sorted_weakest_first():
    steps = pd.DataFrame(
        {
            "step_id": ["L01"] * 3 + ["L02"] * 3 + ["L03"] * 3,
            "points": [2, 2, 2, 1, 2, 0, 2, 2, 1],
            "max_points": 2,
        }
    )
    t = steps_summary(steps)
    # L02: full 1/3, mean 1 (share 0.5); L03: full 2/3, mean 5/3; L01: full 1.
    assert t["step_id"].tolist() == ["L02", "L03", "L01"]
    assert t["share_full"].tolist() == pytest.approx([1 / 3, 2 / 3, 1])
    assert t["mean_points"].tolist() == pytest.approx([1, 5 / 3, 2])
    assert t["rank"].tolist() == [1, 2, 3]


def test_steps_of_one_shard_are_numpys_and_of_shards_exact_fractions():
    # Points of a tenth are not binary fractions: 0.1 = 3602879701896397 / 2**55.
    rng = np.random.default_rng(7)
    points = rng.choice([0.0, 0.1, 0.2, 0.5, 1.0], size=60)
    steps = pd.DataFrame({"step_id": "L01", "points": points, "max_points": 1.0})
    halves = [steps.iloc[:25], steps.iloc[25:]]
    one = study_steps_summary([step_counts(steps)], [steps_summary(steps)])
    split = study_steps_summary(
        [step_counts(h) for h in halves], [steps_summary(h) for h in halves]
    )
    # One shard: numpy's std (ddof 1) and mean over the points in table order.
    assert one["sd_points"][0] == np.std(points, ddof=1)
    assert one["mean_share"][0] == np.mean(points / 1.0)
    # Shards: the textbook SD of the exact fractions, rounded once before the square root.
    exact = [Fraction(v) for v in points]
    mean = sum(exact) / len(exact)
    variance = sum((v - mean) ** 2 for v in exact) / (len(exact) - 1)
    assert split["sd_points"][0] == math.sqrt(float(variance))
    assert split["mean_points"][0] == float(mean)
    assert abs(split["sd_points"][0] - one["sd_points"][0]) < 1e-14


def test_group_table():
    f = pd.DataFrame(
        {"group": ["B", "A", "A"], "assessor": ["Y", "X", "Z"], "score": [90.0, 80.0, 100.0]}
    )
    t = group_table(f)
    assert t["group"].tolist() == ["A", "B"]
    assert t["assessor"].tolist() == ["X; Z", "Y"]


def two_village_skill() -> pd.DataFrame:
    """Two villages, each with Kelompok 1-3 and assessors A01-A03 of its own."""
    rng = np.random.default_rng(5)
    rows = []
    for cohort, shift, sizes in (("desa_a", 0.0, (3, 4, 3)), ("desa_b", 8.0, (5, 4, 4))):
        for g, size in enumerate(sizes, start=1):
            for _ in range(size):
                score = float(np.round(70 + shift + 4 * g + rng.normal(0, 5), 1))
                rows.append((cohort, f"Kelompok {g}", f"A0{g}", score))
    return pd.DataFrame(rows, columns=["cohort", "group", "assessor", "score"])


def test_group_comparison_keeps_groups_of_villages_apart():
    f = two_village_skill()
    samples = [
        f.loc[(f["cohort"] == c) & (f["group"] == f"Kelompok {g}"), "score"].to_numpy()
        for c in ("desa_a", "desa_b")
        for g in (1, 2, 3)
    ]
    h, p = stats.kruskal(*samples)
    r = group_comparison(f["score"], f["group"], cohorts=f["cohort"])
    assert r["k"] == 6 and r["n"] == 23
    assert r["kruskal_wallis"]["H"] == pytest.approx(h)
    assert r["kruskal_wallis"]["p"] == pytest.approx(p)
    assert r["kruskal_wallis"]["df"] == 5
    # Without the villages the three names would be three groups.
    assert group_comparison(f["score"], f["group"])["k"] == 3


def test_group_table_has_one_row_per_village_and_group():
    f = two_village_skill()
    t = group_table(f)
    assert list(t.columns)[:2] == ["cohort", "group"]
    assert t[["cohort", "group"]].to_numpy().tolist() == [
        [c, f"Kelompok {g}"] for c in ("desa_a", "desa_b") for g in (1, 2, 3)
    ]
    one = f[(f["cohort"] == "desa_b") & (f["group"] == "Kelompok 2")]["score"].to_numpy()
    row = t.iloc[4]
    assert row["n"] == 4 and row["assessor"] == "A02"
    assert row["mean"] == pytest.approx(one.sum() / 4)
    assert row["sd"] == pytest.approx(np.sqrt(((one - one.mean()) ** 2).sum() / 3))


def test_group_table_of_one_village_only_adds_the_cohort_column():
    f = two_village_skill().query("cohort == 'desa_a'")
    with_cohort = group_table(f)
    without = group_table(f.drop(columns="cohort"))
    assert with_cohort.columns[0] == "cohort"
    pd.testing.assert_frame_equal(with_cohort.drop(columns="cohort"), without)


def test_a_group_of_one_or_of_equal_scores_leaves_welch_undefined_not_the_run():
    from scipy import stats as scipy_stats

    from analisis.stats.skill import group_comparison

    # Many villages make such groups common: one cadre in group b, equal scores in c.
    scores = [70.0, 80.0, 90.0, 85.0, 75.0, 75.0, 60.0, 65.0]
    groups = ["a", "a", "a", "b", "c", "c", "d", "d"]
    result = group_comparison(scores, groups)
    samples = [[70.0, 80.0, 90.0], [85.0], [75.0, 75.0], [60.0, 65.0]]
    assert result["kruskal_wallis"]["H"] == pytest.approx(scipy_stats.kruskal(*samples)[0])
    assert result["kruskal_wallis"]["df"] == 3
    assert math.isnan(result["welch_anova"]["F"]) and math.isnan(result["welch_anova"]["p"])
    assert "Welch's ANOVA undefined: 2 of 4 groups" in result["note"]
    # eta² = SS_between / SS_total, by hand: grand mean 75, group means 80, 85, 75, 62.5.
    ss_between = 3 * 5**2 + 1 * 10**2 + 2 * 0**2 + 2 * 12.5**2
    ss_total = sum((x - 75.0) ** 2 for x in scores)
    assert result["welch_anova"]["eta_squared"] == pytest.approx(ss_between / ss_total)
