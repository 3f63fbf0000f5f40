"""Result files shaped like the bundled study, for the figure and report tests.

23 cadres, knowledge scores on the 4-point grid of a 25-item test (pre mean 76.00, post
mean 2288 / 23 = 99.478...), 4 mentoring groups, 6 checklist steps. The knowledge and
skill results are computed by the statistics functions from these scores (so they have
the result types' shape by construction); the published-values check and the robustness
search are built from their types. Each report test writes the value it expects by hand.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analisis.config import DEFAULTS
from analisis.outputs import write_csv, write_json, write_results
from analisis.provenance import input_hashes, read_input_hashes
from analisis.registry import (
    OUTPUTS,
    REPORT_INPUTS,
    Run,
    figure_names,
    figure_path,
    shard_input_hashes,
)
from analisis.report.beside import write_beside
from analisis.report.figureset import write_figures
from analisis.report.provenance import Source, build_provenance
from analisis.report.render import REPORT_FILES, write_report
from analisis.report.sources import load_results
from analisis.report.study import site_summary
from analisis.results import (
    CheckedValue,
    CohortCheck,
    DzDistribution,
    PublishedCheck,
    Robustness,
    RobustnessSearch,
    ValueRange,
)
from analisis.stats.planning import planning_result
from analisis.stats.results import knowledge_results, skill_results, village_results

N = 23
N_ITEMS = 25
PRE = [64, 68, 68, 72, 72, 72, 72, 76, 76, 76, 76, 76, 76, 76, 80, 80, 80, 80, 80, 84, 84, 84, 76]
POST = [100] * 20 + [96, 96, 96]
GROUPS = [1] * 6 + [2] * 6 + [3] * 6 + [4] * 5
#: Points of each cadre on 6 checklist steps of 2 points (skill score = points / 12 × 100).
STEP_POINTS = [
    [2, 2, 2, 2, 1, 2], [2, 2, 1, 2, 2, 2], [2, 2, 2, 2, 2, 2], [2, 1, 2, 1, 2, 2],
    [2, 2, 2, 1, 2, 2], [2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2], [2, 1, 2, 2, 1, 2],
    [2, 2, 2, 1, 2, 2], [2, 2, 1, 2, 2, 2], [2, 2, 2, 2, 1, 2], [2, 2, 2, 1, 2, 2],
    [2, 1, 2, 1, 2, 2], [2, 2, 2, 2, 2, 2], [2, 2, 1, 2, 2, 2], [2, 2, 2, 1, 2, 2],
    [2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 2], [2, 2, 1, 1, 2, 2], [2, 2, 2, 2, 2, 2],
    [2, 2, 2, 1, 2, 2], [2, 2, 2, 2, 1, 2], [2, 2, 2, 2, 2, 2],
]  # fmt: skip
#: The study block of each language as the report receives it (render.study_from_config).
STUDY = {
    lang: {
        "title": "Pemberdayaan Peran Kader",
        "doi": "10.33024/jkpm.v9i5.25420",
        "topic": topic,
        "reconstructed": True,
        "citation": "Kurniyati, Sari, Andini & Esmianti (2026)",
        "site": "Desa Kampung Delima",
    }
    for lang, topic in (("id", "pijat laktasi"), ("en", "lactation-massage"))
}
NAMES = ["Siti Aminah", "Rina Marlina", "Dewi Lestari"]
IDS = [f"K{i:02d}" for i in range(1, N + 1)]
COHORT = "kampung_delima"


def knowledge_tables() -> dict[str, pd.DataFrame]:
    """knowledge_wide, knowledge_scores and responses of the 23 cadres (plus one pre-test
    without a post-test, K24, so one person is not paired)."""
    responses, scores = [], []
    for pid, phase, score in [
        *[(pid, "pre", s) for pid, s in zip(IDS, PRE, strict=True)],
        *[(pid, "post", s) for pid, s in zip(IDS, POST, strict=True)],
        ("K24", "pre", 60),
    ]:
        right = score // 4
        responses += [
            {"cohort": COHORT, "participant_id": pid, "phase": phase, "item_id": f"P{i:02d}",
             "response": "a", "correct": i <= right}
            for i in range(1, N_ITEMS + 1)
        ]  # fmt: skip
        category = "baik" if score >= 76 else "cukup" if score >= 56 else "kurang"
        scores.append({"cohort": COHORT, "participant_id": pid, "phase": phase,
                       "score": float(score), "n_correct": right, "n_items": N_ITEMS,
                       "category": category})  # fmt: skip
    frame = pd.DataFrame(scores)
    # pivot, not pivot_table: each (person, phase) occurs once and must not be aggregated.
    wide = frame.pivot(index="participant_id", columns="phase", values="score")  # noqa: PD010
    wide = wide.reset_index()
    categories = frame.pivot(  # noqa: PD010
        index="participant_id", columns="phase", values="category"
    )
    wide = wide.assign(
        cohort=COHORT,
        pre_category=categories["pre"].to_numpy(),
        post_category=categories["post"].to_numpy(),
        paired=wide["pre"].notna() & wide["post"].notna(),
    )
    return {"knowledge_wide": wide, "knowledge_scores": frame, "responses": pd.DataFrame(responses)}


def skill_tables() -> dict[str, pd.DataFrame]:
    """skill_scores and skill_steps of the 23 cadres."""
    steps = pd.DataFrame(
        [
            {"cohort": COHORT, "participant_id": pid, "step_id": f"L{j + 1:02d}",
             "points": points, "max_points": 2}
            for pid, row in zip(IDS, STEP_POINTS, strict=True)
            for j, points in enumerate(row)
        ]
    )  # fmt: skip
    totals = [sum(row) for row in STEP_POINTS]
    scores = pd.DataFrame(
        {"cohort": COHORT, "participant_id": IDS, "group": GROUPS, "assessor": "A01",
         "points": totals, "max_points": 12, "score": [100 * t / 12 for t in totals],
         "category": ["baik" if 100 * t / 12 >= 76 else "cukup" for t in totals]}
    )  # fmt: skip
    return {"skill_scores": scores, "skill_steps": steps}


PUBLISHED_CHECK = PublishedCheck(
    cohorts=(
        CohortCheck(
            cohort=COHORT,
            source="Kurniyati et al. (2026)",
            rounding="half_up",
            rows=(
                CheckedValue("n", "23", 0, 23, "1", 23, True, None, None, None, "", ""),
                CheckedValue(
                    "post_mean", "99.50", 2, 23, "4", 2288 / 23, False, False, 99.48, 99.52,
                    "99.50 is impossible for 23 integer scores; nearest 99.48, 99.52",
                    "99,50 tidak mungkin untuk 23 skor bulat; terdekat 99,48; 99,52",
                ),
            ),
        ),
    )
)  # fmt: skip
ROBUSTNESS = Robustness(
    cohorts=(
        RobustnessSearch(
            cohort=COHORT, inputs={"alpha": 0.05}, n_datasets=200, n_rejected_by_sd_range=0,
            n_cases=200, stopped_by_time_limit=False, t=ValueRange(10.1, 19.9),
            p=ValueRange(1e-18, 1.2e-9),
            d_z=DzDistribution(2.1, 3.9, tuple(2.1 + 0.05 * (i % 37) for i in range(200)), {}),
            analytic={}, significant_in_every_case=True, worst_case=None, notes=(),
        ),
    )
)  # fmt: skip


def _village_copy(frame: pd.DataFrame, village: int, villages: int) -> pd.DataFrame:
    """The fixture's cadres as village ``village`` of ``villages`` (ids prefixed, the
    pre-test ``4 × (village mod 4)`` points lower, skill ``3 × (village mod 5)`` lower)."""
    out = frame.assign(
        cohort=f"desa_{village:02d}", participant_id="D" + str(village) + frame["participant_id"]
    )
    if "phase" in out.columns and "score" in out.columns:
        pre = out["phase"] == "pre"
        out.loc[pre, "score"] = (out.loc[pre, "score"] - 4 * (village % 4)).clip(lower=0)
    elif "pre" in out.columns:
        out["pre"] = (out["pre"] - 4 * (village % 4)).clip(lower=0)
    elif "score" in out.columns:
        out["score"] = out["score"] - 3 * (village % 5)
    return out


def _spread(tables: dict[str, pd.DataFrame], villages: int) -> dict[str, pd.DataFrame]:
    """The tables as they are (one village) or one copy per village (:func:`_village_copy`)."""
    if villages < 2:
        return tables
    return {
        name: pd.concat(
            [_village_copy(frame, v, villages) for v in range(1, villages + 1)], ignore_index=True
        )
        for name, frame in tables.items()
    }


#: Mentoring target of the gain in the fixture of several villages (some fall below it).
VILLAGE_TARGET = 28.0


def write_results_files(
    root: Path, *, with_review: bool = True, villages: int = 1
) -> dict[str, Path]:
    """Compute and write the results under ``root``; return ``{registry name: path}``.

    ``villages`` repeats the 23 cadres in that many villages (cohorts ``desa_01``...,
    :func:`_village_copy`), so the pooled analysis and the village figures exist from 2 on.
    """
    knowledge = _spread(knowledge_tables(), villages)
    skill = _spread(skill_tables(), villages)
    computed = {
        **knowledge_results(**knowledge, bootstrap_resamples=2000, seed=20240906),
        **skill_results(**skill, competence_threshold=75),
        "published_check_json": PUBLISHED_CHECK,
        "published_robustness": ROBUSTNESS,
        "knowledge_wide": knowledge["knowledge_wide"],
        "knowledge_scores": knowledge["knowledge_scores"],
        "skill_scores": skill["skill_scores"],
        "cleaning_log": cleaning_log(),
        **village_results(
            knowledge["knowledge_wide"],
            skill["skill_scores"],
            skill["skill_steps"],
            target=VILLAGE_TARGET,
            skill_target=85.0,
        ),
    }
    pooled = computed["pooled"].to_dict() if villages >= 2 else None
    computed["planning"] = planning_result(
        knowledge["knowledge_wide"], pooled, DEFAULTS["planning"]
    )
    run = Run(published=with_review, villages=villages >= 2)
    names = [n for n in REPORT_INPUTS if run.has(OUTPUTS[n].needs)]
    paths = {name: root / OUTPUTS[name].path for name in names}
    write_results(computed, paths)
    return paths


def cleaning_log() -> pd.DataFrame:
    """23 + 23 kept rows, one merged duplicate and one dropped post-test."""
    log = []
    for phase in ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv"):
        for i, pid in enumerate(IDS):
            log.append((phase, i + 2, "kept", "used", pid))
    log.append(("pretest_pengetahuan.csv", 25, "merged", "duplicate_submission", "K05"))
    log.append(("posttest_pengetahuan.csv", 25, "dropped", "no_pre_test;blank_answers", ""))
    return pd.DataFrame(
        log, columns=["source_file", "source_row", "action", "reason", "participant_id"]
    ).assign(cohort=COHORT)


VERSIONS = {"python": "3.11.7", "analisis": "0.1.0", "numpy": "2.4.6", "pandas": "3.1.1",
            "scipy": "1.17.1", "statsmodels": "0.15.0", "pingouin": "0.7.0",
            "matplotlib": "3.11.2", "snakemake": "9.27.1"}  # fmt: skip
CONFIG = {"alpha": 0.05, "cohorts": ["kampung_delima"], "seed": 20240906}


#: PNGs drawn once per test run for each fixture variant (figures are tested in
#: test_figures.py; drawing them for every report here would only repeat that work).
FIGURE_CACHE: dict[tuple[bool, int], Path] = {}


def render_all(
    root: Path,
    *,
    with_review: bool = True,
    names=NAMES,
    fresh: bool = True,
    study: dict | None = None,
    villages: int = 1,
) -> dict[str, Path]:
    """Write the fixture's results (unless ``fresh`` is False), figures and both reports.

    ``villages`` spreads the cadres over that many villages (:func:`write_results_files`).
    """
    if fresh:
        paths = write_results_files(root, with_review=with_review, villages=villages)
    else:
        paths = _paths(root)
    results = load_results(paths)
    run = Run(published=with_review, villages=villages >= 2)
    key = (with_review, villages)
    if key not in FIGURE_CACHE:
        FIGURE_CACHE[key] = Path(tempfile.mkdtemp(prefix="analisis-figures-"))
        for lang in ("id", "en"):
            pngs = {
                name: [FIGURE_CACHE[key] / figure_path(name, lang, "png")]
                for name in figure_names(run)
            }
            write_figures(results, pngs, lang)
    shutil.copytree(FIGURE_CACHE[key], root, dirs_exist_ok=True)
    inputs = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    provenance = build_provenance(
        input_hashes(inputs, root),
        config=CONFIG,
        source=Source("0123456789abcdef"),
        versions=VERSIONS,
    )
    out = {}
    for lang, path in REPORT_FILES.items():
        out[lang] = write_report(
            results,
            lang,
            root / path,
            figures={name: root / figure_path(name, lang, "png") for name in figure_names(run)},
            provenance=provenance,
            study=(study or STUDY)[lang],
            forbidden_names=names,
        )
    return out


def _paths(root: Path) -> dict[str, Path]:
    """The result files already written under ``root``."""
    return {n: root / OUTPUTS[n].path for n in REPORT_INPUTS if (root / OUTPUTS[n].path).exists()}


def clear_figure_cache() -> None:
    """Remove the PNGs drawn by :func:`render_all`."""
    for folder in FIGURE_CACHE.values():
        shutil.rmtree(folder, ignore_errors=True)
    FIGURE_CACHE.clear()


def waves_fixture() -> tuple[pd.DataFrame, object]:
    """knowledge_scores.csv and waves.json of the five cadres of tests/test_stats_waves.py
    (ANSWERS: pre, post and a follow-up "3 bulan / 3 months" at day 90, one cadre lost)."""
    from test_stats_waves import ANSWERS

    from analisis.scoring import knowledge_scores
    from analisis.stats.waves import forgetting_counts, waves_results

    rows = [
        ("c", pid, phase, f"P{i + 1}", "a" if right else "b", bool(right))
        for pid, phases in ANSWERS.items()
        for phase, answers in phases.items()
        for i, right in enumerate(answers)
    ]
    columns = ["cohort", "participant_id", "phase", "item_id", "response", "correct"]
    responses = pd.DataFrame(rows, columns=columns)
    scores = knowledge_scores(responses)
    wave = {"label": {"id": "3 bulan", "en": "3 months"}, "file": "x", "days_after_training": 90}
    cohorts = [{"id": "c", "knowledge": {"follow_up": [wave]}}]
    return scores, waves_results(scores, forgetting_counts(responses), cohorts)


# A programme of many villages, fabricated fast (no statistics run per village): the
# village result files are drawn with numpy, each internally consistent (every interval
# holds its estimate, pooled.json lists every village, flags follow the target); the
# whole-study results are the two-village fixture's.

#: Mentoring target of the gain in the fabricated programme (about 0.6% of villages fall below).
SCALED_TARGET = 10.0
#: Checklist steps and mentoring groups of each fabricated village.
SCALED_STEPS, SCALED_GROUPS = 6, 4
Z95 = 1.959963984540054


def scaled_names(villages: int) -> list[str]:
    """Village ids ``desa_00001``… of a fabricated programme."""
    return [f"desa_{i:05d}" for i in range(1, villages + 1)]


def _interval(rng, estimate, se) -> tuple:
    return estimate - Z95 * se, estimate + Z95 * se


def scaled_by_village(villages: int) -> pd.DataFrame:
    """by_village.csv of ``villages`` fabricated villages (gain ~ N(20, 6) points)."""
    rng = np.random.default_rng(villages)
    n = rng.integers(15, 35, villages)
    pre, gain, sd = rng.normal(68, 5, villages), rng.normal(20, 6, villages), 11.0
    skill_n = n + rng.integers(0, 4, villages)
    skill = np.minimum(rng.normal(84, 5, villages), 97.0)
    gain_lo, gain_hi = _interval(rng, gain, sd / np.sqrt(n))
    d_z = gain / sd
    d_half = Z95 * np.sqrt(1 / n + d_z**2 / (2 * n))
    skill_lo, skill_hi = _interval(rng, skill, 6 / np.sqrt(skill_n))
    return pd.DataFrame(
        {"cohort": scaled_names(villages), "n_pairs": n, "pre_mean": pre, "pre_sd": 8.0,
         "post_mean": pre + gain, "post_sd": 7.0, "gain_mean": gain,
         "gain_ci95_lower": gain_lo, "gain_ci95_upper": gain_hi, "d_z": d_z,
         "d_z_ci95_lower": d_z - d_half, "d_z_ci95_upper": d_z + d_half,
         "primary_test": np.where(np.arange(villages) % 3 == 0, "wilcoxon", "t_test"),
         "p_primary": 10.0 ** -rng.uniform(2, 12, villages),
         "n_gain_class": gain / (100 - pre), "n_gain_class_category": "sedang",
         "skill_n": skill_n, "skill_mean": skill, "skill_ci95_lower": skill_lo,
         "skill_ci95_upper": np.minimum(skill_hi, 100.0),
         "skill_share_at_or_above_threshold": rng.uniform(0.5, 1, villages)}
    )  # fmt: skip


def scaled_groups_and_steps(by_village: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """skill_groups.csv and skill_steps_by_village.csv of the fabricated villages."""
    rng = np.random.default_rng(len(by_village))
    villages = len(by_village)
    cohort = by_village["cohort"].to_numpy()
    mean = np.minimum(np.repeat(by_village["skill_mean"].to_numpy(), SCALED_GROUPS)
                      + rng.normal(0, 3, villages * SCALED_GROUPS), 99.0)  # fmt: skip
    n = np.repeat(by_village["skill_n"].to_numpy() // SCALED_GROUPS, SCALED_GROUPS)
    lo, hi = _interval(rng, mean, 6 / np.sqrt(n))
    groups = pd.DataFrame(
        {"cohort": np.repeat(cohort, SCALED_GROUPS),
         "group": np.tile(np.arange(1, SCALED_GROUPS + 1), villages), "n": n, "mean": mean,
         "ci95_lower": lo, "ci95_upper": np.minimum(hi, 100.0), "sd": 6.0, "median": mean,
         "min": mean - 10, "max": np.minimum(mean + 10, 100.0), "assessor": "A01"}
    )  # fmt: skip
    share = rng.uniform(0.5, 1.0, (villages, SCALED_STEPS))
    order = np.argsort(share, axis=1, kind="stable")
    steps = pd.DataFrame(
        {"cohort": np.repeat(cohort, SCALED_STEPS),
         "step_id": [f"L{j + 1:02d}" for j in order.ravel()],
         "n": np.repeat(by_village["skill_n"].to_numpy(), SCALED_STEPS),
         "mean_share": np.take_along_axis(share, order, axis=1).ravel(),
         "share_full": 0.8 * np.take_along_axis(share, order, axis=1).ravel(),
         "rank": np.tile(np.arange(1, SCALED_STEPS + 1), villages)}
    )  # fmt: skip
    return {"skill_groups": groups, "skill_steps_by_village": steps}


def _scaled_blups(table: pd.DataFrame, estimate: str, lower: str, upper: str, target: float):
    return [
        {"village": v, "estimate": e, "ci95": [lo, hi], "below_target": bool(hi < target)}
        for v, e, lo, hi in zip(table["cohort"], table[estimate], table[lower], table[upper],
                                strict=True)
    ]  # fmt: skip


def scaled_pooled(pooled: dict, by_village: pd.DataFrame) -> dict:
    """The two-village pooled.json stretched over the fabricated villages: every village
    listed, weighted equally, flagged below :data:`SCALED_TARGET` by its gain interval."""
    k = len(by_village)
    out = json.loads(json.dumps(pooled))
    out["n_villages"], out["n_pairs"] = k, int(by_village["n_pairs"].sum())
    out["villages"] = [
        {"village": r.cohort, "n_pairs": int(r.n_pairs), "pre_mean": r.pre_mean,
         "post_mean": r.post_mean, "gain_mean": r.gain_mean,
         "gain_ci95": [r.gain_ci95_lower, r.gain_ci95_upper], "d_z": r.d_z,
         "d_z_ci95": [r.d_z_ci95_lower, r.d_z_ci95_upper]}
        for r in by_village.itertuples(index=False)
    ]  # fmt: skip
    for meta in (out["meta_gain"], out["meta_d_z"], out["skill"]["meta_mean"]):
        meta.update(k=k, Q_df=k - 1, weights=[100 / k] * k)
    out["mixed_gain"].update(
        target=SCALED_TARGET,
        blups=_scaled_blups(by_village, "gain_mean", "gain_ci95_lower", "gain_ci95_upper",
                            SCALED_TARGET),
    )  # fmt: skip
    out["skill"]["mixed_mean"]["blups"] = _scaled_blups(
        by_village, "skill_mean", "skill_ci95_lower", "skill_ci95_upper",
        out["skill"]["mixed_mean"].get("target") or -math.inf,
    )  # fmt: skip
    return out


def scaled_raw_files(by_village: pd.DataFrame) -> list[str]:
    """The raw files of the fabricated villages: two exports and a workbook each."""
    return [
        f"data/raw/programme/{village}/{name}"
        for village in by_village["cohort"]
        for name in ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv",
                     "daftar_tilik_keterampilan.xlsx")
    ]  # fmt: skip


def scaled_cleaning_log(by_village: pd.DataFrame) -> pd.DataFrame:
    """A kept row per pair in each knowledge export and per cadre in each workbook; every
    fifth village's pre-test has a merged duplicate, every seventh's post-test a dropped row."""
    files = np.array(scaled_raw_files(by_village))
    villages = np.arange(len(by_village))
    kept = np.stack([by_village["n_pairs"], by_village["n_pairs"], by_village["skill_n"]], 1)
    extra = np.stack([villages % 5 == 0, villages % 7 == 0, np.zeros_like(villages, bool)], 1)
    counts = (kept + extra).ravel()
    source = np.repeat(files, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    row = np.arange(counts.sum()) - first
    last = row == np.repeat(counts - 1, counts)
    changed = last & np.repeat(extra.ravel(), counts)
    merged = changed & pd.Series(source).str.contains("pretest").to_numpy()
    cohort = pd.Series(source).str.split("/").str[3]
    log = pd.DataFrame(
        {"cohort": cohort, "source_file": source, "sheet": "", "source_row": row + 2,
         "action": np.where(merged, "merged", np.where(changed, "dropped", "kept")),
         "reason": np.where(merged, "duplicate_submission",
                            np.where(changed, "blank_submission", "used")),
         "detail": "", "participant_id": ""}
    )  # fmt: skip
    return log.sort_values(["cohort", "source_file", "source_row"], ignore_index=True)


def scaled_cohorts(villages: int) -> list[dict[str, str]]:
    """The config's cohorts of the fabricated programme: 10 districts of 10 sub-districts."""
    return [
        {"id": i, "label": f"Desa {i}, Kec {i[-3:-1]}, Kab {i[-2]}"} for i in scaled_names(villages)
    ]


