"""The ``published:`` block: what a paper printed, parsed and validated.

The ``published:`` block of a config (or of a reviewer's YAML file) lists what a paper
printed, each number as a *string* so that its decimals count::

    published:
      source: "Kurniyati et al. (2026) ..."
      n: 23                  # stated sample size; default n of every value
      score_min: 0           # bounds of one score
      score_max: 100
      score_step: 4          # grid of the knowledge test (25 items x 4 points);
                             # default step of pre_mean and post_mean
      items: 1               # scores are averages of this many items (default 1)
      rounding: half_up      # tie rule of the printed numbers (half_up, half_even, half_down)
      n_window: 5            # look for possible n within n +/- n_window
      values:
        - {quantity: n,          printed: "23"}
        - {quantity: pre_mean,   printed: "76"}
        - {quantity: post_mean,  printed: "99.50"}
        - {quantity: gain,       printed: "23.5"}
        - {quantity: skill_mean, printed: "87.26", step: 1}
      robustness:            # optional; settings of the SPRITE-style search
        alpha: 0.05
        n_samples: 2000
        seed: 20240906
        time_limit_s: 8
        random_pairings: 3
        pre_sd: [5, 30]      # optional range of the unreported SDs (score points)
        post_sd: [0, 5]

Each value may override ``n``, ``step`` and ``items``.  ``quantity`` is one of
:data:`QUANTITIES`; the recomputed value of each comes from the pipeline under the key
given there.  ``skill_mean`` does not inherit ``score_step``: the checklist's grid is
not the knowledge test's; without a ``step`` it is checked for integer scores and the
note says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from analisis.errors import ConfigError
from analisis.review.grim import ROUNDING_MODES, parse_printed, parse_step

#: quantity -> (kind, key of the recomputed value in the pipeline's dict)
QUANTITIES = {
    "n": ("count", "n_pairs"),
    "pre_mean": ("mean", "pre_mean"),
    "post_mean": ("mean", "post_mean"),
    "gain": ("difference", "gain"),
    "skill_mean": ("mean", "skill_mean"),
    "skill_n": ("count", "skill_n"),
}


@dataclass(frozen=True)
class PublishedValue:
    """One printed number of the paper (see the module docstring)."""

    quantity: str
    printed: str
    n: int
    step: Fraction
    items: int
    step_given: bool

    @property
    def kind(self) -> str:
        """``"mean"``, ``"difference"`` or ``"count"``."""
        return QUANTITIES[self.quantity][0]

    @property
    def decimals(self) -> int:
        """Decimals as printed."""
        return max(0, -parse_printed(self.printed).as_tuple().exponent)


@dataclass(frozen=True)
class RobustnessSettings:
    """Settings of the SPRITE-style search (``published.robustness``)."""

    alpha: float = 0.05
    n_samples: int = 2000
    seed: int = 20240906
    time_limit_s: float = 8.0
    random_pairings: int = 3
    pre_sd: tuple[float, float] | None = None
    post_sd: tuple[float, float] | None = None

    def with_overrides(self, **overrides: Any) -> RobustnessSettings:
        """These settings with every override that is not None put in.

        Examples
        --------
        >>> RobustnessSettings().with_overrides(seed=1, alpha=None).seed
        1
        """
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def sd_given(self) -> bool:
        """True when a range of either SD narrows the search."""
        return self.pre_sd is not None or self.post_sd is not None


@dataclass(frozen=True)
class PublishedBlock:
    """The validated ``published:`` block."""

    source: str
    n: int
    score_min: float
    score_max: float
    score_step: Fraction
    items: int
    rounding: str
    n_window: int
    printed_values: tuple[PublishedValue, ...]
    robustness: RobustnessSettings

    def value(self, quantity: str) -> PublishedValue | None:
        """The first value with this quantity, or None."""
        return next((v for v in self.printed_values if v.quantity == quantity), None)


def _fail(file: str, key: str, expected: str, found: Any = None) -> ConfigError:
    message = f"{file}: key '{key}': expected {expected}"
    if found is not None:
        message += f", found {type(found).__name__} {found!r}"
    return ConfigError(message)


def _int(raw: dict, name: str, key: str, file: str, default: int | None, low: int) -> int:
    value = raw.get(name, default)
    if value is None:
        raise _fail(file, key, "an integer (required)")
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _fail(file, key, f"an integer >= {low}", value)
    return value


def _number(raw: dict, name: str, key: str, file: str, default: float) -> float:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(file, key, "a number", value)
    return float(value)


def _step(raw: dict, name: str, key: str, file: str, default: Fraction) -> Fraction:
    if name not in raw:
        return default
    try:
        return parse_step(raw[name])
    except ValueError:
        raise _fail(
            file, key, 'a positive number or fraction such as 4 or "100/36"', raw[name]
        ) from None


def _range(raw: dict, name: str, key: str, file: str) -> tuple[float, float] | None:
    value = raw.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] <= value[1]
    ):
        raise _fail(file, key, "a range [low, high] with 0 <= low <= high", value)
    return float(value[0]), float(value[1])


def parse_published(block: Any, *, file: str = "config") -> PublishedBlock:
    """Validate a ``published:`` block; every error names the offending key.

    Parameters
    ----------
    block : dict
        The mapping under ``published:`` (as loaded from YAML).
    file : str
        Name of the file, for messages.

    Raises
    ------
    analisis.errors.ConfigError
        Naming the key, e.g. ``published.values[2].printed`` when a number was given
        where the printed string is needed.

    Examples
    --------
    >>> b = parse_published({"n": 23, "score_step": 4,
    ...                      "values": [{"quantity": "post_mean", "printed": "99.50"}]})
    >>> b.printed_values[0].n, b.printed_values[0].step, b.printed_values[0].decimals
    (23, Fraction(4, 1), 2)
    >>> parse_published({"n": 23, "values": [{"quantity": "post_mean", "printed": 99.5}]})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analisis.errors.ConfigError: config: key 'published.values[0].printed': ... found float 99.5
    """
    if not isinstance(block, dict):
        raise _fail(file, "published", "a mapping with keys n and values", block)
    known = {
        "source", "n", "score_min", "score_max", "score_step", "items", "rounding",
        "n_window", "values", "robustness",
    }  # fmt: skip
    unknown = sorted(set(block) - known)
    if unknown:
        raise _fail(file, f"published.{unknown[0]}", f"one of {sorted(known)}")
    n = _int(block, "n", "published.n", file, None, 1)
    score_min = _number(block, "score_min", "published.score_min", file, 0.0)
    score_max = _number(block, "score_max", "published.score_max", file, 100.0)
    if score_max <= score_min:
        raise _fail(file, "published.score_max", "a number above score_min", block["score_max"])
    score_step = _step(block, "score_step", "published.score_step", file, Fraction(1))
    items = _int(block, "items", "published.items", file, 1, 1)
    rounding = block.get("rounding", "half_up")
    if rounding not in ROUNDING_MODES:
        raise _fail(file, "published.rounding", f"one of {list(ROUNDING_MODES)}", rounding)
    n_window = _int(block, "n_window", "published.n_window", file, 5, 0)
    source = block.get("source", "")
    if not isinstance(source, str):
        raise _fail(file, "published.source", "a string", source)
    raw_values = block.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        raise _fail(file, "published.values", "a non-empty list of {quantity, printed}", raw_values)
    printed_values = tuple(
        _parse_value(raw, f"published.values[{i}]", file, n, score_step, items)
        for i, raw in enumerate(raw_values)
    )
    return PublishedBlock(
        source=source,
        n=n,
        score_min=score_min,
        score_max=score_max,
        score_step=score_step,
        items=items,
        rounding=rounding,
        n_window=n_window,
        printed_values=printed_values,
        robustness=_parse_robustness(block.get("robustness", {}), file),
    )


def _parse_value(
    raw: Any, key: str, file: str, n: int, score_step: Fraction, items: int
) -> PublishedValue:
    if not isinstance(raw, dict):
        raise _fail(file, key, "a mapping {quantity, printed}", raw)
    unknown = sorted(set(raw) - {"quantity", "printed", "n", "step", "items"})
    if unknown:
        raise _fail(file, f"{key}.{unknown[0]}", "one of quantity, printed, n, step, items")
    quantity = raw.get("quantity")
    if quantity not in QUANTITIES:
        raise _fail(file, f"{key}.quantity", f"one of {list(QUANTITIES)}", quantity)
    if "printed" not in raw:
        raise _fail(file, f"{key}.printed", "the number as printed (required)")
    printed = raw["printed"]
    if not isinstance(printed, str):
        raise _fail(
            file,
            f"{key}.printed",
            'the number as printed, as a quoted string such as "99.50" '
            "(so that its decimals count)",
            printed,
        )
    try:
        value = parse_printed(printed, key=f"{key}.printed")
    except ValueError:
        raise _fail(file, f"{key}.printed", "a plain decimal number", printed) from None
    kind = QUANTITIES[quantity][0]
    if kind == "count" and value.as_tuple().exponent < 0:
        raise _fail(file, f"{key}.printed", "a whole number", printed)
    default_step = score_step if quantity in ("pre_mean", "post_mean", "gain") else Fraction(1)
    return PublishedValue(
        quantity=quantity,
        printed=printed.strip().replace(",", "."),
        n=_int(raw, "n", f"{key}.n", file, n, 1),
        step=_step(raw, "step", f"{key}.step", file, default_step),
        items=_int(raw, "items", f"{key}.items", file, items, 1),
        step_given="step" in raw or quantity in ("pre_mean", "post_mean", "gain"),
    )


def _parse_robustness(raw: Any, file: str) -> RobustnessSettings:
    key = "published.robustness"
    if not isinstance(raw, dict):
        raise _fail(file, key, "a mapping", raw)
    known = {"alpha", "n_samples", "seed", "time_limit_s", "random_pairings", "pre_sd", "post_sd"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(file, f"{key}.{unknown[0]}", f"one of {sorted(known)}")
    defaults = RobustnessSettings()
    alpha = _number(raw, "alpha", f"{key}.alpha", file, defaults.alpha)
    if not 0 < alpha < 1:
        raise _fail(file, f"{key}.alpha", "a number between 0 and 1", alpha)
    time_limit = _number(raw, "time_limit_s", f"{key}.time_limit_s", file, defaults.time_limit_s)
    if time_limit <= 0:
        raise _fail(file, f"{key}.time_limit_s", "a positive number of seconds", time_limit)
    return RobustnessSettings(
        alpha=alpha,
        n_samples=_int(raw, "n_samples", f"{key}.n_samples", file, defaults.n_samples, 1),
        seed=_int(raw, "seed", f"{key}.seed", file, defaults.seed, 0),
        time_limit_s=time_limit,
        random_pairings=_int(
            raw, "random_pairings", f"{key}.random_pairings", file, defaults.random_pairings, 0
        ),
        pre_sd=_range(raw, "pre_sd", f"{key}.pre_sd", file),
        post_sd=_range(raw, "post_sd", f"{key}.post_sd", file),
    )


def as_block(published: PublishedBlock | dict, *, file: str = "config") -> PublishedBlock:
    """Accept either a validated block or the raw mapping.

    Examples
    --------
    >>> as_block({"n": 5, "values": [{"quantity": "n", "printed": "5"}]}).n
    5
    """
    return (
        published
        if isinstance(published, PublishedBlock)
        else parse_published(published, file=file)
    )
