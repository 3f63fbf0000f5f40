"""Generator of the bundled study: raw exports RECONSTRUCTED from the paper's published means.

Kurniyati et al. (2026) publish only summary figures for the 23 posyandu cadres of Desa
Kampung Delima: knowledge pre-test mean 76, post-test mean 99.50 (impossible for 23
scores on a 25-item test; 99.48 is the nearest attainable) and a skill-checklist mean of
87.26. This module invents individual data that reproduce exactly those figures and
writes them in the shape the field tools produce (Google Forms CSV with Indonesian
headers, an Excel checklist workbook with one sheet per mentoring group), including the
messiness of real exports. None of it is the authors' data; every name, phone number and
answer is fictitious.

What is fixed by design (so that every seed reproduces the targets exactly) is the table
:data:`CADRES`: each cadre's number of correct answers before and after, and her
checklist points. The seed only decides *which* items are wrong, which distractor was
chosen, the order and time of the submissions, the phone numbers and which checklist
steps lost points.

Run ``python -m analisis.synth --out data/raw/kampung_delima --instruments
config/instruments`` to regenerate the committed files byte for byte.

References
----------
Kurniyati, Sari, W. I. P. E., Andini, I. F., & Esmianti, F. (2026). Pemberdayaan peran
kader dalam meningkatkan produksi ASI melalui teknik pijat laktasi optimalkan kesehatan
bayi. *Jurnal Kreativitas Pengabdian kepada Masyarakat*, 9(5).
https://doi.org/10.33024/jkpm.v9i5.25420
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.xml.functions import tostring

from analisis.synth.common import (
    DUPLICATE_GAP,
    FORM_HEADERS,
    FORMS_FORMAT,
    NAME_TITLES,
    PHONE_PREFIXES,
    POST_FILE,
    PRE_FILE,
    SEED,
    WORKBOOK_FILE,
    WORKBOOK_STAMP,
    checklist_rows,
    format_phone,
    format_timestamp,
    format_total,
    rows_csv_text,
    write_file,
)
from analisis.synth.instruments import (
    CHECKLIST_INSTRUMENT,
    HARD,
    ITEMS,
    KNOWLEDGE_INSTRUMENT,
    STEPS,
    write_instruments,
)

RECONSTRUCTED_NOTE = (
    "DATA REKONSTRUKSI dari rerata yang dipublikasikan (Kurniyati dkk., 2026), BUKAN data "
    "asli penulis; semua nama dan nomor HP fiktif. / RECONSTRUCTED from the paper's "
    "published means, NOT the authors' data; all names and phone numbers are fictitious."
)

OVERRIDES_FILE = "match_overrides.csv"
README_FILE = "README.md"


@dataclass(frozen=True)
class Cadre:
    """A fictitious cadre and the spellings of her name in each raw file.

    ``pre_correct``/``post_correct`` are items right out of 25; ``skill_points`` out of 43.
    """

    name: str
    pre_name: str
    post_name: str
    sheet_name: str
    pre_correct: int
    post_correct: int
    group: int
    skill_points: int


#: The design table. Sums: pre 437 (mean 76.00), post 572 (mean 99.478...), skill 863 of
#: 23 x 43 (mean 87.2599...). Name variants: the pre/post/sheet spellings as written.
CADRES: tuple[Cadre, ...] = (
    Cadre("Sri Wahyuni", "Sri Wahyuni", "Sri Wahyuni", "Sri Wahyuni", 21, 25, 1, 38),
    Cadre("Desi Ratnasari", "Desi Ratnasari", "Desi Ratnasari", "Desi Ratnasari", 19, 25, 1, 40),
    Cadre("Yusnita", "Yusnita", "Ibu Yusnita", "Yusnita", 18, 25, 1, 36),
    Cadre("Herlina", "Herlina", "Herlina", "Herlina", 20, 25, 1, 39),
    Cadre("Leli Suryani", "Leli  Suryani ", "Leli Suryani", "Leli Suryani", 22, 25, 1, 41),
    Cadre("Nurhayati", "Hj. Nurhayati", "Nurhayati", "Nurhayati", 19, 25, 1, 38),
    Cadre("Eka Susanti", "Eka Susanti", "Eka Susanti", "Ny. Eka Susanti", 17, 25, 2, 35),
    Cadre("Leni Marlina", "Leni Marlina", "LENI MARLINA", "Leni Marlina", 16, 25, 2, 37),
    Cadre("Yulia Fitri", "Yulia Fitri", "Yulia Fitri", "Yulia Fitri", 21, 25, 2, 39),
    Cadre("Maryani", "Maryani", "Maryani", "Maryani", 15, 24, 2, 34),
    Cadre("Rika Oktaviani", "Rika Oktaviani", "Rika Oktaviani", "Rika Oktaviani", 19, 25, 2, 38),
    Cadre("Dewi Sartika", "Dewi Sartika", "Dewi Sartika", "Dewi S.", 18, 25, 2, 36),
    Cadre("Fitriani", "Fitriani", "Fitriani", "bu fitriani", 20, 25, 3, 40),
    Cadre(
        "Septi Wulandari", "Septi Wulandari", "Septy Wulandari", "Septi Wulandari", 23, 25, 3, 42
    ),
    Cadre("Misnawati", "Misnawati", "Misnawati", "Misnawati", 19, 25, 3, 38),
    Cadre("Elvi Yanti", "Elvi Yanti", "Elvi Yanti", "Elvi Yanti", 22, 25, 3, 37),
    Cadre("Juliana", "Juliana", "Juliana", "Juliana", 18, 25, 3, 39),
    Cadre("Rusmini", "Rusmini", "Rusmini", "Rusmini", 16, 24, 3, 34),
    Cadre("Rita Zahara", "Rita Zahara", "Rita Zahara", "Rita Zahara", 21, 25, 4, 33),
    Cadre("Tuti Alawiyah", "Tuti Alawiyah", "Tuti Alawiyah", "Tuti Alawiyah", 17, 24, 4, 36),
    Cadre("Novi Andriani", "Novi Andriani", "Novi Andriani", "Novi Andriani", 19, 25, 4, 38),
    Cadre("Sulastri", "Sulastri", "Sulastri", "Sulastri", 18, 25, 4, 37),
    Cadre("Joni Iskandar", "Joni Iskandar", "Joni Iskandar", "Joni Iskandar", 19, 25, 4, 38),
)

#: Mentoring groups: (assessor, assessment date).
GROUPS: dict[int, tuple[str, date]] = {
    1: ("Bd. Yeni Oktarina, S.ST., M.Keb", date(2024, 9, 18)),
    2: ("Bd. Marlini Safitri, M.Keb", date(2024, 9, 26)),
    3: ("Bd. Helmi Yanti, S.Tr.Keb., M.Kes", date(2024, 10, 10)),
    4: ("Putri Andayani (mahasiswa D III Kebidanan Curup)", date(2024, 10, 24)),
}

#: The messiness, tied to cadres by name so that the design is readable.
TEST_SUBMISSION_NAME = "Tes Fasilitator"
DUPLICATE_POST = "Herlina"
DUPLICATE_ANSWERED = 16
BLANK_PRE = "Juliana"
TOTAL_MISMATCH_POST = "Rusmini"
OVERRIDE = ("Dewi Sartika", "Dewi S.", "match")

PRE_DAY = datetime(2024, 9, 6, 8, 5, 0)
POST_DAY = datetime(2024, 9, 7, 15, 10, 0)


def attainable_means(total_max: int, n: int, target: str = "87.26") -> list[int]:
    """Return every point total over ``n`` cadres whose mean score rounds half-up to ``target``.

    Each cadre's score is points / ``total_max`` x 100, so the mean of ``n`` scores is
    100 T / (n ``total_max``) for the grand total T; exact rational arithmetic avoids
    deciding a half-way case in binary floating point.

    Examples
    --------
    >>> attainable_means(40, 23), attainable_means(43, 23)
    ([], [863])
    """
    wanted = Decimal(target)
    totals = []
    for total in range(n * total_max + 1):
        mean = Fraction(100 * total, n * total_max)
        rounded = (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
            wanted, rounding=ROUND_HALF_UP
        )
        if rounded == wanted:
            totals.append(total)
    return totals


def draw_wrong_items(rng: np.random.Generator, n_wrong: int, weights: np.ndarray) -> np.ndarray:
    """Choose ``n_wrong`` distinct item positions, harder items (larger weight) more often.

    Examples
    --------
    >>> sorted(draw_wrong_items(np.random.default_rng(1), 2, np.array([1.0, 0, 5, 0])).tolist())
    [0, 2]
    """
    if n_wrong == 0:
        return np.array([], dtype=int)
    return np.sort(rng.choice(len(weights), size=n_wrong, replace=False, p=weights / weights.sum()))


def answer_texts(rng: np.random.Generator, wrong: np.ndarray) -> list[str]:
    """Return one answer text per item: the key where right, a random distractor where wrong.

    Examples
    --------
    >>> texts = answer_texts(np.random.default_rng(0), np.array([0]))
    >>> texts[0] != ITEMS[0].options[0], texts[1] == ITEMS[1].options[1]
    (True, True)
    """
    texts = []
    for position, item in enumerate(ITEMS):
        key = "abcd".index(item.answer)
        if position in wrong:
            distractors = [k for k in range(4) if k != key]
            texts.append(item.options[int(rng.choice(distractors))])
        else:
            texts.append(item.options[key])
    return texts


def phone_number(rng: np.random.Generator) -> str:
    """Return a fictitious Indonesian mobile number, ``08xx-xxxx-xxxx``.

    Examples
    --------
    >>> len(phone_number(np.random.default_rng(0)))
    14
    """
    prefix = str(rng.choice(list(PHONE_PREFIXES)))
    return format_phone(prefix, rng.integers(0, 10, size=8))


def _times(rng: np.random.Generator, start: datetime, n: int) -> list[datetime]:
    seconds = np.sort(rng.choice(np.arange(60, 40 * 60), size=n, replace=False))
    return [start + timedelta(seconds=int(s)) for s in seconds]


def knowledge_exports(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the pre- and post-test exports as DataFrames in Google Forms column order.

    Cells are strings exactly as written to the CSV (blank answer = empty string). Rows are
    in submission order; the facilitator's test row, the duplicate and the deliberate
    ``Total skor`` mismatch are placed as documented in :data:`CADRES` and the constants.

    Examples
    --------
    >>> pre, post = knowledge_exports(np.random.default_rng(SEED))
    >>> pre.shape, post.shape, pre.iloc[0, :3].tolist()
    ((24, 29), (24, 29), ['06/09/2024 7:52:10', '25.00 / 25', 'Tes Fasilitator'])
    """
    weights = np.array([item.weight for item in ITEMS])
    n_items = len(ITEMS)
    header = [*FORM_HEADERS, *(item.question for item in ITEMS)]

    pre_rows: list[tuple[datetime, list[str]]] = []
    post_rows: list[tuple[datetime, list[str]]] = []
    phones = {cadre.name: phone_number(rng) for cadre in CADRES}
    pre_times = _times(rng, PRE_DAY, len(CADRES))
    post_times = _times(rng, POST_DAY, len(CADRES))
    pre_order = rng.permutation(len(CADRES))
    post_order = rng.permutation(len(CADRES))

    for slot, index in enumerate(pre_order):
        cadre = CADRES[index]
        wrong = draw_wrong_items(rng, n_items - cadre.pre_correct, weights)
        answers = answer_texts(rng, wrong)
        if cadre.name == BLANK_PRE:
            answers[int(rng.choice(wrong))] = ""
        total = format_total(cadre.pre_correct, n_items)
        pre_rows.append((pre_times[slot], [total, cadre.pre_name, phones[cadre.name], *answers]))

    for slot, index in enumerate(post_order):
        cadre = CADRES[index]
        wrong = draw_wrong_items(
            rng, n_items - cadre.post_correct, np.where(weights == HARD, 1.0, 0.0)
        )
        answers = answer_texts(rng, wrong)
        shown = cadre.post_correct + (cadre.name == TOTAL_MISMATCH_POST)
        row = [format_total(shown, n_items), cadre.post_name, phones[cadre.name], *answers]
        post_rows.append((post_times[slot], row))
        if cadre.name == DUPLICATE_POST:
            partial = answers[:DUPLICATE_ANSWERED] + [""] * (n_items - DUPLICATE_ANSWERED)
            n_partial = sum(
                text == item.options["abcd".index(item.answer)]
                for item, text in zip(ITEMS, partial, strict=True)
            )
            early = [format_total(n_partial, n_items), cadre.post_name, phones[cadre.name]]
            post_rows.append((post_times[slot] - DUPLICATE_GAP, [*early, *partial]))

    test_answers = [item.options["abcd".index(item.answer)] for item in ITEMS]
    test_row = [format_total(n_items, n_items), TEST_SUBMISSION_NAME, "", *test_answers]
    pre_rows.append((PRE_DAY - timedelta(minutes=12, seconds=50), test_row))

    def frame(rows: list[tuple[datetime, list[str]]]) -> pd.DataFrame:
        return pd.DataFrame(
            [[format_timestamp(moment), *cells] for moment, cells in sorted(rows)],
            columns=header,
            dtype=str,
        )

    return frame(pre_rows), frame(post_rows)


