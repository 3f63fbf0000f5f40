# Ingest and clean are one rule: what passes between them still carries names, and
# names never leave data/raw/ except for the private linkage.
rule clean:
    input:
        cohort_raw_files,
    output:
        **rule_outputs("clean"),
    params:
        code=CODE,
        cohorts=config["cohorts"],
        cleaning=config["cleaning"],
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/clean.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/clean.py"
