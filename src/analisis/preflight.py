"""Check a study's configuration before any job runs: one line per problem, then stop.

Snakemake's own checks come too late or say too much: a schema violation prints the
whole schema, and a missing raw file either stops with ``MissingInputException`` or,
when old outputs exist, is not noticed at all. The Snakefile calls :func:`preflight`
first; the first problem found becomes one ``analisis: error:`` line naming the config
file, the key path (``cohorts[0].knowledge.pre``), what was expected and what was found.

A configured path must resolve (symlinks followed) inside the project folder or inside
a folder the config allows under ``allowed_folders``; a path such as
``../../etc/passwd`` is refused before anything is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from analisis.errors import ConfigError

#: Keys of one cohort that name a file, as (block, key); block None is the cohort itself.
COHORT_FILE_KEYS = (
    ("knowledge", "instrument"),
    ("knowledge", "pre"),
    ("knowledge", "post"),
    ("skill", "instrument"),
    ("skill", "workbook"),
    (None, "match_overrides"),
)
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
    "null": "nothing (null)",
}


def key_path(parts: Sequence[str | int]) -> str:
    """A config location as a person writes it.

    Examples
    --------
    >>> key_path(["cohorts", 0, "cleaning", "fuzzy_threshold"])
    'cohorts[0].cleaning.fuzzy_threshold'
    >>> key_path([])
    '(top level)'
    """
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def configured_files(config: Mapping[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    """Every file the config names, as ``(key parts, path)``, in config order.

    Examples
    --------
    >>> cohort = {"knowledge": {"instrument": "i.csv", "pre": "a.csv", "post": "b.csv"},
    ...           "skill": {"instrument": "s.csv", "workbook": "w.xlsx"}}
    >>> [key_path(parts) for parts, _ in configured_files({"cohorts": [cohort]})][:2]
    ['cohorts[0].knowledge.instrument', 'cohorts[0].knowledge.pre']
    """
    for index, cohort in enumerate(config.get("cohorts") or []):
        for block, key in COHORT_FILE_KEYS:
            holder = cohort if block is None else cohort.get(block) or {}
            if holder.get(key):
                yield ["cohorts", index, *([block] if block else []), key], str(holder[key])
        for wave, follow_up in enumerate((cohort.get("knowledge") or {}).get("follow_up") or []):
            yield ["cohorts", index, "knowledge", "follow_up", wave, "file"], str(follow_up["file"])


#: jsonschema keywords in words; ``{value}`` is the keyword's value in the schema.
_KEYWORD_WORDS = {
    "minimum": "at least {value}",
    "exclusiveMinimum": "more than {value}",
    "maximum": "at most {value}",
    "exclusiveMaximum": "less than {value}",
    "minItems": "at least {value} entries",
    "pattern": "text matching {value}",
    "additionalProperties": "only the keys the schema describes",
}


def _alternative(sub: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    """One alternative of an ``anyOf`` in words (a ``$ref`` looked up in ``root``)."""
    if "$ref" in sub:
        target: Any = root
        for part in sub["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return _alternative(target, root)
    if sub.get("type") == "object" and sub.get("required"):
        return "a mapping with the keys " + ", ".join(sub["required"])
    kinds = sub.get("type", [])
    return " or ".join(_TYPE_WORDS.get(kind, kind) for kind in as_list(kinds))


def as_list(value: Any) -> list:
    """``value`` as a list (a schema's ``type`` is one name or a list of names)."""
    return value if isinstance(value, list) else [value]


def _expected(error, root: Mapping[str, Any]) -> str:
    """What a jsonschema ``ValidationError`` expected, in words."""
    value = error.validator_value
    if error.validator == "type":
        return " or ".join(_TYPE_WORDS.get(kind, kind) for kind in as_list(value))
    if error.validator == "anyOf":
        return " or ".join(_alternative(sub, root) for sub in value)
    if error.validator == "enum":
        return "one of " + ", ".join(repr(v) for v in value)
    if error.validator == "required":
        return "the keys " + ", ".join(value)
    if error.validator in _KEYWORD_WORDS:
        return _KEYWORD_WORDS[error.validator].format(value=value)
    return error.message


def _found(error) -> str:
    if error.validator == "required":
        return "no " + ", ".join(k for k in error.validator_value if k not in error.instance)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = set(error.schema.get("properties", {}))
        return "unknown key " + ", ".join(repr(k) for k in error.instance if k not in known)
    return f"{type(error.instance).__name__} {error.instance!r}"


def source_of(parts: Sequence[str | int], configfiles: Sequence[str | os.PathLike]) -> str:
    """The config file that sets the key at ``parts`` (the last one given wins).

    Snakemake merges the files given with ``--configfile`` over the Snakefile's default;
    the file named is the last that holds the key, else the last file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.yaml").write_text("analysis: {alpha: 0.05}")
    >>> _ = (folder / "b.yaml").write_text("cohorts: []")
    >>> files = [folder / "a.yaml", folder / "b.yaml"]
    >>> Path(source_of(["analysis", "alpha"], files)).name, Path(source_of(["x"], files)).name
    ('a.yaml', 'b.yaml')
    """
    import yaml

    for file in reversed(list(configfiles)):
        try:
            value: Any = load_yaml(Path(file).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        for part in parts:
            inside = isinstance(value, Mapping) and part in value
            inside |= isinstance(value, list) and isinstance(part, int) and part < len(value)
            if not inside:
                break
            value = value[part]
        else:
            return str(file)
    return str(list(configfiles)[-1]) if configfiles else "config"


def check_schema(
    config: Mapping[str, Any], schema: Mapping[str, Any], configfiles: Sequence[str]
) -> None:
    """Raise :class:`ConfigError` for the first schema violation, in one line.

    Examples
    --------
    >>> schema = {"type": "object", "properties": {"alpha": {"type": "number"}}}
    >>> check_schema({"alpha": "x"}, schema, ["c.yaml"])
    Traceback (most recent call last):
    ...
    analisis.errors.ConfigError: c.yaml, key alpha: expected a number, found str 'x'
    """
    from jsonschema import Draft202012Validator

    errors = sorted(
        Draft202012Validator(schema).iter_errors(config),
        key=lambda e: (list(map(str, e.absolute_path)), e.validator),
    )
    if errors:
        error = errors[0]
        parts = list(error.absolute_path)
        raise ConfigError(
            f"{source_of(parts, configfiles)}, key {key_path(parts)}: "
            f"expected {_expected(error, schema)}, found {_found(error)}"
        )


def check_study(config: Mapping[str, Any], configfiles: Sequence[str]) -> None:
    """Raise :class:`ConfigError` when the study says its data are both reconstructed
    and synthetic: the report's banner says one or the other.

    Examples
    --------
    >>> check_study({"study": {"reconstructed": True, "synthetic": True}}, ["c.yaml"])
    Traceback (most recent call last):
    ...
    analisis.errors.ConfigError: c.yaml, key study.synthetic: expected at most one of \
study.reconstructed and study.synthetic true, found both true
    """
    study = config.get("study") or {}
    if study.get("reconstructed") and study.get("synthetic"):
        where = f"{source_of(['study', 'synthetic'], configfiles)}, key study.synthetic"
        raise ConfigError(
            f"{where}: expected at most one of study.reconstructed and study.synthetic "
            "true, found both true"
        )


def inside(path: Path, folders: Sequence[Path]) -> bool:
    """Whether ``path`` (already resolved) lies in one of the resolved ``folders``.

    Compared as text, a folder followed by the separator: ``Path.parents`` built a
    sequence for each of a national programme's 50,000 files.

    Examples
    --------
    >>> inside(Path("/p/data/raw/a.csv"), [Path("/p")]), inside(Path("/etc/passwd"), [Path("/p")])
    (True, False)
    >>> inside(Path("/pq/a.csv"), [Path("/p")]), inside(Path("/a.csv"), [Path("/")])
    (False, True)
    """
    text = str(path)
    return any(
        text == str(folder) or text.startswith(str(folder).rstrip(os.sep) + os.sep)
        for folder in folders
    )


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, its folder resolved once for all the files in it (``folders``
    keeps them): a programme's files share a few folders each, and resolving follows
    every component of a path with a system call."""
    if path.name in ("", ".", ".."):
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    joined = folder / path.name
    return joined.resolve() if joined.is_symlink() else joined


def check_files(
    config: Mapping[str, Any], project: str | os.PathLike, configfiles: Sequence[str]
) -> None:
    """Raise :class:`ConfigError` for a configured file outside the project or missing.

    Paths are resolved relative to ``project`` with every symlink followed, and checked
    against the project and ``allowed_folders`` before the file is opened.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> project = pathlib.Path(tempfile.mkdtemp())
    >>> cohort = {"knowledge": {"instrument": "../../etc/passwd", "pre": "p", "post": "q"},
    ...           "skill": {"instrument": "s", "workbook": "w"}}
    >>> check_files({"cohorts": [cohort]}, project, ["c.yaml"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analisis.errors.ConfigError: c.yaml, key cohorts[0].knowledge.instrument: expected a file \
inside the project ... found '../../etc/passwd', which resolves outside it
    """
    root = Path(project).resolve()
    allowed = [root, *((root / f).resolve() for f in config.get("allowed_folders") or [])]
    folders: dict[Path, Path] = {}
    for parts, given in configured_files(config):
        resolved = _resolved(root / given, folders)
        if not inside(resolved, allowed):
            expected = f"a file inside the project {root} or a folder listed under allowed_folders"
            found = f"{given!r}, which resolves outside it"
        elif not resolved.is_file():
            expected, found = "an existing file", f"no file at {given!r}"
        else:
            continue
        # Which file set the key is looked up only now: it means parsing the config files.
        where = f"{source_of(parts, configfiles)}, key {key_path(parts)}"
        raise ConfigError(f"{where}: expected {expected}, found {found}")


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's C parser when PyYAML has it, else PyYAML's own:
    the same document, read about ten times faster (a config of 10,000 villages is
    read at every start of the workflow).

    Examples
    --------
    >>> load_yaml("cohorts: [{id: a}]")
    {'cohorts': [{'id': 'a'}]}
    """
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def brings_own_study(given: Mapping[str, Any]) -> bool:
    """Whether the config given on the command line (``--configfile``, ``--config``) names
    its own ``cohorts:``.

    ``given`` is Snakemake's ``config`` before the Snakefile's ``configfile:``: the
    command line's files, already read (reading a 10,000-village config a second time
    cost 2-7 s of every start). Such a config is a study of its own: the Snakefile then
    leaves the bundled study (``config/config.yaml``, its title, topic, ``reconstructed``
    flag and analysis choices) out, and the schema's defaults fill what the config does
    not say. A ``--configfile`` without ``cohorts:`` (``analysis: {alpha: 0.01}``, say)
    adjusts the bundled study instead.

    Examples
    --------
    >>> brings_own_study({"analysis": {"alpha": 0.01}}), brings_own_study({"cohorts": []})
    (False, True)
    """
    return "cohorts" in given


def precedence(
    configfiles: Sequence[str | os.PathLike], overrides: Sequence[str | os.PathLike] = ()
) -> list[str]:
    """Config files from the weakest to the strongest, as Snakemake merges them.

    Snakemake lists the files given with ``--configfile`` (its ``overwrite_configfiles``)
    among all config files, in no order of strength; they override the Snakefile's own.

    Examples
    --------
    >>> precedence(["/p/their.yaml", "config/config.yaml"], ["/p/their.yaml"])
    ['config/config.yaml', '/p/their.yaml']
    """
    strong = [str(f) for f in overrides]
    return [str(f) for f in configfiles if str(f) not in strong] + strong


def preflight(
    config: Mapping[str, Any],
    schema: Mapping[str, Any] | str | os.PathLike,
    project: str | os.PathLike,
    configfiles: Sequence[str | os.PathLike],
    overrides: Sequence[str | os.PathLike] = (),
) -> None:
    """Every check that needs no raw file read: the schema, then each configured path.

    ``schema`` is the schema or the path of its YAML file; ``configfiles`` and
    ``overrides`` are Snakemake's ``workflow.configfiles`` and
    ``workflow.overwrite_configfiles``.
    """
    if not isinstance(schema, Mapping):
        import yaml

        schema = yaml.safe_load(Path(schema).read_text(encoding="utf-8"))
    files = precedence(configfiles, overrides)
    check_schema(config, schema, files)
    check_study(config, files)
    check_files(config, project, files)
