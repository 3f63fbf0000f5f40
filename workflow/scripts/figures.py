"""Adapter: result tables -> every figure in one language, in three formats."""

from pathlib import Path

from analisis.adapter import run_step
from analisis.report.figureset import write_figures
from analisis.report.sources import load_results


def main():
    inputs, params = snakemake.input, snakemake.params
    results = load_results(
        Path(inputs.paired).parent, Path(inputs.wide).parent, instrument_steps=inputs.steps
    )
    write_figures(
        results,
        Path(snakemake.output[0]).parent,
        names=params.names,
        langs=[snakemake.wildcards.lang],
        formats=params.formats,
    )


run_step(main, snakemake.log[0])
