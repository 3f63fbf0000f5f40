"""Adapter: paired knowledge scores (and pooled.json) -> reports/tables/planning.json."""

import json

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.planning import planning_result
from analisis.tables import read_table


def main():
    pooled_path = snakemake.input.get("pooled")
    pooled = None
    if pooled_path:
        with open(pooled_path, encoding="utf-8") as handle:
            pooled = json.load(handle)
    result = planning_result(
        read_table(snakemake.input.knowledge_wide, "knowledge_wide"),
        pooled,
        snakemake.params.planning,
        source=pooled_path or snakemake.input.knowledge_wide,
    )
    write_results({"planning": result}, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
