# Ingest and clean are one rule: what passes between them still carries names, and
# names never leave data/raw/ except for the private linkage. One job per shard of
# villages (analisis.shards); gather (score.smk) concatenates the shards' tables.
rule clean_shard:
    input:
        shard_raw_files,
    output:
        **registry.shard_outputs("clean_shard"),
    params:
        code=CODE,
        cohorts=shard_cohorts,
        codes=shard_codes,
        cleaning=config["cleaning"],
    wildcard_constraints:
        shard="|".join(SHARDS),
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/clean_shard/{shard}.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/clean.py"
