"""The report's section "Does it last? Delayed test" (studies with delayed post-tests).

As :mod:`analisis.report.context`, nothing here computes a statistic: waves.json is
formatted and arranged into a headline sentence, the attrition tables, the tests and the
item table. Whether the cadres who stayed look like those who started is read from the
baseline effect sizes already computed: alike when |d| < :data:`ALIKE_BELOW` before and
after training (Cohen's "small" effect), else the wave with the larger |d| is named.
"""

from __future__ import annotations

from typing import Any

from analisis.report.sources import Results, wave_labels
from analisis.report.text import TEXT
from analisis.results import StayersVsLost, WavesAnalysis
from analisis.text import say

#: Baseline |d| below which the completers are said to look like the starters.
ALIKE_BELOW = 0.2


def headline(waves: WavesAnalysis, lang: str, f: Any) -> str | None:
    """The section's first sentence: the share of the gain kept at the last follow-up.

    None when no cadre with a gain was tested every time.
    """
    kept = waves.summary.retention[-1]
    if kept.ratio_of_means is None or not kept.n_with_gain:
        return None
    return say(
        "report.waves.sentence",
        lang,
        label=waves.follow_up[-1].label[lang],
        kept=f.num(100 * kept.ratio_of_means, 0),
        n=kept.n,
        n_kept=kept.n_kept,
        n_gain=kept.n_with_gain,
        share=f.num(100 * kept.kept_share, 0),
        n_base=kept.n_at_baseline,
    )


def completers_sentence(baseline: tuple[StayersVsLost, ...], lang: str, f: Any) -> str:
    """Whether those who stayed look like those who started (see the module's rule).

    Examples
    --------
    >>> from analisis.report.context import Formatter
    >>> b = StayersVsLost("pre", 30, 10, 70.0, 60.0, 10.0, (2.0, 18.0), 0.02, 0.8)
    >>> completers_sentence((b,), "en", Formatter("en"))[49:104]
    'they had scored higher before the training (difference '
    """
    measured = [b for b in baseline if b.d is not None]
    if not measured:
        return say("report.waves.too_few_lost", lang)
    largest = max(measured, key=lambda b: abs(b.d))
    if abs(largest.d) < ALIKE_BELOW:
        return say("report.waves.alike", lang)
    return say(
        "report.waves." + ("higher" if largest.difference > 0 else "lower"),
        lang,
        wave=say(f"report.waves.at_{largest.wave}", lang),
        difference=f.num(largest.difference),
        ci=f.ci(largest.ci95),
        d=f.num(largest.d),
    )


def _anova_note(a: Any, n: int, k: int, lang: str) -> str | None:
    """Why F or Mauchly's test is undefined (rm_anova's ``note``), in ``lang``."""
    if a.note is None:
        return None
    if a.F is None:
        return say("report.waves.no_variation", lang)
    return say("report.waves.few_for_mauchly", lang, n=n, k=k)


