"""Seeded, vectorised BCa bootstrap confidence interval of a mean (of paired differences)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy import special

from analisis.stats._arrays import as_float_array

#: Indices drawn per block by :func:`resample_means` (8 MB as int64).
BLOCK_ELEMENTS = 1 << 20


def resample_means(x: np.ndarray, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_resamples`` bootstrap resamples of ``x``, drawn block by block.

    Row b is ``x[rng.integers(0, n, size=(n_resamples, n))[b]].mean()``; the index
    matrix is drawn ``max(1, BLOCK_ELEMENTS // n)`` rows at a time, which continues the
    generator's stream exactly as one draw would. ``x`` may be k samples of one size
    (k × n): each row is then resampled with the same index matrix, so k samples cost
    one draw (the dearest part at hundreds of thousands of pairs), and each row's means
    are the floats its own draw from the same generator gives.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 6.0])
    >>> one_draw = x[np.random.default_rng(3).integers(0, 3, size=(4, 3))].mean(axis=1)
    >>> bool(np.array_equal(resample_means(x, 4, np.random.default_rng(3)), one_draw))
    True
    >>> both = resample_means(np.vstack([x, 2 * x]), 4, np.random.default_rng(3))
    >>> bool(np.array_equal(both[0], one_draw)), bool(np.array_equal(both[1], 2 * one_draw))
    (True, True)
    """
    samples = np.atleast_2d(x)
    n = samples.shape[1]
    rows = max(1, BLOCK_ELEMENTS // n)
    means = np.empty((samples.shape[0], n_resamples))
    for start in range(0, n_resamples, rows):
        stop = min(start + rows, n_resamples)
        index = rng.integers(0, n, size=(stop - start, n))
        for row, sample in enumerate(samples):
            means[row, start:stop] = sample[index].mean(axis=1)
    return means[0] if np.ndim(x) == 1 else means


def bca_ci_means(
    samples: Mapping[str, object], *, n_resamples: int, seed: int, confidence: float = 0.95
) -> dict[str, dict[str, object]]:
    """:func:`bca_ci_mean` of each named sample, the same results as one call each.

    Samples of one size that need resampling share one draw of the index matrix: each
    call would draw the same matrix from the same seed, so the pre-test, post-test and
    difference of the paired sample cost one draw instead of three.

    Examples
    --------
    >>> x, y = [1, 2, 3, 4, 10], [2, 2, 5, 4, 12]
    >>> r = bca_ci_means({"x": x, "y": y}, n_resamples=500, seed=1)
    >>> r["y"] == bca_ci_mean(y, n_resamples=500, seed=1)
    True
    """
    arrays = {name: as_float_array(values) for name, values in samples.items()}
    resampled = [name for name, x in arrays.items() if x.size >= 2 and np.ptp(x) > 0]
    boots: dict[str, np.ndarray] = {}
    for size in sorted({arrays[name].size for name in resampled}):
        names = [name for name in resampled if arrays[name].size == size]
        stacked = np.vstack([arrays[name] for name in names])
        means = resample_means(stacked, n_resamples, np.random.default_rng(seed))
        boots.update(zip(names, means, strict=True))
    return {
        name: _bca(x, boots.get(name), n_resamples, seed, confidence) for name, x in arrays.items()
    }


def bca_ci_mean(
    values, *, n_resamples: int, seed: int, confidence: float = 0.95
) -> dict[str, object]:
    """Bias-corrected and accelerated (BCa) bootstrap CI of the mean of ``values``.

    The resamples are rows of an index matrix (``n_resamples`` × n) drawn from
    ``numpy.random.default_rng(seed)``, so the result depends only on the data and the
    seed. The matrix is drawn in blocks of about :data:`BLOCK_ELEMENTS` indices (memory
    O(block), not O(``n_resamples`` × n)); the generator's stream continues from block
    to block, so the rows are those of one draw of the whole matrix. With theta the
    sample mean and theta*_b the resample means:

    * bias correction z0 = Φ⁻¹(#(theta*_b < theta) / B + ½ #(theta*_b = theta) / B);
    * acceleration a = Σ (m̄ - m_i)³ / (6 [Σ (m̄ - m_i)²]^1.5) from the jackknife means
      m_i = (Σx - x_i) / (n - 1);
    * limits: the quantiles Φ(z0 + (z0 + z_q) / (1 - a (z0 + z_q))) of theta*_b for
      z_q = Φ⁻¹(α/2) and Φ⁻¹(1 - α/2) (linear interpolation, numpy's default).

    When every value is equal the interval is [mean, mean]; when every resample falls on
    one side of theta the bias correction is infinite and the limits are NaN. Both cases
    carry a ``note``.

    Parameters
    ----------
    values : array_like
        The paired differences (post - pre).
    n_resamples : int
        Number of bootstrap resamples (config ``bootstrap_resamples``).
    seed : int
        Seed of the numpy Generator.
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    dict
        ``ci95`` (list), ``method`` ("BCa"), ``n_resamples``, ``seed``, ``z0``,
        ``acceleration``, ``note``.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. JASA, 82(397), 171-185.
    Efron, B., & Tibshirani, R. J. (1993). An introduction to the bootstrap, ch. 14.

    Examples
    --------
    >>> a = bca_ci_mean([1, 2, 3, 4, 10], n_resamples=2000, seed=1)
    >>> a == bca_ci_mean([1, 2, 3, 4, 10], n_resamples=2000, seed=1)
    True
    >>> lo, hi = a["ci95"]; bool(lo < 4.0 < hi)
    True
    """
    return bca_ci_means(
        {"values": values}, n_resamples=n_resamples, seed=seed, confidence=confidence
    )["values"]


def _bca(
    x: np.ndarray, boot: np.ndarray | None, n_resamples: int, seed: int, confidence: float
) -> dict[str, object]:
    """The BCa interval of :func:`bca_ci_mean` from the resample means ``boot`` (None when
    the sample needs none: fewer than 2 values, or all equal)."""
    n = x.size
    theta = float(np.mean(x))
    result = {"method": "BCa", "n_resamples": int(n_resamples), "seed": int(seed)}
    if boot is None:
        return {
            "ci95": [theta, theta] if n else [math.nan, math.nan],
            **result,
            "z0": math.nan,
            "acceleration": math.nan,
            "note": "all values equal: the bootstrap distribution is a single point",
        }
    share_below = (np.sum(boot < theta) + 0.5 * np.sum(boot == theta)) / n_resamples
    jack = (x.sum() - x) / (n - 1)
    dev = jack.mean() - jack
    acceleration = float(np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5))
    if share_below in (0.0, 1.0):
        return {
            "ci95": [math.nan, math.nan],
            **result,
            "z0": math.nan,
            "acceleration": acceleration,
            "note": "every resample mean lies on one side of the estimate: BCa undefined",
        }
    z0 = float(special.ndtri(share_below))
    alpha = 1 - confidence
    zq = special.ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    levels = special.ndtr(z0 + (z0 + zq) / (1 - acceleration * (z0 + zq)))
    lo, hi = np.quantile(boot, levels)
    return {
        "ci95": [float(lo), float(hi)],
        **result,
        "z0": z0,
        "acceleration": acceleration,
        "note": None,
    }
