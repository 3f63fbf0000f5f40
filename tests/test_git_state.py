"""The report's footer names the commit of the code, from git or from a ``git archive``,
and says when the tree had changes."""

from __future__ import annotations

import subprocess

import pytest

from analisis.errors import InputError
from analisis.report.provenance import (
    ARCHIVAL,
    CODE_COMMIT,
    CODE_RECORD,
    Source,
    archived_commit,
    git_state,
    source_state,
    write_code_record,
)


def _git(root, *args) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "t@example.org")
    _git(tmp_path, "config", "user.name", "t")
    (tmp_path / "src").mkdir()
    (tmp_path / "src/a.py").write_text("x = 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "code")
    return tmp_path


def test_the_last_code_commit_and_uncommitted_changes(repo):
    code_commit = _git(repo, "rev-parse", "HEAD")
    assert git_state(repo) == (code_commit, False)
    # A commit of documentation cannot change an output: the footer keeps the code's.
    (repo / "docs.md").write_text("notes\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "docs")
    assert git_state(repo) == (code_commit, False)
    (repo / "src/a.py").write_text("x = 2\n")
    assert git_state(repo) == (code_commit, True)


def _archive(repo, commit, destination):
    """Unpack ``git archive commit`` (what GitHub and Zenodo serve) into ``destination``."""
    destination.mkdir()
    tar = subprocess.run(
        ["git", "archive", commit], cwd=repo, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(destination)], input=tar, check=True)
    return destination


@pytest.fixture
def released(repo):
    """A repository whose last commit adds only the reference, as ``make reference`` does."""
    (repo / ARCHIVAL).write_text("commit: $Format:%H$\n")
    (repo / ".gitattributes").write_text(f"{ARCHIVAL} export-subst\n")
    (repo / "config").mkdir()
    (repo / "config/study.yaml").write_text("alpha: 0.05\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "code")
    write_code_record(repo, repo / "reference")
    _git(repo, "add", "reference")
    _git(repo, "commit", "-qm", "reference")
    return repo


def test_an_archive_of_the_reference_commit_names_the_code_commit_like_a_clone(released, tmp_path):
    code_commit = _git(released, "rev-parse", "HEAD~1")
    head = _git(released, "rev-parse", "HEAD")
    assert (released / CODE_COMMIT).read_text() == code_commit + "\n"
    record = (released / CODE_RECORD).read_text().splitlines()
    assert [line.split("  ")[1] for line in record] == ["config/study.yaml", "src/a.py"]
    assert source_state(released) == Source(code_commit)

    unpacked = _archive(released, "HEAD", tmp_path / "archive")
    assert (unpacked / ARCHIVAL).read_text() == f"commit: {head}\n"
    assert archived_commit(unpacked) == head
    # export-subst knows only the archived commit; the record says whose code this is.
    assert source_state(unpacked) == Source(code_commit)

    # Code changed after unpacking (or in a later commit): the archive's own commit,
    # flagged as such.
    (unpacked / "src/a.py").write_text("x = 3\n")
    assert source_state(unpacked) == Source(head, archive=True)
    # Neither git nor an archive: no commit.
    (unpacked / ARCHIVAL).unlink()
    assert source_state(unpacked) == Source(None)


def test_an_archive_unpacked_inside_another_checkout_is_not_that_checkout(released):
    unpacked = _archive(released, "HEAD", released / "unpacked")
    assert git_state(unpacked) == (None, False)
    assert source_state(unpacked).commit == _git(released, "rev-parse", "HEAD~1")


def test_a_reference_needs_committed_code(released, tmp_path):
    (released / "src/a.py").write_text("x = 4\n")
    with pytest.raises(InputError, match="a clean git checkout"):
        write_code_record(released, tmp_path)
