"""What one shard of villages sends to the study-wide analyses.

A shard (:mod:`analisis.shards`) cleans and scores its villages, then summarises them
here: each village's rows of ``by_village.csv`` and ``skill_steps_by_village.csv``
(a village's rows depend on that village alone), and the sufficient statistics of the
study-wide item analysis (:class:`~analisis.stats.items.ItemCounts` of its paired people)
and of the checklist steps (:func:`~analisis.stats.skill.step_counts`), and, for delayed
post-tests, the items answered, forgotten and learned between the waves
(:func:`~analisis.stats.waves.forgetting_counts`; empty without follow-ups). The study-wide
jobs add these up (:func:`~analisis.stats.items.item_analysis_of_counts`,
:func:`~analisis.stats.skill.study_steps_summary`,
:func:`~analisis.stats.results.concat_village_parts`), so no job holds every answer of a
programme, and an edit to one village recomputes the village statistics of one shard only.

A shard also sends what only its answers in order give, the floating-point
discrimination of its items and the summary of its steps: a study of one shard reports
those, the same bytes as when one job read every answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analisis.adapter import file_list
from analisis.stats.items import ItemCounts, item_counts, responses_of
from analisis.stats.results import each_village, paired_rows
from analisis.stats.skill import step_counts, steps_summary
from analisis.stats.waves import forgetting_counts

#: Text columns of the summaries (read back as text whatever they look like).
TEXT_COLUMNS = {"cohort": str, "participant_id": str, "phase": str, "item_id": str, "step_id": str}


def shard_summaries(
    tables: Mapping[str, pd.DataFrame], analysis: Mapping[str, Any], scoring: Mapping[str, Any]
) -> dict[str, pd.DataFrame]:
    """The :data:`~analisis.registry.SHARD_SUMMARIES` of a shard's clean and scored tables.

    ``tables`` holds ``knowledge_wide``, ``skill_scores``, ``skill_steps`` and
    ``responses``; ``analysis`` and ``scoring`` are the config's blocks.

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": "a", "participant_id": ["K01", "K02"],
    ...                   "pre": [50.0, 60.0], "post": [100.0, 50.0], "paired": True})
    >>> r = pd.DataFrame({"cohort": "a", "participant_id": ["K01", "K01", "K02", "K02"],
    ...                   "phase": ["pre", "post"] * 2, "item_id": "P1",
    ...                   "correct": [False, True, True, False]})
    >>> st = w[["cohort"]].assign(step_id="L01", points=[2.0, 1.0], max_points=2.0)
    >>> from analisis.config import DEFAULTS
    >>> s = shard_summaries({"knowledge_wide": w, "responses": r, "skill_steps": st,
    ...                      "skill_scores": w[["cohort"]].assign(score=[90.0, 70.0])},
    ...                     DEFAULTS["analysis"], DEFAULTS["scoring"])
    >>> s["by_village"]["n_pairs"].tolist(), s["item_counts"]["n_paired"].tolist()
    ([2], [2])
    """
    wide, steps = tables["knowledge_wide"], tables["skill_steps"]
    villages = each_village(
        wide,
        tables["skill_scores"],
        steps,
        normality_alpha=analysis["normality_alpha"],
        competence_threshold=analysis["competence_threshold"],
        n_gain_categories=scoring["n_gain_categories"],
        primary_test=analysis["primary_test"],
    )
    counts = item_counts(responses_of(paired_rows(wide), tables["responses"]))
    return {
        **villages,
        "item_counts": counts.items,
        "item_totals": counts.totals,
        "step_counts": step_counts(steps),
        "skill_steps_summary": steps_summary(steps),
        "forgetting_counts": forgetting_counts(tables["responses"]),
    }


def read_summary(path: str) -> pd.DataFrame:
    """A summary file as written (text columns as text)."""
    return pd.read_csv(path, dtype=TEXT_COLUMNS, keep_default_na=False, na_values=[""])


def read_summaries(paths: str | Sequence[str]) -> list[pd.DataFrame]:
    """:func:`read_summary` of each shard's file (a named input of one file or of many)."""
    return [read_summary(path) for path in file_list(paths)]


def read_item_parts(counts: str | Sequence[str], totals: str | Sequence[str]) -> list[ItemCounts]:
    """The :class:`~analisis.stats.items.ItemCounts` of each shard, from its two files."""
    parts = zip(read_summaries(counts), read_summaries(totals), strict=True)
    return [ItemCounts(items, people) for items, people in parts]
