"""The published-values check of a whole study: every cohort that has a ``published:`` block.

The pipeline's entry points for the published-values check and the robustness search;
a reviewer without data uses :mod:`analisis.review.cli` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analisis.review.published import published_check, published_check_json
from analisis.review.robustness import robustness


def recomputed_values(knowledge_wide: pd.DataFrame, skill_scores: pd.DataFrame) -> dict:
    """The numbers a paper prints, recomputed from one cohort's scored tables.

    ``pre_mean``/``post_mean``/``gain`` use the paired cadres only, as a pre-post
    comparison must; ``skill_mean`` uses every cadre with a checklist.

    Examples
    --------
    >>> wide = pd.DataFrame({"pre": [76.0, 60.0, 80.0], "post": [100.0, 96.0, None],
    ...                      "paired": [True, True, False]})
    >>> skill = pd.DataFrame({"score": [80.0, 90.0]})
    >>> r = recomputed_values(wide, skill)
    >>> r["n_pairs"], r["pre_mean"], r["post_mean"], r["gain"], r["skill_mean"], r["skill_n"]
    (2, 68.0, 98.0, 30.0, 85.0, 2)
    """
    paired = knowledge_wide[knowledge_wide["paired"].astype(bool)]
    pre_mean, post_mean = float(paired["pre"].mean()), float(paired["post"].mean())
    return {
        "n_pairs": len(paired),
        "pre_mean": pre_mean,
        "post_mean": post_mean,
        "gain": post_mean - pre_mean,
        "skill_mean": float(skill_scores["score"].mean()),
        "skill_n": len(skill_scores),
    }


def study_published_check(
    cohorts: Sequence[Mapping], knowledge_wide: pd.DataFrame, skill_scores: pd.DataFrame
) -> dict[str, object]:
    """Printed versus recomputed values for every cohort with a ``published:`` block.

    Returns
    -------
    dict
        ``published_check`` (DataFrame: ``cohort`` then the columns of
        :func:`~analisis.review.published.published_check`) and
        ``published_check_json`` (``{"cohorts": [{"cohort", "source", "rounding",
        "rows"}]}``).
    """
    frames, documents = [], []
    for cohort in cohorts:
        if not cohort.get("published"):
            continue
        recomputed = recomputed_values(
            knowledge_wide[knowledge_wide["cohort"] == cohort["id"]],
            skill_scores[skill_scores["cohort"] == cohort["id"]],
        )
        frame = published_check(cohort["published"], recomputed)
        documents.append(
            {"cohort": cohort["id"], **published_check_json(frame, cohort["published"])}
        )
        frames.append(frame.assign(cohort=cohort["id"])[["cohort", *frame.columns]])
    return {
        "published_check": pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
        "published_check_json": {"cohorts": documents},
    }


def study_robustness(
    cohorts: Sequence[Mapping], progress: Callable[[int, int], None] | None = None
) -> dict:
    """The robustness search of every cohort whose ``published:`` block has pre and post means.

    Returns ``{"cohorts": [{"cohort": id, **robustness(...)}]}``.
    """
    results = []
    for cohort in cohorts:
        published = cohort.get("published")
        quantities = {v["quantity"] for v in (published or {}).get("values", [])}
        if {"pre_mean", "post_mean"} <= quantities:
            results.append({"cohort": cohort["id"], **robustness(published, progress=progress)})
    return {"cohorts": results}
