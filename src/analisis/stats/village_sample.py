"""Drawing the villages of the next wave from a frame of candidates (``analisis plan sample``).

Simple random sampling without replacement, or stratified with proportional allocation
by largest remainder (Hamilton's method); with a size column, probability proportional
to size by systematic sampling in a random order (Madow 1949; Hartley & Rao 1962), large
villages taken with certainty. Every drawn village carries its inclusion probability π
and design weight 1/π (Horvitz & Thompson 1952). The frame is sorted by (stratum,
village) before drawing, so the same frame in any row order and the same seed give the
same sample.

References
----------
Cochran, W. G. (1977). Sampling techniques (3rd ed.). Wiley. (ch. 5: proportional
allocation; ch. 9A: systematic PPS.)
Horvitz, D. G., & Thompson, D. J. (1952). A generalization of sampling without
replacement from a finite universe. JASA, 47(260), 663-685.
Hartley, H. O., & Rao, J. N. K. (1962). Sampling with unequal probabilities and without
replacement. Annals of Mathematical Statistics, 33(2), 350-374.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analisis.stats.plan import ImpossiblePlan


def proportional_allocation(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """Allocate ``total`` over strata in proportion to their ``sizes``, largest remainder.

    Each stratum first gets ⌊total·N_h/N⌋; the units left go one each to the largest
    remainders (ties: the larger stratum, then the name). Raises
    :class:`~analisis.stats.plan.ImpossiblePlan` when a stratum would get more than it
    holds.

    Examples
    --------
    >>> proportional_allocation({"a": 50, "b": 30, "c": 20}, 7)
    {'a': 4, 'b': 2, 'c': 1}
    """
    frame_size = sum(sizes.values())
    if not 0 < total <= frame_size:
        raise ImpossiblePlan(f"cannot draw {total} of {frame_size} villages")
    quotas = {name: total * size / frame_size for name, size in sizes.items()}
    allocation = {name: int(quota) for name, quota in quotas.items()}
    left = total - sum(allocation.values())
    order = sorted(quotas, key=lambda name: (-(quotas[name] % 1), -sizes[name], name))
    for name in order[:left]:
        allocation[name] += 1
    for name, n in allocation.items():
        if n > sizes[name]:
            raise ImpossiblePlan(f"stratum {name!r} has {sizes[name]} villages, allocated {n}")
    return allocation


def pps_probabilities(size: np.ndarray, n: int) -> np.ndarray:
    """Inclusion probabilities π_i = n·x_i/Σx of a PPS sample of n, capped at 1.

    Units with n·x_i/Σx ≥ 1 are taken with certainty (π = 1) and the rest of n is spread
    over the others in proportion to size, repeated until no π exceeds 1.

    Examples
    --------
    >>> pps_probabilities(np.array([1.0, 1.0, 2.0, 10.0]), 2).tolist()
    [0.25, 0.25, 0.5, 1.0]
    """
    probabilities = np.zeros(size.size)
    certain = np.zeros(size.size, dtype=bool)
    while True:
        rest = ~certain
        probabilities[rest] = (n - certain.sum()) * size[rest] / size[rest].sum()
        probabilities[certain] = 1.0
        newly = rest & (probabilities >= 1)
        if not newly.any():
            return probabilities
        certain |= newly


def _systematic(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices drawn by systematic sampling on the cumulated π in a random order.

    Each unit is drawn with probability exactly π_i (Σπ = n an integer).
    """
    order = rng.permutation(probabilities.size)
    cumulated = np.cumsum(probabilities[order])
    n = round(cumulated[-1])
    points = rng.uniform() + np.arange(n)
    hits = np.searchsorted(cumulated, points, side="right")
    return np.sort(order[hits])


def draw_villages(
    frame: pd.DataFrame,
    villages: int,
    *,
    seed: int,
    village: str = "village",
    stratum: str | None = None,
    size: str | None = None,
) -> pd.DataFrame:
    """Draw ``villages`` rows of ``frame`` (one row per village, named in column ``village``).

    Within each stratum (one stratum without ``stratum``) the allocation is
    proportional, by largest remainder; villages are drawn by simple random sampling
    (π = n_h/N_h) or, with ``size``, systematic PPS (π = n_h·x_i/X_h, capped at 1).
    Returns the drawn rows sorted as the frame, with ``inclusion_probability`` and
    ``design_weight`` = 1/π.

    Examples
    --------
    >>> f = pd.DataFrame({"village": list("abcdef"), "district": list("xxxxyy")})
    >>> s = draw_villages(f, 3, seed=1, stratum="district")
    >>> s.groupby("district").size().to_dict(), s["design_weight"].tolist()
    ({'x': 2, 'y': 1}, [2.0, 2.0, 2.0])
    """
    rng = np.random.default_rng(seed)
    keys = [stratum, village] if stratum else [village]
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    groups = frame[stratum] if stratum else pd.Series("", index=frame.index)
    allocation = proportional_allocation(groups.value_counts(sort=False).to_dict(), villages)
    probability = np.zeros(len(frame))
    chosen = []
    for name in sorted(allocation):
        rows = np.flatnonzero((groups == name).to_numpy())
        n = allocation[name]
        if size is None:
            probability[rows] = n / rows.size
            picked = rng.choice(rows, size=n, replace=False) if n else np.array([], int)
        else:
            probability[rows] = pps_probabilities(frame[size].to_numpy(float)[rows], n)
            picked = rows[_systematic(probability[rows], rng)] if n else np.array([], int)
        chosen.extend(picked.tolist())
    sample = frame.iloc[sorted(chosen)].copy()
    sample["inclusion_probability"] = probability[sorted(chosen)]
    sample["design_weight"] = 1 / sample["inclusion_probability"]
    return sample.reset_index(drop=True)
