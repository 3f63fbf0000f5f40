"""Adapter: raw exports of every cohort -> pseudonymised tables, cleaning log, private linkage."""

from analisis.adapter import run_step
from analisis.clean import clean_study
from analisis.tables import write_table


def main():
    tables = clean_study(snakemake.params.cohorts, snakemake.params.cleaning)
    for name, path in snakemake.output.items():
        write_table(tables[name], name, path)


run_step(main, snakemake.log[0])
