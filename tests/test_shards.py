"""Shards of villages: the plan (unit) and what a one-village edit reruns (pipeline)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analisis.clean import clean_study
from analisis.config import DEFAULTS
from analisis.preflight import configured_files
from analisis.registry import (
    EVERYTHING,
    GATHER_RULES,
    gather_inputs,
    run_outputs,
    shard_outputs,
)
from analisis.sandbox import copy_workflow, run_snakemake
from analisis.scoring import score_study
from analisis.shards import (
    config_digest,
    shard_count,
    shard_of,
    shard_plan,
    study_codes,
    study_config,
)
from analisis.stats.items import ITEM_OWN_COLUMNS, ItemCounts
from analisis.stats.results import (
    concat_village_parts,
    each_village,
    knowledge_results,
    skill_results,
)
from analisis.stats.shard import shard_summaries
from analisis.synth import cli
from analisis.tables import combine, merge_parts, write_table

ROOT = Path(__file__).resolve().parents[1]
IDS = [f"desa_{i:03d}" for i in range(1, 41)]


def test_the_plan_is_deterministic_and_holds_every_cohort_once():
    # 40 villages at 5 a shard: 8 shards.
    plan = shard_plan(IDS, 5)
    assert plan == shard_plan(list(IDS), 5)
    assert sorted(i for ids in plan.values() for i in ids) == IDS
    assert all(plan.values()) and list(plan) == sorted(plan)
    assert all(shard_of(i, 8) == shard for shard, ids in plan.items() for i in ids)


def test_adding_a_village_changes_only_its_own_shard():
    # 40 and 41 villages at 6 a shard are both 8 shards (room for 48).
    before, after = shard_plan(IDS, 6), shard_plan([*IDS, "desa_new"], 6)
    changed = {s for s in after if after[s] != before.get(s)}
    assert changed == {shard_of("desa_new", 8)}


def test_one_shard_keeps_every_village_and_names_are_padded():
    assert shard_plan(IDS, 40) == {"s0": IDS}
    assert set(shard_plan(IDS, 3)) <= {f"s{i:02d}" for i in range(16)}


def test_shards_are_sized_by_villages_and_split_in_two_when_the_programme_doubles():
    # The smallest power of two that keeps shards at the size or below, on average.
    assert [shard_count(n, 100) for n in (1, 100, 101, 1000, 10_000)] == [1, 1, 2, 16, 128]
    assert shard_count(80_000, 100) == 1024
    # 20 villages at 5 a shard are 4 shards; 40 are 8, each within one of the 4.
    small, large = shard_plan(IDS[:20], 5), shard_plan(IDS, 5)
    for ids in large.values():
        assert len({shard_of(i, 4) for i in ids if i in IDS[:20]}) <= 1
    assert sum(len(ids) for ids in small.values()) == 20


def test_village_codes_are_the_studys_not_the_shards():
    codes = study_codes([{"id": i} for i in IDS])
    assert len(set(codes.values())) == len(IDS)
    # Why each shard is given the study's codes: on its own it would number them anew.
    alone = [study_codes([{"id": i} for i in ids]) for ids in shard_plan(IDS, 10).values()]
    assert any(codes[i] != code for shard in alone for i, code in shard.items())


def test_a_shard_is_cleaned_with_the_studys_codes():
    bundled = yaml.safe_load((ROOT / "config/config.yaml").read_text())["cohorts"][0]
    tables = clean_study([bundled], codes={bundled["id"]: "XYZ"})
    assert tables["participants"]["participant_id"].str.startswith("XYZ-").all()


def test_shards_gathered_equal_the_study_cleaned_and_scored_at_once(tmp_path, monkeypatch):
    bundled = yaml.safe_load((ROOT / "config/config.yaml").read_text())["cohorts"][0]
    second = json.loads(json.dumps(bundled).replace("kampung_delima", "desa_kedua"))
    shutil.copytree(ROOT / "config/instruments", tmp_path / "config/instruments")
    for village in ("kampung_delima", "desa_kedua"):
        shutil.copytree(ROOT / "data/raw/kampung_delima", tmp_path / "data/raw" / village)
    monkeypatch.chdir(tmp_path)
    cohorts = [bundled, second]
    whole = clean_study(cohorts)
    whole |= score_study(whole["responses"], whole["skill_steps"], whole["participants"])
    codes = study_codes(cohorts)
    parts = []
    for cohort in reversed(cohorts):  # shards in any order
        part = clean_study([cohort], codes={cohort["id"]: codes[cohort["id"]]})
        parts.append(
            part | score_study(part["responses"], part["skill_steps"], part["participants"])
        )
    for name, frame in whole.items():
        pd.testing.assert_frame_equal(combine([p[name] for p in parts], name), frame)
        # The gather jobs merge the parts' bytes: the same file as the table written whole.
        files = [tmp_path / f"{name}_{i}.csv" for i in range(len(parts))]
        for file, part in zip(files, parts, strict=True):
            write_table(part[name], name, file)
        write_table(frame, name, tmp_path / f"{name}.csv")
        merge_parts(files, tmp_path / f"{name}_merged.csv")
        assert (tmp_path / f"{name}_merged.csv").read_bytes() == (
            tmp_path / f"{name}.csv"
        ).read_bytes()
    # What the shards send the study-wide analyses adds up to the study analysed at once.
    sent = [shard_summaries(part, DEFAULTS["analysis"], DEFAULTS["scoring"]) for part in parts]
    at_once = knowledge_results(
        whole["knowledge_wide"],
        whole["knowledge_scores"],
        whole["responses"],
        bootstrap_resamples=200,
    )
    reduced = knowledge_results(
        whole["knowledge_wide"],
        whole["knowledge_scores"],
        item_parts=[ItemCounts(s["item_counts"], s["item_totals"]) for s in sent],
        bootstrap_resamples=200,
    )
    # Across shards discrimination and a step's SD and mean share are exact fractions of
    # integer sums; the study read at once has numpy's floats over its answers in order,
    # whose rounding errors grow with the cancellation in r near 0: equal to 1e-14.
    _assert_equal_but_last_bits(
        reduced["item_analysis"], at_once["item_analysis"], ITEM_OWN_COLUMNS
    )
    assert reduced["items_summary"] == at_once["items_summary"]
    steps = skill_results(
        whole["skill_scores"],
        step_counts_parts=[s["step_counts"] for s in sent],
        step_summary_parts=[s["skill_steps_summary"] for s in sent],
    )["skill_steps_summary"]
    expected = skill_results(whole["skill_scores"], whole["skill_steps"])["skill_steps_summary"]
    _assert_equal_but_last_bits(steps, expected, ["sd_points", "mean_share"])
    villages = each_village(whole["knowledge_wide"], whole["skill_scores"], whole["skill_steps"])
    for name, table in villages.items():
        pd.testing.assert_frame_equal(concat_village_parts([s[name] for s in sent]), table)


def _assert_equal_but_last_bits(got: pd.DataFrame, expected: pd.DataFrame, columns) -> None:
    """``got`` equals ``expected``, except that ``columns`` (of values near 1) may differ
    by 1e-14 (NaN where the other is NaN): far below the printed digits, far above
    nothing."""
    columns = list(columns)
    pd.testing.assert_frame_equal(got.drop(columns=columns), expected.drop(columns=columns))
    for column in columns:
        a, b = got[column].to_numpy(float), expected[column].to_numpy(float)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-14, equal_nan=True)


def test_intermediate_tables_stay_out_of_the_manifest():
    files = set(run_outputs(EVERYTHING))
    parts = {
        p
        for rule in GATHER_RULES
        for paths in gather_inputs(rule, ["s0", "s1"]).values()
        for p in paths
    }
    # Every shard part is read by exactly one gather rule.
    assert len(parts) == 2 * len(shard_outputs())
    assert parts and not parts & files
    assert all("/private/" in p for n, p in shard_outputs().items() if n in ("linkage", "matches"))


def test_the_reports_config_leaves_out_how_the_run_is_spread():
    config = {"cohorts": [{"id": "a"}], "scale": {"villages_per_shard": 4}}
    assert study_config(config) == {"cohorts": [{"id": "a"}]}
    assert config_digest(config) == config_digest({**config, "scale": {"villages_per_shard": 9}})
    assert config_digest(config) != config_digest({"cohorts": [{"id": "b"}]})


# ------------------------------------------------------------------- pipeline


def _planned_jobs(dry_run: str) -> list[tuple[str, str | None]]:
    """(rule, shard or None) of every job a ``snakemake --dry-run`` lists."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", dry_run)[1:]:
        rule = re.match(r"(?:local)?rule (\w+):", block).group(1)
        shard = re.search(r"^\s+wildcards: .*\bshard=(\w+)", block, re.MULTILINE)
        jobs.append((rule, shard.group(1) if shard else None))
    return jobs


