"""Adapter: the data dictionary of every processed table, from the table schemas."""

from analisis.adapter import run_step
from analisis.outputs import write_csv
from analisis.tables import data_dictionary


def main():
    write_csv(data_dictionary(snakemake.params.n_follow_ups), snakemake.output[0])


run_step(main, snakemake.log[0])
