rule published_check:
    input:
        knowledge_wide=rules.gather.output.knowledge_wide,
        skill_scores=rules.gather.output.skill_scores,
    output:
        **rule_outputs("published_check"),
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
        **rule_outputs("published_robustness"),
    params:
        code=CODE,
        cohorts=config["cohorts"],
    log:
        "logs/published_robustness.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/published_robustness.py"
