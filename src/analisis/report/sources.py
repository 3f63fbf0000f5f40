"""Where every number the figures and the report show comes from: the one map of result keys.

The statistics and the review write JSON and CSV files (docs/contracts.md). This module is
the only place that knows their key and column names: it reads them and hands the rest of
the report layer plain, canonical values. When a producer renames a key, change the
constants below and nothing else.

A required key that is missing raises :class:`~analisis.errors.InputError` naming the file
and the key; an optional result file (the published-values check) that is absent makes its
section say "not run".
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analisis.errors import InputError

#: Result files in reports/tables/ (contracts.md) and data/processed/.
FILES = {
    "paired": "knowledge_paired.json",
    "details": "knowledge_details.json",
    "skill": "skill.json",
    "skill_groups": "skill_groups.csv",
    "skill_steps": "skill_steps_summary.csv",
    "items": "items.csv",
    "items_json": "items.json",
    "n_gain_categories": "n_gain_categories.csv",
    "category_shift": "knowledge_category_shift.csv",
    "published_check": "published_check.json",
    "published_robustness": "published_robustness.json",
    "wide": "knowledge_wide.csv",
    "skill_scores": "skill_scores.csv",
    "cleaning_log": "cleaning_log.csv",
}
OPTIONAL = frozenset({"published_check", "published_robustness"})
PROCESSED = frozenset({"wide", "skill_scores", "cleaning_log"})

#: knowledge_details.json (written by analisis.stats.results.knowledge_results).
DETAILS_KEYS = {
    "descriptives": "descriptives",  # {"pre": {...}, "post": {...}, "difference": {...}}
    "paired_samples_test": "spss_paired_samples_test",
    "wilcoxon_ranks": "spss_wilcoxon_ranks",
    "bootstrap": "bootstrap_mean_difference",
    "hodges_lehmann": "hodges_lehmann",  # a number
    "alpha": "alpha",
    "normality_alpha": "normality_alpha",
}
#: Keys inside one phase of ``descriptives`` (canonical name -> key in the file).
PHASE_KEYS = {
    "n": "n",
    "mean": "mean",
    "sd": "sd",
    "se": "se",
    "median": "median",
    "q1": "q1",
    "q3": "q3",
    "min": "min",
    "max": "max",
    "share_at_max": "share_at_max",
    "ci_low": "ci95_lower",
    "ci_high": "ci95_upper",
}
PAIRED_SAMPLES_KEYS = {"mean": "mean", "sd": "std_deviation", "se": "std_error_mean",
                       "ci_low": "ci95_lower", "ci_high": "ci95_upper", "t": "t", "df": "df",
                       "p": "sig_2_tailed"}  # fmt: skip
#: ``spss_wilcoxon_ranks``: one block per rank sign, plus the test statistics.
RANK_BLOCKS = {"negative": "negative_ranks", "positive": "positive_ranks"}
RANK_KEYS = {"n": "n", "mean_rank": "mean_rank", "sum_ranks": "sum_of_ranks"}
RANK_COUNTS = {"ties": "ties.n", "total": "total.n"}
WILCOXON_STAT_KEYS = {"z": "z", "p": "asymp_sig_2_tailed"}
BOOTSTRAP_KEYS = {"ci95": "ci95", "n_resamples": "n_resamples", "seed": "seed"}

#: skill.json (written by analisis.stats.results.skill_results).
SKILL_KEYS = {
    "mean": "mean",
    "sd": "sd",
    "n": "n",
    "threshold": "competence_threshold",
    "t_test": "one_sample.t_test",  # {"t", "df", "p"}
    "wilcoxon": "one_sample.wilcoxon",  # {"V", "p"}
    "top_category": "top_category.category",
    "top_share": "top_category.share",
    "top_share_ci95": "top_category.ci95",
    "top_count": "top_category.k",
    "kruskal": "group_comparison.kruskal_wallis",
    "welch": "group_comparison.welch_anova",
}
KRUSKAL_KEYS = {"H": "H", "df": "df", "p": "p", "effect": "epsilon_squared"}
WELCH_KEYS = {"F": "F", "df1": "df1", "df2": "df2", "p": "p", "effect": "omega_squared"}

#: items.json: KR-20 per phase.
ITEMS_JSON_KEYS = {"kr20_pre": "kr20_pre", "kr20_post": "kr20_post"}

#: CSV columns (canonical name -> column in the file).
COLUMNS = {
    "skill_groups": {"group": "group", "n": "n", "mean": "mean", "sd": "sd",
                     "ci_low": "ci95_lower", "ci_high": "ci95_upper"},
    "skill_steps": {"step_id": "step_id", "mean_points": "mean_points",
                    "max_points": "max_points", "mean_share": "mean_share",
                    "share_full": "share_full"},
    "items": {"item_id": "item_id", "p_pre": "difficulty_pre", "p_post": "difficulty_post",
              "discrimination_pre": "discrimination_pre",
              "discrimination_post": "discrimination_post",
              "p_mcnemar": "mcnemar_p", "p_holm": "mcnemar_p_holm"},
    "n_gain_categories": {"category": "category", "n": "n"},
    "category_shift": {"pre_category": "pre_category", "post_category": "post_category",
                       "n": "n"},
    "wide": {"participant_id": "participant_id", "pre": "pre", "post": "post",
             "paired": "paired"},
    "skill_scores": {"participant_id": "participant_id", "group": "group", "score": "score"},
    "cleaning_log": {"source_file": "source_file", "action": "action", "reason": "reason"},
}  # fmt: skip

#: published_check.json: ``{"cohorts": [{"cohort", "source", "rows": [ROW, ...]}]}``.
PUBLISHED_COHORTS = "cohorts"
PUBLISHED_CHECK_KEYS = {
    "quantity": "quantity",
    "printed": "printed",
    "recomputed": "recomputed",
    "agrees": "agrees",
    "grim": "grim_consistent",
    "note_en": "note",
    "note_id": "note_id",
}
#: published_robustness.json: ``{"cohorts": [ENTRY, ...]}``, each entry with these keys.
ROBUSTNESS_KEYS = {
    "cohort": "cohort",
    "d_z_values": "d_z.values",
    "t_min": "t.min",
    "t_max": "t.max",
    "p_min": "p.min",
    "p_max": "p.max",
    "significant_in_every_case": "significant_in_every_case",
    "alpha": "inputs.alpha",
}
#: Instrument of the checklist: step descriptions shown next to step ids.
STEP_DESCRIPTIONS = ("description_id", "description_en")


@dataclass(frozen=True)
class Results:
    """Every result file the report reads, loaded; optional ones may be None."""

    files: Mapping[str, Path]
    data: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str) -> Any:
        """The loaded file ``key`` or None when it is optional and absent."""
        return self.data.get(key)


def lookup(obj: Mapping, dotted: str, file: str | os.PathLike) -> Any:
    """Value at ``a.b.c`` in nested mappings; InputError naming file and key when absent.

    Examples
    --------
    >>> lookup({"spss": {"test_statistics": {"z": -4.2}}}, "spss.test_statistics.z", "d.json")
    -4.2
    >>> lookup({}, "spss.z", "d.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analisis.errors.InputError: d.json, column 'spss.z': expected the key 'spss.z', found ...
    """
    value: Any = obj
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise InputError(str(file), f"the key {dotted!r}", column=dotted, found="no such key")
        value = value[part]
    return value


def pick(obj: Mapping, keys: Mapping[str, str], file: str | os.PathLike) -> dict[str, Any]:
    """Canonical dict ``{name: lookup(obj, keys[name])}``.

    Examples
    --------
    >>> pick({"ci95_low": 1, "x": {"y": 2}}, {"low": "ci95_low", "y": "x.y"}, "f.json")
    {'low': 1, 'y': 2}
    """
    return {name: lookup(obj, key, file) for name, key in keys.items()}


def rename_columns(frame: pd.DataFrame, kind: str, file: str | os.PathLike) -> pd.DataFrame:
    """Columns of result table ``kind`` renamed to canonical names (other columns kept).

    Examples
    --------
    >>> frame = pd.DataFrame({"group": [1], "n": [6], "mean": [85.0], "sd": [4.0],
    ...                       "ci95_lower": [80.8], "ci95_upper": [89.2]})
    >>> list(rename_columns(frame, "skill_groups", "g.csv").columns)
    ['group', 'n', 'mean', 'sd', 'ci_low', 'ci_high']
    """
    mapping = COLUMNS[kind]
    missing = [source for source in mapping.values() if source not in frame.columns]
    if missing:
        raise InputError(
            str(file), f"columns {sorted(mapping.values())}", column=missing[0], found="missing"
        )
    return frame.rename(columns={source: name for name, source in mapping.items()})


def load_results(
    tables_dir: str | os.PathLike,
    processed_dir: str | os.PathLike,
    *,
    instrument_steps: str | os.PathLike | None = None,
) -> Results:
    """Read the result files of one run.

    Parameters
    ----------
    tables_dir : path
        reports/tables/
    processed_dir : path
        data/processed/
    instrument_steps : path, optional
        config/instruments/daftar_tilik.csv, to show step descriptions.

    Returns
    -------
    Results
        JSON files as dicts, CSV files as DataFrames with canonical column names.
    """
    files: dict[str, Path] = {}
    data: dict[str, Any] = {}
    for key, name in FILES.items():
        path = Path(processed_dir if key in PROCESSED else tables_dir) / name
        files[key] = path
        if not path.exists():
            if key in OPTIONAL:
                continue
            raise InputError(str(path), "a result file (run the statistics first)")
        if path.suffix == ".json":
            data[key] = json.loads(path.read_text(encoding="utf-8"))
        else:
            frame = pd.read_csv(path, keep_default_na=True)
            data[key] = rename_columns(frame, key, path) if key in COLUMNS else frame
    if instrument_steps is not None:
        steps = pd.read_csv(instrument_steps)
        columns = ["step_id", *[c for c in STEP_DESCRIPTIONS if c in steps.columns]]
        data["skill_steps"] = data["skill_steps"].merge(
            steps[columns], on="step_id", how="left", suffixes=("_result", "")
        )
        files["instrument_steps"] = Path(instrument_steps)
    return Results(files=files, data=data)


def paired_pairs(results: Results) -> pd.DataFrame:
    """Rows of knowledge_wide.csv that enter the paired statistics (``paired`` true)."""
    wide = results["wide"]
    flag = wide["paired"].astype(str).str.lower().isin(["true", "1"])
    return wide.loc[flag, ["participant_id", "pre", "post"]].reset_index(drop=True)


def phase_ci(results: Results) -> dict[str, list[float]]:
    """95% CI of the pre and post means from knowledge_details.json, None when absent."""
    file = results.files["details"]
    phases = lookup(results["details"], DETAILS_KEYS["descriptives"], file)
    return {
        phase: [
            lookup(phases, f"{phase}.{PHASE_KEYS[bound]}", file) for bound in ("ci_low", "ci_high")
        ]
        for phase in ("pre", "post")
    }


def knowledge(results: Results) -> dict[str, Any]:
    """Knowledge results in canonical form: the paired JSON plus the details."""
    paired = results["paired"]
    details = results["details"]
    file = results.files["details"]
    phases = lookup(details, DETAILS_KEYS["descriptives"], file)
    ranks = lookup(details, DETAILS_KEYS["wilcoxon_ranks"], file)
    spss = pick(
        lookup(details, DETAILS_KEYS["paired_samples_test"], file), PAIRED_SAMPLES_KEYS, file
    )
    return {
        **paired,
        "phases": {p: pick(lookup(phases, p, file), PHASE_KEYS, file) for p in ("pre", "post")},
        "spss_paired": {**spss, "ci95": [spss["ci_low"], spss["ci_high"]]},
        "spss_ranks": {
            **{
                sign: pick(lookup(ranks, block, file), RANK_KEYS, file)
                for sign, block in RANK_BLOCKS.items()
            },
            **pick(ranks, RANK_COUNTS, file),
        },
        "spss_statistics": pick(ranks, WILCOXON_STAT_KEYS, file),
        "bootstrap": pick(lookup(details, DETAILS_KEYS["bootstrap"], file), BOOTSTRAP_KEYS, file),
        "hodges_lehmann": lookup(details, DETAILS_KEYS["hodges_lehmann"], file),
        "alpha": lookup(details, DETAILS_KEYS["alpha"], file),
        "normality_alpha": lookup(details, DETAILS_KEYS["normality_alpha"], file),
    }


def skill(results: Results) -> dict[str, Any]:
    """Skill results in canonical form."""
    file = results.files["skill"]
    values = pick(results["skill"], SKILL_KEYS, file)
    values["kruskal"] = pick(values["kruskal"], KRUSKAL_KEYS, file)
    values["welch"] = pick(values["welch"], WELCH_KEYS, file)
    return values


def items_reliability(results: Results) -> dict[str, Any]:
    """KR-20 before and after from items.json."""
    return pick(results["items_json"], ITEMS_JSON_KEYS, results.files["items_json"])


def steps_table(results: Results) -> pd.DataFrame:
    """Checklist steps, weakest first as the statistics ordered them."""
    return results["skill_steps"]


def published_check(results: Results) -> list[dict[str, Any]] | None:
    """Rows of the published-values check of every cohort, or None when it did not run."""
    check = results.get("published_check")
    if check is None:
        return None
    file = results.files["published_check"]
    rows = []
    for entry in lookup(check, PUBLISHED_COHORTS, file):
        for row in lookup(entry, "rows", file):
            rows.append({"cohort": entry.get("cohort"), **pick(row, PUBLISHED_CHECK_KEYS, file)})
    return rows


def robustness(results: Results) -> list[dict[str, Any]] | None:
    """Summary of the robustness search per cohort, or None when it did not run."""
    found = results.get("published_robustness")
    if found is None:
        return None
    file = results.files["published_robustness"]
    return [pick(entry, ROBUSTNESS_KEYS, file) for entry in lookup(found, PUBLISHED_COHORTS, file)]
