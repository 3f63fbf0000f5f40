"""A draft config from a folder of exports: what ``analisis init`` finds, and what it writes.

The folder holds one subfolder per village, or is itself the one village's folder. In
each village folder the files are sorted out by name and header:

* a knowledge-test export (any file the readers of :mod:`analisis.ingest.readers`
  take) has a name column (:data:`analisis.ingest.exports.ROLE_HEADERS`); its name says
  pre or post (``pre``, ``pretest``, ``sebelum``, ``awal`` / ``post``, ``posttest``,
  ``sesudah``, ``setelah``, ``akhir``);
* the checklist workbook is a workbook named so (``tilik``, ``checklist``,
  ``keterampilan``, ``skill``) or with several sheets; each sheet holding a table with
  a name column is a mentoring group;
* a CSV headed ``name_a, name_b, decision`` is the village's match overrides.

Question columns are the export's columns that hold no role (timestamp, name, total,
group, phone) and look like answers: at most :data:`MAX_OPTIONS` distinct values, not
all numbers, no e-mail address. The draft instruments list the questions and the
answers seen as options; the answer key and the checklist's step maxima are left blank
for the researcher, never guessed from the answers. Whatever could not be decided is a
:class:`Note`, worded by the caller in the user's language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from analisis.errors import InputError
from analisis.ingest.checklist import SUMMARY_ROW_LABELS
from analisis.ingest.exports import ROLE_HEADERS
from analisis.ingest.readers import (
    READERS,
    RawTable,
    file_kind,
    read_raw_sheets,
    read_raw_table,
    sheet_names,
)
from analisis.ingest.text import cell_text, normalise_header

#: Words of a file name (split at anything but letters and digits) that mark each phase.
PHASE_WORDS = {
    "pre": frozenset({"pre", "pretest", "sebelum", "awal", "pra"}),
    "post": frozenset({"post", "posttest", "postest", "sesudah", "setelah", "akhir"}),
}
#: Words of a workbook's name that mark the skill checklist.
CHECKLIST_WORDS = frozenset({"tilik", "checklist", "keterampilan", "skill", "observasi"})
#: A question has at most this many distinct answers; more is free text (an address).
MAX_OPTIONS = 10
#: Name headers of a checklist sheet's table, as the checklist reader looks for them.
CHECKLIST_NAME_HEADERS = ("Nama Kader", "Nama")
#: Headers of a checklist's table that are not steps (besides the name and numbering).
NOT_STEP_HEADERS = frozenset({"no", "no.", "nomor", "keterangan", "catatan", "skor", "nilai"})
#: The header of a match-overrides file (docs/contracts.md).
OVERRIDE_HEADERS = ("name_a", "name_b", "decision")


@dataclass(frozen=True)
class Note:
    """Something ``init`` could not decide: a catalogue key (``init.<code>``) and values."""

    code: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class KnowledgeExport:
    """One knowledge-test export: its phase, role headers, questions and answers seen."""

    path: Path
    phase: str | None
    roles: dict[str, str]
    questions: list[str]
    answers: dict[str, list[str]]
    left_out: list[str]
    #: Options of a question as an SPSS file's value labels define them, in code order.
    labelled: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Checklist:
    """The checklist workbook: its group sheets, the name header and the step headers."""

    path: Path
    sheets: list[str]
    name_header: str
    steps: list[str]


@dataclass
class Village:
    """What one village folder holds."""

    folder: Path
    pre: KnowledgeExport | None = None
    post: KnowledgeExport | None = None
    checklist: Checklist | None = None
    overrides: Path | None = None

    @property
    def cohort_id(self) -> str:
        """The folder's name as a cohort id (lower case, ``_`` between words).

        Examples
        --------
        >>> Village(Path("data/raw/Desa Suka-Maju")).cohort_id, Village(Path("2 Desa")).cohort_id
        ('desa_suka_maju', 'desa_2_desa')
        """
        slug = re.sub(r"[^a-z0-9]+", "_", self.folder.name.casefold()).strip("_")
        return slug if re.match(r"[a-z]", slug) else f"desa_{slug}".rstrip("_")

    @property
    def label(self) -> str:
        """The folder's name in words: ``desa_suka_maju`` -> ``Desa Suka Maju``."""
        return " ".join(w.capitalize() for w in re.split(r"[_\s]+", self.folder.name) if w)