def skill_points(rng: np.random.Generator) -> pd.DataFrame:
    """Return checklist points per cadre and step (rows in :data:`CADRES` order).

    Each cadre starts from full marks and loses ``43 - skill_points`` points, one at a
    time, on steps drawn with probability proportional to the step's weight among the
    steps that still have points to lose; so her total is exact and the breast-massage
    movements are the weakest steps.

    Examples
    --------
    >>> points = skill_points(np.random.default_rng(SEED))
    >>> points.shape, int(points.to_numpy().sum())
    ((23, 23), 863)
    """
    maxima = np.array([step.max_points for step in STEPS])
    weights = np.array([step.weight for step in STEPS])
    rows = []
    for cadre in CADRES:
        points = maxima.copy()
        for _ in range(int(maxima.sum()) - cadre.skill_points):
            open_steps = weights * (points > 0)
            points[rng.choice(len(STEPS), p=open_steps / open_steps.sum())] -= 1
        rows.append(points)
    return pd.DataFrame(rows, columns=[step.step_id for step in STEPS])


def csv_text(frame: pd.DataFrame) -> str:
    r"""Render ``frame`` as Google Sheets writes CSV: comma, minimal quoting, CRLF line ends.

    Examples
    --------
    >>> csv_text(pd.DataFrame({"Nama": ["Siti, A."], "x": [""]}))
    'Nama,x\r\n"Siti, A.",\r\n'
    """
    return rows_csv_text(frame.columns, frame.itertuples(index=False, name=None))


