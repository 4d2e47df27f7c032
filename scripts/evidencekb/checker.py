"""Check stage: parsed documents in, typed records and problems out.

Schema errors are rewritten into messages a contributor can act on, each at
the line of the offending key or value. Rules that need the whole base
(dangling keys, confidence against evidence) live in `rules`.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from . import rules
from .model import Claim, Confidence, EvidenceBase, EvidenceLink, Position, Problem, RelatedLink, Review
from .parsers.bibtex import load_sources
from .parsers.claim_yaml import ClaimDocument, load_claim_file
from .parsers.hygiene import reserved_name

if TYPE_CHECKING:
    import jsonschema


def _jsonschema():
    """jsonschema, imported only when a file is invalid (or fastjsonschema is missing): its
    import alone costs about 0.2 s, a tenth of checking 1,000 valid claims."""
    import jsonschema

    return jsonschema
from .project import Project
from .vocabulary import SchemaError, load_schema, vocabularies


@dataclass(frozen=True)
class CheckResult:
    base: EvidenceBase | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CheckedBase:
    """A base that passed its check: what every later stage may start from."""

    base: EvidenceBase
    warnings: tuple[Problem, ...] = ()


class BaseHasErrors(Exception):
    """The base failed its check. `problems` holds every error found and `warnings` the
    warnings, so whoever refuses can say all of it at once."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = tuple(p for p in problems if p.is_error)
        self.warnings = tuple(p for p in problems if not p.is_error)
        n = len(self.problems)
        super().__init__(f"{n} error{'s' if n != 1 else ''}")


def checked_base(project: Project, only: set[str] | None = None) -> CheckedBase:
    """The one gate before any stage: the checked base, or BaseHasErrors with every problem.

    `only` limits the problems considered to those files (as `evidence check FILE` does)."""
    result = check_project(project, only=only)
    if result.errors or result.base is None:
        raise BaseHasErrors(result.problems)
    return CheckedBase(result.base, result.warnings)


