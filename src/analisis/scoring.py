"""Scores: knowledge score 0–100, Hake's N-gain, skill score, and their categories.

All functions take the clean tables of :mod:`analisis.clean` and return tables whose
schemas are in :mod:`analisis.tables`.  Scores are computed as ``100 * k / n`` (one
correctly rounded division), so a score that is mathematically 76 is exactly ``76.0``
and falls in the category whose lower bound is 76.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from analisis import tables
from analisis.config import DEFAULTS
from analisis.errors import ConfigError

#: Defaults of the ``scoring:`` block (category name → inclusive lower bound), as the
#: config schema states them.
DEFAULT_SCORING: dict[str, dict[str, float]] = {
    key: {name: float(bound) for name, bound in bounds.items()}
    for key, bounds in DEFAULTS["scoring"].items()
}

#: Name given to a value below every configured lower bound.
BELOW_ALL = {"knowledge_categories": "kurang", "skill_categories": "kurang"}
BELOW_ALL["n_gain_categories"] = "rendah"


def scoring_rules(scoring: Mapping[str, object] | None) -> dict[str, dict[str, float]]:
    """The ``scoring:`` block with defaults filled in and bounds checked.

    Examples
    --------
    >>> scoring_rules({"knowledge_categories": {"baik": 80, "cukup": 60}})["knowledge_categories"]
    {'baik': 80.0, 'cukup': 60.0}
    """
    given = dict(scoring or {})
    unknown = set(given) - set(DEFAULT_SCORING)
    if unknown:
        raise ConfigError(f"scoring: unknown key(s) {', '.join(sorted(unknown))}")
    rules = {}
    for key, default in DEFAULT_SCORING.items():
        bounds = given.get(key, default)
        if not isinstance(bounds, Mapping) or not bounds:
            raise ConfigError(
                f"scoring.{key}: expected {{category: lower bound}}, found {bounds!r}"
            )
        try:
            rules[key] = {str(name): float(bound) for name, bound in bounds.items()}
        except (TypeError, ValueError):
            raise ConfigError(
                f"scoring.{key}: lower bounds must be numbers, found {bounds!r}"
            ) from None
    return rules


def categorise(values: pd.Series, lower_bounds: Mapping[str, float], below: str) -> pd.Series:
    """Category of each value: the name with the highest lower bound ≤ value.

    Bounds are inclusive (Arikunto: baik 76–100, cukup 56–75, kurang < 56).  A value
    below every bound gets ``below``; a missing value stays missing.

    Parameters
    ----------
    values : Series of float
    lower_bounds : mapping of str to float
        e.g. ``{"baik": 76, "cukup": 56}``.
    below : str
        Name of values under every bound (e.g. ``"kurang"``).

    Examples
    --------
    >>> s = pd.Series([75.99, 76.0, 56.0, 55.99, float("nan")])
    >>> categorise(s, {"baik": 76, "cukup": 56}, "kurang").tolist()
    ['cukup', 'baik', 'cukup', 'kurang', nan]
    """
    ordered = sorted(lower_bounds.items(), key=lambda item: item[1], reverse=True)
    result = pd.Series(pd.NA, index=values.index, dtype="object")
    result[values.notna()] = below
    for name, bound in reversed(ordered):
        result[values >= bound] = name
    return result.astype("str")


def knowledge_score(n_correct: int, n_items: int) -> float:
    """Knowledge score = n_correct / n_items × 100, computed as one division of integers.

    References
    ----------
    Arikunto, S. (2013). *Prosedur Penelitian: Suatu Pendekatan Praktik*. Rineka Cipta.

    Examples
    --------
    >>> knowledge_score(19, 25), knowledge_score(24, 25), knowledge_score(0, 25)
    (76.0, 96.0, 0.0)
    """
    return 100 * n_correct / n_items


def hake_n_gain(pre, post, maximum: float = 100.0):
    """Hake's normalised gain g = (post − pre) / (maximum − pre); NaN when pre = maximum.

    g is the share of the possible improvement actually achieved; negative when the
    score fell.  Undefined (NaN) when the pre score is already the maximum.  Works on
    numbers (returns a float) and on arrays (returns an array).

    g is computed exactly and rounded once, so a gain that is mathematically 7/10 is
    exactly ``0.7`` and falls in the category whose lower bound is 0.7, whether it is
    computed from item counts (11 → 18 of 21: 7/10) or from the percentage scores
    100·11/21 → 100·18/21.  Each value is read as the simplest fraction (denominator at
    most 10 000) that rounds to it — 100·11/21 as 1100/21, 52.4 as 262/5 — and as its
    exact binary value when there is none.

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods: a
    six-thousand-student survey of mechanics test data for introductory physics
    courses. *American Journal of Physics*, 66(1), 64–74.

    Examples
    --------
    >>> hake_n_gain(76, 100), hake_n_gain(60, 80), hake_n_gain(100, 100)
    (1.0, 0.5, nan)
    >>> hake_n_gain(19, 22, maximum=25)
    0.5
    >>> hake_n_gain(100 * 11 / 21, 100 * 18 / 21)
    0.7
    >>> hake_n_gain(np.array([60.0, 100.0]), np.array([80.0, 100.0])).tolist()
    [0.5, nan]
    """
    pre, post = np.broadcast_arrays(np.asarray(pre, dtype=float), np.asarray(post, dtype=float))
    top = _simplest_fraction(float(maximum)) if math.isfinite(maximum) else None
    if pre.ndim == 0:
        return _exact_gain(float(pre), float(post), top)
    # Each distinct (pre, post) pair once: a test of n items has at most (n + 1)² of them.
    pairs, where = np.unique(
        np.stack([pre.ravel(), post.ravel()], axis=1), axis=0, return_inverse=True
    )
    gains = np.array([_exact_gain(a, b, top) for a, b in pairs], dtype=float)
    gain = gains[where.ravel()].reshape(pre.shape)
    return gain


#: Largest denominator :func:`hake_n_gain` looks for when it reads a score as a fraction.
SIMPLEST_DENOMINATOR = 10_000


def _simplest_fraction(value: float) -> Fraction:
    exact = Fraction(value)
    simple = exact.limit_denominator(SIMPLEST_DENOMINATOR)
    return simple if float(simple) == value else exact


def _exact_gain(pre: float, post: float, maximum: Fraction | None) -> float:
    if not (math.isfinite(pre) and math.isfinite(post)) or maximum is None:
        return math.nan
    low = _simplest_fraction(pre)
    room = maximum - low
    return float((_simplest_fraction(post) - low) / room) if room else math.nan


def knowledge_scores(
    responses: pd.DataFrame, categories: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Score per person and phase from the long responses table.

    Parameters
    ----------
    responses : DataFrame
        ``cohort, participant_id, phase, item_id, response, correct``.
    categories : mapping, optional
        Lower bounds of the knowledge categories (default baik 76, cukup 56, kurang 0).

    Returns
    -------
    DataFrame
        ``cohort, participant_id, phase, score, n_correct, n_items, category``.

    Examples
    --------
    >>> r = pd.DataFrame({"cohort": "c", "participant_id": "K01", "phase": "pre",
    ...                   "item_id": ["P01", "P02", "P03", "P04"], "response": "a",
    ...                   "correct": [True, True, True, False]})
    >>> knowledge_scores(r)[["score", "n_correct", "n_items", "category"]].to_numpy().tolist()
    [[75.0, 3, 4, 'cukup']]
    """
    bounds = categories or DEFAULT_SCORING["knowledge_categories"]
    grouped = responses.groupby(["cohort", "participant_id", "phase"], sort=False)["correct"]
    frame = grouped.agg(n_correct="sum", n_items="size").reset_index()
    frame["score"] = [
        knowledge_score(int(k), int(n))
        for k, n in zip(frame["n_correct"], frame["n_items"], strict=True)
    ]
    frame["category"] = categorise(frame["score"], bounds, BELOW_ALL["knowledge_categories"])
    name = "knowledge_scores"
    columns = tables.schema(name).column_names
    return tables.sort_table(tables.coerce(frame[columns], name), name)


