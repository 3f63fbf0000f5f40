"""What a reader needs to re-run the analysis: input hashes, package versions, commit, config.

Every value is a property of the inputs and the environment, never of the clock, so the
report stays byte-identical on rerun.

The commit comes from one of two places. In a git checkout, git names the last commit
that changed the code, config or raw data (:func:`git_state`). In a ``git archive`` (what
GitHub and Zenodo serve), git has filled in :data:`ARCHIVAL` with the archived commit
(``export-subst`` in ``.gitattributes``); but the reference is committed *after* the code
it was made from, in a commit that changes only ``reference/``, so the archived commit
is not the one the reference's footer names. ``make reference`` therefore records the
code it ran, :data:`CODE_COMMIT` and the SHA-256 of each of its files
(:data:`CODE_RECORD`); an archive whose code files all match that record names the
recorded commit, as a clone does (:func:`source_state`).
"""

from __future__ import annotations

import collections
import os
import platform
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from analisis.errors import InputError
from analisis.provenance import sha256_file

#: Distributions whose versions the report names (methods paragraph and footer).
PACKAGES = (
    "analisis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pingouin",
    "matplotlib",
    "seaborn",
    "jinja2",
    "openpyxl",
    "pyreadstat",
    "rapidfuzz",
    "snakemake",
)


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution (None when not installed), plus ``python``.

    Examples
    --------
    >>> versions = package_versions(["numpy", "no-such-package-xyz"])
    >>> versions["no-such-package-xyz"] is None, versions["numpy"].count(".") >= 1
    (True, True)
    """
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


#: What decides a run's outputs: a commit that changes none of these cannot change one.
CODE_PATHS = (
    "Snakefile",
    "profiles",
    "workflow",
    "src",
    "config",
    "data/raw",
    "requirements.lock",
    "CITATION.cff",
)


#: Filled in by ``git archive`` (``export-subst``): ``commit: <40 hex>`` in an archive,
#: the placeholder itself in a checkout.
ARCHIVAL = ".git_archival.txt"
#: The commit whose code the reference manifest was made from (written by ``make reference``).
CODE_COMMIT = "reference/CODE_COMMIT"
#: ``sha256sum`` lines of that commit's files under :data:`CODE_PATHS`.
CODE_RECORD = "reference/CODE.sha256"


def _git(root: str | os.PathLike, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _is_checkout(root: str | os.PathLike) -> bool:
    """Whether ``root`` is the top of a git work tree (not an archive unpacked inside one)."""
    top = _git(root, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == Path(root).resolve()


def git_state(root: str | os.PathLike = ".") -> tuple[str | None, bool]:
    """The last commit that changed the code, config or raw data, and whether they differ.

    ``(git log -1 --format=%H -- CODE_PATHS, any uncommitted change to a tracked file
    there)``; ``(None, False)`` outside a git checkout. Only commits that can change an
    output count, so a commit of documentation, tests or of the reference manifest
    itself leaves the report's bytes alone.

    Examples
    --------
    >>> import tempfile
    >>> git_state(tempfile.mkdtemp())
    (None, False)
    """
    if not _is_checkout(root):
        return None, False
    commit = _git(root, "log", "-1", "--format=%H", "--", *CODE_PATHS)
    if not commit:
        return None, False
    changed = _git(root, "status", "--porcelain", "--untracked-files=no", "--", *CODE_PATHS)
    return commit, bool(changed)


def archived_commit(root: str | os.PathLike = ".") -> str | None:
    """The commit a ``git archive`` was made of, from :data:`ARCHIVAL`; None elsewhere.

    In a checkout the file holds git's unexpanded placeholder, which is not a commit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / ARCHIVAL).write_text("commit: $Format:%H$\\n")
    >>> archived_commit(root) is None
    True
    >>> _ = (root / ARCHIVAL).write_text("commit: " + "ab" * 20 + "\\n")
    >>> archived_commit(root) == "ab" * 20
    True
    """
    path = Path(root) / ARCHIVAL
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "commit" and re.fullmatch(r"[0-9a-f]{40}", value.strip()):
            return value.strip()
    return None


def code_files(root: str | os.PathLike = ".") -> list[str]:
    """The tracked files under :data:`CODE_PATHS` of a checkout, sorted."""
    listed = _git(root, "ls-files", "--", *CODE_PATHS)
    if listed is None:
        raise InputError(str(root), "a git checkout (to record the code of the reference)")
    return sorted(listed.splitlines())


def write_code_record(checkout: str | os.PathLike, folder: str | os.PathLike) -> None:
    """Record, in ``folder``, the code a reference run was made from.

    :data:`CODE_COMMIT` gets the checkout's :func:`git_state` commit (an error when the
    code has uncommitted changes: such a reference could not be reproduced from any
    commit) and :data:`CODE_RECORD` the ``sha256sum`` lines of :func:`code_files`, so
    ``sha256sum -c reference/CODE.sha256`` also tells a reviewer whether their code is
    the reference's.
    """
    from analisis.report.manifest import manifest_text

    commit, uncommitted = git_state(checkout)
    if commit is None or uncommitted:
        raise InputError(str(checkout), "a clean git checkout", found="uncommitted changes")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    (target / Path(CODE_COMMIT).name).write_text(commit + "\n", encoding="utf-8")
    record = manifest_text(checkout, code_files(checkout))
    (target / Path(CODE_RECORD).name).write_text(record, encoding="utf-8", newline="\n")


def recorded_code_commit(root: str | os.PathLike = ".") -> str | None:
    """The commit of :data:`CODE_COMMIT` when :data:`CODE_RECORD` lists it and every file
    it lists is in ``root`` with the same bytes; None otherwise.

    A file added under :data:`CODE_PATHS` that the record does not list goes unseen: an
    archive cannot tell its own files from those added after unpacking.
    """
    from analisis.report.manifest import read_manifest

    commit_file, record_file = Path(root) / CODE_COMMIT, Path(root) / CODE_RECORD
    if not (commit_file.is_file() and record_file.is_file()):
        return None
    record = read_manifest(record_file.read_text(encoding="utf-8"))
    for name, digest in record.items():
        path = Path(root) / name
        if not path.is_file() or sha256_file(path) != digest:
            return None
    return commit_file.read_text(encoding="utf-8").strip() or None


class Source(NamedTuple):
    """Where the report's commit comes from.

    ``commit`` is None when neither git nor an archive knows it; ``uncommitted`` when a
    checkout has changes to the code, config or raw data; ``archive`` when the commit is
    that of a ``git archive`` whose code is not the reference's recorded code (it may
    have changed after the last code commit, or after unpacking).
    """

    commit: str | None
    uncommitted: bool = False
    archive: bool = False


#: No commit known: neither a git checkout nor an archive that records one.
UNKNOWN = Source(None)


def source_state(root: str | os.PathLike = ".") -> Source:
    """The commit the report's footer names: git's, else an archive's (see the module).

    Examples
    --------
    >>> import tempfile
    >>> source_state(tempfile.mkdtemp())
    Source(commit=None, uncommitted=False, archive=False)
    """
    commit, uncommitted = git_state(root)
    if commit is not None:
        return Source(commit, uncommitted)
    archived = archived_commit(root)
    if archived is None:
        return UNKNOWN
    recorded = recorded_code_commit(root)
    return Source(recorded) if recorded else Source(archived, archive=True)


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """A YAML dumper that writes a value shared by two keys twice, never as an anchor.

    libyaml's emitter where PyYAML has it (its wheels do): the same text as the pure-Python
    one for these configs, four times faster for a 1,000-village config (0.15 s).
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


