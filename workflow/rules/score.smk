rule score:
    input:
        responses=f"{PROCESSED}/responses.csv",
        skill_steps=f"{PROCESSED}/skill_steps.csv",
        participants=f"{PROCESSED}/participants.csv",
    output:
        knowledge_scores=f"{PROCESSED}/knowledge_scores.csv",
        knowledge_wide=f"{PROCESSED}/knowledge_wide.csv",
        skill_scores=f"{PROCESSED}/skill_scores.csv",
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
        f"{PROCESSED}/data_dictionary.csv",
    params:
        code=CODE,
    log:
        "logs/data_dictionary.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/data_dictionary.py"
