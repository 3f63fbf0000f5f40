"""Adapter: range of t, p and d_z over every data set consistent with the printed means."""

from analisis.adapter import run_step
from analisis.outputs import write_json
from analisis.results import Robustness
from analisis.review.cli import stderr_progress
from analisis.review.study import study_robustness


def main():
    searched = study_robustness(snakemake.params.cohorts, stderr_progress())
    write_json(Robustness.from_dict(searched), snakemake.output.published_robustness)


run_step(main, snakemake.log[0])
