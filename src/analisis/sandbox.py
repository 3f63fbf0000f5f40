"""A scratch copy of the workflow, for end-to-end tests and benchmarks.

The pipeline writes ``data/processed/``, ``reports/`` and ``logs/`` next to its
Snakefile; running it in a copy keeps the checkout (and its ``data/raw/``) untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: What a run needs: the workflow, the study's config and raw data, the package, and the
#: citation the documents print.
WORKFLOW_PARTS = (
    "Snakefile",
    "workflow",
    "profiles",
    "config",
    "data/raw",
    "src/analisis",
    "CITATION.cff",
)


def copy_workflow(source: str | os.PathLike, destination: str | os.PathLike) -> Path:
    """Copy the parts of the repository at ``source`` that a run needs into ``destination``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> repo = pathlib.Path(tempfile.mkdtemp())
    >>> for part in ("Snakefile", "config/config.yaml"):
    ...     (repo / part).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (repo / part).write_text("x")
    >>> copy = copy_workflow(repo, pathlib.Path(tempfile.mkdtemp()) / "run")
    >>> sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    ['Snakefile', 'config/config.yaml']
    """
    source, destination = Path(source), Path(destination)
    for part in WORKFLOW_PARTS:
        origin, target = source / part, destination / part
        if origin.is_dir():
            shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif origin.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    return destination


def run_snakemake(
    workdir: str | os.PathLike, *args: str, cores: int = 2
) -> subprocess.CompletedProcess:
    """Run Snakemake of this interpreter's environment in ``workdir``; output captured."""
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores), *args]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
