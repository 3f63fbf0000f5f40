"""Readers: every export shape of issue §3 gives the same tidy rows."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from analisis import ingest
from analisis.errors import InputError

RECORDS = [
    ("06/09/2024 8:15:32", "Ibu Siti Aminah", "0812-1111-1111", "abca"),
    ("6/9/2024 8.20.10", "Désy Rahmawati", "", "ab-d"),
]


def expected_letters(frame):
    return frame[["P01", "P02", "P03", "P04"]].fillna("-").agg("".join, axis=1).tolist()


@pytest.fixture
def instrument(knowledge_instrument_file):
    return ingest.read_knowledge_instrument(knowledge_instrument_file)


@pytest.fixture
def steps(skill_instrument_file):
    return ingest.read_skill_instrument(skill_instrument_file)


@pytest.mark.parametrize(
    ("lang", "delimiter", "encoding", "bom", "decimal_comma"),
    [
        ("id", ",", "utf-8", False, False),
        ("id", ";", "utf-8", True, True),
        ("en", ",", "utf-8", True, False),
        ("en", ";", "latin-1", False, True),
        ("id", "\t", "cp1252", False, False),
    ],
)
def test_forms_csv_variants_read_alike(
    tmp_path, raw, instrument, lang, delimiter, encoding, bom, decimal_comma
):
    path = raw.write_forms(
        tmp_path / "pre.csv",
        RECORDS,
        lang=lang,
        delimiter=delimiter,
        encoding=encoding,
        bom=bom,
        decimal_comma=decimal_comma,
    )
    frame = ingest.read_knowledge_export(path, instrument)
    assert frame["source_row"].tolist() == [2, 3]
    assert frame["name"].tolist() == ["Ibu Siti Aminah", "Désy Rahmawati"]
    assert expected_letters(frame) == ["abca", "ab-d"]
    # "3.00 / 4" and "3,00 / 4" both: 3 of 4 (abca: 3 right; ab-d: a, b, d right).
    assert frame["total_reported"].tolist() == [3.0, 3.0]
    assert frame["total_possible"].tolist() == [4.0, 4.0]
    assert frame["timestamp"].tolist() == [
        pd.Timestamp("2024-09-06 08:15:32"),
        pd.Timestamp("2024-09-06 08:20:10"),
    ]
    # The phone as written: it exists only for the namesake check, which compares it in
    # one normal form (readers know nothing of people).
    assert frame["phone"].iloc[0] == "0812-1111-1111"
    assert pd.isna(frame["phone"].iloc[1])


def test_latin1_explicit_and_utf8_explicit(tmp_path, raw, instrument):
    path = raw.write_forms(tmp_path / "pre.csv", RECORDS, encoding="latin-1")
    assert ingest.read_knowledge_export(path, instrument, encoding="latin-1")["name"][1] == (
        "Désy Rahmawati"
    )
    with pytest.raises(InputError) as error:
        ingest.read_knowledge_export(path, instrument, encoding="utf-8")
    # Row 3 holds the é (0xE9): header row 1, Siti row 2, Désy row 3.
    assert error.value.row == 3
    assert "0xE9" in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("06/09/2024 8:15:32", "2024-09-06 08:15:32"),
        ("6/9/2024 8.15.32", "2024-09-06 08:15:32"),
        ("06-09-2024 08:15", "2024-09-06 08:15:00"),
        ("06.09.2024 8.15", "2024-09-06 08:15:00"),
        ("2024-09-06 08:15:32", "2024-09-06 08:15:32"),
        ("2024/09/06 8:15:32 PM GMT+7", "2024-09-06 20:15:32"),
        ("12/01/2024 0:05:00", "2024-01-12 00:05:00"),
    ],
)
def test_timestamps_are_day_first(text, expected):
    assert ingest.parse_timestamp(text) == pd.Timestamp(expected)


def test_timestamp_format_override(tmp_path, raw, instrument):
    records = [("09/06/2024 08:15:32", "Siti", "", "abcd")]
    path = raw.write_forms(tmp_path / "pre.csv", records, lang="en")
    frame = ingest.read_knowledge_export(path, instrument, timestamp_format="%m/%d/%Y %H:%M:%S")
    assert frame["timestamp"][0] == pd.Timestamp("2024-09-06 08:15:32")


def test_unreadable_timestamp_names_cell(tmp_path, raw, instrument):
    path = raw.write_forms(tmp_path / "pre.csv", [("kemarin sore", "Siti", "", "abcd")])
    with pytest.raises(InputError) as error:
        ingest.read_knowledge_export(path, instrument)
    assert (error.value.row, error.value.column, error.value.found) == (
        2,
        "Cap waktu",
        "kemarin sore",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19.00 / 25", (19.0, 25.0)), ("19,00 / 25", (19.0, 25.0)), ("19", (19.0, None))],
)
def test_parse_total(text, expected):
    points, maximum = ingest.parse_total(text)
    assert points == expected[0]
    assert (pd.isna(maximum) and expected[1] is None) or maximum == expected[1]


def test_blank_lines_and_multiline_cells_keep_spreadsheet_rows(tmp_path, raw, instrument):
    rows = raw.forms_rows(
        [
            ("06/09/2024 8:15:32", "Siti\nAminah", "", "abcd"),
            ("06/09/2024 8:16:32", "Rina", "", "abcd"),
        ]
    )
    text = "\r\n".join(
        ",".join(f'"{c}"' if ("," in c or "\n" in c) else c for c in row) for row in rows[:2]
    )
    text += "\r\n\r\n" + ",".join(rows[2]) + "\r\n"
    path = tmp_path / "pre.csv"
    path.write_text(text, encoding="utf-8")
    frame = ingest.read_knowledge_export(path, instrument)
    # Row 2 spans two lines but is one spreadsheet row; row 3 is blank; Rina is row 4.
    assert frame["source_row"].tolist() == [2, 4]


def test_answers_as_letters_and_explicit_columns(tmp_path, raw, instrument):
    rows = [["Waktu isi", "Nama responden", "Q1", "Q2", "Q3", "Q4"]]
    rows.append(["06/09/2024 8:15:32", "Siti", "A", "b", "C", " 6  BULAN "])
    raw.write_csv(tmp_path / "pre.csv", rows)
    columns = {
        "timestamp": "Waktu isi",
        "name": "Nama responden",
        "items": {"P01": "Q1", "P02": "Q2", "P03": "Q3", "P04": "Q4"},
    }
    frame = ingest.read_knowledge_export(tmp_path / "pre.csv", instrument, columns=columns)
    assert expected_letters(frame) == ["abcd"]
    assert pd.isna(frame["total_reported"][0])


def test_xlsx_export_with_title_rows(tmp_path, raw, instrument):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Pretest pengetahuan kader"])
    sheet.append([])
    for row in raw.forms_rows(RECORDS):
        sheet.append(row)
    workbook.save(tmp_path / "pre.xlsx")
    frame = ingest.read_knowledge_export(tmp_path / "pre.xlsx", instrument)
    assert frame["source_row"].tolist() == [4, 5]  # header in Excel row 3
    assert expected_letters(frame) == ["abca", "ab-d"]


def test_spss_value_labels_become_options(tmp_path, instrument, raw):
    frame = pd.DataFrame(
        {
            "nama": ["Siti", "Rina"],
            "P01": [1.0, 2.0],
            "P02": [2.0, None],
            "P03": [3.0, 3.0],
            "P04": [4.0, 1.0],
        }
    )
    labels = {
        item_id: {float(i + 1): raw.OPTIONS[item_id][letter] for i, letter in enumerate("abcd")}
        for item_id in ("P01", "P02", "P03", "P04")
    }
    pyreadstat.write_sav(
        frame,
        tmp_path / "pre.sav",
        column_labels=["Nama", *raw.QUESTIONS],
        variable_value_labels=labels,
    )
    read = ingest.read_knowledge_export(tmp_path / "pre.sav", instrument)
    assert read["name"].tolist() == ["Siti", "Rina"]
    assert read["source_row"].tolist() == [1, 2]  # SPSS case numbers
    assert expected_letters(read) == ["abcd", "b-ca"]


def test_checklist_workbook(tmp_path, raw, steps):
    path = raw.write_workbook(tmp_path / "tilik.xlsx", raw.MESSY_SHEETS)
    frame = ingest.read_skill_workbook(path, steps, ["Kelompok 1", "Kelompok 2"])
    assert frame[["sheet", "source_row", "group", "assessor", "name"]].to_numpy().tolist() == [
        ["Kelompok 1", 6, "1", "Bd. Yeni, S.ST", "Siti Aminah"],
        ["Kelompok 1", 7, "1", "Bd. Yeni, S.ST", "Rina Marlina"],
        ["Kelompok 2", 6, "2", "Bd. Marlini", "Ny. Dewi Lestari"],
        ["Kelompok 2", 7, "2", "Bd. Marlini", "Nurhayati"],
    ]
    assert frame[["L01", "L02", "L03"]].to_numpy().tolist() == [
        [1, 2, 1],
        [1, 1, 1],
        [0, 2, 2],
        [1, 1, 0],
    ]


def test_checklist_step_columns_by_description(tmp_path, raw, steps):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kelompok 1"
    sheet.append(["No", "Nama Kader", *[d.upper() for _, d, _ in raw.STEPS]])
    sheet.append([1, "Siti", 1, 2, 2])
    workbook.save(tmp_path / "t.xlsx")
    frame = ingest.read_skill_workbook(tmp_path / "t.xlsx", steps)  # all sheets
    assert frame[["group", "L01", "L02", "L03"]].to_numpy().tolist() == [["Kelompok 1", 1, 2, 2]]
    assert pd.isna(frame["assessor"][0])


def test_instruments(knowledge_instrument_file, skill_instrument_file):
    items = ingest.read_knowledge_instrument(knowledge_instrument_file)
    assert items["item_id"].tolist() == ["P01", "P02", "P03", "P04"]
    assert items["answer"].tolist() == ["a", "b", "c", "d"]
    steps = ingest.read_skill_instrument(skill_instrument_file)
    assert steps["max_points"].tolist() == [1, 2, 2]


def test_match_overrides(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("name_a,name_b,decision\nDewi Sartika,Dewi S.,match\nA,B,no-match\n")
    frame = ingest.read_match_overrides(path)
    assert frame.to_numpy().tolist() == [
        ["Dewi Sartika", "Dewi S.", "match", 2],
        ["A", "B", "no_match", 3],
    ]
    assert ingest.read_match_overrides(None).empty
    path.write_text("name_a,name_b,decision\n")
    assert ingest.read_match_overrides(path).empty
    path.write_text("name_a,name_b,decision\nA,B,maybe\n")
    with pytest.raises(InputError, match="row 2, column 'decision': expected match or no_match"):
        ingest.read_match_overrides(path)


def test_read_table_reads_every_kind_through_one_registry(tmp_path, raw):
    """CSV, a workbook's first sheet and an SPSS file give the same text table."""
    rows = [["pre", "post"], ["60", "80"], ["72.5", ""]]
    raw.write_csv(tmp_path / "scores.csv", rows)
    workbook = openpyxl.Workbook()
    for row in [["pre", "post"], [60, 80], [72.5, None]]:
        workbook.active.append(row)
    workbook.save(tmp_path / "scores.xlsx")
    frame = pd.DataFrame({"pre": [60.0, 72.5], "post": [80.0, None]})
    pyreadstat.write_sav(frame, tmp_path / "scores.sav")
    expected = pd.DataFrame({"pre": ["60", "72.5"], "post": ["80", ""]}, dtype=object)
    for suffix in ("csv", "xlsx", "sav"):
        read = ingest.read_table(tmp_path / f"scores.{suffix}")
        pd.testing.assert_frame_equal(read, expected, check_dtype=False)
    kinds = {ingest.file_kind(f"x.{s}") for s in ("csv", "txt", "xlsx", "sav")}
    assert kinds == set(ingest.READERS)