def write_scaled_results(root: Path, villages: int) -> dict[str, Path]:
    """The result files of a fabricated programme of ``villages`` villages under ``root``,
    with the lists the report links beside it (input_hashes.csv, data_flow_by_file.csv).

    Returns ``{registry name: path}`` and ``"hash_records"``: the shard's record of the
    raw files (fabricated digests) the provenance reads.
    """
    paths = write_results_files(root, villages=2)
    by_village = scaled_by_village(villages)
    write_csv(by_village, paths["by_village"])
    for name, frame in scaled_groups_and_steps(by_village).items():
        write_csv(frame, paths[name])
    pooled = json.loads(paths["pooled"].read_text(encoding="utf-8"))
    write_json(scaled_pooled(pooled, by_village), paths["pooled"])
    write_csv(scaled_cleaning_log(by_village), paths["cleaning_log"])
    record = root / shard_input_hashes("s0")
    record.parent.mkdir(parents=True, exist_ok=True)
    hashes = [[f, hashlib.sha256(f.encode()).hexdigest()] for f in scaled_raw_files(by_village)]
    pd.DataFrame(hashes, columns=["file", "sha256"]).to_csv(record, index=False)
    beside = {
        name: root / OUTPUTS[name].path for name in ("input_hashes", "data_flow_by_file", "sites")
    }
    write_beside(paths["cleaning_log"], [record], beside, scaled_cohorts(villages))
    return {**paths, **beside, "hash_records": record}


