from analisis import registry
from analisis.preflight import configured_files
from analisis.provenance import code_fingerprint
from analisis.report.citation import CITATION_FILE
from analisis.shards import (
    cohorts_by_shard,
    config_digest,
    shard_plan,
    study_codes,
    write_raw_records,
)

# A change anywhere in the package re-runs the rules that take it as a param.
CODE = code_fingerprint(SRC / "analisis")
LANGUAGES = list(registry.LANGUAGES)
FIGURE_FORMATS = list(registry.FIGURE_FORMATS)


def raw_files(cohorts):
    """Every raw export, workbook, instrument and overrides file the cohorts name."""
    return sorted({path for _, path in configured_files({"cohorts": cohorts})})


# Clean and score run per shard of villages (analisis.shards): {shard: [cohort ids]}.
SHARDS = shard_plan([c["id"] for c in config["cohorts"]], config["scale"]["villages_per_shard"])
# Pseudonym prefixes are decided over the whole study, never per shard.
CODES = exit_on_error(study_codes, config["cohorts"])


SHARD_COHORTS = cohorts_by_shard(config["cohorts"], SHARDS)
# Each shard's raw files, listed once (its job's record below and its params).
SHARD_RAW_FILES = {shard: raw_files(cohorts) for shard, cohorts in SHARD_COHORTS.items()}


def shard_cohorts(wildcards):
    """The config entries of the shard's cohorts (its jobs' params hold only these)."""
    return SHARD_COHORTS[wildcards.shard]


def shard_codes(wildcards):
    """The study's village codes of the shard's cohorts (none with one village)."""
    return {i: CODES[i] for i in SHARDS[wildcards.shard] if i in CODES}


def shard_raw_files(wildcards):
    """The raw files of the shard's cohorts."""
    return SHARD_RAW_FILES[wildcards.shard]


# Each shard's job takes one record of its raw files' sizes and times as input, not the
# files themselves (analisis.shards.write_raw_records says why); rewritten here only
# where a raw file changed.
exit_on_error(
    write_raw_records,
    {registry.shard_raw_record(shard): files for shard, files in SHARD_RAW_FILES.items()},
)


def published_cohorts():
    return [c for c in config["cohorts"] if c.get("published")]


# Whether this study checks a paper's printed numbers: the published-values outputs,
# the robustness figure and their place in the report exist only then.
PUBLISHED = bool(published_cohorts())
# With two or more villages (cohorts) the pooled analysis and the village figures exist.
VILLAGES = len(config["cohorts"]) >= 2
# Above scale.village_figures_max villages, no figure draws every village's groups.
VILLAGE_FIGURES = len(config["cohorts"]) <= config["scale"]["village_figures_max"]
# Delayed post-tests (knowledge.follow_up): the most any cohort has; phases fu1, fu2, ...
N_FOLLOW_UPS = max(len((c.get("knowledge") or {}).get("follow_up", [])) for c in config["cohorts"])
RUN = registry.Run(
    published=PUBLISHED,
    villages=VILLAGES,
    village_figures=VILLAGE_FIGURES,
    follow_up=N_FOLLOW_UPS > 0,
)


def rule_outputs(rule, run=registry.EVERYTHING):
    """The rule's registered outputs in ``run`` (registry.rule_outputs); an output with a
    caption workflow/report/<name>.rst goes to Snakemake's report (--report) with it,
    under "Tables" and the rule's name."""
    captions = Path(workflow.basedir) / "workflow" / "report"
    return {
        name: report(path, caption=f"../report/{name}.rst", category="Tables", subcategory=rule)
        if (captions / f"{name}.rst").is_file()
        else path
        for name, path in registry.rule_outputs(rule, run).items()
    }
