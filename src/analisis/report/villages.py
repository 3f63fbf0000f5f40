"""The report's village sections: each village on its own and pooled over villages.

As :mod:`analisis.report.context`, nothing here computes a statistic: by_village.csv,
skill_groups.csv, skill_steps_by_village.csv and pooled.json are formatted and arranged
into rows. From :data:`SORTABLE_FROM` villages on, the page also carries every row's
cells as compact JSON and a few lines of script draw them :data:`PAGE_ROWS` at a time,
filtered by name and sorted by a column (a number column by the number its text begins
with: villages that show the same value keep their order); the HTML holds only the
first page (what a browser without script shows, with the CSV's link), so 10,000
villages cost about 1.6 MB. Lists that grow with the villages are cut
(:mod:`analisis.report.scale`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analisis.figures.companions import group_tick_label
from analisis.report.scale import ENDS_SHOWN, long_table, table_link
from analisis.report.sources import Results
from analisis.report.text import TEXT
from analisis.results import MetaAnalysis, MixedModel, PooledAnalysis
from analisis.text import say

#: From this many villages on, the by-village table can be sorted and filtered.
SORTABLE_FROM = 10
#: Rows of the by-village table drawn at a time (and in the HTML, for a page without script).
PAGE_ROWS = 50
#: Villages named in a sentence; more are counted and left to the result file.
NAMED_MAX = 30


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _with_ci(f: Any, value: Any, lower: Any, upper: Any) -> str:
    """``estimate [lower, upper]`` in the formats of ``f``'s language."""
    return f"{f.num(_number(value))} {f.ci([_number(lower), _number(upper)])}"


def _village_row(row: Any, t: Mapping[str, Any], f: Any) -> list[str]:
    """One row of the by-village table, as shown."""
    test = str(row.primary_test) if isinstance(row.primary_test, str) else ""
    return [
        str(row.cohort),
        f.count(_number(row.n_pairs)),
        f"{f.num(_number(row.pre_mean))} ({f.num(_number(row.pre_sd))})",
        f"{f.num(_number(row.post_mean))} ({f.num(_number(row.post_sd))})",
        _with_ci(f, row.gain_mean, row.gain_ci95_lower, row.gain_ci95_upper),
        _with_ci(f, row.d_z, row.d_z_ci95_lower, row.d_z_ci95_upper),
        t["test_names"].get(test, test or "–"),
        f.p_cell(_number(row.p_primary)),
        f.num(_number(row.n_gain_class)),
        f.count(_number(row.skill_n)),
        _with_ci(f, row.skill_mean, row.skill_ci95_lower, row.skill_ci95_upper),
        f.pct(_number(row.skill_share_at_or_above_threshold)),
    ]


def villages_context(results: Results, lang: str, formatter: Any) -> dict[str, Any] | None:
    """The "By village" section: the by-village table, groups and steps per village.

    None for a study of one village (its results are the whole report).

    Parameters
    ----------
    results : Results
        With ``by_village`` (and ``skill_steps_by_village``).
    lang : {"id", "en"}
    formatter : analisis.report.context.Formatter
        Number formats of ``lang``.
    """
    table = results.by_village
    if table is None or len(table) < 2:
        return None
    t, f = TEXT[lang], formatter
    header = [
        t[key]
        for key in ("village", "pairs", "pre_mean_sd", "post_mean_sd", "gain_ci", "d_z_ci",
                    "primary_test", "p", "n_gain_class", "skill_n", "skill_mean_ci",
                    "at_threshold")
    ]  # fmt: skip
    groups = results.skill_groups
    steps = results.skill_steps_by_village
    rows = [_village_row(row, t, f) for row in table.itertuples(index=False)]
    sortable = len(rows) >= SORTABLE_FROM
    return {
        "text": say("report.villages_text", lang, n=len(table)),
        "header": header,
        "rows": rows,
        "sortable": sortable,
        "page_rows": PAGE_ROWS,
        "paged": say("report.villages_paged", lang, n=len(rows), k=PAGE_ROWS)
        if len(rows) > PAGE_ROWS
        else None,
        "csv": table_link("by_village"),
        "group_rows": long_table(
            [
                [
                    str(r.cohort),
                    group_tick_label(str(r.group), lang, width=1000),
                    f.count(r.n),
                    f.num(r.mean),
                    f.num(_number(r.sd)),
                    f.ci([_number(r.ci95_lower), _number(r.ci95_upper)]),
                ]
                for r in groups.itertuples(index=False)
            ]
            if "cohort" in groups.columns
            else [],
            lang,
            csv="skill_groups",
            keys=list(groups["mean"]) if "cohort" in groups.columns else None,
            by=t["by_mean"],
        ),
        "step_rows": long_table(
            []
            if steps is None
            else [
                [
                    str(r.cohort),
                    str(r.step_id),
                    f.count(r.n),
                    f.pct(r.mean_share),
                    f.pct(r.share_full),
                ]
                for r in steps.itertuples(index=False)
            ],
            lang,
            csv="skill_steps_by_village",
            keys=None if steps is None else list(steps["mean_share"]),
            by=t["by_mean_share"],
        ),
    }


