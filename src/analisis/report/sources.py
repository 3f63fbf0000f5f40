"""Read the result files of one run for the figures and the report.

Only the files the caller names are read (the pipeline passes the rule's named inputs,
:func:`analisis.registry.report_inputs`). JSON files become their result types
(:mod:`analisis.results`), so the figures and the report read attributes such as
``results.knowledge_paired.t_test.t``; CSV files become DataFrames whose columns the
registry lists are checked. A missing key or column raises
:class:`~analisis.errors.InputError` naming the file; the published-values check and
the robustness search are None when the run has no ``published:`` block, the pooled
analysis when the study has one village, the plan of the next wave when not given, the
waves analysis when no cohort has a delayed post-test.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analisis.errors import InputError
from analisis.registry import OUTPUTS, REPORT_INPUTS
from analisis.results import (
    ItemsSummary,
    PairedDetails,
    PairedSummary,
    PlanningResult,
    PooledAnalysis,
    PublishedCheck,
    Robustness,
    SkillResult,
    WavesAnalysis,
)
from analisis.text import say

#: Instrument of the checklist: step descriptions shown next to step ids.
STEP_DESCRIPTIONS = ("description_id", "description_en")


@dataclass(frozen=True)
class Results:
    """Every result the figures and the report show, named as in the registry."""

    knowledge_paired: PairedSummary
    knowledge_details: PairedDetails
    skill: SkillResult
    items_summary: ItemsSummary
    skill_groups: pd.DataFrame
    skill_steps_summary: pd.DataFrame
    item_analysis: pd.DataFrame
    n_gain_categories: pd.DataFrame
    knowledge_category_shift: pd.DataFrame
    knowledge_wide: pd.DataFrame
    skill_scores: pd.DataFrame
    cleaning_log: pd.DataFrame
    published_check_json: PublishedCheck | None = None
    published_robustness: Robustness | None = None
    by_village: pd.DataFrame | None = None
    pooled: PooledAnalysis | None = None
    skill_steps_by_village: pd.DataFrame | None = None
    planning: PlanningResult | None = None
    knowledge_scores: pd.DataFrame | None = None
    waves: WavesAnalysis | None = None


def read_result(name: str, path: str | os.PathLike):
    """The registered output ``name`` read from ``path``: its result type or a DataFrame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.csv"
    >>> _ = p.write_text("group,n\\n1,6\\n")
    >>> read_result("skill_groups", p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analisis.errors.InputError: ...g.csv, column 'mean': expected the columns ..., found 'missing'
    """
    output = OUTPUTS[name]
    if not os.path.exists(path):
        raise InputError(str(path), "a result file (run the statistics first)")
    if output.kind == "json":
        data = json.loads(open(path, encoding="utf-8").read())
        return output.holds.from_dict(data, source=str(path))
    frame = pd.read_csv(path, keep_default_na=True)
    missing = [column for column in output.columns if column not in frame.columns]
    if missing:
        expected = f"the columns {', '.join(output.columns)}"
        raise InputError(str(path), expected, column=missing[0], found="missing")
    return frame


def load_results(
    paths: Mapping[str, str | os.PathLike],
    *,
    instrument_steps: str | os.PathLike | None = None,
) -> Results:
    """Read the result files ``{registry name: path}`` of one run.

    ``instrument_steps`` (config/instruments/daftar_tilik.csv) adds the step
    descriptions to the checklist steps.
    """
    loaded = {name: read_result(name, path) for name, path in paths.items()}
    wanted = {field.name for field in dataclasses.fields(Results)}
    unknown = sorted(set(loaded) - wanted)
    if unknown:
        raise KeyError(f"not a result the report reads: {unknown}")
    if instrument_steps is not None and "skill_steps_summary" in loaded:
        steps = pd.read_csv(instrument_steps)
        columns = ["step_id", *[c for c in STEP_DESCRIPTIONS if c in steps.columns]]
        loaded["skill_steps_summary"] = loaded["skill_steps_summary"].merge(
            steps[columns], on="step_id", how="left", suffixes=("_result", "")
        )
    return Results(**loaded)


def paired_pairs(results: Results) -> pd.DataFrame:
    """Rows of knowledge_wide.csv that enter the paired statistics (``paired`` true)."""
    wide = results.knowledge_wide
    flag = wide["paired"].astype(str).str.lower().isin(["true", "1"])
    return wide.loc[flag, ["participant_id", "pre", "post"]].reset_index(drop=True)


def phase_ci(results: Results) -> dict[str, list[float | None]]:
    """95% CI of the pre and post means (knowledge_details.json)."""
    phases = results.knowledge_details.descriptives
    return {
        "pre": [phases.pre.ci95_lower, phases.pre.ci95_upper],
        "post": [phases.post.ci95_lower, phases.post.ci95_upper],
    }


def rule_results(inputs: Any) -> Results:
    """:func:`load_results` of a Snakemake rule's named inputs: the result files of
    :data:`analisis.registry.REPORT_INPUTS` it has, with the step texts of ``steps``.

    What the figure, report and manuscript rules read, in one place.
    """
    named = {name: inputs[name] for name in REPORT_INPUTS if name in inputs.keys()}
    return load_results(named, instrument_steps=inputs.steps)


def wave_labels(results: Results, lang: str) -> list[str]:
    """The name of each test in ``lang``: before, after training, then the follow-ups'
    labels from the config (waves.json)."""
    follow = [wave.label[lang] for wave in results.waves.follow_up]
    return [say("figure.pre", lang), say("figure.post", lang), *follow]


def wave_scores(results: Results) -> pd.DataFrame:
    """Each cadre's knowledge score at each test (rows: cohort and cadre; NaN: not tested),
    from knowledge_scores.csv, in the order of the waves of waves.json."""
    scores = results.knowledge_scores
    wide = scores.pivot_table(
        index=["cohort", "participant_id"], columns="phase", values="score", aggfunc="first"
    )
    return wide.reindex(columns=list(results.waves.summary.waves)).reset_index(drop=True)


def wave_means(results: Results) -> tuple[list[float], list[list[float]]]:
    """The mixed model's mean and 95% interval of each wave (waves.json)."""
    means = results.waves.summary.mixed_model.means
    return [m.estimate for m in means], [list(m.ci95) for m in means]