def workbook_bytes(points: pd.DataFrame) -> bytes:
    """Return the checklist workbook as deterministic .xlsx bytes.

    One sheet per group (``Kelompok 1`` ... ``Kelompok 4``) in the layout of
    :func:`add_checklist_sheet`; see :func:`xlsx_bytes` for the fixed timestamps.
    """
    workbook = new_workbook(
        creator="Tim PkM Poltekkes Kemenkes Bengkulu (rekonstruksi)",
        title="Daftar tilik keterampilan pijat laktasi - DATA REKONSTRUKSI",
        description=RECONSTRUCTED_NOTE,
    )
    for group, (assessor, day) in GROUPS.items():
        members = [k for k, cadre in enumerate(CADRES) if cadre.group == group]
        add_checklist_sheet(
            workbook,
            group,
            assessor,
            day,
            [CADRES[k].sheet_name for k in members],
            [points.iloc[k].astype(int).tolist() for k in members],
        )
    return xlsx_bytes(workbook)


def new_workbook(creator: str, title: str, description: str):
    """Return an empty openpyxl workbook whose document properties carry :data:`WORKBOOK_STAMP`.

    Examples
    --------
    >>> new_workbook("Tim", "Judul", "catatan").properties.created.year
    2024
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = creator
    workbook.properties.lastModifiedBy = "analisis.synth"
    workbook.properties.title = title
    workbook.properties.description = description
    workbook.properties.created = WORKBOOK_STAMP
    workbook.properties.modified = WORKBOOK_STAMP
    return workbook


def add_checklist_sheet(
    workbook,
    group: int,
    assessor: str,
    day: date,
    names: Sequence[str],
    points: Sequence[Sequence[int]],
) -> None:
    """Append one mentoring group's checklist sheet, ``Kelompok <group>``, to ``workbook``.

    Label/value rows ``Kelompok``, ``Penilai``, ``Tanggal``, a blank row, the header
    ``No``, ``Nama Kader``, ``L01`` ... and one row per cadre (``names[k]`` with the step
    points ``points[k]``).

    Examples
    --------
    >>> book = new_workbook("Tim", "Judul", "catatan")
    >>> add_checklist_sheet(book, 2, "Bd. R", date(2024, 9, 18), ["Siti"], [[2] * len(STEPS)])
    >>> [row[:3] for row in book["Kelompok 2"].iter_rows(values_only=True)][4:]
    [('No', 'Nama Kader', 'L01'), (1, 'Siti', 2)]
    """
    sheet = workbook.create_sheet(f"Kelompok {group}")
    for row in checklist_rows(group, assessor, day, names, points):
        sheet.append(row)
    sheet["B3"].number_format = "DD/MM/YYYY"
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 22


def xlsx_bytes(workbook) -> bytes:
    """Save ``workbook`` as .xlsx bytes that depend on its content only.

    openpyxl stamps the current time into ``docProps/core.xml`` and every zip entry, so
    both are fixed to :data:`WORKBOOK_STAMP`.

    Examples
    --------
    >>> book = new_workbook("Tim", "Judul", "catatan")
    >>> _ = book.create_sheet("A")
    >>> xlsx_bytes(book) == xlsx_bytes(book)
    True
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    # save() overwrites `modified` with the current time, so core.xml is written again.
    workbook.properties.modified = WORKBOOK_STAMP
    core = tostring(workbook.properties.to_tree())
    return _fix_zip_times(buffer.getvalue(), {"docProps/core.xml": core})


