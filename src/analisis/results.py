"""The result contract: one immutable type per result family, with its JSON round trip.

Each type is a frozen dataclass whose fields are the keys of the file it is written to, in
the file's order (a key that is not a Python name, such as ``class``, is given in the
field's ``metadata``). Like scipy's result objects, values are read as attributes
(``summary.t_test.t``); ``to_dict()`` gives the JSON document and ``from_dict()`` reads it
back, so ``T.from_dict(json.load(f)).to_dict()`` equals what ``f`` holds.

Families and their files (reports/tables/):

* :class:`PairedSummary` (knowledge_paired.json, the ``analisis paired`` schema) and
  :class:`PairedDetails` (knowledge_details.json): the paired pre/post analysis.
* :class:`SkillResult` (skill.json), :class:`ItemsSummary` (items.json).
* :class:`PublishedCheck` (published_check.json), :class:`Robustness`
  (published_robustness.json): the check of a paper's printed numbers.
* :class:`VillagePool` (the ``analisis pool`` schema) and :class:`PooledAnalysis`
  (pooled.json, studies of two or more villages): that schema plus the skill scores
  pooled over villages.
* :class:`PlanningResult` (planning.json): the plan of the next wave;
  :class:`VillagePlan` and :class:`PairedPlan` are the ``analisis plan --json`` schemas.
* :class:`PooledAnalysis` (pooled.json, studies of two or more villages): the
  ``analisis pool`` schema plus the skill scores pooled over villages.
* :class:`WavesAnalysis` (waves.json, studies with delayed post-tests): the
  ``analisis waves`` schema and the items forgotten at each follow-up.

A document that lacks a key, has an unknown one or puts a list where an object belongs
raises :class:`~analisis.errors.InputError` naming the file and the dotted key.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, Self

from analisis.errors import InputError

# ----------------------------------------------------------------------------- machinery


def _key(field: dataclasses.Field) -> str:
    return field.metadata.get("key", field.name)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {key: _dump(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    return value


def _freeze(value: Any) -> Any:
    """Free-form JSON made read-only: objects as mapping proxies, arrays as tuples."""
    if isinstance(value, Mapping):
        return types.MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a result type (a thousand villages read thousands of
    records of a few types)."""
    return typing.get_type_hints(cls)


