"""Defaults of the study configuration, read from the config schema (their only copy).

``workflow/schemas/config.schema.yaml`` validates a study's config and fills the keys it
leaves out. Functions called outside the workflow (tests, the command line, a notebook)
take their defaults from the same file, through :data:`DEFAULTS`, so a default changed
in the schema changes everywhere at once.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analisis.errors import InputError

#: The schema, in the checkout that holds this package (``src/analisis/`` → the root).
SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def _read_only(value: Any) -> Any:
    if isinstance(value, Mapping):
        return types.MappingProxyType({key: _read_only(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_read_only(item) for item in value)
    return value


@cache
def schema_defaults(schema: Path = SCHEMA) -> Mapping[str, Mapping[str, Any]]:
    """``{section: {key: default}}`` of every config section whose keys have defaults.

    Read-only (nested mappings are proxies, lists are tuples).

    Examples
    --------
    >>> schema_defaults()["analysis"]["alpha"]
    0.05
    >>> dict(schema_defaults()["scoring"]["n_gain_categories"])
    {'tinggi': 0.7, 'sedang': 0.3, 'rendah': -1000000000.0}
    """
    if not schema.is_file():
        raise InputError(str(schema), "the config schema (run from a checkout of analisis)")
    document = yaml.safe_load(schema.read_text(encoding="utf-8"))
    sections = {}
    for section, spec in document["properties"].items():
        properties = spec.get("properties", {})
        found = {key: prop["default"] for key, prop in properties.items() if "default" in prop}
        if found:
            sections[section] = found
    return _read_only(sections)


def n_gain_cutoffs(categories: Mapping[str, float]) -> tuple[float, float]:
    """The (low, high) cut-offs of Hake's three categories from their lower bounds.

    Examples
    --------
    >>> n_gain_cutoffs({"tinggi": 0.7, "sedang": 0.3, "rendah": -1e9})
    (0.3, 0.7)
    """
    bounds = sorted(float(bound) for bound in categories.values())
    if len(bounds) != 3:
        raise ValueError(f"Hake's N-gain has three categories, got {dict(categories)}")
    return bounds[1], bounds[2]


#: Every section's defaults, as the schema states them.
DEFAULTS = schema_defaults()
#: (low, high) of the default N-gain categories.
N_GAIN_CUTOFFS = n_gain_cutoffs(DEFAULTS["scoring"]["n_gain_categories"])
