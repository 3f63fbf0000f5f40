FIGURE_NAMES = [
    "diagram1_knowledge_means",
    "diagram2_skill_means",
    "knowledge_paired_plot",
    "skill_by_group",
    "checklist_steps",
    "knowledge_items",
] + (["robustness_d_z"] if published_cohorts() else [])

RESULT_TABLES = [
    f"{TABLES}/{name}"
    for name in (
        "knowledge_paired.json",
        "knowledge_details.json",
        "knowledge_descriptives.csv",
        "knowledge_category_shift.csv",
        "n_gain_categories.csv",
        "items.csv",
        "items.json",
        "skill.json",
        "skill_groups.csv",
        "skill_steps_summary.csv",
    )
] + (
    [
        f"{TABLES}/published_check.csv",
        f"{TABLES}/published_check.json",
        f"{TABLES}/published_robustness.json",
    ]
    if published_cohorts()
    else []
)
REPORT_INPUTS = RESULT_TABLES + [
    f"{PROCESSED}/knowledge_wide.csv",
    f"{PROCESSED}/skill_scores.csv",
    f"{PROCESSED}/cleaning_log.csv",
]


# One job per language draws all its figures: the imports cost as much as the drawing.
rule figures:
    input:
        REPORT_INPUTS,
        paired=f"{TABLES}/knowledge_paired.json",
        wide=f"{PROCESSED}/knowledge_wide.csv",
        steps=config["cohorts"][0]["skill"]["instrument"],
    output:
        [
            report(
                f"{FIGURES}/{name}_{{lang}}.{fmt}",
                caption=f"../report/{name}.rst",
                category="Figures",
                subcategory="{lang}",
                labels={"figure": name, "language": "{lang}", "format": fmt},
            )
            for name in FIGURE_NAMES
            for fmt in FIGURE_FORMATS
        ],
    params:
        code=CODE,
        names=FIGURE_NAMES,
        formats=FIGURE_FORMATS,
    wildcard_constraints:
        lang="|".join(LANGUAGES),
    # On the longest chain of jobs: run it first when both cores are busy.
    priority: 10
    log:
        "logs/figures_{lang}.log",
    conda:
        "../envs/analisis.yaml"
    script:
        "../scripts/figures.py"
