"""``analisis grim`` and ``analisis review`` end to end (in process)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analisis.cli import main
from analisis.review.published import published_check
from analisis.review.robustness import robustness
from analisis.review.summary import review_summary

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "published_example.yaml"


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_grim_json_exact_keys(capsys):
    status, out, _ = run(capsys, "grim", "--mean", "99.50", "--n", "23", "--json")
    assert status == 0
    document = json.loads(out)
    assert {
        k: document[k] for k in ("mean", "n", "items", "decimals", "consistent", "nearest")
    } == {
        "mean": "99.50",
        "n": 23,
        "items": 1,
        "decimals": 2,
        "consistent": False,
        "nearest": [99.48, 99.52],
    }
    assert set(document) == {
        "mean", "n", "items", "decimals", "consistent", "nearest", "step", "rounding",
        "consistent_half_even", "possible_n",
    }  # fmt: skip
    assert document["possible_n"] == [18, 20, 22, 24, 26, 28]


def test_grim_paper_values(capsys):
    for mean, consistent in (("76", True), ("87.26", True), ("99.50", False)):
        _, out, _ = run(capsys, "grim", "--mean", mean, "--n", "23", "--json")
        assert json.loads(out)["consistent"] is consistent


def test_grim_step_and_sd(capsys):
    _, out, _ = run(
        capsys, "grim", "--mean", "99.50", "--n", "23", "--step", "4", "--min", "0", "--max",
        "100", "--json",
    )  # fmt: skip
    assert json.loads(out)["nearest"] == [99.48, 99.65]
    _, out, _ = run(capsys, "grim", "--mean", "3.44", "--sd", "2.47", "--n", "18", "--json")
    document = json.loads(out)
    assert document["grimmer_consistent"] is False and document["grimmer_reason"] == "parity"


def test_grim_text_mentions_the_half_even_verdict(capsys):
    _, out, _ = run(capsys, "grim", "--mean", "1.12", "--n", "8")
    assert "IMPOSSIBLE" in out
    assert "Half-even rounding changes the verdict: consistent." in out


def test_grim_bad_mean_exit_2(capsys):
    status, _, err = run(capsys, "grim", "--mean", "abc", "--n", "23")
    assert status == 2
    assert err.startswith("analisis: error: command line")


def test_review_summary_in_both_languages(capsys):
    status, out, _ = run(capsys, "review", str(EXAMPLE), "--n-samples", "250", "--lang", "en")
    assert status == 0
    assert "post_mean = 99.50: IMPOSSIBLE." in out
    assert "the gain is significant at alpha = 0.05 in every data set" in out
    assert "t(22) = 2.61" in out
    status, out, _ = run(capsys, "review", str(EXAMPLE), "--n-samples", "250", "--lang", "id")
    assert status == 0
    assert "post_mean = 99,50: TIDAK MUNGKIN." in out
    assert "peningkatan bermakna pada alpha = 0,05 untuk setiap data" in out
    assert "t(22) = 2,61" in out


def test_review_json(capsys):
    status, out, _ = run(capsys, "review", str(EXAMPLE), "--n-samples", "250", "--json")
    document = json.loads(out)
    assert status == 0
    assert set(document) == {"published_check", "robustness"}
    assert document["robustness"]["significant_in_every_case"] is True
    assert document["published_check"]["rows"][2]["grim_consistent"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "published:\n  n: 23\n  values:\n    - {quantity: post_mean, printed: 99.50}\n",
            "key 'published.values[0].printed'",
        ),
        ("published:\n  values:\n    - {quantity: n, printed: '23'}\n", "key 'published.n'"),
        ("paper: 1\n", "key 'published'"),
        ("published: [unclosed\n", "expected a YAML file"),
    ],
)
def test_review_errors_exit_2(capsys, tmp_path, text, message):
    path = tmp_path / "paper.yaml"
    path.write_text(text, encoding="utf-8")
    status, out, err = run(capsys, "review", str(path))
    assert status == 2
    assert out == ""
    assert message in err and str(path) in err


def test_review_missing_file(capsys, tmp_path):
    status, _, err = run(capsys, "review", str(tmp_path / "none.yaml"))
    assert status == 2 and "no such file" in err


def test_summary_function_languages():
    block = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]
    check = published_check(block)
    robust = robustness(block, n_samples=100, seed=1)
    english = review_summary(check, robust, lang="en", source="Paper")
    indonesian = review_summary(check, robust, lang="id", source="Paper")
    assert "99.50 is impossible for 23 integer scores" in english
    assert "99,50 tidak mungkin untuk 23 skor bilangan bulat" in indonesian
    assert "99,48 atau 99,65" in indonesian and "99.48 or 99.65" in english


def test_summary_parts_are_numbered_one_after_another():
    block = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]
    robust = robustness(block, n_samples=50, seed=1)
    for lang in ("en", "id"):
        lines = review_summary(published_check(block), robust, lang=lang).splitlines()
        numbers = [line.split(".")[0] for line in lines if line[:1].isdigit()]
        # The summary once jumped from part 1 to part 3.
        assert numbers == ["1", "2"], lang


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["grim", "--mean", "99.50", "--n", "0"],
            "argument --n: expected a whole number of at least 1, found '0'",
        ),
        (
            ["grim", "--mean", "99.50", "--n", "2.5"],
            "argument --n: expected a whole number of at least 1",
        ),
        (
            ["grim", "--mean", "99.5", "--n", "23", "--items", "0"],
            "argument --items: expected a whole number of at least 1",
        ),
        (
            ["grim", "--mean", "99.5", "--n", "23", "--window", "-1"],
            "argument --window: expected a whole number of at least 0",
        ),
        (
            ["grim", "--mean", "99.5", "--n", "23", "--max", "inf"],
            "argument --max: expected a number, found 'inf'",
        ),
        (
            ["review", str(EXAMPLE), "--n-samples", "0"],
            "argument --n-samples: expected a whole number of at least 1",
        ),
        (
            ["review", str(EXAMPLE), "--time-limit", "0"],
            "argument --time-limit: expected a number above 0",
        ),
        (
            ["review", str(EXAMPLE), "--seed", "-1"],
            "argument --seed: expected a whole number of at least 0",
        ),
    ],
)
def test_out_of_range_options_exit_2_naming_the_option(capsys, argv, message):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert f"analisis: error: {message}" in capsys.readouterr().err


def test_grim_max_below_min_exit_2(capsys):
    status, _, err = run(capsys, "grim", "--mean", "50", "--n", "23", "--min", "100", "--max", "0")
    assert status == 2
    assert err == "analisis: error: command line: expected --max above --min (100), found '0'\n"


GRIM_MODULES = """
import sys
from analisis.cli import main
main(["grim", "--mean", "99.50", "--n", "23", "--sd", "1.2", "--json"])
heavy = sorted(m for m in ("numpy", "pandas", "scipy", "yaml") if m in sys.modules)
print("heavy:", heavy)
"""


def test_grim_runs_without_numpy_pandas_scipy_or_yaml():
    # GRIM and GRIMMER are exact arithmetic: the command must not load the numerical stack.
    done = subprocess.run(
        [sys.executable, "-c", GRIM_MODULES], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "heavy: []"


def test_grim_json_is_what_the_pipeline_writer_would_write(capsys):
    from analisis.outputs import to_jsonable

    _, out, _ = run(capsys, "grim", "--mean", "3.44", "--sd", "2.47", "--n", "18", "--json")
    document = json.loads(out)
    assert out == json.dumps(to_jsonable(document), indent=2, ensure_ascii=False) + "\n"
