"""The workflow on a SLURM cluster: the slurm profile on a one-node SLURM on this machine.

A 20-village programme runs once locally and once through Snakemake's SLURM executor
plugin (``--profile workflow/profiles/slurm``), each in its own scratch copy; the two
manifests must be the same bytes. The cluster is real: munged, slurmctld and slurmd on
localhost (``slurm_node.py``), jobs submitted with sbatch and run with srun.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from slurm_node import SlurmNode, missing_programs

from analisis.sandbox import copy_workflow, run_snakemake
from analisis.synth import cli

pytestmark = [pytest.mark.pipeline, pytest.mark.cluster]

ROOT = Path(__file__).resolve().parents[1]
PROGRAMME = "data/raw/programme"
MANIFEST = "reports/MANIFEST.sha256"
#: A run that hangs (a job state never read, say) fails the test instead of CI.
RUN_TIMEOUT = 1200

MISSING = missing_programs()
if MISSING:
    pytest.skip(
        f"SLURM is not installed here (no {', '.join(MISSING)}); "
        "`apt-get install slurm-wlm munge` as .ci/run does",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    node = SlurmNode(tmp_path_factory.mktemp("slurm"))
    try:
        yield node.start()
    finally:
        node.stop()


def _programme(workdir: Path) -> Path:
    copy_workflow(ROOT, workdir)
    out = workdir / PROGRAMME
    cli.main(["--villages", "20", "--seed", "7", "--out", str(out), "--root", str(workdir)])
    return workdir


def test_the_slurm_profile_gives_the_local_runs_bytes(cluster, tmp_path):
    local = _programme(tmp_path / "local")
    done = run_snakemake(local, "--configfile", f"{PROGRAMME}/config.yaml")
    assert done.returncode == 0, done.stderr[-3000:]

    on_slurm = _programme(tmp_path / "slurm")
    command = [
        sys.executable, "-m", "snakemake",
        "--profile", "workflow/profiles/slurm",
        "--configfile", f"{PROGRAMME}/config.yaml",
        # This cluster has no accounting database, so no sacct: job states come from
        # squeue (slurm.conf keeps finished jobs there for MinJobAge seconds).
        "--slurm-status-command", "squeue",
        # Jobs here start at once; the defaults (40 s, 10 s) suit a busy cluster.
        "--slurm-init-seconds-before-status-checks", "2",
        "--seconds-between-status-checks", "2",
    ]  # fmt: skip
    done = subprocess.run(
        command,
        cwd=on_slurm,
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{done.stderr[-3000:]}\n{cluster.logs()}"

    jobs = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%T|%k"],
        env=cluster.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    states = {job.split("|")[0] for job in jobs}
    comments = [job.split("|")[1] for job in jobs]
    assert states == {"COMPLETED"}, jobs
    # The profile's grouping: the report and then its manifest ran as one cluster job.
    assert any("report_html" in c and "manifest" in c for c in comments), comments
    assert (on_slurm / MANIFEST).read_bytes() == (local / MANIFEST).read_bytes()