def test_no_study_wide_analysis_reads_every_answer(tmp_path):
    # A programme with a delayed test, two villages a shard apart: in the graph of its
    # rules, the merged answers and checklist steps feed only the two rules that hash
    # files (the manifest, the manuscript kit's data-availability checksum); the analyses
    # (waves included) read the shards' counts.
    workdir = copy_workflow(ROOT, tmp_path / "run")
    out = workdir / "data/raw/programme"
    cli.main(["--follow-up", "--villages", "2", "--out", str(out), "--root", str(workdir)])
    (workdir / "extra.yaml").write_text(yaml.safe_dump({"scale": {"villages_per_shard": 1}}))
    done = run_snakemake(workdir, "--rulegraph", *CONFIG)
    assert done.returncode == 0, done.stderr[-3000:]
    names = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", done.stdout, re.MULTILINE))
    feeds: dict[str, set[str]] = {}
    for source, target in re.findall(r"^\s*(\d+) -> (\d+)$", done.stdout, re.MULTILINE):
        feeds.setdefault(names[source], set()).add(names[target])
    assert "analyse_waves" in names.values()
    assert feeds["gather_responses"] == feeds["gather_steps"] == {"manifest", "manuscript"}
    assert {"analyse_knowledge", "analyse_skill", "analyse_waves"} <= feeds["clean_score_shard"]


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> tuple[Path, list[str], int]:
    """A run of four generated villages in two or more shards, above a
    ``village_figures_max`` of 3: (workdir, cohort ids, villages per shard)."""
    workdir = copy_workflow(ROOT, tmp_path_factory.mktemp("shards") / "run")
    out = workdir / "data/raw/programme"
    cli.main(["--villages", "4", "--seed", "3", "--out", str(out), "--root", str(workdir)])
    ids = [c["id"] for c in yaml.safe_load((out / "config.yaml").read_text())["cohorts"]]
    per_shard = next(n for n in (2, 1) if len(shard_plan(ids, n)) >= 2)
    extra = {"scale": {"villages_per_shard": per_shard, "village_figures_max": 3}}
    (workdir / "extra.yaml").write_text(yaml.safe_dump(extra))
    done = run_snakemake(workdir, *CONFIG)
    assert done.returncode == 0, done.stderr[-3000:]
    return workdir, ids, per_shard


