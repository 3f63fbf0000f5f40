"""Result types: immutable, attribute access, lossless JSON round trip, clear errors."""

from __future__ import annotations

import dataclasses
import json

import pytest
from report_fixtures import PUBLISHED_CHECK, ROBUSTNESS, knowledge_tables, skill_tables

from analisis.errors import InputError
from analisis.outputs import to_jsonable
from analisis.results import PairedDetails, PairedSummary, SkillResult, TTest
from analisis.stats.results import knowledge_results, skill_results
from analisis.stats.summary import paired_summary


@pytest.fixture(scope="module")
def computed():
    knowledge = knowledge_results(**knowledge_tables(), bootstrap_resamples=500, seed=1)
    return {**knowledge, **skill_results(**skill_tables())}


def _through_json(result) -> dict:
    """The document as it is on disk: JSON text (NaN written as null) parsed again."""
    return json.loads(json.dumps(to_jsonable(result), allow_nan=False))


@pytest.mark.parametrize(
    "name", ["knowledge_paired", "knowledge_details", "items_summary", "skill"]
)
def test_round_trip_through_json_is_lossless(computed, name):
    document = _through_json(computed[name])
    again = type(computed[name]).from_dict(document).to_dict()
    assert again == document
    assert list(again) == list(document)  # key order too: same inputs, same bytes


@pytest.mark.parametrize("result", [PUBLISHED_CHECK, ROBUSTNESS], ids=["check", "robustness"])
def test_review_results_round_trip(result):
    document = _through_json(result)
    assert type(result).from_dict(document).to_dict() == document


def test_results_are_immutable_and_read_as_attributes(computed):
    paired = computed["knowledge_paired"]
    assert isinstance(paired, PairedSummary)
    assert isinstance(computed["knowledge_details"], PairedDetails)
    assert isinstance(computed["skill"], SkillResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        paired.n_pairs = 0
    # Student's sleep data, R: t.test(group2, group1, paired = TRUE): t = 4.0621, df = 9.
    sleep, _ = paired_summary(
        [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0],
        [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4],
    )
    assert sleep.t_test.t == pytest.approx(4.0621, abs=5e-5) and sleep.t_test.df == 9
    assert "n_gain" not in sleep.to_dict()  # no scale maximum, no N-gain block


def test_a_missing_key_names_the_file_and_the_dotted_key(computed):
    document = _through_json(computed["knowledge_paired"])
    del document["effect_size"]["d_z"]
    with pytest.raises(InputError) as error:
        PairedSummary.from_dict(document, source="reports/tables/knowledge_paired.json")
    message = str(error.value)
    assert message.startswith("reports/tables/knowledge_paired.json, column 'effect_size.d_z'")


def test_an_unknown_key_or_a_wrong_shape_is_an_input_error():
    with pytest.raises(InputError, match=r"column 'tt'.*unknown key"):
        TTest.from_dict({"t": 1.0, "df": 2, "p": 0.5, "tt": 1}, source="x.json")
    with pytest.raises(InputError, match="an object"):
        TTest.from_dict([1.0, 2, 0.5], source="x.json")