def waves_context(results: Results, lang: str, f: Any) -> dict[str, Any] | None:
    """Everything the waves section prints; None without delayed post-tests.

    Parameters
    ----------
    results : Results
        With ``waves`` (waves.json).
    lang : {"id", "en"}
    f : analisis.report.context.Formatter
    """
    waves = results.waves
    if waves is None:
        return None
    t = TEXT[lang]["waves"]
    s = waves.summary
    names = dict(zip(s.waves, wave_labels(results, lang), strict=True))
    starters = sum(row["starters"] for row in s.attrition)
    several = s.mixed_model.n_villages is not None
    attrition_rows = [
        [row["village"] or "–", *(f.count(row[w]) for w in s.waves), f.count(row["complete"])]
        for row in s.attrition
    ]
    baseline_rows = [
        [names[b.wave], f"{f.count(b.n_stayed)}; {f.num(b.mean_stayed)}",
         f"{f.count(b.n_lost)}; {f.num(b.mean_lost)}",
         f"{f.num(b.difference)} {f.ci(b.ci95)}", f.num(b.d)]
        for b in s.baseline
    ]  # fmt: skip
    pair_rows = [
        [f"{names[c.earlier]} → {names[c.later]}", f.count(c.n),
         f"{f.num(c.mean_difference)} {f.ci(c.ci95)}", f.num(c.t), f.p_cell(c.p_t_holm),
         f.num(c.V, 1), f.p_cell(c.p_wilcoxon_holm), f"{f.num(c.d_z)} {f.ci(c.d_z_ci95)}"]
        for c in s.pairwise
    ]  # fmt: skip
    m = s.mixed_model
    model_rows = [
        [names[w.wave], f.count(m.n_by_wave[w.wave]), f"{f.num(w.estimate)} {f.ci(w.ci95)}"]
        for w in m.means
    ]
    model_rows += [
        [f"{names[d.later]} − {names[d.earlier]}", "", f"{f.num(d.estimate)} {f.ci(d.ci95)}"]
        for d in m.differences
    ]
    a, fr = s.rm_anova, s.friedman
    return {
        "headline": headline(waves, lang, f),
        "attrition": say(
            "report.waves.attrition",
            lang,
            starters=starters,
            complete=s.n_complete,
            lost=s.n_incomplete,
        ),
        "completers": completers_sentence(s.baseline, lang, f),
        "left_out": say("report.waves.left_out", lang, cohorts=", ".join(waves.left_out))
        if waves.left_out
        else None,
        "attrition_header": [TEXT[lang]["village"], *names.values(), t["h_every"]],
        "attrition_rows": attrition_rows,
        "baseline_header": [t["h_test"], t["h_stayed"], t["h_lost"], t["h_difference"], "d"],
        "baseline_rows": baseline_rows,
        "complete_cases": say("report.waves.complete_cases", lang, n=s.n_complete),
        "friedman": say(
            "report.waves.friedman",
            lang,
            df=fr.df,
            chi2=f.num(fr.chi2),
            p=f.p(fr.p),
            w=f.num(fr.kendall_w, 3),
        ),
        "anova": say(
            "report.waves.anova",
            lang,
            df1=a.df1,
            df2=a.df2,
            F=f.num(a.F),
            p=f.p(a.p),
            ges=f.num(a.ges, 3),
            mauchly=f.num(a.mauchly_W, 3),
            mauchly_p=f.p(a.mauchly_p),
            gg=f.num(a.eps_gg, 3),
            p_gg=f.p(a.p_gg),
            hf=f.num(a.eps_hf, 3),
            p_hf=f.p(a.p_hf),
        ),
        "anova_note": _anova_note(a, s.n_complete, len(s.waves), lang),
        "pairwise": t["pairwise"],
        "pair_header": [
            t["h_comparison"],
            TEXT[lang]["n"],
            t["h_diff"],
            "t",
            t["h_p_t"],
            "V",
            t["h_p_w"],
            "d_z",
        ],
        "pair_rows": pair_rows,
        "mixed": say(
            "report.waves.mixed",
            lang,
            n_cadres=m.n_cadres,
            n_obs=m.n_observations,
            village=t["mixed_village"] if several else "",
        ),
        "mixed_converged": m.converged,
        "model_header": [t["h_test"], TEXT[lang]["n"], t["h_model_mean"]],
        "model_rows": model_rows,
        "variances": say(
            "report.waves.variances",
            lang,
            cadre=f.num(m.tau2_cadre),
            village=say("report.waves.variance_village", lang, village=f.num(m.tau2_village))
            if several
            else "",
            residual=f.num(m.sigma2),
        ),
        "items": [
            {
                "text": say("report.waves.items", lang, label=names[block.phase]),
                "rows": [
                    [
                        i.item_id,
                        f.count(i.n_paired),
                        f.count(i.forgotten),
                        f.count(i.learned),
                        f.p_cell(i.p),
                        f.p_cell(i.p_holm),
                    ]
                    for i in block.items
                ],
            }
            for block in waves.forgotten
        ],
        "items_header": [
            TEXT[lang]["item"],
            TEXT[lang]["n"],
            t["h_forgotten"],
            t["h_learned"],
            "p",
            TEXT[lang]["p_holm"],
        ],
    }
