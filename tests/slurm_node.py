"""A one-node SLURM cluster on this machine, for running the workflow's slurm profile.

Everything lives in one temporary folder: a munge key and socket of its own (so a
system munged, if any, is neither needed nor disturbed), ``slurm.conf``, state, spool,
logs and pid files. The daemons run in the foreground (``-D``/``-F``) as children of
the test process, so tearing down is killing three processes. Ports are picked free on
127.0.0.1, so two test runs on one machine do not meet.

Needs Debian's ``slurm-wlm`` and ``munge`` and root (``SlurmUser=root``); ``.ci/run``
installs them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PROGRAMS = "munged mungekey slurmctld slurmd sbatch srun squeue scancel sinfo".split()
NODE = "localnode"
PARTITION = "debug"
#: How long the daemons get to come up before the bring-up fails.
START_TIMEOUT = 60.0


class SlurmNodeError(RuntimeError):
    """The one-node cluster did not come up; the message carries the daemons' logs."""


def missing_programs() -> list[str]:
    """The SLURM and munge programs not on PATH (empty where the node can be brought up)."""
    return [name for name in PROGRAMS if shutil.which(name) is None]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def node_hardware() -> tuple[int, int]:
    """CPUs and RealMemory (MB) of this machine as slurmd reports them (``slurmd -C``)."""
    text = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout
    cpus = re.search(r"\bCPUs=(\d+)", text)
    memory = re.search(r"\bRealMemory=(\d+)", text)
    if not (cpus and memory):
        raise SlurmNodeError(f"slurmd -C did not report CPUs and RealMemory:\n{text}")
    return int(cpus.group(1)), int(memory.group(1))


def slurm_conf(base: Path, cpus: int, memory_mb: int, ports: tuple[int, int]) -> str:
    """slurm.conf of a one-node cluster whose files all lie under ``base``."""
    controller_port, node_port = ports
    return f"""\
ClusterName=analisis-test
SlurmctldHost=localhost
SlurmctldPort={controller_port}
SlurmdPort={node_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={base / "munge.socket"}
StateSaveLocation={base / "state"}
SlurmdSpoolDir={base / "spool"}
SlurmctldPidFile={base / "slurmctld.pid"}
SlurmdPidFile={base / "slurmd.pid"}
SlurmctldLogFile={base / "slurmctld.log"}
SlurmdLogFile={base / "slurmd.log"}
# No cgroups: a container or CI machine may not delegate them.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No accounting database: Snakemake reads job states from squeue, which shows a
# finished job for MinJobAge seconds, longer than any status-check interval.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=600
MpiDefault=none
ReturnToService=2
# CPUs and memory are both allocated, so the profile's mem_mb and cpus_per_task count.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
NodeName={NODE} NodeHostname=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb}
PartitionName={PARTITION} Nodes={NODE} Default=YES State=UP
"""


@dataclass
class SlurmNode:
    """munged, slurmctld and slurmd running on localhost with their files under ``base``."""

    base: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.base / "slurm.conf"

    @property
    def env(self) -> dict[str, str]:
        """This process's environment pointed at this cluster (for Snakemake and its jobs)."""
        path = os.pathsep.join(filter(None, [str(self.base / "bin"), os.environ.get("PATH")]))
        return {**os.environ, "SLURM_CONF": str(self.conf), "PATH": path}

    def start(self) -> SlurmNode:
        for folder in ("state", "spool"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
        self.base.chmod(0o700)  # munged refuses a key or socket in a folder others can write
        cpus, memory_mb = node_hardware()
        self.conf.write_text(slurm_conf(self.base, cpus, memory_mb, (free_port(), free_port())))
        self._srun_wrapper()
        key = self.base / "munge.key"
        self._check(["mungekey", "--create", f"--keyfile={key}"])
        self._spawn(
            "munged",
            [
                "munged",
                "--foreground",
                "--force",
                f"--socket={self.base / 'munge.socket'}",
                f"--key-file={key}",
                f"--log-file={self.base / 'munged.log'}",
                f"--pid-file={self.base / 'munged.pid'}",
                f"--seed-file={self.base / 'munged.seed'}",
            ],
        )
        self._wait("munged", lambda: (self.base / "munge.socket").exists())
        self._spawn("slurmctld", ["slurmctld", "-D", "-i"])
        self._spawn("slurmd", ["slurmd", "-D", "-N", NODE])
        self._wait("the node", self._node_idle)
        return self

    def stop(self) -> None:
        """Cancel what is left in the queue, then kill the daemons; safe to call twice."""
        if self.processes.get("slurmctld") and self.processes["slurmctld"].poll() is None:
            # A job's processes belong to slurmstepd, not to slurmd: cancel them first.
            subprocess.run(["scancel", "--full", "--user", str(os.getuid())], env=self.env)
            self._wait_for_empty_queue()
        for name in ("slurmd", "slurmctld", "munged"):
            process = self.processes.pop(name, None)
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def logs(self) -> str:
        parts = []
        for name in ("munged", "slurmctld", "slurmd"):
            for suffix in (".log", ".out"):
                path = self.base / f"{name}{suffix}"
                if path.exists() and path.stat().st_size:
                    parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def _srun_wrapper(self) -> None:
        """An ``srun`` first on PATH that points the real one at this cluster's slurm.conf.

        The plugin's job step (snakemake-executor-plugin-slurm-jobstep) removes every
        SLURM_* variable but the job's identity before it calls srun, SLURM_CONF too.
        A real cluster keeps slurm.conf where srun looks without it (/etc/slurm/); this
        one keeps it in its own folder, so as not to touch the machine's.
        """
        wrapper = self.base / "bin" / "srun"
        wrapper.parent.mkdir(exist_ok=True)
        real = shutil.which("srun") or "srun"
        conf, real = shlex.quote(str(self.conf)), shlex.quote(real)
        wrapper.write_text(f'#!/bin/sh\nSLURM_CONF={conf} exec {real} "$@"\n')
        wrapper.chmod(0o755)

    def _spawn(self, name: str, command: list[str]) -> None:
        out = (self.base / f"{name}.out").open("wb")
        self.processes[name] = subprocess.Popen(
            command, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=self.base
        )

    def _check(self, command: list[str]) -> None:
        done = subprocess.run(command, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SlurmNodeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def _node_idle(self) -> bool:
        done = subprocess.run(
            ["sinfo", "--noheader", "--nodes", NODE, "--format", "%t"],
            env=self.env,
            capture_output=True,
            text=True,
        )
        return done.returncode == 0 and done.stdout.strip() == "idle"

    def _wait_for_empty_queue(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            done = subprocess.run(
                ["squeue", "--noheader", "--format", "%i"], env=self.env, capture_output=True
            )
            if done.returncode != 0 or not done.stdout.strip():
                return
            time.sleep(0.5)

    def _wait(self, what: str, ready) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not ready():
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                reason = f"{', '.join(dead)} exited" if dead else f"not up in {START_TIMEOUT} s"
                self.stop()
                raise SlurmNodeError(f"{what}: {reason}\n{self.logs()}")
            time.sleep(0.5)
