"""Adapter: one shard's clean tables -> knowledge scores (long, wide, N-gain), skill scores."""

from analisis.adapter import run_step
from analisis.scoring import score_study
from analisis.tables import read_table, write_table


def main():
    clean = {name: read_table(path, name) for name, path in snakemake.input.items()}
    tables = score_study(**clean, scoring=snakemake.params.scoring)
    for name, path in snakemake.output.items():
        write_table(tables[name], name, path)


run_step(main, snakemake.log[0])
