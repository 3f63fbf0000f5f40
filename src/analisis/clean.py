"""From raw rows to one record per person: drop, de-duplicate, match, pseudonymise, log.

Rules, in the order they are applied to each cohort
----------------------------------------------------
1. **No name** — a row whose name is blank is ``dropped`` (``no_name``).
2. **Test submissions** — a row whose name (raw, case-folded, or normalised) matches one
   of ``test_submission_patterns`` (case-insensitive regular expressions, ``re.search``)
   is ``dropped`` (``test_submission``).
3. **Blank submissions** — a knowledge submission with every answer blank is
   ``dropped`` (``blank_submission``); with ``keep_blank_submissions: true`` it is kept,
   scored zero and ``flagged`` (``blank_submission_scored_zero``).
4. **Namesakes** (an error, not a rule) — two rows of *one source* with the same
   normalised name are two different people, which the pipeline cannot tell apart, when

   * in a knowledge export, they carry different phone numbers (column recognised as
     ``No HP``/``Nomor WA``/``Phone``… or ``columns.phone``; compared in the one form
     of :func:`analisis.names.normalise_phone`, so ``0853…``, ``853…`` and
     ``+62 853…`` are one number) — unless ``ignore_phones: true``, which takes them
     as one person's resubmissions and flags the used row (``phones_ignored``), or
   * in the checklist workbook, the name occurs twice (in one sheet or in two sheets:
     each cadre is assessed once).

   Both raise :class:`~analisis.errors.InputError` naming the file, both rows and the
   column.  Without a phone column, rows of one name in one export are taken as one
   person's resubmissions.
5. **Duplicates** — among the remaining rows of one export with one normalised name, one
   is used by ``duplicate_rule``: ``latest_complete`` (default; the latest submission
   with every item answered, or the latest if none is complete), ``latest`` or
   ``first``.  "Latest" orders by timestamp, then by row.  The others are ``merged``
   (``duplicate_submission``); the used one says which it replaced
   (``duplicates_merged``).
6. **Matching** pre ↔ post, then each delayed post-test (``fu1``, ``fu2``… in the order
   of ``knowledge.follow_up``) to everyone found so far, then all of them ↔ checklist:
   overrides
   (``override_match``), exact, fuzzy (see :mod:`analisis.names`).  A fuzzy match
   ``flags`` both rows (``fuzzy_name_match``) with its similarity and the partner's
   file and row; names appear only in the private matches table.
7. **Groups** come from the checklist sheet (its ``Kelompok`` label, else the sheet
   name); for a person without a checklist row, from a group column of the pre-test
   (else post-test) export when there is one.
8. **Missing partners** are not errors: the person is kept (``paired`` false when a
   test is missing) and every used row of theirs is ``flagged`` with what is missing
   (``no_pre_test``, ``no_post_test``, ``no_follow_up`` with the wave in the detail,
   ``no_checklist_row``). Follow-up exports go through rules 1 to 5 and 9 as pre and post.
9. **Blank answers** are scored wrong and noted (``blank_answers``); a **total** in the
   export that disagrees with the answer key ``flags`` the row (``total_mismatch``);
   answers read from SPSS codes say how they were mapped (``coded_answers``).
10. **Pseudonyms** ``K01…`` are given in the order of :func:`analisis.names.pseudonym_order`
    (a hash of cohort and canonical name: the normalised name in the pre-test, else the
    post-test, else the first follow-up that has it, else the checklist), so they do not
    depend on row order and reveal nothing about the names.  Assessors get ``A01…`` in
    order of first appearance. In a study of two or more villages both carry the village code
    (:func:`analisis.shards.village_codes`): ``KAM-K01``, ``KAM-A01``; pseudonyms are
    then unique across the study. With pre- and post-tests but nobody in both, cleaning
    stops with an :class:`~analisis.errors.InputError` naming both exports.

The log's ``reason`` holds the codes of :data:`REASONS` (joined by ``;``; ``used``
when a used row has nothing else to note), its ``detail`` their variable part.  Every
raw row gets exactly one log row; :func:`check_log_complete` proves it.  Every step is
linear in the rows (sets and vectorised pandas), so 100,000 raw rows clean in seconds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analisis import ingest, tables
from analisis.config import DEFAULTS
from analisis.errors import AnalisisError, ConfigError, InputError
from analisis.names import (
    match_names,
    normalise_name,
    normalise_phone,
    pseudonym_order,
    pseudonym_prefix,
    pseudonyms,
)
from analisis.shards import study_codes

DUPLICATE_RULES = ("latest_complete", "latest", "first")

#: Defaults of the ``cleaning:`` block of the config.
#: The ``cleaning:`` defaults, read from the config schema (their only copy).
DEFAULT_CLEANING: Mapping[str, object] = DEFAULTS["cleaning"]

#: The codes of the cleaning log's ``reason`` column, and what each means.  A row may
#: carry several (joined by ``;``); variable detail goes to the ``detail`` column.
REASONS: dict[str, str] = {
    "used": "used as it is: nothing to note",
    "no_name": "the name is blank, so the row cannot be matched to a person",
    "test_submission": "the name matches a test_submission_pattern (detail: the pattern)",
    "blank_submission": "every answer is blank: excluded (cleaning.keep_blank_submissions)",
    "blank_submission_scored_zero": "every answer is blank: kept and scored as zero",
    "duplicate_submission": "another submission of the same name was used "
    "(detail: its row and the duplicate_rule)",
    "duplicates_merged": "this submission was used; others of the same name were merged "
    "(detail: their rows and the duplicate_rule)",
    "phones_ignored": "submissions of one name carry different phone numbers, taken as one "
    "person because cleaning.ignore_phones is true (detail: the rows)",
    "override_match": "matched by a line of the match overrides (detail: its row)",
    "fuzzy_name_match": "matched by a fuzzy name match a person should confirm "
    "(detail: similarity and the partner's file and row)",
    "no_pre_test": "no pre-test submission matched (detail 'unpaired': left out of the "
    "paired statistics)",
    "no_post_test": "no post-test submission matched (detail as no_pre_test)",
    "no_checklist_row": "no checklist row matched",
    "no_follow_up": "no submission of a delayed post-test matched (detail: the wave, fu1, "
    "fu2, ...)",
    "blank_answers": "blank answers scored wrong (detail: the items)",
    "total_mismatch": "the export's total differs from the answer key (detail: both numbers)",
    "coded_answers": "answers were codes, mapped to options (detail: value_labels, "
    "label_prefix, code_order or option_codes)",
}

MISSING_CODES = {
    "pre": "no_pre_test",
    "post": "no_post_test",
    **{phase: "no_follow_up" for phase in tables.FOLLOW_UP_PHASES},
    "skill": "no_checklist_row",
}
#: Every knowledge source, in matching order: pre, post, then the delayed post-tests.
KNOWLEDGE_SOURCES = (*tables.PHASE_ORDER, *tables.FOLLOW_UP_PHASES)

logger = logging.getLogger(__name__)


class AccountingError(AnalisisError):
    """The cleaning log does not account for every raw row exactly once (a bug)."""


@dataclass(frozen=True)
class CleaningRules:
    """The ``cleaning:`` block, validated, with defaults filled in."""

    name_titles: tuple[str, ...]
    fuzzy_threshold: float
    duplicate_rule: str
    test_submission_patterns: tuple[re.Pattern[str], ...]
    keep_blank_submissions: bool = False
    ignore_phones: bool = False

    @classmethod
    def from_config(cls, cleaning: Mapping[str, object] | None) -> CleaningRules:
        """Fill defaults; raise ConfigError naming a bad key.

        Examples
        --------
        >>> CleaningRules.from_config({"duplicate_rule": "first"}).fuzzy_threshold
        85.0
        """
        merged = {**DEFAULT_CLEANING, **dict(cleaning or {})}
        unknown = set(merged) - set(DEFAULT_CLEANING)
        if unknown:
            raise ConfigError(f"cleaning: unknown key(s) {', '.join(sorted(unknown))}")
        rule = merged["duplicate_rule"]
        if rule not in DUPLICATE_RULES:
            raise ConfigError(
                f"cleaning.duplicate_rule: expected one of {', '.join(DUPLICATE_RULES)}, "
                f"found {rule!r}"
            )
        threshold = float(merged["fuzzy_threshold"])
        if not 0 <= threshold <= 100:
            raise ConfigError(f"cleaning.fuzzy_threshold: expected 0–100, found {threshold}")
        patterns = []
        for pattern in merged["test_submission_patterns"]:
            try:
                patterns.append(re.compile(str(pattern), re.IGNORECASE))
            except re.error as error:
                raise ConfigError(
                    f"cleaning.test_submission_patterns: {pattern!r} is not a regular "
                    f"expression ({error})"
                ) from None
        switches = {}
        for key in ("keep_blank_submissions", "ignore_phones"):
            if not isinstance(merged[key], bool):
                raise ConfigError(f"cleaning.{key}: expected true or false, found {merged[key]!r}")
            switches[key] = merged[key]
        return cls(
            tuple(map(str, merged["name_titles"])), threshold, rule, tuple(patterns), **switches
        )


@dataclass
class _Row:
    """Bookkeeping of one raw row while a cohort is cleaned."""

    source: str  # "pre", "post", a follow-up ("fu1", ...) or "skill"
    index: int  # position in the source frame
    file: str
    sheet: str | None
    row: int
    name: str | None
    norm: str
    action: str | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, detail)
    flags: list[tuple[str, str]] = field(default_factory=list)
    person: int | None = None


def _where(row: _Row) -> str:
    place = Path(row.file).name
    if row.sheet is not None:
        place += f" sheet {row.sheet!r}"
    return f"{place} row {row.row}"


def _matches_test_pattern(row: _Row, rules: CleaningRules) -> str | None:
    raw = " ".join((row.name or "").casefold().split())
    for pattern in rules.test_submission_patterns:
        if pattern.search(raw) or pattern.search(row.norm):
            return pattern.pattern
    return None


def _resolve_duplicates(
    rows: list[_Row], frame: pd.DataFrame, item_ids: Sequence[str], rules: CleaningRules
) -> None:
    """Apply the namesake check and the duplicate rule to one knowledge export."""
    by_name: dict[str, list[_Row]] = {}
    for row in rows:
        if row.action is None:
            by_name.setdefault(row.norm, []).append(row)
    complete = frame[list(item_ids)].notna().all(axis=1).to_numpy()
    stamps = frame["timestamp"].to_numpy()
    # Readers keep the phone as written; people are compared here, in one normal form.
    phones = frame["phone"].map(normalise_phone, na_action="ignore").to_numpy()

    def time_key(row: _Row) -> tuple[int, object, int]:
        stamp = stamps[row.index]
        return (0, pd.Timestamp.min, row.row) if pd.isna(stamp) else (1, stamp, row.row)

    for group in by_name.values():
        if len(group) < 2:
            continue
        differing = _differing_phones(group, phones)
        ordered = sorted(group, key=time_key)
        if rules.duplicate_rule == "first":
            chosen = ordered[0]
        else:
            pool = ordered
            if rules.duplicate_rule == "latest_complete":
                pool = [r for r in ordered if complete[r.index]] or ordered
            chosen = pool[-1]
        others = sorted((r for r in ordered if r is not chosen), key=lambda r: r.row)
        for other in others:
            other.action = "merged"
            other.reasons.append(
                ("duplicate_submission", f"row {chosen.row} used; {rules.duplicate_rule}")
            )
        rows_listed = ", ".join(str(r.row) for r in others)
        chosen.reasons.append(("duplicates_merged", f"rows {rows_listed}; {rules.duplicate_rule}"))
        if differing is not None:
            if not rules.ignore_phones:
                raise _namesake_error(*differing, frame)
            chosen.flags.append(("phones_ignored", f"rows {differing[0].row}, {differing[1].row}"))


def _differing_phones(group: list[_Row], phones) -> tuple[_Row, _Row] | None:
    """The first two rows of one name whose phone numbers differ, if any."""
    seen: dict[str, _Row] = {}
    for row in sorted(group, key=lambda r: r.row):
        phone = phones[row.index]
        if pd.notna(phone):
            seen.setdefault(phone, row)
    if len(seen) < 2:
        return None
    first, second = sorted(seen.values(), key=lambda r: r.row)[:2]
    return first, second


def _namesake_error(first: _Row, second: _Row, frame: pd.DataFrame) -> InputError:
    return InputError(
        second.file,
        f"one phone number per name: rows {first.row} and {second.row} have the same name "
        "but different phone numbers (compared as 08…, whatever the prefix 0, 62 or +62), "
        "so they look like two people; if they are one person, set cleaning.ignore_phones: "
        "true in the config; two people of one name cannot be told apart by the pipeline",
        row=second.row,
        column=frame.attrs.get("phone_header") or "phone",
        # Never the name itself: messages go to logs/, names stay in data/raw/.
        found=f"rows {first.row} and {second.row} share a name",
    )


def _check_checklist_namesakes(rows: list[_Row], name_header: str) -> None:
    seen: dict[str, _Row] = {}
    for row in rows:
        if row.action is not None:
            continue
        if row.norm in seen:
            first = seen[row.norm]
            raise InputError(
                row.file,
                "each cadre once in the checklist: "
                f"{_where(first)} and {_where(row)} have the same name, so they are two "
                "people the pipeline cannot tell apart (or one cadre entered twice); "
                "write the names apart or delete the copy",
                row=row.row,
                column=f"{row.sheet}!{name_header}",
                found=f"{_where(first)} and {_where(row)} share a name",
            )
        seen[row.norm] = row


def _overrides(
    overrides: pd.DataFrame, file: str | None, all_norms: set[str], titles: Sequence[str]
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    forced, forbidden = [], []
    for record in overrides.to_dict("records"):
        a = normalise_name(record["name_a"], titles)
        b = normalise_name(record["name_b"], titles)
        for column, norm in (("name_a", a), ("name_b", b)):
            if norm not in all_norms:
                raise InputError(
                    file or "match_overrides.csv",
                    "a name found in this cohort's exports (after removing titles, case "
                    "and punctuation)",
                    row=int(record["source_row"]),
                    column=column,
                    found="a name that no export of the cohort holds",
                )
        if record["decision"] == "match":
            forced.append((a, b, int(record["source_row"])))
        else:
            forbidden.append((a, b))
    return forced, forbidden


@dataclass
class _Person:
    rows: dict[str, _Row] = field(default_factory=dict)
    matches: list[tuple[_Row, _Row, str, float]] = field(default_factory=list)

    @property
    def aliases(self) -> list[str]:
        return [r.norm for r in self.rows.values()]

    @property
    def canonical(self) -> str:
        for source in (*KNOWLEDGE_SOURCES, "skill"):
            if source in self.rows:
                return self.rows[source].norm
        raise ValueError("person without rows")


def _match_into(
    people: list[_Person],
    rows: list[_Row],
    source: str,
    rules: CleaningRules,
    forced: list[tuple[str, str, int]],
    forbidden: list[tuple[str, str]],
) -> None:
    """Match the used rows of ``source`` to ``people``; unmatched rows become new people."""
    used = [r for r in rows if r.action is None]
    left = {f"{i:06d}": p.aliases for i, p in enumerate(people)}
    by_norm = {r.norm: r for r in used}
    found = match_names(
        left,
        sorted(by_norm),
        rules.fuzzy_threshold,
        forced=[(a, b) for a, b, _ in forced],
        forbidden=forbidden,
    )
    matched: set[str] = set()
    for record in found.to_dict("records"):
        person = people[int(record["left"])]
        row = by_norm[record["right"]]
        partner = next(iter(person.rows.values()))
        if record["method"] == "fuzzy":
            for flagged, other in ((partner, row), (row, partner)):
                flagged.flags.append(
                    ("fuzzy_name_match", f"{record['score']:.1f} with {_where(other)}")
                )
        elif record["method"] == "override":
            aliases = set(person.aliases)
            override_row = min(
                n
                for a, b, n in forced
                if (a in aliases and b == row.norm) or (b in aliases and a == row.norm)
            )
            for touched in (partner, row):
                touched.reasons.append(("override_match", f"row {override_row}"))
        person.rows[source] = row
        person.matches.append((partner, row, record["method"], float(record["score"])))
        matched.add(record["right"])
    for row in used:
        if row.norm not in matched:
            people.append(_Person(rows={source: row}))


def _answers_reasons(rows: list[_Row], frame: pd.DataFrame, key: Mapping[str, str]) -> None:
    """Rule 9 for one export: note blank answers, flag totals that disagree with the key.

    A total ``p / m`` agrees when ``p / m = n_correct / n_items``; a bare total ``p``
    when ``p = n_correct`` (both within 1e-9).  Computed for all rows at once.
    """
    items = list(key)
    answers = frame[items]
    blank = answers.isna().to_numpy()
    # numpy on the cells, not DataFrame == Series (a column-aligned comparison per column
    # of text took a third of this rule's time); a blank cell (None) matches no key.
    cells = answers.to_numpy(dtype=object, na_value=None)
    n_correct = (cells == np.array([key[item] for item in items], dtype=object)).sum(axis=1)
    n_items = len(items)
    points = frame["total_reported"].to_numpy(dtype=float)
    maximum = frame["total_possible"].to_numpy(dtype=float)
    bare = np.isnan(maximum)
    with np.errstate(invalid="ignore", divide="ignore"):
        export = np.where(bare, points, points / maximum)
    by_key = np.where(bare, n_correct, n_correct / n_items)
    disagrees = ~np.isnan(points) & ~(np.abs(export - by_key) < 1e-9)
    coding = frame.attrs.get("answer_coding")
    for row in rows:
        if row.action is not None:
            continue
        i = row.index
        if coding is not None:
            row.reasons.append(("coded_answers", coding))
        if blank[i].any():
            row.reasons.append(("blank_answers", ", ".join(np.asarray(items)[blank[i]])))
        if disagrees[i]:
            shown = f"{points[i]:g}" + ("" if np.isnan(maximum[i]) else f" / {maximum[i]:g}")
            row.flags.append(("total_mismatch", f"export {shown}; key {n_correct[i]} of {n_items}"))


def clean_cohort(
    cohort: str,
    *,
    pre: pd.DataFrame | None = None,
    post: pd.DataFrame | None = None,
    follow_ups: Mapping[str, pd.DataFrame] | None = None,
    knowledge_instrument: pd.DataFrame | None = None,
    skill: pd.DataFrame | None = None,
    skill_instrument: pd.DataFrame | None = None,
    skill_name_header: str = "Nama Kader",
    overrides: pd.DataFrame | None = None,
    overrides_file: str | None = None,
    cleaning: Mapping[str, object] | None = None,
    code: str | None = None,
    typed: bool = True,
) -> dict[str, pd.DataFrame]:
    """Clean one cohort's frames as read by :mod:`analisis.ingest`.

    Parameters
    ----------
    cohort : str
        Cohort id, written in every table.
    pre, post : DataFrame, optional
        From :func:`analisis.ingest.read_knowledge_export`; both or neither.
    follow_ups : mapping of str to DataFrame, optional
        The delayed post-tests by phase (``fu1``, ``fu2``, ... in time order), read as
        pre and post; only with pre and post.
    knowledge_instrument : DataFrame, optional
        From :func:`analisis.ingest.read_knowledge_instrument` (required with pre/post).
    skill : DataFrame, optional
        From :func:`analisis.ingest.read_skill_workbook`.
    skill_instrument : DataFrame, optional
        From :func:`analisis.ingest.read_skill_instrument` (required with skill).
    skill_name_header : str
        Name column header of the checklist, for error messages.
    overrides : DataFrame, optional
        From :func:`analisis.ingest.read_match_overrides`.
    overrides_file : str, optional
        Its path, for error messages.
    cleaning : mapping, optional
        The ``cleaning:`` block (see :class:`CleaningRules`).
    code : str, optional
        Village code prefixed to the pseudonyms (``DLM-K01``, ``DLM-A01``) in a study of
        two or more villages (:func:`analisis.shards.village_codes`); None: ``K01``, ``A01``.
    typed : bool
        False: the tables' columns as built, neither typed nor sorted, for
        :func:`clean_study` to type and sort once for all its cohorts (per cohort, that
        was an eighth of a shard's time).

    Returns
    -------
    dict of str to DataFrame
        ``responses``, ``skill_steps``, ``participants``, ``cleaning_log``, ``linkage``,
        ``matches`` (schemas in :mod:`analisis.tables`; ``linkage`` and ``matches`` hold
        names and belong under ``private/``).

    Raises
    ------
    InputError
        Namesakes in one source, an override naming nobody in the cohort, pre- and
        post-tests without a single person in both.
    """
    rules = CleaningRules.from_config(cleaning)
    follow_ups = dict(follow_ups or {})
    if list(follow_ups) != list(tables.FOLLOW_UP_PHASES[: len(follow_ups)]):
        raise ValueError(
            f"follow_ups: expected phases fu1, fu2, ... in order, got {list(follow_ups)}"
        )
    if follow_ups and (pre is None or post is None):
        raise ValueError("follow_ups need the pre and post frames")
    given = (("pre", pre), ("post", post), *follow_ups.items(), ("skill", skill))
    sources = {source: frame.reset_index(drop=True) for source, frame in given if frame is not None}
    if set(KNOWLEDGE_SOURCES) & set(sources) and knowledge_instrument is None:
        raise ValueError("knowledge_instrument is required with pre/post frames")
    if "skill" in sources and skill_instrument is None:
        raise ValueError("skill_instrument is required with a skill frame")
    state = _Cohort(cohort, rules, sources, knowledge_instrument, code=code)
    _drop_unusable(state)
    _resolve_within_sources(state, skill_name_header)
    forced, forbidden = _overrides(
        overrides if overrides is not None else ingest.read_match_overrides(None),
        overrides_file,
        {r.norm for source_rows in state.rows.values() for r in source_rows if r.norm},
        rules.name_titles,
    )
    for source in sources:  # pre, post, the follow-ups, then the checklist
        _match_into(state.people, state.rows[source], source, rules, forced, forbidden)
    _check_someone_paired(state)
    _assign_pseudonyms(state)
    assessor_ids, assessor_names = _assessors(state)
    records = {
        "responses": _response_records(state),
        "skill_steps": _step_records(state, skill_instrument),
        "participants": _participant_records(state, assessor_ids),
        "cleaning_log": _log_records(state),
        "linkage": _linkage_records(state, assessor_ids, assessor_names),
        "matches": _match_records(state),
    }
    if not typed:
        return {name: _frame(rows, name) for name, rows in records.items()}
    return {name: _table(rows, name) for name, rows in records.items()}


@dataclass
class _Cohort:
    """One cohort while it is cleaned: its sources, their rows, the people found."""

    cohort: str
    rules: CleaningRules
    sources: dict[str, pd.DataFrame]
    knowledge_instrument: pd.DataFrame | None
    code: str | None = None
    rows: dict[str, list[_Row]] = field(default_factory=dict)
    people: list[_Person] = field(default_factory=list)
    pid: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        norms: dict[str, str] = {}
        for source, frame in self.sources.items():
            self.rows[source] = _source_rows(source, frame, self.rules.name_titles, norms)

    @property
    def knowledge_sources(self) -> list[str]:
        """The knowledge tests of this cohort, in time order (pre, post, fu1, ...)."""
        return [source for source in KNOWLEDGE_SOURCES if source in self.sources]

    @property
    def key(self) -> dict[str, str]:
        """Item id -> correct letter, in test order (empty without a knowledge test)."""
        if self.knowledge_instrument is None:
            return {}
        instrument = self.knowledge_instrument
        return dict(zip(instrument["item_id"], instrument["answer"], strict=True))


def _source_rows(
    source: str, frame: pd.DataFrame, titles: Sequence[str], norms: dict[str, str]
) -> list[_Row]:
    """The rows of one source; ``norms`` caches normalised names across a cohort's sources."""
    sheets = frame["sheet"].tolist() if "sheet" in frame else [None] * len(frame)
    # Exports repeat each name (resubmissions, pre and post); normalise each once.
    for name in frame["name"].dropna().unique():
        if name not in norms:
            norms[name] = normalise_name(name, titles)
    return [
        _Row(
            source,
            i,
            str(file),
            None if pd.isna(sheet) else str(sheet),
            int(number),
            None if pd.isna(name) else str(name),
            "" if pd.isna(name) else norms[name],
        )
        for i, (file, sheet, number, name) in enumerate(
            zip(
                frame["source_file"].tolist(),
                sheets,
                frame["source_row"].tolist(),
                frame["name"].tolist(),
                strict=True,
            )
        )
    ]


def _drop_unusable(state: _Cohort) -> None:
    """Rules 1 to 3: rows without a name, test and blank submissions are dropped."""
    patterns: dict[tuple[str | None, str], str | None] = {}  # names repeat: match each once
    for source_rows in state.rows.values():
        for row in source_rows:
            if not row.norm:
                row.action = "dropped"
                row.reasons.append(("no_name", ""))
                continue
            if (row.name, row.norm) not in patterns:
                patterns[row.name, row.norm] = _matches_test_pattern(row, state.rules)
            pattern = patterns[row.name, row.norm]
            if pattern is not None:
                row.action = "dropped"
                row.reasons.append(("test_submission", pattern))
    for source in state.knowledge_sources:
        _mark_blank_submissions(state, source)


def _mark_blank_submissions(state: _Cohort, source: str) -> None:
    """A submission with every answer blank is excluded, or kept scored zero if configured.

    Such a row is almost always a form opened and sent by mistake; scored as zero it
    would pull the phase's mean down by a score nobody earned.  It is judged before
    duplicates, so a real resubmission of the same person is used instead.
    """
    empty = state.sources[source][list(state.key)].isna().all(axis=1).to_numpy()
    for row in state.rows[source]:
        if row.action is None and empty[row.index]:
            if state.rules.keep_blank_submissions:
                row.flags.append(("blank_submission_scored_zero", ""))
            else:
                row.action = "dropped"
                row.reasons.append(("blank_submission", ""))


def _resolve_within_sources(state: _Cohort, skill_name_header: str) -> None:
    """Rules 4 and 5: namesakes are errors; duplicates in one export are merged."""
    item_ids = list(state.key)
    for source in state.knowledge_sources:
        _resolve_duplicates(state.rows[source], state.sources[source], item_ids, state.rules)
    if "skill" in state.sources:
        _check_checklist_namesakes(state.rows["skill"], skill_name_header)


def _export_file(state: _Cohort, source: str) -> str:
    files = state.sources[source]["source_file"]
    return str(files.iloc[0]) if len(files) else f"the {source}-test export"


def _check_someone_paired(state: _Cohort) -> None:
    """With both tests, at least one person must have both; else stop, saying why.

    Zero pairs leave nothing to compare; the statistics would fail far from the cause.
    """
    if not {"pre", "post"} <= set(state.sources):
        return
    if any({"pre", "post"} <= set(person.rows) for person in state.people):
        return
    used = {s: sum(r.action is None for r in state.rows[s]) for s in ("pre", "post")}
    if not all(used.values()):
        empty = [s for s in ("pre", "post") if not used[s]]
        why = f"the {' and '.join(empty)}-test has no usable submission (see the cleaning rules)"
    else:
        why = (
            f"no name in the post-test ({used['post']} submissions) matched any in the "
            f"pre-test ({used['pre']}); are both exports of cohort {state.cohort!r} from the "
            "same training? Names spelt apart can be matched in match_overrides"
        )
    raise InputError(
        f"{_export_file(state, 'pre')} and {_export_file(state, 'post')}",
        f"at least one cadre with both a pre-test and a post-test in cohort "
        f"{state.cohort!r} ({why})",
        found="nobody paired",
    )


def _assign_pseudonyms(state: _Cohort) -> None:
    """Rules 8 and 10: pseudonyms for people, missing partners flagged, merged rows attached."""
    order = pseudonym_order(state.cohort, [p.canonical for p in state.people])
    ids = pseudonyms(pseudonym_prefix(state.code, "K"), len(state.people))
    state.pid = {position: ids[rank] for rank, position in enumerate(order)}
    for position, person in enumerate(state.people):
        for row in person.rows.values():
            row.person = position
        for source in state.sources:
            if source not in person.rows:
                unpaired = source in ("pre", "post") and {"pre", "post"} & set(person.rows)
                detail = "unpaired" if unpaired else ""
                missing = (MISSING_CODES[source], source if source.startswith("fu") else detail)
                for row in person.rows.values():
                    row.flags.append(missing)
    for source_rows in state.rows.values():
        chosen_by_norm = {r.norm: r for r in source_rows if r.action is None}
        for row in source_rows:
            if row.action == "merged":
                row.person = chosen_by_norm[row.norm].person


def _assessors(state: _Cohort) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Assessor pseudonyms ``A01…`` in order of first appearance, and their raw spellings."""
    assessor_ids: dict[str, str] = {}
    assessor_names: dict[str, set[str]] = {}
    if "skill" in state.sources:
        titles = state.rules.name_titles
        names = [a for a in state.sources["skill"]["assessor"] if pd.notna(a)]
        distinct = list(dict.fromkeys(normalise_name(a, titles) for a in names))
        prefix = pseudonym_prefix(state.code, "A")
        assessor_ids = dict(zip(distinct, pseudonyms(prefix, len(distinct)), strict=True))
        for raw in names:
            assessor_names.setdefault(normalise_name(raw, titles), set()).add(raw)
    return assessor_ids, assessor_names


def _response_records(state: _Cohort) -> pd.DataFrame:
    """Rule 9: one response per used submission and item (blank: wrong); reasons noted."""
    key = state.key
    parts = []
    for source in state.knowledge_sources:
        frame = state.sources[source]
        _answers_reasons(state.rows[source], frame, key)
        used = [row for row in state.rows[source] if row.action is None]
        answers = frame[list(key)].iloc[[row.index for row in used]].to_numpy(dtype=object)
        parts.append(
            pd.DataFrame(
                {
                    "cohort": state.cohort,
                    # Object arrays repeat references to one str each, not millions of copies.
                    "participant_id": np.repeat(
                        np.array([state.pid[r.person] for r in used], dtype=object), len(key)
                    ),
                    "phase": source,
                    "item_id": np.tile(np.array(list(key), dtype=object), len(used)),
                    "response": answers.ravel(),
                    "correct": (answers == np.asarray(list(key.values()), dtype=object)).ravel(),
                }
            )
        )
    columns = tables.schema("responses").column_names
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _step_records(state: _Cohort, skill_instrument: pd.DataFrame | None) -> list[tuple]:
    """The points of every used checklist row and step."""
    if "skill" not in state.sources:
        return []
    frame = state.sources["skill"]
    maxima = dict(zip(skill_instrument["step_id"], skill_instrument["max_points"], strict=True))
    points = {step_id: frame[step_id].to_numpy() for step_id in maxima}
    return [
        (state.cohort, state.pid[row.person], step_id, int(points[step_id][row.index]), top)
        for row in state.rows["skill"]
        if row.action is None
        for step_id, top in maxima.items()
    ]


def _participant_records(state: _Cohort, assessor_ids: Mapping[str, str]) -> list[tuple]:
    """Rule 7: each person's group (checklist sheet, else a knowledge export) and assessor."""
    # Columns as arrays once: indexing a frame per person would be quadratic in practice.
    groups = {s: f["group"].to_numpy() for s, f in state.sources.items() if "group" in f}
    assessors = state.sources["skill"]["assessor"].to_numpy() if "skill" in state.sources else []
    participants = []
    for position, person in enumerate(state.people):
        group = assessor = None
        if "skill" in person.rows:
            index = person.rows["skill"].index
            group = groups["skill"][index]
            if pd.notna(assessors[index]):
                norm = normalise_name(assessors[index], state.rules.name_titles)
                assessor = assessor_ids[norm]
        else:
            # Without a checklist row, a group column of the knowledge export may say it.
            for source in state.knowledge_sources:
                if source in person.rows and source in groups:
                    value = groups[source][person.rows[source].index]
                    if pd.notna(value):
                        group = value
                        break
        participants.append(
            (
                state.cohort,
                state.pid[position],
                group,
                assessor,
                "pre" in person.rows,
                "post" in person.rows,
                "skill" in person.rows,
            )
        )
    return participants


def _log_records(state: _Cohort) -> list[tuple]:
    """One log row per raw row: its action, the reasons, its person."""
    log = []
    for source_rows in state.rows.values():
        for row in source_rows:
            action = row.action or ("flagged" if row.flags else "kept")
            notes = list(dict.fromkeys([*row.flags, *row.reasons])) or [("used", "")]
            reason = ";".join(code for code, _ in notes)
            # Empty, not "", so the table reads back from CSV unchanged.
            detail = "; ".join(f"{code}: {text}" for code, text in notes if text) or None
            participant = state.pid[row.person] if row.person is not None else None
            log.append(
                (state.cohort, row.file, row.sheet, row.row, action, reason, detail, participant)
            )
    return log


def _linkage_records(
    state: _Cohort, assessor_ids: Mapping[str, str], assessor_names: Mapping[str, set[str]]
) -> list[tuple]:
    """The private linkage: pseudonym, canonical name and every spelling seen."""
    seen: dict[int, set[str]] = {}
    for source_rows in state.rows.values():
        for row in source_rows:
            if row.person is not None:
                seen.setdefault(row.person, set()).add(row.name)
    linkage = [
        (
            state.cohort,
            state.pid[position],
            "participant",
            person.canonical,
            " | ".join(sorted(seen[position])),
        )
        for position, person in enumerate(state.people)
    ]
    for norm, code in assessor_ids.items():
        names = " | ".join(sorted(assessor_names[norm]))
        linkage.append((state.cohort, code, "assessor", norm, names))
    return linkage


def _match_records(state: _Cohort) -> list[tuple]:
    """The private matches table: both rows of every cross-file match."""
    return [
        (
            state.cohort,
            state.pid[position],
            *(a.file, a.sheet, a.row, a.norm),
            *(b.file, b.sheet, b.row, b.norm),
            method,
            score,
        )
        for position, person in enumerate(state.people)
        for a, b, method, score in person.matches
    ]


def _frame(records: list[tuple] | pd.DataFrame, name: str) -> pd.DataFrame:
    return pd.DataFrame(records, columns=tables.schema(name).column_names)


def _table(records: list[tuple] | pd.DataFrame, name: str) -> pd.DataFrame:
    return tables.sort_table(tables.coerce(_frame(records, name), name), name)


def check_log_complete(log: pd.DataFrame, frames: Sequence[pd.DataFrame]) -> None:
    """Raise :class:`AccountingError` unless every raw row has exactly one log row.

    Parameters
    ----------
    log : DataFrame
        The cleaning log of the cohort(s) the frames belong to.
    frames : sequence of DataFrame
        The frames as read by :mod:`analisis.ingest` (``source_file``, ``source_row``,
        optionally ``sheet``).

    Examples
    --------
    >>> raw = pd.DataFrame({"source_file": ["a", "a"], "source_row": [2, 3]})
    >>> log = pd.DataFrame({"source_file": ["a"], "sheet": [None], "source_row": [2]})
    >>> check_log_complete(log, [raw])
    Traceback (most recent call last):
    ...
    analisis.clean.AccountingError: cleaning log: 2 raw rows read, 1 accounted for; \
unaccounted: a row 3
    """

    def keys(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
        sheets = frame["sheet"] if "sheet" in frame else pd.Series([None] * len(frame))
        # Whole columns converted at once: a Python call per cell would dominate.
        files = frame["source_file"].astype(str).tolist()
        sheets = sheets.astype(object).where(sheets.notna(), "").astype(str).tolist()
        return list(zip(files, sheets, frame["source_row"].astype(int).tolist(), strict=True))

    raw = [k for frame in frames for k in keys(frame)]
    logged = keys(log)
    if len(logged) != len(set(logged)):
        raise AccountingError("cleaning log: a raw row is logged more than once")
    missing = sorted(set(raw) - set(logged))
    extra = sorted(set(logged) - set(raw))
    if missing or extra or len(raw) != len(logged):
        listed = ", ".join(f"{f}{' ' + s if s else ''} row {r}" for f, s, r in missing[:5])
        raise AccountingError(
            f"cleaning log: {len(raw)} raw rows read, {len(logged)} accounted for"
            + (f"; unaccounted: {listed}" if missing else "")
            + (f"; {len(extra)} logged rows were never read" if extra else "")
        )


def _check_distinct_files(cohort: str, files: Sequence[str]) -> None:
    """Two tests of one cohort naming the same export are a config error (which keys)."""
    keys = ["pre", "post", *(f"follow_up[{i}].file" for i in range(len(files) - 2))]
    seen: dict[Path, str] = {}
    for key, file in zip(keys, files, strict=True):
        earlier = seen.setdefault(Path(file).resolve(), key)
        if earlier != key:
            raise ConfigError(
                f"cohorts[{cohort}].knowledge: {earlier} and {key} name the same file {file!r}"
            )


def _check_wave_order(cohort: str, waves: Sequence[Mapping[str, object]]) -> None:
    """Follow-ups must be listed in time order: ``days_after_training`` increasing."""
    days = [int(wave["days_after_training"]) for wave in waves]
    for i in range(1, len(days)):
        if days[i] <= days[i - 1]:
            raise ConfigError(
                f"cohorts[{cohort}].knowledge.follow_up[{i}].days_after_training: expected "
                f"more than {days[i - 1]} (the waves in time order), found {days[i]}"
            )


def read_cohort(
    cohort: Mapping[str, object], instruments: dict[tuple[str, str], pd.DataFrame] | None = None
) -> dict[str, object]:
    """Read one cohort's raw files and instruments as named in its config entry.

    ``instruments`` keeps the instruments read so far, by kind and path: the villages of a
    programme share one test and one checklist, read once per shard, not once per village.
    Returns a dict of keyword arguments for :func:`clean_cohort` (plus ``cohort``).
    """
    instruments = {} if instruments is None else instruments

    def instrument_of(kind: str, path: str, read) -> pd.DataFrame:
        if (kind, path) not in instruments:
            instruments[kind, path] = read(path)
        return instruments[kind, path]

    result: dict[str, object] = {"cohort": str(cohort["id"])}
    knowledge = cohort.get("knowledge")
    if knowledge:
        waves = knowledge.get("follow_up") or []
        files = [knowledge["pre"], knowledge["post"], *(wave["file"] for wave in waves)]
        _check_distinct_files(str(cohort["id"]), files)
        _check_wave_order(str(cohort["id"]), waves)
        instrument = instrument_of(
            "knowledge", str(knowledge["instrument"]), ingest.read_knowledge_instrument
        )
        options = {
            "columns": knowledge.get("columns") or {},
            "encoding": knowledge.get("encoding") or "auto",
            "timestamp_format": knowledge.get("timestamp_format"),
            "option_codes": knowledge.get("option_codes") or (),
        }
        result["knowledge_instrument"] = instrument
        result["pre"] = ingest.read_knowledge_export(knowledge["pre"], instrument, **options)
        result["post"] = ingest.read_knowledge_export(knowledge["post"], instrument, **options)
        if waves:
            result["follow_ups"] = {
                phase: ingest.read_knowledge_export(wave["file"], instrument, **options)
                for phase, wave in zip(tables.FOLLOW_UP_PHASES, waves, strict=False)
            }
    skill = cohort.get("skill")
    if skill:
        instrument = instrument_of("skill", str(skill["instrument"]), ingest.read_skill_instrument)
        name_header = skill.get("name_header") or "Nama Kader"
        result["skill_instrument"] = instrument
        result["skill_name_header"] = name_header
        result["skill"] = ingest.read_skill_workbook(
            skill["workbook"], instrument, skill.get("sheets") or (), name_header
        )
    overrides_file = cohort.get("match_overrides")
    if overrides_file:
        result["overrides"] = ingest.read_match_overrides(overrides_file)
        result["overrides_file"] = str(overrides_file)
    return result


def clean_study(
    cohorts: Sequence[Mapping[str, object]],
    cleaning: Mapping[str, object] | None = None,
    codes: Mapping[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Read and clean every cohort; the first half of the clean_score_shard rule.

    Parameters
    ----------
    cohorts : sequence of mapping
        The ``cohorts:`` entries of the config (``id``, ``knowledge``, ``skill``,
        ``match_overrides``; paths relative to the working directory).
    cleaning : mapping, optional
        The ``cleaning:`` block.
    codes : mapping of str to str, optional
        ``{cohort id: village code}`` of the whole study (:func:`analisis.shards.study_codes`),
        when ``cohorts`` are one shard of it; None: computed from ``cohorts``.

    Returns
    -------
    dict of str to DataFrame
        As :func:`clean_cohort`, all cohorts together, sorted, schema-checked, and with
        the cleaning log proven complete by :func:`check_log_complete`.
    """
    parts: dict[str, list[pd.DataFrame]] = {}
    ids = [str(c["id"]) for c in cohorts]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"cohorts: ids must be unique, found {ids}")
    # One village keeps K01/A01; with several, pseudonyms carry the study's village code.
    codes = study_codes(cohorts) if codes is None else codes
    instruments: dict[tuple[str, str], pd.DataFrame] = {}
    for cohort in cohorts:
        read = read_cohort(cohort, instruments)
        result = clean_cohort(
            **read, cleaning=cleaning, code=codes.get(str(cohort["id"])), typed=False
        )
        frames = [read[k] for k in ("pre", "post", "skill") if k in read]
        frames += list(read.get("follow_ups", {}).values())
        check_log_complete(result["cleaning_log"], frames)
        log = result["cleaning_log"]
        participants = result["participants"]
        logger.info(
            "cohort %s: %d raw rows (%s); %d people, %d with pre and post",
            cohort["id"],
            len(log),
            ", ".join(f"{n} {a}" for a, n in sorted(log["action"].value_counts().items())),
            len(participants),
            int((participants["in_pre"].astype(bool) & participants["in_post"].astype(bool)).sum()),
        )
        for name, frame in result.items():
            parts.setdefault(name, []).append(frame)
    return {
        name: tables.validate(_table(pd.concat(frames, ignore_index=True), name), name)
        for name, frames in parts.items()
    }
