"""The configuration is checked before any job: one line naming file, key, expected, found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from analisis.errors import ConfigError
from analisis.preflight import preflight

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
BUNDLED = yaml.safe_load((ROOT / "config/config.yaml").read_text())


@pytest.fixture
def project(tmp_path):
    """A project folder holding the bundled study's files, and its config."""
    for _, path in _files(BUNDLED):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes((ROOT / path).read_bytes())
    return tmp_path


def _files(config):
    from analisis.preflight import configured_files

    return list(configured_files(config))


def _config(**cohort_changes):
    config = yaml.safe_load(yaml.safe_dump(BUNDLED))
    config["cohorts"][0].update(cohort_changes)
    return config


def _message(config, project, files=("config/config.yaml",)) -> str:
    with pytest.raises(ConfigError) as raised:
        preflight(config, SCHEMA, project, list(files))
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_the_bundled_study_passes(project):
    preflight(BUNDLED, SCHEMA, project, ["config/config.yaml"])


def test_a_wrong_type_names_the_key_path_the_type_and_the_value(project):
    config = _config()
    config["cleaning"] = {"fuzzy_threshold": "high"}
    assert _message(config, project) == (
        "config/config.yaml, key cleaning.fuzzy_threshold: expected a number, found str 'high'"
    )


def test_an_unknown_key_and_a_missing_key_are_named(project):
    config = _config(knowledg={})
    assert "key cohorts[0]: expected only the keys" in _message(config, project)
    assert "unknown key 'knowledg'" in _message(config, project)
    config = _config()
    del config["cohorts"][0]["skill"]["workbook"]
    assert _message(config, project).endswith(
        "key cohorts[0].skill: expected the keys instrument, workbook, found no workbook"
    )


def test_the_file_that_set_the_key_is_named(project, tmp_path):
    theirs = project / "their.yaml"
    theirs.write_text("analysis:\n  alpha: 2\n")
    config = _config()
    config["analysis"] = {"alpha": 2}
    message = _message(config, project, ["config/config.yaml", str(theirs)])
    assert message.startswith(f"{theirs}, key analysis.alpha: expected ")


def test_a_missing_raw_file_is_named_with_its_key(project):
    (project / BUNDLED["cohorts"][0]["knowledge"]["post"]).unlink()
    assert _message(BUNDLED, project) == (
        "config/config.yaml, key cohorts[0].knowledge.post: expected an existing file, "
        "found no file at 'data/raw/kampung_delima/posttest_pengetahuan.csv'"
    )


def test_a_path_outside_the_project_is_refused_before_it_is_read(project):
    config = _config()
    config["cohorts"][0]["knowledge"]["pre"] = "../../../../../../etc/passwd"
    message = _message(config, project)
    assert "key cohorts[0].knowledge.pre" in message and "resolves outside it" in message
    assert "root:" not in message


def test_a_symlink_out_of_the_project_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "pre.csv"
    outside.write_text("Nama\n")
    link = project / "data/raw/kampung_delima/linked.csv"
    os.symlink(outside, link)
    config = _config()
    config["cohorts"][0]["knowledge"]["pre"] = "data/raw/kampung_delima/linked.csv"
    assert "resolves outside it" in _message(config, project)


def test_a_village_folder_linked_out_of_the_project_is_refused(project, tmp_path_factory):
    # The folder, not the file, is the link: each file's folder is resolved too.
    elsewhere = tmp_path_factory.mktemp("elsewhere_folder")
    (elsewhere / "pre.csv").write_text("Nama\n")
    os.symlink(elsewhere, project / "data/raw/linked_village")
    config = _config()
    config["cohorts"][0]["knowledge"]["pre"] = "data/raw/linked_village/pre.csv"
    assert "resolves outside it" in _message(config, project)
    # ".." after the link climbs from where the link points, as the system resolves it.
    config["cohorts"][0]["knowledge"]["pre"] = "data/raw/linked_village/../kampung_delima/x.csv"
    assert "resolves outside it" in _message(config, project)


def test_a_folder_the_config_allows_may_hold_raw_files(project, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared_drive")
    pre = BUNDLED["cohorts"][0]["knowledge"]["pre"]
    (shared / "pre.csv").write_bytes((ROOT / pre).read_bytes())
    config = _config()
    config["cohorts"][0]["knowledge"]["pre"] = str(shared / "pre.csv")
    assert "resolves outside it" in _message(config, project)
    config["allowed_folders"] = [str(shared)]
    preflight(config, SCHEMA, project, ["config/config.yaml"])


def test_a_study_both_reconstructed_and_synthetic_is_refused_in_one_line(project):
    config = _config()
    config["study"]["synthetic"] = True
    assert _message(config, project) == (
        "config/config.yaml, key study.synthetic: expected at most one of "
        "study.reconstructed and study.synthetic true, found both true"
    )


def test_only_a_configfile_naming_cohorts_is_a_study_of_its_own():
    from analisis.preflight import brings_own_study

    assert brings_own_study({"cohorts": BUNDLED["cohorts"]})
    assert brings_own_study({"analysis": {"alpha": 0.01}, "cohorts": BUNDLED["cohorts"]})
    assert not brings_own_study({}) and not brings_own_study({"analysis": {"alpha": 0.01}})


def test_a_topic_that_is_not_a_bilingual_mapping_says_what_it_may_be(project):
    config = _config()
    config["study"]["topic"] = "gizi"
    assert _message(config, project) == (
        "config/config.yaml, key study.topic: expected a mapping with the keys id, en or "
        "nothing (null), found str 'gizi'"
    )