def test_read_table_rejects_an_unknown_kind(tmp_path):
    (tmp_path / "scores.ods").write_bytes(b"x")
    with pytest.raises(InputError, match=r"scores\.ods: expected a file ending in \.csv, "):
        ingest.read_table(tmp_path / "scores.ods")


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path, raw, instrument):
    """Excel's "Unicode text" (.txt): UTF-16 with a byte-order mark, tab-separated."""
    text = "\r\n".join("\t".join(row) for row in raw.forms_rows(RECORDS)) + "\r\n"
    (tmp_path / "pre.txt").write_bytes(text.encode("utf-16"))  # BOM FF FE, little-endian
    frame = ingest.read_knowledge_export(tmp_path / "pre.txt", instrument)
    assert frame["name"].tolist() == ["Ibu Siti Aminah", "Désy Rahmawati"]
    assert expected_letters(frame) == ["abca", "ab-d"]
    assert frame["source_row"].tolist() == [2, 3]


def test_sheet_names_compare_as_in_excel(tmp_path, raw, steps):
    sheets = {
        " KELOMPOK 1": raw.MESSY_SHEETS["Kelompok 1"],
        "kelompok 2 ": raw.MESSY_SHEETS["Kelompok 2"],
    }
    path = raw.write_workbook(tmp_path / "tilik.xlsx", sheets)
    frame = ingest.read_skill_workbook(path, steps, ["Kelompok 1", "Kelompok 2"])
    assert frame["sheet"].unique().tolist() == [" KELOMPOK 1", "kelompok 2 "]
    assert frame["name"].tolist() == [
        "Siti Aminah",
        "Rina Marlina",
        "Ny. Dewi Lestari",
        "Nurhayati",
    ]