def _fix_zip_times(data: bytes, replace: dict[str, bytes]) -> bytes:
    stamp = WORKBOOK_STAMP.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def overrides_frame() -> pd.DataFrame:
    r"""Return the illustrative ``match_overrides.csv``: one forced match.

    Examples
    --------
    >>> overrides_frame().to_csv(index=False)
    'name_a,name_b,decision\nDewi Sartika,Dewi S.,match\n'
    """
    name_a, name_b, decision = OVERRIDE
    return pd.DataFrame({"name_a": [name_a], "name_b": [name_b], "decision": [decision]})


def _row_of(frame: pd.DataFrame, name: str) -> list[int]:
    """Spreadsheet row numbers (header = row 1) whose ``Nama`` is exactly ``name``."""
    return [int(i) + 2 for i in np.flatnonzero(frame["Nama"].to_numpy() == name)]


def _describe(values: np.ndarray) -> str:
    return (
        f"mean {values.mean():.4f}, SD {values.std(ddof=1):.2f}, "
        f"range {values.min():.2f}-{values.max():.2f}"
    )


def _messiness_lines(pre: pd.DataFrame, post: pd.DataFrame) -> str:
    """Rows of the README's messiness table: what, where, what the pipeline should do."""
    blank_row = _row_of(pre, next(c.pre_name for c in CADRES if c.name == BLANK_PRE))[0]
    blank_item = next(item.item_id for item in ITEMS if pre.loc[blank_row - 2, item.question] == "")
    dup_rows = _row_of(post, DUPLICATE_POST)
    mismatch_row = _row_of(post, TOTAL_MISMATCH_POST)[0]
    messiness = [
        (
            f"facilitator's test submission `{TEST_SUBMISSION_NAME}` (all right, no phone)",
            f"`{PRE_FILE}` row {_row_of(pre, TEST_SUBMISSION_NAME)[0]}",
            "drop (test-submission rule)",
        ),
        (
            f"duplicate submission by `{DUPLICATE_POST}`; the earlier one has only "
            f"P01-P{DUPLICATE_ANSWERED:02d} answered",
            f"`{POST_FILE}` rows {dup_rows[0]} (incomplete, earlier) and {dup_rows[1]} "
            "(complete, later)",
            f"keep row {dup_rows[1]}, the latest complete submission",
        ),
        (
            f"blank answer: `{BLANK_PRE}` left {blank_item} empty",
            f"`{PRE_FILE}` row {blank_row}",
            "keep; blank = wrong (her only pre-test, kept although incomplete)",
        ),
        (
            f"`Total skor` disagrees with the answers: `{TOTAL_MISMATCH_POST}` shows "
            f"`{post.loc[mismatch_row - 2, 'Total skor']}` but has 24 correct",
            f"`{POST_FILE}` row {mismatch_row}",
            "score from the answers (96); log a cross-check warning",
        ),
        (
            f"`{OVERRIDE[1]}` in the workbook is `{OVERRIDE[0]}`; fuzzy scores are borderline "
            "(rapidfuzz ratio 63, WRatio 85.5)",
            f"`{OVERRIDES_FILE}` row 2",
            "force the match",
        ),
    ]
    messiness_lines = "\n".join(
        f"| {what} | {where} | {action} |" for what, where, action in messiness
    )
    return messiness_lines


