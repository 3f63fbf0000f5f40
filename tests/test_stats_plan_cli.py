"""``analisis plan`` end to end (the issue's command-line contract) and ``plan sample``.

Reference values are R's ``pwr`` 1.3 (``library(pwr)``; printed with digits = 10).
pwr solves n with ``uniroot(tol = .Machine$double.eps^0.25)``, so solved values agree
within 2e-4 (tighter checks are in tests/test_stats_plan.py).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy import stats

from analisis.cli import main
from analisis.stats.village_sample import _systematic, draw_villages, pps_probabilities


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(argv, capsys) -> dict:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def test_paired_n(capsys):
    # pwr.t.test(d = 0.5, power = 0.9, sig.level = 0.05, type = "paired")$n -> 43.99548138
    result = run_json(["plan", "paired", "--d", "0.5", "--power", "0.9"], capsys)
    assert result["solved"] == "n"
    assert result["n"] == pytest.approx(43.99548138, abs=2e-4)
    assert result["planned"] == 44
    # Wilcoxon by ARE: 43.995 / (3/pi) = 46.07 -> 47; / 0.864 = 50.92 -> 51
    assert [w["planned"] for w in result["wilcoxon"]] == [47, 51]


def test_paired_power(capsys):
    # pwr.t.test(d = 0.4, n = 23, type = "paired")$power -> 0.4501383079
    result = run_json(["plan", "paired", "--d", "0.4", "--n", "23"], capsys)
    assert result["power"] == pytest.approx(0.4501383, abs=1e-7)
    assert result["planned"] is None


def test_paired_one_sided_d(capsys):
    # pwr.t.test(n = 23, power = 0.8, type = "paired")$d -> 0.611277526
    result = run_json(["plan", "paired", "--n", "23", "--power", "0.8"], capsys)
    assert result["d"] == pytest.approx(0.611277526, abs=2e-4)


def test_paired_halfwidth_names_its_method(capsys):
    # R: pchisq((n-1)*(3*sqrt(n)/(qt(.975,n-1)*7.5))^2, n-1): n = 31 -> 0.781, 32 -> 0.824
    argv = ["plan", "paired", "--halfwidth", "3", "--sd", "7.5", "--assurance", "0.8"]
    result = run_json(argv, capsys)
    assert result["planned"] == 32
    assert "Kupper & Hafner" in result["method"]


def test_paired_wilcoxon_simulation_is_seeded(capsys):
    argv = ["plan", "paired", "--d", "0.5", "--power", "0.9", "--simulate", "1000", "--seed", "5"]
    first = run_json(argv, capsys)
    assert first == run_json(argv, capsys)
    # 47 pairs by the normal ARE: about 90 %; SE of 1000 samples 0.95 points
    assert first["wilcoxon_power_simulated"] == pytest.approx(0.90, abs=0.03)
    assert first["simulations"] == 1000 and first["seed"] == 5


def test_villages_halfwidth_and_one_sample_power(capsys):
    base = ["plan", "villages", "--sigma2", "57", "--tau2", "36", "--cadres", "15"]
    # qt(0.975, 11) * sqrt((36 + 57/15) / 12) -> 4.00837207
    result = run_json([*base, "--villages", "12"], capsys)
    assert result["halfwidth"] == pytest.approx(4.008372, abs=1e-6)
    # 1 + (15 - 1)·36/93 = 6.4194; 180 / 6.4194 = 28.04
    assert result["design_effect"] == pytest.approx(1 + 14 * 36 / 93)
    assert result["effective_sample_size"] == pytest.approx(180 / (1 + 14 * 36 / 93))
    # pwr.t.test(n = 12, d = 4/sqrt(36 + 57/15), type = "one.sample")$power -> 0.5173570901
    more = ["--villages", "12", "--mean-gain", "24", "--target-gain", "20"]
    result = run_json([*base, *more], capsys)
    assert result["power"] == pytest.approx(0.5173571, abs=1e-7)
    assert result["test"] == "one.sample"


def test_villages_per_arm(capsys):
    # pwr.t.test(d = 5/sqrt(36 + 57/15), power = 0.9, type = "two.sample")$n -> 34.44494961
    argv = ["plan", "villages", "--sigma2", "57", "--tau2", "36", "--cadres", "15",
            "--difference", "5", "--power", "0.9"]  # fmt: skip
    result = run_json(argv, capsys)
    assert result["villages_per_arm"] == pytest.approx(34.44495, abs=2e-4)
    assert result["planned"] == 35
    code, out, _ = run([*argv[:-1], "0.9"], capsys)
    assert code == 0 and "villages per arm (k) *" in out and "options 35" in out


def test_villages_cost_optimal(capsys):
    # m* = sqrt((400/25)·(57/36)) = 5.033 -> 5 cadres; then k for ±4
    argv = ["plan", "villages", "--sigma2", "57", "--tau2", "36", "--halfwidth", "4",
            "--cost-village", "400", "--cost-cadre", "25"]  # fmt: skip
    result = run_json([*argv, "--assurance", "none"], capsys)
    assert result["cadres_optimal"] == pytest.approx(math.sqrt(16 * 57 / 36))
    assert result["cadres"] == 5
    k = result["planned"]
    sd = math.sqrt(36 + 57 / 5)

    # with the SD taken as known: t(k-1)·sd/sqrt(k) reaches ±4 at k and not at k - 1
    def width(k):
        return stats.t.isf(0.025, k - 1) * sd / math.sqrt(k)

    assert width(k) <= 4 < width(k - 1)
    assert result["cost"] == pytest.approx(k * (400 + 5 * 25))

    # by default with 80 % assurance (Kupper & Hafner): P(chi2(k-1) <= (k-1)(4/width(k))²)
    def assurance(k):
        return stats.chi2.cdf((k - 1) * (4 / width(k)) ** 2, k - 1)

    k80 = run_json(argv, capsys)["planned"]
    assert assurance(k80) >= 0.8 > assurance(k80 - 1)
    assert k80 > k


def test_villages_from_pooled_json_with_tau2_interval(tmp_path, capsys):
    pooled = tmp_path / "pooled.json"
    pooled.write_text(json.dumps({
        "mixed_gain": {"sigma2": 57.0, "tau2": 36.0},
        "meta_gain": {"tau2": 30.0, "tau2_ci95": [5.0, 90.0]},
    }))  # fmt: skip
    argv = ["plan", "villages", "--from", str(pooled), "--cadres", "15", "--villages", "12"]
    result = run_json(argv, capsys)
    assert result["assumptions"]["source"] == "pooled"
    assert result["halfwidth"] == pytest.approx(4.008372, abs=1e-6)
    upper = result["sensitivity"][0]
    assert upper["assumptions"]["source"] == "tau2_upper"
    # qt(0.975, 11) * sqrt((90 + 57/15) / 12)
    assert upper["halfwidth"] == pytest.approx(stats.t.isf(0.025, 11) * math.sqrt(93.8 / 12))


def test_villages_with_icc(capsys):
    argv = ["plan", "villages", "--sigma2", "57", "--icc", "0.05", "--cadres", "12",
            "--villages", "10"]  # fmt: skip
    result = run_json(argv, capsys)
    assert result["assumptions"]["tau2"] == pytest.approx(0.05 * 57 / 0.95)
    assert result["design_effect"] == pytest.approx(1 + 11 * 0.05)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["paired", "--d", "0.5", "--power", "0.05"], "power must lie above alpha"),
        (["paired", "--d", "0.5", "--power", "0.01", "--alpha", "0.01"], "above alpha"),
        (["paired", "--halfwidth", "0", "--sd", "7"], "half-width must be above 0"),
        (["villages", "--sigma2", "57", "--icc", "1", "--cadres", "5", "--villages", "9"],
         "ICC must lie in [0, 1)"),
        (["villages", "--sigma2", "57", "--icc", "-0.2", "--cadres", "5", "--villages", "9"],
         "ICC must lie in [0, 1)"),
        (["villages", "--sigma2", "57", "--tau2", "36", "--cadres", "5", "--halfwidth", "0"],
         "half-width must be above 0"),
        (["villages", "--sigma2", "57", "--tau2", "36", "--villages", "4", "--halfwidth", "3"],
         "cannot reach ±3 with any number of cadres"),
        (["villages", "--sigma2", "57", "--cadres", "5", "--villages", "9"], "--tau2, --icc"),
    ],
)  # fmt: skip
def test_impossible_requests_give_one_line(argv, message, capsys):
    code, out, err = run(["plan", *argv], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("analisis: error: ") and message in err


def test_bad_pooled_json_names_the_key(tmp_path, capsys):
    pooled = tmp_path / "pooled.json"
    pooled.write_text(json.dumps({"mixed_gain": {"sigma2": "x", "tau2": 3}}))
    argv = ["plan", "villages", "--from", str(pooled), "--cadres", "5", "--villages", "9"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err == f"analisis: error: {pooled}, column 'mixed_gain.sigma2': expected a number " \
                  "at 'mixed_gain.sigma2', found \"'x'\"\n"  # fmt: skip


def test_plan_paired_imports_no_pandas():
    code = "import sys; from analisis.cli import main; "
    code += "main(['plan', 'paired', '--d', '0.5', '--power', '0.9', '--json']); "
    code += "print('pandas' in sys.modules, file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["planned"] == 44
    assert done.stderr.strip() == "False"


def test_plan_starts_without_scipy():
    code = "import sys; from analisis.cli import build_parser; build_parser(['plan']); "
    code += "print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------ sample


@pytest.fixture
def frame_csv(tmp_path):
    path = tmp_path / "frame.csv"
    districts = ["Barat"] * 10 + ["Timur"] * 6 + ["Utara"] * 4
    pd.DataFrame({
        "desa": [f"Desa {i:02d}" for i in range(20)],
        "kecamatan": districts,
        "kader": np.arange(20) + 5,
    }).to_csv(path, index=False)  # fmt: skip
    return path


def test_sample_is_reproducible_and_writes_weights(frame_csv, tmp_path, capsys):
    argv = ["plan", "sample", str(frame_csv), "--village", "desa", "--stratum", "kecamatan",
            "--villages", "7", "--seed", "11"]  # fmt: skip
    outs = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for out in outs:
        assert run([*argv, "--out", str(out)], capsys)[0] == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    sample = pd.read_csv(outs[0])
    # 7 of 10/6/4 in proportion: quotas 3.5, 2.1, 1.4 -> 3, 2, 1 and the remainder to Barat
    assert sample.groupby("kecamatan").size().to_dict() == {"Barat": 4, "Timur": 2, "Utara": 1}
    expected = {"Barat": 10 / 4, "Timur": 6 / 2, "Utara": 4 / 1}
    for row in sample.itertuples():
        assert row.design_weight == pytest.approx(expected[row.kecamatan])
        assert row.inclusion_probability == pytest.approx(1 / expected[row.kecamatan])
    # the weights add up to the frame: an unbiased (Horvitz-Thompson) count of villages
    assert sample["design_weight"].sum() == pytest.approx(20)
    other = tmp_path / "c.csv"
    run([*argv[:-1], "12", "--out", str(other)], capsys)
    assert other.read_bytes() != outs[0].read_bytes()


def test_sample_ignores_row_order(frame_csv, tmp_path):
    frame = pd.read_csv(frame_csv)
    first = draw_villages(frame, 5, seed=3, village="desa", stratum="kecamatan")
    shuffled = frame.sample(frac=1, random_state=1)
    assert first.equals(draw_villages(shuffled, 5, seed=3, village="desa", stratum="kecamatan"))


def test_sample_reads_xlsx(frame_csv, tmp_path, capsys):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in pd.read_csv(frame_csv).itertuples(index=False):
        if sheet.max_row == 1 and sheet["A1"].value is None:
            sheet.append(["desa", "kecamatan", "kader"])
        sheet.append(list(row))
    path = tmp_path / "frame.xlsx"
    workbook.save(path)
    argv = ["plan", "sample", str(path), "--village", "desa", "--villages", "4", "--seed", "2"]
    rows = run_json(argv, capsys)
    assert len(rows) == 4 and all(r["design_weight"] == pytest.approx(5.0) for r in rows)


def test_sample_refuses_duplicate_villages(frame_csv, capsys):
    text = frame_csv.read_text() + "Desa 03,Timur,9\n"
    frame_csv.write_text(text)
    argv = ["plan", "sample", str(frame_csv), "--village", "desa", "--villages", "4",
            "--seed", "1"]  # fmt: skip
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err == f"analisis: error: {frame_csv}, row 22, column 'desa': expected each " \
                  "village once, found 'Desa 03 again'\n"  # fmt: skip


def test_sample_notes_a_stratum_left_without_villages(frame_csv, capsys):
    # 2 of 10/6/4: quotas 1.0, 0.6, 0.4 -> Barat 1, Timur 1 (largest remainder), Utara 0
    argv = ["plan", "sample", str(frame_csv), "--village", "desa", "--stratum", "kecamatan",
            "--villages", "2", "--seed", "1"]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0
    assert err == "analisis: note: stratum 'Utara' gets no village in proportion to its size " \
                  "(its villages have inclusion probability 0)\n"  # fmt: skip


def test_sample_refuses_more_villages_than_the_frame(frame_csv, capsys):
    argv = ["plan", "sample", str(frame_csv), "--village", "desa", "--stratum", "kecamatan",
            "--villages", "21", "--seed", "1"]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 2 and "cannot draw 21 of 20 villages" in err and err.count("\n") == 1


def test_pps_probabilities_and_draw_frequencies():
    size = np.array([1.0, 1.0, 2.0, 10.0, 6.0])
    # n = 2: 10 is taken with certainty (2·10/20 = 1); 1 left over 1, 1, 2, 6 (sum 10)
    expected = [0.1, 0.1, 0.2, 1.0, 0.6]
    assert pps_probabilities(size, 2).tolist() == pytest.approx(expected)
    frame = pd.DataFrame({"village": list("abcde"), "size": size})
    drawn = draw_villages(frame, 2, seed=1, size="size")
    assert "d" in drawn["village"].tolist()
    assert drawn["design_weight"].tolist() == pytest.approx(
        [1 / p for v, p in zip("abcde", expected, strict=True) if v in drawn["village"].tolist()]
    )
    # the systematic draw takes each village with frequency π (binomial SE <= 0.35 points)
    rng = np.random.default_rng(5)
    counts = np.zeros(5)
    for _ in range(20_000):
        counts[_systematic(np.array(expected), rng)] += 1
    assert (counts / 20_000).tolist() == pytest.approx(expected, abs=0.012)
