"""The three places that pin versions agree: requirements.lock, environment.yml, workflow env."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def _conda_pip_pins(path: Path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text())
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return {n.lower(): v for n, v in (p.split("==") for p in pip_block)}


def test_lock_pins_every_package_exactly():
    pins = _lock_pins()
    assert {"pandas", "scipy", "statsmodels", "pingouin", "seaborn", "snakemake", "pytest"} <= set(
        pins
    )
    assert all(v and v[0].isdigit() for v in pins.values())


def test_environment_yml_pins_the_locked_versions():
    lock = _lock_pins()
    conda = _conda_pip_pins(ROOT / "environment.yml")
    assert conda, "environment.yml pins nothing"
    assert {name: lock.get(name) for name in conda} == conda


def test_workflow_env_mirrors_environment_yml():
    assert _conda_pip_pins(ROOT / "workflow/envs/analisis.yaml") == _conda_pip_pins(
        ROOT / "environment.yml"
    )


def test_python_requirement_matches():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
