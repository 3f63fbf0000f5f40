"""Adapter: raw exports of one shard's cohorts -> pseudonymised clean tables, cleaning log,
linkage -> knowledge scores (long, wide, N-gain) and skill scores; the record of the raw
files' SHA-256 for the report; and what the shard sends the study-wide analyses (its
villages' own results and the sufficient statistics of the item and step analyses)."""

from analisis.adapter import run_step
from analisis.clean import clean_study
from analisis.outputs import write_csv
from analisis.provenance import write_input_hashes
from analisis.registry import SHARD_SUMMARIES
from analisis.scoring import SCORE_INPUTS, score_study
from analisis.stats.shard import shard_summaries
from analisis.tables import read_table, write_table


def main():
    params, output = snakemake.params, snakemake.output
    write_input_hashes(params.raw_files, output.input_hashes)
    clean = clean_study(params.cohorts, params.cleaning, codes=params.codes)
    for name, table in clean.items():
        write_table(table, name, output[name])
    # Scores are computed from the clean tables as written, as any later reader sees them.
    written = {name: read_table(output[name], name) for name in SCORE_INPUTS}
    scores = score_study(**written, scoring=params.scoring)
    for name, table in scores.items():
        write_table(table, name, output[name])
    summaries = shard_summaries({**written, **scores}, params.analysis, params.scoring)
    for name in SHARD_SUMMARIES:
        write_csv(summaries[name], output[name])


run_step(main, snakemake.log[0])
