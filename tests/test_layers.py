"""The layers hold: statistics never draw or format, figures and the report never compute
a test, readers know nothing of people, the generator's modules import one way only.

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


#: Module of analisis.synth -> the modules of the package it may import: one direction,
#: cli -> waves -> programme -> common -> instruments and cli -> paper -> common; the
#: bundled study and the programme know nothing of each other.
SYNTH_ALLOWED = {
    "__init__": (),
    "instruments": (),
    "common": ("instruments",),
    "paper": ("common", "instruments"),
    "programme": ("common", "instruments"),
    "waves": ("common", "instruments", "programme"),
    "cli": ("common", "instruments", "paper", "programme", "waves"),
    "__main__": ("cli",),
}


def synth_imports(path: Path) -> set[str]:
    """The modules of ``analisis.synth`` that ``path`` imports, at any depth of the file
    (``from analisis.synth import common`` names ``common``; ``import analisis.synth``,
    the package, and a relative import are named as such, to be refused)."""
    package = "analisis.synth"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add(f"relative import {'.' * node.level}{node.module or ''}")
        elif isinstance(node, ast.ImportFrom) and node.module == package:
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module.startswith(f"{package}."):
            found.add(node.module.removeprefix(f"{package}."))
        elif isinstance(node, ast.Import):
            named = [alias.name for alias in node.names]
            found.update(
                name.removeprefix(f"{package}.")
                for name in named
                if name == package or name.startswith(f"{package}.")
            )
    return found


def function_imports(path: Path) -> list[str]:
    """``function, line N`` for every import inside a function of ``path``."""
    return [
        f"{function.name}, line {node.lineno}"
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def test_every_module_of_synth_has_a_place_in_the_order():
    assert sorted(p.stem for p in (PACKAGE / "synth").glob("*.py")) == sorted(SYNTH_ALLOWED)


@pytest.mark.parametrize("module", sorted(SYNTH_ALLOWED))
def test_synth_imports_run_one_way_and_never_inside_a_function(module):
    path = PACKAGE / "synth" / f"{module}.py"
    assert sorted(synth_imports(path) - set(SYNTH_ALLOWED[module])) == []
    assert function_imports(path) == []


def test_the_synth_check_sees_a_backward_import_and_one_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from analisis.synth import paper\nfrom analisis.synth.waves import STUDY\n"
        "from . import cli\n\n\ndef f():\n    import jinja2\n"
    )
    assert synth_imports(module) == {"paper", "waves", "relative import ."}
    assert function_imports(module) == ["f, line 7"]
    module.write_text("import analisis.synth\n")
    assert synth_imports(module) == {"analisis.synth"}