def _load(hint: Any, value: Any, source: str, where: str) -> Any:
    """``value`` (parsed JSON) as the annotated type ``hint``."""
    if value is None:
        return None
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value, source=source, where=where)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _load(next(a for a in args if a is not type(None)), value, source, where)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise InputError(source, f"an array at {where!r}", column=where, found=repr(value))
        if len(args) == 2 and args[1] is Ellipsis:
            args = (args[0],) * len(value)
        if len(args) != len(value):
            expected = f"{len(args)} values at {where!r}"
            raise InputError(source, expected, column=where, found=repr(value))
        return tuple(
            _load(a, v, source, f"{where}[{i}]")
            for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if origin is Mapping and not isinstance(value, Mapping):
        raise InputError(source, f"an object at {where!r}", column=where, found=repr(value))
    return _freeze(value)


class Record:
    """Base of the result types: conversion to and from the JSON document."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: keys in field order, nested results as dicts, tuples as lists.

        A field marked ``omit_if_none`` (an optional block) is left out when it is None.
        """
        out = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None and field.metadata.get("omit_if_none"):
                continue
            out[_key(field)] = _dump(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "result", where: str = "") -> Self:
        """Read the JSON document ``data``; ``source`` (the file) names it in errors.

        Examples
        --------
        >>> TTest.from_dict({"t": 2.5, "df": 9, "p": 0.034}).t
        2.5
        >>> TTest.from_dict({"t": 2.5, "df": 9}, source="k.json")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        analisis.errors.InputError: k.json, column 'p': expected the key 'p' ..., found ...
        """
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise InputError(
                source, f"an object ({cls.__name__})", column=where or None, found=found
            )
        hints = _type_hints(cls)
        fields = dataclasses.fields(cls)
        unknown = sorted(set(data) - {_key(f) for f in fields})
        if unknown:
            column = f"{where}.{unknown[0]}" if where else unknown[0]
            raise InputError(
                source, f"only the keys of {cls.__name__}", column=column, found="an unknown key"
            )
        values = {}
        for field in fields:
            key = _key(field)
            dotted = f"{where}.{key}" if where else key
            if key not in data:
                if field.default is dataclasses.MISSING:
                    expected = f"the key {dotted!r} ({cls.__name__})"
                    raise InputError(source, expected, column=dotted, found="no such key")
                continue
            values[field.name] = _load(hints[field.name], data[key], source, dotted)
        return cls(**values)


def _result(cls):
    """Make ``cls`` an immutable result type (frozen dataclass, attributes only)."""
    return dataclasses.dataclass(frozen=True)(cls)


def _named(key: str, **kwargs) -> Any:
    """A field whose JSON key is not a Python name (e.g. ``class``)."""
    return dataclasses.field(metadata={"key": key}, **kwargs)


Interval = tuple[float | None, float | None]

# ---------------------------------------------------------------- paired pre/post analysis


@_result
class PhaseSummary(Record):
    """One phase of the paired sample (``pre`` or ``post``)."""

    mean: float
    sd: float
    median: float
    min: float
    max: float
    share_at_max: float | None


@_result
class DifferenceSummary(Record):
    """post - pre: mean, SD and the t-based 95% CI of the mean."""

    mean: float
    sd: float
    ci95: Interval


@_result
class ShapiroWilk(Record):
    """Shapiro-Wilk test of the differences."""

    W: float
    p: float


@_result
class TTest(Record):
    """Paired t-test: t, df = n - 1, p."""

    t: float
    df: float
    p: float


@_result
class WilcoxonTest(Record):
    """Wilcoxon signed-rank test as R's ``wilcox.test`` reports it."""

    V: float
    p: float
    method: str
    continuity_correction: bool
    n_zero: int


@_result
class EffectSizes(Record):
    """Standardised paired effect sizes (definitions in ``EFFECT_SIZE_DEFINITIONS``)."""

    d_z: float
    d_z_ci95: Interval
    g_z: float
    d_av: float
    g_av: float
    d_rm: float
    rank_biserial: float
    rank_biserial_ci95: Interval
    cles: float


@_result
class NGainSummary(Record):
    """Hake's class gain and the mean and SD of the individual gains."""

    class_: float = _named("class")
    mean_individual: float
    sd_individual: float
    n_undefined: int


@_result
class PairedSummary(Record):
    """knowledge_paired.json: exactly what ``analisis paired`` prints."""

    n_pairs: int
    n_excluded: int
    pre: PhaseSummary
    post: PhaseSummary
    difference: DifferenceSummary
    shapiro: ShapiroWilk
    t_test: TTest
    wilcoxon: WilcoxonTest
    effect_size: EffectSizes
    primary_test: str
    n_gain: NGainSummary | None = dataclasses.field(default=None, metadata={"omit_if_none": True})


@_result
class Description(Record):
    """Descriptive statistics of one sample, with the t-based 95% CI of its mean."""

    n: int
    mean: float
    ci95_lower: float | None
    ci95_upper: float | None
    sd: float | None
    se: float | None
    median: float
    q1: float
    q3: float
    min: float
    max: float
    share_at_max: float | None
    share_at_min: float | None


@_result
class Descriptives(Record):
    """Descriptions of the pre scores, the post scores and the differences."""

    pre: Description
    post: Description
    difference: Description


@_result
class SpssPairedSamplesTest(Record):
    """The paired t-test in SPSS's "Paired Samples Test" layout."""

    pair: str
    mean: float
    std_deviation: float
    std_error_mean: float
    ci95_lower: float
    ci95_upper: float
    t: float
    df: int
    sig_2_tailed: float


@_result
class RankBlock(Record):
    """One sign of SPSS's "Ranks" table."""

    n: int
    mean_rank: float | None
    sum_of_ranks: float


@_result
class Count(Record):
    """A row of SPSS's "Ranks" table that only counts."""

    n: int


@_result
class SpssWilcoxonRanks(Record):
    """The Wilcoxon test in SPSS's "Ranks" and "Test Statistics" layout."""

    pair: str
    negative_ranks: RankBlock
    positive_ranks: RankBlock
    ties: Count
    total: Count
    z: float
    z_based_on: str
    asymp_sig_2_tailed: float


@_result
class WilcoxonDetails(Record):
    """The Wilcoxon signed-rank test with how zeros were treated and why."""

    V: float
    p: float
    method: str
    continuity_correction: bool
    n_zero: int
    n_nonzero: int
    zero_method: str
    note: str | None


@_result
class BootstrapInterval(Record):
    """BCa bootstrap 95% CI of a mean."""

    ci95: Interval
    method: str
    n_resamples: int
    seed: int
    z0: float | None
    acceleration: float | None
    note: str | None


@_result
class NGainCutoffs(Record):
    """Lower bounds of Hake's middle and top category."""

    low: float
    high: float


@_result
class NGainDetails(Record):
    """:class:`NGainSummary` with the number of defined gains and the cut-offs used."""

    class_: float = _named("class")
    mean_individual: float
    sd_individual: float
    n_undefined: int
    n_defined: int
    cutoffs: NGainCutoffs


@_result
class NGainCategoryCount(Record):
    """One row of n_gain_categories.csv."""

    category: str
    rule: str
    n: int
    share: float | None


@_result
class PairedDetails(Record):
    """knowledge_details.json: what a reviewer asks for beyond the paired schema."""

    n_pairs: int
    n_not_paired: int
    cohorts: tuple[str, ...]
    #: Whether the paired tests above respect villages (:class:`VillagePooling`).
    pooling: VillagePooling | None = dataclasses.field(default=None, kw_only=True)
    descriptives: Descriptives
    spss_paired_samples_test: SpssPairedSamplesTest
    spss_wilcoxon_ranks: SpssWilcoxonRanks
    wilcoxon: WilcoxonDetails
    rank_biserial_n_nonzero: int
    hodges_lehmann: float
    bootstrap_mean_difference: BootstrapInterval
    n_gain: NGainDetails
    n_gain_categories: tuple[NGainCategoryCount, ...]
    primary_test: str
    primary_test_reason: str
    alpha: float
    normality_alpha: float
    significant_at_alpha: bool | None
    effect_size_definitions: Mapping[str, str]
    notes: tuple[str, ...]
    #: "pre-specified", "data-driven (Shapiro–Wilk)" or the rule for n > 5000.
    primary_test_rule: str
    #: ``threshold``, ``reference`` and per phase (``pre``, ``post``): ``share_at_max``,
    #: ``share_at_min``, ``ceiling``, ``floor`` (stats.descriptives.ceiling_floor).
    ceiling_floor: Mapping[str, Any]
    #: The rank-biserial CI is [1, 1] or [-1, -1]: perfect separation, no information.
    rank_biserial_ci_degenerate: bool
    #: ``scale`` [min, max], ``method`` and per phase: ``mean``, ``t_ci95`` (the
    #: descriptives' interval), ``t_ci95_crosses_scale``, ``bca_ci95`` (within the scale).
    phase_mean_intervals: Mapping[str, Any]


# ------------------------------------------------------------------------------- skill


@_result
class ShapiroWilkNote(Record):
    """Shapiro-Wilk test with the reason when it is undefined."""

    W: float | None
    p: float | None
    note: str | None


@_result
class OneSampleTTest(Record):
    """One-sample t-test against the threshold, with the CI of the mean and Cohen's d."""

    t: float | None
    df: int
    p: float | None
    ci95: Interval
    d: float | None
    note: str | None


@_result
class OneSampleTests(Record):
    """The scores against the competence threshold."""

    threshold: float
    alternative: str
    t_test: OneSampleTTest
    wilcoxon: WilcoxonDetails


@_result
class TopCategory(Record):
    """Share of the top category with its Wilson 95% CI."""

    category: str
    k: int
    n: int
    share: float
    ci95: Interval


@_result
class KruskalWallis(Record):
    """Kruskal-Wallis H test with epsilon squared."""

    H: float | None
    df: int
    p: float | None
    epsilon_squared: float | None


@_result
class WelchAnova(Record):
    """Welch's ANOVA with eta and omega squared."""

    F: float | None
    df1: float
    df2: float | None
    p: float | None
    eta_squared: float | None
    omega_squared: float | None


@_result
class GroupComparison(Record):
    """The mentoring groups compared."""

    n: int
    k: int
    kruskal_wallis: KruskalWallis
    welch_anova: WelchAnova
    note: str


@_result
class SkillResult(Record):
    """skill.json: descriptives, threshold tests, top category, group comparison."""

    n: int
    mean: float
    sd: float | None
    se: float | None
    median: float
    q1: float
    q3: float
    min: float
    max: float
    shapiro: ShapiroWilkNote
    competence_threshold: float
    n_at_or_above_threshold: int
    one_sample: OneSampleTests
    top_category: TopCategory
    category_counts: Mapping[str, int]
    group_comparison: GroupComparison
    cohorts: tuple[str, ...]


# ------------------------------------------------------------------------------- items


@_result
class ItemsSummary(Record):
    """items.json: KR-20 per phase and the count of items significant after Holm."""

    participants: str
    n_items: int
    alpha: float
    kr20_pre: float | None
    n_participants_pre: int
    n_items_all_correct_pre: int
    kr20_post: float | None
    n_participants_post: int
    n_items_all_correct_post: int
    n_items_significant_holm: int
    notes: tuple[str, ...]


# ------------------------------------------------------------------ published numbers


@_result
class CheckedValue(Record):
    """One printed number against its recomputed value, with GRIM."""

    quantity: str
    printed: str
    decimals: int
    n: int | None
    step: str | None
    recomputed: float | None
    agrees: bool | None
    grim_consistent: bool | None
    grim_nearest_below: float | None
    grim_nearest_above: float | None
    note: str
    note_id: str


@_result
class CohortCheck(Record):
    """The check of one cohort's paper."""

    cohort: str
    source: str | None
    rounding: str
    rows: tuple[CheckedValue, ...]


@_result
class PublishedCheck(Record):
    """published_check.json."""

    cohorts: tuple[CohortCheck, ...]


@_result
class ValueRange(Record):
    """Smallest and largest value over the searched data sets (None: unbounded)."""

    min: float | None
    max: float | None


@_result
class DzDistribution(Record):
    """d_z over the searched data sets."""

    min: float | None
    max: float | None
    values: tuple[float, ...]
    quantiles: Mapping[str, float]


@_result
class RobustnessSearch(Record):
    """The search of one cohort over data sets consistent with its printed means."""

    cohort: str
    inputs: Mapping[str, Any]
    n_datasets: int
    n_rejected_by_sd_range: int
    n_cases: int
    stopped_by_time_limit: bool
    t: ValueRange
    p: ValueRange
    d_z: DzDistribution
    analytic: Mapping[str, Any]
    significant_in_every_case: bool
    worst_case: Mapping[str, Any] | None
    notes: tuple[str, ...]


@_result
class Robustness(Record):
    """published_robustness.json."""

    cohorts: tuple[RobustnessSearch, ...]


# ------------------------------------------------------------------ pooled over villages


@_result
class VillagePooling(Record):
    """knowledge_details.json ``pooling``: do the paired tests respect villages?

    ``paired_tests`` is ``"one_village"`` for a study of one village and
    ``"ignores_villages"`` when the paired tests treat the cadres of two or more
    villages as one sample; ``village_aware_results`` then names the file whose
    analysis respects villages (pooled.json), else None.

    Examples
    --------
    >>> VillagePooling.of(2).to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'n_villages': 2, 'paired_tests': 'ignores_villages',
     'village_aware_results': 'pooled.json'}
    """

    n_villages: int
    paired_tests: str
    village_aware_results: str | None

    @classmethod
    def of(cls, n_villages: int) -> VillagePooling:
        """The note for a study of ``n_villages`` villages."""
        if n_villages >= 2:
            return cls(n_villages, "ignores_villages", "pooled.json")
        return cls(n_villages, "one_village", None)


@_result
class MetaAnalysis(Record):
    """One random-effects meta-analysis (``analisis meta --json``; I², weights in %).

    ``tau2_ci95`` and ``I2_ci95`` are Q-profile intervals (metafor's ``confint``).
    """

    k: int
    method: str
    test: str
    estimate: float | None
    se: float | None
    ci95: Interval
    statistic: float | None
    p: float | None
    tau2: float | None
    tau2_ci95: Interval
    tau: float | None
    I2: float | None
    I2_ci95: Interval
    H2: float | None
    Q: float | None
    Q_df: int
    Q_p: float | None
    prediction_interval95: Interval
    weights: tuple[float | None, ...]


@_result
class VillageBlup(Record):
    """Shrunken mean of one village; ``below_target``: its interval lies wholly below."""

    village: str
    estimate: float | None
    ci95: Interval
    below_target: bool | None


@_result
class MixedModel(Record):
    """Random-intercept model y_ij = mu + u_j + e_ij (the ``mixed_gain`` schema).

    ``se`` is the GLS standard error and ``df`` Satterthwaite's degrees of freedom, as
    lme4 with lmerTest report them; ``ci95`` uses t(df). ``boundary`` is True when
    tau² = 0 (a boundary fit: every BLUP is the overall mean).
    """

    estimate: float | None
    se: float | None
    df: float | None
    ci95: Interval
    tau2: float | None
    sigma2: float | None
    icc: float | None
    boundary: bool
    converged: bool
    blups: tuple[VillageBlup, ...]
    target: float | None


@_result
class PooledVillage(Record):
    """Paired summary of one pooled village (gain = post - pre)."""

    village: str
    n_pairs: int
    pre_mean: float | None
    post_mean: float | None
    gain_mean: float | None
    gain_ci95: Interval
    d_z: float | None
    d_z_ci95: Interval


@_result
class ExcludedFromPooling(Record):
    """A village left out of the pooling, and why: a code (``too_few_pairs``, ``no_spread``;
    in words under ``pool_reason.<code>`` of :mod:`analisis.text`)."""

    village: str
    n_pairs: int
    reason: str


@_result
class PooledSkill(Record):
    """Skill scores over villages: meta-analysis of the village means, mixed model.

    ``meta_mean``: y_j = mean skill score of village j, v_j = SD²_j / n_j (None with
    fewer than 2 villages of 2 or more distinct scores); ``mixed_mean``: random
    intercept per village (None with fewer than 2 villages with scores).
    """

    meta_mean: MetaAnalysis | None
    mixed_mean: MixedModel | None


#: Up to how many villages an interval of the pooled report held less than 95 ± 2 % in
#: bench/coverage.py (the table in docs/statistics.md, "Coverage with few villages"): the
#: mixed model's t(Satterthwaite) interval with 3 villages, the prediction interval up to
#: 10. The Knapp-Hartung intervals held from 3 villages on.
APPROXIMATE_UP_TO = {"mixed": 4, "prediction": 10}


@_result
class VillagePool(Record):
    """The ``analisis pool --json`` schema: each village, then pooled over villages.

    The pooled parts are None below 2 villages; ``mixed_gain.blups[].below_target`` flags
    the villages whose whole interval lies below the mentoring target.
    """

    n_villages: int
    n_pairs: int
    villages: tuple[PooledVillage, ...]
    meta_gain: MetaAnalysis | None
    meta_d_z: MetaAnalysis | None
    mixed_gain: MixedModel | None
    excluded: tuple[ExcludedFromPooling, ...]

    def note_keys(self) -> tuple[str, ...]:
        """Catalogue keys (``pool_note.*``) of what a reader must know, in order.

        ``two_villages``: every pooled interval rests on 1 df; ``mixed_approximate`` and
        ``prediction_approximate``: with this few villages the interval covered less than
        95 % in the coverage study (:data:`APPROXIMATE_UP_TO`); ``boundary``: tau² = 0 in
        the mixed model; ``not_converged``: the mixed model's search failed.
        """
        mixed, k = self.mixed_gain, self.n_villages
        keys = ["two_villages"] if k == 2 else []
        keys += [
            f"{interval}_approximate"
            for interval, most in APPROXIMATE_UP_TO.items()
            if 2 <= k <= most and (mixed is not None or interval != "mixed")
        ]
        keys += ["boundary"] if mixed is not None and mixed.boundary else []
        keys += ["not_converged"] if mixed is not None and not mixed.converged else []
        return tuple(f"pool_note.{key}" for key in keys)


@_result
class PooledAnalysis(VillagePool):
    """pooled.json: the ``analisis pool`` schema (:class:`VillagePool`) plus ``skill``.

    Written for studies of two or more villages; ``skill.mixed_mean.blups[].below_target``
    flags the villages whose whole skill interval lies below the skill target.
    """

    skill: PooledSkill


# ------------------------------------------------------------------- planning the next wave


def _optional(**kwargs) -> Any:
    """A field left out of the JSON document when it is None (a quantity not asked)."""
    return dataclasses.field(default=None, metadata={"omit_if_none": True}, **kwargs)


@_result
class PlanAssumptions(Record):
    """What a village plan assumed: within-village variance of the gain ``sigma2``,
    between villages ``tau2``, their ``icc``, where they came from (``source``: ``options``,
    ``pooled`` the estimates of a run, ``tau2_upper`` the upper end of τ²'s interval,
    ``icc_assumption`` / ``icc_low`` / ``icc_high`` the config's ICC with σ² from the
    paired gains), and the test's ``alpha``, ``alternative`` and the interval's
    ``assurance`` (None: the half-width with the SD taken as known)."""

    source: str
    sigma2: float
    tau2: float
    icc: float
    alpha: float
    alternative: str
    assurance: float | None


@_result
class VillagePlan(Record):
    """One answer of ``analisis plan villages``: k villages × m cadres.

    ``solved`` names the quantity solved for; that key holds its exact value and
    ``planned`` the integer to plan (⌈value⌉; None when nothing was solved). Keys of
    quantities not asked are left out. ``power`` is of ``test`` (``one.sample``: the
    mean gain against ``target_gain``; ``two.sample``: two arms of ``villages_per_arm``).
    ``halfwidth`` is the target when k or m was solved for it, else the half-width of
    k × m with the SD taken as known; ``halfwidth_assured``: the half-width of the
    planned k × m not exceeded with the assumptions' assurance.
    ``sensitivity``: the same question under other assumptions (low and high ICC, or
    the upper end of τ²'s interval).
    """

    solved: str | None
    planned: int | None
    assumptions: PlanAssumptions
    villages: float | None = _optional()
    villages_per_arm: float | None = _optional()
    cadres: float | None = _optional()
    cadres_optimal: float | None = _optional()
    halfwidth: float | None = _optional()
    halfwidth_assured: float | None = _optional()
    test: str | None = _optional()
    power: float | None = _optional()
    mean_gain: float | None = _optional()
    target_gain: float | None = _optional()
    difference: float | None = _optional()
    design_effect: float | None = _optional()
    effective_sample_size: float | None = _optional()
    cost_village: float | None = _optional()
    cost_cadre: float | None = _optional()
    cost: float | None = _optional()
    sensitivity: tuple[VillagePlan, ...] = ()


@_result
class WilcoxonPlan(Record):
    """n of the Wilcoxon signed-rank test by an ARE (``are_name``: normal or worst_case)."""

    are_name: str
    are: float
    n: float
    planned: int


@_result
class PairedPlan(Record):
    """One answer of ``analisis plan paired`` (one group, pre/post).

    As :class:`VillagePlan`: ``solved`` (``n``, ``power``, ``d``) holds the exact value,
    ``planned`` the integer n. ``method`` names how: the noncentral t as
    ``pwr.t.test(type = "paired")``, or for a ``halfwidth`` Kupper & Hafner's χ²
    assurance. ``wilcoxon``: the signed-rank test's n by the ARE; with ``--simulate``,
    ``wilcoxon_power_simulated`` of the t-test's planned n over ``simulations`` samples
    (``seed``).
    """

    solved: str
    planned: int | None
    method: str
    alpha: float
    alternative: str
    n: float | None = _optional()
    d: float | None = _optional()
    power: float | None = _optional()
    halfwidth: float | None = _optional()
    sd: float | None = _optional()
    assurance: float | None = _optional()
    wilcoxon: tuple[WilcoxonPlan, ...] = ()
    wilcoxon_power_simulated: float | None = _optional()
    simulations: int | None = _optional()
    seed: int | None = _optional()


@_result
class HalfwidthCurve(Record):
    """Half-width of the pooled mean gain for each number of villages, at m cadres."""

    cadres: int
    villages: tuple[int, ...]
    halfwidth: tuple[float, ...]


@_result
class PlanningResult(Record):
    """planning.json: the plan of the next wave from this run.

    ``n_villages`` of the run; ``sigma2_source``/``tau2_source`` say where σ² and τ²
    came from (``pooled``: pooled.json's mixed model of the gains; ``paired_gains``: the
    variance of the paired gains; ``icc_assumption``: the config's ``planning.icc``).
    ``halfwidth_plan``: villages of ``cadres`` for the target half-width;
    ``arms_plan``: villages per arm for the difference; ``cost_plan``: the cost-optimal
    cadres per village and the villages it then needs for the half-width; ``curves``:
    the half-width against villages for several cadres per village (the figure).
    """

    n_villages: int
    mean_gain: float | None
    sigma2_source: str
    tau2_source: str
    halfwidth_plan: VillagePlan
    arms_plan: VillagePlan
    cost_plan: VillagePlan | None
    curves: tuple[HalfwidthCurve, ...]


# ---------------------------------------------------------------- waves (delayed post-tests)


@_result
class StayersVsLost(Record):
    """Baseline of one wave: cadres measured at every wave (stayed) against the others."""

    wave: str
    n_stayed: int
    n_lost: int
    mean_stayed: float | None
    mean_lost: float | None
    difference: float | None
    ci95: Interval
    p: float | None
    d: float | None


@_result
class FriedmanTest(Record):
    """Friedman's test across the waves (complete cases) with Kendall's W."""

    analysis: str
    n: int
    chi2: float | None
    df: int
    p: float | None
    kendall_w: float | None


@_result
class RepeatedMeasuresAnova(Record):
    """One-way repeated-measures ANOVA with Mauchly's test and the GG/HF corrections."""

    analysis: str
    n: int
    F: float | None
    df1: int
    df2: int
    p: float | None
    ges: float | None
    mauchly_W: float | None
    mauchly_chi2: float | None
    mauchly_df: int
    mauchly_p: float | None
    eps_gg: float | None
    eps_hf: float | None
    p_gg: float | None
    p_hf: float | None
    note: str | None


@_result
class WavePair(Record):
    """Two waves compared (later - earlier): paired t, Wilcoxon, Holm, d_z."""

    analysis: str
    earlier: str
    later: str
    n: int
    mean_difference: float | None
    ci95: Interval
    t: float | None
    df: int
    p_t: float | None
    V: float | None
    p_wilcoxon: float | None
    wilcoxon_method: str
    d_z: float | None
    d_z_ci95: Interval
    p_t_holm: float | None
    p_wilcoxon_holm: float | None


@_result
class Retention(Record):
    """Share of the gain still there at one follow-up (complete cases)."""

    wave: str
    analysis: str
    n: int
    n_with_gain: int
    n_no_gain: int
    retention: tuple[float, ...]
    median_retention: float | None
    ratio_of_means: float | None
    kept_share: float
    n_kept: int
    share_kept: float | None
    n_at_baseline: int
    share_at_baseline: float | None


@_result
class WaveMean(Record):
    """Model mean of one wave."""

    wave: str
    estimate: float | None
    se: float | None
    ci95: Interval


@_result
class WaveDifference(Record):
    """Model difference later - earlier."""

    earlier: str
    later: str
    estimate: float | None
    se: float | None
    ci95: Interval


@_result
class WavesMixedModel(Record):
    """Mixed model of every score: wave as a factor, random cadre (and village) intercept."""

    analysis: str
    method: str
    n_observations: int
    n_cadres: int
    n_villages: int | None
    n_by_wave: Mapping[str, int]
    means: tuple[WaveMean, ...]
    differences: tuple[WaveDifference, ...]
    tau2_cadre: float | None
    tau2_village: float | None
    sigma2: float | None
    converged: bool
    notes: tuple[str, ...]


@_result
class WavesSummary(Record):
    """The ``analisis waves --json`` schema (:func:`analisis.stats.waves.waves_summary`)."""

    waves: tuple[str, ...]
    n_cadres: int
    n_complete: int
    n_incomplete: int
    attrition: tuple[Mapping[str, Any], ...]
    baseline: tuple[StayersVsLost, ...]
    friedman: FriedmanTest
    rm_anova: RepeatedMeasuresAnova
    pairwise: tuple[WavePair, ...]
    retention: tuple[Retention, ...]
    mixed_model: WavesMixedModel
    notes: tuple[str, ...]


@_result
class FollowUpWave(Record):
    """One delayed post-test as the config names it (``label`` in each language)."""

    phase: str
    label: Mapping[str, str]
    days_after_training: int


@_result
class ForgottenItem(Record):
    """One item from the post-test to a follow-up: exact McNemar, Holm over the items."""

    item_id: str
    n_paired: int
    forgotten: int
    learned: int
    p: float | None
    p_holm: float | None


@_result
class ForgottenItems(Record):
    """The items of one follow-up against the post-test."""

    phase: str
    items: tuple[ForgottenItem, ...]


@_result
class WavesAnalysis(Record):
    """waves.json: a study with delayed post-tests (``knowledge.follow_up``).

    ``summary`` is the ``analisis waves`` schema over the knowledge scores (a cadre is
    (cohort, participant_id); with two or more villages the cohort is the village);
    ``forgotten`` the item analysis of each follow-up against the post-test;
    ``left_out`` the cohorts that list fewer follow-ups (not part of the analysis).
    """

    follow_up: tuple[FollowUpWave, ...]
    left_out: tuple[str, ...]
    summary: WavesSummary
    forgotten: tuple[ForgottenItems, ...]
