rule analyse_knowledge:
    input:
        knowledge_wide=f"{PROCESSED}/knowledge_wide.csv",
        knowledge_scores=f"{PROCESSED}/knowledge_scores.csv",
        responses=f"{PROCESSED}/responses.csv",
    output:
        knowledge_paired=f"{TABLES}/knowledge_paired.json",
        knowledge_details=f"{TABLES}/knowledge_details.json",
        knowledge_descriptives=f"{TABLES}/knowledge_descriptives.csv",
        knowledge_category_shift=f"{TABLES}/knowledge_category_shift.csv",
        n_gain_categories=f"{TABLES}/n_gain_categories.csv",
        knowledge_by_cohort=f"{TABLES}/knowledge_by_cohort.csv",
        item_analysis=f"{TABLES}/items.csv",
        items_summary=f"{TABLES}/items.json",
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
        skill_scores=f"{PROCESSED}/skill_scores.csv",
        skill_steps=f"{PROCESSED}/skill_steps.csv",
    output:
        skill=f"{TABLES}/skill.json",
        skill_groups=f"{TABLES}/skill_groups.csv",
        skill_steps_summary=f"{TABLES}/skill_steps_summary.csv",
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
