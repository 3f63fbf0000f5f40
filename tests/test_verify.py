"""``analisis verify`` names every file that does not reproduce the reference manifest."""

from __future__ import annotations

import hashlib

from analisis.cli import main


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
