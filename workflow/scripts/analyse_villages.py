"""Adapter: the shards' village rows and the scored tables -> each village on its own and,
with two or more, pooled."""

from analisis.adapter import file_list, run_step
from analisis.outputs import write_results
from analisis.stats.results import concat_village_parts, village_results
from analisis.stats.shard import read_summary
from analisis.tables import read_table


def main():
    analysis, scoring = snakemake.params.analysis, snakemake.params.scoring
    results = village_results(
        read_table(snakemake.input.knowledge_wide, "knowledge_wide"),
        read_table(snakemake.input.skill_scores, "skill_scores"),
        village_tables={
            name: concat_village_parts(
                [read_summary(p) for p in file_list(getattr(snakemake.input, name))]
            )
            for name in ("by_village", "skill_steps_by_village")
        },
        normality_alpha=analysis["normality_alpha"],
        competence_threshold=analysis["competence_threshold"],
        n_gain_categories=scoring["n_gain_categories"],
        pooling_method=analysis["pooling_method"],
        pooling_test=analysis["pooling_test"],
        target=analysis["target"],
        skill_target=analysis["skill_target"],
        primary_test=analysis["primary_test"],
    )
    write_results(results, dict(snakemake.output.items()))


run_step(main, snakemake.log[0])