def name_words(path: Path) -> set[str]:
    """The words of a file name, lower case.

    Examples
    --------
    >>> sorted(name_words(Path("Pre-Test_Pengetahuan (1).CSV")))
    ['1', 'pengetahuan', 'pre', 'test']
    """
    return {w for w in re.split(r"[^a-z0-9]+", path.stem.casefold()) if w}


def phase_of(path: Path) -> str | None:
    """``"pre"`` or ``"post"`` as the file's name says; None when it says neither or both.

    Examples
    --------
    >>> phase_of(Path("posttest.xlsx")), phase_of(Path("tes_awal.csv")), phase_of(Path("x.sav"))
    ('post', 'pre', None)
    """
    words = name_words(path)
    found = [phase for phase, marks in PHASE_WORDS.items() if words & marks]
    return found[0] if len(found) == 1 else None


def _column_values(table: RawTable, j: int) -> list[str]:
    labels = table.value_labels.get(j, {})
    values = []
    for row in table.rows:
        value = row[j] if j < len(row) else None
        text = cell_text(labels.get(value, value)) if not isinstance(value, str) else value
        if text is not None and text.strip():
            values.append(text.strip())
    return values


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[-+]?\d+([.,]\d+)?", text) is not None


def is_question(values: Sequence[str], names: set[str]) -> bool:
    """Whether a column's answers look like a multiple-choice question's.

    Examples
    --------
    >>> is_question(["Benar", "Salah", "Benar"], set()), is_question(["31", "45"], set())
    (True, False)
    >>> is_question(["a@b.id"], set()), is_question(["Siti"], {"Siti"})
    (False, False)
    """
    distinct = set(values)
    return (
        0 < len(distinct) <= MAX_OPTIONS
        and not all(_is_number(v) for v in distinct)
        and not any("@" in v for v in distinct)
        and not distinct & names
    )


def read_export(path: Path, phase: str | None) -> KnowledgeExport:
    """Roles, questions and answers seen of a knowledge-test export.

    Raises
    ------
    InputError
        The file cannot be read, or has no name column (then it is not an export).
    """
    table = read_raw_table(path, header_at=ROLE_HEADERS["name"])
    roles = {role: table.find_column(headers) for role, headers in ROLE_HEADERS.items()}
    if roles["name"] is None:
        raise InputError(str(path), "a name column", found="none")
    names = set(_column_values(table, roles["name"]))
    taken = {j for j in roles.values() if j is not None}
    questions, answers, left_out, labelled = [], {}, [], {}
    for j in range(len(table.headers)):
        header = table.display(j)
        if j in taken or not header.strip():
            continue
        values = _column_values(table, j)
        if is_question(values, names):
            questions.append(header)
            answers[header] = sorted(set(values), key=normalise_header)
            if table.value_labels.get(j):
                labels = sorted(table.value_labels[j].items())
                labelled[header] = [text for _, v in labels if (text := cell_text(v))]
        else:
            left_out.append(header)
    return KnowledgeExport(
        path,
        phase,
        {role: table.display(j) for role, j in roles.items() if j is not None},
        questions,
        answers,
        left_out,
        labelled,
    )


def read_checklist(path: Path, notes: list[Note]) -> Checklist | None:
    """The group sheets of a checklist workbook and the steps of its first group.

    A sheet without a table headed by a name column (a summary sheet) is left out, with
    a note; so is a sheet whose steps differ from the first group's.
    """
    found: Checklist | None = None
    for sheet in sheet_names(path):
        try:
            (table,) = read_raw_sheets(path, [sheet], header_at=CHECKLIST_NAME_HEADERS)
        except InputError:
            notes.append(Note("sheet_left_out", {"file": str(path), "sheet": sheet}))
            continue
        name_j = table.find_column(CHECKLIST_NAME_HEADERS)
        steps = [
            table.display(j)
            for j in range(name_j + 1, len(table.headers))
            if table.display(j).strip()
            and normalise_header(table.display(j)) not in NOT_STEP_HEADERS | SUMMARY_ROW_LABELS
        ]
        if found is None:
            found = Checklist(path, [sheet], table.display(name_j), steps)
        elif steps == found.steps:
            found.sheets.append(sheet)
        else:
            notes.append(Note("sheet_steps_differ", {"file": str(path), "sheet": sheet}))
    return found


