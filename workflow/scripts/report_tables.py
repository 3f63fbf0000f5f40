"""Adapter: the shards' raw-file records, the cleaning log and the cohorts -> the lists the
report links."""

from analisis.adapter import run_step
from analisis.report.beside import write_beside
from analisis.shards import study_config


def main():
    write_beside(
        snakemake.input.cleaning_log,
        snakemake.input.input_hashes,
        snakemake.output,
        # The config itself, not the params' digest of it (analisis.shards.config_digest).
        study_config(snakemake.config)["cohorts"],
    )


run_step(main, snakemake.log[0])
