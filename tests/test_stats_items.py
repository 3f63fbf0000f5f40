"""Item analysis by hand and against an independent implementation (pingouin)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest

from analisis.stats.items import as_binary, corrected_item_total, item_analysis, kr20, mcnemar_exact

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