def _variant_lines(pre: pd.DataFrame, post: pd.DataFrame) -> str:
    """Rows of the README's table of names written differently from the usual spelling."""
    variants = [
        (c, kind)
        for c in CADRES
        for kind in ("pre_name", "post_name", "sheet_name")
        if getattr(c, kind) != c.name
    ]

    def where(cadre: Cadre, kind: str) -> str:
        if kind == "pre_name":
            return f"`{PRE_FILE}` row {_row_of(pre, cadre.pre_name)[0]}"
        if kind == "post_name":
            return f"`{POST_FILE}` row {_row_of(post, cadre.post_name)[0]}"
        members = [c.name for c in CADRES if c.group == cadre.group]
        return f"sheet `Kelompok {cadre.group}`, row {6 + members.index(cadre.name)}"

    variant_lines = "\n".join(
        f"| {where(c, kind)} | `{getattr(c, kind)!r}` | `{c.name}` | "
        f"{_variant_kind(getattr(c, kind), c.name)} |"
        for c, kind in variants
    )
    return variant_lines


def readme_text(pre: pd.DataFrame, post: pd.DataFrame, points: pd.DataFrame) -> str:
    """Return README.md for the raw folder: provenance, formats, messiness with rows, figures."""
    n_items = len(ITEMS)
    total_max = sum(step.max_points for step in STEPS)
    pre_scores = np.array([c.pre_correct for c in CADRES]) / n_items * 100
    post_scores = np.array([c.post_correct for c in CADRES]) / n_items * 100
    skill = points.sum(axis=1).to_numpy() / total_max * 100
    groups = np.array([c.group for c in CADRES])
    group_lines = "\n".join(
        f"| Kelompok {g} | {GROUPS[g][0]} | {GROUPS[g][1]:%d/%m/%Y} | {(groups == g).sum()} | "
        f"{skill[groups == g].mean():.2f} |"
        for g in GROUPS
    )
    step_means = points.mean(axis=0) / [s.max_points for s in STEPS] * 100
    weakest = ", ".join(f"{k} ({v:.0f} %)" for k, v in step_means.sort_values().head(5).items())
    keys = [item.options["abcd".index(item.answer)] for item in ITEMS]
    pre_real = pre[pre["Nama"] != TEST_SUBMISSION_NAME]
    p_values = pd.Series(
        [(pre_real[item.question] == key).mean() for item, key in zip(ITEMS, keys, strict=True)],
        index=[item.item_id for item in ITEMS],
    )
    hardest = ", ".join(f"{k} ({v:.2f})" for k, v in p_values.sort_values().head(5).items())
    design_lines = "\n".join(
        f"| {c.name} | {c.pre_correct} | {c.post_correct} | {c.group} | {c.skill_points} |"
        for c in CADRES
    )
    messiness_lines = _messiness_lines(pre, post)
    variant_lines = _variant_lines(pre, post)
    return _render_readme(
        CHECKLIST_INSTRUMENT=CHECKLIST_INSTRUMENT,
        FORMS_FORMAT=FORMS_FORMAT,
        KNOWLEDGE_INSTRUMENT=KNOWLEDGE_INSTRUMENT,
        OVERRIDES_FILE=OVERRIDES_FILE,
        POST_FILE=POST_FILE,
        PRE_FILE=PRE_FILE,
        RECONSTRUCTED_NOTE=RECONSTRUCTED_NOTE,
        SEED=SEED,
        WORKBOOK_FILE=WORKBOOK_FILE,
        design_lines=design_lines,
        group_lines=group_lines,
        hardest=hardest,
        messiness_lines=messiness_lines,
        post_described=_describe(post_scores),
        pre_described=_describe(pre_scores),
        skill_described=_describe(skill),
        variant_lines=variant_lines,
        weakest=weakest,
    )


