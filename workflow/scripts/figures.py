"""Adapter: result tables -> every figure in one language, in three formats."""

from analisis.adapter import run_step
from analisis.registry import REPORT_INPUTS
from analisis.report.figureset import write_figures
from analisis.report.sources import load_results


def main():
    inputs, params = snakemake.input, snakemake.params
    results = load_results(
        {name: inputs[name] for name in REPORT_INPUTS if name in inputs.keys()},
        instrument_steps=inputs.steps,
    )
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
