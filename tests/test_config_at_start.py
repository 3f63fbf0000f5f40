"""Snakemake runs of a wrong configuration stop at once, with our one line only."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analisis.sandbox import copy_workflow, run_snakemake

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "config/config.yaml"


@pytest.fixture
def workdir(tmp_path):
    return copy_workflow(ROOT, tmp_path / "study")


def _edit(workdir: Path, change) -> None:
    config = yaml.safe_load((workdir / CONFIG).read_text())
    change(config)
    (workdir / CONFIG).write_text(yaml.safe_dump(config))


def _one_error(done) -> str:
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("analisis: error:")]
    assert len(errors) == 1, done.stderr
    assert "Error validating config" not in done.stderr
    assert "Traceback" not in done.stderr
    return errors[0]


def test_a_schema_violation_is_one_line_with_the_key_path(workdir):
    _edit(workdir, lambda c: c.update(cleaning={"fuzzy_threshold": "high"}))
    message = _one_error(run_snakemake(workdir))
    assert message == (
        "analisis: error: config/config.yaml, key cleaning.fuzzy_threshold: "
        "expected a number, found str 'high'"
    )
    assert not (workdir / "data/processed").exists()


def test_a_missing_raw_file_stops_the_run_even_when_old_outputs_exist(workdir):
    # The final output of an earlier run: Snakemake alone would find nothing to do.
    (workdir / "reports").mkdir()
    (workdir / "reports/MANIFEST.sha256").write_text("")
    (workdir / "data/raw/kampung_delima/posttest_pengetahuan.csv").unlink()
    message = _one_error(run_snakemake(workdir))
    assert message == (
        "analisis: error: config/config.yaml, key cohorts[0].knowledge.post: expected an "
        "existing file, found no file at 'data/raw/kampung_delima/posttest_pengetahuan.csv'"
    )


def test_a_path_outside_the_project_is_refused_unread(workdir):
    _edit(workdir, lambda c: c["cohorts"][0]["knowledge"].update(pre="../../../../etc/passwd"))
    message = _one_error(run_snakemake(workdir))
    assert "key cohorts[0].knowledge.pre" in message and "resolves outside it" in message
    assert "root:" not in message


def test_the_users_own_config_file_is_named(workdir):
    theirs = yaml.safe_load((workdir / CONFIG).read_text())
    theirs["analysis"] = {"alpha": 5}
    (workdir / "their.yaml").write_text(yaml.safe_dump(theirs))
    message = _one_error(run_snakemake(workdir, "--configfile", "their.yaml"))
    assert message.startswith(f"analisis: error: {workdir / 'their.yaml'}, key analysis.alpha:")
