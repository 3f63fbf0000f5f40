"""Adapter: each shard's clean and score tables -> the study's processed tables (their
bytes merged by cohort, never read as tables: analisis.tables.merge_parts)."""

from analisis.adapter import file_list, run_step
from analisis.tables import merge_parts


def main():
    for name, path in snakemake.output.items():
        merge_parts(file_list(getattr(snakemake.input, name)), path)


run_step(main, snakemake.log[0])
