"""``analisis verify`` names every file that does not reproduce the reference manifest."""

from __future__ import annotations

import hashlib

from analisis.cli import main
from analisis.report.provenance import CODE_COMMIT, CODE_RECORD
from analisis.report.render import REPORT_FILES
from analisis.text import say


def _line(path, root) -> str:
    return f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root)}\n"


def test_a_faithful_run_passes_and_every_difference_is_listed(tmp_path, capsys):
    tables = tmp_path / "reports/tables"
    tables.mkdir(parents=True)
    kept, changed, lost = (tables / n for n in ("a.csv", "b.json", "c.csv"))
    for path in (kept, changed, lost):
        path.write_text(path.name)
    reference = tmp_path / "reference.sha256"
    reference.write_text("".join(_line(p, tmp_path) for p in (kept, changed, lost)))
    argv = ["verify", str(reference), "--root", str(tmp_path)]
    assert main(argv) == 0
    assert capsys.readouterr().out == f"All 3 files reproduce {reference} byte for byte.\n"

    changed.write_text("another byte")
    lost.unlink()
    extra = tables / "d.csv"
    extra.write_text("new")
    (tmp_path / "reports/MANIFEST.sha256").write_text(
        "".join(_line(p, tmp_path) for p in (kept, changed, extra))
    )
    assert main(argv) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"3 file(s) do not reproduce {reference}:",
        "  differs               reports/tables/b.json",
        "  missing               reports/tables/c.csv",
        "  not in the reference  reports/tables/d.csv",
    ]


def test_a_missing_reference_is_one_error(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "none.sha256"), "--root", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("analisis: error: ")


def test_a_folder_without_a_commit_is_told_apart_from_a_study_that_does_not_reproduce(
    tmp_path, capsys
):
    # The reference's reports name the commit (reference/CODE_COMMIT); a folder that is
    # neither a checkout nor an archive prints the catalogue's placeholder instead.
    commit = "c0ffee" * 6 + "0123"
    (tmp_path / "reference").mkdir()
    (tmp_path / CODE_COMMIT).write_text(commit + "\n")
    reports = {lang: tmp_path / name for lang, name in REPORT_FILES.items()}
    reports["en"].parent.mkdir()
    reference = tmp_path / "reference/MANIFEST.sha256"
    lines = []
    for lang, path in reports.items():
        path.write_text(f"<p>{lang}: <code>{commit}</code></p>")
        lines.append(_line(path, tmp_path))
        placeholder = say("report.no_git", lang)
        path.write_text(f"<p>{lang}: <code>{placeholder}</code></p>")
    reference.write_text("".join(sorted(lines, key=lambda line: line.split("  ")[1])))
    argv = ["verify", str(reference), "--root", str(tmp_path)]
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"All 0 files reproduce {reference} byte for byte.",
        "2 report(s) differ only in the footer's commit line: this folder is neither a git "
        "checkout nor a git archive that records its commit, so the footer says so where "
        f"the reference names {commit}. With that line set to it they reproduce the "
        "reference byte for byte:",
        "  reports/laporan.html",
        "  reports/report.html",
    ]

    # Any other difference in a report is still a difference.
    reports["id"].write_text(reports["id"].read_text() + " 99,50")
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        f"1 file(s) do not reproduce {reference}:",
        "  differs  reports/laporan.html",
    ]
    assert out[-1] == "  reports/report.html"


def test_a_run_whose_code_is_not_the_references_says_which_files_changed(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    code = tmp_path / "src/a.py"
    code.write_text("x = 1\n")
    (tmp_path / "reference").mkdir()
    (tmp_path / CODE_RECORD).write_text(_line(code, tmp_path))
    out = tmp_path / "reports/tables/a.csv"
    out.parent.mkdir(parents=True)
    out.write_text("1")
    reference = tmp_path / "reference/MANIFEST.sha256"
    reference.write_text(_line(out, tmp_path))
    argv = ["verify", str(reference), "--root", str(tmp_path)]
    assert main(argv) == 0
    assert capsys.readouterr().out == f"All 1 files reproduce {reference} byte for byte.\n"

    code.write_text("x = 2\n")
    out.write_text("2")
    assert main(argv) == 1
    assert capsys.readouterr().out.splitlines()[2:] == [
        "1 code file(s) are not those the reference was made from (reference/CODE.sha256):",
        "  differs  src/a.py",
    ]
