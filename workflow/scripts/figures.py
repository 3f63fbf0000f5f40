"""Adapter: result tables -> every figure in one language, in three formats."""

from analisis.adapter import run_step
from analisis.report.figureset import write_figures
from analisis.report.sources import rule_results


def main():
    inputs, params = snakemake.input, snakemake.params
    results = rule_results(inputs)
    lang = snakemake.wildcards.lang
    write_figures(
        results,
        {
            name: [snakemake.output[f"{name}_{fmt}"] for fmt in params.formats]
            for name in params.names
        },
        lang,
    )


run_step(main, snakemake.log[0])
