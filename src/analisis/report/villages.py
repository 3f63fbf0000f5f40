"""The report's village sections: each village on its own and pooled over villages.

As :mod:`analisis.report.context`, nothing here computes a statistic: by_village.csv,
skill_groups.csv, skill_steps_by_village.csv and pooled.json are formatted and arranged
into rows. Cells of the by-village table carry a sort key (the unformatted number), so
the page can sort them with a few lines of script when there are many villages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from analisis.figures.companions import group_tick_label
from analisis.report.sources import Results
from analisis.report.text import TEXT
from analisis.results import MetaAnalysis, MixedModel, PooledAnalysis
from analisis.text import say

#: From this many villages on, the by-village table can be sorted and filtered.
SORTABLE_FROM = 10


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _cell(text: str, key: Any = None) -> dict[str, Any]:
    """A table cell: the text shown and the key it sorts by (the text when None)."""
    return {"text": text, "key": text if key is None else key}


def _village_row(row: Any, t: Mapping[str, Any], f: Any) -> list[dict[str, Any]]:
    """One row of the by-village table."""
    test = str(row.primary_test) if isinstance(row.primary_test, str) else ""
    return [
        _cell(str(row.cohort)),
        _cell(f.count(_number(row.n_pairs)), _number(row.n_pairs)),
        _cell(f"{f.num(_number(row.pre_mean))} ({f.num(_number(row.pre_sd))})", row.pre_mean),
        _cell(f"{f.num(_number(row.post_mean))} ({f.num(_number(row.post_sd))})", row.post_mean),
        _cell(
            f"{f.num(_number(row.gain_mean))} "
            f"{f.ci([_number(row.gain_ci95_lower), _number(row.gain_ci95_upper)])}",
            _number(row.gain_mean),
        ),
        _cell(
            f"{f.num(_number(row.d_z))} "
            f"{f.ci([_number(row.d_z_ci95_lower), _number(row.d_z_ci95_upper)])}",
            _number(row.d_z),
        ),
        _cell(t["test_names"].get(test, test or "–")),
        _cell(f.p_cell(_number(row.p_primary)), _number(row.p_primary)),
        _cell(f.num(_number(row.n_gain_class)), _number(row.n_gain_class)),
        _cell(f.count(_number(row.skill_n)), _number(row.skill_n)),
        _cell(
            f"{f.num(_number(row.skill_mean))} "
            f"{f.ci([_number(row.skill_ci95_lower), _number(row.skill_ci95_upper)])}",
            _number(row.skill_mean),
        ),
        _cell(
            f.pct(_number(row.skill_share_at_or_above_threshold)),
            _number(row.skill_share_at_or_above_threshold),
        ),
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
    return {
        "text": say("report.villages_text", lang, n=len(table)),
        "header": header,
        "rows": [_village_row(row, t, f) for row in table.itertuples(index=False)],
        "sortable": len(table) >= SORTABLE_FROM,
        "group_rows": [
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
        "step_rows": []
        if steps is None
        else [
            [str(r.cohort), str(r.step_id), f.count(r.n), f.pct(r.mean_share), f.pct(r.share_full)]
            for r in steps.itertuples(index=False)
        ],
    }


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
    villages = say("list.separator", lang).join(below) or say("report.mentors_none", lang)
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
            villages=say("list.separator", lang).join(
                f"{e.village} ({say(f'pool_reason.{e.reason}', lang, n=e.n_pairs)})"
                for e in pooled.excluded
            ),
        )
        if pooled.excluded
        else None,
    }
