"""Synthetic result files shaped like the bundled study, for the figure and report tests.

23 cadres, knowledge scores on the 4-point grid of a 25-item test (pre mean 76.00, post
mean 2288 / 23 = 99.478...), 4 mentoring groups, 6 checklist steps, 5 items. The numbers
are plausible, not the study's; the report tests only check that they are shown and
formatted correctly, so each test writes the value it expects by hand.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from analisis.outputs import write_csv, write_json
from analisis.report.figureset import write_figures
from analisis.report.provenance import build_provenance
from analisis.report.render import REPORT_NAMES, write_report
from analisis.report.sources import load_results

N = 23
PRE = [64, 68, 68, 72, 72, 72, 72, 76, 76, 76, 76, 76, 76, 76, 80, 80, 80, 80, 80, 84, 84, 84, 76]
POST = [100] * 20 + [96, 96, 96]
GROUPS = [1] * 6 + [2] * 6 + [3] * 6 + [4] * 5
SKILL = [88.0, 84.0, 92.0, 80.0, 90.0, 86.0, 94.0, 82.0, 88.0, 90.0, 84.0, 86.0,
         78.0, 92.0, 88.0, 90.0, 86.0, 88.0, 84.0, 90.0, 86.0, 88.0, 92.0]  # fmt: skip
NAMES = ["Siti Aminah", "Rina Marlina", "Dewi Lestari"]

PAIRED = {
    "n_pairs": 23,
    "n_excluded": 1,
    "pre": {"mean": 76.0, "sd": 5.4, "median": 76.0, "min": 64.0, "max": 84.0,
            "share_at_max": 0.0},
    "post": {"mean": 2288 / 23, "sd": 1.38, "median": 100.0, "min": 96.0, "max": 100.0,
             "share_at_max": 20 / 23},
    "difference": {"mean": 23.478, "sd": 5.89, "ci95": [20.93, 26.03]},
    "shapiro": {"W": 0.9123, "p": 0.0461},
    "t_test": {"t": 19.1234, "df": 22.0, "p": 3.3e-15},
    "wilcoxon": {"V": 276.0, "p": 2.7e-05, "method": "normal approximation",
                 "continuity_correction": True, "n_zero": 0},
    "effect_size": {"d_z": 3.9876, "d_z_ci95": [2.7654, 5.1987], "d_av": 6.93, "g_av": 6.69,
                    "d_rm": 4.12, "rank_biserial": 1.0, "rank_biserial_ci95": [1.0, 1.0],
                    "cles": 1.0},
    "primary_test": "wilcoxon",
    "n_gain": {"class": 0.97826, "mean_individual": 0.9734, "sd_individual": 0.061,
               "n_undefined": 0},
}  # fmt: skip

DETAILS = {
    "n_pairs": 23,
    "n_not_paired": 1,
    "descriptives": {
        "pre": {"n": 23, "mean": 76.0, "sd": 5.4, "se": 1.126, "median": 76.0, "q1": 72.0,
                "q3": 80.0, "min": 64.0, "max": 84.0, "share_at_max": 0.0,
                "ci95_lower": 73.665, "ci95_upper": 78.335},
        "post": {"n": 23, "mean": 2288 / 23, "sd": 1.38, "se": 0.2877, "median": 100.0,
                 "q1": 100.0, "q3": 100.0, "min": 96.0, "max": 100.0,
                 "share_at_max": 20 / 23, "ci95_lower": 98.881,
                 "ci95_upper": 100.075},
        "difference": {"n": 23, "mean": 23.478, "sd": 5.89, "se": 1.228, "median": 24.0,
                       "q1": 20.0, "q3": 28.0, "min": 12.0, "max": 36.0, "share_at_max": None},
    },
    "spss_paired_samples_test": {"pair": "post - pre", "mean": 23.478, "std_deviation": 5.89,
                                 "std_error_mean": 1.228, "ci95_lower": 20.93,
                                 "ci95_upper": 26.03, "t": 19.1234, "df": 22,
                                 "sig_2_tailed": 3.3e-15},
    "spss_wilcoxon_ranks": {"pair": "post - pre",
                            "negative_ranks": {"n": 0, "mean_rank": None, "sum_of_ranks": 0.0},
                            "positive_ranks": {"n": 23, "mean_rank": 12.0, "sum_of_ranks": 276.0},
                            "ties": {"n": 0}, "total": {"n": 23}, "z": -4.2036,
                            "z_based_on": "negative ranks", "asymp_sig_2_tailed": 2.63e-05},
    "hodges_lehmann": 24.0,
    "bootstrap_mean_difference": {"ci95": [21.13, 25.91], "method": "BCa",
                                  "n_resamples": 10000, "seed": 20240906},
    "primary_test": "wilcoxon",
    "alpha": 0.05,
    "normality_alpha": 0.05,
}  # fmt: skip

SKILL_JSON = {
    "n": 23,
    "mean": 87.26,
    "sd": 3.8,
    "competence_threshold": 75,
    "one_sample": {"threshold": 75, "alternative": "two-sided",
                   "t_test": {"t": 15.48, "df": 22, "p": 2.4e-13},
                   "wilcoxon": {"V": 276.0, "p": 2.7e-05}},
    "top_category": {"category": "baik", "k": 23, "n": 23, "share": 1.0,
                     "ci95": [0.8569, 1.0]},
    "group_comparison": {
        "n": 23, "k": 4,
        "kruskal_wallis": {"H": 1.234, "df": 3, "p": 0.745, "epsilon_squared": 0.056},
        "welch_anova": {"F": 0.41, "df1": 3.0, "df2": 10.7, "p": 0.75, "eta_squared": 0.1,
                        "omega_squared": -0.08},
    },
}  # fmt: skip


def write_results(root: Path, *, with_review: bool = True) -> dict[str, Path]:
    """Write a full set of result files under ``root``; return the directories."""
    tables = root / "reports" / "tables"
    processed = root / "data" / "processed"
    ids = [f"K{i:02d}" for i in range(1, N + 1)]
    write_json(PAIRED, tables / "knowledge_paired.json")
    write_json(DETAILS, tables / "knowledge_details.json")
    write_json(SKILL_JSON, tables / "skill.json")
    write_json({"n_items": 5, "kr20_pre": 0.61, "kr20_post": 0.12}, tables / "items.json")
    write_csv(
        pd.DataFrame({"group": [1, 2, 3, 4], "n": [6, 6, 6, 5],
                      "mean": [86.667, 87.333, 87.0, 88.0], "sd": [4.1, 4.3, 4.8, 3.0],
                      "ci95_lower": [82.36, 82.82, 81.96, 84.28],
                      "ci95_upper": [90.97, 91.85, 92.04, 91.72]}),
        tables / "skill_groups.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({"step_id": ["L04", "L02", "L06", "L01", "L03", "L05"],
                      "mean_points": [1.35, 1.52, 1.61, 1.87, 1.91, 1.96],
                      "max_points": [2, 2, 2, 2, 2, 2],
                      "mean_share": [0.675, 0.76, 0.805, 0.935, 0.955, 0.98],
                      "share_full": [0.391, 0.565, 0.652, 0.870, 0.913, 0.957]}),
        tables / "skill_steps_summary.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({"item_id": ["P01", "P02", "P03", "P04", "P05"],
                      "difficulty_pre": [0.913, 0.522, 0.739, 0.826, 0.609],
                      "difficulty_post": [1.0, 0.957, 1.0, 1.0, 1.0],
                      "discrimination_pre": [0.21, 0.45, 0.33, 0.12, 0.38],
                      "discrimination_post": [None, 0.31, None, None, None],
                      "mcnemar_p": [0.25, 0.0039, 0.0313, 0.125, 0.0078],
                      "mcnemar_p_holm": [0.25, 0.0195, 0.0939, 0.25, 0.0312]}),
        tables / "items.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({"category": ["tinggi", "sedang", "rendah"], "n": [22, 1, 0]}),
        tables / "n_gain_categories.csv",
    )
    write_csv(
        pd.DataFrame({"pre_category": ["baik", "baik", "cukup", "cukup"],
                      "post_category": ["baik", "cukup", "baik", "cukup"], "n": [17, 0, 6, 0]}),
        tables / "knowledge_category_shift.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({"cohort": "kampung_delima", "participant_id": ids, "pre": PRE,
                      "post": POST, "paired": True}),
        processed / "knowledge_wide.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({"cohort": "kampung_delima", "participant_id": ids, "group": GROUPS,
                      "score": SKILL}),
        processed / "skill_scores.csv",
    )  # fmt: skip
    log = []
    for phase in ("pretest_pengetahuan.csv", "posttest_pengetahuan.csv"):
        for i, pid in enumerate(ids):
            log.append((phase, i + 2, "kept", "", pid))
    log.append(
        ("pretest_pengetahuan.csv", 25, "merged", "duplicate submission (same person)", "K05")
    )
    log.append(("posttest_pengetahuan.csv", 25, "dropped", "no matching pre-test", ""))
    write_csv(
        pd.DataFrame(log, columns=["source_file", "source_row", "action", "reason",
                                   "participant_id"]).assign(cohort="kampung_delima"),
        processed / "cleaning_log.csv",
    )  # fmt: skip
    if with_review:
        write_json(
            {"cohorts": [{"cohort": "kampung_delima", "source": "Kurniyati et al. (2026)",
                          "rounding": "half_up", "rows": [
                {"quantity": "n", "printed": "23", "decimals": 0, "recomputed": 23,
                 "agrees": True, "grim_consistent": None, "note": "", "note_id": ""},
                {"quantity": "post_mean", "printed": "99.50", "decimals": 2,
                 "recomputed": 2288 / 23, "agrees": False, "grim_consistent": False,
                 "note": "99.50 is impossible for 23 integer scores; nearest 99.48, 99.52",
                 "note_id": "99,50 tidak mungkin untuk 23 skor bulat; terdekat 99,48; 99,52"},
            ]}]},
            tables / "published_check.json",
        )  # fmt: skip
        write_json(
            {"cohorts": [{"cohort": "kampung_delima", "inputs": {"alpha": 0.05},
                          "t": {"min": 10.1, "max": 19.9}, "p": {"min": 1e-18, "max": 1.2e-9},
                          "d_z": {"values": [2.1 + 0.05 * (i % 37) for i in range(200)]},
                          "significant_in_every_case": True}]},
            tables / "published_robustness.json",
        )  # fmt: skip
    return {"tables": tables, "processed": processed}


VERSIONS = {"python": "3.11.7", "analisis": "0.1.0", "numpy": "2.4.6", "pandas": "3.1.1",
            "scipy": "1.17.1", "statsmodels": "0.15.0", "pingouin": "0.7.0",
            "matplotlib": "3.11.2", "snakemake": "9.27.1"}  # fmt: skip
CONFIG = {"alpha": 0.05, "cohorts": ["kampung_delima"], "seed": 20240906}


#: PNGs drawn once per test run for each fixture variant (figures are tested in
#: test_figures.py; drawing them for every report here would only repeat that work).
FIGURE_CACHE: dict[bool, Path] = {}


def render_all(
    root: Path, *, with_review: bool = True, names=NAMES, fresh: bool = True
) -> dict[str, Path]:
    """Write the fixture's results (unless ``fresh`` is False), figures and both reports."""
    dirs = write_results(root, with_review=with_review) if fresh else _dirs(root)
    results = load_results(dirs["tables"], dirs["processed"])
    figures = root / "reports" / "figures"
    if with_review not in FIGURE_CACHE:
        FIGURE_CACHE[with_review] = Path(tempfile.mkdtemp(prefix="analisis-figures-"))
        write_figures(results, FIGURE_CACHE[with_review], formats=("png",))
    shutil.copytree(FIGURE_CACHE[with_review], figures, dirs_exist_ok=True)
    inputs = sorted(p for p in (root / "data").rglob("*") if p.is_file())
    provenance = build_provenance(
        inputs, root=root, config=CONFIG, commit="0123456789abcdef", versions=VERSIONS
    )
    out = {}
    for lang, name in REPORT_NAMES.items():
        out[lang] = write_report(
            results,
            lang,
            root / "reports" / name,
            figures_dir=figures,
            provenance=provenance,
            study={"title": "Pemberdayaan Peran Kader", "doi": "10.33024/jkpm.v9i5.25420"},
            forbidden_names=names,
        )
    return out


def _dirs(root: Path) -> dict[str, Path]:
    return {"tables": root / "reports" / "tables", "processed": root / "data" / "processed"}


def clear_figure_cache() -> None:
    """Remove the PNGs drawn by :func:`render_all`."""
    for folder in FIGURE_CACHE.values():
        shutil.rmtree(folder, ignore_errors=True)
    FIGURE_CACHE.clear()
