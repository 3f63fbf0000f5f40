"""Skill checklist scores (after training only): threshold tests, top share, groups, steps."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import stats

from analisis.stats._arrays import as_float_array
from analisis.stats.descriptives import describe
from analisis.stats.paired import shapiro_wilk, wilcoxon_signed_rank

#: Columns of :func:`group_table` taken from :func:`~analisis.stats.descriptives.describe`.
GROUP_COLUMNS = ("n", "mean", "ci95_lower", "ci95_upper", "sd", "median", "min", "max")


def one_sample_tests(values, threshold: float, alternative: str = "two-sided") -> dict[str, object]:
    """One-sample t-test and Wilcoxon signed-rank test of the scores against ``threshold``.

    t = (mean - threshold) / (SD / sqrt(n)), df = n - 1 (scipy ``ttest_1samp``, as R
    ``t.test(x, mu = threshold)``); ``d`` = (mean - threshold) / SD. The Wilcoxon test is
    :func:`~analisis.stats.paired.wilcoxon_signed_rank` on score - threshold (R's
    ``wilcox.test(x, mu = threshold)``: V, zeros dropped). ``ci95`` is the two-sided 95%
    interval of the mean.

    Examples
    --------
    Scores 80, 90, 100 against 75: mean 90, SD 10, t = 15 / (10 / sqrt(3)) = 2.5981:

    >>> r = one_sample_tests([80, 90, 100], 75)
    >>> round(r["t_test"]["t"], 4), r["t_test"]["df"], r["t_test"]["d"], r["wilcoxon"]["V"]
    (2.5981, 2, 1.5, 6.0)
    """
    x = as_float_array(values)
    sd = float(np.std(x, ddof=1)) if x.size > 1 else math.nan
    if x.size > 1 and sd > 0:
        result = stats.ttest_1samp(x, threshold, alternative=alternative)
        ci = stats.ttest_1samp(x, threshold).confidence_interval(0.95)
        t_test = {
            "t": float(result.statistic),
            "df": int(x.size - 1),
            "p": float(result.pvalue),
            "ci95": [float(ci.low), float(ci.high)],
            "d": (float(np.mean(x)) - threshold) / sd,
            "note": None,
        }
    else:
        t_test = {
            "t": math.nan,
            "df": int(x.size - 1),
            "p": math.nan,
            "ci95": [math.nan, math.nan],
            "d": math.nan,
            "note": "all scores equal: t undefined",
        }
    return {
        "threshold": threshold,
        "alternative": alternative,
        "t_test": t_test,
        "wilcoxon": wilcoxon_signed_rank(x - threshold, alternative),
    }


def proportion_wilson(k: int, n: int, confidence: float = 0.95) -> dict[str, object]:
    """Share k / n with the Wilson score interval (statsmodels ``proportion_confint``).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA, 22(158), 209-212.

    Examples
    --------
    >>> r = proportion_wilson(20, 23)
    >>> round(r["share"], 4), [round(v, 4) for v in r["ci95"]]
    (0.8696, [0.6787, 0.9546])
    """
    if n == 0:
        return {"k": 0, "n": 0, "share": math.nan, "ci95": [math.nan, math.nan]}
    # Imported here: a shard job summarises steps and never needs statsmodels, whose
    # import is a third of that job's start-up.
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    return {"k": int(k), "n": int(n), "share": k / n, "ci95": [float(lo), float(hi)]}


def group_comparison(scores, groups, cohorts=None) -> dict[str, object]:
    """Kruskal-Wallis and Welch's ANOVA of the scores across groups, with effect sizes.

    A group is (cohort, group): "Kelompok 1" of two villages are two groups with two
    different assessors. Without ``cohorts`` every score is of one village.

    * Kruskal-Wallis H (tie-corrected, scipy ``kruskal`` = R ``kruskal.test``), df = k - 1,
      and epsilon² = H / ((n² - 1) / (n + 1)) (Tomczak & Tomczak, 2014).
    * Welch's ANOVA F, df1, df2, p (``pingouin.welch_anova`` = R ``oneway.test``), with
      eta² = SS_between / SS_total (pingouin's ``np2``) and
      omega² = (SS_between - (k - 1) MS_within) / (SS_total + MS_within).

    With 4 groups of 5-6 people the tests can detect only large differences; ``note``
    says so.

    References
    ----------
    Kruskal, W. H., & Wallis, W. A. (1952). JASA, 47(260), 583-621.
    Welch, B. L. (1951). Biometrika, 38(3/4), 330-336.
    Tomczak, M., & Tomczak, E. (2014). Trends in Sport Sciences, 1(21), 19-25.

    Examples
    --------
    >>> r = group_comparison([1, 2, 3, 4, 5, 6], ["a", "a", "a", "b", "b", "b"])
    >>> round(r["kruskal_wallis"]["H"], 4), r["kruskal_wallis"]["df"]
    (3.8571, 1)
    >>> group_comparison([1, 2, 3, 4], [1, 1, 1, 1], cohorts=["a", "a", "b", "b"])["k"]
    2
    """
    frame = pd.DataFrame({"score": as_float_array(scores), "group": list(groups)})
    frame["cohort"] = "" if cohorts is None else [str(c) for c in cohorts]
    # One number per (cohort, group): pingouin takes a single grouping column.
    frame["cell"] = frame.groupby(["cohort", "group"], sort=True).ngroup()
    samples = [g["score"].to_numpy() for _, g in frame.groupby("cell", sort=True)]
    n, k = len(frame), len(samples)
    sizes = [s.size for s in samples]
    note = (
        f"{k} groups of {min(sizes)}-{max(sizes)} people (n = {n}): only large differences "
        "between groups are detectable; read the tests as descriptive."
    )
    if k < 2 or np.ptp(frame["score"]) == 0:
        undefined = "fewer than 2 groups" if k < 2 else "all scores equal"
        return {
            "n": n,
            "k": k,
            "kruskal_wallis": {
                "H": math.nan,
                "df": k - 1,
                "p": math.nan,
                "epsilon_squared": math.nan,
            },
            "welch_anova": {
                "F": math.nan,
                "df1": k - 1,
                "df2": math.nan,
                "p": math.nan,
                "eta_squared": math.nan,
                "omega_squared": math.nan,
            },
            "note": f"{undefined}: group tests undefined",
        }
    h, p_kw = stats.kruskal(*samples)
    welch, welch_note = _welch_anova(frame, samples)
    grand = frame["score"].mean()
    ss_between = sum(s.size * (s.mean() - grand) ** 2 for s in samples)
    ss_total = float(((frame["score"] - grand) ** 2).sum())
    # With one person a group there is no within-group variance to estimate.
    ms_within = (ss_total - ss_between) / (n - k) if n > k else math.nan
    return {
        "n": n,
        "k": k,
        "kruskal_wallis": {
            "H": float(h),
            "df": k - 1,
            "p": float(p_kw),
            "epsilon_squared": float(h) / ((n**2 - 1) / (n + 1)),
        },
        "welch_anova": {
            **welch,
            "eta_squared": ss_between / ss_total,
            "omega_squared": (ss_between - (k - 1) * ms_within) / (ss_total + ms_within),
        },
        "note": note if welch_note is None else f"{note} {welch_note}",
    }


def _welch_anova(frame: pd.DataFrame, samples: list[np.ndarray]) -> tuple[dict, str | None]:
    """pingouin's Welch ANOVA of ``score`` by ``cell``, or NaN and the reason it is undefined.

    Welch's F weighs each group by n_j / s²_j, so it needs at least two scores and some
    spread in every group; with many villages a group of one cadre, or of equal scores,
    is common, and the test is then reported as undefined rather than failing the run.
    """
    k = len(samples)
    unusable = sum(1 for sample in samples if sample.size < 2 or np.ptp(sample) == 0)
    if unusable:
        undefined = {"F": math.nan, "df1": k - 1, "df2": math.nan, "p": math.nan}
        return undefined, (
            f"Welch's ANOVA undefined: {unusable} of {k} groups have fewer than two scores "
            "or all scores equal."
        )
    # Imported here: pingouin costs ~3 s to import, and only the skill rule needs it.
    import pingouin

    welch = pingouin.welch_anova(data=frame, dv="score", between="cell").iloc[0]
    return {
        "F": float(welch["F"]),
        "df1": float(welch["ddof1"]),
        "df2": float(welch["ddof2"]),
        "p": float(welch["p_unc"]),
    }, None


def group_table(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per group: n, mean with its 95% t CI, SD, median, min, max, assessor(s).

    Expects columns ``group``, ``score`` and optionally ``cohort`` and ``assessor``. With
    ``cohort`` a group is (cohort, group), the table starts with a ``cohort`` column and is
    sorted by cohort, then group; the assessor codes listed are those of that village.
    The CI is :func:`~analisis.stats.descriptives.mean_ci` (NaN for a group of one).

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["b", "a", "a"], "score": [90.0, 80.0, 100.0]})
    >>> group_table(f)[["group", "n", "mean", "sd"]].to_dict("list")
    {'group': ['a', 'b'], 'n': [2, 1], 'mean': [90.0, 90.0], 'sd': [14.142135623730951, nan]}
    >>> group_table(f.assign(cohort=["x", "y", "x"]))[["cohort", "group", "n"]].values.tolist()
    [['x', 'a', 1], ['x', 'b', 1], ['y', 'a', 1]]
    """
    keys = ["cohort", "group"] if "cohort" in scores.columns else ["group"]
    values = scores["score"].to_numpy(float)
    assessor = scores["assessor"].to_numpy(object) if "assessor" in scores else None
    rows = []
    # Row positions per group, not a DataFrame per group: 40,000 groups of a national
    # programme are one split.
    for names, at in scores.groupby(keys, sort=True).indices.items():
        described = describe(values[at])
        assessors = (
            sorted({str(a) for a in assessor[at] if not pd.isna(a)}) if assessor is not None else []
        )
        names = names if isinstance(names, tuple) else (names,)
        rows.append(
            {
                **dict(zip(keys, names, strict=True)),
                **{key: described[key] for key in GROUP_COLUMNS},
                "assessor": "; ".join(assessors),
            }
        )
    return pd.DataFrame(rows)


#: Columns of :func:`step_counts` after its keys: how many cadres got each number of points.
STEP_COUNT_COLUMNS = ("step_id", "max_points", "points", "n")


def step_counts(steps: pd.DataFrame, keys: Sequence[str] = ()) -> pd.DataFrame:
    """How many cadres got each number of points on each checklist step (per ``keys``).

    The sufficient statistics of :func:`steps_summary`: the parts of a programme (its
    shards) add up by summing ``n`` over ``keys``, ``step_id``, ``max_points``, ``points``.

    Examples
    --------
    >>> f = pd.DataFrame({"step_id": ["L01", "L01", "L02"], "points": [2, 2, 1],
    ...                   "max_points": [2, 2, 2]})
    >>> step_counts(f).values.tolist()
    [['L01', 2, 2, 2], ['L02', 2, 1, 1]]
    """
    columns = [*keys, *STEP_COUNT_COLUMNS[:-1]]
    return steps.groupby(columns, sort=True).size().rename("n").reset_index()


def sum_counts(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """:func:`step_counts` of disjoint groups of cadres (shards), added up.

    Examples
    --------
    >>> a = pd.DataFrame({"step_id": ["L01"], "max_points": [2], "points": [2], "n": [3]})
    >>> sum_counts([a, a]).values.tolist()
    [['L01', 2, 2, 6]]
    """
    counts = pd.concat(parts, ignore_index=True)
    keys = [c for c in counts.columns if c != "n"]
    return counts.groupby(keys, sort=True)["n"].sum().reset_index()


def _common_denominator(values) -> int:
    """The least common denominator of ``values`` as exact fractions (every float is one)."""
    return math.lcm(*(Fraction(v).denominator for v in set(values)), 1)


def _step_rows_of_points(steps: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The columns of :func:`steps_summary` per value of ``keys``, unsorted and unranked.

    Each statistic is numpy's on the step's own points in table order, the same floats
    as pandas' ``Series.mean``/``std`` (a sum divided by the count); one split of the
    whole table, so a thousand villages are one pass, not a thousand.
    """
    points_all = steps["points"].to_numpy(dtype=float)
    maximum_all = steps["max_points"].to_numpy(dtype=float)
    rows = []
    for key, at in steps.groupby([*keys, "step_id"], sort=True).indices.items():
        points, maximum = points_all[at], maximum_all[at]
        full = points == maximum
        rows.append(
            {
                **dict(
                    zip([*keys, "step_id"], key if isinstance(key, tuple) else (key,), strict=True)
                ),
                "n": int(points.size),
                "max_points": float(maximum.max()),
                "mean_points": float(points.mean()),
                "sd_points": float(points.std(ddof=1)) if points.size > 1 else math.nan,
                "mean_share": float((points / maximum).mean()),
                "share_full": float(full.mean()),
                "n_full": int(full.sum()),
            }
        )
    return pd.DataFrame(rows)


def _step_rows_of_counts(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The columns of :func:`steps_summary` per value of ``keys`` from :func:`step_counts`,
    unsorted and unranked.

    Points and maxima are scaled by their common denominator D to integers, so the sums
    Σ n, Σ n p, Σ n p² and Σ n [p = max] are exact; the means and the SD (ddof 1) are
    then exact fractions of them, and the only roundings are the final division and
    square root: a step's row does not depend on the order of its cadres or on how a
    programme was split into shards. It agrees with :func:`_step_rows_of_points` to a
    few units in the last place.
    """
    group = [*keys, "step_id"]
    rows = []
    for key, at in counts.groupby(group, sort=True).indices.items():
        # Python integers: a point of 0.1 is 3602879701896397 / 2**55, so D is large and
        # n p² would overflow 64 bits.
        scale = _common_denominator([*counts["points"].iloc[at], *counts["max_points"].iloc[at]])
        cells = [
            (int(n), int(Fraction(p) * scale), int(Fraction(m) * scale))
            for n, p, m in zip(
                counts["n"].iloc[at],
                counts["points"].iloc[at],
                counts["max_points"].iloc[at],
                strict=True,
            )
        ]
        total = sum(n for n, _, _ in cells)
        s = sum(n * p for n, p, _ in cells)
        q = sum(n * p * p for n, p, _ in cells)
        n_full = sum(n for n, p, m in cells if p == m)
        # Python's int / int is the correctly rounded quotient of the exact integers.
        variance = (
            (total * q - s * s) / (total * (total - 1) * scale * scale) if total > 1 else None
        )
        rows.append(
            {
                **dict(zip(group, key if isinstance(key, tuple) else (key,), strict=True)),
                "n": total,
                "max_points": max(m for _, _, m in cells) / scale,
                "mean_points": s / (total * scale),
                "sd_points": math.sqrt(variance) if variance is not None else math.nan,
                "mean_share": float(sum(Fraction(n * p, m) for n, p, m in cells) / total),
                "share_full": n_full / total,
                "n_full": n_full,
            }
        )
    return pd.DataFrame(rows)


def steps_summary(steps: pd.DataFrame, keys: Sequence[str] = ()) -> pd.DataFrame:
    """Per checklist step (and per value of ``keys``, e.g. the village): mean points, mean
    share of the maximum, share fully correct.

    Sorted weakest first within each value of ``keys``: by ``share_full`` (share of cadres
    with points = max_points), then ``mean_share`` (mean points / max_points), then
    ``step_id``; ``rank`` 1 is the weakest step. Expects columns ``step_id``, ``points``,
    ``max_points`` and ``keys``.

    Examples
    --------
    >>> f = pd.DataFrame({"step_id": ["L01", "L01", "L02", "L02"],
    ...                   "points": [2, 2, 1, 2], "max_points": [2, 2, 2, 2]})
    >>> steps_summary(f)[["step_id", "mean_points", "share_full", "rank"]].to_dict("list")
    {'step_id': ['L02', 'L01'], 'mean_points': [1.5, 2.0], 'share_full': [0.5, 1.0], 'rank': [1, 2]}
    >>> f["cohort"] = ["a", "a", "b", "b"]
    >>> steps_summary(f, ["cohort"])[["cohort", "step_id", "rank"]].to_numpy().tolist()
    [['a', 'L01', 1], ['b', 'L02', 1]]
    """
    return _ranked(_step_rows_of_points(steps, list(keys)), list(keys))


def steps_summary_of_counts(counts: pd.DataFrame, keys: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`steps_summary` from :func:`step_counts` (summed over the parts of a programme),
    with exact sums: the same rows whatever the split, equal to :func:`steps_summary` of
    the whole table to a few units in the last place.

    Examples
    --------
    >>> c = pd.DataFrame({"step_id": ["L01", "L02", "L02"], "max_points": 2,
    ...                   "points": [2, 1, 2], "n": [2, 1, 1]})
    >>> steps_summary_of_counts(c)[["step_id", "mean_points", "sd_points", "rank"]].values.tolist()
    [['L02', 1.5, 0.7071067811865476, 1], ['L01', 2.0, 0.0, 2]]
    """
    return _ranked(_step_rows_of_counts(counts, list(keys)), list(keys))


def study_steps_summary(
    counts: Sequence[pd.DataFrame], summaries: Sequence[pd.DataFrame]
) -> pd.DataFrame:
    """The study's :func:`steps_summary` from what its shards send.

    One shard's own summary (``summaries``, the float path over its cadres) is the
    study's, byte for byte what the whole table gives; two or more shards are reduced by
    :func:`steps_summary_of_counts` of their summed ``counts``, exact whatever the split.

    Examples
    --------
    >>> f = pd.DataFrame({"step_id": "L01", "points": [0.1, 0.2, 0.4], "max_points": 1.0})
    >>> one = study_steps_summary([step_counts(f)], [steps_summary(f)])
    >>> one.equals(steps_summary(f))
    True
    >>> two = study_steps_summary([step_counts(f[:1]), step_counts(f[1:])], [])
    >>> exact = (Fraction(0.1) + Fraction(0.2) + Fraction(0.4)) / 3
    >>> float(two["mean_points"].iloc[0]) == float(exact)
    True
    """
    if len(counts) == 1 and len(summaries) == 1:
        return summaries[0]
    return steps_summary_of_counts(sum_counts(counts))


def _ranked(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Step rows sorted weakest first within each value of ``keys``, ranked from 1."""
    table = table.sort_values(
        [*keys, "share_full", "mean_share", "step_id"], kind="mergesort", ignore_index=True
    )
    table["rank"] = (
        table.groupby(keys, sort=False).cumcount() + 1 if keys else np.arange(1, len(table) + 1)
    )
    return table


def skill_summary(
    scores,
    categories,
    *,
    competence_threshold: float,
    top_category: str,
    alternative: str = "two-sided",
) -> dict[str, object]:
    """Descriptives, threshold tests, top-category share and category counts of skill scores.

    Examples
    --------
    >>> s = skill_summary([80, 90, 100], ["baik", "baik", "cukup"],
    ...                   competence_threshold=75, top_category="baik")
    >>> s["mean"], s["sd"], s["n"], s["top_category"]["k"]
    (90.0, 10.0, 3, 2)
    """
    x = as_float_array(scores)
    labels = [str(c) for c in categories]
    q1, median, q3 = (float(v) for v in np.quantile(x, [0.25, 0.5, 0.75]))
    sd = float(np.std(x, ddof=1)) if x.size > 1 else math.nan
    counts = pd.Series(labels).value_counts().sort_index()
    return {
        "n": int(x.size),
        "mean": float(np.mean(x)),
        "sd": sd,
        "se": sd / math.sqrt(x.size),
        "median": median,
        "q1": q1,
        "q3": q3,
        "min": float(np.min(x)),
        "max": float(np.max(x)),
        "shapiro": shapiro_wilk(x),
        "competence_threshold": competence_threshold,
        "n_at_or_above_threshold": int(np.sum(x >= competence_threshold)),
        "one_sample": one_sample_tests(x, competence_threshold, alternative),
        "top_category": {
            "category": top_category,
            **proportion_wilson(labels.count(top_category), len(labels)),
        },
        "category_counts": {str(k): int(v) for k, v in counts.items()},
    }
