"""Adapter: the shards' raw-file records and the cleaning log -> the lists the report links."""

from analisis.adapter import run_step
from analisis.report.beside import write_beside


def main():
    write_beside(snakemake.input.cleaning_log, snakemake.input.input_hashes, snakemake.output)


run_step(main, snakemake.log[0])