def knowledge_wide(
    scores: pd.DataFrame,
    n_gain_categories: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One row per person: pre, post, gain, Hake's N-gain and its category, paired flag.

    N-gain is computed from the counts, g = (k_post − k_pre) / (n − k_pre), when both
    phases have the same number of items (exact for values such as 0.7), else from the
    scores.  ``n_gain_note`` says why it is missing: ``pre = max``, ``no pre-test`` or
    ``no post-test``.

    Examples
    --------
    >>> s = pd.DataFrame({"cohort": "c", "participant_id": ["K01", "K01", "K02"],
    ...                   "phase": ["pre", "post", "pre"], "score": [76.0, 100.0, 100.0],
    ...                   "n_correct": [19, 25, 25], "n_items": 25, "category": "baik"})
    >>> w = knowledge_wide(s)
    >>> w[["n_gain", "n_gain_category", "n_gain_note", "paired"]].to_numpy().tolist()
    [[1.0, 'tinggi', nan, True], [nan, nan, 'no post-test', False]]
    """
    bounds = n_gain_categories or DEFAULT_SCORING["n_gain_categories"]
    keys = ["cohort", "participant_id"]
    # pivot, not pivot_table: each (person, phase) occurs once and must not be aggregated.
    wide = scores.pivot(  # noqa: PD010
        index=keys, columns="phase", values=["score", "n_correct", "n_items"]
    )
    wide.columns = [f"{value}_{phase}" for value, phase in wide.columns]
    for value in ("score", "n_correct", "n_items"):
        for phase in ("pre", "post"):
            if f"{value}_{phase}" not in wide:
                wide[f"{value}_{phase}"] = np.nan
    wide = wide.reset_index()
    pre, post = wide["score_pre"].astype(float), wide["score_post"].astype(float)
    n_gain, notes = [], []
    for k_pre, k_post, n_pre, n_post, s_pre, s_post in zip(
        wide["n_correct_pre"],
        wide["n_correct_post"],
        wide["n_items_pre"],
        wide["n_items_post"],
        pre,
        post,
        strict=True,
    ):
        if pd.isna(s_pre) or pd.isna(s_post):
            n_gain.append(np.nan)
            notes.append("no pre-test" if pd.isna(s_pre) else "no post-test")
        elif n_pre == n_post:
            g = hake_n_gain(float(k_pre), float(k_post), maximum=float(n_pre))
            n_gain.append(g)
            notes.append("pre = max" if np.isnan(g) else None)
        else:
            g = hake_n_gain(s_pre, s_post)
            n_gain.append(g)
            notes.append("pre = max" if np.isnan(g) else None)
    frame = pd.DataFrame(
        {
            "cohort": wide["cohort"],
            "participant_id": wide["participant_id"],
            "pre": pre,
            "post": post,
            "gain": post - pre,
            "n_gain": pd.Series(n_gain, dtype=float),
        }
    )
    frame["n_gain_category"] = categorise(frame["n_gain"], bounds, BELOW_ALL["n_gain_categories"])
    frame["n_gain_note"] = pd.Series(notes, dtype="str")
    categories = scores.set_index([*keys, "phase"])["category"]
    for phase in ("pre", "post"):
        frame[f"{phase}_category"] = [
            categories.get((c, p, phase))
            for c, p in zip(frame["cohort"], frame["participant_id"], strict=True)
        ]
    frame["paired"] = pre.notna() & post.notna()
    name = "knowledge_wide"
    return tables.sort_table(tables.coerce(frame, name), name)


def skill_scores(
    skill_steps: pd.DataFrame,
    participants: pd.DataFrame,
    categories: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Skill score per cadre = Σ points / Σ max_points × 100, with group, assessor, category.

    Examples
    --------
    >>> steps = pd.DataFrame({"cohort": "c", "participant_id": "K01",
    ...                       "step_id": ["L01", "L02"], "points": [2, 1], "max_points": 2})
    >>> people = pd.DataFrame({"cohort": ["c"], "participant_id": ["K01"], "group": ["1"],
    ...                        "assessor": ["A01"]})
    >>> scores = skill_scores(steps, people)
    >>> scores[["points", "max_points", "score", "category"]].to_numpy().tolist()
    [[3, 4, 75.0, 'cukup']]
    """
    bounds = categories or DEFAULT_SCORING["skill_categories"]
    keys = ["cohort", "participant_id"]
    sums = skill_steps.groupby(keys, sort=False)[["points", "max_points"]].sum().reset_index()
    sums["score"] = [
        100 * int(p) / int(m) for p, m in zip(sums["points"], sums["max_points"], strict=True)
    ]
    sums["category"] = categorise(sums["score"], bounds, BELOW_ALL["skill_categories"])
    frame = sums.merge(participants[[*keys, "group", "assessor"]], on=keys, how="left")
    name = "skill_scores"
    columns = tables.schema(name).column_names
    return tables.sort_table(tables.coerce(frame[columns], name), name)


#: The clean tables :func:`score_study` reads.
SCORE_INPUTS = ("responses", "skill_steps", "participants")


def score_study(
    responses: pd.DataFrame,
    skill_steps: pd.DataFrame,
    participants: pd.DataFrame,
    scoring: Mapping[str, object] | None = None,
) -> dict[str, pd.DataFrame]:
    """Second half of the clean_score_shard rule: every score table from the clean tables.

    Returns
    -------
    dict of str to DataFrame
        ``knowledge_scores``, ``knowledge_wide``, ``skill_scores``, schema-checked.
    """
    rules = scoring_rules(scoring)
    scores = knowledge_scores(responses, rules["knowledge_categories"])
    out = {
        "knowledge_scores": scores,
        "knowledge_wide": knowledge_wide(scores, rules["n_gain_categories"]),
        "skill_scores": skill_scores(skill_steps, participants, rules["skill_categories"]),
    }
    return {name: tables.validate(frame, name) for name, frame in out.items()}
