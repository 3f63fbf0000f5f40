"""The registry: which outputs and figures a run has, by what they need."""

from __future__ import annotations

import pytest

from analisis.errors import ConfigError
from analisis.registry import (
    FIGURE_NAMES,
    OUTPUTS,
    REPORT_INPUTS,
    Run,
    figure_names,
    report_inputs,
    rule_outputs,
    run_outputs,
)
from analisis.shards import village_codes


def test_village_outputs_exist_only_with_two_or_more_villages():
    one, many = Run(), Run(villages=True)
    assert rule_outputs("analyse_villages", one) == {
        "by_village": "reports/tables/by_village.csv",
        "skill_steps_by_village": "reports/tables/skill_steps_by_village.csv",
    }
    assert rule_outputs("analyse_villages", many)["pooled"] == "reports/tables/pooled.json"
    assert set(run_outputs(many)) - set(run_outputs(one)) == {
        "reports/tables/pooled.json",
        "reports/tables/input_hashes.csv",
        "reports/tables/data_flow_by_file.csv",
        "reports/tables/sites.csv",
        *(f"reports/figures/{n}_{lang}.{fmt}" for n in ("forest_plot", "skill_by_village")
          for lang in ("id", "en") for fmt in ("png", "svg", "pdf")),
    }  # fmt: skip
    assert "knowledge_by_cohort" not in OUTPUTS


def test_figures_keep_report_order_and_needs_combine():
    every = figure_names(Run(published=True, villages=True, follow_up=True))
    assert every == list(FIGURE_NAMES)
    both = figure_names(Run(published=True, villages=True))
    assert both == [n for n in FIGURE_NAMES if n not in ("waves_diagram", "waves_lines")]
    assert both.index("forest_plot") == both.index("knowledge_paired_plot") + 1
    assert figure_names(Run(published=True)) == [
        n
        for n in FIGURE_NAMES
        if n not in ("forest_plot", "skill_by_village", "waves_diagram", "waves_lines")
    ]


def test_waves_outputs_only_with_follow_ups():
    assert "waves" not in report_inputs(Run(published=True, villages=True))
    assert report_inputs(Run(follow_up=True))["waves"] == "reports/tables/waves.json"
    assert rule_outputs("analyse_waves", Run(follow_up=True)) == {
        "waves": "reports/tables/waves.json"
    }


def test_report_inputs_name_the_village_results():
    assert {"by_village", "pooled", "skill_steps_by_village"} <= set(REPORT_INPUTS)
    assert "pooled" not in report_inputs(Run(published=True))
    assert {"by_village", "skill_steps_by_village"} <= set(report_inputs(Run()))


def test_village_codes_given_derived_and_unique():
    codes = village_codes(
        [{"id": "desa_a", "code": "DES"}, {"id": "desa_b"}, {"id": "x1"}, {"id": "desa_c"}]
    )
    assert codes == {"desa_a": "DES", "desa_b": "DES2", "x1": "X1", "desa_c": "DES3"}
    with pytest.raises(ConfigError, match="code must be unique, found 'AB'"):
        village_codes([{"id": "a", "code": "AB"}, {"id": "b", "code": "AB"}])


def test_village_figures_are_off_above_the_threshold_only():
    many = Run(villages=True, village_figures=False)
    assert "skill_by_group" not in figure_names(many)
    assert "skill_by_group" in figure_names(Run(villages=True))
    assert "skill_by_group" in figure_names(Run())
