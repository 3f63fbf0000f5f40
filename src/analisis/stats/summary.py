"""The paired pre/post summary: the ``analisis paired`` JSON and its detailed companion."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from analisis.config import DEFAULTS, N_GAIN_CUTOFFS
from analisis.results import (
    BootstrapInterval,
    Description,
    Descriptives,
    DifferenceSummary,
    EffectSizes,
    NGainCategoryCount,
    NGainCutoffs,
    NGainDetails,
    NGainSummary,
    PairedDetails,
    PairedSummary,
    PhaseSummary,
    ShapiroWilk,
    SpssPairedSamplesTest,
    SpssWilcoxonRanks,
    TTest,
    WilcoxonDetails,
    WilcoxonTest,
)
from analisis.stats import effect_sizes as es
from analisis.stats._arrays import paired_arrays
from analisis.stats.bootstrap import bca_ci_means
from analisis.stats.descriptives import (
    CEILING_FLOOR_SHARE,
    ceiling_floor,
    crosses_scale,
    describe,
    difference_summary,
)
from analisis.stats.ngain import individual_n_gain, n_gain_category_counts, n_gain_summary
from analisis.stats.paired import (
    choose_primary_test,
    paired_t_test,
    primary_test_rule,
    shapiro_wilk,
    spss_paired_samples_test,
    spss_wilcoxon_ranks,
    wilcoxon_signed_rank,
)


def paired_summary(
    pre,
    post,
    *,
    alternative: str = "two-sided",
    max_score: float | None = None,
    normality_alpha: float = DEFAULTS["analysis"]["normality_alpha"],
    primary_test: str = DEFAULTS["analysis"]["primary_test"],
    n_excluded: int = 0,
) -> tuple[PairedSummary, list[str]]:
    """Every paired statistic in the ``analisis paired`` schema, unrounded, plus notes.

    difference = post - pre. The result (:class:`~analisis.results.PairedSummary`) has
    ``n_gain`` only when ``max_score`` is given. Undefined values are NaN (null in JSON); the
    returned notes say why, in sentences (e.g. "all differences equal (20): t and d_z
    undefined").

    Parameters
    ----------
    pre, post : array_like
        Complete pairs only.
    alternative : {"two-sided", "greater", "less"}
        For the t-test and the Wilcoxon test; intervals are always two-sided 95%.
    max_score : float, optional
        Scale maximum: enables ``share_at_max`` and ``n_gain``.
    normality_alpha : float
        Shapiro-Wilk threshold of the primary-test rule.
    primary_test : {"t_test", "wilcoxon", "auto"}
        The pre-specified primary test, or ``"auto"`` for the data-driven rule
        (:func:`~analisis.stats.paired.choose_primary_test`).
    n_excluded : int
        Rows dropped before the call because a value was missing (reported as is).

    Examples
    --------
    Student's sleep data, post = group 2, pre = group 1 (R: t = 4.0621, V = 45):

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> s, notes = paired_summary(g1, g2)
    >>> round(s.t_test.t, 4), s.wilcoxon.V, s.primary_test
    (4.0621, 45.0, 'wilcoxon')
    """
    x, y = paired_arrays(pre, post)
    diff = y - x
    notes: list[str] = []
    shapiro = shapiro_wilk(diff)
    t_test = paired_t_test(x, y, alternative)
    wilcoxon = wilcoxon_signed_rank(diff, alternative)
    rb = es.rank_biserial(diff)
    dz = es.d_z(x, y)
    for note in (shapiro["note"], t_test["note"], wilcoxon["note"]):
        if note and note not in notes:
            notes.append(note)
    if abs(rb["rank_biserial"]) == 1:
        notes.append(
            "rank-biserial = ±1 (perfect separation: every non-zero difference has the same "
            "sign): its confidence interval collapses to that value and is degenerate"
        )
    notes.extend(_d_rm_notes(x, y, diff))
    sd_diff = float(np.std(diff, ddof=1)) if diff.size > 1 else math.nan
    primary, reason = choose_primary_test(
        shapiro["p"], normality_alpha, sd_difference=sd_diff, primary_test=primary_test, n=diff.size
    )
    summary = PairedSummary(
        n_pairs=int(diff.size),
        n_excluded=int(n_excluded),
        pre=_phase(x, max_score),
        post=_phase(y, max_score),
        difference=DifferenceSummary.from_dict(difference_summary(diff)),
        shapiro=ShapiroWilk(W=shapiro["W"], p=shapiro["p"]),
        t_test=TTest(t=t_test["t"], df=t_test["df"], p=t_test["p"]),
        wilcoxon=WilcoxonTest(
            V=wilcoxon["V"],
            p=wilcoxon["p"],
            method=wilcoxon["method"],
            continuity_correction=wilcoxon["continuity_correction"],
            n_zero=wilcoxon["n_zero"],
        ),
        effect_size=EffectSizes(
            d_z=dz,
            d_z_ci95=tuple(es.d_z_ci(dz, diff.size)),
            g_z=es.g_z(dz, diff.size),
            d_av=es.d_av(x, y),
            g_av=es.g_av(x, y),
            d_rm=es.d_rm(x, y),
            rank_biserial=rb["rank_biserial"],
            rank_biserial_ci95=tuple(rb["ci95"]),
            cles=es.cles_paired(diff),
        ),
        primary_test=primary,
        n_gain=None
        if max_score is None
        else NGainSummary.from_dict(n_gain_summary(x, y, max_score)),
    )
    if summary.n_gain is not None and summary.n_gain.n_undefined:
        notes.append(
            f"{summary.n_gain.n_undefined} pair(s) with pre = {max_score:g}: "
            "individual N-gain undefined, excluded from its mean and SD"
        )
    notes.append(reason)
    return summary, notes


def _d_rm_notes(x: np.ndarray, y: np.ndarray, diff: np.ndarray) -> list[str]:
    """Why d_rm is undefined (NaN), when it is: r(pre, post) or d_z undefined."""
    if diff.size < 2:
        return ["d_rm undefined: fewer than 2 pairs"]
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        phase = " and every ".join(p for p, v in (("pre", x), ("post", y)) if np.ptp(v) == 0)
        return [
            f"d_rm undefined: every {phase} score is equal (SD 0), so the correlation r of "
            "pre and post is undefined"
        ]
    if np.ptp(diff) == 0:
        return [
            "d_rm undefined: every difference is equal, so d_z (and d_rm = d_z·√(2(1-r))) is"
            " undefined"
        ]
    return []


def _phase(values: np.ndarray, max_score: float | None) -> PhaseSummary:
    described = describe(values, max_score=max_score)
    return PhaseSummary(**{field.name: described[field.name] for field in fields(PhaseSummary)})


def paired_details(
    pre,
    post,
    *,
    max_score: float,
    bootstrap_resamples: int = DEFAULTS["analysis"]["bootstrap_resamples"],
    seed: int = DEFAULTS["analysis"]["seed"],
    normality_alpha: float = DEFAULTS["analysis"]["normality_alpha"],
    alpha: float = DEFAULTS["analysis"]["alpha"],
    primary_test: str = DEFAULTS["analysis"]["primary_test"],
    n_gain_cutoffs: tuple[float, float] = N_GAIN_CUTOFFS,
    n_not_paired: int = 0,
    cohorts: Sequence[str] = (),
    min_score: float = 0.0,
) -> PairedDetails:
    """What a reviewer asks for beyond the paired schema (knowledge_details.json).

    See :class:`~analisis.results.PairedDetails` for the fields: descriptives of pre,
    post and difference, the SPSS layouts, the Wilcoxon test with its zero handling,
    Hodges-Lehmann, the BCa bootstrap CI (:func:`bca_ci_mean`), N-gain with its
    cut-offs and category counts, the primary test and why, ``significant_at_alpha``
    (primary test p < alpha), the effect-size definitions and the notes. Defaults come
    from the config schema (:mod:`analisis.config`). The scale runs from ``min_score``
    (0: every score here is a share of correct answers × ``max_score``) to ``max_score``;
    :func:`scale_checks` adds the ceiling/floor flags and the bounded intervals of the
    phase means.

    Examples
    --------
    Differences 20, 30, 10, 10; Walsh averages 10 10 10 15 15 20 20 20 25 30, median 17.5:

    >>> d = paired_details([60, 70, 80, 90], [80, 100, 90, 100], max_score=100,
    ...                    bootstrap_resamples=200, seed=1, normality_alpha=0.05, alpha=0.05)
    >>> d.hodges_lehmann, d.spss_wilcoxon_ranks.positive_ranks.n
    (17.5, 4)
    >>> d.ceiling_floor["post"]["ceiling"], d.primary_test_rule
    (True, 'data-driven (Shapiro–Wilk)')
    """
    x, y = paired_arrays(pre, post)
    diff = y - x
    summary, notes = paired_summary(
        x, y, max_score=max_score, normality_alpha=normality_alpha, primary_test=primary_test
    )
    reason = notes.pop()
    # One draw of the resample indices for the three means (bootstrap.bca_ci_means).
    boots = bca_ci_means(
        {"difference": diff, "pre": x, "post": y}, n_resamples=bootstrap_resamples, seed=seed
    )
    checks = scale_checks(
        x,
        y,
        summary,
        min_score=min_score,
        max_score=max_score,
        bootstrap_resamples=bootstrap_resamples,
        seed=seed,
        bootstrap=boots,
    )
    notes.extend(checks.pop("notes"))
    primary = summary.primary_test
    primary_p = summary.t_test.p if primary == "t_test" else summary.wilcoxon.p
    gains = individual_n_gain(x, y, max_score)
    low, high = n_gain_cutoffs
    return PairedDetails(
        n_pairs=int(diff.size),
        n_not_paired=int(n_not_paired),
        cohorts=tuple(cohorts),
        descriptives=Descriptives(
            pre=Description(**describe(x, max_score=max_score, min_score=min_score)),
            post=Description(**describe(y, max_score=max_score, min_score=min_score)),
            difference=Description(**describe(diff)),
        ),
        spss_paired_samples_test=SpssPairedSamplesTest.from_dict(spss_paired_samples_test(x, y)),
        spss_wilcoxon_ranks=SpssWilcoxonRanks.from_dict(spss_wilcoxon_ranks(x, y)),
        wilcoxon=WilcoxonDetails.from_dict(wilcoxon_signed_rank(diff)),
        rank_biserial_n_nonzero=es.rank_biserial(diff)["n_nonzero"],
        hodges_lehmann=es.hodges_lehmann(diff),
        bootstrap_mean_difference=BootstrapInterval.from_dict(boots["difference"]),
        n_gain=NGainDetails(
            **{f.name: getattr(summary.n_gain, f.name) for f in fields(NGainSummary)},
            n_defined=int(np.isfinite(gains).sum()),
            cutoffs=NGainCutoffs(low=low, high=high),
        ),
        n_gain_categories=tuple(
            NGainCategoryCount(**row)
            for row in n_gain_category_counts(gains, n_gain_cutoffs).to_dict("records")
        ),
        primary_test=primary,
        primary_test_reason=reason,
        alpha=alpha,
        normality_alpha=normality_alpha,
        significant_at_alpha=bool(primary_p < alpha) if math.isfinite(primary_p) else None,
        effect_size_definitions=EFFECT_SIZE_DEFINITIONS,
        notes=tuple(notes),
        primary_test_rule=primary_test_rule(primary_test, int(diff.size)),
        **checks,
    )


def scale_checks(
    pre: np.ndarray,
    post: np.ndarray,
    summary: PairedSummary,
    *,
    min_score: float,
    max_score: float,
    bootstrap_resamples: int,
    seed: int,
    bootstrap: Mapping[str, dict] | None = None,
) -> dict[str, object]:
    """What the bounded scale does to the results: ceiling/floor, intervals, r_rb's CI.

    ``bootstrap`` holds the phases' :func:`bca_ci_mean` results when the caller has
    them already (``{"pre": ..., "post": ...}``); else they are computed here.

    * ``ceiling_floor``: per phase :func:`~analisis.stats.descriptives.ceiling_floor`
      (flag at a share >= 15%, Terwee et al. 2007), with the threshold and reference.
    * ``phase_mean_intervals``: per phase the mean, its t interval (mean ± t·SE, as in
      the descriptives), whether that interval crosses the scale, and the BCa bootstrap
      interval (:func:`bca_ci_mean`), which lies within the observed range and so within
      [``min_score``, ``max_score``].
    * ``rank_biserial_ci_degenerate``: the rank-biserial CI is a single point (r = ±1).
    * ``notes``: one sentence per flag, including that a ceiling or floor compresses the
      SDs of the phases and so inflates d_av and g_av against d_z.

    Examples
    --------
    >>> pre, post = np.array([60.0, 70, 80, 90]), np.array([80.0, 100, 96, 100])
    >>> s, _ = paired_summary(pre, post, max_score=100)
    >>> c = scale_checks(pre, post, s, min_score=0, max_score=100,
    ...                  bootstrap_resamples=500, seed=1)
    >>> c["ceiling_floor"]["post"]["share_at_max"], c["rank_biserial_ci_degenerate"]
    (0.5, True)
    >>> c["phase_mean_intervals"]["post"]["t_ci95_crosses_scale"]
    True
    """
    flags = {
        phase: ceiling_floor(values, min_score=min_score, max_score=max_score)
        for phase, values in (("pre", pre), ("post", post))
    }
    if bootstrap is None:
        bootstrap = bca_ci_means(
            {"pre": pre, "post": post}, n_resamples=bootstrap_resamples, seed=seed
        )
    intervals = {
        phase: _mean_intervals(values, min_score, max_score, bootstrap[phase])
        for phase, values in (("pre", pre), ("post", post))
    }
    rb_ci = summary.effect_size.rank_biserial_ci95
    degenerate = bool(rb_ci[0] is not None and rb_ci[0] == rb_ci[1] and abs(rb_ci[0]) == 1)
    notes = _scale_notes(flags, intervals, summary.effect_size, min_score, max_score)
    return {
        "ceiling_floor": {
            "threshold": CEILING_FLOOR_SHARE,
            "reference": TERWEE_2007,
            **flags,
        },
        "rank_biserial_ci_degenerate": degenerate,
        "phase_mean_intervals": {
            "scale": [float(min_score), float(max_score)],
            "method": "t interval (mean ± t·SE) and BCa bootstrap interval of the mean",
            **intervals,
        },
        "notes": notes,
    }


def _mean_intervals(values, min_score, max_score, boot: Mapping[str, Any]) -> dict[str, object]:
    t_ci = describe(values)
    t_interval = [t_ci["ci95_lower"], t_ci["ci95_upper"]]
    finite = all(math.isfinite(v) for v in t_interval)
    return {
        "mean": t_ci["mean"],
        "t_ci95": t_interval,
        "t_ci95_crosses_scale": finite
        and crosses_scale(t_interval, min_score=min_score, max_score=max_score),
        "bca_ci95": boot["ci95"],
        "bca_note": boot["note"],
    }


def _scale_notes(flags, intervals, effect: EffectSizes, min_score, max_score) -> list[str]:
    notes = []
    for phase, flag in flags.items():
        for end, share, flagged, score in (
            ("ceiling", flag["share_at_max"], flag["ceiling"], max_score),
            ("floor", flag["share_at_min"], flag["floor"], min_score),
        ):
            if flagged:
                notes.append(
                    f"{phase}: {share:.1%} of scores at {score:g} (>= 15%): {end} effect "
                    "(Terwee et al. 2007)"
                )
    if any(f["ceiling"] or f["floor"] for f in flags.values()):
        notes.append(
            f"a ceiling or floor compresses the SD of that phase, so d_av = {effect.d_av:.3g} "
            f"and g_av = {effect.g_av:.3g} are inflated; d_z = {effect.d_z:.3g} "
            "(standardised by the SD of the differences) is the effect size to read"
        )
    for phase, interval in intervals.items():
        if interval["t_ci95_crosses_scale"]:
            lo, hi = interval["t_ci95"]
            notes.append(
                f"{phase}: the t interval of the mean [{lo:.2f}, {hi:.2f}] crosses the scale "
                f"[{min_score:g}, {max_score:g}] (mean ± t·SE is symmetric); the BCa bootstrap "
                "interval stays within it"
            )
    return notes


#: The reference of the 15% ceiling/floor criterion.
TERWEE_2007 = (
    "Terwee CB, Bot SDM, de Boer MR, et al. (2007). Quality criteria were proposed for "
    "measurement properties of health status questionnaires. J Clin Epidemiol 60(1):34-42"
)


#: One sentence per reported effect size, for the report and the JSON reader.
EFFECT_SIZE_DEFINITIONS = {
    "d_z": "mean(post - pre) / SD(post - pre) = t / sqrt(n); 95% CI from the noncentral t",
    "g_z": "d_z × (1 - 3 / (4 df - 1)), df = n - 1 (Hedges' correction, Lakens 2013, eq. 4)",
    "d_av": "mean(post - pre) / ((SD_pre + SD_post) / 2) (Lakens 2013, eq. 10)",
    "g_av": "d_av × (1 - 3 / (8n - 9)) (Hedges' correction as Lakens 2013 applies it)",
    "d_rm": "d_z × sqrt(2 (1 - r)), r = corr(pre, post) (Lakens 2013, eq. 9)",
    "rank_biserial": "(R+ - R-) / (R+ + R-), zero differences dropped; CI as R effectsize",
    "cles": "share of pairs with post > pre, ties counted half (paired probability of superiority)",
    "hodges_lehmann": "median of the Walsh averages of the differences (zeros included)",
}