def _is_overrides(path: Path) -> bool:
    if file_kind(path) != "csv":
        return False
    first = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:1]
    return bool(first) and [h.strip() for h in first[0].split(",")] == list(OVERRIDE_HEADERS)


def _raw_files(folder: Path) -> list[Path]:
    suffixes = {s for reader in READERS.values() for s in reader.suffixes}
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)


def read_village(folder: Path, notes: list[Note]) -> Village:
    """Sort one village folder's files into exports, checklist and overrides."""
    village = Village(folder)
    exports: list[KnowledgeExport] = []
    for path in _raw_files(folder):
        words = name_words(path)
        try:
            if _is_overrides(path):
                village.overrides = path
                continue
            if file_kind(path) == "xlsx" and (
                words & CHECKLIST_WORDS or (phase_of(path) is None and len(sheet_names(path)) > 1)
            ):
                village.checklist = village.checklist or read_checklist(path, notes)
                continue
            exports.append(read_export(path, phase_of(path)))
        except InputError:
            notes.append(Note("not_an_export", {"file": str(path)}))
    _assign_phases(village, exports, notes)
    if village.checklist is None:
        notes.append(Note("no_checklist", {"folder": str(folder)}))
    return village


def _assign_phases(village: Village, exports: list[KnowledgeExport], notes: list[Note]) -> None:
    """Pre and post by the files' names; two unnamed exports are taken in name order, noted."""
    for phase in ("pre", "post"):
        named = [e for e in exports if e.phase == phase]
        if len(named) > 1:
            files = ", ".join(str(e.path) for e in named)
            notes.append(Note("several_exports", {"phase": phase, "files": files}))
        if named:
            setattr(village, phase, named[0])
    unnamed = [e for e in exports if e.phase is None]
    for phase in ("pre", "post"):
        if getattr(village, phase) is None and unnamed:
            chosen = unnamed.pop(0)
            setattr(village, phase, chosen)
            notes.append(Note("phase_guessed", {"file": str(chosen.path), "phase": phase}))
        if getattr(village, phase) is None:
            notes.append(Note("no_export", {"phase": phase, "folder": str(village.folder)}))


def village_folders(folder: Path) -> list[Path]:
    """The village folders: the subfolders holding raw files, else the folder itself.

    Raises
    ------
    InputError
        No readable raw file (csv, xlsx, sav) in the folder or its subfolders.
    """
    if not folder.is_dir():
        raise InputError(str(folder), "a folder of exports", found="no such folder")
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and _raw_files(p))
    if subfolders:
        return subfolders
    if _raw_files(folder):
        return [folder]
    accepted = ", ".join(s for reader in READERS.values() for s in reader.suffixes)
    raise InputError(
        str(folder),
        f"knowledge-test exports ({accepted}) in the folder or in one subfolder per village",
        found="no such file",
    )


# --------------------------------------------------------------------------- the draft


@dataclass
class Draft:
    """Everything ``init`` writes: the config's text and each instrument's rows."""

    config: str
    instruments: dict[Path, list[list[str]]]
    notes: list[Note]


#: What the researcher fills in the draft instruments (never guessed from the answers).
KEY_TODO = (
    "fill its answer column (the key); its options are the answers seen in the exports,"
    "\n      # alphabetically: add any option nobody chose, and keep the letters the form uses"
)
MAXIMA_TODO = "fill its max_points column, and each step's description"
KNOWLEDGE_HEADER = ["item_id", "topic", "question"]
SKILL_HEADER = ["step_id", "stage", "description_id", "description_en", "max_points"]


