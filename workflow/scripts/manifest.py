"""Adapter: SHA-256 of every registered output of this run, for `sha256sum -c`."""

from analisis.adapter import run_step
from analisis.report.manifest import write_manifest


def main():
    write_manifest(list(snakemake.input), snakemake.output[0])


run_step(main, snakemake.log[0])
