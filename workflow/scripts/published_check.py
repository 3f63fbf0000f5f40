"""Adapter: printed numbers of each cohort's paper versus the recomputed ones, with GRIM."""

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.results import PublishedCheck
from analisis.review.study import study_published_check
from analisis.tables import read_table


def main():
    results = study_published_check(
        snakemake.params.cohorts,
        read_table(snakemake.input.knowledge_wide, "knowledge_wide"),
        read_table(snakemake.input.skill_scores, "skill_scores"),
    )
    results["published_check_json"] = PublishedCheck.from_dict(results["published_check_json"])
    write_results(results, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