def question_options(exports: Sequence[KnowledgeExport], question: str) -> list[str]:
    """A question's draft options: an SPSS file's value labels in code order, then the
    other answers seen, alphabetically.

    Examples
    --------
    >>> plain = KnowledgeExport(Path("a.csv"), "pre", {}, ["Q"], {"Q": ["Tidak", "Ya"]}, [])
    >>> coded = KnowledgeExport(Path("b.sav"), "post", {}, ["Q"], {"Q": ["Ya"]}, [],
    ...                         {"Q": ["Ya", "Ragu"]})
    >>> question_options([plain, coded], "Q")
    ['Ya', 'Ragu', 'Tidak']
    """
    labelled = next((e.labelled[question] for e in exports if question in e.labelled), [])
    seen = {answer for e in exports for answer in e.answers[question]}
    return [*labelled, *sorted(seen - set(labelled), key=normalise_header)]


def knowledge_rows(questions: Sequence[str], exports: Sequence[KnowledgeExport]) -> list[list[str]]:
    """A draft knowledge instrument: each question, its :func:`question_options`, no key.

    Examples
    --------
    >>> export = KnowledgeExport(Path("a.csv"), "pre", {}, ["Q?"], {"Q?": ["Ya", "Tidak"]}, [])
    >>> knowledge_rows(["Q?"], [export])  # doctest: +NORMALIZE_WHITESPACE
    [['item_id', 'topic', 'question', 'option_a', 'option_b', 'answer'],
     ['P01', '', 'Q?', 'Tidak', 'Ya', '']]
    """
    options = {question: question_options(exports, question) for question in questions}
    width = max(2, *(len(o) for o in options.values()))
    header = [*KNOWLEDGE_HEADER, *(f"option_{chr(ord('a') + k)}" for k in range(width)), "answer"]
    rows = [header]
    for number, question in enumerate(questions, start=1):
        padding = [""] * (width - len(options[question]))
        rows.append([f"P{number:02d}", "", question, *options[question], *padding, ""])
    return rows


def skill_rows(steps: Sequence[str]) -> list[list[str]]:
    """A draft checklist instrument: each step, its maximum points left blank.

    A header that is an id (``L01``) is the step id; another is the step's description.

    Examples
    --------
    >>> skill_rows(["L01", "Cuci tangan"])[1:]
    [['L01', '', '', '', ''], ['L02', '', 'Cuci tangan', 'Cuci tangan', '']]
    """
    rows = [SKILL_HEADER]
    for number, step in enumerate(steps, start=1):
        if re.fullmatch(r"[A-Za-z]{1,3}\d{1,3}", step):
            rows.append([step, "", "", "", ""])
        else:
            rows.append([f"L{number:02d}", "", step, step, ""])
    return rows


def _numbered(folder: Path, stem: str, index: int) -> Path:
    return folder / (f"{stem}.csv" if index == 0 else f"{stem}_{index + 1}.csv")


def shown_path(path: Path, root: Path) -> str:
    """A path as the config writes it: relative to the project root when inside it.

    Examples
    --------
    >>> shown_path(Path("/p/data/raw/a.csv"), Path("/p")), shown_path(Path("/q/a.csv"), Path("/p"))
    ('data/raw/a.csv', '/q/a.csv')
    """
    resolved = path.resolve()
    try:
        return str(PurePosixPath(resolved.relative_to(root.resolve()).as_posix()))
    except ValueError:
        return resolved.as_posix()


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def build_draft(folder: Path, out: Path, root: Path) -> Draft:
    """Read ``folder`` and compose the draft config ``out`` and its instruments.

    The instruments go to a folder named as the config (``config/study.yaml`` ->
    ``config/study/``): one knowledge instrument per distinct list of questions (all
    villages' exports usually share one), one checklist per distinct list of steps.
    """
    notes: list[Note] = []
    villages = [read_village(f, notes) for f in village_folders(folder)]
    instruments_dir = out.parent / out.stem
    knowledge: dict[tuple[str, ...], Path] = {}
    exports: dict[tuple[str, ...], list[KnowledgeExport]] = {}
    skill: dict[tuple[str, ...], Path] = {}
    for village in villages:
        for export in (village.pre, village.post):
            if export is None:
                continue
            key = tuple(export.questions)
            knowledge.setdefault(key, _numbered(instruments_dir, "pengetahuan", len(knowledge)))
            exports.setdefault(key, []).append(export)
            if export.left_out:
                columns = ", ".join(repr(h) for h in export.left_out)
                notes.append(
                    Note("columns_left_out", {"file": str(export.path), "columns": columns})
                )
        if village.pre and village.post and village.pre.questions != village.post.questions:
            notes.append(Note("questions_differ", {"folder": str(village.folder)}))
        if village.checklist is not None:
            key = tuple(village.checklist.steps)
            skill.setdefault(key, _numbered(instruments_dir, "daftar_tilik", len(skill)))
    instruments = {path: knowledge_rows(list(key), exports[key]) for key, path in knowledge.items()}
    instruments.update({path: skill_rows(list(key)) for key, path in skill.items()})
    config = config_text(villages, knowledge, skill, folder, root)
    return Draft(config, instruments, notes)


