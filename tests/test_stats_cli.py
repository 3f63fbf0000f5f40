"""``analisis paired``: exact JSON schema, R's numbers end to end, clear input errors."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest

from analisis.errors import InputError
from analisis.stats import cli

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

PHASE_KEYS = ["mean", "sd", "median", "min", "max", "share_at_max"]
SCHEMA = {
    "n_pairs": None,
    "n_excluded": None,
    "pre": PHASE_KEYS,
    "post": PHASE_KEYS,
    "difference": ["mean", "sd", "ci95"],
    "shapiro": ["W", "p"],
    "t_test": ["t", "df", "p"],
    "wilcoxon": ["V", "p", "method", "continuity_correction", "n_zero"],
    "effect_size": [
        "d_z",
        "d_z_ci95",
        "g_z",
        "d_av",
        "g_av",
        "d_rm",
        "rank_biserial",
        "rank_biserial_ci95",
        "cles",
    ],
    "primary_test": None,
}
N_GAIN_KEYS = ["class", "mean_individual", "sd_individual", "n_undefined"]


def run(argv: list[str], capsys) -> tuple[int, dict | None, str]:
    """Run the sub-command with --json the way analisis.cli.main does (AnalisisError -> 2)."""
    parser = argparse.ArgumentParser(prog="analisis")
    cli.add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([*argv, "--json"])
    try:
        code = args.func(args)
    except InputError as error:
        return 2, None, str(error)
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.fixture
def sleep_csv(tmp_path):
    path = tmp_path / "sleep.csv"
    frame = pd.DataFrame({"id": [f"S{i}" for i in range(10)], "g1": SLEEP_1, "g2": SLEEP_2})
    frame.to_csv(path, index=False)
    return path


def assert_schema(result: dict, with_n_gain: bool) -> None:
    expected = list(SCHEMA) + (["n_gain"] if with_n_gain else [])
    assert list(result) == expected
    for key, sub in SCHEMA.items():
        if sub is not None:
            assert list(result[key]) == sub, key
    if with_n_gain:
        assert list(result["n_gain"]) == N_GAIN_KEYS


def test_sleep_through_the_command_matches_r(sleep_csv, capsys):
    code, result, err = run(["paired", str(sleep_csv), "--pre", "g1", "--post", "g2"], capsys)
    assert code == 0
    assert_schema(result, with_n_gain=False)
    assert result["n_pairs"] == 10 and result["n_excluded"] == 0
    # R t.test / wilcox.test / shapiro.test values (docs/statistics.md, "Library traps").
    assert result["t_test"]["t"] == pytest.approx(4.0621, abs=5e-5)
    assert result["t_test"]["p"] == pytest.approx(0.002833, abs=5e-7)
    assert result["difference"]["ci95"] == pytest.approx([0.7001142, 2.4598858], abs=5e-8)
    assert result["wilcoxon"]["V"] == 45
    assert result["wilcoxon"]["p"] == pytest.approx(0.009091, abs=5e-7)
    assert result["shapiro"] == pytest.approx({"W": 0.82987, "p": 0.03334}, abs=5e-6)
    assert result["pre"]["share_at_max"] is None
    assert result["primary_test"] == "wilcoxon"
    assert "normality rejected" in err


def test_excel_missing_values_and_n_gain(tmp_path, capsys):
    path = tmp_path / "scores.xlsx"
    pd.DataFrame({"pre": [40, 80, 100, None, 90], "post": [70, 100, 100, 88, 85]}).to_excel(
        path, index=False
    )
    code, result, err = run(
        ["paired", str(path), "--pre", "pre", "--post", "post", "--max", "100"], capsys
    )
    assert code == 0
    assert_schema(result, with_n_gain=True)
    assert result["n_pairs"] == 4 and result["n_excluded"] == 1
    # Hand: g = 0.5, 1.0, undefined, -0.5; class (88.75 - 77.5) / 22.5 = 0.5.
    assert result["n_gain"]["class"] == pytest.approx(0.5)
    assert result["n_gain"]["mean_individual"] == pytest.approx(1 / 3)
    assert result["n_gain"]["n_undefined"] == 1
    assert result["post"]["share_at_max"] == 0.5
    assert "pre = 100" in err


def test_constant_difference_gives_nulls_and_a_reason(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("pre,post\n60,80\n70,90\n80,100\n")
    code, result, err = run(["paired", str(path), "--pre", "pre", "--post", "post"], capsys)
    assert code == 0
    assert result["t_test"]["t"] is None and result["effect_size"]["d_z"] is None
    assert "all differences equal (20): t and d_z undefined" in err


@pytest.mark.parametrize(
    ("text", "argv", "message"),
    [
        ("pre,post\n1,2\n3,4\n", ["--pre", "pre", "--post", "akhir"], "a column named 'akhir'"),
        ("pre,post\n1,2\n3,x\n4,5\n", ["--pre", "pre", "--post", "post"], "row 3, column 'post'"),
        ("pre,post\n1,2\n3,\n", ["--pre", "pre", "--post", "post"], "at least 2 rows"),
        ("pre,post\n1,2\n3,104\n", ["--pre", "pre", "--post", "post", "--max", "100"], "row 3"),
        ("id,pre,post\nA,1,2\nA,3,4\n", ["--pre", "pre", "--post", "post", "--id", "id"], "row 3"),
    ],
)
def test_errors_name_file_row_and_column(tmp_path, capsys, text, argv, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    code, _, err = run(["paired", str(path), *argv], capsys)
    assert code == 2
    assert str(path) in err and message in err


def test_main_entry_point_exits_2(tmp_path, capsys):
    main_module = pytest.importorskip("analisis.cli")
    pytest.importorskip("analisis.review.cli")
    code = main_module.main(["paired", str(tmp_path / "none.csv"), "--pre", "a", "--post", "b"])
    assert code == 2
    assert "none.csv" in capsys.readouterr().err


def test_default_output_is_an_aligned_table_of_the_same_numbers(sleep_csv, capsys):
    main_module = pytest.importorskip("analisis.cli")
    argv = ["paired", str(sleep_csv), "--pre", "g1", "--post", "g2"]
    assert main_module.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    # Sleep data: mean of group 1 0.75, group 2 2.33, difference 1.58 (R: t = 4.0621).
    assert lines[0].split() == ["pre", "post", "post", "-", "pre"]
    assert lines[1].split() == ["mean", "0.75", "2.33", "1.58"]
    assert len(lines[0]) == len(lines[1]) == len(lines[2])  # right-aligned columns
    tests = {line.split("  ")[0]: line.split("  ")[-1].strip() for line in lines if "  " in line}
    assert tests["paired t-test"] == "t(9) = 4.062, p = 0.002833"


def test_json_flag_prints_the_schema_unchanged(sleep_csv, capsys):
    main_module = pytest.importorskip("analisis.cli")
    assert (
        main_module.main(["paired", str(sleep_csv), "--pre", "g1", "--post", "g2", "--json"]) == 0
    )
    assert_schema(json.loads(capsys.readouterr().out), with_n_gain=False)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max", "0", "argument --max: expected a number above 0 (the lowest score), found '0'"),
        ("--max", "-5", "argument --max: expected a number above 0"),
        ("--max", "nan", "argument --max: expected a number above 0"),
        (
            "--normality-alpha",
            "1.5",
            "argument --normality-alpha: expected a number above 0 and below 1, found '1.5'",
        ),
        (
            "--normality-alpha",
            "0",
            "argument --normality-alpha: expected a number above 0 and below 1",
        ),
        (
            "--normality-alpha",
            "1",
            "argument --normality-alpha: expected a number above 0 and below 1",
        ),
    ],
)
def test_out_of_range_options_exit_2_naming_the_option(sleep_csv, capsys, option, value, message):
    main_module = pytest.importorskip("analisis.cli")
    argv = ["paired", str(sleep_csv), "--pre", "g1", "--post", "g2", option, value]
    with pytest.raises(SystemExit) as exited:
        main_module.main(argv)
    assert exited.value.code == 2
    assert f"analisis: error: {message}" in capsys.readouterr().err


def test_alternatives_are_those_of_the_tests():
    from analisis.stats.paired import ALTERNATIVES

    assert cli.ALTERNATIVES == ALTERNATIVES


def test_semicolon_and_decimal_comma_as_indonesian_excel_saves(tmp_path, capsys):
    # The sleep data written as Excel does with Indonesian settings ("0,7;1,9"): the same
    # R values as the comma file (t = 4.0621, V = 45), and a note saying what was read:
    # all 2 × 10 scores are written with one decimal, so 20 decimal commas.
    path = tmp_path / "sleep_id.csv"
    rows = [
        f"S{i};{a};{b}".replace(".", ",")
        for i, (a, b) in enumerate(zip(SLEEP_1, SLEEP_2, strict=True))
    ]
    path.write_text("id;g1;g2\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, result, err = run(["paired", str(path), "--pre", "g1", "--post", "g2"], capsys)
    assert code == 0
    assert result["t_test"]["t"] == pytest.approx(4.0621, abs=5e-5)
    assert result["wilcoxon"]["V"] == 45
    assert (
        f"analisis: note: {path}: read as semicolon-separated, 20 number(s) with a decimal comma"
        in err
    )


def test_help_lists_every_registered_command(capsys):
    main_module = pytest.importorskip("analisis.cli")
    with pytest.raises(SystemExit) as exited:
        main_module.main(["--help"])
    assert exited.value.code == 0
    # argparse wraps the usage line at the terminal's width: read it as one line.
    usage = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    commands = [
        "paired", "grim", "review", "meta", "pool", "waves", "verify", "record-code", "plan",
        "init",
    ]  # fmt: skip
    assert usage == f"usage: analisis [-h] [--debug] {{{','.join(commands)}}} ..."
    assert list(main_module.COMMANDS) == commands


def test_paired_reads_an_spss_file_through_the_reader_registry(tmp_path, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "sleep.sav"
    frame = pd.DataFrame({"g1": SLEEP_1, "g2": SLEEP_2})
    pyreadstat.write_sav(frame, str(path))
    main_module = pytest.importorskip("analisis.cli")
    argv = ["paired", str(path), "--pre", "g1", "--post", "g2", "--json"]
    assert main_module.main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    # R: t.test(group2, group1, paired = TRUE) on the sleep data: t = 4.0621, df = 9.
    assert result["t_test"]["t"] == pytest.approx(4.0621, abs=5e-5)
    assert result["t_test"]["df"] == 9


def test_primary_test_option(sleep_csv, capsys):
    # Sleep data: Shapiro p = 0.03334 < 0.05 (R), so auto (the default) says Wilcoxon;
    # --primary-test t_test pre-specifies the t-test and the note says so.
    argv = ["paired", str(sleep_csv), "--pre", "g1", "--post", "g2", "--json"]
    _, result, _ = run(argv, capsys)
    assert result["primary_test"] == "wilcoxon"
    code, result, err = run([*argv, "--primary-test", "t_test"], capsys)
    assert code == 0 and result["primary_test"] == "t_test"
    assert "pre-specified" in err
    assert_schema(result, with_n_gain=False)


def test_cli_primary_tests_agree_with_the_statistics():
    from analisis.stats.paired import PRIMARY_TESTS

    assert cli.PRIMARY_TESTS == PRIMARY_TESTS
