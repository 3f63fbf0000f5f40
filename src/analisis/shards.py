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
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analisis.atomic import atomic_path
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


def cohorts_by_shard(
    cohorts: Sequence[Mapping[str, Any]], plan: Mapping[str, Sequence[str]]
) -> dict[str, list[Mapping[str, Any]]]:
    """``{shard: [its cohorts' config entries, in config order]}`` of a :func:`shard_plan`.

    Examples
    --------
    >>> cohorts = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    >>> {s: [c["id"] for c in cs] for s, cs in cohorts_by_shard(cohorts, {"s0": ["a", "c"],
    ...                                                                  "s1": ["b"]}).items()}
    {'s0': ['a', 'c'], 's1': ['b']}
    """
    shard_of_id = {cohort_id: shard for shard, ids in plan.items() for cohort_id in ids}
    grouped: dict[str, list[Mapping[str, Any]]] = {shard: [] for shard in plan}
    for cohort in cohorts:
        grouped[shard_of_id[str(cohort["id"])]].append(cohort)
    return grouped


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
    repeated = sorted(code for code, n in Counter(given).items() if n > 1)
    if repeated:
        raise ConfigError(f"cohorts: code must be unique, found {repeated[0]!r} twice")
    taken, codes, last = set(given), {}, {}
    for cohort in cohorts:
        if cohort.get("code"):
            codes[str(cohort["id"])] = str(cohort["code"])
            continue
        stem = "".join(ch for ch in str(cohort["id"]) if ch.isalnum())[:CODE_LENGTH].upper()
        # Every number below a stem's last is taken for good: start from there, not from
        # 1 (ten thousand "desa_…" villages would otherwise try 50 million codes).
        number = last.get(stem, 1)
        code = stem if number == 1 else f"{stem}{number}"
        while code in taken:
            number += 1
            code = f"{stem}{number}"
        last[stem] = number
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


def raw_record(files: Iterable[str]) -> str:
    """``file,size,mtime_ns`` of each file (sorted, once each), as CSV text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("x")
    >>> raw_record([str(f)]).splitlines()[1].split(",")[1]
    '1'
    """
    lines = ["file,size,mtime_ns"]
    for file in sorted(set(files)):
        stat = os.stat(file)
        lines.append(f"{file},{stat.st_size},{stat.st_mtime_ns}")
    return "\n".join(lines) + "\n"


def write_raw_records(files_by_record: Mapping[str, Iterable[str]]) -> None:
    """Write each shard's :func:`raw_record` to its path, only where it changed.

    The shard's job takes this one record as input instead of its hundreds of raw files:
    Snakemake looks at every input of every job ready to run each time it picks jobs, so
    raw files as inputs cost (shards × files per shard) per pick, quadratic in the
    villages (at 10,000 villages most of a core for the whole run). A raw file edited,
    added or removed changes its shard's record, which is then newer than the shard's
    outputs; an unchanged record keeps its time, so nothing else reruns.

    Examples
    --------
    >>> import tempfile, pathlib, time
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "a.csv").write_text("x")
    >>> record = root / "s0" / "raw_files.csv"
    >>> write_raw_records({str(record): [str(root / "a.csv")]})
    >>> before = record.stat().st_mtime_ns
    >>> write_raw_records({str(record): [str(root / "a.csv")]})
    >>> record.stat().st_mtime_ns == before
    True
    """
    for path, files in files_by_record.items():
        text, target = raw_record(files), Path(path)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        with atomic_path(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