def long_instrument(tmp_path, raw, *, alike: bool):
    """The test instrument with P01's option a longer than SPSS's 120-byte labels.

    With ``alike`` option b is as long and shares a's first 144 characters, so a
    label cut at 120 bytes begins both.
    """
    stem = "Segera setelah bayi lahir, dalam satu jam pertama, ibu menyusui bayinya " * 2
    long = {"a": stem + "di ruang bersalin"}
    if alike:
        long["b"] = stem + "di ruang nifas"
    rows = [["item_id", "topic", "question", *(f"option_{x}" for x in "abcd"), "answer"]]
    for item_id, topic, question, options, answer in raw.ITEMS:
        texts = [
            long.get(x, o) if item_id == "P01" else o for x, o in zip("abcd", options, strict=True)
        ]
        rows.append([item_id, topic, question, *texts, answer])
    raw.write_csv(tmp_path / "items.csv", rows)
    instrument = ingest.read_knowledge_instrument(tmp_path / "items.csv")
    return instrument, instrument.iloc[0][[f"option_{x}" for x in "abcd"]].tolist()


def write_coded_sav(path, raw, p01_labels=None):
    """Two cases coded 1, 2, 3 / 2, 2, 2 …; labels as the instrument, P01's as given."""
    frame = pd.DataFrame({"nama": ["Siti", "Rina"], **{i: [1.0, 2.0] for i in raw.OPTIONS}})
    frame["P04"] = [4.0, None]
    labels = {}
    if p01_labels is not None:
        labels = {
            i: {float(k): raw.OPTIONS[i][x] for k, x in enumerate("abcd", 1)} for i in raw.OPTIONS
        }
        labels["P01"] = p01_labels
    pyreadstat.write_sav(
        frame, path, column_labels=["Nama", *raw.QUESTIONS], variable_value_labels=labels
    )


