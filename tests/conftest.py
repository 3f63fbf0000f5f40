"""Shared fixtures: tiny instruments, Google Forms exports, checklist workbooks, SPSS files.

Everything is written to ``tmp_path`` by small writer functions so each test states the
raw bytes it depends on.  The "messy" cohort (:func:`messy_cohort`) holds one instance of
every cleaning case; its expected outcome is worked out by hand in ``test_clean.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so CI cannot fail by chance;
# run with --hypothesis-profile=explore to search afresh.
settings.register_profile("reproducible", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile("reproducible")

# ---------------------------------------------------------------- knowledge instrument

#: Four items; the first question has a comma so CSV quoting is exercised.
ITEMS = [
    (
        "P01",
        "ASI",
        "Menurut Anda, kapan ASI pertama diberikan?",
        ("Segera setelah lahir", "Setelah 1 hari", "Setelah 3 hari", "Setelah 1 minggu"),
        "a",
    ),
    (
        "P02",
        "hormon",
        "Hormon yang memproduksi ASI adalah ...",
        ("Oksitosin", "Prolaktin", "Estrogen", "Insulin"),
        "b",
    ),
    (
        "P03",
        "teknik pijat",
        "Pijat laktasi dilakukan pada bagian ...",
        ("Kaki", "Tangan", "Punggung dan payudara", "Perut"),
        "c",
    ),
    (
        "P04",
        "ASI eksklusif",
        "Berapa lama ASI eksklusif diberikan?",
        ("1 bulan", "3 bulan", "4 bulan", "6 bulan"),
        "d",
    ),
]
QUESTIONS = [question for _, _, question, _, _ in ITEMS]
OPTIONS = {item_id: dict(zip("abcd", options, strict=True)) for item_id, _, _, options, _ in ITEMS}

#: Checklist steps: (step_id, description_id, max_points).
STEPS = [
    ("L01", "Cuci tangan dan minta persetujuan", 1),
    ("L02", "Pijat leher dan punggung", 2),
    ("L03", "Pijat payudara", 2),
]


def write_knowledge_instrument(path: Path) -> Path:
    rows = [
        ["item_id", "topic", "question", "option_a", "option_b", "option_c", "option_d", "answer"]
    ]
    rows += [[i, t, q, *o, a] for i, t, q, o, a in ITEMS]
    _write_csv(path, rows)
    return path


def write_skill_instrument(path: Path) -> Path:
    rows = [["step_id", "stage", "description_id", "description_en", "max_points"]]
    rows += [[s, "persiapan", d, d, str(m)] for s, d, m in STEPS]
    _write_csv(path, rows)
    return path


def _write_csv(path: Path, rows, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


# ---------------------------------------------------------------- Google Forms exports

HEADERS = {
    "id": ["Cap waktu", "Total skor", "Nama", "Nomor HP"],
    "en": ["Timestamp", "Score", "Name", "Phone number"],
}


def forms_rows(records, lang: str = "id", decimal_comma: bool = False):
    """Rows of a Forms export; a record is (timestamp, name, phone, letters[, total]).

    ``letters`` is a 4-character string of option letters, ``-`` for a blank answer; the
    total defaults to the true number correct written as ``'3.00 / 4'``.
    """
    rows = [HEADERS[lang] + QUESTIONS]
    for record in records:
        stamp, name, phone, letters = record[:4]
        answers = [
            "" if letter == "-" else OPTIONS[item_id][letter]
            for (item_id, *_), letter in zip(ITEMS, letters, strict=True)
        ]
        correct = sum(letter == item[4] for item, letter in zip(ITEMS, letters, strict=True))
        total = record[4] if len(record) > 4 else f"{correct:.2f} / 4"
        if decimal_comma:
            total = total.replace(".", ",")
        rows.append([stamp, total, name, phone, *answers])
    return rows


def write_forms(
    path: Path,
    records,
    *,
    lang="id",
    delimiter=",",
    encoding="utf-8",
    bom=False,
    decimal_comma=False,
) -> Path:
    _write_csv(path, forms_rows(records, lang, decimal_comma), delimiter, encoding, bom)
    return path


# ---------------------------------------------------------------- checklist workbooks


def write_workbook(path: Path, sheets: dict[str, dict]) -> Path:
    """Write a checklist workbook; ``sheets[name] = {"group", "assessor", "rows", "extra"}``.

    Layout as the bundled one: A1 Kelompok, A2 Penilai, A3 Tanggal, row 4 blank, row 5
    header (No, Nama Kader, L01…), cadres from row 6.  ``rows`` are (name, [points]);
    ``extra`` rows are appended verbatim (summary or template rows).
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, spec in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(["Kelompok", spec.get("group", name.split()[-1])])
        sheet.append(["Penilai", spec.get("assessor", "Bd. Rina, S.Keb")])
        sheet.append(["Tanggal", "18/09/2024"])
        sheet.append([])
        sheet.append(["No", "Nama Kader", *[s for s, _, _ in STEPS]])
        for number, (cadre, points) in enumerate(spec["rows"], start=1):
            sheet.append([number, cadre, *points])
        for extra in spec.get("extra", []):
            sheet.append(extra)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- the messy cohort

