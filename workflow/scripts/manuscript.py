"""Adapter: result tables and figures -> naskah.docx (Bahasa Indonesia) and manuscript.docx."""

from analisis.adapter import run_step
from analisis.report.citation import citation_text, read_citation
from analisis.report.manifest import lines_checksum
from analisis.report.manuscript import MANUSCRIPT_OUTPUTS, write_manuscript
from analisis.report.provenance import package_versions
from analisis.report.render import study_from_config
from analisis.report.sources import rule_results
from analisis.shards import study_config
from analisis.tables import read_table


def main():
    inputs, params, config = snakemake.input, snakemake.params, study_config(snakemake.config)
    results = rule_results(inputs)
    versions = package_versions()
    citation = citation_text(read_citation(inputs.citation), versions["analisis"])
    checksum = lines_checksum(".", inputs.checked)
    names = read_table(inputs.linkage, "linkage")["name"]
    for lang, output in MANUSCRIPT_OUTPUTS.items():
        write_manuscript(
            results,
            lang,
            snakemake.output[output],
            figure_files={name: inputs[f"{name}_png_{lang}"] for name in params.figures},
            versions=versions,
            checksum=checksum,
            citation=citation,
            study=study_from_config(config, lang),
            forbidden_names=names,
        )


run_step(main, snakemake.log[0])
