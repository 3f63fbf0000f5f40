"""Paper versus recomputed: each printed number beside its recomputed value and GRIM verdict.

The ``published:`` block is parsed by :mod:`analisis.review.block` and each row's
sentence is written by :mod:`analisis.review.notes`; this module puts them into the
table (published_check.csv) and its JSON document (published_check.json).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from analisis.review.block import (
    QUANTITIES,
    PublishedBlock,
    PublishedValue,
    as_block,
    parse_published,
)
from analisis.review.grim import grim, parse_printed, round_fraction, step_text
from analisis.review.notes import note

__all__ = [
    "CHECK_COLUMNS",
    "NOTE_COLUMNS",
    "QUANTITIES",
    "PublishedBlock",
    "PublishedValue",
    "as_block",
    "parse_published",
    "published_check",
    "published_check_json",
]

#: Columns of :func:`published_check`, in order.
CHECK_COLUMNS = (
    "quantity",
    "printed",
    "decimals",
    "n",
    "step",
    "recomputed",
    "agrees",
    "grim_consistent",
    "grim_nearest_below",
    "grim_nearest_above",
    "note",
    "note_id",
)

#: Column of the note in each language.
NOTE_COLUMNS = {"en": "note", "id": "note_id"}


def _agrees(value: PublishedValue, recomputed: float | None, rounding: str) -> bool | None:
    if recomputed is None:
        return None
    printed = parse_printed(value.printed)
    if value.kind == "count":
        return float(recomputed) == float(printed)
    return round_fraction(Fraction(repr(float(recomputed))), value.decimals, rounding) == printed


def _recomputed(recomputed: dict | None, quantity: str) -> float | None:
    raw = (recomputed or {}).get(QUANTITIES[quantity][1])
    if raw is None:
        return None
    number = float(raw)
    return None if math.isnan(number) else number


def published_check(
    published: PublishedBlock | dict, recomputed: dict | None = None
) -> pd.DataFrame:
    """Compare each printed number with its recomputed value and GRIM-test the means.

    Parameters
    ----------
    published : PublishedBlock or dict
        The ``published:`` block (validated with :func:`parse_published` if a dict).
    recomputed : dict, optional
        Values from the pipeline, keyed ``n_pairs, pre_mean, post_mean, gain,
        skill_mean, skill_n`` (``gain`` = post_mean - pre_mean).  Missing keys (or no
        dict, as for a reviewer without data) leave ``recomputed`` and ``agrees`` empty.

    Returns
    -------
    pandas.DataFrame
        One row per printed value with the columns of :data:`CHECK_COLUMNS`:
        ``agrees`` is True when the recomputed value, rounded (``published.rounding``)
        to the printed decimals, equals the printed number; ``grim_*`` hold the GRIM
        verdict and the nearest possible means at the printed precision (empty for a
        count and for a gain, to which GRIM does not apply directly); ``note`` and
        ``note_id`` say it in plain English and Indonesian.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test. *Social Psychological
    and Personality Science*, 8(4), 363-369.

    Examples
    --------
    >>> block = {"n": 23, "score_step": 4,
    ...          "values": [{"quantity": "post_mean", "printed": "99.50"}]}
    >>> row = published_check(block, {"post_mean": 2288 / 23}).iloc[0]
    >>> row["agrees"], row["grim_consistent"], float(row["grim_nearest_below"])
    (False, False, 99.48)
    >>> row["note"].split(";")[0]
    '99.50 is impossible for 23 integer scores'
    """
    block = as_block(published)
    rows = []
    for value in block.printed_values:
        number = _recomputed(recomputed, value.quantity)
        agrees = _agrees(value, number, block.rounding)
        consistent, below, above = None, math.nan, math.nan
        if value.kind == "mean":
            result = grim(value.printed, value.n, items=value.items, step=value.step,
                          rounding=block.rounding, score_min=block.score_min,
                          score_max=block.score_max)  # fmt: skip
            consistent = result.consistent
            below = math.nan if result.nearest_below is None else float(result.nearest_below)
            above = math.nan if result.nearest_above is None else float(result.nearest_above)
        notes = {
            column: note(value, block, number, agrees, lang)
            for lang, column in NOTE_COLUMNS.items()
        }
        rows.append(
            {
                "quantity": value.quantity,
                "printed": value.printed,
                "decimals": value.decimals,
                "n": value.n,
                "step": step_text(value.step),
                "recomputed": math.nan if number is None else number,
                "agrees": agrees,
                "grim_consistent": consistent,
                "grim_nearest_below": below,
                "grim_nearest_above": above,
                **notes,
            }
        )
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    for column in ("agrees", "grim_consistent"):
        frame[column] = frame[column].astype(object)
    return frame


def published_check_json(frame: pd.DataFrame, published: PublishedBlock | dict) -> dict:
    """JSON document of the check: ``{"source", "rounding", "rows": [...]}``.

    Examples
    --------
    >>> block = {"n": 4, "values": [{"quantity": "n", "printed": "4"}]}
    >>> sorted(published_check_json(published_check(block), block))
    ['rounding', 'rows', 'source']
    """
    block = as_block(published)
    records = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return {"source": block.source, "rounding": block.rounding, "rows": records}
