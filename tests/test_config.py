"""Config schema: bundled config valid, the package's defaults read from it, errors name keys."""

import inspect
from pathlib import Path

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from analisis import config as analisis_config
from analisis.clean import DEFAULT_CLEANING
from analisis.scoring import DEFAULT_SCORING
from analisis.stats import items, ngain, summary
from analisis.stats import results as stats_results

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def _bundled():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_bundled_config_is_valid_and_defaults_are_filled():
    config = _bundled()
    validate(config, SCHEMA)
    assert config["analysis"]["alpha"] == 0.05
    assert config["cleaning"]["duplicate_rule"] == "latest_complete"
    assert config["cohorts"][0]["knowledge"]["encoding"] == "auto"


def test_the_package_reads_its_defaults_from_the_schema():
    config = {"cohorts": _bundled()["cohorts"]}
    validate(config, SCHEMA)  # fills the schema's defaults, as the workflow does
    defaults = analisis_config.schema_defaults(Path(SCHEMA))
    for section in ("cleaning", "scoring", "analysis", "study"):
        assert config[section] == _plain(defaults[section])
    assert analisis_config.SCHEMA.resolve() == Path(SCHEMA).resolve()
    assert DEFAULT_SCORING == config["scoring"]
    # Hake's cut-offs: tinggi from g = 0.7, sedang from g = 0.3 (the schema's bounds).
    assert analisis_config.N_GAIN_CUTOFFS == (0.3, 0.7)
    knowledge = inspect.signature(stats_results.knowledge_results).parameters
    for key in ("alpha", "normality_alpha", "primary_test", "bootstrap_resamples", "seed"):
        assert knowledge[key].default == config["analysis"][key], key
    assert _plain(knowledge["n_gain_categories"].default) == config["scoring"]["n_gain_categories"]
    details = inspect.signature(summary.paired_details).parameters
    assert details["n_gain_cutoffs"].default == (0.3, 0.7)
    assert inspect.signature(ngain.n_gain_category).parameters["cutoffs"].default == (0.3, 0.7)
    alpha = inspect.signature(items.item_analysis).parameters["alpha"].default
    assert alpha == config["analysis"]["alpha"]
    assert _plain(DEFAULT_CLEANING) == config["cleaning"]


def _plain(value):
    """Read-only defaults as plain dicts and lists, to compare with a validated config."""
    if hasattr(value, "items"):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def test_every_schema_property_is_described():
    schema = yaml.safe_load(Path(SCHEMA).read_text())
    undescribed = []

    def walk(node, path):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                undescribed.append(f"{path}.{name}")
            walk(sub, f"{path}.{name}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[]")

    walk(schema, "config")
    assert undescribed == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c["cleaning"].update(duplicate_rule="newest"), "newest"),
        (lambda c: c.update(analisis={"alpha": 0.05}), "analisis"),
        (lambda c: c["cohorts"][0]["knowledge"].pop("pre"), "pre"),
    ],
)
def test_invalid_config_names_the_key(change, words):
    config = _bundled()
    config.setdefault("cleaning", {})
    change(config)
    with pytest.raises(WorkflowError, match=words):
        validate(config, SCHEMA)


def test_bundled_study_pre_specifies_its_primary_test():
    # The bundled study states its primary test (the paper's paired t-test) before the data;
    # the schema's default, for a study that says nothing, is the data-driven "auto".
    bundled = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    assert bundled["analysis"]["primary_test"] == "t_test"
    assert analisis_config.DEFAULTS["analysis"]["primary_test"] == "auto"
