"""BCa bootstrap: reproducible with a seed, agrees with scipy's BCa within Monte Carlo error."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from scipy import special, stats

from analisis.stats.bootstrap import bca_ci_mean

SLEEP_DIFF = np.array([1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4])


def test_reproducible_with_seed_and_different_with_another():
    a = bca_ci_mean(SLEEP_DIFF, n_resamples=5000, seed=7)
    assert a == bca_ci_mean(SLEEP_DIFF, n_resamples=5000, seed=7)
    assert a["ci95"] != bca_ci_mean(SLEEP_DIFF, n_resamples=5000, seed=8)["ci95"]


def test_acceleration_is_the_jackknife_skewness_formula():
    # Jackknife means m_i = (sum - x_i) / (n - 1) for x = 1, 2, 3, 10: sum 16,
    # m = 5, 4.6667, 4.3333, 2; mean 4; deviations mean - m = -1, -0.6667, -0.3333, 2;
    # Σd³ = -1 - 0.296296 - 0.037037 + 8 = 6.666667; Σd² = 1 + 0.444444 + 0.111111 + 4
    # = 5.555556; a = 6.666667 / (6 × 5.555556^1.5) = 6.666667 / 78.567420 = 0.084853.
    r = bca_ci_mean([1, 2, 3, 10], n_resamples=1000, seed=1)
    assert r["acceleration"] == pytest.approx(0.084853, abs=1e-6)


def test_agrees_with_scipy_bca_within_monte_carlo_error():
    # Both use B = 20000 but different random streams, so the limits differ by Monte
    # Carlo error only. The SE of a bootstrap quantile at level q is about
    # sqrt(q (1 - q) / B) / f(x_q); with the bootstrap distribution near normal,
    # SD = s / sqrt(n) = 1.23 / sqrt(10) = 0.389 and f(x_0.025) = φ(1.96) / 0.389 = 0.150,
    # SE = 0.0011 / 0.150 = 0.0074; a difference of two independent runs has SE 0.0105.
    # Tolerance 0.045 = 4.3 SE (the lumpy distribution of a 10-point mean adds a little).
    ours = bca_ci_mean(SLEEP_DIFF, n_resamples=20000, seed=11)["ci95"]
    theirs = stats.bootstrap(
        (SLEEP_DIFF,), np.mean, method="BCa", n_resamples=20000, rng=np.random.default_rng(99)
    ).confidence_interval
    assert ours == pytest.approx([theirs.low, theirs.high], abs=0.045)


def test_constant_values_give_point_interval_with_note():
    r = bca_ci_mean([20, 20, 20], n_resamples=100, seed=1)
    assert r["ci95"] == [20.0, 20.0] and "all values equal" in r["note"]
    assert math.isnan(r["z0"])


def one_draw_bca_ci(values, n_resamples: int, seed: int) -> list[float]:
    """The BCa interval with the whole B × n index matrix drawn at once (Efron 1987)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    theta = np.mean(x)
    rng = np.random.default_rng(seed)
    boot = x[rng.integers(0, n, size=(n_resamples, n))].mean(axis=1)
    z0 = special.ndtri((np.sum(boot < theta) + 0.5 * np.sum(boot == theta)) / n_resamples)
    jack = (x.sum() - x) / (n - 1)
    dev = jack.mean() - jack
    a = np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5)
    zq = special.ndtri(np.array([0.025, 0.975]))
    lo, hi = np.quantile(boot, special.ndtr(z0 + (z0 + zq) / (1 - a * (z0 + zq))))
    return [float(lo), float(hi)]


@pytest.mark.parametrize(
    ("n", "n_resamples"),
    [(23, 10_000), (500, 5_000), (3_000, 2_000)],  # the study's size; 3 and 18 blocks
)
def test_blocks_give_the_interval_of_one_draw(n, n_resamples):
    rng = np.random.default_rng(n)
    diff = 4.0 * (rng.binomial(25, 0.93, size=n) - rng.binomial(25, 0.76, size=n))
    got = bca_ci_mean(diff, n_resamples=n_resamples, seed=2032)["ci95"]
    assert got == one_draw_bca_ci(diff, n_resamples, 2032)


def test_memory_is_a_block_not_the_whole_index_matrix():
    # 2,000 resamples of 5,000 values: the index matrix alone is 10⁷ int64 = 80 MB, its
    # gathered values another 80 MB. One block is 2^20 indices = 8 MB (+ 8 MB gathered).
    diff = np.random.default_rng(1).normal(size=5_000)
    tracemalloc.start()
    bca_ci_mean(diff, n_resamples=2_000, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40e6
