"""Adapter: raw exports of one shard's cohorts -> pseudonymised tables, cleaning log, linkage."""

from analisis.adapter import run_step
from analisis.clean import clean_study
from analisis.tables import write_table


def main():
    params = snakemake.params
    tables = clean_study(params.cohorts, params.cleaning, codes=params.codes)
    for name, path in snakemake.output.items():
        write_table(tables[name], name, path)


run_step(main, snakemake.log[0])
