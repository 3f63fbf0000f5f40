"""Config schema: bundled config valid, defaults agree with the package, errors name keys."""

from pathlib import Path

import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from analisis.clean import DEFAULT_CLEANING
from analisis.scoring import DEFAULT_SCORING

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


def test_schema_defaults_are_the_package_defaults():
    config = {"cohorts": _bundled()["cohorts"]}
    validate(config, SCHEMA)
    assert config["cleaning"] == DEFAULT_CLEANING
    assert {k: {n: float(b) for n, b in v.items()} for k, v in config["scoring"].items()} == {
        k: dict(v) for k, v in DEFAULT_SCORING.items()
    }


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
