"""Small input helpers shared by the statistics modules."""

from __future__ import annotations

import numpy as np


def as_float_array(values) -> np.ndarray:
    """Return ``values`` as a 1-D float array; raise ValueError on NaN or infinity.

    Examples
    --------
    >>> as_float_array([1, 2]).tolist()
    [1.0, 2.0]
    """
    x = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite; drop missing pairs first")
    return x


def paired_arrays(pre, post) -> tuple[np.ndarray, np.ndarray]:
    """Return ``pre`` and ``post`` as float arrays of equal length.

    Examples
    --------
    >>> [a.tolist() for a in paired_arrays([1, 2], [3, 4])]
    [[1.0, 2.0], [3.0, 4.0]]
    """
    x, y = as_float_array(pre), as_float_array(post)
    if x.size != y.size:
        raise ValueError(f"pre and post differ in length ({x.size} vs {y.size})")
    return x, y
