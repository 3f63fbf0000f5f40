"""The layers hold: statistics never draw or format, figures and the report never compute
a test, readers know nothing of people.

Read from the source with ``ast`` (imports inside functions count too), so a shortcut
taken anywhere in a module is caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "analisis"

#: Layer (a sub-package; its command-line modules aside) -> imports it must not make.
FORBIDDEN = {
    "stats": ("analisis.figures", "analisis.report", "analisis.cli", "matplotlib", "seaborn"),
    "figures": ("analisis.stats", "analisis.review", "scipy", "statsmodels", "pingouin"),
    "report": ("analisis.stats", "analisis.review", "scipy", "statsmodels", "pingouin"),
    "ingest": ("analisis.names", "analisis.clean", "analisis.scoring", "rapidfuzz"),
}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def modules(layer: str) -> list[Path]:
    # The command-line front ends (stats/cli.py, stats/pool_cli.py) format for a terminal.
    return [p for p in sorted((PACKAGE / layer).rglob("*.py")) if not p.stem.endswith("cli")]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_it_must_not(layer):
    crossings = {
        path.relative_to(PACKAGE).as_posix(): sorted(
            name for name in imports(path) if name.startswith(FORBIDDEN[layer])
        )
        for path in modules(layer)
    }
    assert {module: names for module, names in crossings.items() if names} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from analisis.stats.paired import paired_t_test\n")
    assert "analisis.stats.paired" in imports(module)
