"""``analisis meta`` and ``analisis pool`` end to end through analisis.cli.main."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from test_stats_meta import BCG, bcg_log_rr

from analisis.cli import main
from analisis.text import say

META_KEYS = [
    "k", "method", "test", "estimate", "se", "ci95", "statistic", "p", "tau2", "tau2_ci95",
    "tau", "I2", "I2_ci95", "H2", "Q", "Q_df", "Q_p", "prediction_interval95", "weights",
]  # fmt: skip


@pytest.fixture
def bcg_csv(tmp_path):
    yi, vi = bcg_log_rr()
    path = tmp_path / "bcg.csv"
    pd.DataFrame({"trial": [f"T{i + 1}" for i in range(13)], "yi": yi, "vi": vi}).to_csv(
        path, index=False, float_format="%.17g"
    )
    return path


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_meta_json_matches_metafor(bcg_csv, capsys):
    argv = ["meta", str(bcg_csv), "--yi", "yi", "--vi", "vi", "--label", "trial", "--json"]
    code, out, err = run([*argv, "--test", "knha"], capsys)
    result = json.loads(out)
    assert code == 0 and err == ""
    assert list(result) == META_KEYS
    # metafor README: rma(yi, vi, data=dat, test="knha") -> -0.7145, CI [-1.1084, -0.3206]
    assert result["estimate"] == pytest.approx(-0.7145, abs=5e-5)
    assert result["ci95"] == pytest.approx([-1.1084, -0.3206], abs=5e-5)
    assert result["I2"] == pytest.approx(92.22, abs=5e-3)
    assert len(result["weights"]) == 13 and sum(result["weights"]) == pytest.approx(100)


def test_meta_table_by_default(bcg_csv, capsys):
    code, out, _ = run(["meta", str(bcg_csv), "--yi", "yi", "--vi", "vi", "--method", "dl"], capsys)
    assert code == 0
    assert "tau² estimator: DL" in out and "tau² 0.3088" in out and "Q(12) = 152.2330" in out


@pytest.mark.parametrize(
    ("edit", "argv", "message"),
    [
        (None, ["--yi", "effect"], "bcg.csv: expected a column named 'effect', "
         "found 'columns trial, yi, vi'"),
        ({"row": 3, "column": "yi", "value": "abc"}, [], "bcg.csv, row 5, column 'yi': "
         "expected a number, found 'abc'"),
        ({"row": 1, "column": "vi", "value": "-0.2"}, [], "bcg.csv, row 3, column 'vi': "
         "expected a variance > 0, found '-0.2'"),
        ("one row", [], "bcg.csv: expected at least 2 rows (k >= 2), found '1 row(s)'"),
    ],
)  # fmt: skip
def test_meta_bad_input_is_one_line_and_exit_2(bcg_csv, capsys, edit, argv, message):
    frame = pd.read_csv(bcg_csv, dtype=str)
    if edit == "one row":
        frame = frame.head(1)
    elif edit:
        frame.loc[edit["row"], edit["column"]] = edit["value"]
    frame.to_csv(bcg_csv, index=False)
    options = {"--yi": "yi", "--vi": "vi"}
    options.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    code, out, err = run(["meta", str(bcg_csv), *[x for kv in options.items() for x in kv]], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("analisis: error: ")
    assert message in err


@pytest.fixture
def villages_csv(tmp_path):
    # Each BCG trial's control arm as a "village" is too large; use 3 small villages.
    rows = [
        ("Sukamaju", 40, 60), ("Sukamaju", 50, 65), ("Sukamaju", 55, 80), ("Sukamaju", 45, 70),
        ("Cibodas", 60, 70), ("Cibodas", 65, 90), ("Cibodas", 50, 55),
        ("Mekarsari", 30, 60), ("Mekarsari", 35, 70), ("Mekarsari", 40, 60),
        ("Mekarsari", 20, 50), ("Mekarsari", "", 50), ("Sendiri", 50, 60),
    ]  # fmt: skip
    path = tmp_path / "villages.csv"
    frame = pd.DataFrame(rows, columns=["desa", "pre", "post"])
    frame.insert(0, "id", [f"K{i:02d}" for i in range(len(rows))])
    frame.to_csv(path, index=False)
    return path


def test_pool_json_schema_and_values(villages_csv, capsys):
    argv = ["pool", str(villages_csv), "--village", "desa", "--pre", "pre", "--post", "post"]
    code, out, err = run([*argv, "--id", "id", "--json"], capsys)
    result = json.loads(out)
    assert code == 0
    assert list(result) == [
        "n_villages", "n_pairs", "villages", "meta_gain", "meta_d_z", "mixed_gain", "excluded",
    ]  # fmt: skip
    assert list(result["meta_gain"]) == META_KEYS == list(result["meta_d_z"])
    assert list(result["mixed_gain"]) == [
        "estimate", "se", "df", "ci95", "tau2", "sigma2", "icc", "boundary", "converged",
        "blups", "target",
    ]  # fmt: skip
    assert (result["n_villages"], result["n_pairs"]) == (3, 11)
    # Sukamaju gains 20, 15, 25, 25: mean 21.25; Mekarsari gains 30, 35, 20, 30: mean 28.75
    gains = {v["village"]: v["gain_mean"] for v in result["villages"]}
    assert gains == pytest.approx({"Sukamaju": 21.25, "Cibodas": 40 / 3, "Mekarsari": 28.75})
    assert result["excluded"] == [{"village": "Sendiri", "n_pairs": 1, "reason": "too_few_pairs"}]
    assert "1 row(s) without both scores left out" in err


def test_pool_table_and_errors(villages_csv, capsys):
    argv = ["pool", str(villages_csv), "--village", "desa", "--pre", "pre", "--post", "post"]
    code, out, _ = run(argv, capsys)
    assert code == 0 and "3 villages, 11 pairs" in out
    assert "excluded: Sendiri (1 pairs): only 1 complete pair(s)" in out
    frame = pd.read_csv(villages_csv, dtype=str, keep_default_na=False)
    frame.loc[2, "post"] = "delapan"
    frame.to_csv(villages_csv, index=False)
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert "villages.csv, row 4, column 'post': expected a number, found 'delapan'" in err


def test_pool_needs_two_villages(tmp_path, capsys):
    path = tmp_path / "one.csv"
    pd.DataFrame({"v": ["a", "a", "b"], "pre": [1, 2, 3], "post": [2, 4, 3]}).to_csv(path)
    code, _, err = run(
        ["pool", str(path), "--village", "v", "--pre", "pre", "--post", "post"], capsys
    )
    assert code == 2
    assert "expected at least 2 villages with 2 or more pairs, found '1 village(s)" in err


def test_other_subcommands_do_not_import_statsmodels():
    code = "import sys; from analisis.cli import build_parser; build_parser(); "
    code += "print('statsmodels' in sys.modules or 'analisis.stats.meta' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_bcg_counts_are_the_13_trials():
    assert BCG.shape == (13, 4) and np.all(BCG > 0)


def test_cli_choices_are_the_module_choices():
    from analisis.stats import meta, pool_cli

    assert (pool_cli.METHODS, pool_cli.TESTS) == (meta.METHODS, meta.TESTS)


def test_meta_reads_excel_too(tmp_path, capsys):
    yi, vi = bcg_log_rr()
    path = tmp_path / "bcg.xlsx"
    pd.DataFrame({"yi": yi, "vi": vi}).to_excel(path, index=False)
    code, out, _ = run(["meta", str(path), "--yi", "yi", "--vi", "vi", "--json"], capsys)
    assert code == 0
    # metafor's rma.uni example: tau² 0.3132, Q(df = 12) = 152.2330
    result = json.loads(out)
    assert result["tau2"] == pytest.approx(0.3132, abs=5e-5)
    assert result["Q"] == pytest.approx(152.2330, abs=5e-5)


def test_pool_target_marks_villages_whose_whole_interval_lies_below(villages_csv, capsys):
    argv = ["pool", str(villages_csv), "--village", "desa", "--pre", "pre", "--post", "post"]
    # Every village's interval lies below 100 points and above -100: all, then none.
    for target, marked in ((100.0, 3), (-100.0, 0)):
        code, out, _ = run([*argv, "--target", str(target), "--json"], capsys)
        blups = json.loads(out)["mixed_gain"]["blups"]
        assert code == 0
        assert [b["below_target"] for b in blups] == [b["ci95"][1] < target for b in blups]
        assert sum(b["below_target"] for b in blups) == marked
        code, out, _ = run([*argv, "--target", str(target)], capsys)
        assert out.count("below target") == marked
    # Without a target no village is marked.
    code, out, _ = run([*argv, "--json"], capsys)
    assert {b["below_target"] for b in json.loads(out)["mixed_gain"]["blups"]} == {None}


def test_villages_that_differ_less_than_chance_give_one_note_not_a_traceback(tmp_path, capsys):
    # lme4's Dyestuff2 (6 batches x 5): lme4 says "boundary (singular) fit"; estimate 5.6656,
    # Std. Error 0.6783880312, df 29 (lmerTest 3.1-3).
    from test_stats_mixed import BATCH, DYESTUFF2

    path = tmp_path / "dyestuff2.csv"
    pd.DataFrame({"batch": BATCH, "pre": 0.0, "post": DYESTUFF2}).to_csv(path, index=False)
    argv = ["pool", str(path), "--village", "batch", "--pre", "pre", "--post", "post"]
    code, out, err = run([*argv, "--json"], capsys)
    mixed = json.loads(out)["mixed_gain"]
    assert code == 0
    assert mixed["boundary"] is True and mixed["tau2"] == 0
    assert mixed["se"] == pytest.approx(0.6783880312, rel=1e-9)
    assert mixed["df"] == pytest.approx(29, rel=1e-6)
    notes = err.splitlines()
    assert "analisis: note: " + say("pool_note.boundary", "en") in notes
    assert all(line.startswith("analisis: note: ") for line in notes) and len(notes) == 2
    code, out, _ = run(argv, capsys)
    assert "Satterthwaite df 29.00" in out and "(boundary fit: tau² = 0)" in out


def test_two_villages_are_called_wide(villages_csv, capsys):
    frame = pd.read_csv(villages_csv)
    frame[frame["desa"].isin(["Sukamaju", "Cibodas"])].to_csv(villages_csv, index=False)
    argv = ["pool", str(villages_csv), "--village", "desa", "--pre", "pre", "--post", "post"]
    code, _, err = run(argv, capsys)
    assert code == 0 and say("pool_note.two_villages", "en") in err


def test_an_internal_error_is_one_line_and_exit_3(villages_csv, capsys, monkeypatch):
    from analisis.stats import pool

    def broken(*args, **kwargs):
        raise ValueError("math domain error")

    monkeypatch.setattr(pool, "pool_villages", broken)
    argv = ["pool", str(villages_csv), "--village", "desa", "--pre", "pre", "--post", "post"]
    code, out, err = run(argv, capsys)
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    assert err.startswith("analisis: error: internal error (ValueError: math domain error)")
    assert "run with --debug" in err and "Traceback" not in err
    code, _, err = run(["--debug", *argv], capsys)
    assert code == 3 and "Traceback (most recent call last)" in err
    assert err.rstrip().splitlines()[-1].startswith("analisis: error: internal error")


def test_a_closed_pipe_ends_quietly(tmp_path):
    # 400 villages of JSON (~0.5 MB) overflow the pipe's buffer, so `head -1` closes it early.
    rng = np.random.default_rng(5)
    village = np.repeat([f"desa{j:03d}" for j in range(400)], 5)
    frame = pd.DataFrame({"v": village, "pre": 50.0, "post": 70 + rng.normal(0, 5, village.size)})
    frame.to_csv(tmp_path / "many.csv", index=False)
    command = (
        f"{sys.executable} -m analisis.cli pool many.csv --village v --pre pre --post post "
        "--json | head -1"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout == "{\n"
    assert done.stderr == "" and done.returncode == 1
