rule report_html:
    input:
        **registry.report_inputs(RUN),
        **{
            f"{key}_{lang}": path
            for lang in LANGUAGES
            for key, path in registry.figure_files(RUN, lang, ["png"]).items()
        },
        steps=config["cohorts"][0]["skill"]["instrument"],
        linkage=rules.gather.output.linkage,
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
