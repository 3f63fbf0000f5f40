"""The ten longest functions of src/analisis, in lines of code (docstrings excluded).

A function longer than 80 lines of code usually does several jobs; this list is where to
look first. Blank lines, comment lines and the docstring do not count.

Run: ``python bench/longest_functions.py [N]``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analisis"
LIMIT = 80


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, source: list[str]) -> int:
    """Lines of ``node`` that hold code: not blank, not a comment, not its docstring."""
    skip: set[int] = set()
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            skip.update(range(body[0].lineno, body[0].end_lineno + 1))
    count = 0
    for number in range(node.lineno, node.end_lineno + 1):
        text = source[number - 1].strip()
        if number not in skip and text and not text.startswith("#"):
            count += 1
    return count


def functions(package: Path = PACKAGE) -> list[tuple[int, str]]:
    """``(lines of code, "path:line name")`` of every function, longest first."""
    found = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                found.append((code_lines(node, source), where))
    return sorted(found, key=lambda item: (-item[0], item[1]))


def main(argv: list[str]) -> int:
    top = int(argv[0]) if argv else 10
    for lines, where in functions()[:top]:
        print(f"{lines:4d}  {where}{'  (over the limit)' if lines > LIMIT else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
