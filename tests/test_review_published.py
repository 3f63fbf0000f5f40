"""The published: block and the paper-versus-recomputed table."""

import math
from pathlib import Path

import pytest
import yaml

from analisis.errors import ConfigError
from analisis.review.published import (
    CHECK_COLUMNS,
    parse_published,
    published_check,
    published_check_json,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "published_example.yaml"

# What the pipeline recomputes from the bundled data (see the brief): post mean 2288/23.
RECOMPUTED = {
    "n_pairs": 23,
    "pre_mean": 76.0,
    "post_mean": 2288 / 23,
    "gain": 2288 / 23 - 76,
    "skill_mean": 87.26,
    "skill_n": 23,
}


@pytest.fixture
def block():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]


def test_check_flags_99_50_and_agrees_on_the_rest(block):
    frame = published_check(block, RECOMPUTED).set_index("quantity")
    assert list(published_check(block, RECOMPUTED).columns) == list(CHECK_COLUMNS)
    # 2288/23 = 99.478 -> 99.48 != 99.50; 76.0 -> "76"; 23.478 -> "23.5"; 87.26 -> "87.26".
    assert frame.loc["post_mean", "agrees"] is False
    for quantity in ("n", "pre_mean", "gain", "skill_mean"):
        assert frame.loc[quantity, "agrees"] is True, quantity
    assert frame.loc["post_mean", "grim_consistent"] is False
    assert frame.loc["pre_mean", "grim_consistent"] is True
    assert frame.loc["skill_mean", "grim_consistent"] is True
    assert frame.loc["gain", "grim_consistent"] is None
    assert frame.loc["n", "grim_consistent"] is None
    # Post mean on the 4-point grid: neighbours 4*572/23 = 99.48 and 4*573/23 = 99.65.
    assert frame.loc["post_mean", "grim_nearest_below"] == 99.48
    assert frame.loc["post_mean", "grim_nearest_above"] == 99.65
    assert frame.loc["post_mean", "decimals"] == 2
    assert frame.loc["pre_mean", "step"] == "4"


def test_post_mean_note_in_both_languages(block):
    frame = published_check(block, RECOMPUTED).set_index("quantity")
    note = frame.loc["post_mean", "note"]
    assert note.startswith(
        "99.50 is impossible for 23 integer scores; the nearest possible means are 99.48 "
        "and 99.52; the post-test n may have been 18, 20, 22, 24, 26 or 28."
    )
    assert "On the score grid (23 scores in steps of 4) it is impossible too" in note
    assert "the post-test n may have been 24." in note
    assert "The recomputed value 99.48 does not agree with the printed 99.50." in note
    note_id = frame.loc["post_mean", "note_id"]
    assert note_id.startswith("99,50 tidak mungkin untuk 23 skor bilangan bulat")
    assert "99,48 dan 99,52" in note_id


def test_gain_note_checks_the_printed_means(block):
    note = published_check(block, RECOMPUTED).set_index("quantity").loc["gain", "note"]
    # 99.50 - 76 = 23.50; with the rounding of both means the gain lies in
    # [99.495 - 76.5, 99.505 - 75.5] = [22.995, 24.005], and 23.5 fits.
    assert "GRIM does not apply to it directly" in note
    assert "between 22.995 and 24.005" in note
    assert "the printed 23.5 fits" in note


def test_gain_that_cannot_come_from_the_printed_means():
    block = {
        "n": 10,
        "values": [
            {"quantity": "pre_mean", "printed": "50.0"},
            {"quantity": "post_mean", "printed": "60.0"},
            {"quantity": "gain", "printed": "12.0"},
        ],
    }
    note = published_check(block).set_index("quantity").loc["gain", "note"]
    # [59.95 - 50.05, 60.05 - 49.95] = [9.9, 10.1]; 12.0 +/- 0.05 does not meet it.
    assert "does not fit" in note


