# What the documents (the reports, the manuscript kit) are written from: the results,
# each figure's PNG in each language, the step texts, the names to keep out, the citation.
DOCUMENT_INPUTS = {
    **registry.report_inputs(RUN),
    **{
        f"{key}_{lang}": path
        for lang in LANGUAGES
        for key, path in registry.figure_files(RUN, lang, ["png"]).items()
    },
    "steps": config["cohorts"][0]["skill"]["instrument"],
    "linkage": registry.OUTPUTS["linkage"].path,
    "citation": CITATION_FILE,
}


rule report_html:
    input:
        **DOCUMENT_INPUTS,
        # The shards' records of the raw files (not the thousands of files themselves).
        input_hashes=[registry.shard_input_hashes(shard) for shard in SHARDS],
    output:
        laporan=report(
            registry.OUTPUTS["laporan"].path,
            caption="../report/laporan.rst",
            category="Report",
        ),
        report=report(
            registry.OUTPUTS["report"].path,
            caption="../report/report_html.rst",
            category="Report",
        ),
    params:
        code=CODE,
        config=config_digest(config),
        figures=registry.figure_names(RUN),
    log:
        "logs/report_html.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/report_html.py"


# The whole of the lists a report of many villages cuts, beside it (the manifest asks
# for them; the report only links them).
if RUN.villages:

    rule report_tables:
        input:
            cleaning_log=registry.OUTPUTS["cleaning_log"].path,
            input_hashes=[registry.shard_input_hashes(shard) for shard in SHARDS],
        output:
            **rule_outputs("report_tables", RUN),
        params:
            code=CODE,
            config=config_digest(config),
        log:
            "logs/report_tables.log",
        conda:
            "../envs/analisis.yaml"
        script:
            "../scripts/report_tables.py"


# The manuscript kit; its data-availability checksum covers the data, tables and figures.
rule manuscript:
    input:
        **DOCUMENT_INPUTS,
        checked=registry.checked_outputs(RUN),
    output:
        **registry.rule_outputs("manuscript", RUN),
    params:
        code=CODE,
        config=config_digest(config),
        figures=registry.figure_names(RUN),
    log:
        "logs/manuscript.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/manuscript.py"


# Lists exactly the registered outputs of this run (an earlier study's files left in
# reports/ are not this run's results).
rule manifest:
    input:
        registry.run_outputs(RUN),
    output:
        **registry.rule_outputs("manifest"),
    params:
        code=CODE,
    log:
        "logs/manifest.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/manifest.py"
