"""A reviewer's check from a release archive: ``git archive`` of the commit that carries
the reference, unpacked with no ``.git``, runs and passes ``analisis verify``.

The reference is committed after the code it was made from, in a commit that changes
only ``reference/``; git fills ``.git_archival.txt`` with that later commit, and the
code record of ``make reference`` (``reference/CODE_COMMIT``, ``CODE.sha256``) lets the
archive's report name the code commit, as a clone's does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analisis.report.provenance import ARCHIVAL
from analisis.sandbox import run_snakemake

pytestmark = pytest.mark.pipeline

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "reference/MANIFEST.sha256"


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(folder / "src")}
    command = [sys.executable, "-m", "analisis.cli", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env)


def _git(folder: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=folder, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _release(tmp_path: Path) -> Path:
    """A clone whose last commit adds the reference made from its code, as ``make
    reference`` then ``git commit reference/`` do."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True)
    done = run_snakemake(repo, "--quiet")
    assert done.returncode == 0, done.stderr[-3000:]
    shutil.copy(repo / "reports/MANIFEST.sha256", repo / REFERENCE)
    recorded = _run(repo, "record-code", ".", "reference")
    assert recorded.returncode == 0, recorded.stderr
    _git(repo, "add", "reference")
    # Empty when the clone's last commit already carries this reference (as on a checkout
    # of a release): the archive is still of the commit after the recorded one.
    _git(repo, "commit", "--quiet", "--allow-empty", "-m", "reference for the last code commit")
    return repo


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to archive")
def test_an_archive_of_the_reference_commit_passes_verify(tmp_path):
    repo = _release(tmp_path)
    code_commit = (repo / "reference/CODE_COMMIT").read_text().strip()
    # The commit the clone's footer names: the last that changed code, config or raw data
    # (the clone's HEAD, or an earlier one when HEAD only carries a reference).
    assert code_commit in (repo / "reports/report.html").read_text(encoding="utf-8")
    assert code_commit != _git(repo, "rev-parse", "HEAD")
    clone_check = _run(repo, "verify", REFERENCE)
    assert clone_check.returncode == 0, clone_check.stdout

    archive = tmp_path / "archive"
    archive.mkdir()
    tar = subprocess.run(["git", "archive", "HEAD"], cwd=repo, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(archive)], input=tar.stdout, check=True)
    assert not (archive / ".git").exists()
    assert _git(repo, "rev-parse", "HEAD") in (archive / ARCHIVAL).read_text()
    done = run_snakemake(archive, "--quiet")
    assert done.returncode == 0, done.stderr[-3000:]
    check = _run(archive, "verify", REFERENCE)
    assert check.returncode == 0, check.stdout
    assert check.stdout.startswith("All ") and "byte for byte" in check.stdout
    assert code_commit in (archive / "reports/report.html").read_text(encoding="utf-8")

    # Without the archive's record of its commit the footer says so, and verify explains
    # the two reports' difference instead of failing the study.
    (archive / ARCHIVAL).unlink()
    done = run_snakemake(archive, "--quiet", "--forcerun", "report_html")
    assert done.returncode == 0, done.stderr[-3000:]
    check = _run(archive, "verify", REFERENCE)
    assert check.returncode == 0, check.stdout
    assert "2 report(s) differ only in the footer's commit line" in check.stdout
    footer = (archive / "reports/report.html").read_text(encoding="utf-8")
    assert "neither a git checkout nor a git archive" in footer
