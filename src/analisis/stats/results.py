"""Assemble the result files of the analyse stage from the processed tables.

Pure functions for the pipeline adapters: DataFrames in (shapes in docs/contracts.md),
result types (:mod:`analisis.results`) and DataFrames out; the adapter writes them with
:mod:`analisis.outputs`. Defaults come from the config schema (:mod:`analisis.config`).
The study-wide statistics take every cohort present in the tables as one sample
(``cohorts`` lists them; knowledge_details.json's ``pooling`` says whether that ignores
villages); a person, a group and an assessor are always (cohort, id).
:func:`village_results` assembles the per-village and pooled results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pandas as pd

from analisis.config import DEFAULTS, n_gain_cutoffs
from analisis.outputs import to_jsonable
from analisis.results import (
    ItemsSummary,
    PooledAnalysis,
    PooledSkill,
    SkillResult,
    VillagePooling,
)
from analisis.stats.descriptives import describe
from analisis.stats.items import ItemCounts, item_analysis_of_counts, item_counts, responses_of
from analisis.stats.meta import random_effects_meta
from analisis.stats.mixed import random_intercept_mean
from analisis.stats.ngain import category_shift_table
from analisis.stats.pool import pool_villages
from analisis.stats.skill import (
    group_comparison,
    group_table,
    skill_summary,
    steps_summary,
    study_steps_summary,
)
from analisis.stats.summary import paired_details, paired_summary
from analisis.stats.villages import by_village, steps_by_village

ANALYSIS, SCORING = DEFAULTS["analysis"], DEFAULTS["scoring"]
DESCRIPTIVE_COLUMNS = (
    "n", "mean", "ci95_lower", "ci95_upper", "sd", "se", "median", "q1", "q3", "min", "max",
    "share_at_max",
)  # fmt: skip


def _as_bool(values: pd.Series) -> pd.Series:
    if values.dtype == bool:
        return values
    return values.astype(str).str.strip().str.lower().isin(("true", "1", "1.0", "yes"))


def levels_best_first(categories: Mapping[str, float]) -> list[str]:
    """Category names ordered by their lower bound, best first (the config's cut-off form).

    Examples
    --------
    >>> levels_best_first({"cukup": 56, "kurang": 0, "baik": 76})
    ['baik', 'cukup', 'kurang']
    """
    return sorted(categories, key=lambda name: categories[name], reverse=True)


def paired_rows(knowledge_wide: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``paired`` true, sorted by (cohort, participant_id) so results are stable.

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": ["c"] * 3, "participant_id": ["K02", "K01", "K03"],
    ...                   "pre": [60.0, 80.0, 70.0], "post": [100.0, 96.0, None],
    ...                   "paired": [True, True, False]})
    >>> paired_rows(w)["participant_id"].tolist()
    ['K01', 'K02']
    """
    rows = knowledge_wide[_as_bool(knowledge_wide["paired"])]
    return rows.sort_values(["cohort", "participant_id"], kind="mergesort", ignore_index=True)


def knowledge_descriptives(
    paired: pd.DataFrame, knowledge_scores: pd.DataFrame, *, max_score: float
) -> pd.DataFrame:
    """Tidy descriptives: the paired sample (pre, post, difference) and everyone tested.

    Columns ``sample`` ("paired" or "all_tested"), ``phase`` ("pre", "post",
    "difference") and :func:`~analisis.stats.descriptives.describe`'s keys.

    Examples
    --------
    >>> p = pd.DataFrame({"pre": [60.0, 80.0], "post": [100.0, 100.0]})
    >>> s = pd.DataFrame({"phase": ["pre", "pre", "pre", "post", "post"],
    ...                   "score": [60.0, 80.0, 40.0, 100.0, 100.0]})
    >>> t = knowledge_descriptives(p, s, max_score=100)
    >>> t[["sample", "phase", "n", "mean"]].values.tolist()[-2:]
    [['all_tested', 'pre', 3, 60.0], ['all_tested', 'post', 2, 100.0]]
    """
    pre = paired["pre"].to_numpy(float)
    post = paired["post"].to_numpy(float)
    rows = [
        {"sample": "paired", "phase": "pre", **describe(pre, max_score=max_score)},
        {"sample": "paired", "phase": "post", **describe(post, max_score=max_score)},
        {"sample": "paired", "phase": "difference", **describe(post - pre)},
    ]
    for phase in ("pre", "post"):
        scores = knowledge_scores.loc[knowledge_scores["phase"] == phase, "score"].dropna()
        rows.append(
            {
                "sample": "all_tested",
                "phase": phase,
                **describe(scores.to_numpy(float), max_score=max_score),
            }
        )
    return pd.DataFrame(rows, columns=["sample", "phase", *DESCRIPTIVE_COLUMNS])


def knowledge_results(
    knowledge_wide: pd.DataFrame,
    knowledge_scores: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    *,
    item_parts: Sequence[ItemCounts] | None = None,
    max_score: float = 100,
    alpha: float = ANALYSIS["alpha"],
    normality_alpha: float = ANALYSIS["normality_alpha"],
    primary_test: str = ANALYSIS["primary_test"],
    bootstrap_resamples: int = ANALYSIS["bootstrap_resamples"],
    seed: int = ANALYSIS["seed"],
    n_gain_categories: Mapping[str, float] = SCORING["n_gain_categories"],
    knowledge_categories: Mapping[str, float] = SCORING["knowledge_categories"],
) -> dict[str, object]:
    """Every knowledge result of the study, ready to write.

    Category cut-offs come in the config's form, ``{name: inclusive lower bound}``.

    Only rows of ``knowledge_wide`` with ``paired`` true enter the paired statistics and
    the item analysis (responses of other people are left out, so every knowledge result
    describes the same people; a person is (cohort, participant_id)). The item analysis
    reads either the long ``responses`` or, for a programme, ``item_parts``: the
    :class:`~analisis.stats.items.ItemCounts` of the paired people of each shard
    (:func:`~analisis.stats.shard.shard_summaries`), so no job holds every answer.

    Returns
    -------
    dict
        * ``knowledge_paired`` (:class:`~analisis.results.PairedSummary`): exactly the
          ``analisis paired`` schema, with N-gain.
        * ``knowledge_details`` (:class:`~analisis.results.PairedDetails`):
          :func:`~analisis.stats.summary.paired_details`.
        * ``knowledge_descriptives`` (DataFrame): :func:`knowledge_descriptives`.
        * ``knowledge_category_shift`` (DataFrame): ``pre_category, post_category, n,
          direction``.
        * ``n_gain_categories`` (DataFrame): ``category, rule, n, share``.
        * ``item_analysis`` (DataFrame) and ``items_summary``
          (:class:`~analisis.results.ItemsSummary`): :func:`~analisis.stats.items.item_analysis`.
    """
    paired = paired_rows(knowledge_wide)
    pre = paired["pre"].to_numpy(float)
    post = paired["post"].to_numpy(float)
    n_not_paired = int(len(knowledge_wide) - len(paired))
    summary, _ = paired_summary(
        pre,
        post,
        max_score=max_score,
        normality_alpha=normality_alpha,
        primary_test=primary_test,
        n_excluded=n_not_paired,
    )
    n_villages = int(knowledge_wide["cohort"].nunique())
    details = paired_details(
        pre,
        post,
        max_score=max_score,
        bootstrap_resamples=bootstrap_resamples,
        seed=seed,
        normality_alpha=normality_alpha,
        alpha=alpha,
        primary_test=primary_test,
        n_gain_cutoffs=n_gain_cutoffs(n_gain_categories),
        n_not_paired=n_not_paired,
        cohorts=sorted(str(c) for c in knowledge_wide["cohort"].unique()),
    )
    details = dataclasses.replace(details, pooling=VillagePooling.of(n_villages))
    if item_parts is None:
        item_parts = [item_counts(responses_of(paired, responses))]
    items, items_summary = item_analysis_of_counts(item_parts, alpha=alpha)
    return {
        "knowledge_paired": summary,
        "knowledge_details": details,
        "knowledge_descriptives": knowledge_descriptives(
            paired, knowledge_scores, max_score=max_score
        ),
        "knowledge_category_shift": category_shift_table(
            paired["pre_category"],
            paired["post_category"],
            levels_best_first(knowledge_categories),
        ),
        "n_gain_categories": pd.DataFrame([row.to_dict() for row in details.n_gain_categories]),
        "item_analysis": items,
        "items_summary": ItemsSummary.from_dict({"participants": "paired only", **items_summary}),
    }


def skill_results(
    skill_scores: pd.DataFrame,
    skill_steps: pd.DataFrame | None = None,
    *,
    step_counts_parts: Sequence[pd.DataFrame] | None = None,
    step_summary_parts: Sequence[pd.DataFrame] = (),
    competence_threshold: float = ANALYSIS["competence_threshold"],
    skill_categories: Mapping[str, float] = SCORING["skill_categories"],
    alternative: str = "two-sided",
) -> dict[str, object]:
    """Every skill result of the study, ready to write.

    The top category (for the Wilson interval) is the one with the highest lower bound
    in ``skill_categories``. The steps come as the long ``skill_steps`` or, for a
    programme, as each shard's :func:`~analisis.stats.skill.step_counts`
    (``step_counts_parts``) and its own steps summary (``step_summary_parts``), reduced
    by :func:`~analisis.stats.skill.study_steps_summary`.

    Returns
    -------
    dict
        * ``skill`` (:class:`~analisis.results.SkillResult`): descriptives, the tests
          against the threshold, the top category's Wilson CI, the group comparison.
        * ``skill_groups`` (DataFrame): ``group, n, mean, sd, median, min, max, assessor``.
        * ``skill_steps_summary`` (DataFrame): ``step_id, n, max_points, mean_points,
          sd_points, mean_share, share_full, n_full, rank`` (weakest first).

    Examples
    --------
    >>> s = pd.DataFrame({"cohort": "c", "participant_id": ["K1", "K2", "K3", "K4"],
    ...                   "group": ["A", "A", "B", "B"], "assessor": "X",
    ...                   "score": [80.0, 90.0, 85.0, 95.0],
    ...                   "category": ["baik", "baik", "baik", "baik"]})
    >>> st = pd.DataFrame({"step_id": ["L01"] * 4, "points": [2, 2, 1, 2], "max_points": 2})
    >>> r = skill_results(s, st, competence_threshold=75)
    >>> r["skill"].mean, r["skill"].top_category.share, len(r["skill_groups"])
    (87.5, 1.0, 2)
    """
    scores = skill_scores.sort_values(["cohort", "participant_id"], kind="mergesort")
    skill = skill_summary(
        scores["score"].to_numpy(float),
        scores["category"],
        competence_threshold=competence_threshold,
        top_category=levels_best_first(skill_categories)[0],
        alternative=alternative,
    )
    skill["group_comparison"] = group_comparison(
        scores["score"].to_numpy(float), scores["group"], cohorts=scores["cohort"]
    )
    skill["cohorts"] = sorted(str(c) for c in scores["cohort"].unique())
    return {
        "skill": SkillResult.from_dict(skill),
        "skill_groups": group_table(scores),
        "skill_steps_summary": (
            steps_summary(skill_steps)
            if step_counts_parts is None
            else study_steps_summary(step_counts_parts, step_summary_parts)
        ),
    }


def pooled_skill(
    skill_scores: pd.DataFrame, *, method: str, test: str, target: float | None
) -> PooledSkill:
    """Skill scores over villages: meta-analysis of the village means and a mixed model.

    ``meta_mean``: random-effects meta-analysis
    (:func:`~analisis.stats.meta.random_effects_meta`) of y_j = mean score of village j
    with v_j = SD²_j / n_j (SD with ddof 1), over villages with at least 2 scores that
    are not all equal (else v_j is 0 or undefined). ``mixed_mean``:
    :func:`~analisis.stats.mixed.random_intercept_mean` of every score with a random
    intercept per village; ``target`` flags villages whose interval lies wholly below.
    Either part is None when fewer than 2 villages qualify (the mixed model also when no
    village has two different scores).

    Examples
    --------
    >>> s = pd.DataFrame({"cohort": list("aaabbb"), "score": [70, 80, 90, 60, 65, 80.0]})
    >>> r = pooled_skill(s, method="dl", test="z", target=75)
    >>> r.meta_mean.k, round(r.meta_mean.estimate, 4), len(r.mixed_mean.blups)
    (2, 74.2857, 2)
    """
    stats_ = skill_scores.groupby("cohort", sort=True)["score"].agg(["mean", "var", "count"])
    usable = stats_[(stats_["count"] >= 2) & (stats_["var"] > 0)]
    meta = None
    if len(usable) >= 2:
        meta = random_effects_meta(
            usable["mean"].to_numpy(float),
            (usable["var"] / usable["count"]).to_numpy(float),
            [str(c) for c in usable.index],
            method=method,
            test=test,
        )
    scores = skill_scores.dropna(subset=["score"]).sort_values("cohort", kind="mergesort")
    mixed = None
    # The model needs spread within at least one village (else sigma² = 0).
    if scores["cohort"].nunique() >= 2 and (stats_["var"] > 0).any():
        mixed = random_intercept_mean(
            scores["score"].to_numpy(float), scores["cohort"].astype(str), target
        )
    document = {
        "meta_mean": None if meta is None else meta.to_dict(),
        "mixed_mean": None if mixed is None else mixed.to_dict(),
    }
    return PooledSkill.from_dict(to_jsonable(document), source="pooled.json", where="skill")


def each_village(
    knowledge_wide: pd.DataFrame,
    skill_scores: pd.DataFrame,
    skill_steps: pd.DataFrame,
    *,
    max_score: float = 100,
    normality_alpha: float = ANALYSIS["normality_alpha"],
    competence_threshold: float = ANALYSIS["competence_threshold"],
    n_gain_categories: Mapping[str, float] = SCORING["n_gain_categories"],
    primary_test: str = ANALYSIS["primary_test"],
) -> dict[str, pd.DataFrame]:
    """Each village on its own: ``by_village`` (:func:`~analisis.stats.villages.by_village`)
    and ``skill_steps_by_village`` (:func:`~analisis.stats.villages.steps_by_village`).

    A village's rows depend on that village alone, so a shard computes its villages' rows
    and :func:`concat_village_parts` puts the shards' together.

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": ["a", "a"], "participant_id": ["K01", "K02"],
    ...                   "pre": [50.0, 60.0], "post": [70.0, 90.0], "paired": True})
    >>> s = w[["cohort"]].assign(score=[70.0, 80.0])
    >>> st = w[["cohort"]].assign(step_id="L01", points=[2, 1], max_points=2)
    >>> t = each_village(w, s, st)
    >>> t["by_village"]["gain_mean"].tolist(), t["skill_steps_by_village"]["share_full"].tolist()
    ([25.0], [0.5])
    """
    return {
        "by_village": by_village(
            knowledge_wide,
            skill_scores,
            max_score=max_score,
            normality_alpha=normality_alpha,
            competence_threshold=competence_threshold,
            n_gain_cutoffs=n_gain_cutoffs(n_gain_categories),
            primary_test=primary_test,
        ),
        "skill_steps_by_village": steps_by_village(skill_steps),
    }


def village_results(
    knowledge_wide: pd.DataFrame,
    skill_scores: pd.DataFrame,
    skill_steps: pd.DataFrame | None = None,
    *,
    village_tables: Mapping[str, pd.DataFrame] | None = None,
    max_score: float = 100,
    normality_alpha: float = ANALYSIS["normality_alpha"],
    competence_threshold: float = ANALYSIS["competence_threshold"],
    n_gain_categories: Mapping[str, float] = SCORING["n_gain_categories"],
    pooling_method: str = ANALYSIS["pooling_method"],
    pooling_test: str = ANALYSIS["pooling_test"],
    target: float | None = ANALYSIS["target"],
    skill_target: float | None = ANALYSIS["skill_target"],
    primary_test: str = ANALYSIS["primary_test"],
) -> dict[str, object]:
    """The results of each village on its own and, with two or more, pooled over them.

    The tables of each village on its own come from ``skill_steps`` and the other tables
    or, for a programme, ready made: ``village_tables`` holds ``by_village`` and
    ``skill_steps_by_village`` (each shard's, :func:`concat_village_parts`).

    Returns
    -------
    dict
        * ``by_village`` (DataFrame): :func:`~analisis.stats.villages.by_village`.
        * ``skill_steps_by_village`` (DataFrame):
          :func:`~analisis.stats.villages.steps_by_village`.
        * ``pooled`` (:class:`~analisis.results.PooledAnalysis`, only with two or more
          villages): :func:`~analisis.stats.pool.pool_villages` of the paired rows
          (village = cohort; ``target`` flags villages whose gain interval lies wholly
          below it) plus :func:`pooled_skill` (``skill_target``, None: the competence
          threshold).

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": list("aaabbb"), "participant_id": ["K01", "K02", "K03"] * 2,
    ...                   "pre": [50, 60, 70, 40, 50, 60.0], "post": [70, 75, 95, 60, 62, 90.0],
    ...                   "paired": True})
    >>> s = w[["cohort"]].assign(score=[70, 80, 90, 60, 65, 80.0])
    >>> st = w[["cohort"]].assign(step_id="L01", points=[2, 1, 2, 2, 2, 0], max_points=2)
    >>> r = village_results(w, s, st)
    >>> r["by_village"]["n_pairs"].tolist(), r["pooled"].n_villages, r["pooled"].meta_gain.k
    ([3, 3], 2, 2)
    """
    if village_tables is None:
        village_tables = each_village(
            knowledge_wide,
            skill_scores,
            skill_steps,
            max_score=max_score,
            normality_alpha=normality_alpha,
            competence_threshold=competence_threshold,
            n_gain_categories=n_gain_categories,
            primary_test=primary_test,
        )
    results: dict[str, object] = dict(village_tables)
    cohorts = {*knowledge_wide["cohort"], *skill_scores["cohort"]}
    if len(cohorts) < 2:
        return results
    options = {"method": pooling_method, "test": pooling_test}
    pool = pool_villages(paired_rows(knowledge_wide), village="cohort", target=target, **options)
    skill = pooled_skill(
        skill_scores,
        target=competence_threshold if skill_target is None else skill_target,
        **options,
    )
    document = {**to_jsonable(pool.to_dict()), "skill": skill.to_dict()}
    results["pooled"] = PooledAnalysis.from_dict(document, source="pooled.json")
    return results


def concat_village_parts(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Per-village tables of disjoint groups of villages (shards) as one: the rows of each
    village kept in their order, villages sorted by cohort as one table's would be.

    Examples
    --------
    >>> a = pd.DataFrame({"cohort": ["b", "b"], "rank": [1, 2]})
    >>> concat_village_parts([a, pd.DataFrame({"cohort": ["a"], "rank": [1]})]).values.tolist()
    [['a', 1], ['b', 1], ['b', 2]]
    """
    table = pd.concat(parts, ignore_index=True)
    return table.sort_values(
        "cohort", kind="mergesort", key=lambda c: c.astype(str), ignore_index=True
    )
