"""Pool a pre/post training evaluation over villages: per village, then across them.

Each village with at least 2 complete pairs (and gains that are not all equal) gets its
paired summary; with at least 2 such villages the mean gain and d_z are pooled by
random-effects meta-analysis (:mod:`analisis.stats.meta`) and the individual gains by a
random-intercept model (:mod:`analisis.stats.mixed`). See docs/statistics.md, sections
"Random-effects meta-analysis" and "Random-intercept model of villages".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analisis.stats.descriptives import mean_ci
from analisis.stats.effect_sizes import d_z, d_z_ci
from analisis.stats.meta import MetaResult, random_effects_meta
from analisis.stats.mixed import MixedResult, random_intercept_mean

MIN_PAIRS = 2
#: Why a village is left out of the pooling: codes in pooled.json and ``analisis pool``,
#: in words of each language under ``pool_reason.<code>`` in :mod:`analisis.text`.
EXCLUSION_REASONS = ("too_few_pairs", "no_spread")


@dataclass(frozen=True)
class VillageSummary:
    """Paired summary of one village; gain = post - pre, d_z = mean gain / SD gain."""

    village: str
    n_pairs: int
    pre_mean: float
    post_mean: float
    gain_mean: float
    gain_ci95: tuple[float, float]
    d_z: float
    d_z_ci95: tuple[float, float]


@dataclass(frozen=True)
class ExcludedVillage:
    """A village left out of the pooling, and why (a code of :data:`EXCLUSION_REASONS`)."""

    village: str
    n_pairs: int
    reason: str


@dataclass(frozen=True)
class PoolResult:
    """Everything ``analisis pool --json`` prints; the pooled parts are None below 2 villages.

    Examples
    --------
    >>> f = pd.DataFrame({"village": list("aaabbb"), "pre": [1, 2, 3, 1, 2, 3],
    ...                   "post": [3, 3, 6, 5, 7, 6]})
    >>> r = pool_villages(f)
    >>> PoolResult.from_dict(r.to_dict()) == r
    True
    """

    n_villages: int
    n_pairs: int
    villages: tuple[VillageSummary, ...]
    meta_gain: MetaResult | None
    meta_d_z: MetaResult | None
    mixed_gain: MixedResult | None
    excluded: tuple[ExcludedVillage, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain dict in schema order (tuples become lists)."""

        def village(v: VillageSummary) -> dict[str, object]:
            return {**asdict(v), "gain_ci95": list(v.gain_ci95), "d_z_ci95": list(v.d_z_ci95)}

        return {
            "n_villages": self.n_villages,
            "n_pairs": self.n_pairs,
            "villages": [village(v) for v in self.villages],
            "meta_gain": self.meta_gain.to_dict() if self.meta_gain else None,
            "meta_d_z": self.meta_d_z.to_dict() if self.meta_d_z else None,
            "mixed_gain": self.mixed_gain.to_dict() if self.mixed_gain else None,
            "excluded": [asdict(e) for e in self.excluded],
        }

    @classmethod
    def from_dict(cls, data: dict) -> PoolResult:
        """Inverse of :meth:`to_dict` (None read back as NaN where a number belongs)."""

        def number(x):
            return math.nan if x is None else float(x)

        def village(v: dict) -> VillageSummary:
            values = {k: number(v[k]) for k in ("pre_mean", "post_mean", "gain_mean", "d_z")}
            return VillageSummary(
                village=v["village"],
                n_pairs=int(v["n_pairs"]),
                gain_ci95=tuple(number(x) for x in v["gain_ci95"]),
                d_z_ci95=tuple(number(x) for x in v["d_z_ci95"]),
                **values,
            )

        def optional(kind, key):
            return None if data[key] is None else kind.from_dict(data[key])

        return cls(
            n_villages=int(data["n_villages"]),
            n_pairs=int(data["n_pairs"]),
            villages=tuple(village(v) for v in data["villages"]),
            meta_gain=optional(MetaResult, "meta_gain"),
            meta_d_z=optional(MetaResult, "meta_d_z"),
            mixed_gain=optional(MixedResult, "mixed_gain"),
            excluded=tuple(ExcludedVillage(**e) for e in data["excluded"]),
        )


def village_summary(name: str, pre: np.ndarray, post: np.ndarray) -> VillageSummary:
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
    return VillageSummary(
        village=str(name),
        n_pairs=int(gain.size),
        pre_mean=float(np.mean(pre)),
        post_mean=float(np.mean(post)),
        gain_mean=float(np.mean(gain)),
        gain_ci95=tuple(mean_ci(gain)),
        d_z=effect,
        d_z_ci95=d_z_ci(effect, gain.size),
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
    test: str = "z",
    target: float | None = None,
) -> PoolResult:
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
            excluded.append(ExcludedVillage(str(name), int(x.size), reason))
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
    return PoolResult(
        n_villages=len(summaries),
        n_pairs=int(sum(s.n_pairs for s in summaries)),
        villages=tuple(summaries),
        excluded=tuple(excluded),
        **pooled,
    )
