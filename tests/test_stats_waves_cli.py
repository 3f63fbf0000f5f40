"""``analisis waves`` end to end through analisis.cli.main, checked against R.

The file is R's ``RoundingTimes`` (``?friedman.test``) as a wide table, 22 players with
the three methods as waves RO, NA, WA, plus a 23rd player measured at RO and NA only (a
cadre lost before the follow-up): the complete-case tests must ignore that player, the
mixed model must use both of its scores.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_stats_waves import ROUNDING_TIMES

from analisis.cli import main

ARGS = ["--id", "player", "--waves", "RO,NA,WA"]


@pytest.fixture
def wide_csv(tmp_path):
    frame = ROUNDING_TIMES.copy()
    frame.loc[22] = [5.10, 5.20, float("nan")]
    frame.insert(0, "player", [f"P{i + 1:02d}" for i in range(23)])
    frame.insert(1, "team", ["north"] * 12 + ["south"] * 11)
    path = tmp_path / "rounding.csv"
    frame.to_csv(path, index=False)
    return path


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_r(wide_csv, capsys):
    code, out, err = run(["waves", str(wide_csv), *ARGS, "--json"], capsys)
    assert code == 0
    r = json.loads(out)
    assert (r["n_cadres"], r["n_complete"], r["n_incomplete"]) == (23, 22, 1)
    assert r["attrition"] == [
        {"village": None, "RO": 23, "NA": 23, "WA": 22, "complete": 22, "starters": 23}
    ]
    # R> friedman.test(RoundingTimes): Friedman chi-squared = 11.143, df = 2, p = 0.003805
    assert r["friedman"]["chi2"] == pytest.approx(11.143, abs=5e-4)
    assert r["friedman"]["analysis"] == "complete cases"
    # afex::aov_ez (see tests/test_stats_waves.py): F = 6.2883, GG eps 0.7735, HF 0.8233709
    assert r["rm_anova"]["F"] == pytest.approx(6.2883, abs=5e-5)
    assert r["rm_anova"]["eps_hf"] == pytest.approx(0.8233709, abs=5e-8)
    # R> pairwise.t.test(..., paired = TRUE, p.adjust.method = "holm"): WA-NA 0.002
    assert r["pairwise"][2]["p_t_holm"] == pytest.approx(0.002, abs=5e-4)
    # R> d <- (RoundingTimes in long form, waves ordered RO, NA, WA) + player 23 (RO 5.10,
    #    NA 5.20); m <- lmer(y ~ wave + (1 | id), data = d, REML = TRUE)
    # R> fixef(m)  ->  5.523913043478 -0.004347826087 -0.080844011533
    # R> sqrt(diag(vcov(m)))  ->  0.05720225154 0.02538985013 0.02581165455
    # R> as.data.frame(VarCorr(m))  ->  id 0.067844832738, Residual 0.007413411629
    m = r["mixed_model"]
    assert m["analysis"].startswith("all cadres") and "missing at random" in m["analysis"]
    assert (m["n_cadres"], m["n_observations"]) == (23, 68)
    assert m["means"][0]["estimate"] == pytest.approx(5.523913043478, abs=1e-7)
    assert m["means"][0]["se"] == pytest.approx(0.05720225154, rel=1e-5)
    ro_na, ro_wa = m["differences"][0], m["differences"][1]
    assert (ro_na["earlier"], ro_na["later"]) == ("RO", "NA")
    assert ro_na["estimate"] == pytest.approx(-0.004347826087, abs=1e-7)
    assert ro_wa["estimate"] == pytest.approx(-0.080844011533, abs=1e-7)
    assert [ro_na["se"], ro_wa["se"]] == pytest.approx([0.02538985013, 0.02581165455], rel=1e-5)
    assert m["tau2_cadre"] == pytest.approx(0.067844832738, rel=1e-5)
    assert m["sigma2"] == pytest.approx(0.007413411629, rel=1e-5)
    # Player 23 is the only one lost: baseline of stayers (22) against lost (1): no interval.
    assert r["baseline"][0]["n_lost"] == 1 and r["baseline"][0]["d"] is None
    assert "analisis: error" not in err


def test_table_by_default_labels_the_analyses(wide_csv, capsys):
    code, out, _ = run(["waves", str(wide_csv), *ARGS, "--village", "team"], capsys)
    assert code == 0
    assert "Complete cases (n = 22)" in out
    assert "Friedman: chi²(2) = 11.14, p = 0.004, Kendall's W = 0.253" in out
    assert "Huynh-Feldt eps = 0.823, p = 0.007" in out
    assert "valid if missing at random" in out and "per village" in out
    assert "north" in out and "south" in out


@pytest.mark.parametrize(
    ("edit", "argv", "message"),
    [
        (None, ["--waves", "RO,NA,FU"], "rounding.csv: expected a column named 'FU', "
         "found 'columns player, team, RO, NA, WA'"),
        ((4, "WA", "5,5x"), [], "rounding.csv, row 6, column 'WA': expected a number, "
         "found '5,5x'"),
        ((4, "player", "P01"), [], "rounding.csv, row 6, column 'player': expected a unique "
         "cadre id, found 'P01'"),
        ((2, "player", ""), [], "rounding.csv, row 4, column 'player': expected cadre id, "
         "found ''"),
        ((3, "NA", "7"), ["--max", "6.5"], "rounding.csv, row 5, column 'NA': expected a score "
         "between 0 and 6.5, found '7'"),
        ("few", [], "rounding.csv: expected at least 3 rows with a score at every wave "
         "(RO, NA, WA), found '2 such row(s)'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(wide_csv, capsys, edit, argv, message):
    frame = pd.read_csv(wide_csv, dtype=str, keep_default_na=False)
    if edit == "few":
        frame.loc[2:, "WA"] = ""
    elif edit:
        frame.loc[edit[0], edit[1]] = edit[2]
    frame.to_csv(wide_csv, index=False)
    options = dict(zip(ARGS[::2], ARGS[1::2], strict=True))
    options.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    flat = [x for kv in options.items() for x in kv]
    code, out, err = run(["waves", str(wide_csv), *flat], capsys)
    assert (code, out) == (2, "")
    assert err == f"analisis: error: {wide_csv}{message.removeprefix('rounding.csv')}\n"


def test_fewer_than_three_waves_is_a_usage_error(wide_csv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["waves", str(wide_csv), "--id", "player", "--waves", "RO,NA"])
    assert stop.value.code == 2
    assert "expected at least 3 wave columns, found 2" in capsys.readouterr().err


def test_the_cli_repeats_the_minimum_of_the_statistics():
    from analisis.stats import waves, waves_cli

    assert waves_cli.MIN_COMPLETE == waves.MIN_COMPLETE


def test_the_optimisers_messages_are_one_line(tmp_path, capsys):
    # Every cadre has the same mean over the three tests (her deviations are a permutation
    # of -5, 0, 5), so the cadres' variance is on its boundary 0 and statsmodels' optimisers
    # leave several warnings: the screen gets one line, the JSON keeps their text.
    patterns = [(-5, 0, 5), (0, 5, -5), (5, -5, 0), (-5, 5, 0), (0, -5, 5), (5, 0, -5)] * 2
    rows = [[f"K{i:02d}", 50 + a, 80 + b, 70 + c] for i, (a, b, c) in enumerate(patterns)]
    path = tmp_path / "flat.csv"
    pd.DataFrame(rows, columns=["player", "RO", "NA", "WA"]).to_csv(path, index=False)
    code, out, err = run(["waves", str(path), *ARGS, "--json"], capsys)
    mixed = json.loads(out)["mixed_model"]
    assert code == 0 and mixed["notes"]
    lines = [line for line in err.splitlines() if "mixed model" in line]
    assert lines == [
        f"analisis: note: mixed model: {'converged' if mixed['converged'] else 'did NOT converge'}"
        f"; the optimiser left {len(mixed['notes'])} message(s), in mixed_model.notes of --json"
    ]
