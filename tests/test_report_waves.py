"""The report's waves section and figures, from a waves.json worked out by hand.

The data are those of tests/test_stats_waves.py (ANSWERS, via report_fixtures.waves_fixture):
five cadres, four items, the fifth lost before the follow-up. Retention 150 / 225 = 66.7%;
K04 kept all of her gain (1 of 4 kept at least 80%), nobody fell back to baseline.
"""

from __future__ import annotations

import dataclasses

import pytest
from report_fixtures import waves_fixture, write_results_files

from analisis.figures import waves as wave_figures
from analisis.report.context import Formatter
from analisis.report.sources import load_results, wave_labels, wave_means, wave_scores
from analisis.report.waves import completers_sentence, headline, waves_context
from analisis.results import StayersVsLost


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    scores, waves = waves_fixture()
    bundled = load_results(write_results_files(tmp_path_factory.mktemp("waves")))
    return dataclasses.replace(bundled, knowledge_scores=scores, waves=waves)


def test_headline_in_both_languages(results):
    assert headline(results.waves, "en", Formatter("en")) == (
        "3 months after the training, cadres kept 67% of their gain (ratio of means over the "
        "4 cadres tested every time); 1 of 4 kept at least 80% of theirs and 0 fell back to "
        "their baseline or below."
    )
    assert headline(results.waves, "id", Formatter("id")).startswith(
        "3 bulan setelah pelatihan, kader mempertahankan 67% dari peningkatan skornya"
    )


def test_completers_sentence_follows_the_baseline_d():
    f = Formatter("en")
    alike = StayersVsLost("pre", 30, 10, 70.0, 69.0, 1.0, (-5.0, 7.0), 0.7, 0.1)
    assert completers_sentence((alike,), "en", f).startswith("Those who stayed look like")
    lower = StayersVsLost("post", 30, 10, 80.0, 90.0, -10.0, (-18.0, -2.0), 0.02, -0.9)
    sentence = completers_sentence((alike, lower), "en", f)
    assert "scored lower after the training (difference -10.00 [-18.00, -2.00] points, " in (
        sentence
    )
    assert "d = -0.90" in sentence
    assert completers_sentence((), "en", f).startswith("Too few cadres were lost")


def test_section_rows_and_figure_inputs(results):
    context = waves_context(results, "en", Formatter("en"))
    assert context["attrition_rows"] == [["–", "5", "5", "4", "4"]]
    assert context["completers"].startswith("Too few cadres were lost")  # one lost: no d
    assert [row[0] for row in context["pair_rows"]] == [
        "Before training → After training",
        "Before training → 3 months",
        "After training → 3 months",
    ]
    assert len(context["items"][0]["rows"]) == 4
    assert "random intercept for each cadre, REML" in context["mixed"]
    assert wave_labels(results, "id") == ["Sebelum pelatihan", "Setelah pelatihan", "3 bulan"]
    scores = wave_scores(results)
    assert scores.shape == (5, 3) and int(scores.isna().sum().sum()) == 1
    means, intervals = wave_means(results)
    for mean, (lo, hi) in zip(means, intervals, strict=True):
        assert lo < mean < hi
    fig = wave_figures.waves_lines(scores, wave_labels(results, "en"), means, intervals, "en")
    # 5 cadres + the lost cadre's cross + 2 legend handles + the means' error bar line
    assert len(fig.axes[0].lines) >= 6
    alt = wave_figures.waves_lines_alt_text(
        scores, wave_labels(results, "en"), means, intervals, "en"
    )
    assert alt.startswith("Line plot: 5 cadres") and "1 missed a later test" in alt


def test_villages_left_out_are_named_in_both_languages(results):
    assert waves_context(results, "en", Formatter("en"))["left_out"] is None
    some_left = dataclasses.replace(
        results, waves=dataclasses.replace(results.waves, left_out=("desa_x",))
    )
    assert waves_context(some_left, "en", Formatter("en"))["left_out"] == (
        "Villages without every follow-up are not part of this section: desa_x."
    )
    assert "desa_x" in waves_context(some_left, "id", Formatter("id"))["left_out"]
