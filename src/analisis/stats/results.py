"""Assemble the result files of the analyse stage from the processed tables.

Pure functions for the pipeline adapters: DataFrames in (shapes in docs/contracts.md),
result types (:mod:`analisis.results`) and DataFrames out; the adapter writes them with
:mod:`analisis.outputs`. Defaults come from the config schema (:mod:`analisis.config`).
Statistics pool every cohort present in the tables; ``cohorts`` lists them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analisis.config import DEFAULTS, n_gain_cutoffs
from analisis.results import ItemsSummary, SkillResult
from analisis.stats.descriptives import describe
from analisis.stats.items import item_analysis
from analisis.stats.ngain import category_shift_table
from analisis.stats.skill import group_comparison, group_table, skill_summary, steps_summary
from analisis.stats.summary import paired_details, paired_summary

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
    responses: pd.DataFrame,
    *,
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
    describes the same people).

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
        * ``knowledge_by_cohort`` (DataFrame): :func:`knowledge_by_cohort`.
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
    people = set(paired["participant_id"])
    items, items_summary = item_analysis(
        responses[responses["participant_id"].isin(people)], alpha=alpha
    )
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
        "knowledge_by_cohort": knowledge_by_cohort(
            knowledge_wide,
            max_score=max_score,
            normality_alpha=normality_alpha,
            primary_test=primary_test,
        ),
        "item_analysis": items,
        "items_summary": ItemsSummary.from_dict({"participants": "paired only", **items_summary}),
    }


def skill_results(
    skill_scores: pd.DataFrame,
    skill_steps: pd.DataFrame,
    *,
    competence_threshold: float = ANALYSIS["competence_threshold"],
    skill_categories: Mapping[str, float] = SCORING["skill_categories"],
    alternative: str = "two-sided",
) -> dict[str, object]:
    """Every skill result of the study, ready to write.

    The top category (for the Wilson interval) is the one with the highest lower bound
    in ``skill_categories``.

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
    skill["group_comparison"] = group_comparison(scores["score"].to_numpy(float), scores["group"])
    skill["cohorts"] = sorted(str(c) for c in scores["cohort"].unique())
    return {
        "skill": SkillResult.from_dict(skill),
        "skill_groups": group_table(scores),
        "skill_steps_summary": steps_summary(skill_steps),
    }


#: Columns of :func:`knowledge_by_cohort`.
BY_COHORT_COLUMNS = (
    "cohort", "n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "difference_mean",
    "difference_ci95_lower", "difference_ci95_upper", "t", "df", "p_t_test", "d_z", "V",
    "p_wilcoxon", "primary_test",
)  # fmt: skip


def knowledge_by_cohort(
    knowledge_wide: pd.DataFrame,
    *,
    max_score: float = 100,
    normality_alpha: float = ANALYSIS["normality_alpha"],
    primary_test: str = ANALYSIS["primary_test"],
) -> pd.DataFrame:
    """The paired analysis of each cohort on its own, one row per cohort.

    The pooled results treat every cadre alike; with several villages a reader first
    wants to see whether the gain holds in each.  Every number comes from
    :func:`~analisis.stats.summary.paired_summary`, as in the pooled analysis.

    Examples
    --------
    >>> w = pd.DataFrame({"cohort": ["a"] * 3 + ["b"] * 3,
    ...                   "participant_id": ["K01", "K02", "K03"] * 2,
    ...                   "pre": [60.0, 70.0, 80.0, 50.0, 60.0, 70.0],
    ...                   "post": [80.0, 84.0, 96.0, 60.0, 72.0, 76.0], "paired": True})
    >>> table = knowledge_by_cohort(w)
    >>> table[["cohort", "n_pairs", "difference_mean"]].values.tolist()
    [['a', 3, 16.666666666666668], ['b', 3, 9.333333333333334]]
    """
    rows = []
    for cohort, pairs in paired_rows(knowledge_wide).groupby("cohort", sort=True):
        summary, _ = paired_summary(
            pairs["pre"].to_numpy(float),
            pairs["post"].to_numpy(float),
            max_score=max_score,
            normality_alpha=normality_alpha,
            primary_test=primary_test,
        )
        difference, t_test, wilcoxon = summary.difference, summary.t_test, summary.wilcoxon
        rows.append(
            {
                "cohort": cohort,
                "n_pairs": summary.n_pairs,
                "pre_mean": summary.pre.mean,
                "pre_sd": summary.pre.sd,
                "post_mean": summary.post.mean,
                "post_sd": summary.post.sd,
                "difference_mean": difference.mean,
                "difference_ci95_lower": difference.ci95[0],
                "difference_ci95_upper": difference.ci95[1],
                "t": t_test.t,
                "df": t_test.df,
                "p_t_test": t_test.p,
                "d_z": summary.effect_size.d_z,
                "V": wilcoxon.V,
                "p_wilcoxon": wilcoxon.p,
                "primary_test": summary.primary_test,
            }
        )
    return pd.DataFrame(rows, columns=list(BY_COHORT_COLUMNS))
