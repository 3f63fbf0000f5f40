rule score:
    input:
        responses=rules.clean.output.responses,
        skill_steps=rules.clean.output.skill_steps,
        participants=rules.clean.output.participants,
    output:
        **rule_outputs("score"),
    params:
        code=CODE,
        scoring=config["scoring"],
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/score.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/score.py"


rule data_dictionary:
    output:
        **rule_outputs("data_dictionary"),
    params:
        code=CODE,
    log:
        "logs/data_dictionary.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/data_dictionary.py"
