REPORT_FILES = {"id": "reports/laporan.html", "en": "reports/report.html"}


rule report_html:
    input:
        REPORT_INPUTS,
        paired=f"{TABLES}/knowledge_paired.json",
        wide=f"{PROCESSED}/knowledge_wide.csv",
        figures=expand(f"{FIGURES}/{{name}}_{{lang}}.png", name=FIGURE_NAMES, lang=LANGUAGES),
        steps=config["cohorts"][0]["skill"]["instrument"],
        linkage=f"{PROCESSED}/private/linkage.csv",
        raw=cohort_raw_files,
    output:
        laporan=report(
            REPORT_FILES["id"], caption="../report/laporan.rst", category="Report"
        ),
        report=report(
            REPORT_FILES["en"], caption="../report/report_html.rst", category="Report"
        ),
    params:
        code=CODE,
        config=config,
    log:
        "logs/report_html.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/report_html.py"


rule manifest:
    input:
        rules.report_html.output,
        rules.data_dictionary.output,
    output:
        "reports/MANIFEST.sha256",
    params:
        code=CODE,
    log:
        "logs/manifest.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/manifest.py"