# Snakemake reads a JSON config file (a generated programme's) into OrderedDicts: a
# mapping like any other here, whose keys are sorted like a dict's.
_PlainDumper.add_representer(collections.OrderedDict, _PlainDumper.represent_dict)


def config_text(config: Mapping[str, Any] | None) -> str:
    """The configuration as YAML with sorted keys (stable text for the report).

    A value shared by several keys (the schema's defaults fill many keys with one list)
    is written out at each, not as ``&id001`` / ``*id001``.

    Examples
    --------
    >>> print(config_text({"b": 1, "a": {"alpha": 0.05}}), end="")
    a:
      alpha: 0.05
    b: 1
    >>> shared = ["x"]
    >>> "&id" in config_text({"a": shared, "b": shared})
    False
    >>> import collections
    >>> ordered = collections.OrderedDict(b=1, a=[collections.OrderedDict(z=2, y=3)])
    >>> print(config_text(ordered), end="")
    a:
    - y: 3
      z: 2
    b: 1
    """
    if not config:
        return ""
    return yaml.dump(dict(config), Dumper=_PlainDumper, sort_keys=True, allow_unicode=True)


#: Above this many cohorts the report's configuration shows only the first
#: :data:`CONFIG_COHORTS_SHOWN` (a programme's cohorts differ in their ids, labels and paths).
CONFIG_COHORTS_MAX = 30
CONFIG_COHORTS_SHOWN = 3


def shown_config(config: Mapping[str, Any] | None) -> tuple[dict[str, Any], int]:
    """The configuration as the report prints it, and how many cohorts it leaves out.

    Examples
    --------
    >>> config = {"alpha": 0.05, "cohorts": [{"id": f"desa_{i}"} for i in range(31)]}
    >>> shown, left_out = shown_config(config)
    >>> [c["id"] for c in shown["cohorts"]], left_out
    (['desa_0', 'desa_1', 'desa_2'], 28)
    >>> shown_config({"cohorts": [{"id": "a"}]})
    ({'cohorts': [{'id': 'a'}]}, 0)
    """
    shown = dict(config or {})
    cohorts = shown.get("cohorts") or []
    if len(cohorts) <= CONFIG_COHORTS_MAX:
        return shown, 0
    shown["cohorts"] = list(cohorts[:CONFIG_COHORTS_SHOWN])
    return shown, len(cohorts) - CONFIG_COHORTS_SHOWN


def build_provenance(
    inputs: Sequence[Sequence[str]],
    *,
    config: Mapping[str, Any] | None = None,
    source: Source = UNKNOWN,
    versions: Mapping[str, str | None] | None = None,
    citation: str | None = None,
) -> dict[str, Any]:
    """Provenance block of the report (see :func:`analisis.report.context.build_context`).

    ``inputs`` are ``[path, sha256]`` rows of the raw files
    (:func:`analisis.provenance.input_hashes`, or the shards' records of them read with
    :func:`analisis.provenance.read_input_hashes`); ``citation`` is the software's
    reference (:func:`analisis.report.citation.citation_text`), printed as "how to cite".
    The configuration of a programme of many cohorts is cut (:func:`shown_config`):
    ``config_cohorts`` counts them all.
    """
    found = dict(versions) if versions is not None else package_versions()
    shown, left_out = shown_config(config)
    return {
        "inputs": [list(row) for row in inputs],
        "versions": {k: v or "–" for k, v in found.items()},
        "packages": [[name, found[name]] for name in sorted(found)],
        "git_commit": source.commit,
        "git_uncommitted": source.uncommitted,
        "git_archive": source.archive,
        "config": config_text(shown),
        "config_cohorts": len(shown.get("cohorts") or []) + left_out,
        "config_cohorts_shown": None if not left_out else CONFIG_COHORTS_SHOWN,
        "citation": citation,
    }
