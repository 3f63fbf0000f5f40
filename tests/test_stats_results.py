"""results.py on contract-shaped tables built to the paper's figures (23 pairs, 76 -> 99.48)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analisis.outputs import to_jsonable
from analisis.stats.results import knowledge_results, skill_results

N_ITEMS = 25
# 23 paired cadres. Pre correct counts sum to 437 -> mean 437 × 4 / 23 = 76.00; post: 20
# cadres with 25 correct and 3 with 24 -> 572 × 4 / 23 = 99.478 (the paper's impossible
# 99.50 rounded to the nearest attainable mean).
PRE_CORRECT = [
    15,
    16,
    17,
    17,
    18,
    18,
    18,
    19,
    19,
    19,
    19,
    19,
    19,
    19,
    20,
    20,
    20,
    20,
    21,
    21,
    21,
    21,
    21,
]
POST_CORRECT = [24, 24, 24] + [25] * 20


def category(score: float) -> str:
    return "baik" if score >= 76 else "cukup" if score >= 56 else "kurang"


@pytest.fixture(scope="module")
def tables():
    assert sum(PRE_CORRECT) == 437 and sum(POST_CORRECT) == 572
    rng = np.random.default_rng(5)
    responses, scores, wide = [], [], []
    for i, (n_pre, n_post) in enumerate(zip(PRE_CORRECT, POST_CORRECT, strict=True)):
        pid = f"K{i + 1:02d}"
        for phase, n_correct in (("pre", n_pre), ("post", n_post)):
            right = set(rng.choice(N_ITEMS, n_correct, replace=False).tolist())
            responses += [
                {
                    "cohort": "delima",
                    "participant_id": pid,
                    "phase": phase,
                    "item_id": f"P{j + 1:02d}",
                    "response": "a",
                    "correct": j in right,
                }
                for j in range(N_ITEMS)
            ]
            score = n_correct * 100 / N_ITEMS
            scores.append(
                {
                    "cohort": "delima",
                    "participant_id": pid,
                    "phase": phase,
                    "score": score,
                    "n_correct": n_correct,
                    "n_items": N_ITEMS,
                    "category": category(score),
                }
            )
        pre, post = n_pre * 4.0, n_post * 4.0
        wide.append(
            {
                "cohort": "delima",
                "participant_id": pid,
                "pre": pre,
                "post": post,
                "gain": post - pre,
                "n_gain": (post - pre) / (100 - pre),
                "n_gain_category": None,
                "n_gain_note": None,
                "pre_category": category(pre),
                "post_category": category(post),
                "paired": True,
            }
        )
    # One cadre who missed the post-test: counted, not analysed.
    wide.append(
        {
            "cohort": "delima",
            "participant_id": "K24",
            "pre": 60.0,
            "post": np.nan,
            "gain": np.nan,
            "n_gain": np.nan,
            "n_gain_category": None,
            "n_gain_note": "no post-test",
            "pre_category": "cukup",
            "post_category": None,
            "paired": False,
        }
    )
    scores.append(
        {
            "cohort": "delima",
            "participant_id": "K24",
            "phase": "pre",
            "score": 60.0,
            "n_correct": 15,
            "n_items": N_ITEMS,
            "category": "cukup",
        }
    )
    return pd.DataFrame(wide), pd.DataFrame(scores), pd.DataFrame(responses)


@pytest.fixture(scope="module")
def knowledge(tables):
    wide, scores, responses = tables
    return knowledge_results(
        wide,
        scores,
        responses,
        max_score=100,
        alpha=0.05,
        normality_alpha=0.05,
        bootstrap_resamples=2000,
        seed=1,
        n_gain_categories={"tinggi": 0.7, "sedang": 0.3, "rendah": -1e9},
    )


def test_knowledge_paired_is_the_cli_schema_with_the_papers_means(knowledge):
    paired = knowledge["knowledge_paired"]
    assert list(paired.to_dict()) == [
        "n_pairs",
        "n_excluded",
        "pre",
        "post",
        "difference",
        "shapiro",
        "t_test",
        "wilcoxon",
        "effect_size",
        "primary_test",
        "n_gain",
    ]
    assert paired.n_pairs == 23 and paired.n_excluded == 1
    assert f"{paired.pre.mean:.2f}" == "76.00"
    assert f"{paired.post.mean:.2f}" == "99.48"
    assert paired.post.share_at_max == pytest.approx(20 / 23)
    # Every post score beats its pre score: all 23 differences positive.
    assert paired.wilcoxon.n_zero == 0
    assert paired.effect_size.rank_biserial == 1.0
    assert paired.effect_size.cles == 1.0
    # Class gain (99.478 - 76) / 24 = 0.978261.
    assert paired.n_gain.class_ == pytest.approx((572 * 4 / 23 - 76) / 24)
    json.dumps(to_jsonable(paired), allow_nan=False)


def test_knowledge_details_and_tables(knowledge):
    details = knowledge["knowledge_details"]
    assert details.n_pairs == 23 and details.n_not_paired == 1
    assert details.cohorts == ("delima",)
    assert details.primary_test in ("t_test", "wilcoxon")
    assert details.primary_test_reason.startswith(("Shapiro", "All", "Normality"))
    assert details.spss_wilcoxon_ranks.positive_ranks.n == 23
    lo, hi = details.bootstrap_mean_difference.ci95
    assert lo < 99.478 - 76 < hi
    desc = knowledge["knowledge_descriptives"]
    assert desc[["sample", "phase"]].to_numpy().tolist() == [
        ["paired", "pre"],
        ["paired", "post"],
        ["paired", "difference"],
        ["all_tested", "pre"],
        ["all_tested", "post"],
    ]
    assert desc["n"].tolist() == [23, 23, 23, 24, 23]
    shift = knowledge["knowledge_category_shift"]
    assert shift["n"].sum() == 23 and len(shift) == 9
    assert knowledge["n_gain_categories"]["n"].sum() == 23
    items = knowledge["item_analysis"]
    assert len(items) == N_ITEMS and (items["n_pre"] == 23).all()
    assert knowledge["items_summary"].n_participants_pre == 23
    json.dumps(to_jsonable(details), allow_nan=False)


def test_bootstrap_in_results_is_reproducible(tables, knowledge):
    wide, scores, responses = tables
    again = knowledge_results(
        wide,
        scores,
        responses,
        max_score=100,
        alpha=0.05,
        normality_alpha=0.05,
        bootstrap_resamples=2000,
        seed=1,
        n_gain_categories={"tinggi": 0.7, "sedang": 0.3, "rendah": -1e9},
    )
    # Compared as JSON: NaN (an undefined share) is not equal to itself.
    assert to_jsonable(again["knowledge_details"]) == to_jsonable(knowledge["knowledge_details"])


def test_skill_results_mean_87_26():
    # 23 cadres, 25 steps × 4 points = 100 per cadre; totals sum to 2007 -> mean 87.26.
    totals = [80] * 5 + [85] * 6 + [90] * 6 + [94] * 5 + [87]
    assert sum(totals) == 2007
    groups = ["A"] * 6 + ["B"] * 6 + ["C"] * 6 + ["D"] * 5
    scores = pd.DataFrame(
        {
            "cohort": "delima",
            "participant_id": [f"K{i + 1:02d}" for i in range(23)],
            "group": groups,
            "assessor": [f"bidan {g}" for g in groups],
            "points": totals,
            "max_points": 100,
            "score": [float(t) for t in totals],
            "category": ["baik" if t >= 76 else "cukup" for t in totals],
        }
    )
    steps = pd.DataFrame(
        [
            {
                "cohort": "delima",
                "participant_id": pid,
                "step_id": f"L{j + 1:02d}",
                "points": 4 if (i + j) % 5 else 3,
                "max_points": 4,
            }
            for i, pid in enumerate(scores["participant_id"])
            for j in range(25)
        ]
    )
    r = skill_results(scores, steps, competence_threshold=75)
    skill = r["skill"]
    assert (skill.n, f"{skill.mean:.2f}") == (23, "87.26")
    assert skill.top_category.k == 23
    assert skill.group_comparison.k == 4
    assert r["skill_groups"]["n"].tolist() == [6, 6, 6, 5]
    assert len(r["skill_steps_summary"]) == 25
    assert r["skill_steps_summary"]["share_full"].is_monotonic_increasing
    json.dumps(to_jsonable(skill), allow_nan=False)


SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]


def _two_villages():
    """Student's sleep data and Lakens' (2013) movie ratings as two villages of 10 pairs."""
    wide = pd.DataFrame(
        {
            "cohort": ["sleep"] * 10 + ["movie"] * 10,
            "participant_id": [f"K{i:02d}" for i in range(1, 11)] * 2,
            "pre": SLEEP_1 + MOVIE_2,
            "post": SLEEP_2 + MOVIE_1,
            "paired": True,
        }
    )
    skill = wide[["cohort", "participant_id"]].assign(
        score=[70, 80, 90, 60, 75, 85, 95, 65, 70, 80, 50, 55, 60, 65, 70, 58, 62, 66, 54, 60]
    )
    steps = wide[["cohort"]].assign(step_id="L01", points=[2, 1] * 10, max_points=2)
    return wide, skill, steps


def test_by_village_analyses_each_village_on_its_own():
    # R: t.test(sleep2, sleep1, paired = TRUE): t = 4.0621, df = 9, p = 0.002833; Lakens
    # (2013): t(9) = 4.74, d_z = 1.50. Neither result may leak into the other.
    from scipy import stats

    from analisis.stats.results import village_results

    wide, skill, steps = _two_villages()
    table = village_results(wide, skill, steps, max_score=10)["by_village"].set_index("cohort")
    assert list(table.index) == ["movie", "sleep"]
    for name, pre, post in (("sleep", SLEEP_1, SLEEP_2), ("movie", MOVIE_2, MOVIE_1)):
        gain = np.subtract(post, pre)
        assert table.loc[name, "gain_mean"] == pytest.approx(gain.mean(), abs=1e-12)
        assert table.loc[name, "d_z"] == pytest.approx(gain.mean() / gain.std(ddof=1))
        half = stats.t.ppf(0.975, 9) * gain.std(ddof=1) / np.sqrt(10)
        assert table.loc[name, "gain_ci95_upper"] == pytest.approx(gain.mean() + half)
    assert stats.ttest_rel(SLEEP_2, SLEEP_1).pvalue == pytest.approx(0.002833, abs=5e-7)
    assert table.loc["movie", "d_z"] == pytest.approx(1.50, abs=0.005)
    assert stats.ttest_rel(MOVIE_1, MOVIE_2).statistic == pytest.approx(4.74, abs=0.005)
    assert (table["n_pairs"] == 10).all() and (table["skill_n"] == 10).all()


def test_pooled_analysis_pools_the_village_gains_by_hand_and_round_trips():
    from analisis.results import PooledAnalysis
    from analisis.stats.results import village_results

    wide, skill, steps = _two_villages()
    pooled = village_results(
        wide, skill, steps, max_score=10, pooling_method="dl", pooling_test="z", target=1.2
    )["pooled"]
    # DerSimonian-Laird by hand: y = mean gain, v = SD² / n, tau² = max(0, (Q - 1) / C).
    gains = [np.subtract(MOVIE_1, MOVIE_2), np.subtract(SLEEP_2, SLEEP_1)]
    y = np.array([g.mean() for g in gains])
    v = np.array([g.var(ddof=1) / g.size for g in gains])
    w = 1 / v
    q = float(np.sum(w * (y - np.sum(w * y) / w.sum()) ** 2))
    tau2 = max(0.0, (q - 1) / (w.sum() - np.sum(w**2) / w.sum()))
    w_star = 1 / (v + tau2)
    assert pooled.meta_gain.tau2 == pytest.approx(tau2)
    assert pooled.meta_gain.estimate == pytest.approx(np.sum(w_star * y) / w_star.sum())
    assert pooled.meta_gain.se == pytest.approx(w_star.sum() ** -0.5)
    assert [b.village for b in pooled.mixed_gain.blups] == ["movie", "sleep"]
    assert pooled.mixed_gain.target == 1.2
    assert pooled.skill.mixed_mean.target == 75  # the competence threshold
    means = skill.groupby("cohort")["score"].mean()
    assert pooled.skill.meta_mean.k == 2
    assert min(means) <= pooled.skill.meta_mean.estimate <= max(means)
    document = json.loads(json.dumps(to_jsonable(pooled), allow_nan=False))
    assert PooledAnalysis.from_dict(document) == pooled
    assert PooledAnalysis.from_dict(document).to_dict() == document


def test_knowledge_details_say_whether_the_paired_tests_ignore_villages():
    wide, _, _ = _two_villages()
    wide = wide.assign(pre_category="kurang", post_category="kurang")
    responses = pd.concat(
        wide[["cohort", "participant_id"]].assign(phase=phase, item_id=item, correct=correct)
        for phase in ("pre", "post")
        for item in ("S01", "S02")
        for correct in [[i % 3 == 0 for i in range(20)]]
    )
    scores = wide.melt(["cohort", "participant_id"], ["pre", "post"], "phase", "score")
    two = knowledge_results(wide, scores, responses, max_score=10, bootstrap_resamples=200)
    one = knowledge_results(
        wide[wide["cohort"] == "sleep"], scores, responses, max_score=10, bootstrap_resamples=200
    )
    assert two["knowledge_details"].to_dict()["pooling"] == {
        "n_villages": 2,
        "paired_tests": "ignores_villages",
        "village_aware_results": "pooled.json",
    }
    assert one["knowledge_details"].pooling.paired_tests == "one_village"
