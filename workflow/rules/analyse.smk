rule analyse_knowledge:
    input:
        knowledge_wide=rules.gather.output.knowledge_wide,
        knowledge_scores=rules.gather.output.knowledge_scores,
        **registry.summary_inputs(["item_counts", "item_totals"], SHARDS),
    output:
        **rule_outputs("analyse_knowledge", RUN),
    params:
        code=CODE,
        analysis=config["analysis"],
        scoring=config["scoring"],
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/analyse_knowledge.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/analyse_knowledge.py"


rule analyse_skill:
    input:
        skill_scores=rules.gather.output.skill_scores,
        **registry.summary_inputs(["step_counts", "skill_steps_summary"], SHARDS),
    output:
        **rule_outputs("analyse_skill", RUN),
    params:
        code=CODE,
        analysis=config["analysis"],
        scoring=config["scoring"],
    priority: 10
    log:
        "logs/analyse_skill.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/analyse_skill.py"


# Each village on its own (the shards' rows) and, with two or more villages, pooled over them.
rule analyse_villages:
    input:
        knowledge_wide=rules.gather.output.knowledge_wide,
        skill_scores=rules.gather.output.skill_scores,
        **registry.summary_inputs(["by_village", "skill_steps_by_village"], SHARDS),
    output:
        **rule_outputs("analyse_villages", RUN),
    params:
        code=CODE,
        analysis=config["analysis"],
        scoring=config["scoring"],
    log:
        "logs/analyse_villages.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/analyse_villages.py"


# The next wave's plan: sigma² and tau² from pooled.json with two or more villages, else
# sigma² of the paired gains and tau² from the config's ICC assumption.
rule plan_next_wave:
    input:
        knowledge_wide=rules.gather.output.knowledge_wide,
        **({"pooled": registry.OUTPUTS["pooled"].path} if VILLAGES else {}),
    output:
        **rule_outputs("plan_next_wave", RUN),
    params:
        code=CODE,
        planning=config["planning"],
    log:
        "logs/plan_next_wave.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/plan_next_wave.py"
# Only a study with delayed post-tests (knowledge.follow_up): attrition, tests across the
# waves, retention, the mixed model and the items forgotten.
if RUN.follow_up:

    rule analyse_waves:
        input:
            knowledge_scores=rules.gather.output.knowledge_scores,
            **registry.summary_inputs(["forgetting_counts"], SHARDS),
        output:
            **rule_outputs("analyse_waves", RUN),
        params:
            code=CODE,
            cohorts=config["cohorts"],
        log:
            "logs/analyse_waves.log",
        conda:
            "../envs/analisis.yaml"
        script:
            "../scripts/analyse_waves.py"