CONFIG = ("--configfile", "data/raw/programme/config.yaml", "extra.yaml")


@pytest.mark.pipeline
def test_the_report_lists_every_raw_file_of_every_shard_once_with_its_sha256(programme):
    # The shards record their raw files' hashes; the report reads those records instead
    # of taking the raw files as inputs. Hashes recomputed here with hashlib.
    workdir, _, _ = programme
    config = yaml.safe_load((workdir / CONFIG[1]).read_text())
    files = sorted({path for _, path in configured_files(config)})
    page = (workdir / "reports/report.html").read_text(encoding="utf-8")
    listed = re.findall(
        r'<tr><td><code>([^<]+)</code></td><td class="hash"><code>([0-9a-f]{64})</code>', page
    )
    assert listed == [
        (path, hashlib.sha256((workdir / path).read_bytes()).hexdigest()) for path in files
    ]


@pytest.mark.pipeline
def test_editing_one_village_reruns_only_its_shard(programme):
    workdir, ids, per_shard = programme
    plan = shard_plan(ids, per_shard)
    assert len(plan) >= 2
    for shard in plan:
        assert (workdir / shard_outputs(shard)["linkage"]).is_file()
    cohort = yaml.safe_load((workdir / CONFIG[1]).read_text())["cohorts"][0]
    export = workdir / cohort["knowledge"]["pre"]
    export.write_bytes(export.read_bytes() + b"\n")
    dry = run_snakemake(workdir, *CONFIG, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-3000:]
    jobs = _planned_jobs(dry.stdout + dry.stderr)
    mine = shard_of(cohort["id"], shard_count(len(ids), per_shard))
    assert {(rule, shard) for rule, shard in jobs if shard} == {("clean_score_shard", mine)}
    assert ("gather", None) in jobs and ("manifest", None) in jobs


@pytest.mark.pipeline
def test_above_the_threshold_no_figure_draws_every_villages_groups(programme):
    workdir = programme[0]
    assert not list((workdir / "reports/figures").glob("skill_by_group_*"))
    assert list((workdir / "reports/figures").glob("skill_by_village_*"))
    for report in ("report.html", "laporan.html"):
        assert 'id="fig-skill_by_group"' not in (workdir / "reports" / report).read_text()
