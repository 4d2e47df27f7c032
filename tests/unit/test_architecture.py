"""The package's shape, read from its source: one-way imports, and no vocabulary in code.

- No import circle, counting imports inside functions too (a lazy import is still a dependency).
- The pipeline runs one way: the lower stages (model, parsers, vocabulary, confidence, rules,
  checker) never import the later ones (site, cite, export, graph, contribute), and no module
  imports a layer above its own.
- No id of any schema vocabulary appears as a string literal in the package: the schema is the
  one source, so adding or renaming a term is a schema edit. A short allow-list holds the
  words that are also something else (BibTeX's own entry types).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PKG = REPO / "scripts" / "evidencekb"
SCHEMA = REPO / "claims" / "claim.schema.json"

# Layers, lowest first: a module may import its own layer and those below, never above.
LAYERS = (
    ("evidencekb.model", "evidencekb.project", "evidencekb.site_paths",
     "evidencekb.citekeys", "evidencekb.safe_output", "evidencekb.progress", "evidencekb.cache",
     "evidencekb.forked", "evidencekb.memory", "evidencekb.interrupts"),
    ("evidencekb.parsers", "evidencekb.vocabulary"),
    ("evidencekb.confidence", "evidencekb.plain_language", "evidencekb.themes"),
    ("evidencekb.rules", "evidencekb.citation_rules"),
    ("evidencekb.checker", "evidencekb.reporter"),
    ("evidencekb.graph", "evidencekb.analysis", "evidencekb.cite", "evidencekb.history"),
    ("evidencekb.writers",),
    ("evidencekb.export", "evidencekb.linked_data", "evidencekb.api", "evidencekb.feed", "evidencekb.release",
     "evidencekb.contribute"),
    ("evidencekb.site",),
    ("evidencekb.synthetic", "evidencekb.bench", "evidencekb.commands", "evidencekb.cli",
     "evidencekb.__main__",
     "evidencekb"),
)
LOWER = ("evidencekb.parsers", "evidencekb.checker", "evidencekb.rules", "evidencekb.citation_rules",
         "evidencekb.citekeys", "evidencekb.confidence",
         "evidencekb.vocabulary", "evidencekb.model")
LATER = ("evidencekb.site", "evidencekb.cite", "evidencekb.export", "evidencekb.graph",
         "evidencekb.contribute")

# (vocabulary id, file) pairs allowed as literals, and why.
ALLOWED_LITERALS = {
    # BibTeX's entry type @book (citation styles and importers map it), not the study design of that name.
    ("book", "*"),
    # What a source without a design or country field reads as: the model has no schema to ask,
    # and the checker warns that the field is missing (the schema's x-unknown names the same term).
    ("unknown", "model.py"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _lazy_nodes(tree: ast.AST) -> set[int]:
    """ids of the import statements inside a function body (run on call, not on import)."""
    lazy: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lazy |= {id(n) for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))}
    return lazy


def imports_of(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    package = name.split(".") if is_package else name.split(".")[:-1]
    lazy = _lazy_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        # A registry package (writers) loads its own modules lazily, from a function, so they can
        # register with it: not a circle at import time, and the only cycle this test forgives.
        if is_package and id(node) in lazy and isinstance(node, ast.ImportFrom) and node.level == 1 \
                and node.module is None:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for a in node.names:
                sub = f"{mod}.{a.name}"
                found.add(sub if sub in MODULES else mod)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def layer_of(name: str) -> int:
    best, depth = None, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = i, len(prefix)
    assert best is not None, f"{name} is in no layer: add it to LAYERS"
    return best


def in_any(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_import_reader_sees_lazy_and_relative_imports():
    assert "evidencekb.model" in GRAPH["evidencekb.checker"]
    assert "evidencekb.parsers.bibtex" in GRAPH["evidencekb.checker"]
    assert "evidencekb.site.build" in GRAPH["evidencekb.commands"]  # imported inside a function


def test_no_import_circle():
    cycles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_lower_stages_never_import_later_ones():
    bad = sorted((m, dep) for m,
                 deps in GRAPH.items() if in_any(m, LOWER) for dep in deps if in_any(dep, LATER))
    assert bad == []


def test_no_import_up_the_pipeline():
    bad = sorted((m, dep) for m, deps in GRAPH.items() for dep in deps if layer_of(dep) > layer_of(m))
    assert bad == []


def vocabulary_ids() -> dict[str, set[str]]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    ids: dict[str, set[str]] = {}
    for name, definition in schema["$defs"].items():
        for option in (definition.get("oneOf") or []) if isinstance(definition, dict) else []:
            if isinstance(option, dict) and "const" in option:
                ids.setdefault(str(option["const"]), set()).add(name)
    return ids


def literal_ids(ids) -> list[tuple[str, int, str]]:
    hits = []
    for path in MODULES.values():
        rel = path.relative_to(PKG).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids:
                hits.append((rel, node.lineno, node.value))
    return sorted(hits)


def test_the_scan_finds_a_vocabulary_literal(tmp_path):
    ids = vocabulary_ids()
    assert {"supports", "high", "rct", "uk", "GRADE", "effectiveness"} <= set(ids)
    tree = ast.parse('LEVELS = ("very-low", "low")\nif relation == "supports": pass\n')
    found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in ids}
    assert found == {"very-low", "low", "supports"}


def test_no_vocabulary_id_is_written_into_the_package():
    hits = [(rel, line, value) for rel, line, value in literal_ids(vocabulary_ids())
            if (value, rel) not in ALLOWED_LITERALS and (value, "*") not in ALLOWED_LITERALS]
    assert hits == [], "vocabulary ids belong in claims/claim.schema.json (annotate the term instead): " + \
        ", ".join(f"{rel}:{line} {value!r}" for rel, line, value in hits)


def test_the_allow_list_is_still_needed():
    used = {(value, rel) for rel, _, value in literal_ids(vocabulary_ids())}
    used |= {(value, "*") for value, _ in used}
    assert ALLOWED_LITERALS <= used, ALLOWED_LITERALS - used


def test_the_engine_names_no_country():
    ids = vocabulary_ids()
    countries = {i for i, names in ids.items() if "country" in names} - {"unknown", "international"}
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    titles = {o["title"] for o in schema["$defs"]["country"]["oneOf"]} | {
        o.get("x-adjective") for o in schema["$defs"]["country"]["oneOf"] if o.get("x-adjective")}
    titles -= {"Unknown", "International"}
    hits = []
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in countries or any(f" {t} " in f" {node.value} " for t in titles):
                    hits.append((path.relative_to(PKG).as_posix(), node.lineno, node.value[:60]))
    # docstrings may mention a country in prose; what matters is code
    hits = [h for h in hits if not _is_docstring(h)]
    assert hits == []


def _is_docstring(hit) -> bool:
    rel, line, _ = hit
    tree = ast.parse((PKG / rel).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            doc = node.body[0] if node.body else None
            if (isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)
                    and doc.lineno <= line <= (doc.end_lineno or doc.lineno)):
                return True
    return False
