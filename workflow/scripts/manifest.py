"""Adapter: SHA-256 of every file under data/processed/ and reports/, for `sha256sum -c`."""

from analisis.adapter import run_step
from analisis.report.manifest import write_manifest


def main():
    write_manifest(".", manifest=snakemake.output[0])


run_step(main, snakemake.log[0])
