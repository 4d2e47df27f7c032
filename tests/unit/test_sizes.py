"""No module in scripts/ over 400 lines, no function or method over 60 (issue 12).

Small modules and functions are what keeps the house easy to change: a reader can hold one in
their head, and a review sees what a change touches. There is no exemptions list: a module or
function that grows past the limit is split along its seams, not waved through.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_lines(text: str) -> int:
    """Physical lines, as `wc -l` counts them (a last line without a newline still counts)."""
    return len(text.splitlines())


def long_functions(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length) of every function or method over the limit, nested
    ones included. The length runs from the `def` line to the last line of the body, so
    decorators do not count."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append((name, child.lineno, length))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def offenders(root: Path = SCRIPTS) -> list[str]:
    """Every problem under root, each as `path:line: what` (paths relative to root's parent)."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        text = path.read_text(encoding="utf-8")
        n = module_lines(text)
        if n > MAX_MODULE_LINES:
            problems.append(f"{rel}: module has {n} lines (limit {MAX_MODULE_LINES})")
        for name, line, length in long_functions(ast.parse(text, filename=rel)):
            problems.append(f"{rel}:{line}: {name} has {length} lines (limit {MAX_FUNCTION_LINES})")
    return problems


def test_no_module_or_function_in_scripts_is_too_long():
    problems = offenders()
    assert not problems, "split these along their seams:\n" + "\n".join(problems)


def test_the_counter_sees_long_methods_nested_functions_and_long_modules(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "class C:\n"
        "    @property\n"
        f"    def long(self):\n{body.replace('    ', '        ')}\n"
        "def outer():\n"
        f"    def inner():\n{body.replace('    ', '        ')}\n"
        "    return inner\n"
        "def short():\n    return 1\n"
        + "\n" * MAX_MODULE_LINES,
        encoding="utf-8",
    )
    found = offenders(tmp_path / "pkg")
    assert found[0].startswith("pkg/m.py: module has ")
    assert [p.split(": ", 1)[1].split(" has ")[0] for p in found[1:]] == ["C.long", "outer", "outer.inner"]
    assert "pkg/m.py:3: C.long has 61 lines" in found[1]
    assert not any("short" in p for p in found)
