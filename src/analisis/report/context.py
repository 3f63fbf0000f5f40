"""Turn the results into the formatted values the report template prints.

Nothing here computes a statistic: values come from the result types
(:mod:`analisis.results`, read by :mod:`analisis.report.sources`) and are only formatted
(decimal comma in Indonesian, p values APA-style) and arranged into rows.
Counting the cleaning log's rows per action is the one summary made here; it is a tally of
the log, not an estimate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

import pandas as pd

from analisis.config import DEFAULTS
from analisis.figures.statline import SEPARATOR, format_ci, format_count, t_test_line, wilcoxon_line
from analisis.figures.style import label
from analisis.fmt import format_number, format_p, format_printed
from analisis.report.planning import planning_context
from analisis.report.scale import ROWS_SHOWN_MAX, long_table
from analisis.report.sources import Results
from analisis.report.study import LISTED_MAX
from analisis.report.text import SECTIONS, TEXT, VILLAGE_SECTIONS, WAVE_SECTIONS
from analisis.report.villages import pooled_context, villages_context
from analisis.report.waves import waves_context
from analisis.results import Description, PairedSummary
from analisis.text import LANGUAGES, family, say

ACTIONS = ("kept", "merged", "dropped", "flagged")
#: Optional descriptions of the study (from the config) shown in its section.
STUDY_KEYS = (
    "title", "citation", "doi", "site", "site_list", "site_csv", "topic", "reconstructed",
    "synthetic",
)  # fmt: skip
#: Field of a published-check row holding its note in each language.
NOTE_FIELD = {"id": "note_id", "en": "note"}
#: KR-20 below this after training is explained as variance collapse, not unreliability.
KR20_COLLAPSE_NOTE_BELOW = 0.5


class Formatter:
    """Number formats of one language.

    Examples
    --------
    >>> f = Formatter("id")
    >>> f.num(99.478), f.pct(20 / 23), f.p(0.0004), f.p_cell(0.0123), f.ci([1.5, 2.25])
    ('99,48', '87,0', 'p < 0,001', '0,012', '[1,50; 2,25]')
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def num(self, value: float | None, decimals: int = 2) -> str:
        """A number, en dash when absent."""
        return format_number(value, decimals, self.lang)

    def count(self, value: float | None) -> str:
        """A count or df: whole numbers without decimals."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return format_count(value, self.lang)

    def pct(self, share: float | None, decimals: int = 1) -> str:
        """A share 0–1 as a percentage number (no % sign)."""
        return self.num(None if share is None else 100 * share, decimals)

    def p(self, value: float | None) -> str:
        """``p = 0.012`` / ``p < 0.001``."""
        return "p = –" if value is None else format_p(value, self.lang)

    def p_cell(self, value: float | None) -> str:
        """A p value in a table cell: ``0.012`` or ``< 0.001``."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return format_p(value, self.lang).removeprefix("p = ").removeprefix("p ")

    def ci(self, values: Sequence[float] | None, decimals: int = 2) -> str:
        """A CI ``[lo, hi]`` (``[lo; hi]`` in Indonesian)."""
        return format_ci(values, self.lang, decimals) or "–"


