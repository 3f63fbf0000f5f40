"""Seeded, vectorised BCa bootstrap confidence interval of a mean (of paired differences)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from analisis.stats._arrays import as_float_array


def bca_ci_mean(
    values, *, n_resamples: int, seed: int, confidence: float = 0.95
) -> dict[str, object]:
    """Bias-corrected and accelerated (BCa) bootstrap CI of the mean of ``values``.

    All resamples are drawn at once as an index matrix (``n_resamples`` × n) from
    ``numpy.random.default_rng(seed)``, so the result depends only on the data and the
    seed. With theta the sample mean and theta*_b the resample means:

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
    x = as_float_array(values)
    n = x.size
    theta = float(np.mean(x))
    result = {"method": "BCa", "n_resamples": int(n_resamples), "seed": int(seed)}
    if n < 2 or np.ptp(x) == 0:
        return {
            "ci95": [theta, theta] if n else [math.nan, math.nan],
            **result,
            "z0": math.nan,
            "acceleration": math.nan,
            "note": "all values equal: the bootstrap distribution is a single point",
        }
    rng = np.random.default_rng(seed)
    boot = x[rng.integers(0, n, size=(n_resamples, n))].mean(axis=1)
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
