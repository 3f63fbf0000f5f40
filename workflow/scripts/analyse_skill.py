"""Adapter: skill scores and the shards' step counts -> descriptives, tests against the
threshold, groups, steps."""

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.results import skill_results
from analisis.stats.shard import read_summaries
from analisis.tables import read_table


def main():
    results = skill_results(
        read_table(snakemake.input.skill_scores, "skill_scores"),
        step_counts_parts=read_summaries(snakemake.input.step_counts),
        step_summary_parts=read_summaries(snakemake.input.skill_steps_summary),
        competence_threshold=snakemake.params.analysis["competence_threshold"],
        skill_categories=snakemake.params.scoring["skill_categories"],
    )
    write_results(results, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
