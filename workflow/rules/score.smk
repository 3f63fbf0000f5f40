rule score_shard:
    input:
        responses=rules.clean_shard.output.responses,
        skill_steps=rules.clean_shard.output.skill_steps,
        participants=rules.clean_shard.output.participants,
    output:
        **registry.shard_outputs("score_shard"),
    params:
        code=CODE,
        scoring=config["scoring"],
    wildcard_constraints:
        shard="|".join(SHARDS),
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/score_shard/{shard}.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/score.py"


# The shards' clean and score tables, concatenated into the study's processed tables.
rule gather:
    input:
        **registry.gather_inputs(SHARDS),
    output:
        **rule_outputs("gather"),
    params:
        code=CODE,
    priority: 10
    log:
        "logs/gather.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/gather.py"


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