def render_scaled(root: Path, villages: int) -> dict[str, Path]:
    """Both reports of a fabricated programme of ``villages`` villages (figures drawn anew;
    no figure with a panel per village, as above ``scale.village_figures_max``)."""
    paths = write_scaled_results(root, villages)
    results = load_results({k: v for k, v in paths.items() if k in REPORT_INPUTS})
    run = Run(published=True, villages=True, village_figures=False)
    cohorts = scaled_cohorts(villages)
    labels = [cohort["label"] for cohort in cohorts]
    config = {"alpha": 0.05, "cohorts": cohorts}
    provenance = build_provenance(
        read_input_hashes([paths["hash_records"]]),
        config=config,
        source=Source("0123456789abcdef"),
        versions=VERSIONS,
    )
    out = {}
    for lang, path in REPORT_FILES.items():
        pngs = {name: root / figure_path(name, lang, "png") for name in figure_names(run)}
        write_figures(results, {name: [png] for name, png in pngs.items()}, lang)
        sites = site_summary(labels, lang)
        study = {
            **STUDY[lang],
            "site": sites["text"],
            "site_list": sites["list"],
            "site_csv": sites["csv"],
        }
        out[lang] = write_report(
            results, lang, root / path, figures=pngs, provenance=provenance, study=study,
            forbidden_names=NAMES,
        )  # fmt: skip
    return out
