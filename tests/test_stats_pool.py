"""Pooling per village: village summaries by hand / R, pooled parts equal their building blocks."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analisis.outputs import to_jsonable
from analisis.results import VillagePool
from analisis.stats.effect_sizes import d_z_ci
from analisis.stats.meta import random_effects_meta
from analisis.stats.mixed import random_intercept_mean
from analisis.stats.pool import pool_villages

# R's sleep data (Student 1908): t.test(extra ~ group, paired = TRUE) on group 1 - group 2
# gives mean difference -1.58, 95% CI [-2.4598858, -0.7001142]; here post = group 1.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def flat(value) -> list:
    """Leaves of a to_dict() tree, in order, for comparison with a tolerance."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in flat(v)]
    if isinstance(value, list | tuple):
        return [leaf for v in value for leaf in flat(v)]
    return [value]


def assert_same_result(ours, reference) -> None:
    # Same computation on gains typed in vs gains subtracted: equal up to rounding.
    a, b = flat(ours.to_dict()), flat(reference.to_dict())
    numbers = [isinstance(x, float) for x in a]
    assert [x for x, n in zip(a, numbers, strict=True) if not n] == [
        x for x, n in zip(b, numbers, strict=True) if not n
    ]
    assert [x for x, n in zip(a, numbers, strict=True) if n] == pytest.approx(
        [x for x, n in zip(b, numbers, strict=True) if n], rel=1e-7, abs=1e-9
    )


def frame() -> pd.DataFrame:
    rows = [("Sleep", pre, post) for pre, post in zip(SLEEP_2, SLEEP_1, strict=True)]
    rows += [("Two", 1.0, 2.0), ("Two", 2.0, 5.0)]  # gains 1, 3: mean 2, SD sqrt 2
    rows += [("Three", 0.0, 1.0), ("Three", 0.0, 2.0), ("Three", 0.0, 6.0)]
    rows += [("Lonely", 1.0, 4.0)]  # 1 pair
    rows += [("Flat", 1.0, 2.0), ("Flat", 3.0, 4.0)]  # gains all equal to 1
    rows += [("Sleep", np.nan, 3.0)]  # incomplete: dropped
    return pd.DataFrame(rows, columns=["village", "pre", "post"])


@pytest.fixture(scope="module")
def pooled() -> VillagePool:
    return pool_villages(frame(), target=0)


def test_village_summaries_match_r_and_hand(pooled):
    sleep, two, three = pooled.villages
    assert [v.village for v in pooled.villages] == ["Sleep", "Two", "Three"]
    assert (pooled.n_villages, pooled.n_pairs) == (3, 15)
    assert sleep.n_pairs == 10
    assert sleep.gain_mean == pytest.approx(-1.58)
    assert sleep.gain_ci95 == pytest.approx((-2.4598858, -0.7001142), abs=1e-7)
    assert (sleep.pre_mean, sleep.post_mean) == pytest.approx((2.33, 0.75))
    # Two: gains 1, 3 -> mean 2, SD sqrt(2), d_z = sqrt(2); t(1) CI 2 ± 12.7062 × 1
    assert two.d_z == pytest.approx(2**0.5)
    assert two.gain_ci95 == pytest.approx((2 - 12.706205, 2 + 12.706205), abs=1e-6)
    assert three.d_z_ci95 == pytest.approx(d_z_ci(three.d_z, 3))


def test_excluded_villages_are_listed_with_reasons(pooled):
    excluded = {e.village: (e.n_pairs, e.reason) for e in pooled.excluded}
    assert excluded == {
        "Lonely": (1, "too_few_pairs"),
        "Flat": (2, "no_spread"),
    }


def test_meta_analyses_use_mean_gain_and_d_z_variances(pooled):
    gains = [[-1.2, -2.4, -1.3, -1.3, 0.0, -1.0, -1.8, -0.8, -4.6, -1.4], [1, 3], [1, 2, 6]]
    yi = [np.mean(g) for g in gains]
    vi = [np.var(g, ddof=1) / len(g) for g in gains]
    assert_same_result(pooled.meta_gain, random_effects_meta(yi, vi))
    dz = np.array([v.d_z for v in pooled.villages])
    n = np.array([10, 2, 3])
    assert dz == pytest.approx([np.mean(g) / np.std(g, ddof=1) for g in gains])
    assert_same_result(pooled.meta_d_z, random_effects_meta(dz, 1 / n + dz**2 / (2 * n)))


def test_mixed_model_uses_the_individual_gains(pooled):
    gains = [-1.2, -2.4, -1.3, -1.3, 0.0, -1.0, -1.8, -0.8, -4.6, -1.4, 1, 3, 1, 2, 6]
    village = ["Sleep"] * 10 + ["Two"] * 2 + ["Three"] * 3
    assert_same_result(pooled.mixed_gain, random_intercept_mean(gains, village, target=0))


def test_fewer_than_two_villages_are_not_pooled():
    r = pool_villages(frame().query("village in ['Sleep', 'Lonely']"))
    assert (r.n_villages, r.meta_gain, r.meta_d_z, r.mixed_gain) == (1, None, None, None)
    assert [e.village for e in r.excluded] == ["Lonely"]


def test_json_round_trip_and_schema(pooled):
    data = json.loads(json.dumps(to_jsonable(pooled.to_dict())))
    assert list(data) == [
        "n_villages", "n_pairs", "villages", "meta_gain", "meta_d_z", "mixed_gain", "excluded",
    ]  # fmt: skip
    assert list(data["villages"][0]) == [
        "village", "n_pairs", "pre_mean", "post_mean", "gain_mean", "gain_ci95", "d_z",
        "d_z_ci95",
    ]  # fmt: skip
    assert list(data["excluded"][0]) == ["village", "n_pairs", "reason"]
    assert VillagePool.from_dict(data) == pooled


def test_missing_village_name_is_an_error():
    f = frame()
    f.loc[0, "village"] = None
    with pytest.raises(ValueError, match="missing village name"):
        pool_villages(f)


@pytest.mark.parametrize(
    ("k", "notes"),
    [
        (2, ["two_villages", "mixed_approximate", "prediction_approximate"]),
        (4, ["mixed_approximate", "prediction_approximate"]),
        (5, ["prediction_approximate"]),
        (10, ["prediction_approximate"]),
        (11, []),
    ],
)
def test_notes_follow_the_coverage_study(k, notes):
    # bench/coverage.py (docs/statistics.md): the mixed model's interval held 90.4 % with 3
    # villages and 93.7-97.4 % with 5; the prediction interval 88.7-92.9 % up to 10.
    rng = np.random.default_rng(k)
    village = np.repeat([f"v{j}" for j in range(k)], 6)
    gains = 20 + np.repeat(rng.normal(0, 6, k), 6) + rng.normal(0, 8, village.size)
    r = pool_villages(pd.DataFrame({"village": village, "pre": 0.0, "post": gains}))
    assert not r.mixed_gain.boundary and r.mixed_gain.converged
    assert r.note_keys() == tuple(f"pool_note.{note}" for note in notes)
