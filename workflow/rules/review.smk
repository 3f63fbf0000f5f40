rule published_check:
    input:
        knowledge_wide=f"{PROCESSED}/knowledge_wide.csv",
        skill_scores=f"{PROCESSED}/skill_scores.csv",
    output:
        published_check=f"{TABLES}/published_check.csv",
        published_check_json=f"{TABLES}/published_check.json",
    params:
        code=CODE,
        cohorts=config["cohorts"],
    log:
        "logs/published_check.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/published_check.py"


rule published_robustness:
    output:
        f"{TABLES}/published_robustness.json",
    params:
        code=CODE,
        cohorts=config["cohorts"],
    log:
        "logs/published_robustness.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/published_robustness.py"
