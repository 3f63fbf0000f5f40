"""Item analysis by hand and against an independent implementation (pingouin)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from analisis.stats.items import (
    as_binary,
    corrected_item_total,
    item_analysis,
    item_analysis_of_counts,
    item_counts,
    kr20,
    kr20_note,
    mcnemar_exact,
    responses_of,
)

# 5 people × 4 items.
MATRIX = np.array(
    [
        [1, 1, 1, 1],
        [1, 1, 1, 0],
        [1, 1, 0, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 0],
    ]
)


def test_kr20_by_hand():
    # p = 0.8, 0.6, 0.4, 0.2; Σpq = 0.16 + 0.24 + 0.24 + 0.16 = 0.8.
    # Totals 4, 3, 2, 1, 0: mean 2, variance (ddof 0) = (4+1+0+1+4)/5 = 2.
    # KR-20 = 4/3 × (1 - 0.8/2) = 0.8.
    assert kr20(MATRIX) == pytest.approx(0.8)


def test_kr20_equals_cronbach_alpha_of_pingouin():
    rng = np.random.default_rng(3)
    m = (rng.random((30, 8)) < np.linspace(0.3, 0.9, 8)).astype(int)
    m[:10] = 1  # some agreement so alpha is not near 0
    alpha, _ = pingouin.cronbach_alpha(pd.DataFrame(m))
    assert kr20(m) == pytest.approx(alpha, abs=1e-12)


def test_kr20_undefined_when_everyone_scores_the_same():
    assert np.isnan(kr20(np.ones((5, 4))))


def test_corrected_item_total_by_hand():
    # Item 1 = (1, 1, 1, 1, 0), rest = (3, 2, 1, 0, 0): item dev 0.2 ×4, -0.8;
    # rest mean 1.2, dev 1.8, 0.8, -0.2, -1.2, -1.2. Cross-products 0.36 + 0.16 - 0.04
    # - 0.24 + 0.96 = 1.2; SS item 0.8, SS rest 6.8; r = 1.2 / sqrt(5.44) = 0.514496.
    r = corrected_item_total(MATRIX)
    assert r[0] == pytest.approx(0.514496, abs=1e-6)
    assert np.isnan(corrected_item_total(np.array([[1, 0], [1, 1], [1, 0]]))[0])


def _long(matrix: np.ndarray, phase: str, cohorts) -> pd.DataFrame:
    """Long responses of a people × items 0/1 matrix, person i in village ``cohorts[i]``."""
    return pd.DataFrame(
        [
            (cohorts[i], f"K{i:03d}", phase, f"P{j + 1:02d}", int(matrix[i, j]))
            for i in range(matrix.shape[0])
            for j in range(matrix.shape[1])
        ],
        columns=["cohort", "participant_id", "phase", "item_id", "correct"],
    )


def _r_squared_exact(matrix: np.ndarray, j: int) -> tuple[Fraction, Fraction]:
    """r² of item j with the rest score, and the sign's cross-product, as exact fractions
    (textbook Pearson r from deviation sums, each sum a Fraction)."""
    x = [Fraction(int(v)) for v in matrix[:, j]]
    rest = [Fraction(int(t)) for t in matrix.sum(axis=1) - matrix[:, j]]
    mx, mr = sum(x) / len(x), sum(rest) / len(rest)
    sxr = sum((a - mx) * (b - mr) for a, b in zip(x, rest, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    srr = sum((b - mr) ** 2 for b in rest)
    return sxr * sxr / (sxx * srr), sxr


def test_discrimination_of_one_part_is_numpys_and_of_parts_the_exact_value():
    rng = np.random.default_rng(20)
    matrix = (rng.random((150, 12)) < np.linspace(0.25, 0.95, 12)).astype(int)
    cohorts = ["a"] * 70 + ["b"] * 80
    long = pd.concat([_long(matrix, "pre", cohorts), _long(matrix, "post", cohorts)])
    one, _ = item_analysis_of_counts([item_counts(long)])
    split, _ = item_analysis_of_counts([item_counts(long[long.cohort == c]) for c in "ab"])
    # One part (a study of one shard): np.corrcoef of each item with the rest score, in
    # the people's key order, bit for bit (the bytes a study of one shard always had).
    total = matrix.sum(axis=1)
    numpys = [np.corrcoef(matrix[:, j], total - matrix[:, j])[0, 1] for j in range(12)]
    assert one["discrimination_pre"].tolist() == numpys
    # Two parts: the square root of the correctly rounded exact r², whatever the split.
    for j in range(12):
        squared, cross = _r_squared_exact(matrix, j)
        exact_r = np.copysign(np.sqrt(float(squared)), float(cross))
        assert split["discrimination_pre"][j] == exact_r
        assert abs(split["discrimination_pre"][j] - numpys[j]) < 1e-14
    # The sample tells the two paths apart (all 12 items differ in the last bits).
    assert (split["discrimination_pre"] != one["discrimination_pre"]).sum() > 0


def test_mcnemar_exact_by_hand():
    # b = 1 (right -> wrong), c = 7 (wrong -> right): p = 2 × P(X <= 1 | 8, 0.5)
    # = 2 × 9 / 256 = 0.0703125.
    pre = [1] + [0] * 7 + [1, 1]
    post = [0] + [1] * 7 + [1, 1]
    r = mcnemar_exact(pre, post)
    assert (r["pre_correct_post_wrong"], r["pre_wrong_post_correct"]) == (1, 7)
    assert r["p"] == pytest.approx(18 / 256)


def test_item_analysis_with_holm():
    # 8 people, items P1 (0 -> 1 for all 8: p = 2/256 = 0.0078125), P2 (no change: p = 1),
    # P3 (b = 1, c = 7: p = 0.0703125). Holm: sorted 0.0078125×3 = 0.0234375,
    # 0.0703125×2 = 0.140625, 1×1 = 1.
    rows = []
    for i in range(8):
        pid = f"K{i:02d}"
        p3_pre, p3_post = (1, 0) if i == 0 else (0, 1)
        for phase, p1, p3 in (("pre", 0, p3_pre), ("post", 1, p3_post)):
            rows += [
                {"participant_id": pid, "phase": phase, "item_id": "P1", "correct": bool(p1)},
                {"participant_id": pid, "phase": phase, "item_id": "P2", "correct": "True"},
                {"participant_id": pid, "phase": phase, "item_id": "P3", "correct": p3},
            ]
    items, summary = item_analysis(pd.DataFrame(rows))
    assert items["item_id"].tolist() == ["P1", "P2", "P3"]
    assert items["mcnemar_p"].tolist() == pytest.approx([2 / 256, 1.0, 18 / 256])
    assert items["mcnemar_p_holm"].tolist() == pytest.approx([0.0234375, 1.0, 0.140625])
    assert items["significant_holm"].tolist() == [True, False, False]
    assert items["difficulty_pre"].tolist() == pytest.approx([0, 1, 1 / 8])
    assert items["note"].tolist()[1] == "no discordant pairs: p = 1"
    assert summary["n_items"] == 3 and summary["n_items_significant_holm"] == 1
    assert summary["n_items_all_correct_post"] == 2


def test_as_binary_rejects_other_text():
    with pytest.raises(ValueError, match="true/false"):
        as_binary(pd.Series(["maybe"]))


# Two villages whose pseudonyms overlap: desa_a has K01-K04 (K04 sat only the pre-test),
# desa_b has K01-K05, everyone in both phases. Same items P1-P3 in both.
VILLAGE_PEOPLE = {"desa_a": ["K01", "K02", "K03"], "desa_b": ["K01", "K02", "K03", "K04", "K05"]}


def two_village_responses() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    rows = []
    for cohort, people in VILLAGE_PEOPLE.items():
        for pid in people + (["K04"] if cohort == "desa_a" else []):
            phases = ("pre",) if (cohort, pid) == ("desa_a", "K04") else ("pre", "post")
            for phase in phases:
                for item in ("P1", "P2", "P3"):
                    chance = 0.4 if phase == "pre" else 0.8
                    correct = int(rng.random() < chance)
                    rows.append((cohort, pid, phase, item, correct))
    return pd.DataFrame(rows, columns=["cohort", "participant_id", "phase", "item_id", "correct"])


def village_cells(responses: pd.DataFrame, cohort: str, phase: str) -> dict:
    """{(participant, item): correct} of one village and phase, read row by row."""
    rows = responses[(responses["cohort"] == cohort) & (responses["phase"] == phase)]
    return {(r.participant_id, r.item_id): r.correct for r in rows.itertuples()}


def test_responses_of_keeps_people_apart():
    responses = two_village_responses()
    paired = pd.DataFrame(
        [(c, p) for c, people in VILLAGE_PEOPLE.items() for p in people],
        columns=["cohort", "participant_id"],
    )
    kept = responses_of(paired, responses)
    # desa_b has a K04, so a filter on the pseudonym alone would keep desa_a's K04 too.
    assert not ((kept["cohort"] == "desa_a") & (kept["participant_id"] == "K04")).any()
    assert len(kept) == (3 + 5) * 2 * 3
    assert list(kept.columns) == list(responses.columns)
    with pytest.raises(ValueError, match="cohort"):
        responses_of(paired[["participant_id"]], responses)


def test_item_analysis_counts_each_village_separately():
    responses = two_village_responses()
    items, summary = item_analysis(responses)
    expected = {"n_paired": [], "n_pre": [], "difficulty_pre": [], "difficulty_post": [], "p": []}
    for item in ("P1", "P2", "P3"):
        n_paired = n_pre = correct_pre = correct_post = n_post = b = c = 0
        for cohort in VILLAGE_PEOPLE:
            pre = village_cells(responses, cohort, "pre")
            post = village_cells(responses, cohort, "post")
            people_pre = [p for (p, i) in pre if i == item]
            people_post = [p for (p, i) in post if i == item]
            both = sorted(set(people_pre) & set(people_post))
            n_paired += len(both)
            n_pre, n_post = n_pre + len(people_pre), n_post + len(people_post)
            correct_pre += sum(pre[(p, item)] for p in people_pre)
            correct_post += sum(post[(p, item)] for p in people_post)
            b += sum(pre[(p, item)] == 1 and post[(p, item)] == 0 for p in both)
            c += sum(pre[(p, item)] == 0 and post[(p, item)] == 1 for p in both)
        expected["n_paired"].append(n_paired)
        expected["n_pre"].append(n_pre)
        expected["difficulty_pre"].append(correct_pre / n_pre)
        expected["difficulty_post"].append(correct_post / n_post)
        # Exact McNemar = two-sided binomial test of b against b + c.
        expected["p"].append(stats.binomtest(b, b + c).pvalue if b + c else 1.0)
    # 3 + 5 pairs per item; the pseudonym alone would have matched only 5.
    assert expected["n_paired"] == [8, 8, 8]
    assert items["n_paired"].tolist() == expected["n_paired"]
    assert items["n_pre"].tolist() == expected["n_pre"] == [9, 9, 9]
    assert items["difficulty_pre"].tolist() == pytest.approx(expected["difficulty_pre"])
    assert items["difficulty_post"].tolist() == pytest.approx(expected["difficulty_post"])
    assert items["mcnemar_p"].tolist() == pytest.approx(expected["p"])
    for phase, n_people in (("pre", 9), ("post", 8)):
        # KR-20 by hand on the people × items matrix stacked village by village.
        stacked = np.array(
            [
                [village_cells(responses, c, phase)[(p, i)] for i in ("P1", "P2", "P3")]
                for c in VILLAGE_PEOPLE
                for p in sorted({p for (p, _) in village_cells(responses, c, phase)})
            ],
            dtype=float,
        )
        assert stacked.shape == (n_people, 3)
        p = stacked.mean(axis=0)
        by_hand = 3 / 2 * (1 - np.sum(p * (1 - p)) / np.var(stacked.sum(axis=1)))
        assert summary[f"kr20_{phase}"] == pytest.approx(by_hand)
        assert summary[f"n_participants_{phase}"] == n_people


def test_item_analysis_of_one_village_is_the_same_with_or_without_cohort():
    one = two_village_responses().query("cohort == 'desa_b'")
    with_cohort, summary_with = item_analysis(one)
    without, summary_without = item_analysis(one.drop(columns="cohort"))
    pd.testing.assert_frame_equal(with_cohort, without)
    assert summary_with == summary_without


def test_negative_and_low_kr20_get_a_note_on_what_it_means():
    # 5 people × 2 items: totals 1, 1, 1, 1, 2 (mean 1.2, variance ddof 0 = 0.16);
    # p = 0.6, 0.6, Σpq = 0.48; KR-20 = 2 × (1 - 0.48 / 0.16) = -4.
    negative = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 1]])
    assert kr20(negative) == pytest.approx(-4.0)
    assert "is negative" in kr20_note("pre", kr20(negative))
    # MATRIX above has KR-20 = 0.8 (hand calculation): no note; 0.3 < 0.5: a note.
    assert kr20_note("pre", kr20(MATRIX)) is None
    assert "< 0.5" in kr20_note("post", 0.3)
    long = pd.DataFrame(
        [
            {"participant_id": f"p{i}", "phase": phase, "item_id": f"I{j}", "correct": v}
            for phase in ("pre", "post")
            for i, row in enumerate(negative)
            for j, v in enumerate(row)
        ]
    )
    _, summary = item_analysis(long)
    assert summary["kr20_pre"] == pytest.approx(-4.0)
    assert any(n.startswith("pre: KR-20 = -4 is negative") for n in summary["notes"])
