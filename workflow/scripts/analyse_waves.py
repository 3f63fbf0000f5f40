"""Adapter: knowledge scores of every wave and the shards' counts of items forgotten ->
waves.json (delayed post-tests)."""

import pandas as pd

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.shard import read_summaries
from analisis.stats.waves import waves_results
from analisis.tables import read_table


def main():
    inputs = snakemake.input
    result = waves_results(
        read_table(inputs.knowledge_scores, "knowledge_scores"),
        pd.concat(read_summaries(inputs.forgetting_counts), ignore_index=True),
        snakemake.params.cohorts,
    )
    write_results({"waves": result}, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
