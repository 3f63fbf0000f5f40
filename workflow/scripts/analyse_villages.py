"""Adapter: scored tables -> each village on its own and, with two or more, pooled."""

from analisis.adapter import run_step
from analisis.outputs import write_results
from analisis.stats.results import village_results
from analisis.tables import read_table


def main():
    analysis, scoring = snakemake.params.analysis, snakemake.params.scoring
    results = village_results(
        read_table(snakemake.input.knowledge_wide, "knowledge_wide"),
        read_table(snakemake.input.skill_scores, "skill_scores"),
        read_table(snakemake.input.skill_steps, "skill_steps"),
        normality_alpha=analysis["normality_alpha"],
        competence_threshold=analysis["competence_threshold"],
        n_gain_categories=scoring["n_gain_categories"],
        pooling_method=analysis["pooling_method"],
        pooling_test=analysis["pooling_test"],
        target=analysis["target"],
        skill_target=analysis["skill_target"],
    )
    write_results(results, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
