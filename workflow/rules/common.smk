from analisis import registry
from analisis.provenance import code_fingerprint

# A change anywhere in the package re-runs the rules that take it as a param.
CODE = code_fingerprint(SRC / "analisis")
LANGUAGES = list(registry.LANGUAGES)
FIGURE_FORMATS = list(registry.FIGURE_FORMATS)


def cohort_raw_files(wildcards):
    """Every raw export, workbook, instrument and overrides file the cohorts name."""
    files = []
    for cohort in config["cohorts"]:
        knowledge = cohort["knowledge"]
        files += [knowledge["instrument"], knowledge["pre"], knowledge["post"]]
        files += [cohort["skill"]["instrument"], cohort["skill"]["workbook"]]
        if cohort.get("match_overrides"):
            files.append(cohort["match_overrides"])
    return sorted(set(files))


def published_cohorts():
    return [c for c in config["cohorts"] if c.get("published")]


# Whether this study checks a paper's printed numbers: the published-values outputs,
# the robustness figure and their place in the report exist only then.
PUBLISHED = bool(published_cohorts())
# With two or more villages (cohorts) the pooled analysis and the village figures exist.
VILLAGES = len(config["cohorts"]) >= 2
RUN = registry.Run(published=PUBLISHED, villages=VILLAGES)


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