def _render_readme(**values: object) -> str:
    """The raw folder's README from ``templates/raw_readme.md.j2`` (text as written)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("analisis", "templates"),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("raw_readme.md.j2").render(**values)


def _variant_kind(written: str, usual: str) -> str:
    first, _, rest = written.partition(" ")
    if first.lower() in {title.lower() for title in NAME_TITLES}:
        return "title" if rest == usual else "title and case"
    if written.lower() == usual.lower():
        return "case"
    if " ".join(written.split()) == usual:
        return "spacing (double inner space, trailing space)"
    if usual.startswith(written.rstrip(".")):
        return "abbreviated surname (needs the override)"
    return "typo (needs the fuzzy match)"


def generate(out: Path, instruments: Path, seed: int = SEED) -> list[Path]:
    """Write every raw file and both instruments; return the paths written.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> [p.name for p in generate(root / "raw", root / "instruments")][:3]
    ['pengetahuan.csv', 'daftar_tilik.csv', 'pretest_pengetahuan.csv']
    """
    rng = np.random.default_rng(seed)
    pre, post = knowledge_exports(rng)
    points = skill_points(rng)
    written = write_instruments(instruments)
    texts = {
        PRE_FILE: csv_text(pre),
        POST_FILE: csv_text(post),
        OVERRIDES_FILE: overrides_frame().to_csv(index=False, lineterminator="\n"),
        README_FILE: readme_text(pre, post, points),
    }
    for name, text in texts.items():
        written.append(write_file(out / name, text.encode("utf-8")))
    written.append(write_file(out / WORKBOOK_FILE, workbook_bytes(points)))
    return written