def _dotted(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping (key: value)",
               "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


class SchemaChecker:
    """Validates claim documents against the project's schema, with friendly messages."""

    def __init__(self, schema: dict):
        self.schema = schema
        self._validator = None
        self.fast = _compiled_fast(schema)
        if self.fast is None:
            self._validator = _jsonschema().Draft202012Validator(schema)
        self.vocab_by_consts: dict[tuple, str] = {}
        for name, definition in schema.get("$defs", {}).items():
            options = definition.get("oneOf") if isinstance(definition, dict) else None
            if options and all(isinstance(o, dict) and "const" in o for o in options):
                self.vocab_by_consts[tuple(o["const"] for o in options)] = name

    @property
    def validator(self):
        if self._validator is None:
            self._validator = _jsonschema().Draft202012Validator(self.schema)
        return self._validator

    def check(self, doc: ClaimDocument) -> list[Problem]:
        if self.fast is not None:
            try:
                self.fast(doc.data)
                return []
            except Exception:  # invalid, or the fast validator could not decide: ask jsonschema
                pass
        problems = []
        for error in self.validator.iter_errors(doc.data):
            problems.extend(self._explain(doc, error))
        return problems

    def _explain(self, doc: ClaimDocument, error: jsonschema.ValidationError) -> list[Problem]:
        path = tuple(error.absolute_path)
        where = _dotted(path)
        inst = error.instance
        v = error.validator
        if v == "additionalProperties" and isinstance(inst, dict):
            allowed = list(error.schema.get("properties", {}))
            out = []
            for key in inst:
                if key not in allowed:
                    guess = difflib.get_close_matches(key, allowed, n=1)
                    hint = (f"; did you mean {guess[0]!r}?" if guess
                            else f"; allowed here: {', '.join(allowed)}")
                    place = f" in {where}" if path else ""
                    out.append(Problem(doc.where(path + (key,), key=True), "error",
                                       f"unknown field {key!r}{place}{hint}", "schema-unknown-field"))
            return out
        if v == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            place = f" in {where}" if path else ""
            return [Problem(doc.where(path), "error", f"missing required field {missing!r}{place}",
                            "schema-required")]
        if v == "oneOf":
            consts = tuple(o.get("const") for o in error.schema.get("oneOf", []) if isinstance(o, dict))
            name = self.vocab_by_consts.get(consts)
            if name:
                guess = difflib.get_close_matches(str(inst), [str(c) for c in consts], n=1)
                hint = (f"; did you mean {guess[0]!r}?" if guess
                        else f"; expected one of: {', '.join(map(str, consts))}")
                what = "is empty" if inst is None else f"{inst!r} is not a known {name.replace('_', ' ')}"
                if inst is None:
                    hint = f"; expected a {name.replace('_', ' ')}: {', '.join(map(str, consts))}"
                return [Problem(doc.where(path), "error", f"{where}: {what}{hint}",
                                "schema-vocabulary")]
        if v == "type":
            want = error.validator_value
            want_text = " or ".join(_TYPE_WORDS.get(str(w),
                                                    str(w)) for w in (want if isinstance(want,
                                                                                         list) else [want]))
            return [Problem(doc.where(path), "error", f"{where}: expected {want_text}, found {_kind(inst)}",
                            "schema-type")]
        if v == "pattern":
            last = path[-1] if path else ""
            if last in ("added", "updated"):
                msg = f"{where}: {inst!r} is not a date written YYYY-MM-DD"
            elif last in ("id", "claim") or (len(path) >= 2 and path[-2] in ("themes",)):
                msg = (f"{where}: {inst!r} is not a slug (lowercase letters, digits and single hyphens, "
                       "e.g. 'core-conditions')")
            elif last == "source":
                msg = f"{where}: {inst!r} is not a BibTeX key (letters, digits and _:.+- only)"
            else:
                blank = isinstance(inst, str) and not inst.strip()
                msg = (f"{where}: must contain text" if blank
                       else f"{where}: {inst!r} is not in the expected form")
            return [Problem(doc.where(path), "error", msg, "schema-pattern")]
        if v == "minItems":
            return [Problem(doc.where(path), "error",
                            f"{where}: needs at least {error.validator_value} item(s)", "schema-min-items")]
        if v == "minLength":
            return [Problem(doc.where(path), "error", f"{where}: must not be empty", "schema-empty")]
        if v == "maxLength":
            return [Problem(doc.where(path), "error",
                            f"{where}: too long ({len(inst)} characters; at most {error.validator_value})",
                            "schema-max-length")]
        if v == "uniqueItems":
            return [Problem(doc.where(path), "error", f"{where}: lists the same value twice",
                            "schema-unique")]
        return [Problem(doc.where(path), "error", f"{where}: {error.message}", f"schema-{v}")]


_FAST_CACHE: dict[str, object] = {}


def _compiled_fast(schema: dict):
    """Compiled once per schema text in a process (serve rebuilds, tests): compiling costs
    0.3 s, validating a file microseconds."""
    import json

    key = json.dumps(schema, sort_keys=True)
    if key not in _FAST_CACHE:
        if len(_FAST_CACHE) > 8:
            _FAST_CACHE.clear()
        _FAST_CACHE[key] = _compile_fast(schema)
    return _FAST_CACHE[key]


def _compile_fast(schema: dict):
    """A compiled validator for the common case (a valid file) — ten times faster than
    jsonschema, whose richer errors are only needed when something is wrong."""
    try:
        import fastjsonschema
    except ImportError:
        return None
    if _uses_newer_keywords(schema):
        return None  # draft-07 would ignore them: a fast "valid" could be a false green
    # Draft 2020-12 applies keywords beside a $ref (a text with its own maxLength); draft-07
    # ignores them. Wrapping the $ref in an allOf keeps both meanings the same.
    schema = _ref_siblings_as_all_of(schema)
    draft7 = dict(schema, **{"$schema": "http://json-schema.org/draft-07/schema#"})
    draft7.pop("$id", None)
    # A oneOf of consts means the same as an enum, and an enum compiles to one set lookup.
    defs = {}
    for name, d in schema.get("$defs", {}).items():
        options = d.get("oneOf") if isinstance(d, dict) else None
        if options and all(isinstance(o, dict) and "const" in o for o in options):
            defs[name] = {"enum": [o["const"] for o in options]}
        else:
            defs[name] = d
    draft7["$defs"] = defs
    try:
        return fastjsonschema.compile(draft7, formats={"date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    except Exception:
        return None


# Keywords of drafts 2019-09 / 2020-12 that a draft-07 compiler would silently skip.
_NEWER = {"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
          "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "minContains", "maxContains", "$anchor"}


def _uses_newer_keywords(node) -> bool:
    if isinstance(node, dict):
        return any(k in _NEWER for k in node) or any(_uses_newer_keywords(v) for k, v in node.items()
                                                    if k not in ("const", "enum", "default", "examples"))
    if isinstance(node, list):
        return any(_uses_newer_keywords(v) for v in node)
    return False


def _ref_siblings_as_all_of(node):
    if isinstance(node, list):
        return [_ref_siblings_as_all_of(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("const", "enum", "default", "examples") else _ref_siblings_as_all_of(v))
           for k, v in node.items()}
    if "$ref" in out and any(k not in ("$ref", "description", "title", "$comment") for k in out):
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    return out


def to_claim(doc: ClaimDocument) -> Claim:
    d = doc.data
    conf = d["confidence"]
    return Claim(
        id=d["id"],
        statement=" ".join(d["statement"].split()),
        summary=d.get("summary"),
        claim_type=d["claim_type"],
        themes=tuple(d.get("themes", ())),
        settings=tuple(d.get("settings", ()) or ()),
        populations=tuple(d.get("populations", ()) or ()),
        outcomes=tuple(d.get("outcomes", ()) or ()),
        schemes=tuple(d.get("schemes", ()) or ()),
        recommendation=tuple(d.get("recommendation", ()) or ()),
        evidence=tuple(
            EvidenceLink(e["source"], e["relation"], e["locator"], e.get("quote"), e.get("note"),
                         doc.where(("evidence", i)), e.get("via"), e.get("source_locator"))
            for i, e in enumerate(d["evidence"])),
        confidence=Confidence(conf["level"], conf["method"], dict(conf["components"]),
                              " ".join(conf["rationale"].split()),
                              " ".join(conf["caveat"].split()) if conf.get("caveat") else None),
        related=tuple(RelatedLink(r["claim"], r["relation"], r.get("note"), doc.where(("related", i)))
                      for i, r in enumerate(d.get("related", ()) or ())),
        added=d["added"],
        updated=d.get("updated"),
        contributors=tuple(d.get("contributors", ()) or ()),
        evidence_basis=d.get("evidence_basis"),
        reviewed=Review(rv["date"], rv["by"], rv["against"],
                        rv.get("note")) if (rv := d.get("reviewed")) else None,
        path=doc.path,
    )


def discover_claims(project: Project) -> list[Problem]:
    """Problems with what sits in claims/ but is not read: a file in a subfolder (claims
    live directly in claims/, one per id), a symbolic link leading out of the project,
    a file named for a Windows device. Nothing in claims/ is skipped without a word."""
    out: list[Problem] = []
    top = project.claims_dir
    if not top.is_dir():
        return out
    for folder, dirs, files in os.walk(top, followlinks=False):
        here = Path(folder)
        for d in sorted(dirs):
            if (here / d).is_symlink():
                out.append(Problem(Position(project.relative(here / d)), "error",
                                   "a symbolic link to a folder in claims/ is not read; "
                                   "claim files sit directly in claims/",
                                   "claims-layout"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(files):
            path = here / name
            if Path(name).suffix not in (".yaml", ".yml"):
                continue
            rel = project.relative(path)
            if here != top:
                out.append(Problem(Position(rel), "error",
                                   "claim files sit directly in claims/; this one is in a "
                                   "subfolder and is not read: move it to claims/", "claims-layout"))
            elif path.is_symlink() and not project.inside(path):
                out.append(Problem(Position(rel), "error",
                                   "a symbolic link leading out of the project: not read "
                                   "(claim files must live in the repository)", "claims-symlink"))
            elif path.is_symlink() and not path.is_file():
                out.append(Problem(Position(rel), "error", "a symbolic link to nothing: not read",
                                   "claims-symlink"))
            elif reserved_name(path.stem):
                out.append(Problem(Position(rel), "error",
                                   f"{path.stem!r} is a reserved device name on Windows "
                                   "(con, nul, aux, prn, com1-9, lpt1-9): choose another id",
                                   "reserved-name"))
    return out


class UsageError(Exception):
    """A bad command-line argument: the message is one line, the exit code 2."""


def paths_to_report(project: Project, args: Iterable[str]) -> set[str] | None:
    """The project-relative files whose problems `evidence check PATH...` reports.

    A folder means every claim under it (the project folder means everything); a file
    must be a claim file, the bibliography or the schema. Anything else, or a path that
    does not exist, is a UsageError: a check that looked at nothing must not say 0 errors."""
    from .reporter import escape_control

    wanted: set[str] = set()
    root = project.root.resolve()
    claims = _all_claim_paths(project)
    for arg in args:
        path = Path(arg)
        shown = escape_control(arg)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {shown}")
        real = Path(os.path.abspath(path))
        if path.is_dir():
            real = real.resolve()
            if real == root or real in root.parents:
                return None
            if not (root in real.parents):
                raise UsageError(f"{shown} is outside the project at {escape_control(root)}")
            rel = real.relative_to(root).as_posix()
            under = {c for c in claims if c.startswith(rel + "/")}
            if not under:
                raise UsageError(f"{shown} holds no claim files (claims/*.yaml)")
            wanted |= under
            continue
        try:
            rel = real.relative_to(root).as_posix()
        except ValueError:
            try:
                rel = real.resolve().relative_to(root).as_posix()
            except ValueError:
                raise UsageError(f"{shown} is outside the project at {escape_control(root)}") from None
        known = claims | {project.relative(project.bib_path), project.relative(project.schema_path)}
        if rel not in known:
            raise UsageError(f"{shown} is neither a claim file (claims/*.yaml) "
                             "nor the bibliography (references.bib)")
        wanted.add(rel)
    return wanted


def _all_claim_paths(project: Project) -> set[str]:
    top = project.claims_dir
    if not top.is_dir():
        return set()
    found = set()
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in files:
            if Path(name).suffix in (".yaml", ".yml"):
                found.add(project.relative(Path(folder) / name))
        for d in dirs:
            if (Path(folder) / d).is_symlink():
                found.add(project.relative(Path(folder) / d))
    return found


def check_project(project: Project, only: set[str] | None = None) -> CheckResult:
    """Load and check a whole project. `only` limits which files' problems are reported."""
    problems: list[Problem] = []
    schema_rel = project.relative(project.schema_path)
    try:
        schema = load_schema(project.schema_path)
        vocab = vocabularies(schema)
        checker = SchemaChecker(schema)
    except SchemaError as exc:
        return CheckResult(None,
                           (Problem(Position(schema_rel), "error", str(exc).split(": ", 1)[-1],
                                    "schema-file"),))
    except _jsonschema().SchemaError as exc:  # evaluated only when something was raised
        return CheckResult(None,
                           (Problem(Position(schema_rel), "error", f"invalid JSON Schema: {exc.message}",
                                    "schema-file"),))

    sources, bib_problems = load_sources(project.bib_path, project.relative(project.bib_path))
    problems += bib_problems

    docs: list[ClaimDocument] = []
    valid: list[ClaimDocument] = []
    problems += discover_claims(project)
    for path in project.claim_files():
        rel = project.relative(path)
        if path.suffix != ".yaml":
            problems.append(Problem(Position(rel), "warning", "ignored: claim files end in .yaml",
                                    "file-extension"))
            continue
        doc, parse_problems = load_claim_file(path, rel)
        problems += parse_problems
        if doc is None:
            continue
        docs.append(doc)
        schema_problems = checker.check(doc)
        problems += schema_problems
        if not schema_problems:
            valid.append(doc)

    claims = tuple(sorted((to_claim(d) for d in valid), key=lambda c: c.id))
    base = EvidenceBase(claims=claims, sources=dict(sorted(sources.items())), vocabularies=vocab,
                        schema=schema)
    problems += rules.check_rules(base, docs, {d.path: d for d in valid}, project)
    if only is not None:
        problems = [p for p in problems if p.position.path in only]
    problems.sort(key=Problem.sort_key)
    return CheckResult(base, tuple(problems))