def config_text(
    villages: Sequence[Village],
    knowledge: dict[tuple[str, ...], Path],
    skill: dict[tuple[str, ...], Path],
    folder: Path,
    root: Path,
) -> str:
    """The draft config's YAML, with a comment on every line to check."""
    lines = [
        f"# Draft written by `analisis init {shown_path(folder, root)}`.",
        "# Check every line marked CHECK, fill the answer key and the step maxima in the",
        "# instruments, then run: snakemake --cores all --configfile THIS_FILE",
        "# Every key, with its default, is described in workflow/schemas/config.schema.yaml.",
        "",
        "# CHECK: the study's title and what the training taught (it fits 'pelatihan ...' /",
        "# 'the ... training'), in Bahasa Indonesia (id) and English (en). Leave",
        "# reconstructed and synthetic out: the data are real.",
        "study:",
        "  title:",
        f"    id: {_quoted('TODO judul studi')}",
        f"    en: {_quoted('TODO study title')}",
        "  topic:",
        f"    id: {_quoted('TODO topik')}",
        f"    en: {_quoted('TODO topic')}",
        "",
        "cohorts:",
    ]
    for village in villages:
        lines += _cohort_lines(village, knowledge, skill, root)
    return "\n".join(lines) + "\n"


def _cohort_lines(
    village: Village,
    knowledge: dict[tuple[str, ...], Path],
    skill: dict[tuple[str, ...], Path],
    root: Path,
) -> list[str]:
    lines = [
        f"  - id: {village.cohort_id}",
        "    # CHECK the label: parts after a comma are its kecamatan, kabupaten, province.",
        f"    label: {_quoted(village.label)}",
        "    knowledge:",
    ]
    exports = [e for e in (village.pre, village.post) if e is not None]
    instrument = knowledge[tuple(exports[0].questions)] if exports else None
    lines += _file_lines("instrument", instrument, root, KEY_TODO)
    for phase in ("pre", "post"):
        export = getattr(village, phase)
        lines += _file_lines(phase, export and export.path, root)
        if export is not None:
            found = ", ".join(f"{role} {header!r}" for role, header in export.roles.items())
            lines.append(f"      # columns found: {found}")
    lines.append("    skill:")
    checklist = village.checklist
    steps = skill[tuple(checklist.steps)] if checklist else None
    lines += _file_lines("instrument", steps, root, MAXIMA_TODO)
    lines += _file_lines("workbook", checklist and checklist.path, root)
    if checklist is not None:
        lines.append(f"      sheets: [{', '.join(_quoted(s) for s in checklist.sheets)}]")
        lines.append(f"      name_header: {_quoted(checklist.name_header)}")
    if village.overrides is not None:
        lines.append(f"    match_overrides: {_quoted(shown_path(village.overrides, root))}")
    return lines


def _file_lines(key: str, path: Path | None, root: Path, todo: str = "") -> list[str]:
    if path is None:
        return ["      # CHECK: no file found; name it here.", f"      {key}: {_quoted('TODO')}"]
    comment = [f"      # CHECK: {todo}."] if todo else []
    return [*comment, f"      {key}: {_quoted(shown_path(path, root))}"]


def instrument_csv(rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV text (comma, quoted where needed, ``\\n`` line ends)."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
