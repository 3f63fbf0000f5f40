"""Adapter: knowledge scores and answers of every wave -> waves.json (delayed post-tests)."""

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.waves import waves_results
from analisis.tables import read_table


def main():
    inputs = snakemake.input
    result = waves_results(
        read_table(inputs.knowledge_scores, "knowledge_scores"),
        read_table(inputs.responses, "responses"),
        snakemake.params.cohorts,
    )
    write_results({"waves": result}, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
