"""Paper versus recomputed: the ``published:`` block and the published-values check.

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
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from analisis.errors import ConfigError
from analisis.fmt import format_number
from analisis.review.grim import (
    ROUNDING_MODES,
    _step_text,
    grim,
    parse_printed,
    parse_step,
    possible_n,
    round_fraction,
)

#: quantity -> (kind, key of the recomputed value in the pipeline's dict)
QUANTITIES = {
    "n": ("count", "n_pairs"),
    "pre_mean": ("mean", "pre_mean"),
    "post_mean": ("mean", "post_mean"),
    "gain": ("difference", "gain"),
    "skill_mean": ("mean", "skill_mean"),
    "skill_n": ("count", "skill_n"),
}

#: Columns of :func:`published_check`, in order.
CHECK_COLUMNS = (
    "quantity",
    "printed",
    "decimals",
    "n",
    "step",
    "recomputed",
    "agrees",
    "grim_consistent",
    "grim_nearest_below",
    "grim_nearest_above",
    "note",
    "note_id",
)

_LABELS = {
    "en": {"pre_mean": "pre-test", "post_mean": "post-test", "skill_mean": "skill"},
    "id": {"pre_mean": "pretest", "post_mean": "posttest", "skill_mean": "keterampilan"},
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


# --------------------------------------------------------------------------- notes


def _num(value: Decimal | float | None, decimals: int, lang: str) -> str:
    return format_number(None if value is None else float(value), decimals, lang)


def _printed(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "id" else text


def _list(items: list[int], lang: str) -> str:
    words = [str(i) for i in items]
    joiner = " or " if lang == "en" else " atau "
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + joiner + words[-1]


def _grid_phrase(step: Fraction, items: int, lang: str) -> str:
    if step == 1 and items == 1:
        return "integer scores" if lang == "en" else "skor bilangan bulat"
    parts = []
    if step != 1:
        text = _step_text(step)
        parts.append(f"in steps of {text}" if lang == "en" else f"berkelipatan {text}")
    if items != 1:
        parts.append(
            f"averaged over {items} items" if lang == "en" else f"rerata dari {items} butir"
        )
    return ("scores " if lang == "en" else "skor ") + " ".join(parts)


def _impossible(value: PublishedValue, block: PublishedBlock, step: Fraction, items: int,
                lang: str) -> str | None:  # fmt: skip
    """Sentence tail for a GRIM-inconsistent mean (nearest means, possible n), else None."""
    bounds = {"score_min": block.score_min, "score_max": block.score_max}
    result = grim(value.printed, value.n, items=items, step=step, rounding=block.rounding,
                  **bounds)  # fmt: skip
    if result.consistent:
        return None
    ns = possible_n(value.printed, value.n, window=block.n_window, items=items, step=step,
                    rounding=block.rounding, **bounds)  # fmt: skip
    d = value.decimals
    below, above = _num(result.nearest_below, d, lang), _num(result.nearest_above, d, lang)
    label = _LABELS[lang].get(value.quantity, value.quantity)
    if lang == "en":
        text = f"the nearest possible means are {below} and {above}"
        if ns:
            return text + f"; the {label} n may have been {_list(ns, lang)}"
        return text + f"; no n within {value.n} ± {block.n_window} makes it possible"
    text = f"rerata terdekat yang mungkin adalah {below} dan {above}"
    if ns:
        return text + f"; n {label} mungkin {_list(ns, lang)}"
    return text + f"; tidak ada n dalam {value.n} ± {block.n_window} yang memungkinkannya"


def _mean_note(value: PublishedValue, block: PublishedBlock, lang: str) -> str:
    en = lang == "en"
    printed = _printed(value.printed, lang)
    n = value.n
    grid = _grid_phrase(value.step, value.items, lang)
    on_grid = _impossible(value, block, value.step, value.items, lang)
    granule = value.step / value.items
    # Integer scores are the weakest assumption; check them first whenever the grid
    # is a subset of the integers, so that an impossibility does not hinge on the grid.
    if granule != 1 and granule.denominator == 1:
        as_integers = _impossible(value, block, Fraction(1), 1, lang)
        if as_integers is not None:
            text = (
                f"{printed} is impossible for {n} integer scores; {as_integers}. "
                f"On the score grid ({n} {grid}) it is impossible too: {on_grid}"
                if en
                else f"{printed} tidak mungkin untuk {n} skor bilangan bulat; {as_integers}. "
                f"Pada kisi skor ({n} {grid}) juga tidak mungkin: {on_grid}"
            )
        elif on_grid is not None:
            text = (
                f"{printed} is possible for {n} integer scores but impossible for {n} {grid}; "
                f"{on_grid}"
                if en
                else f"{printed} mungkin untuk {n} skor bilangan bulat tetapi tidak mungkin "
                f"untuk {n} {grid}; {on_grid}"
            )
        else:
            text = (
                f"{printed} is possible for {n} {grid} (GRIM)"
                if en
                else f"{printed} mungkin untuk {n} {grid} (GRIM)"
            )
    elif on_grid is not None:
        text = (
            f"{printed} is impossible for {n} {grid}; {on_grid}"
            if en
            else f"{printed} tidak mungkin untuk {n} {grid}; {on_grid}"
        )
    else:
        text = (
            f"{printed} is possible for {n} {grid} (GRIM)"
            if en
            else (f"{printed} mungkin untuk {n} {grid} (GRIM)")
        )
    if not value.step_given:
        text += (
            "; the score grid is not given in the config, so integer scores are assumed"
            if en
            else "; kisi skor tidak diberikan di konfigurasi, sehingga diasumsikan skor "
            "bilangan bulat"
        )
    return text + "."


def _gain_note(value: PublishedValue, block: PublishedBlock, lang: str) -> str:
    pre, post = block.value("pre_mean"), block.value("post_mean")
    first = (
        "A gain is a difference of two means, so GRIM does not apply to it directly"
        if lang == "en"
        else "Peningkatan adalah selisih dua rerata, sehingga GRIM tidak berlaku langsung"
    )
    if pre is None or post is None:
        rest = (
            "the printed means needed to check it are not listed"
            if lang == "en"
            else "rerata tercetak yang diperlukan untuk memeriksanya tidak dicantumkan"
        )
        return f"{first}; {rest}."
    half = {v.quantity: Fraction(1, 2 * 10**v.decimals) for v in (pre, post, value)}
    pre_value, post_value = (
        Fraction(parse_printed(pre.printed)),
        Fraction(parse_printed(post.printed)),
    )
    low = post_value - half["post_mean"] - (pre_value + half["pre_mean"])
    high = post_value + half["post_mean"] - (pre_value - half["pre_mean"])
    gain = Fraction(parse_printed(value.printed))
    fits = gain + half["gain"] >= low and gain - half["gain"] <= high
    d = max(pre.decimals, post.decimals)
    dd = d + 1
    difference = round_fraction(post_value - pre_value, d)
    args = (
        _printed(post.printed, lang),
        _printed(pre.printed, lang),
        _num(difference, d, lang),
        _num(float(low), dd, lang),
        _num(float(high), dd, lang),
        _printed(value.printed, lang),
    )
    if lang == "en":
        verdict = "fits" if fits else "does not fit"
        return (
            f"{first}. The printed means give {args[0]} − {args[1]} = {args[2]}; allowing "
            f"for their rounding the gain lies between {args[3]} and {args[4]}, and the "
            f"printed {args[5]} {verdict}."
        )
    verdict = "sesuai" if fits else "tidak sesuai"
    return (
        f"{first}. Rerata tercetak memberi {args[0]} − {args[1]} = {args[2]}; dengan "
        f"memperhitungkan pembulatannya, peningkatan berada antara {args[3]} dan {args[4]}, "
        f"dan angka tercetak {args[5]} {verdict}."
    )


def _agreement_note(value: PublishedValue, recomputed: float | None, agrees: bool | None,
                    lang: str) -> str:  # fmt: skip
    if recomputed is None:
        return ""
    d = value.decimals
    shown = _num(recomputed, d, lang)
    printed = _printed(value.printed, lang)
    if lang == "en":
        return (
            f" The recomputed value {shown} agrees with the printed {printed}."
            if agrees
            else f" The recomputed value {shown} does not agree with the printed {printed}."
        )
    return (
        f" Nilai hitung ulang {shown} sesuai dengan angka tercetak {printed}."
        if agrees
        else f" Nilai hitung ulang {shown} tidak sesuai dengan angka tercetak {printed}."
    )


def _count_note(value: PublishedValue, lang: str) -> str:
    return (
        f"Stated sample size {value.printed}; GRIM does not apply to a count."
        if lang == "en"
        else f"Ukuran sampel yang dinyatakan {value.printed}; GRIM tidak berlaku untuk cacahan."
    )


def _agrees(value: PublishedValue, recomputed: float | None, rounding: str) -> bool | None:
    if recomputed is None:
        return None
    printed = parse_printed(value.printed)
    if value.kind == "count":
        return float(recomputed) == float(printed)
    return round_fraction(Fraction(repr(float(recomputed))), value.decimals, rounding) == printed


def _recomputed(recomputed: dict | None, quantity: str) -> float | None:
    raw = (recomputed or {}).get(QUANTITIES[quantity][1])
    if raw is None:
        return None
    number = float(raw)
    return None if math.isnan(number) else number


def published_check(
    published: PublishedBlock | dict, recomputed: dict | None = None
) -> pd.DataFrame:
    """Compare each printed number with its recomputed value and GRIM-test the means.

    Parameters
    ----------
    published : PublishedBlock or dict
        The ``published:`` block (validated with :func:`parse_published` if a dict).
    recomputed : dict, optional
        Values from the pipeline, keyed ``n_pairs, pre_mean, post_mean, gain,
        skill_mean, skill_n`` (``gain`` = post_mean - pre_mean).  Missing keys (or no
        dict, as for a reviewer without data) leave ``recomputed`` and ``agrees`` empty.

    Returns
    -------
    pandas.DataFrame
        One row per printed value with the columns of :data:`CHECK_COLUMNS`:
        ``agrees`` is True when the recomputed value, rounded (``published.rounding``)
        to the printed decimals, equals the printed number; ``grim_*`` hold the GRIM
        verdict and the nearest possible means at the printed precision (empty for a
        count and for a gain, to which GRIM does not apply directly); ``note`` and
        ``note_id`` say it in plain English and Indonesian.

    References
    ----------
    Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test. *Social Psychological
    and Personality Science*, 8(4), 363-369.

    Examples
    --------
    >>> block = {"n": 23, "score_step": 4,
    ...          "values": [{"quantity": "post_mean", "printed": "99.50"}]}
    >>> row = published_check(block, {"post_mean": 2288 / 23}).iloc[0]
    >>> row["agrees"], row["grim_consistent"], float(row["grim_nearest_below"])
    (False, False, 99.48)
    >>> row["note"].split(";")[0]
    '99.50 is impossible for 23 integer scores'
    """
    block = as_block(published)
    rows = []
    for value in block.printed_values:
        number = _recomputed(recomputed, value.quantity)
        agrees = _agrees(value, number, block.rounding)
        consistent, below, above = None, math.nan, math.nan
        if value.kind == "mean":
            result = grim(value.printed, value.n, items=value.items, step=value.step,
                          rounding=block.rounding, score_min=block.score_min,
                          score_max=block.score_max)  # fmt: skip
            consistent = result.consistent
            below = math.nan if result.nearest_below is None else float(result.nearest_below)
            above = math.nan if result.nearest_above is None else float(result.nearest_above)
        notes = {}
        for lang in ("en", "id"):
            if value.kind == "mean":
                text = _mean_note(value, block, lang)
            elif value.kind == "difference":
                text = _gain_note(value, block, lang)
            else:
                text = _count_note(value, lang)
            notes[lang] = text + _agreement_note(value, number, agrees, lang)
        rows.append(
            {
                "quantity": value.quantity,
                "printed": value.printed,
                "decimals": value.decimals,
                "n": value.n,
                "step": _step_text(value.step),
                "recomputed": math.nan if number is None else number,
                "agrees": agrees,
                "grim_consistent": consistent,
                "grim_nearest_below": below,
                "grim_nearest_above": above,
                "note": notes["en"],
                "note_id": notes["id"],
            }
        )
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    for column in ("agrees", "grim_consistent"):
        frame[column] = frame[column].astype(object)
    return frame


def published_check_json(frame: pd.DataFrame, published: PublishedBlock | dict) -> dict:
    """JSON document of the check: ``{"source", "rounding", "rows": [...]}``.

    Examples
    --------
    >>> block = {"n": 4, "values": [{"quantity": "n", "printed": "4"}]}
    >>> sorted(published_check_json(published_check(block), block))
    ['rounding', 'rows', 'source']
    """
    block = as_block(published)
    records = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return {"source": block.source, "rounding": block.rounding, "rows": records}
