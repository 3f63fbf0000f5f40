"""Adapter: each shard's clean and score tables -> the study's processed tables."""

from analisis.adapter import run_step
from analisis.tables import combine, read_table, write_table


def main():
    for name, path in snakemake.output.items():
        parts = getattr(snakemake.input, name)
        parts = [parts] if isinstance(parts, str) else list(parts)
        write_table(combine([read_table(p, name) for p in parts], name), name, path)


run_step(main, snakemake.log[0])
