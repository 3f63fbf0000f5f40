"""Adapter: raw exports of one shard's cohorts -> pseudonymised clean tables, cleaning log,
linkage -> knowledge scores (long, wide, N-gain) and skill scores; and the record of the
raw files' SHA-256 for the report."""

from analisis.adapter import run_step
from analisis.clean import clean_study
from analisis.provenance import write_input_hashes
from analisis.scoring import SCORE_INPUTS, score_study
from analisis.tables import read_table, write_table


def main():
    params, output = snakemake.params, snakemake.output
    write_input_hashes(snakemake.input, output.input_hashes)
    clean = clean_study(params.cohorts, params.cleaning, codes=params.codes)
    for name, table in clean.items():
        write_table(table, name, output[name])
    # Scores are computed from the clean tables as written, as any later reader sees them.
    written = {name: read_table(output[name], name) for name in SCORE_INPUTS}
    for name, table in score_study(**written, scoring=params.scoring).items():
        write_table(table, name, output[name])


run_step(main, snakemake.log[0])