def cut(text: str) -> str:
    """A label as SPSS stores it: at most 120 bytes of UTF-8."""
    return text.encode()[:120].decode(errors="ignore")


def test_spss_labels_cut_at_120_bytes_map_by_prefix(tmp_path, raw):
    instrument, options = long_instrument(tmp_path, raw, alike=False)
    assert len(options[0].encode()) > 120
    write_coded_sav(tmp_path / "pre.sav", raw, {1.0: cut(options[0]), 2.0: options[1]})
    frame = ingest.read_knowledge_export(tmp_path / "pre.sav", instrument)
    assert expected_letters(frame) == ["aaad", "bbb-"]
    assert frame.attrs["answer_coding"] == "label_prefix"


def test_spss_labels_alike_in_120_bytes_map_by_code_order(tmp_path, raw):
    instrument, options = long_instrument(tmp_path, raw, alike=True)
    labels = {float(k): cut(text) for k, text in enumerate(options, 1)}
    assert labels[1.0] == labels[2.0]  # a and b cut to one label
    write_coded_sav(tmp_path / "pre.sav", raw, labels)
    frame = ingest.read_knowledge_export(tmp_path / "pre.sav", instrument)
    assert expected_letters(frame) == ["aaad", "bbb-"]
    assert frame.attrs["answer_coding"] == "code_order"


def test_spss_bare_codes_need_option_codes(tmp_path, raw, instrument):
    write_coded_sav(tmp_path / "pre.sav", raw)
    with pytest.raises(InputError, match=r"row 1, column .*knowledge.option_codes.*found '1'"):
        ingest.read_knowledge_export(tmp_path / "pre.sav", instrument)
    frame = ingest.read_knowledge_export(
        tmp_path / "pre.sav", instrument, option_codes=["d", "c", "b", "a"]
    )
    assert expected_letters(frame) == ["ddda", "ccc-"]  # P04: code 4 is option_codes[3]
    assert frame.attrs["answer_coding"] == "option_codes"
