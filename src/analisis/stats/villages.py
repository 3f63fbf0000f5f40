"""One row per village: does the training work in each village, not only pooled?

Every number comes from the package's own statistics, applied to one village at a time:
:func:`~analisis.stats.summary.paired_summary` for the paired test and d_z,
:func:`~analisis.stats.descriptives.describe` for means and t intervals,
:func:`~analisis.stats.ngain.n_gain_summary` for Hake's class gain and
:func:`~analisis.stats.skill.steps_summary` for the checklist steps. A village is a value
of ``cohort``; people, groups and assessors are always taken within their village.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analisis.config import DEFAULTS
from analisis.stats.descriptives import describe
from analisis.stats.items import as_binary
from analisis.stats.ngain import n_gain_category, n_gain_summary
from analisis.stats.skill import group_table, steps_summary
from analisis.stats.summary import paired_summary

#: Columns of :func:`by_village` (by_village.csv).
BY_VILLAGE_COLUMNS = (
    "cohort", "n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "gain_mean",
    "gain_ci95_lower", "gain_ci95_upper", "d_z", "d_z_ci95_lower", "d_z_ci95_upper",
    "primary_test", "p_primary", "n_gain_class", "n_gain_class_category", "skill_n",
    "skill_mean", "skill_ci95_lower", "skill_ci95_upper", "skill_share_at_or_above_threshold",
)  # fmt: skip
#: Columns of :func:`steps_by_village`.
STEPS_BY_VILLAGE_COLUMNS = ("cohort", "step_id", "n", "mean_share", "share_full", "rank")


def _knowledge_row(
    pre: np.ndarray,
    post: np.ndarray,
    *,
    max_score: float,
    normality_alpha: float,
    primary_test: str,
    cutoffs,
) -> dict[str, object]:
    """The knowledge columns of one village; tests and d_z only from 2 pairs on."""
    n = pre.size
    row: dict[str, object] = {"n_pairs": int(n)}
    if n == 0:
        return row
    before, after, gain = describe(pre), describe(post), describe(post - pre)
    g = n_gain_summary(pre, post, max_score)["class"]
    row |= {
        "pre_mean": before["mean"],
        "pre_sd": before["sd"],
        "post_mean": after["mean"],
        "post_sd": after["sd"],
        "gain_mean": gain["mean"],
        "gain_ci95_lower": gain["ci95_lower"],
        "gain_ci95_upper": gain["ci95_upper"],
        "n_gain_class": g,
        "n_gain_class_category": n_gain_category([g], cutoffs)[0],
    }
    if n < 2:
        return row
    summary, _ = paired_summary(
        pre,
        post,
        max_score=max_score,
        normality_alpha=normality_alpha,
        primary_test=primary_test,
    )
    primary = summary.primary_test
    effect = summary.effect_size
    return row | {
        "d_z": effect.d_z,
        "d_z_ci95_lower": effect.d_z_ci95[0],
        "d_z_ci95_upper": effect.d_z_ci95[1],
        "primary_test": primary,
        "p_primary": getattr(summary, primary).p,
    }


def _skill_row(scores: np.ndarray, competence_threshold: float) -> dict[str, object]:
    described = describe(scores)
    return {
        "skill_n": described["n"],
        "skill_mean": described["mean"],
        "skill_ci95_lower": described["ci95_lower"],
        "skill_ci95_upper": described["ci95_upper"],
        "skill_share_at_or_above_threshold": (
            float(np.mean(scores >= competence_threshold)) if scores.size else math.nan
        ),
    }


def by_village(
    knowledge_wide: pd.DataFrame,
    skill_scores: pd.DataFrame,
    *,
    max_score: float,
    normality_alpha: float,
    competence_threshold: float,
    n_gain_cutoffs: Sequence[float],
    primary_test: str = DEFAULTS["analysis"]["primary_test"],
) -> pd.DataFrame:
    """Knowledge gain and skill of each village on its own, one row per village.

    Knowledge (rows of ``knowledge_wide`` with ``paired`` true): means and SDs (ddof 1)
    before and after; the mean gain d̄ = mean(post - pre) with its t interval
    d̄ ± t(0.975, n - 1) · SD / sqrt(n); Cohen's d_z = d̄ / SD(post - pre) with its
    noncentral-t interval; the primary test (Shapiro-Wilk rule) and its p; Hake's class
    gain <g> = (mean post - mean pre) / (max - mean pre) and its category under
    ``n_gain_cutoffs`` = (low, high). Skill: n, mean with its t interval, and the share
    of cadres with score >= ``competence_threshold``.

    A village with fewer than 2 pairs has NaN SDs, intervals, d_z and test (a test on one
    pair says nothing; exact Wilcoxon gives p = 1 by construction); with none, every
    knowledge column but ``n_pairs`` is NaN. A village with no skill scores has
    ``skill_n`` 0 and NaN skill columns.

    Returns
    -------
    DataFrame
        :data:`BY_VILLAGE_COLUMNS`, one row per cohort of either table, sorted by cohort.

    References
    ----------
    Hake, R. R. (1998). American Journal of Physics, 66(1), 64-74.
    Lakens, D. (2013). Frontiers in Psychology, 4, 863.

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": ["b", "b", "b", "a"], "participant_id": ["K01"] * 4,
    ...                   "pre": [60.0, 70.0, 80.0, 50.0], "post": [80.0, 84.0, 96.0, 70.0],
    ...                   "paired": True})
    >>> s = pd.DataFrame({"cohort": ["a", "b", "b"], "score": [70.0, 80.0, 90.0]})
    >>> t = by_village(w, s, max_score=100, normality_alpha=0.05,
    ...                competence_threshold=75, n_gain_cutoffs=(0.3, 0.7))
    >>> t[["cohort", "n_pairs", "skill_n"]].to_numpy().tolist()
    [['a', 1, 1], ['b', 3, 2]]
    >>> t["gain_mean"].round(4).tolist(), t["n_gain_class"].round(4).tolist()
    ([20.0, 16.6667], [0.4, 0.5556])
    >>> t["primary_test"].tolist(), t["skill_share_at_or_above_threshold"].tolist()
    ([nan, 't_test'], [0.0, 1.0])
    """
    pairs = knowledge_wide[as_binary(knowledge_wide["paired"]) == 1]
    cohorts = sorted({*knowledge_wide["cohort"], *skill_scores["cohort"]}, key=str)
    pre, post = pairs["pre"].to_numpy(float), pairs["post"].to_numpy(float)
    score = skill_scores["score"].to_numpy(float)
    # One split of each table (row positions per village), not a mask per village.
    pairs_at = pairs.groupby("cohort", sort=False).indices
    scores_at = skill_scores.groupby("cohort", sort=False).indices
    none = np.array([], dtype=int)
    rows = []
    for cohort in cohorts:
        at = pairs_at.get(cohort, none)
        knowledge = _knowledge_row(
            pre[at],
            post[at],
            max_score=max_score,
            normality_alpha=normality_alpha,
            primary_test=primary_test,
            cutoffs=n_gain_cutoffs,
        )
        scores = score[scores_at.get(cohort, none)]
        rows.append({"cohort": cohort, **knowledge, **_skill_row(scores, competence_threshold)})
    return pd.DataFrame(rows, columns=list(BY_VILLAGE_COLUMNS))


def groups_by_village(skill_scores: pd.DataFrame) -> pd.DataFrame:
    """Mentoring groups within their village: :func:`~analisis.stats.skill.group_table`.

    A group is (cohort, group); rows sorted by cohort, then group.

    Examples
    --------
    >>> s = pd.DataFrame({"cohort": ["a", "b", "a"], "group": ["K1", "K1", "K1"],
    ...                   "score": [80.0, 90.0, 100.0]})
    >>> groups_by_village(s)[["cohort", "group", "n", "mean"]].to_numpy().tolist()
    [['a', 'K1', 2, 90.0], ['b', 'K1', 1, 90.0]]
    """
    if "cohort" not in skill_scores.columns:
        raise ValueError("skill scores without a cohort column: villages cannot be told apart")
    return group_table(skill_scores)


def steps_by_village(skill_steps: pd.DataFrame) -> pd.DataFrame:
    """Checklist steps of each village: :func:`~analisis.stats.skill.steps_summary` per cohort.

    Per village and step: ``n`` cadres, ``mean_share`` = mean(points / max_points),
    ``share_full`` = share with points = max_points and ``rank`` (1 = weakest step of
    that village); rows by cohort, weakest step first.

    Examples
    --------
    >>> st = pd.DataFrame({"cohort": ["a", "a", "b", "b"], "step_id": ["L01", "L02"] * 2,
    ...                    "points": [2, 1, 0, 2], "max_points": 2})
    >>> steps_by_village(st)[["cohort", "step_id", "share_full"]].to_numpy().tolist()
    [['a', 'L02', 0.0], ['a', 'L01', 1.0], ['b', 'L01', 0.0], ['b', 'L02', 1.0]]
    """
    if skill_steps.empty:
        return pd.DataFrame(columns=list(STEPS_BY_VILLAGE_COLUMNS))
    return steps_summary(skill_steps, ["cohort"])[list(STEPS_BY_VILLAGE_COLUMNS)]