def _value(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def results_sentence(k: PairedSummary, alpha: float, lang: str) -> str:
    """One APA-style results sentence, in ``lang`` (the primary test first).

    Parameters
    ----------
    k : PairedSummary
        knowledge_paired.json.
    alpha : float
        Significance level (knowledge_details.json).
    lang : {"id", "en"}

    Examples
    --------
    Student's sleep data (R: means 0.75 and 2.33, SDs 1.79 and 2.00, t(9) = 4.0621,
    p = 0.002833; V = 45, p = 0.009091):

    >>> from analisis.stats.summary import paired_summary
    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> k, _ = paired_summary(g1, g2)
    >>> print(results_sentence(k, 0.05, "id"))  # doctest: +NORMALIZE_WHITESPACE
    Skor pengetahuan naik dari rerata 0,75 (SB 1,79) sebelum menjadi 2,33 (SB 2,00)
    setelah pelatihan, perubahan yang signifikan; uji Wilcoxon (uji utama):
    V = 45; p = 0,009; r_rb = 1,00 [1,00; 1,00]; uji t berpasangan:
    t(9) = 4,06; p = 0,003; d_z = 1,28 [0,41; 2,12]; n = 10.
    >>> print(results_sentence(k, 0.05, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Knowledge scores rose from M = 0.75 (SD = 1.79) before to M = 2.33 (SD = 2.00) after
    training, a significant change; Wilcoxon test (primary): V = 45, p = 0.009,
    r_rb = 1.00 [1.00, 1.00]; paired t-test: t(9) = 4.06, p = 0.003,
    d_z = 1.28 [0.41, 2.12], n = 10.
    """
    f = Formatter(lang)
    pre, post = k.pre, k.post
    effect = k.effect_size
    t_line = t_test_line(
        k.t_test.t, k.t_test.df, k.t_test.p, effect.d_z, effect.d_z_ci95, k.n_pairs, lang
    )
    w_line = wilcoxon_line(
        k.wilcoxon.V, k.wilcoxon.p, effect.rank_biserial, effect.rank_biserial_ci95, lang
    )
    primary_is_t = k.primary_test != "wilcoxon"
    primary_p = k.t_test.p if primary_is_t else k.wilcoxon.p
    significant = primary_p < alpha
    head = say(
        "report.sentence.head",
        lang,
        verb=say("report.sentence." + ("rose" if k.difference.mean >= 0 else "fell"), lang),
        pre_mean=f.num(pre.mean),
        pre_sd=f.num(pre.sd),
        post_mean=f.num(post.mean),
        post_sd=f.num(post.sd),
        change=say(
            "report.sentence." + ("significant" if significant else "not_significant"), lang
        ),
    )
    marker = say("report.sentence.primary", lang)
    tests = [("t_test", t_line), ("wilcoxon", w_line)]
    if not primary_is_t:
        tests.reverse()
    (first, first_line), (second, second_line) = tests
    return say(
        "report.sentence.whole",
        lang,
        head=head,
        first=say(f"report.sentence.{first}", lang, marker=marker, line=first_line),
        second=say(f"report.sentence.{second}", lang, marker="", line=second_line),
    )


def log_reasons(codes: str, lang: str) -> str:
    """The cleaning log's ``reason`` (codes joined by ``;``) in words of ``lang``.

    A code the catalogue does not know is shown as it is.

    Examples
    --------
    >>> log_reasons("duplicates_merged;fuzzy_name_match", "en")  # doctest: +NORMALIZE_WHITESPACE
    'this submission was used; others of the same name were merged; matched by a similar
    name: confirm it, or forbid it in the match overrides'
    >>> log_reasons("", "id"), log_reasons("new_code", "id")
    ('', 'new_code')
    """
    known = family("log_reason", lang)
    return "; ".join(known.get(code, code) for code in filter(None, codes.split(";")))


def rows_by_file(log: pd.DataFrame) -> pd.DataFrame:
    """Rows of the cleaning log per source file and action: ``source_file`` and a count
    column per action of :data:`ACTIONS`, files sorted by name.

    Examples
    --------
    >>> log = pd.DataFrame({"source_file": ["b.csv", "a.csv", "a.csv"],
    ...                     "action": ["kept", "dropped", "kept"]})
    >>> rows_by_file(log).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'source_file': 'a.csv', 'kept': 1, 'merged': 0, 'dropped': 1, 'flagged': 0},
     {'source_file': 'b.csv', 'kept': 1, 'merged': 0, 'dropped': 0, 'flagged': 0}]
    """
    files = log["source_file"].astype(str)
    counts = pd.crosstab(files, log["action"]).reindex(columns=list(ACTIONS), fill_value=0)
    counts = counts.sort_index().rename_axis(index="source_file", columns=None)
    return counts.astype(int).reset_index()


def data_flow(log: pd.DataFrame, lang: str, csv: str | None = None) -> dict[str, Any]:
    """Rows of the cleaning log per source file and action, and the reasons for changes.

    Reasons are the log's codes in words of ``lang`` (:func:`log_reasons`). Above
    :data:`~analisis.report.study.LISTED_MAX` files (rows of reasons), ``files_heading``
    (``reasons_heading``) heads the folded table (else it is None). ``csv`` names the
    registered table of rows per file, if the run writes one: above
    :data:`~analisis.report.scale.ROWS_SHOWN_MAX` files, ``by_file`` then shows the files
    with fewest and most rows changed and links it (:func:`~analisis.report.scale.long_table`).

    Examples
    --------
    >>> log = pd.DataFrame({"source_file": ["a.csv", "a.csv", "b.csv"],
    ...                     "action": ["kept", "dropped", "kept"],
    ...                     "reason": ["used", "blank_submission", "used"]})
    >>> flow = data_flow(log, "en")
    >>> flow["rows_in"], flow["by_file"]["rows"][0], flow["reasons"]
    (3, ['a.csv', 1, 0, 1, 0], [['dropped', 'every answer is blank', 1]])
    """
    t = TEXT[lang]
    counts = rows_by_file(log)
    by_file = [[str(r[0]), *map(int, r[1:])] for r in counts.itertuples(index=False)]
    changed = log[log["action"] != "kept"].copy()
    changed["reason"] = changed["reason"].fillna("").astype(str)
    reasons = (
        changed.groupby(["action", "reason"]).size().reset_index(name="rows")
        if len(changed)
        else pd.DataFrame(columns=["action", "reason", "rows"])
    )
    return {
        "rows_in": len(log),
        "actions": [t[a] for a in ACTIONS],
        "by_file": long_table(
            by_file,
            lang,
            csv=csv,
            keys=list(counts[list(ACTIONS[1:])].sum(axis=1)),
            by=t["by_changed"],
        ),
        "reasons": [
            [t.get(r.action, r.action), log_reasons(r.reason, lang), int(r.rows)]
            for r in reasons.itertuples()
        ],
        # Many villages' files and reasons are folded away, so that the first result
        # stays near the top.
        "files_heading": _fold_heading(t["files_list"], len(by_file)),
        "reasons_heading": _fold_heading(t["reasons_list"], len(reasons)),
    }


def _fold_heading(template: str, n: int) -> str | None:
    """The heading of a folded list of ``n`` rows; None when it is short enough to show."""
    return template.format(n=n) if n > LISTED_MAX else None


def _phase_row(f: Formatter, name: str, ph: Description) -> list[str]:
    return [
        name,
        f.count(ph.n),
        f.num(ph.mean),
        f.num(ph.sd),
        f.num(ph.se),
        f.ci([ph.ci95_lower, ph.ci95_upper]),
        f.num(ph.median),
        f"{f.num(ph.q1)}–{f.num(ph.q3)}",
        f"{f.num(ph.min)}–{f.num(ph.max)}",
        f.pct(_value(ph.share_at_max)),
    ]


#: Label of an effect size in the text catalogue, where it is not ``<field>_text``.
EFFECT_LABELS = {"rank_biserial": "rb_text"}


def _effect_rows(results: Results, t: Mapping[str, Any], f: Formatter) -> list[list[str]]:
    """The effect-size table: every field of the paired summary's effect sizes, in order
    (a ``<name>_ci95`` field is printed after its estimate), then the details' estimates.
    """
    eff = results.knowledge_paired.effect_size
    details = results.knowledge_details
    boot = details.bootstrap_mean_difference
    names = [fd.name for fd in fields(eff) if not fd.name.endswith("_ci95")]
    rows = []
    for name in names:
        interval = getattr(eff, f"{name}_ci95", None)
        value = f.num(getattr(eff, name)) + ("" if interval is None else f" {f.ci(interval)}")
        rows.append([t[EFFECT_LABELS.get(name, f"{name}_text")], value])
    return [
        *rows,
        [t["hl_text"], f.num(details.hodges_lehmann)],
        [
            t["boot_text"].format(n=f.count(boot.n_resamples), seed=boot.seed),
            f.ci(boot.ci95),
        ],
    ]


def _spss_context(results: Results, t: Mapping[str, Any], f: Formatter) -> dict[str, Any]:
    """SPSS's "Paired Samples Test", "Ranks" and "Test Statistics" rows."""
    spss = results.knowledge_details.spss_paired_samples_test
    ranks = results.knowledge_details.spss_wilcoxon_ranks
    return {
        "paired_samples_row": [
            f"{t['post']} − {t['pre']}",
            f.num(spss.mean),
            f.num(spss.std_deviation),
            f.num(spss.std_error_mean),
            f.num(spss.ci95_lower),
            f.num(spss.ci95_upper),
            f.num(spss.t, 3),
            f.count(spss.df),
            f.p_cell(spss.sig_2_tailed),
        ],
        "rank_rows": [
            [
                t["negative_ranks"],
                f.count(ranks.negative_ranks.n),
                f.num(_value(ranks.negative_ranks.mean_rank)),
                f.num(ranks.negative_ranks.sum_of_ranks),
            ],
            [
                t["positive_ranks"],
                f.count(ranks.positive_ranks.n),
                f.num(_value(ranks.positive_ranks.mean_rank)),
                f.num(ranks.positive_ranks.sum_of_ranks),
            ],
            [t["ties"], f.count(ranks.ties.n), "", ""],
            [t["total"], f.count(ranks.total.n), "", ""],
        ],
        "test_statistics": [f.num(ranks.z, 3), f.p_cell(ranks.asymp_sig_2_tailed)],
    }


def knowledge_context(results: Results, lang: str) -> dict[str, Any]:
    """Formatted knowledge tables: descriptives, SPSS layouts, effect sizes, assumptions."""
    t = TEXT[lang]
    f = Formatter(lang)
    k = results.knowledge_paired
    details = results.knowledge_details
    phases = details.descriptives
    diff, eff, wilcoxon, shapiro, n_gain = (
        k.difference,
        k.effect_size,
        k.wilcoxon,
        k.shapiro,
        k.n_gain,
    )
    post_share = phases.post.share_at_max
    return {
        "pairs_analysed": t["pairs_analysed"].format(pairs=k.n_pairs, excluded=k.n_excluded),
        "descriptive_rows": [
            _phase_row(f, t["pre"], phases.pre),
            _phase_row(f, t["post"], phases.post),
        ],
        "difference_row": [
            t["difference"],
            f.count(k.n_pairs),
            f.num(diff.mean),
            f.num(diff.sd),
            f.num(details.spss_paired_samples_test.std_error_mean),
            f.ci(diff.ci95),
            *[""] * 4,
        ],
        **_spss_context(results, t, f),
        "r_style": t["r_style"].format(
            line=wilcoxon_line(
                wilcoxon.V, wilcoxon.p, eff.rank_biserial, eff.rank_biserial_ci95, lang
            ),
            method=t["method_names"].get(wilcoxon.method, wilcoxon.method),
            correction=t["yes"] if wilcoxon.continuity_correction else t["no"],
            zeros=wilcoxon.n_zero,
        ),
        "effect_rows": _effect_rows(results, t, f),
        "shapiro": t["shapiro_text"].format(
            W=f.num(shapiro.W, 3), p=f.p(shapiro.p), alpha=f.num(details.normality_alpha)
        ),
        "primary": t["primary_w"] if k.primary_test == "wilcoxon" else t["primary_t"],
        "ceiling": None
        if post_share is None
        else t["ceiling_text"].format(share=f.pct(post_share)),
        "n_gain": None
        if n_gain is None
        else t["n_gain_text"].format(
            cls=f.num(n_gain.class_),
            mean=f.num(n_gain.mean_individual),
            sd=f.num(n_gain.sd_individual),
            undefined=n_gain.n_undefined,
        ),
        # The report's own language first, then the other one.
        "sentences": [
            {
                "lang": other,
                "label": t[f"apa_{other}_label"],
                "text": results_sentence(k, details.alpha, other),
            }
            for other in sorted(LANGUAGES, key=lambda code: code != lang)
        ],
        "n_pairs": k.n_pairs,
    }


def skill_context(results: Results, lang: str) -> dict[str, Any]:
    """Formatted skill results: descriptives, one-sample tests, groups, steps.

    The groups of many villages are cut to their ends (:func:`~analisis.report.scale.long_table`),
    each then named "village · group".
    """
    t = TEXT[lang]
    f = Formatter(lang)
    s = results.skill
    sep = SEPARATOR[lang]
    t_test, wil = s.one_sample.t_test, s.one_sample.wilcoxon
    kw, welch = s.group_comparison.kruskal_wallis, s.group_comparison.welch_anova
    steps = results.skill_steps_summary
    desc = f"description_{lang}"
    groups = results.skill_groups
    cut = len(groups) > ROWS_SHOWN_MAX and "cohort" in groups.columns
    return {
        "summary": t["skill_text"].format(mean=f.num(s.mean), sd=f.num(s.sd), n=s.n),
        "one_sample": t["one_sample_text"].format(
            threshold=f.num(s.competence_threshold, 0),
            t=f"t({f.count(t_test.df)}) = {f.num(t_test.t)}{sep}{f.p(t_test.p)}",
            w=f"V = {f.count(wil.V)}{sep}{f.p(wil.p)}",
        ),
        "top_share": t["top_share_text"].format(
            count=s.top_category.k,
            n=s.n,
            share=f.pct(s.top_category.share),
            ci=f.ci([100 * v for v in s.top_category.ci95], 1),
        ),
        "groups_text": t["groups_text"].format(
            df=f.count(kw.df),
            H=f.num(kw.H),
            p=f.p(kw.p),
            eff=f.num(kw.epsilon_squared),
            df1=f.count(welch.df1),
            df2=f.count(welch.df2),
            F=f.num(welch.F),
            wp=f.p(welch.p),
            weff=f.num(welch.omega_squared),
        ),
        "group_rows": long_table(
            [
                [
                    f"{r.cohort} · {r.group}" if cut else str(r.group),
                    f.count(r.n),
                    f.num(r.mean),
                    f.num(r.sd),
                    f.ci([_value(r.ci95_lower), _value(r.ci95_upper)]),
                ]
                for r in groups.itertuples(index=False)
            ],
            lang,
            csv="skill_groups",
            keys=list(groups["mean"]),
            by=t["by_mean"],
        ),
        "step_rows": [
            [
                str(r.step_id),
                str(getattr(r, desc, "") or "") if desc in steps else "",
                f.num(r.mean_points),
                f.count(r.max_points),
                f.pct(r.share_full),
            ]
            for r in steps.itertuples(index=False)
        ],
    }


def items_context(results: Results, lang: str) -> dict[str, Any]:
    """Formatted item analysis and KR-20."""
    t = TEXT[lang]
    f = Formatter(lang)
    rel = results.items_summary
    kr20_post = _value(rel.kr20_post)
    return {
        "rows": [
            [
                str(r.item_id),
                f.pct(r.difficulty_pre),
                f.pct(r.difficulty_post),
                f.num(_value(r.discrimination_pre)),
                f.num(_value(r.discrimination_post)),
                f.p_cell(_value(r.mcnemar_p)),
                f.p_cell(_value(r.mcnemar_p_holm)),
            ]
            for r in results.item_analysis.itertuples(index=False)
        ],
        "kr20": t["kr20_text"].format(pre=f.num(_value(rel.kr20_pre)), post=f.num(kr20_post)),
        "kr20_note": t["kr20_note"]
        if kr20_post is None or kr20_post < KR20_COLLAPSE_NOTE_BELOW
        else None,
    }


def checks_context(results: Results, lang: str) -> dict[str, Any]:
    """What the methodologist's checks say: the primary-test rule and the scale's notes.

    Every flag is read from the results (knowledge_details.json, items.json); this only
    picks the sentence and formats its numbers.

    Returns
    -------
    dict
        ``primary_rule`` (sentence), ``primary_data_driven`` (bool: the data-driven
        sentence ``knowledge.primary`` applies), ``knowledge`` and ``items`` (lists of
        sentences: ceiling/floor, d_av inflation, d_rm, rank-biserial, t intervals, KR-20).
    """
    t, f = TEXT[lang]["check"], Formatter(lang)
    details = results.knowledge_details
    rule = details.primary_test_rule
    if rule == "pre-specified":
        test = t[f"test_{details.primary_test}"]
        primary_rule = t["primary_prespecified"].format(test=test)
    elif rule.startswith("data-driven"):
        primary_rule = t["primary_data_driven"]
    else:
        primary_rule = t["primary_large_n"].format(n=f.count(details.n_pairs))
    return {
        "primary_rule": primary_rule,
        "primary_data_driven": rule.startswith("data-driven"),
        "knowledge": _scale_sentences(results, lang),
        "items": _kr20_sentences(results, lang),
    }


def _scale_sentences(results: Results, lang: str) -> list[str]:
    """Ceiling/floor, inflated d_av, undefined d_rm, degenerate r_rb CI, crossing t CIs."""
    t, f, phase_name = TEXT[lang]["check"], Formatter(lang), TEXT[lang]
    details, eff = results.knowledge_details, results.knowledge_paired.effect_size
    scale = details.phase_mean_intervals["scale"]
    out = []
    for phase in ("pre", "post"):
        flag = details.ceiling_floor[phase]
        for end, score in (("ceiling", scale[1]), ("floor", scale[0])):
            if flag[end]:
                share = flag["share_at_max" if end == "ceiling" else "share_at_min"]
                out.append(
                    t[end].format(
                        phase=phase_name[phase], share=f.pct(share), score=f.num(score, 0)
                    )
                )
    if any(
        details.ceiling_floor[p]["ceiling"] or details.ceiling_floor[p]["floor"]
        for p in ("pre", "post")
    ):
        out.append(
            t["d_av_inflated"].format(
                d_av=f.num(eff.d_av), g_av=f.num(eff.g_av), d_z=f.num(eff.d_z)
            )
        )
    if _value(eff.d_rm) is None:
        out.append(t["d_rm_undefined"])
    if details.rank_biserial_ci_degenerate:
        out.append(t["rb_degenerate"].format(ci=f.ci(eff.rank_biserial_ci95)))
    for phase in ("pre", "post"):
        interval = details.phase_mean_intervals[phase]
        if interval["t_ci95_crosses_scale"]:
            out.append(
                t["t_ci_crosses"].format(
                    phase=phase_name[phase],
                    t_ci=f.ci(interval["t_ci95"]),
                    low=f.num(scale[0], 0),
                    high=f.num(scale[1], 0),
                    bca=f.ci(interval["bca_ci95"]),
                )
            )
    return out


def _kr20_sentences(results: Results, lang: str) -> list[str]:
    """What a KR-20 below 0.5 (or below 0) means for the test, per phase."""
    t, f = TEXT[lang]["check"], Formatter(lang)
    rel = results.items_summary
    out = []
    for phase, value in (("pre", _value(rel.kr20_pre)), ("post", _value(rel.kr20_post))):
        if value is None or value >= KR20_COLLAPSE_NOTE_BELOW:
            continue
        key = "kr20_negative" if value < 0 else "kr20_low"
        out.append(t[key].format(phase=TEXT[lang][phase], value=f.num(value, 3)))
    return out


def _recomputed(f: Formatter, value: Any, printed: str) -> str:
    """A recomputed value with the printed value's decimals (at least 2 for non-integers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    if float(value).is_integer() and "." not in printed and "," not in printed:
        return f.count(value)
    shown = printed.replace(",", ".")
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return f.num(value, max(decimals, 2))


def _check_rows(results: Results, t: Mapping[str, Any], f: Formatter, lang: str):
    """Rows of the published-values check of every cohort, None when it did not run."""
    if results.published_check_json is None:
        return None
    rows = []
    for cohort in results.published_check_json.cohorts:
        for row in cohort.rows:
            grim = row.grim_consistent
            note = getattr(row, NOTE_FIELD[lang]) or row.note
            rows.append([
                str(cohort.cohort or ""),
                str(row.quantity),
                format_printed(str(row.printed), lang),
                _recomputed(f, row.recomputed, str(row.printed)),
                t["yes"] if row.agrees else t["no"],
                "–" if grim is None else (t["possible"] if grim else t["impossible"]),
                str(note or ""),
            ])  # fmt: skip
    return rows


def published_context(
    results: Results, lang: str, *, reconstructed: bool = False
) -> dict[str, Any]:
    """Formatted published-values check and robustness summaries; None parts were not run.

    Printed values keep their digits with the decimal mark of ``lang``; ``reconstructed``
    heads the recomputed column "from the reconstruction".
    """
    t = TEXT[lang]
    f = Formatter(lang)
    robustness = None
    if results.published_robustness is not None:
        searched = results.published_robustness.cohorts
        robustness = []
        for entry in searched:
            key = "significant_all" if entry.significant_in_every_case else "significant_not_all"
            text = t["robustness_text"].format(
                n=len(entry.d_z.values),
                tmin=f.num(entry.t.min),
                tmax=t["unbounded"] if entry.t.max is None else f.num(entry.t.max),
                pmin=f.p_cell(entry.p.min),
                pmax=f.p_cell(entry.p.max),
                verdict=label(key, lang),
            )
            robustness.append(f"{entry.cohort}: {text}" if len(searched) > 1 else text)
    return {
        "check_rows": _check_rows(results, t, f, lang),
        "robustness": robustness,
        "recomputed": t["recomputed_reconstructed" if reconstructed else "recomputed"],
    }


def category_crosstab(shift: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    """The category shift as a cross table: categories before (rows) × after (columns).

    Categories keep the order of the statistics' table; pairs absent from it count 0.

    Examples
    --------
    >>> shift = pd.DataFrame({"pre_category": ["baik", "cukup"],
    ...                       "post_category": ["baik", "baik"], "n": [17, 6]})
    >>> category_crosstab(shift)
    (['baik', 'cukup'], [['baik', 17, 0], ['cukup', 6, 0]])
    """
    levels = list(dict.fromkeys([*shift["pre_category"], *shift["post_category"]]))
    counts = {(r.pre_category, r.post_category): int(r.n) for r in shift.itertuples(index=False)}
    rows = [[pre, *[counts.get((pre, post), 0) for post in levels]] for pre in levels]
    return [str(level) for level in levels], rows


def tables_context(results: Results, lang: str) -> dict[str, Any]:
    """Category shift (cross table) and N-gain category tables, as printed."""
    t = TEXT[lang]
    levels, shift_rows = category_crosstab(results.knowledge_category_shift)
    gains = results.n_gain_categories
    return {
        "shift_header": [f"{t['category_pre']} ↓ / {t['category_post']} →", *levels],
        "shift_rows": shift_rows,
        "n_gain_rows": [
            [t["undefined"] if r.category == "undefined" else str(r.category), int(r.n)]
            for r in gains.itertuples(index=False)
        ],
    }


def _ignoring_villages(results: Results, lang: str) -> str | None:
    """The note that the paired tests ignore villages (None for one village)."""
    pooling = results.knowledge_details.pooling
    if pooling is None or pooling.paired_tests != "ignores_villages":
        return None
    return say("report.ignoring_villages_note", lang, n=pooling.n_villages)


def study_words(study: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """Title, subtitle, banner and study section's words from the config's study block.

    ``study`` is :func:`analisis.report.render.study_from_config`'s mapping; keys it
    lacks take the schema's defaults (``study.topic``, ``study.reconstructed``,
    ``study.synthetic``). Without a topic the title and text name none. The banner says
    "reconstructed" or "synthetic"; real data get none.

    Examples
    --------
    >>> words = study_words({"topic": "lactation-massage", "reconstructed": True}, "en")
    >>> words["title"]
    'Analysis report: lactation-massage training of health cadres'
    >>> words["subtitle"]
    'Knowledge and skill of cadres, computed from reconstructed data'
    >>> study_words({"synthetic": True}, "en")["banner"][:25]
    'Synthetic data, not real '
    >>> study_words(None, "id")["title"], study_words(None, "id")["banner"] is None
    ('Laporan analisis: pelatihan kader kesehatan', True)
    """
    given = {key: (study or {}).get(key) for key in STUDY_KEYS}
    defaults = DEFAULTS["study"]
    topic = given["topic"] or (defaults["topic"] or {}).get(lang)
    flags = {
        flag: bool(defaults.get(flag) if given[flag] is None else given[flag])
        for flag in ("reconstructed", "synthetic")
    }
    kind = next((flag for flag, on in flags.items() if on), None)
    return {
        "study": given,
        **flags,
        "title": say("report.title", lang, topic=topic)
        if topic
        else say("report.title_general", lang),
        "subtitle": say(f"report.subtitle_{kind}" if kind else "report.subtitle", lang),
        "banner": say(f"report.{kind}_banner", lang) if kind else None,
        "study_text": say("report.study_text", lang, topic=topic)
        if topic
        else say("report.study_text_general", lang),
    }


def build_context(
    results: Results,
    lang: str,
    *,
    figures: Mapping[str, Mapping[str, str]],
    provenance: Mapping[str, Any],
    study: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the template prints, formatted for ``lang``.

    Parameters
    ----------
    results : Results
        From :func:`analisis.report.sources.load_results`.
    lang : {"id", "en"}
    figures : Mapping
        ``{name: {"src": "data:image/png;base64,...", "alt": "..."}}``.
    provenance : Mapping
        ``inputs`` (list of [path, sha256]), ``packages`` (list of [name, version]),
        ``versions`` (name -> version, for the methods paragraph), ``git_commit``,
        ``config`` (text).
    study : Mapping, optional
        ``title``, ``citation``, ``doi``, ``site`` from the config, printed when present.
    """
    t = TEXT[lang]
    knowledge = knowledge_context(results, lang)
    skill = skill_context(results, lang)
    versions = provenance["versions"]
    about = study_words(study, lang)
    several = results.pooled is not None
    return {
        "lang": lang,
        "t": t,
        **about,
        "sections": [
            (sid, t[key])
            for sid, key in SECTIONS
            if (several or sid not in VILLAGE_SECTIONS)
            and (sid != "planning" or results.planning is not None)
            and (results.waves is not None or sid not in WAVE_SECTIONS)
        ],
        "villages": villages_context(results, lang, Formatter(lang)),
        "pooled": pooled_context(results, lang, Formatter(lang)),
        "planning": planning_context(results, lang, Formatter(lang)),
        "waves": waves_context(results, lang, Formatter(lang)),
        "ignoring_villages": _ignoring_villages(results, lang),
        "study_counts": t["study_counts"].format(
            pairs=knowledge["n_pairs"],
            items=len(results.item_analysis),
            steps=len(results.skill_steps_summary),
            groups=len(results.skill_groups),
        ),
        "flow": data_flow(results.cleaning_log, lang, "data_flow_by_file" if several else None),
        "knowledge": knowledge,
        "skill": skill,
        "items": items_context(results, lang),
        "checks": checks_context(results, lang),
        "published": published_context(results, lang, reconstructed=about["reconstructed"]),
        "tables": tables_context(results, lang),
        "figures": figures,
        "methods": t["methods_text"].format(**{k: versions.get(k, "–") for k in _METHOD_KEYS}),
        "provenance": provenance,
        "inputs": long_table(provenance["inputs"], lang, csv="input_hashes" if several else None),
        "config_cut": None
        if provenance.get("config_cohorts_shown") is None
        else say(
            "report.config_cohorts_cut",
            lang,
            n=provenance["config_cohorts"],
            k=provenance["config_cohorts_shown"],
        ),
    }


_METHOD_KEYS = (
    "python",
    "analisis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pingouin",
    "matplotlib",
    "snakemake",
)