def named_villages(villages: list[str], lang: str, where: str) -> str:
    """Villages joined for a sentence; above :data:`NAMED_MAX`, the first
    :data:`~analisis.report.scale.ENDS_SHOWN` and how many more ``where`` lists.

    Examples
    --------
    >>> named_villages(["desa_01", "desa_02"], "en", "pooled.json")
    'desa_01, desa_02'
    >>> named_villages([f"d{i}" for i in range(40)], "en", "tables/pooled.json")[-52:]
    'd8, d9 and 30 more (every one in tables/pooled.json)'
    """
    separator = say("list.separator", lang)
    if len(villages) <= NAMED_MAX:
        return separator.join(villages)
    return say(
        "report.more_villages",
        lang,
        villages=separator.join(villages[:ENDS_SHOWN]),
        n=len(villages) - ENDS_SHOWN,
        file=where,
    )


def _meta_row(name: str, meta: MetaAnalysis | None, t: Mapping[str, Any], f: Any) -> list[str]:
    if meta is None:
        return [name, *["–"] * 7]
    return [
        name,
        f.num(meta.estimate),
        f.ci(meta.ci95),
        f.p_cell(meta.p),
        f"{f.num(meta.tau2)} {f.ci(meta.tau2_ci95)}",
        f"{f.num(meta.I2, 1)} {f.ci(meta.I2_ci95, 1)}",
        f.ci(meta.prediction_interval95),
        f"{t['pool_method'].get(meta.method, meta.method)}, "
        f"{t['pool_test'].get(meta.test, meta.test)}",
    ]


def _below(model: MixedModel | None) -> list[str]:
    """Villages whose whole BLUP interval lies below the model's target."""
    if model is None:
        return []
    return [blup.village for blup in model.blups if blup.below_target]


def _mentors(key: str, model: MixedModel | None, lang: str, f: Any) -> str | None:
    """Sentence naming the villages below the target, None without a model or target."""
    if model is None or model.target is None:
        return None
    below = _below(model)
    villages = named_villages(below, lang, table_link("pooled")) or say("report.mentors_none", lang)
    return say(key, lang, target=f.num(model.target, 1), villages=villages)


def pooled_sentence(pooled: PooledAnalysis, lang: str, f: Any) -> str | None:
    """The headline sentence: the random-effects pooled gain (None without one)."""
    meta, t = pooled.meta_gain, TEXT[lang]
    if meta is None:
        return None
    return say(
        "report.pooled_sentence",
        lang,
        k=meta.k,
        method=t["pool_method"].get(meta.method, meta.method),
        test=t["pool_test"].get(meta.test, meta.test),
        estimate=f.num(meta.estimate),
        ci=f.ci(meta.ci95),
        p=f.p(meta.p),
        tau2=f.num(meta.tau2),
        tau2_ci=f.ci(meta.tau2_ci95),
        I2=f.num(meta.I2, 1),
        I2_ci=f.ci(meta.I2_ci95, 1),
        pi=f.ci(meta.prediction_interval95),
    )


def pooled_context(results: Results, lang: str, formatter: Any) -> dict[str, Any] | None:
    """The pooled section: meta-analyses, mixed model, villages below the target.

    None unless the study has two or more villages (pooled.json).
    """
    pooled = results.pooled
    if pooled is None:
        return None
    t, f = TEXT[lang], formatter
    mixed = pooled.mixed_gain
    skill_meta = pooled.skill.meta_mean
    return {
        "sentences": {other: pooled_sentence(pooled, other, type(f)(other)) for other in TEXT},
        "skill_sentence": None
        if skill_meta is None
        else say(
            "report.pooled_skill_sentence",
            lang,
            k=skill_meta.k,
            estimate=f.num(skill_meta.estimate),
            ci=f.ci(skill_meta.ci95),
            pi=f.ci(skill_meta.prediction_interval95),
        ),
        "meta_header": [
            t["quantity"],
            t["estimate"],
            t["ci95"],
            t["p"],
            t["tau2"],
            t["I2"],
            t["pi95"],
            t["method"],
        ],
        "meta_rows": [
            _meta_row(t["quantity_gain"], pooled.meta_gain, t, f),
            _meta_row(t["quantity_d_z"], pooled.meta_d_z, t, f),
            _meta_row(t["quantity_skill"], skill_meta, t, f),
        ],
        "mixed": None
        if mixed is None
        else say(
            "report.mixed_text",
            lang,
            estimate=f.num(mixed.estimate),
            ci=f.ci(mixed.ci95),
            df=f.num(mixed.df, 1),
            icc=f.num(mixed.icc),
            tau2=f.num(mixed.tau2),
            sigma2=f.num(mixed.sigma2),
        ),
        "notes": [say(key, lang) for key in pooled.note_keys()],
        "mentors": [
            text
            for text in (
                _mentors("report.mentors_gain", mixed, lang, f),
                _mentors("report.mentors_skill", pooled.skill.mixed_mean, lang, f),
            )
            if text
        ],
        "excluded": say(
            "report.excluded_villages",
            lang,
            villages=named_villages(
                [
                    f"{e.village} ({say(f'pool_reason.{e.reason}', lang, n=e.n_pairs)})"
                    for e in pooled.excluded
                ],
                lang,
                table_link("pooled"),
            ),
        )
        if pooled.excluded
        else None,
    }
