"""Pool a pre/post training evaluation over villages: per village, then across them.

Each village with at least 2 complete pairs (and gains that are not all equal) gets its
paired summary; with at least 2 such villages the mean gain and d_z are pooled by
random-effects meta-analysis (:mod:`analisis.stats.meta`) and the individual gains by a
random-intercept model (:mod:`analisis.stats.mixed`). See docs/statistics.md, sections
"Random-effects meta-analysis" and "Random-intercept model of villages".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analisis.outputs import to_jsonable
from analisis.results import ExcludedFromPooling, PooledVillage, VillagePool
from analisis.stats.descriptives import mean_ci
from analisis.stats.effect_sizes import d_z, d_z_ci
from analisis.stats.meta import random_effects_meta
from analisis.stats.mixed import random_intercept_mean

MIN_PAIRS = 2
#: Why a village is left out of the pooling: codes in pooled.json and ``analisis pool``,
#: in words of each language under ``pool_reason.<code>`` in :mod:`analisis.text`.
EXCLUSION_REASONS = ("too_few_pairs", "no_spread")


def village_summary(name: str, pre: np.ndarray, post: np.ndarray) -> PooledVillage:
    """Paired summary of one village (at least 2 pairs, gains not all equal).

    gain_ci95 is the t interval of the mean gain; d_z_ci95 the noncentral-t interval
    of :func:`analisis.stats.effect_sizes.d_z_ci`.

    Examples
    --------
    >>> s = village_summary("a", np.array([0.0, 0, 0]), np.array([1.0, 2, 3]))
    >>> s.gain_mean, s.d_z, [round(x, 4) for x in s.gain_ci95]
    (2.0, 2.0, [-0.4841, 4.4841])
    """
    gain = post - pre
    effect = d_z(pre, post)
    return PooledVillage(
        village=str(name),
        n_pairs=int(gain.size),
        pre_mean=float(np.mean(pre)),
        post_mean=float(np.mean(post)),
        gain_mean=float(np.mean(gain)),
        gain_ci95=tuple(float(x) for x in mean_ci(gain)),
        d_z=float(effect),
        d_z_ci95=tuple(float(x) for x in d_z_ci(effect, gain.size)),
    )


def _exclusion(gain: np.ndarray) -> str | None:
    """Why a village is left out (a code of :data:`EXCLUSION_REASONS`), or None."""
    if gain.size < MIN_PAIRS:
        return "too_few_pairs"
    if np.ptp(gain) == 0:
        return "no_spread"
    return None


def pool_villages(
    frame: pd.DataFrame,
    *,
    village: str = "village",
    pre: str = "pre",
    post: str = "post",
    method: str = "reml",
    test: str = "knha",
    target: float | None = None,
) -> VillagePool:
    """Per-village paired summaries, then meta-analyses and a mixed model across villages.

    Rows missing pre or post are dropped. Villages (in order of first appearance) with
    fewer than 2 pairs or with all gains equal are listed in ``excluded``. With >= 2
    remaining villages: meta-analysis of the mean gain (y_j = mean gain,
    v_j = SD²_j / n_j of the gains), of d_z (v_j = 1/n_j + d_z²/(2 n_j), the
    large-sample variance of a standardized mean; Hedges & Olkin 1985, ch. 5) and
    :func:`~analisis.stats.mixed.random_intercept_mean` of the individual gains
    (``target`` flags villages whose interval lies below it).

    Raises
    ------
    ValueError
        A row has no village name (it would otherwise vanish from the grouping).

    Examples
    --------
    >>> f = pd.DataFrame({"village": list("aaabbbc"), "pre": [1, 2, 3, 1, 2, 3, 1],
    ...                   "post": [3, 3, 6, 5, 7, 6, 2]})
    >>> r = pool_villages(f)
    >>> r.n_villages, r.n_pairs, r.excluded[0].village, r.meta_gain.k
    (2, 6, 'c', 2)
    """
    if frame[village].isna().any():
        raise ValueError(f"column {village!r} has a missing village name")
    data = frame[[village, pre, post]].dropna(subset=[pre, post])
    summaries, excluded, used, var_gain = [], [], [], []
    for name, rows in data.groupby(village, sort=False):
        x, y = rows[pre].to_numpy(float), rows[post].to_numpy(float)
        reason = _exclusion(y - x)
        if reason:
            excluded.append(ExcludedFromPooling(str(name), int(x.size), reason))
            continue
        summaries.append(village_summary(name, x, y))
        used.append(rows)
        var_gain.append(float(np.var(y - x, ddof=1)) / x.size)
    pooled = {"meta_gain": None, "meta_d_z": None, "mixed_gain": None}
    if len(summaries) >= 2:
        labels = [s.village for s in summaries]
        n = np.array([s.n_pairs for s in summaries], dtype=float)
        gains = np.array([s.gain_mean for s in summaries])
        dz = np.array([s.d_z for s in summaries])
        options = {"method": method, "test": test}
        pooled["meta_gain"] = random_effects_meta(gains, var_gain, labels, **options)
        pooled["meta_d_z"] = random_effects_meta(dz, 1 / n + dz**2 / (2 * n), labels, **options)
        rows = pd.concat(used)
        gain = rows[post].to_numpy(float) - rows[pre].to_numpy(float)
        pooled["mixed_gain"] = random_intercept_mean(gain, rows[village].astype(str), target)
    document = {
        "n_villages": len(summaries),
        "n_pairs": int(sum(s.n_pairs for s in summaries)),
        "villages": summaries,
        **pooled,
        "excluded": excluded,
    }
    return VillagePool.from_dict(to_jsonable(document), source="pool_villages")
