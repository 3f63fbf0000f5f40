"""How to cite: CITATION.cff is valid Citation File Format and the one source of the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from analisis.errors import InputError
from analisis.report.citation import CITATION_FILE, citation_text, read_citation

ROOT = Path(__file__).resolve().parents[1]


def test_the_projects_citation_file_has_what_cff_1_2_requires():
    cff = read_citation(ROOT / CITATION_FILE)
    # CFF 1.2.0 requires cff-version, message, title and authors.
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"] and cff["title"] and cff["authors"]
    assert "version" not in cff  # the installed version is cited (pyproject.toml)
    line = citation_text(cff, "0.1.0")
    assert line == (
        "The analisis contributors. analisis: a reproducible statistics pipeline for "
        "evaluating health-cadre trainings (Version 0.1.0) [Computer software]."
    )


def test_a_dated_release_with_a_doi_is_cited_with_year_and_doi():
    cff = {
        "title": "analisis",
        "authors": [{"family-names": "Kurniyati", "given-names": "Kurniyati"}],
        "date-released": "2026-12-01",
        "doi": "10.5281/zenodo.1",
    }
    assert citation_text(cff, "1.0.0") == (
        "Kurniyati, K. (2026). analisis (Version 1.0.0) [Computer software]. "
        "https://doi.org/10.5281/zenodo.1"
    )


def test_a_citation_file_without_authors_names_the_file_and_key(tmp_path):
    path = tmp_path / CITATION_FILE
    path.write_text("cff-version: 1.2.0\ntitle: x\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_citation(path)
    assert str(error.value).startswith(f"{path}, column 'authors': expected")