#: Pre-test rows 2-9 (spreadsheet numbering) of the messy cohort.
MESSY_PRE = [
    ("06/09/2024 8:15:32", "Ibu Siti Aminah", "0812-1111-1111", "abca"),  # 2: 3 correct
    ("06/09/2024 8:16:00", "Tes Fasilitator", "", "abcd"),  # 3: test submission
    ("6/9/2024 8.20.10", "Rina Marlina", "0812-2222-2222", "ab-d"),  # 4: blank, superseded
    ("06/09/2024 8:25:00", "rina  marlina", "+62 812 2222 2222", "abcd"),  # 5: used
    ("06/09/2024 8:30:00", "Dewi Lestari", "0812-3333-3333", "aaaa", "2.00 / 4"),  # 6: total off
    ("06/09/2024 8:31:00", "Nurhayati", "0812-4444-4444", "abcc"),  # 7
    ("06/09/2024 8:35:00", "", "", "abcd"),  # 8: answers but no name
    ("06/09/2024 8:40:00", "Sri Wahyuni", "0812-5555-5555", "bbcd"),  # 9: no post-test
]
#: Post-test rows 2-5.
MESSY_POST = [
    ("07/09/2024 15:01:00", "Siti Aminha", "0812-1111-1111", "abcd"),  # 2: typo, fuzzy
    ("07/09/2024 15:02:00", "RINA MARLINA", "0812-2222-2222", "abcd"),  # 3
    ("07/09/2024 15:03:00", "Bu Dewi Lestari", "0812-3333-3333", "abcb"),  # 4
    ("07/09/2024 15:04:00", "Hj. Nurhayati", "0812-4444-4444", "abcd"),  # 5
]
#: Checklist sheets; Excel rows 6… for cadres.
MESSY_SHEETS = {
    "Kelompok 1": {
        "assessor": "Bd. Yeni, S.ST",
        "rows": [("Siti Aminah", [1, 2, 1]), ("Rina Marlina", [1, 1, 1])],  # rows 6, 7
        "extra": [["", "Rata-rata", 1, 1.5, 1]],  # row 8: summary, not a cadre
    },
    "Kelompok 2": {
        "assessor": "Bd. Marlini",
        "rows": [("Ny. Dewi Lestari", [0, 2, 2]), ("Nurhayati", [1, 1, 0])],  # rows 6, 7
        "extra": [[3, None, None, None, None]],  # row 8: empty template row, not a cadre
    },
}


@pytest.fixture
def messy_cohort(tmp_path) -> dict:
    """One cohort config entry whose files hold every cleaning case once."""
    root = tmp_path / "study"
    root.mkdir()
    return {
        "id": "desa_a",
        "knowledge": {
            "instrument": str(write_knowledge_instrument(root / "pengetahuan.csv")),
            "pre": str(write_forms(root / "pre.csv", MESSY_PRE)),
            "post": str(write_forms(root / "post.csv", MESSY_POST)),
        },
        "skill": {
            "instrument": str(write_skill_instrument(root / "daftar_tilik.csv")),
            "workbook": str(write_workbook(root / "tilik.xlsx", MESSY_SHEETS)),
            "sheets": list(MESSY_SHEETS),
            "name_header": "Nama Kader",
        },
    }


@pytest.fixture
def knowledge_instrument_file(tmp_path) -> Path:
    return write_knowledge_instrument(tmp_path / "pengetahuan.csv")


@pytest.fixture
def skill_instrument_file(tmp_path) -> Path:
    return write_skill_instrument(tmp_path / "daftar_tilik.csv")


@pytest.fixture
def raw() -> SimpleNamespace:
    """The writers and fixed contents above, for tests that build their own files."""
    return SimpleNamespace(
        ITEMS=ITEMS,
        QUESTIONS=QUESTIONS,
        OPTIONS=OPTIONS,
        STEPS=STEPS,
        HEADERS=HEADERS,
        MESSY_PRE=MESSY_PRE,
        MESSY_POST=MESSY_POST,
        MESSY_SHEETS=MESSY_SHEETS,
        forms_rows=forms_rows,
        write_csv=_write_csv,
        write_forms=write_forms,
        write_workbook=write_workbook,
        write_knowledge_instrument=write_knowledge_instrument,
        write_skill_instrument=write_skill_instrument,
    )
