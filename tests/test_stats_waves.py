"""Statistics across waves, each checked against R (the call and its printed output quoted).

R 4.x, stats, afex 1.2.1, lme4 1.1.31. Data: R's ``RoundingTimes`` (the example of
``?friedman.test``: 22 players, 3 methods of rounding first base; Hollander & Wolfe 1973,
p. 140), R's ``sleepstudy`` (lme4; Belenky et al. 2003) in tests/data/sleepstudy.csv,
written by ``write.csv(sleepstudy[, c("Subject","Days","Reaction")], ...)``, and R's
``sleep`` (Student 1908).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analisis.stats.waves import (
    COMPLETE_CASES,
    attrition_table,
    complete_scores,
    forgetting_counts,
    forgotten_items,
    forgotten_items_of_counts,
    friedman_test,
    mixed_model_waves,
    pairwise_waves,
    retention,
    rm_anova,
    stayers_vs_lost,
)

# fmt: off
ROUNDING_TIMES = pd.DataFrame(
    np.array([
        5.40, 5.50, 5.55, 5.85, 5.70, 5.75, 5.20, 5.60, 5.50, 5.55, 5.50, 5.40, 5.90, 5.85,
        5.70, 5.45, 5.55, 5.60, 5.40, 5.40, 5.35, 5.45, 5.50, 5.35, 5.25, 5.15, 5.00, 5.85,
        5.80, 5.70, 5.25, 5.20, 5.10, 5.65, 5.55, 5.45, 5.60, 5.35, 5.45, 5.05, 5.00, 4.95,
        5.50, 5.50, 5.40, 5.45, 5.55, 5.50, 5.55, 5.55, 5.35, 5.45, 5.50, 5.55, 5.50, 5.45,
        5.25, 5.65, 5.60, 5.40, 5.70, 5.65, 5.55, 6.30, 6.30, 6.25,
    ]).reshape(22, 3),
    columns=["RO", "NA", "WA"],  # "Round Out", "Narrow Angle", "Wide Angle"
)
# fmt: on
SLEEPSTUDY = pd.read_csv(Path(__file__).parent / "data" / "sleepstudy.csv")
DAYS = [str(d) for d in range(10)]


def test_friedman_matches_r_friedman_test():
    # R> friedman.test(RoundingTimes)
    #   Friedman chi-squared = 11.143, df = 2, p-value = 0.003805
    # Kendall's W = chi² / (n (k - 1)) (Siegel & Castellan 1988, sec. 9.4) = 11.143 / 44.
    r = friedman_test(ROUNDING_TIMES)
    assert r["analysis"] == COMPLETE_CASES
    assert (r["n"], r["df"]) == (22, 2)
    assert r["chi2"] == pytest.approx(11.143, abs=5e-4)
    assert r["p"] == pytest.approx(0.003805, abs=5e-7)
    assert r["kendall_w"] == pytest.approx(11.143 / 44, abs=5e-4 / 44)


def test_rm_anova_matches_afex_with_mauchly_and_corrections():
    # R> d <- data.frame(id = factor(rep(1:22, 3)),
    #                    method = factor(rep(c("RO","NA","WA"), each = 22)),
    #                    y = as.vector(RoundingTimes))
    # R> a <- afex::aov_ez("id", "y", d, within = "method"); summary(a)
    #   method  Sum Sq 0.09  num Df 2  Error SS 0.3130  den Df 42  F 6.2883  Pr(>F) 0.004084
    #   Mauchly Tests for Sphericity: method  0.70718  p-value 0.031281
    #   GG eps 0.7735  Pr(>F[GG]) 0.00844;  HF eps 0.8233709  Pr(>F[HF]) 0.007188822
    # R> anova(a, correction = "GG", es = "ges")   ->  ges 0.020261
    r = rm_anova(ROUNDING_TIMES)
    assert (r["df1"], r["df2"], r["n"]) == (2, 42, 22)
    assert r["F"] == pytest.approx(6.2883, abs=5e-5)
    assert r["p"] == pytest.approx(0.004084, abs=5e-7)
    assert r["ges"] == pytest.approx(0.020261, abs=5e-7)
    assert r["mauchly_W"] == pytest.approx(0.70718, abs=5e-6)
    assert r["mauchly_p"] == pytest.approx(0.031281, abs=5e-7)
    assert r["eps_gg"] == pytest.approx(0.7735, abs=5e-5)
    assert r["p_gg"] == pytest.approx(0.00844, abs=5e-6)
    assert r["eps_hf"] == pytest.approx(0.8233709, abs=5e-8)
    assert r["p_hf"] == pytest.approx(0.007188822, abs=5e-10)


def test_huynh_feldt_epsilon_is_capped_at_one():
    # Nearly spherical: Huynh & Feldt's (1976) formula exceeds 1 (car and afex cap it for
    # the p value); p_hf is then the unadjusted p.
    rng = np.random.default_rng(0)
    scores = pd.DataFrame(rng.normal(size=(30, 3)) + rng.normal(size=(30, 1)), columns=list("abc"))
    r = rm_anova(scores)
    n, k, gg = 30, 3, r["eps_gg"]
    assert (n * (k - 1) * gg - 2) / ((k - 1) * (n - 1 - (k - 1) * gg)) > 1.05
    assert r["eps_hf"] == 1.0
    assert r["p_hf"] == pytest.approx(r["p"], rel=1e-12)


def test_pairwise_matches_r_t_tests_wilcoxon_and_holm():
    # R> t.test(RoundingTimes[,2], RoundingTimes[,1], paired = TRUE)
    #   t = -0.34641, df = 21, p-value = 0.7325, CI -0.06366662 0.04548480
    # R> t.test(RoundingTimes[,3], RoundingTimes[,1], paired = TRUE)
    #   t = -2.6739, df = 21, p-value = 0.01421, CI -0.14949236 -0.01868945
    # R> t.test(RoundingTimes[,3], RoundingTimes[,2], paired = TRUE)
    #   t = -3.9837, df = 21, p-value = 0.0006754, CI -0.11415186 -0.03584814
    # R> pairwise.t.test(d$y, d$method, paired = TRUE, p.adjust.method = "holm")
    #   RO-NA 0.732, WA-NA 0.002, WA-RO 0.028
    # R> wilcox.test(RoundingTimes[,k], RoundingTimes[,j], paired = TRUE)  (continuity corr.)
    #   NA-RO V = 64.5, p = 0.3665; WA-RO V = 51, p = 0.01463; WA-NA V = 31, p = 0.001928
    # R> pairwise.wilcox.test(d$y, d$method, paired = TRUE, p.adjust.method = "holm")
    #   RO-NA 0.3665, WA-NA 0.0058, WA-RO 0.0293
    # R> x <- RoundingTimes; mean(x[,3]-x[,2]) / sd(x[,3]-x[,2])   ->  -0.8493374
    rows = {(r["earlier"], r["later"]): r for r in pairwise_waves(ROUNDING_TIMES)}
    assert list(rows) == [("RO", "NA"), ("RO", "WA"), ("NA", "WA")]
    expected = {
        ("RO", "NA"): (-0.34641, 0.7325, [-0.06366662, 0.04548480], 0.732, 64.5, 0.3665, 0.3665),
        ("RO", "WA"): (-2.6739, 0.01421, [-0.14949236, -0.01868945], 0.028, 51, 0.01463, 0.0293),
        ("NA", "WA"): (-3.9837, 0.0006754, [-0.11415186, -0.03584814], 0.002, 31, 0.001928, 0.0058),
    }
    for pair, (t, p, ci, p_holm, v, p_w, p_w_holm) in expected.items():
        r = rows[pair]
        assert r["analysis"] == COMPLETE_CASES and r["n"] == 22 and r["df"] == 21
        assert r["t"] == pytest.approx(t, abs=5e-5)
        assert r["p_t"] == pytest.approx(p, rel=1e-3)
        assert r["ci95"] == pytest.approx(ci, abs=5e-9)
        assert r["p_t_holm"] == pytest.approx(p_holm, abs=5e-4)
        assert r["V"] == v
        assert r["p_wilcoxon"] == pytest.approx(p_w, rel=1e-3)
        assert r["p_wilcoxon_holm"] == pytest.approx(p_w_holm, abs=5e-5)
    assert rows[("NA", "WA")]["d_z"] == pytest.approx(-0.8493374, abs=5e-8)
    lo, hi = rows[("NA", "WA")]["d_z_ci95"]
    assert lo < -0.8493374 < hi < 0  # the difference is significant: the interval excludes 0


def _lme4_fit(long: pd.DataFrame):
    return mixed_model_waves(long, DAYS)


def _sleep_long(rows=slice(None)) -> pd.DataFrame:
    d = SLEEPSTUDY[rows]
    return pd.DataFrame(
        {"cadre": d["Subject"].astype(str), "wave": d["Days"].astype(str), "score": d["Reaction"]}
    )


def _contrasts(r) -> list[float]:
    first = r["means"][0]["estimate"]
    return [m["estimate"] - first for m in r["means"]]


def test_mixed_model_matches_lme4_on_sleepstudy():
    # R> m <- lmer(Reaction ~ factor(Days) + (1 | Subject), data = sleepstudy, REML = TRUE)
    # R> fixef(m)
    #   (Intercept) 256.651805556, factor(Days)1..9: 7.843950000 8.710094444 26.340205556
    #   31.997616667 51.866650000 55.526450000 62.098777778 79.977700000 94.199416667
    # R> sqrt(diag(vcov(m)))   ->  11.45778197, then 10.47530687 for every day
    # R> as.data.frame(VarCorr(m))   ->  Subject 1375.4653316, Residual 987.5884866
    r = _lme4_fit(_sleep_long())
    assert r["converged"] and r["method"] == "REML"
    assert (r["n_observations"], r["n_cadres"]) == (180, 18)
    assert r["means"][0]["estimate"] == pytest.approx(256.651805556, abs=1e-5)
    assert r["means"][0]["se"] == pytest.approx(11.45778197, abs=1e-5)
    days = [0, 7.843950000, 8.710094444, 26.340205556, 31.997616667, 51.866650000,
            55.526450000, 62.098777778, 79.977700000, 94.199416667]  # fmt: skip
    assert _contrasts(r) == pytest.approx(days, abs=1e-5)
    from_day0 = [d for d in r["differences"] if d["earlier"] == "0"]
    assert [d["se"] for d in from_day0] == pytest.approx([10.47530687] * 9, abs=1e-5)
    assert r["tau2_cadre"] == pytest.approx(1375.4653316, rel=1e-6)
    assert r["sigma2"] == pytest.approx(987.5884866, rel=1e-6)
    assert r["tau2_village"] is None


LOST = SLEEPSTUDY["Subject"].isin([308, 309, 310, 330]) & (SLEEPSTUDY["Days"] >= 6)


def test_mixed_model_with_dropout_matches_lme4():
    # Four subjects "lost" from day 6 on (16 rows dropped), as cadres lost to follow-up.
    # R> lost <- d$Subject %in% c(308, 309, 310, 330) & d$Days >= 6; u <- d[!lost, ]
    # R> m <- lmer(Reaction ~ factor(Days) + (1 | Subject), data = u, REML = TRUE)
    # R> fixef(m)[7:10]  ->  60.420176589 70.985048018 84.018319446 96.304190875
    # R> sqrt(diag(vcov(m)))  ->  10.56375243; days 1-5: 10.12650145; days 6-9: 10.92401310
    # R> as.data.frame(VarCorr(m))  ->  Subject 1085.7572932, Residual 922.9142854
    r = _lme4_fit(_sleep_long(~LOST))
    assert r["n_observations"] == 164
    assert r["n_by_wave"]["5"] == 18 and r["n_by_wave"]["6"] == 14
    assert _contrasts(r)[6:] == pytest.approx(
        [60.420176589, 70.985048018, 84.018319446, 96.304190875], abs=1e-5
    )
    assert r["means"][0]["se"] == pytest.approx(10.56375243, abs=1e-5)
    from_day0 = [d["se"] for d in r["differences"] if d["earlier"] == "0"]
    assert from_day0 == pytest.approx([10.12650145] * 5 + [10.92401310] * 4, abs=1e-5)
    assert r["tau2_cadre"] == pytest.approx(1085.7572932, rel=1e-6)
    assert r["sigma2"] == pytest.approx(922.9142854, rel=1e-6)


def test_mixed_model_nested_in_villages_matches_lme4():
    # Villages: the 18 subjects in thirds by their day-0 reaction time.
    # R> base <- d[d$Days == 0, ]; ord <- base$Subject[order(base$Reaction)]
    # R> u$village <- c("A","B","C")[(match(u$Subject, ord) - 1) %/% 6 + 1]
    # R> m2 <- lmer(Reaction ~ factor(Days) + (1 | village) + (1 | village:Subject),
    #               data = u, REML = TRUE)
    # R> fixef(m2)[7:10]  ->  60.407085030 70.971956459 84.005227888 96.291099316
    # R> sqrt(diag(vcov(m2)))  ->  12.95664113; days 1-5: 10.12494612; days 6-9: 10.92095884
    # R> as.data.frame(VarCorr(m2))  ->  village:Subject 953.4767481, village 190.9390560,
    #                                    Residual 922.6308058
    base = SLEEPSTUDY[SLEEPSTUDY["Days"] == 0].sort_values("Reaction", kind="stable")
    village = {s: "ABC"[i // 6] for i, s in enumerate(base["Subject"])}
    long = _sleep_long(~LOST).assign(village=SLEEPSTUDY.loc[~LOST, "Subject"].map(village))
    r = _lme4_fit(long)
    assert r["converged"] and (r["n_cadres"], r["n_villages"]) == (18, 3)
    assert _contrasts(r)[6:] == pytest.approx(
        [60.407085030, 70.971956459, 84.005227888, 96.291099316], abs=1e-4
    )
    assert r["means"][0]["se"] == pytest.approx(12.95664113, rel=1e-5)
    from_day0 = [d["se"] for d in r["differences"] if d["earlier"] == "0"]
    assert from_day0 == pytest.approx([10.12494612] * 5 + [10.92095884] * 4, rel=1e-6)
    assert r["tau2_cadre"] == pytest.approx(953.4767481, rel=1e-5)
    assert r["tau2_village"] == pytest.approx(190.9390560, rel=1e-4)
    assert r["sigma2"] == pytest.approx(922.6308058, rel=1e-6)


def test_retention_by_hand():
    # Gains 20, 20, 10, 10, 0; follow-up - pre: 16, 15, -2, 10, 3.
    # Per cadre with a gain: 0.8, 0.75, -0.2, 1.0 (the last has none).
    # Ratio of means: (16 + 15 - 2 + 10 + 3) / (20 + 20 + 10 + 10 + 0) = 42 / 60 = 0.7.
    # Kept >= 80 %: 0.8 and 1.0 -> 2 of 4; at or below baseline: -0.2 -> 1 of 4.
    pre = [60, 50, 80, 70, 90]
    post = [80, 70, 90, 80, 90]
    follow_up = [76, 65, 78, 80, 93]
    r = retention(pre, post, follow_up)
    assert r["analysis"] == COMPLETE_CASES
    assert (r["n"], r["n_with_gain"], r["n_no_gain"]) == (5, 4, 1)
    assert r["retention"] == pytest.approx([0.8, 0.75, -0.2, 1.0])
    assert r["ratio_of_means"] == pytest.approx(0.7)
    assert r["median_retention"] == pytest.approx(0.775)
    assert (r["n_kept"], r["share_kept"]) == (2, 0.5)
    assert (r["n_at_baseline"], r["share_at_baseline"]) == (1, 0.25)


def test_retention_without_any_gain_is_undefined():
    r = retention([80, 90], [80, 85], [70, 80])
    assert r["n_with_gain"] == 0 and np.isnan(r["ratio_of_means"]) and np.isnan(r["share_kept"])


def test_stayers_vs_lost_matches_r_welch_and_pooled_d():
    # R> t.test(extra ~ group, data = sleep)      (Welch)
    #   t = -1.8608, df = 17.776, p-value = 0.07939, CI -3.3654832 0.2054832
    #   mean in group 1 0.75, mean in group 2 2.33
    # R> g <- split(sleep$extra, sleep$group)
    # R> (mean(g[[1]]) - mean(g[[2]])) / sqrt((9 * var(g[[1]]) + 9 * var(g[[2]])) / 18)
    #   -0.8321810813
    extra = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0,
             1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]  # fmt: skip
    stayed = [True] * 10 + [False] * 10
    r = stayers_vs_lost([*extra, np.nan], [*stayed, True])  # an unmeasured cadre is ignored
    assert (r["n_stayed"], r["n_lost"]) == (10, 10)
    assert (r["mean_stayed"], r["mean_lost"]) == pytest.approx((0.75, 2.33))
    assert r["difference"] == pytest.approx(-1.58)
    assert r["ci95"] == pytest.approx([-3.3654832, 0.2054832], abs=5e-8)
    assert r["p"] == pytest.approx(0.07939, abs=5e-6)
    assert r["d"] == pytest.approx(-0.8321810813, abs=1e-9)


def test_stayers_vs_lost_with_one_lost_has_no_interval():
    r = stayers_vs_lost([70, 80, 90], [True, True, False])
    assert r["difference"] == pytest.approx(-15) and np.isnan(r["d"]) and np.isnan(r["ci95"][0])


def test_forgotten_items_match_r_binom_test_and_holm():
    # Exact McNemar = two-sided binomial test on the discordant pairs.
    # R> binom.test(7, 8)$p.value   ->  0.0703125   (7 forgotten, 1 learned)
    # R> binom.test(3, 9)$p.value   ->  0.5078125   (3 forgotten, 6 learned)
    # R> binom.test(0, 2)$p.value   ->  0.5         (0 forgotten, 2 learned)
    # R> p.adjust(c(0.0703125, 0.5078125, 0.5), "holm")  ->  0.2109375 1 1
    post = pd.DataFrame({"K01": [1] * 7 + [0] + [1] * 4, "K02": [1] * 3 + [0] * 6 + [1] * 3,
                         "K03": [0, 0] + [1] * 10})  # fmt: skip
    follow_up = pd.DataFrame({"K01": [0] * 7 + [1] + [1] * 4, "K02": [0] * 3 + [1] * 6 + [1] * 3,
                              "K03": [1, 1] + [1] * 10, "K04": [1] * 12})  # fmt: skip
    post.loc[11, "K03"] = np.nan  # one cadre did not answer K03 at post: left out of K03
    table = forgotten_items(post, follow_up).set_index("item_id")
    assert list(table.index) == ["K01", "K02", "K03"]  # K04 was not asked at post
    assert table["n_paired"].tolist() == [12, 12, 11]
    assert table["forgotten"].tolist() == [7, 3, 0]
    assert table["learned"].tolist() == [1, 6, 2]
    assert table["p"].tolist() == pytest.approx([0.0703125, 0.5078125, 0.5], abs=1e-12)
    assert table["p_holm"].tolist() == pytest.approx([0.2109375, 1, 1], abs=1e-12)


def test_forgetting_counts_of_villages_add_up_to_the_study():
    # Two villages with K01... each (the pseudonym alone is not a person), some answers
    # missing and one item asked only at follow-up.
    rng = np.random.default_rng(4)
    rows = [
        (cohort, f"K{k:02d}", phase, f"P{i}", bool(rng.random() < 0.7))
        for cohort, people in (("desa_a", 9), ("desa_b", 14))
        for k in range(people)
        for phase in ("pre", "post", "fu1")
        for i in range(1, 6 if phase != "fu1" else 7)
        if rng.random() > 0.1
    ]
    r = pd.DataFrame(rows, columns=["cohort", "participant_id", "phase", "item_id", "correct"])
    whole = forgotten_items_of_counts(forgetting_counts(r), "fu1")
    parts = pd.concat([forgetting_counts(r[r.cohort == c]) for c in ("desa_b", "desa_a")])
    pd.testing.assert_frame_equal(forgotten_items_of_counts(parts, "fu1"), whole)
    # By hand: pivot each wave's answers per (village, cadre), count the pairs.
    post, fu = (
        r[r.phase == phase].pivot_table(
            index=["cohort", "participant_id"], columns="item_id", values="correct"
        )
        for phase in ("post", "fu1")
    )
    post, fu = post.reindex(fu.index.union(post.index)), fu.reindex(fu.index.union(post.index))
    both = post.notna() & fu[post.columns].notna()
    table = whole.set_index("item_id")
    assert list(table.index) == ["P1", "P2", "P3", "P4", "P5"]  # P6 was not asked at post
    assert table["n_paired"].tolist() == both.sum().tolist()
    assert table["forgotten"].tolist() == ((post == 1) & (fu[post.columns] == 0)).sum().tolist()
    assert table["learned"].tolist() == ((post == 0) & (fu[post.columns] == 1)).sum().tolist()


def test_attrition_table_per_village_by_hand():
    wide = pd.DataFrame(
        {
            "village": ["b", "a", "a", "b", "b"],
            "pre": [70, 60, np.nan, 80, 75],
            "post": [90, 85, 88, np.nan, 95],
            "fu": [85, np.nan, 80, np.nan, 90],
        }
    )
    table = attrition_table(wide, ["pre", "post", "fu"], village="village")
    assert table.to_dict("records") == [
        {"village": "a", "pre": 1, "post": 2, "fu": 1, "complete": 0, "starters": 1},
        {"village": "b", "pre": 3, "post": 2, "fu": 2, "complete": 2, "starters": 3},
    ]
    assert complete_scores(wide, ["pre", "post", "fu"]).index.tolist() == [0, 4]


# fmt: off
#: Five cadres, four items (1 = right), at pre, post and fu1; cadre K05 lost at fu1.
ANSWERS = {
    "K01": {"pre": [0, 0, 1, 1], "post": [1, 1, 1, 1], "fu1": [1, 0, 1, 1]},
    "K02": {"pre": [0, 1, 0, 0], "post": [1, 1, 1, 0], "fu1": [0, 1, 1, 0]},
    "K03": {"pre": [1, 0, 0, 0], "post": [1, 1, 1, 1], "fu1": [1, 0, 1, 1]},
    "K04": {"pre": [0, 0, 0, 1], "post": [1, 1, 0, 1], "fu1": [1, 1, 0, 1]},
    "K05": {"pre": [0, 0, 0, 0], "post": [1, 0, 1, 0]},
}
# fmt: on


def test_waves_results_from_the_processed_tables():
    from analisis.results import WavesAnalysis
    from analisis.scoring import knowledge_scores
    from analisis.stats.waves import forgetting_counts, waves_results

    rows = [
        ("c", pid, phase, f"P{i + 1}", "a" if right else "b", bool(right))
        for pid, phases in ANSWERS.items()
        for phase, answers in phases.items()
        for i, right in enumerate(answers)
    ]
    responses = pd.DataFrame(
        rows, columns=["cohort", "participant_id", "phase", "item_id", "response", "correct"]
    )
    scores = knowledge_scores(responses)
    wave = {"label": {"id": "3 bulan", "en": "3 months"}, "file": "x", "days_after_training": 90}
    cohorts = [{"id": "c", "knowledge": {"follow_up": [wave]}}]
    result = waves_results(scores, forgetting_counts(responses), cohorts)
    assert WavesAnalysis.from_dict(result.to_dict()) == result
    assert result.follow_up[0].label["en"] == "3 months"
    assert result.follow_up[0].days_after_training == 90
    s = result.summary
    assert (s.waves, s.n_cadres, s.n_complete, s.n_incomplete) == (("pre", "post", "fu1"), 5, 4, 1)
    # Scores (25 points an item): pre 50, 25, 25, 25; post 100, 75, 100, 75; fu1 75, 50, 75, 75.
    # Retention: (25/50, 25/50, 50/75, 50/50) -> 0.5, 0.5, 0.6667, 1.0; ratio 150 / 225.
    r = s.retention[0]
    assert r.retention == pytest.approx((0.5, 0.5, 2 / 3, 1.0))
    assert r.ratio_of_means == pytest.approx(150 / 225)
    assert (r.n_kept, r.n_at_baseline) == (1, 0)
    assert s.baseline[0].n_lost == 1 and s.baseline[0].mean_lost == 0.0
    # Post -> fu1 among the four complete cadres: P2 forgotten by K01 and K03 (2, 0),
    # P1 by K02 (1, 0), P3 and P4 unchanged.
    items = {i.item_id: (i.forgotten, i.learned) for i in result.forgotten[0].items}
    assert items == {"P1": (1, 0), "P2": (2, 0), "P3": (0, 0), "P4": (0, 0)}
    assert result.forgotten[0].items[1].p == pytest.approx(0.5)  # binom.test(2, 2)


def test_rm_anova_says_what_is_undefined():
    # Every cadre 30 up then 10 down: no error variance, F and sphericity undefined.
    constant = pd.DataFrame({"pre": [50, 60, 70], "post": [80, 90, 100], "fu": [70, 80, 90]})
    r = rm_anova(constant)
    assert np.isnan(r["F"]) and np.isnan(r["mauchly_W"]) and np.isnan(r["eps_gg"])
    assert r["note"].startswith("no variation left")
    # Three cadres, five waves: Mauchly's W is 0 by construction; GG is still estimated.
    five = pd.DataFrame(
        [[50, 80, 70, 60, 65], [40, 85, 72, 66, 60], [55, 70, 75, 50, 61]],
        columns=["pre", "post", "fu1", "fu2", "fu3"],
    )
    r = rm_anova(five)
    assert np.isnan(r["mauchly_W"]) and np.isnan(r["mauchly_p"])
    assert 1 / 4 <= r["eps_gg"] <= 1 and r["note"].startswith("3 cadres for 5 waves")


def test_waves_results_name_the_follow_up_files_when_too_few_stayed():
    from analisis.errors import InputError
    from analisis.scoring import knowledge_scores
    from analisis.stats.waves import forgetting_counts, waves_results

    rows = [
        ("c", pid, phase, f"P{i + 1}", "a" if right else "b", bool(right))
        for pid, phases in ANSWERS.items()
        for phase, answers in phases.items()
        if not (phase == "fu1" and pid in ("K01", "K02"))  # only K03, K04 left at fu1
        for i, right in enumerate(answers)
    ]
    columns = ["cohort", "participant_id", "phase", "item_id", "response", "correct"]
    responses = pd.DataFrame(rows, columns=columns)
    wave = {
        "label": {"id": "3 bulan", "en": "3 months"},
        "file": "fu.csv",
        "days_after_training": 90,
    }
    with pytest.raises(InputError, match=r"fu\.csv: expected at least 3 cadres tested at every"):
        waves_results(
            knowledge_scores(responses),
            forgetting_counts(responses),
            [{"knowledge": {"follow_up": [wave]}}],
        )


def test_a_cohort_without_the_follow_up_is_left_out_not_lost():
    from analisis.scoring import knowledge_scores
    from analisis.stats.waves import forgetting_counts, waves_results

    rows = [
        (cohort, pid, phase, f"P{i + 1}", "a" if right else "b", bool(right))
        for cohort in ("a", "b")
        for pid, phases in ANSWERS.items()
        for phase, answers in phases.items()
        if cohort == "a" or phase != "fu1"
        for i, right in enumerate(answers)
    ]
    columns = ["cohort", "participant_id", "phase", "item_id", "response", "correct"]
    responses = pd.DataFrame(rows, columns=columns)
    wave = {
        "label": {"id": "3 bulan", "en": "3 months"},
        "file": "fu.csv",
        "days_after_training": 90,
    }
    cohorts = [{"id": "a", "knowledge": {"follow_up": [wave]}}, {"id": "b", "knowledge": {}}]
    s = waves_results(knowledge_scores(responses), forgetting_counts(responses), cohorts).summary
    assert (s.n_cadres, s.n_complete, s.n_incomplete) == (5, 4, 1)  # cohort a only
    assert s.mixed_model.n_villages is None
    assert s.notes == ("cohorts without all 1 follow-up(s) left out: b",)
    assert waves_results(
        knowledge_scores(responses), forgetting_counts(responses), cohorts
    ).left_out == ("b",)
