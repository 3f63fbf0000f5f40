"""The report's footer names the commit of the code and says when the tree had changes."""

from __future__ import annotations

import subprocess

import pytest

from analisis.report.provenance import git_state


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
