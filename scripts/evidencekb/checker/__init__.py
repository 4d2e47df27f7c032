"""Check stage: parsed documents in, typed records and problems out.

Schema errors are rewritten into messages a contributor can act on, each at
the line of the offending key or value. Rules that need the whole base
(dangling keys, confidence against evidence) live in `rules`.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass

from .. import rules
from ..model import Claim, Confidence, EvidenceBase, EvidenceLink, Position, Problem, RelatedLink, Review
from ..parsers.bibtex import load_sources
from ..parsers.claim_yaml import ClaimDocument
from ..project import Project
from ..vocabulary import SchemaError, load_schema, vocabularies
from .files import UsageError, discover_claims, paths_to_report
from .reading import ClaimReader
from .schema import SchemaChecker, _jsonschema

__all__ = ["BaseHasErrors", "CheckResult", "CheckedBase", "SchemaChecker", "UsageError", "check_project",
           "checked_base", "discover_claims", "paths_to_report", "to_claim"]

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


def checked_base(project: Project, only: set[str] | None = None, progress=None) -> CheckedBase:
    """The one gate before any stage: the checked base, or BaseHasErrors with every problem.

    `only` limits the problems considered to those files (as `evidence check FILE` does)."""
    result = check_project(project, only=only, progress=progress)
    if result.errors or result.base is None:
        raise BaseHasErrors(result.problems)
    return CheckedBase(result.base, result.warnings)


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


@contextmanager
def _collector_paused():
    """Reading a base builds hundreds of thousands of long-lived objects and no reference
    cycles; the cyclic collector would walk them again and again for nothing (a fifth of the
    CPU at 10,000 claims). Freed memory still goes at once: reference counting frees it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def check_project(project: Project, only: set[str] | None = None, progress=None) -> CheckResult:
    """Load and check a whole project. `only` limits which files' problems are reported;
    `progress` (a progress.Progress) is told the phases and how far the reading is."""
    from ..progress import quiet

    with _collector_paused():
        return _check(project, only, progress or quiet())


def _schema_problem(project: Project, message: str) -> CheckResult:
    return CheckResult(None, (Problem(Position(project.relative(project.schema_path)), "error", message,
                                      "schema-file"),))


def _check(project: Project, only: set[str] | None, progress) -> CheckResult:
    try:
        schema = load_schema(project.schema_path)
        vocab = vocabularies(schema)
        checker = SchemaChecker(schema)
    except SchemaError as exc:
        return _schema_problem(project, str(exc).split(": ", 1)[-1])
    except _jsonschema().SchemaError as exc:  # evaluated only when something was raised
        return _schema_problem(project, f"invalid JSON Schema: {exc.message}")
    claims_pack, bib_pack = _packs(project)
    problems = discover_claims(project)
    reader = ClaimReader(project, checker, claims_pack)  # a big base: a child reads half meanwhile
    with progress.phase("reading references.bib"):
        sources, bib_problems = _sources(project, bib_pack)
    docs, valid, claim_problems = reader.finish(progress)
    problems += bib_problems + claim_problems
    with progress.phase("checking rules", total=len(valid)):
        claims = tuple(sorted((to_claim(d) for d in valid), key=lambda c: c.id))
        base = EvidenceBase(claims=claims, sources=dict(sorted(sources.items())), vocabularies=vocab,
                            schema=schema)
        problems += rules.check_rules(base, docs, {d.path: d for d in valid}, project)
    for pack in (claims_pack, bib_pack):
        if pack is not None:
            pack.save()
    if only is not None:
        problems = [p for p in problems if p.position.path in only]
    problems.sort(key=Problem.sort_key)
    return CheckResult(base, tuple(problems))


def _packs(project: Project):
    """The cache packs for the claim files (keyed also by the schema's text: a file's schema
    problems depend on it) and the bibliography; (None, None) when the cache is off."""
    from ..cache import Pack, cache_dir

    if cache_dir() is None:
        return None, None
    try:
        schema_bytes = project.schema_path.read_bytes()
    except OSError:
        return None, None
    root = project.root.resolve()
    return Pack("claims", root, schema_bytes, plain=True), Pack("bib", root)


def _sources(project: Project, pack):
    """The parsed bibliography and its problems, from the cache when its bytes were seen."""
    path, rel = project.bib_path, project.relative(project.bib_path)
    if pack is None:
        return load_sources(path, rel)
    try:
        raw = path.read_bytes()
    except OSError:
        return load_sources(path, rel)  # it says what is wrong
    key = pack.key(rel, raw)
    hit = pack.get(key)
    if hit is None:
        hit = load_sources(path, rel, raw)
        pack.put(key, hit)
    sources, problems = hit
    return dict(sources), list(problems)
