"""Study-wide facts about villages, computed once when the workflow is parsed.

The clean and score rules run per *shard*: a group of villages (cohorts) small enough
for one job, many enough that thousands of villages do not mean thousands of process
start-ups. Shards are sized by villages (:func:`shard_count`): their number is the
smallest power of two that keeps them at ``scale.villages_per_shard`` villages or fewer
on average, so the work of a job stays the same at any scale. A cohort's shard depends on
its id and that number alone (:func:`shard_of`), so editing or adding a village changes
one shard's jobs and nothing else, until the programme doubles and every shard splits in
two. A village's pseudonym prefix (:func:`village_codes`) is decided over the whole study,
never per shard.

Importing this module must stay cheap: the Snakefile imports it (no pandas).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analisis.errors import ConfigError

#: Letters and digits of a cohort id that make its default village code.
CODE_LENGTH = 3
#: Config keys that decide how the workflow runs, not what it computes.
EXECUTION_KEYS = ("scale",)


def shard_of(cohort_id: str, n_shards: int) -> str:
    """The shard of ``cohort_id`` among ``n_shards``: ``s`` and a zero-padded number.

    CRC-32 of the id's UTF-8 bytes modulo ``n_shards``: the same on every machine and
    Python version, and independent of every other cohort.

    Examples
    --------
    >>> shard_of("kampung_delima", 16), shard_of("kampung_delima", 1)
    ('s10', 's0')
    """
    if n_shards < 1:
        raise ConfigError(f"scale: shards must be at least 1, found {n_shards}")
    width = len(str(n_shards - 1))
    return f"s{zlib.crc32(cohort_id.encode('utf-8')) % n_shards:0{width}d}"


def shard_count(n_villages: int, villages_per_shard: int) -> int:
    """How many shards ``n_villages`` villages get: the smallest power of two ``2**b`` with
    ``n_villages / 2**b <= villages_per_shard`` (at least 1).

    A power of two, because CRC-32 modulo ``2**(b + 1)`` refines CRC-32 modulo ``2**b``:
    when a growing programme crosses a doubling, each shard splits in two, and until then
    an added village joins one shard and leaves the others as they are.

    Examples
    --------
    >>> [shard_count(n, 100) for n in (1, 100, 101, 1000, 3000, 10000)]
    [1, 1, 2, 16, 32, 128]
    """
    if villages_per_shard < 1:
        raise ConfigError(
            f"scale: villages_per_shard must be at least 1, found {villages_per_shard}"
        )
    n_shards = 1
    while n_villages > n_shards * villages_per_shard:
        n_shards *= 2
    return n_shards


def shard_plan(cohort_ids: Iterable[str], villages_per_shard: int) -> dict[str, list[str]]:
    """``{shard: [cohort ids in the given order]}``, only non-empty shards, sorted by name,
    over :func:`shard_count` shards.

    Examples
    --------
    >>> shard_plan(["a", "b", "c", "d"], 1)
    {'s0': ['d'], 's1': ['b'], 's3': ['a', 'c']}
    >>> shard_plan(["a"], 100)
    {'s0': ['a']}
    """
    cohort_ids = [str(c) for c in cohort_ids]
    n_shards = shard_count(len(cohort_ids), villages_per_shard)
    plan: dict[str, list[str]] = {}
    for cohort_id in cohort_ids:
        plan.setdefault(shard_of(str(cohort_id), n_shards), []).append(str(cohort_id))
    return dict(sorted(plan.items()))


def village_codes(cohorts: Sequence[Mapping[str, object]]) -> dict[str, str]:
    """``{cohort id: village code}``: the prefix of its pseudonyms in a study of villages.

    A cohort's ``code`` (config) is used as given; without one, the code is the first
    :data:`CODE_LENGTH` letters and digits of the id, upper-cased, with 2, 3, … appended
    when an earlier cohort (config order) or a given code already has it. Given codes
    must be unique.

    Raises
    ------
    ConfigError
        Two cohorts are given the same ``code``.

    Examples
    --------
    >>> village_codes([{"id": "kampung_delima"}, {"id": "kampung_baru"},
    ...                {"id": "sukamaju", "code": "SKM"}])
    {'kampung_delima': 'KAM', 'kampung_baru': 'KAM2', 'sukamaju': 'SKM'}
    """
    given = [str(c["code"]) for c in cohorts if c.get("code")]
    repeated = sorted({code for code in given if given.count(code) > 1})
    if repeated:
        raise ConfigError(f"cohorts: code must be unique, found {repeated[0]!r} twice")
    taken, codes = set(given), {}
    for cohort in cohorts:
        if cohort.get("code"):
            codes[str(cohort["id"])] = str(cohort["code"])
            continue
        stem = "".join(ch for ch in str(cohort["id"]) if ch.isalnum())[:CODE_LENGTH].upper()
        code, number = stem, 1
        while code in taken:
            number += 1
            code = f"{stem}{number}"
        taken.add(code)
        codes[str(cohort["id"])] = code
    return codes


def study_codes(cohorts: Sequence[Mapping[str, object]]) -> dict[str, str]:
    """Pseudonym codes of the study: :func:`village_codes` with two or more villages, else none.

    One village keeps ``K01``/``A01``; with several, pseudonyms carry the village code.

    Examples
    --------
    >>> study_codes([{"id": "a"}]), study_codes([{"id": "a"}, {"id": "b"}])
    ({}, {'a': 'A', 'b': 'B'})
    """
    return village_codes(cohorts) if len(cohorts) >= 2 else {}


def study_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config without :data:`EXECUTION_KEYS`: what the report prints and results follow.

    Examples
    --------
    >>> study_config({"cohorts": [], "scale": {"villages_per_shard": 4}})
    {'cohorts': []}
    """
    return {key: value for key, value in config.items() if key not in EXECUTION_KEYS}


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of :func:`study_config` as canonical JSON: a small param that still changes
    whenever the printed config would.

    Examples
    --------
    >>> config_digest({"a": 1}) == config_digest({"a": 1, "scale": {"villages_per_shard": 2}})
    True
    """
    text = json.dumps(study_config(config), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
