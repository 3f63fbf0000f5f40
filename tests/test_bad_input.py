"""Issue §7: each class of bad input gives one InputError naming file, row, column, expectation.

Each test asserts the error's fields and the words a person needs in the message.
(Exit status, no partial output and an untouched data/raw/ are tested at CLI level.)
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from analisis import clean, ingest
from analisis.errors import InputError


def raises_input_error(function, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        function(*args, **kwargs)
    return caught.value


@pytest.fixture
def instrument(knowledge_instrument_file):
    return ingest.read_knowledge_instrument(knowledge_instrument_file)


@pytest.fixture
def steps(skill_instrument_file):
    return ingest.read_skill_instrument(skill_instrument_file)


GOOD = [("06/09/2024 8:15:32", "Siti", "", "abcd")]


def with_post_test(cohort, path):
    """The cohort with its post-test export replaced by ``path``."""
    return dict(cohort, knowledge=dict(cohort["knowledge"], post=str(path)))


def test_missing_item_column(tmp_path, raw, instrument):
    rows = raw.forms_rows(GOOD)
    rows = [row[:-1] for row in rows]  # drop the P04 column
    raw.write_csv(tmp_path / "pre.csv", rows)
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.csv", instrument)
    assert error.file == str(tmp_path / "pre.csv")
    assert error.row == 1
    assert error.column == "Berapa lama ASI eksklusif diberikan?"
    assert "a column for item P04" in str(error)


def test_missing_name_column(tmp_path, raw, instrument):
    rows = raw.forms_rows(GOOD)
    rows = [row[:2] + row[3:] for row in rows]  # drop "Nama"
    raw.write_csv(tmp_path / "pre.csv", rows)
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.csv", instrument)
    assert (error.row, error.column) == (1, "name")
    assert "a name column headed 'nama'" in str(error)
    assert "'Cap waktu'" in error.found


def test_missing_configured_column(tmp_path, raw, instrument):
    path = raw.write_forms(tmp_path / "pre.csv", GOOD)
    error = raises_input_error(
        ingest.read_knowledge_export, path, instrument, columns={"name": "Nama lengkap"}
    )
    assert (error.row, error.column) == (1, "Nama lengkap")
    assert "the name column named in the config" in str(error)


def test_missing_step_column(tmp_path, raw, steps):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kelompok 1"
    sheet.append(["No", "Nama Kader", "L01", "L02"])
    sheet.append([1, "Siti", 1, 2])
    workbook.save(tmp_path / "t.xlsx")
    error = raises_input_error(ingest.read_skill_workbook, tmp_path / "t.xlsx", steps)
    assert (error.row, error.column) == (1, "Kelompok 1!L03")
    assert "a column for step L03" in str(error)


def test_unknown_answer_option(tmp_path, raw, instrument):
    rows = raw.forms_rows([*GOOD, ("06/09/2024 8:16:00", "Rina", "", "abcd")])
    rows[2][5] = "Susu formula"  # P02 of Rina
    raw.write_csv(tmp_path / "pre.csv", rows)
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.csv", instrument)
    assert error.row == 3
    assert error.column == "Hormon yang memproduksi ASI adalah ..."
    assert error.found == "Susu formula"
    assert "'Oksitosin' | 'Prolaktin' | 'Estrogen' | 'Insulin'" in error.expected


@pytest.mark.parametrize("value", [3, -1, 1.5, "dua"])
def test_points_out_of_range(tmp_path, raw, steps, value):
    sheets = {
        "Kelompok 1": {"rows": [("Siti", [1, 2, 2])]},
        "Kelompok 2": {"rows": [("Rina", [1, 2, 2]), ("Dewi", [1, value, 0])]},
    }
    path = raw.write_workbook(tmp_path / "tilik.xlsx", sheets)
    error = raises_input_error(ingest.read_skill_workbook, path, steps)
    assert error.file == str(path)
    assert error.row == 7  # header row 5, Rina row 6, Dewi row 7
    assert error.column == "Kelompok 2!L02"
    assert error.expected == "whole points from 0 to 2"
    assert error.found == str(value)


def test_blank_points_are_an_error(tmp_path, raw, steps):
    sheets = {"Kelompok 1": {"rows": [("Siti", [1, None, 2])]}}
    path = raw.write_workbook(tmp_path / "tilik.xlsx", sheets)
    error = raises_input_error(ingest.read_skill_workbook, path, steps)
    assert (error.row, error.column, error.found) == (6, "Kelompok 1!L02", "")


def test_empty_file(tmp_path, instrument):
    path = tmp_path / "pre.csv"
    path.write_bytes(b"")
    error = raises_input_error(ingest.read_knowledge_export, path, instrument)
    assert error.file == str(path)
    assert error.found == "an empty file (0 bytes)"
    assert "a header row and at least one submission" in error.expected


def test_empty_workbook_file(tmp_path, steps):
    path = tmp_path / "tilik.xlsx"
    path.write_bytes(b"")
    error = raises_input_error(ingest.read_skill_workbook, path, steps)
    assert error.found == "an empty file (0 bytes)"


def test_header_only_file(tmp_path, raw, instrument):
    path = raw.write_forms(tmp_path / "pre.csv", [])
    error = raises_input_error(ingest.read_knowledge_export, path, instrument)
    assert (error.row, error.found) == (2, "only the header row")
    assert "at least one submission below the header" in str(error)


def test_header_only_sheet(tmp_path, raw, steps):
    path = raw.write_workbook(tmp_path / "tilik.xlsx", {"Kelompok 1": {"rows": []}})
    error = raises_input_error(ingest.read_skill_workbook, path, steps)
    assert (error.row, error.column, error.found) == (6, "Kelompok 1", "only the header row")


def test_undecodable_bytes(tmp_path, raw, instrument):
    path = raw.write_forms(
        tmp_path / "pre.csv", [*GOOD, ("06/09/2024 8:16:00", "Rina", "", "abcd")]
    )
    data = path.read_bytes()
    # 0x81 is undefined in cp1252 and invalid in UTF-8: neither encoding reads it.
    bad = data.replace(b"Rina", b"Ri\x81a")
    path.write_bytes(bad)
    error = raises_input_error(ingest.read_knowledge_export, path, instrument)
    assert error.row == 3
    offset = bad.index(bytes([0x81]))
    assert error.found == f"byte 0x81 at offset {offset}"
    assert "UTF-8, UTF-16 (with its byte-order mark) or Windows-1252/Latin-1" in error.expected


def test_missing_sheet(tmp_path, raw, steps):
    path = raw.write_workbook(tmp_path / "tilik.xlsx", raw.MESSY_SHEETS)
    error = raises_input_error(
        ingest.read_skill_workbook, path, steps, ["Kelompok 1", "Kelompok 3"]
    )
    assert error.column == "Kelompok 3"
    assert error.found == "no such sheet"
    assert "sheets in the workbook: Kelompok 1, Kelompok 2" in error.expected


def test_two_people_with_one_name_in_an_export(messy_cohort, raw, tmp_path):
    # Same normalised name, different phone numbers: two people, not a resubmission.
    records = [*raw.MESSY_POST, ("07/09/2024 15:09:00", "Ibu Nurhayati", "0813-9999-9999", "abcd")]
    cohort = with_post_test(messy_cohort, raw.write_forms(tmp_path / "p.csv", records))
    error = raises_input_error(clean.clean_study, [cohort])
    assert error.file == str(tmp_path / "p.csv")
    assert error.row == 6
    assert error.column == "Nomor HP"
    assert "rows 5 and 6 have the same name but different phone numbers" in error.expected
    # Messages go to logs/: the name stays in data/raw/.
    assert error.found == "rows 5 and 6 share a name"
    assert "nurhayati" not in str(error).lower()


def test_two_cadres_with_one_name_in_the_checklist(messy_cohort, raw, tmp_path):
    sheets = {
        "Kelompok 1": raw.MESSY_SHEETS["Kelompok 1"],
        "Kelompok 2": {"rows": [("Dewi Lestari", [1, 1, 1]), ("Ibu siti  aminah", [1, 1, 1])]},
    }
    cohort = dict(messy_cohort)
    workbook = raw.write_workbook(tmp_path / "t.xlsx", sheets)
    cohort["skill"] = dict(cohort["skill"], workbook=str(workbook))
    error = raises_input_error(clean.clean_study, [cohort])
    assert (error.file, error.row, error.column) == (str(workbook), 7, "Kelompok 2!Nama Kader")
    assert "t.xlsx sheet 'Kelompok 1' row 6 and t.xlsx sheet 'Kelompok 2' row 7" in error.expected
    assert error.found.endswith("share a name")
    assert "aminah" not in str(error).lower()


def test_same_name_same_phone_is_a_resubmission(messy_cohort):
    # pre rows 4 and 5 of the messy cohort: "Rina Marlina" with one phone written two ways.
    result = clean.clean_study([messy_cohort])
    assert result["cleaning_log"]["action"].value_counts()["merged"] == 1


def test_unmatched_people_are_not_an_error(tmp_path, raw):
    instrument = str(raw.write_knowledge_instrument(tmp_path / "i.csv"))
    cohort = {
        "id": "c",
        "knowledge": {
            "instrument": instrument,
            "pre": str(raw.write_forms(tmp_path / "pre.csv", [("", "Ani", "", "abcd"),
                                                               ("", "Citra", "", "abcd")])),
            "post": str(raw.write_forms(tmp_path / "post.csv", [("", "Budi", "", "abcd"),
                                                                 ("", "Citra", "", "abcd")])),
        },
    }  # fmt: skip
    result = clean.clean_study([cohort])
    assert len(result["participants"]) == 3
    assert sorted(result["cleaning_log"]["action"]) == ["flagged", "flagged", "kept", "kept"]
    assert result["participants"][["in_pre", "in_post"]].sum().tolist() == [2, 2]


def test_nobody_in_both_tests_stops_cleaning_naming_both_exports(tmp_path, raw):
    pre = raw.write_forms(tmp_path / "pre.csv", [("", "Ani Lestari", "", "abcd")])
    post = raw.write_forms(tmp_path / "post.csv", [("", "Budi Santoso", "", "abcd")])
    cohort = {
        "id": "c",
        "knowledge": {
            "instrument": str(raw.write_knowledge_instrument(tmp_path / "i.csv")),
            "pre": str(pre),
            "post": str(post),
        },
    }
    with pytest.raises(InputError) as caught:
        clean.clean_study([cohort])
    message = str(caught.value)
    assert message.startswith(f"{pre} and {post}: expected at least one cadre with both")
    assert "no name in the post-test (1 submissions) matched any in the pre-test (1)" in message
    assert "nobody paired" in message and "\n" not in message
    assert "Ani" not in message and "Budi" not in message


def test_nobody_paired_because_a_test_has_no_usable_row(tmp_path, raw):
    cohort = {
        "id": "c",
        "knowledge": {
            "instrument": str(raw.write_knowledge_instrument(tmp_path / "i.csv")),
            "pre": str(raw.write_forms(tmp_path / "pre.csv", [("", "Ani", "", "abcd")])),
            "post": str(raw.write_forms(tmp_path / "post.csv", [("", "Tes Panitia", "", "abcd")])),
        },
    }
    with pytest.raises(InputError, match="the post-test has no usable submission"):
        clean.clean_study([cohort])


def test_one_person_whose_leading_zero_excel_dropped(messy_cohort, raw, tmp_path):
    """0853… in one submission and 853… in the next are one number: a resubmission."""
    records = [
        *raw.MESSY_POST,
        ("07/09/2024 15:09:00", "Ibu Nurhayati", "853 1111 2222", "abcd"),
        ("07/09/2024 15:10:00", "Nurhayati", "+62 853-1111-2222", "abcd"),
    ]
    records[3] = (*records[3][:2], "0853-1111-2222", records[3][3])
    cohort = with_post_test(messy_cohort, raw.write_forms(tmp_path / "p.csv", records))
    log = clean.clean_study([cohort])["cleaning_log"]
    post = log[log["source_file"] == str(tmp_path / "p.csv")].set_index("source_row")
    assert post.loc[[5, 6], "action"].tolist() == ["merged", "merged"]
    assert post.loc[7, "detail"] == "duplicates_merged: rows 5, 6; latest_complete"


def test_different_phones_name_the_remedy(messy_cohort, raw, tmp_path):
    records = [*raw.MESSY_POST, ("07/09/2024 15:09:00", "Ibu Nurhayati", "0813-9999-9999", "abcd")]
    cohort = with_post_test(messy_cohort, raw.write_forms(tmp_path / "p.csv", records))
    error = raises_input_error(clean.clean_study, [cohort])
    assert "set cleaning.ignore_phones: true" in error.expected
    assert "write their names apart" not in error.expected
    result = clean.clean_study([cohort], {"ignore_phones": True})
    log = result["cleaning_log"].set_index(["source_file", "source_row"])
    used = log.loc[(str(tmp_path / "p.csv"), 6)]
    assert (used["action"], used["reason"]) == ("flagged", "phones_ignored;duplicates_merged")
    assert used["detail"].startswith("phones_ignored: rows 5, 6")
    assert log.loc[(str(tmp_path / "p.csv"), 5), "action"] == "merged"


def test_repeated_header_with_different_content(tmp_path, raw, instrument):
    rows = raw.forms_rows([*GOOD, ("06/09/2024 8:16:00", "Rina", "", "abcd")])
    rows[0].append(raw.QUESTIONS[1])  # a second "P02" column
    rows[1].append(raw.OPTIONS["P02"]["b"])  # same as the first in row 2
    rows[2].append(raw.OPTIONS["P02"]["c"])  # different in row 3
    raw.write_csv(tmp_path / "pre.csv", rows)
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.csv", instrument)
    assert (error.row, error.column) == (1, raw.QUESTIONS[1])
    assert error.found == "columns F (6) and I (9) with this header, different in row 3"
    rows[2][-1] = raw.OPTIONS["P02"]["b"]  # identical copies are one column
    raw.write_csv(tmp_path / "pre.csv", rows)
    frame = ingest.read_knowledge_export(tmp_path / "pre.csv", instrument)
    assert frame["P02"].tolist() == ["b", "b"]


def test_utf16_without_its_mark_is_undecodable(tmp_path, raw, instrument):
    text = "\r\n".join("\t".join(row) for row in raw.forms_rows(GOOD))
    (tmp_path / "pre.txt").write_bytes(text.encode("utf-16-le"))
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.txt", instrument)
    assert (error.row, error.found) == (1, "byte 0x00 at offset 1")
    assert "UTF-16 (with its byte-order mark)" in error.expected


def test_sheets_differing_only_in_spaces_collide(tmp_path, raw, steps):
    # openpyxl itself renames a sheet differing only in case, so spaces make the pair.
    sheets = {
        "Kelompok 1": raw.MESSY_SHEETS["Kelompok 1"],
        "Kelompok 1 ": raw.MESSY_SHEETS["Kelompok 2"],
    }
    path = raw.write_workbook(tmp_path / "tilik.xlsx", sheets)
    for wanted in (["KELOMPOK 1"], []):
        error = raises_input_error(ingest.read_skill_workbook, path, steps, wanted)
        assert error.found == "sheets 'Kelompok 1' and 'Kelompok 1 '"
        assert "case and surrounding spaces ignored" in error.expected


def test_spss_labels_matching_no_option(tmp_path, instrument, raw):
    frame = pd.DataFrame({"nama": ["Siti"], **{i: [1.0] for i in ("P01", "P02", "P03", "P04")}})
    labels = {i: {1.0: raw.OPTIONS[i]["a"], 2.0: raw.OPTIONS[i]["b"]} for i in raw.OPTIONS}
    labels["P03"] = {1.0: "Kepala", 2.0: "Tangan"}
    pyreadstat.write_sav(frame, tmp_path / "pre.sav", variable_value_labels=labels)
    error = raises_input_error(ingest.read_knowledge_export, tmp_path / "pre.sav", instrument)
    assert (error.column, error.found) == ("P03", "code 1 labelled 'Kepala'")
    assert "knowledge.option_codes" in error.expected
