# One job per language draws all its figures: the imports cost as much as the drawing.
rule figures:
    input:
        **registry.report_inputs(RUN),
        steps=config["cohorts"][0]["skill"]["instrument"],
    output:
        **{
            key: report(
                path,
                caption=f"../report/{key.rsplit('_', 1)[0]}.rst",
                category="Figures",
                subcategory="{lang}",
                labels={
                    "figure": key.rsplit("_", 1)[0],
                    "language": "{lang}",
                    "format": key.rsplit("_", 1)[1],
                },
            )
            for key, path in registry.figure_files(RUN, "{lang}").items()
        },
    params:
        code=CODE,
        names=registry.figure_names(RUN),
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
