"""Adapter: scored knowledge tables and the shards' item counts -> paired tests, effect
sizes, N-gain, item analysis."""

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.results import knowledge_results
from analisis.stats.shard import read_item_parts
from analisis.tables import read_table


def main():
    analysis, scoring = snakemake.params.analysis, snakemake.params.scoring
    results = knowledge_results(
        read_table(snakemake.input.knowledge_wide, "knowledge_wide"),
        read_table(snakemake.input.knowledge_scores, "knowledge_scores"),
        item_parts=read_item_parts(snakemake.input.item_counts, snakemake.input.item_totals),
        alpha=analysis["alpha"],
        normality_alpha=analysis["normality_alpha"],
        primary_test=analysis["primary_test"],
        bootstrap_resamples=analysis["bootstrap_resamples"],
        seed=analysis["seed"],
        n_gain_categories=scoring["n_gain_categories"],
        knowledge_categories=scoring["knowledge_categories"],
    )
    write_results(results, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