def test_without_recomputed_values(block):
    frame = published_check(block)
    assert frame["recomputed"].isna().all()
    assert frame["agrees"].isna().all()
    assert "recomputed" not in frame.set_index("quantity").loc["post_mean", "note"]


def test_skill_mean_without_a_grid_says_so():
    block = {"n": 23, "values": [{"quantity": "skill_mean", "printed": "87.26"}]}
    note = published_check(block).loc[0, "note"]
    assert "integer scores are assumed" in note
    # With a checklist of 36 points, scores are multiples of 100/36 = 25/9:
    # means 25k/(9*23) = 25k/207; k = 722 -> 87.198 (87.20), k = 723 -> 87.319 (87.32).
    block["values"][0]["step"] = "100/36"
    row = published_check(block).iloc[0]
    assert row["grim_consistent"] is False
    assert (row["grim_nearest_below"], row["grim_nearest_above"]) == (87.20, 87.32)


def test_json_document(block):
    document = published_check_json(published_check(block, RECOMPUTED), block)
    assert document["source"].startswith("Kurniyati")
    assert document["rounding"] == "half_up"
    assert [row["quantity"] for row in document["rows"]] == [
        "n", "pre_mean", "post_mean", "gain", "skill_mean",
    ]  # fmt: skip
    gain = document["rows"][3]
    assert gain["grim_nearest_below"] is None and gain["grim_consistent"] is None
    assert list(gain) == list(CHECK_COLUMNS)
    assert not any(
        isinstance(v, float) and math.isnan(v) for r in document["rows"] for v in r.values()
    )


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda b: b["values"][2].update(printed=99.5), "published.values[2].printed"),
        (lambda b: b["values"][2].pop("printed"), "published.values[2].printed"),
        (lambda b: b["values"][1].update(quantity="pre"), "published.values[1].quantity"),
        (lambda b: b.pop("n"), "published.n"),
        (lambda b: b.update(n="23"), "published.n"),
        (lambda b: b.update(score_step=0), "published.score_step"),
        (lambda b: b.update(rounding="bankers"), "published.rounding"),
        (lambda b: b.update(values=[]), "published.values"),
        (lambda b: b.update(extra=1), "published.extra"),
        (lambda b: b["robustness"].update(alpha=2), "published.robustness.alpha"),
        (lambda b: b["robustness"].update(pre_sd=[10]), "published.robustness.pre_sd"),
        (lambda b: b["values"][0].update(printed="23.0"), "published.values[0].printed"),
    ],
)
def test_errors_name_the_key(block, change, key):
    change(block)
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        parse_published(block, file="paper.yaml")


def test_number_instead_of_string_message(block):
    block["values"][2]["printed"] = 99.5
    with pytest.raises(ConfigError) as error:
        parse_published(block, file="paper.yaml")
    assert str(error.value).startswith("paper.yaml: key 'published.values[2].printed'")
    assert "found float 99.5" in str(error.value)


def test_defaults_and_overrides(block):
    parsed = parse_published(block)
    post = parsed.value("post_mean")
    skill = parsed.value("skill_mean")
    assert (post.n, post.step, post.items, post.decimals) == (23, 4, 1, 2)
    assert skill.step == 1 and skill.step_given
    assert parsed.robustness.seed == 20240906
    assert parse_published({"n": 5, "values": [{"quantity": "n", "printed": "5"}]}).score_max == 100


def test_notes_are_written_in_each_language_with_its_decimal_mark():
    block = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["published"]
    frame = published_check(block, RECOMPUTED).set_index("quantity")
    assert frame.loc["post_mean", "note_id"].startswith(
        "99,50 tidak mungkin untuk 23 skor bilangan bulat; rerata terdekat yang mungkin "
        "adalah 99,48 dan 99,52"
    )
    assert frame.loc["post_mean", "note"].endswith(
        "The recomputed value 99.48 does not agree with the printed 99.50."
    )
