"""The GENERATED demonstration study with a delayed post-test, through cleaning to waves.json."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate
from test_config import ROOT, SCHEMA

from analisis.clean import clean_study
from analisis.sandbox import copy_workflow, run_snakemake
from analisis.scoring import SCORE_INPUTS, score_study
from analisis.stats.waves import forgetting_counts, waves_results
from analisis.synth import cli
from analisis.synth.programme import village
from analisis.synth.waves import STUDY, follow_up_correct, generate
from analisis.text import say


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    generate(out, 2, seed=5, root=out)
    config = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    return out, config


def test_config_is_valid_and_says_generated(demo):
    out, config = demo
    validate(config, SCHEMA)
    assert "FICTITIOUS" in config["study"]["title"]["en"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "FICTITIOUS" in readme and "## Delayed post-test (GENERATED)" in readme


def test_dropout_is_informative_and_scores_decay():
    # Over 40 villages of the generating model: cadres below their village's median
    # pre-test miss the follow-up far more often (40% against 8% by design), and the
    # follow-up lies between pre and post on average (retention 0.7).
    low_lost, high_lost, kept = [], [], []
    for index in range(1, 41):
        site = village(11, index)
        right = follow_up_correct(site, 11)
        pre = np.array([c.pre_correct for c in site.cadres], dtype=float)
        for k, cadre in enumerate(site.cadres):
            if cadre.post_correct is None or cadre.post_name == "":
                continue
            (low_lost if pre[k] < np.median(pre) else high_lost).append(k not in right)
            if k in right and cadre.post_correct > cadre.pre_correct:
                kept.append((right[k] - cadre.pre_correct, cadre.post_correct - cadre.pre_correct))
    assert np.mean(low_lost) == pytest.approx(0.40, abs=0.07)
    assert np.mean(high_lost) == pytest.approx(0.08, abs=0.04)
    gained, gain = np.array(kept, dtype=float).T
    assert gained.sum() / gain.sum() == pytest.approx(0.7, abs=0.08)


def test_the_demo_goes_through_cleaning_to_waves(demo, monkeypatch):
    out, config = demo
    monkeypatch.chdir(out)
    clean = clean_study(config["cohorts"])  # the log is proven complete over all waves
    scores = score_study(*(clean[name] for name in SCORE_INPUTS))
    result = waves_results(
        scores["knowledge_scores"], forgetting_counts(clean["responses"]), config["cohorts"]
    )
    s = result.summary
    files = [c["knowledge"]["follow_up"][0]["file"] for c in config["cohorts"]]
    assert all(f.endswith(".csv") for f in files)  # seed 5: Forms CSV, one row per line
    # Each follow-up row of the generator is a cadre's only submission: all are scored.
    follow_up_rows = sum(
        1
        for c in config["cohorts"]
        for _ in open(c["knowledge"]["follow_up"][0]["file"], encoding="utf-8")
    ) - len(config["cohorts"])  # headers
    assert (clean["responses"]["phase"] == "fu1").sum() == follow_up_rows * 25
    assert s.n_complete < s.n_cadres
    assert s.mixed_model.n_villages == 2 and s.mixed_model.converged
    assert result.follow_up[0].label == {"id": "3 bulan", "en": "3 months"}


@pytest.mark.pipeline
def test_the_pipeline_runs_the_demonstration_study(tmp_path):
    # What `make demo-follow-up` does, in a copy of the workflow.
    workdir = copy_workflow(ROOT, tmp_path / "run")
    out = workdir / "data" / "raw" / "follow_up_demo"
    cli.main(["--follow-up", "--villages", "2", "--seed", "5", "--out", str(out),
                "--root", str(workdir)])  # fmt: skip
    done = run_snakemake(workdir, "--configfile", "data/raw/follow_up_demo/config.yaml")
    assert done.returncode == 0, done.stderr[-3000:]
    waves = json.loads((workdir / "reports/tables/waves.json").read_text(encoding="utf-8"))
    assert waves["summary"]["waves"] == ["pre", "post", "fu1"]
    for page, heading, title in (
        ("laporan.html", "Bertahan? Tes tunda", STUDY["title"]["id"]),
        ("report.html", "Does it last? Delayed test", STUDY["title"]["en"]),
    ):
        html = (workdir / "reports" / page).read_text(encoding="utf-8")
        assert f'<section id="waves">\n<h2>{heading}</h2>' in html
        assert 'id="fig-waves_diagram"' in html and 'id="fig-waves_lines"' in html
        assert f"<p><strong>{title}</strong>" in html  # the study section says FICTITIOUS
        lang = "id" if page == "laporan.html" else "en"
        assert html.count('class="banner"') == 1  # generated data, not reconstructed
        assert say("report.synthetic_banner", lang) in html
    manifest = (workdir / "reports/MANIFEST.sha256").read_text(encoding="utf-8")
    assert "reports/tables/waves.json" in manifest
    assert "reports/figures/waves_lines_id.pdf" in manifest
    dictionary = pd.read_csv(workdir / "data/processed/data_dictionary.csv")
    phase = dictionary.loc[dictionary["column"] == "phase", "description"].iloc[0]
    assert phase.endswith("Allowed: pre, post, fu1.")
