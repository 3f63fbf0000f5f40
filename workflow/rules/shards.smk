# Ingest, clean and score are one job per shard of villages (analisis.shards): what passes
# between ingest and clean still carries names, and names never leave data/raw/ except for
# the private linkage; scoring and the shard's summaries in the same job save a process
# start-up per shard. gather merges the shards' tables; the study-wide analyses read the
# summaries (each village's own results, the item and step counts), never every answer.
rule clean_score_shard:
    input:
        raw_files=registry.shard_raw_record(),
    output:
        **registry.shard_outputs(),
        **registry.shard_summaries(),
        input_hashes=registry.shard_input_hashes(),
    params:
        code=CODE,
        raw_files=shard_raw_files,
        cohorts=shard_cohorts,
        codes=shard_codes,
        cleaning=config["cleaning"],
        scoring=config["scoring"],
        analysis=config["analysis"],
    wildcard_constraints:
        shard="|".join(SHARDS),
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/clean_score_shard/{shard}.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/clean_score.py"


# The shards' clean and score tables, merged into the study's processed tables: the
# answers and the checklist steps each in a job of their own (registry.GATHER_RULES).
rule gather:
    input:
        **registry.gather_inputs("gather", SHARDS),
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


use rule gather as gather_steps with:
    input:
        **registry.gather_inputs("gather_steps", SHARDS),
    output:
        **rule_outputs("gather_steps"),
    log:
        "logs/gather_steps.log",


# No analysis reads the answers (the shards count them): only the manifest waits for them.
use rule gather as gather_responses with:
    input:
        **registry.gather_inputs("gather_responses", SHARDS),
    output:
        **rule_outputs("gather_responses"),
    priority: 5
    log:
        "logs/gather_responses.log",


rule data_dictionary:
    output:
        **rule_outputs("data_dictionary"),
    params:
        code=CODE,
        n_follow_ups=N_FOLLOW_UPS,
    log:
        "logs/data_dictionary.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/data_dictionary.py"
