"""The report's planning section and figure, from the report fixtures' results."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from report_fixtures import write_results_files

from analisis.cli import main
from analisis.config import DEFAULTS
from analisis.report.context import Formatter
from analisis.report.figureset import available_figures, draw_figure, figure_alt_text
from analisis.report.planning import command_line, planning_context
from analisis.report.sources import load_results
from analisis.stats.planning import planning_result


@pytest.fixture(scope="module")
def one_village(tmp_path_factory):
    return load_results(write_results_files(tmp_path_factory.mktemp("plan1")))


@pytest.fixture(scope="module")
def three_villages(tmp_path_factory):
    return load_results(write_results_files(tmp_path_factory.mktemp("plan3"), villages=3))


def test_one_village_section_states_the_icc_assumption(one_village):
    plan = one_village.planning.halfwidth_plan
    for lang, words in (("en", "assumes an intra-village correlation (ICC) of 0.05"),
                        ("id", "mengasumsikan korelasi intradesa (ICC) sebesar 0,05")):  # fmt: skip
        section = planning_context(one_village, lang, Formatter(lang))
        assert words in section["assumptions"]
        assert section["sentence"].startswith(f"{plan.planned} ")
        # the assumed ICC, then 0.01 and 0.1, in the table's ICC column
        assert [row[3] for row in section["rows"]] == (
            ["0.050", "0.010", "0.100"] if lang == "en" else ["0,050", "0,010", "0,100"]
        )


def test_several_villages_section_uses_the_pooled_variances(three_villages):
    mixed = three_villages.pooled.mixed_gain
    a = three_villages.planning.halfwidth_plan.assumptions
    assert (a.sigma2, a.tau2) == (mixed.sigma2, mixed.tau2)
    section = planning_context(three_villages, "en", Formatter("en"))
    assert "mixed model of this study's 3 villages" in section["assumptions"]
    assert section["rows"][0][0] == "Estimated in this run"


def test_command_line_recomputes_the_plan(one_village, capsys):
    plan = one_village.planning.halfwidth_plan
    argv = command_line(one_village.planning).split()[1:]
    assert main([*argv, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    # the call rounds σ² and τ² to 4 significant digits: the same plan
    assert again["planned"] == plan.planned
    assert again["villages"] == pytest.approx(plan.villages, rel=1e-3)


def test_planning_figure_in_both_languages(one_village):
    assert "planning_halfwidth" in available_figures(one_village)
    plan = one_village.planning.halfwidth_plan
    for lang, axis in (("en", "Villages (k)"), ("id", "Jumlah desa (k)")):
        figure = draw_figure("planning_halfwidth", one_village, lang)
        axes = figure.axes[0]
        assert axes.get_xlabel() == axis
        # one line per cadres-per-village (5, 10, 12, 15, 20), the target, the plan's point
        assert len(axes.lines) == 7
        point = axes.lines[-1]
        assert point.get_xdata()[0] == plan.planned
        assert point.get_ydata()[0] <= plan.halfwidth
        alt = figure_alt_text("planning_halfwidth", one_village, lang)
        assert f"{plan.planned}" in alt and ("±3.0" in alt or "±3,0" in alt)


def test_planned_point_lies_on_the_curve_of_its_cadres(one_village):
    plan = one_village.planning.halfwidth_plan
    curve = next(c for c in one_village.planning.curves if c.cadres == plan.cadres)
    width = curve.halfwidth[curve.villages.index(plan.planned)]
    assert width == pytest.approx(plan.halfwidth_assured)
    assert width <= plan.halfwidth < curve.halfwidth[curve.villages.index(plan.planned - 1)]
    assert math.isfinite(width)


def test_villages_without_a_mixed_model_fall_back_to_the_icc(three_villages):
    wide = three_villages.knowledge_wide
    pooled = three_villages.pooled.to_dict() | {"mixed_gain": None}
    result = planning_result(wide, pooled, DEFAULTS["planning"])
    assert (result.sigma2_source, result.tau2_source) == ("paired_gains", "icc_assumption")
    gains = (wide["post"] - wide["pre"])[wide["paired"].astype(bool)]
    assert result.halfwidth_plan.assumptions.sigma2 == pytest.approx(gains.var(ddof=1))
    results = dataclasses.replace(three_villages, planning=result)
    section = planning_context(results, "en", Formatter("en"))
    assert section["assumptions"].startswith("The mixed model of this study's 3 villages gave no")
