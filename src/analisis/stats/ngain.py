"""Hake's normalized gain and the pre -> post shift of knowledge categories."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analisis.config import N_GAIN_CUTOFFS
from analisis.scoring import categorise, hake_n_gain
from analisis.stats._arrays import paired_arrays

#: Hake's category labels, highest first, as Indonesian reports write them.
N_GAIN_LABELS = ("tinggi", "sedang", "rendah")


def individual_n_gain(pre, post, max_score: float) -> np.ndarray:
    """Individual normalized gains g_i = (post_i - pre_i) / (max - pre_i).

    g_i is undefined (NaN) where pre_i = max: nothing was left to gain.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods. American
    Journal of Physics, 66(1), 64-74.

    Examples
    --------
    >>> individual_n_gain([60, 100, 80], [80, 100, 100], 100).tolist()
    [0.5, nan, 1.0]
    """
    x, y = paired_arrays(pre, post)
    if np.any(x > max_score) or np.any(y > max_score):
        raise ValueError(f"scores above the maximum {max_score}")
    return hake_n_gain(x, y, max_score)


def n_gain_summary(pre, post, max_score: float) -> dict[str, object]:
    """Class gain from the means and the mean and SD of the individual gains.

    ``class`` = (mean_post - mean_pre) / (max - mean_pre) over all pairs (Hake's <g>);
    ``mean_individual`` and ``sd_individual`` (ddof 1) over the defined g_i only;
    ``n_undefined`` counts pairs with pre = max. The two averages differ in general
    (Bao, 2006).

    References
    ----------
    Hake (1998); Bao, L. (2006). Theoretical comparisons of average normalized gain
    calculations. American Journal of Physics, 74(10), 917-922.

    Examples
    --------
    Means 80 -> 93.33: class gain 13.33 / 20 = 0.6667; individual 0.5 and 1.0:

    >>> s = n_gain_summary([60, 100, 80], [80, 100, 100], 100)
    >>> round(s["class"], 4), s["mean_individual"], round(s["sd_individual"], 4), s["n_undefined"]
    (0.6667, 0.75, 0.3536, 1)
    """
    x, y = paired_arrays(pre, post)
    g = individual_n_gain(x, y, max_score)
    defined = g[np.isfinite(g)]
    room = max_score - float(np.mean(x))
    return {
        "class": (float(np.mean(y)) - float(np.mean(x))) / room if room > 0 else math.nan,
        "mean_individual": float(np.mean(defined)) if defined.size else math.nan,
        "sd_individual": float(np.std(defined, ddof=1)) if defined.size > 1 else math.nan,
        "n_undefined": int(g.size - defined.size),
    }


def n_gain_category(g, cutoffs: Sequence[float] = N_GAIN_CUTOFFS) -> list[str | None]:
    """Hake's category of each gain: tinggi g >= high, sedang low <= g < high, rendah g < low.

    ``cutoffs`` = (low, high), by default the config schema's. Undefined gains get None.

    Examples
    --------
    >>> n_gain_category([0.7, 0.69, 0.3, -0.2, float("nan")])
    ['tinggi', 'sedang', 'sedang', 'rendah', None]
    """
    low, high = cutoffs
    if not low < high:
        raise ValueError(f"n-gain cut-offs must be increasing, got {tuple(cutoffs)}")
    gains = pd.Series(np.asarray(g, dtype=float))
    # The scoring step's rule, so the counts here and knowledge_wide.csv cannot disagree.
    labels = categorise(gains, {"tinggi": high, "sedang": low}, below="rendah")
    return [
        str(label) if math.isfinite(value) else None
        for label, value in zip(labels, gains, strict=True)
    ]


def n_gain_category_counts(g, cutoffs: Sequence[float] = N_GAIN_CUTOFFS) -> pd.DataFrame:
    """Count gains per Hake category (tinggi, sedang, rendah, then undefined).

    ``share`` is the proportion of defined gains; the ``undefined`` row has NaN share.

    Examples
    --------
    >>> n_gain_category_counts([0.8, 0.5, 0.9, float("nan")]).to_dict("list")["n"]
    [2, 1, 0, 1]
    """
    labels = n_gain_category(g, cutoffs)
    low, high = cutoffs
    rules = {
        "tinggi": f"g >= {high:g}",
        "sedang": f"{low:g} <= g < {high:g}",
        "rendah": f"g < {low:g}",
    }
    counts = [sum(label == name for label in labels) for name in N_GAIN_LABELS]
    defined = sum(counts)
    rows = [
        {
            "category": name,
            "rule": rules[name],
            "n": k,
            "share": k / defined if defined else math.nan,
        }
        for name, k in zip(N_GAIN_LABELS, counts, strict=True)
    ]
    rows.append(
        {"category": "undefined", "rule": "pre = max", "n": labels.count(None), "share": math.nan}
    )
    return pd.DataFrame(rows)


def category_shift_table(pre_category, post_category, levels: Sequence[str]) -> pd.DataFrame:
    """Tidy cross-tabulation of knowledge categories before and after: one row per cell.

    Every (pre, post) combination of ``levels`` appears, zeros included, in the order
    given. ``direction`` says whether the category went up, stayed or went down, with
    ``levels`` ordered from best to worst.

    Examples
    --------
    >>> t = category_shift_table(["cukup", "baik"], ["baik", "baik"], ["baik", "cukup"])
    >>> t.to_dict("list")["n"], t.to_dict("list")["direction"]
    ([1, 0, 1, 0], ['same', 'down', 'up', 'same'])
    """
    pre = list(pre_category)
    post = list(post_category)
    unknown = sorted({str(c) for c in pre + post} - set(levels))
    if unknown:
        raise ValueError(f"categories {unknown} are not among the levels {list(levels)}")
    order = {name: i for i, name in enumerate(levels)}
    rows = []
    for a in levels:
        for b in levels:
            n = sum(p == a and q == b for p, q in zip(pre, post, strict=True))
            step = order[a] - order[b]
            rows.append(
                {
                    "pre_category": a,
                    "post_category": b,
                    "n": n,
                    "direction": "up" if step > 0 else "down" if step < 0 else "same",
                }
            )
    return pd.DataFrame(rows)
