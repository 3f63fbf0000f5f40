"""Adapter: result tables and figures -> laporan.html (Bahasa Indonesia) and report.html."""

from analisis.adapter import run_step
from analisis.provenance import read_input_hashes
from analisis.report.citation import citation_text, read_citation
from analisis.report.provenance import build_provenance, package_versions, source_state
from analisis.report.render import study_from_config, write_report
from analisis.report.sources import rule_results
from analisis.shards import study_config
from analisis.tables import read_table


def main():
    # The config itself, not the params' digest of it (analisis.shards.config_digest).
    inputs, params, config = snakemake.input, snakemake.params, study_config(snakemake.config)
    results = rule_results(inputs)
    versions = package_versions()
    provenance = build_provenance(
        read_input_hashes(inputs.input_hashes),
        config=config,
        source=source_state("."),
        versions=versions,
        citation=citation_text(read_citation(inputs.citation), versions["analisis"]),
    )
    names = read_table(inputs.linkage, "linkage")["name"]
    for lang, path in (("id", snakemake.output.laporan), ("en", snakemake.output.report)):
        write_report(
            results,
            lang,
            path,
            figures={name: inputs[f"{name}_png_{lang}"] for name in params.figures},
            provenance=provenance,
            study=study_from_config(config, lang),
            forbidden_names=names,
        )


run_step(main, snakemake.log[0])
