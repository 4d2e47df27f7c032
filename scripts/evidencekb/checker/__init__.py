"""Check stage: parsed documents in, typed records and problems out.

Schema errors are rewritten into messages a contributor can act on, each at
the line of the offending key or value. Rules that need the whole base
(dangling keys, confidence against evidence) live in `rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import forked, rules
from ..memory import collector_paused
from ..model import (
    Claim,
    Confidence,
    EvidenceBase,
    EvidenceLink,
    Position,
    Problem,
    RelatedLink,
    Review,
    source_of,
    source_values,
)
from ..parsers.claim_yaml import ClaimDocument
from ..project import Project
from ..vocabulary import SchemaError, load_schema, vocabularies
from .files import UsageError, discover_claims, paths_to_report
from .reading import ClaimReader, problem_of, problem_values
from .schema import SchemaChecker, _jsonschema

__all__ = ["BaseHasErrors", "CheckResult", "CheckedBase", "SchemaChecker", "UsageError", "check_project",
           "checked_base", "discover_claims", "paths_to_report", "to_claim"]

@dataclass(frozen=True)
class CheckResult:
    base: EvidenceBase | None
    problems: tuple[Problem, ...]
    prepared: object = None  # what `meanwhile` made of the base (check_project)
    prepared_apart: object = None  # and `apart`
    # The check's working data (parsed files, cache packs): freed with the result, or carried
    # on by checked_base(keep_scratch=True) for a caller about to end (memory.keep_to_exit).
    scratch: object = field(default=None, repr=False, compare=False)

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
    prepared: object = None  # what `meanwhile` made of the base (check_project)
    prepared_apart: object = None  # and `apart`
    scratch: object = field(default=None, repr=False, compare=False)  # see CheckResult


class BaseHasErrors(Exception):
    """The base failed its check. `problems` holds every error found and `warnings` the
    warnings, so whoever refuses can say all of it at once."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = tuple(p for p in problems if p.is_error)
        self.warnings = tuple(p for p in problems if not p.is_error)
        n = len(self.problems)
        super().__init__(f"{n} error{'s' if n != 1 else ''}")


def checked_base(project: Project, only: set[str] | None = None, progress=None,
                 meanwhile: Callable[[EvidenceBase, Callable[[], bool]], object] | None = None,
                 apart: Callable[[EvidenceBase], object] | None = None,
                 keep_scratch: bool = False) -> CheckedBase:
    """The one gate before any stage: the checked base, or BaseHasErrors with every problem.

    `only` limits the problems considered to those files (as `evidence check FILE` does);
    `meanwhile`, `apart`: see check_project. `keep_scratch`: the check's working data stays
    with the answer (CheckResult.scratch), for a command that leaves it to the process's end
    instead of freeing it while a child still shares its memory."""
    result = check_project(project, only=only, progress=progress, meanwhile=meanwhile, apart=apart)
    if result.errors or result.base is None:
        raise BaseHasErrors(result.problems)
    return CheckedBase(result.base, result.warnings, result.prepared, result.prepared_apart,
                       result.scratch if keep_scratch else None)


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
                         doc.link_position("evidence", i), e.get("via"), e.get("source_locator"))
            for i, e in enumerate(d["evidence"])),
        confidence=Confidence(conf["level"], conf["method"], dict(conf["components"]),
                              " ".join(conf["rationale"].split()),
                              " ".join(conf["caveat"].split()) if conf.get("caveat") else None),
        related=tuple(RelatedLink(r["claim"], r["relation"], r.get("note"), doc.link_position("related", i))
                      for i, r in enumerate(d.get("related", ()) or ())),
        added=d["added"],
        updated=d.get("updated"),
        contributors=tuple(d.get("contributors", ()) or ()),
        evidence_basis=d.get("evidence_basis"),
        reviewed=Review(rv["date"], rv["by"], rv["against"],
                        rv.get("note")) if (rv := d.get("reviewed")) else None,
        path=doc.path,
    )


RULES_APART_FROM = 1000  # claims; below this the rules take less time than a fork costs


def check_project(project: Project, only: set[str] | None = None, progress=None,
                  meanwhile: Callable[[EvidenceBase, Callable[[], bool]], object] | None = None,
                  apart: Callable[[EvidenceBase], object] | None = None) -> CheckResult:
    """Load and check a whole project. `only` limits which files' problems are reported;
    `progress` (a progress.Progress) is told the phases and how far the reading is.

    `meanwhile(base, busy)` and `apart(base)` are the caller's next stages, run once the
    files have been read without an error; their values are CheckResult.prepared and
    .prepared_apart, both None if the check found an error. On a big base a forked child
    checks the rules and then runs `apart` (its value comes back pickled; it must not print),
    while `meanwhile` runs here, and `busy()` says whether the child is still at work: so the
    two cores share the work (evidencekb.forked). On a small one all runs here, after the
    rules, and `busy()` is False."""
    from ..progress import quiet

    with collector_paused():
        return _check(project, only, progress or quiet(), meanwhile, apart)


def _schema_problem(project: Project, message: str) -> CheckResult:
    return CheckResult(None, (Problem(Position(project.relative(project.schema_path)), "error", message,
                                      "schema-file"),))


def _check(project: Project, only: set[str] | None, progress, meanwhile=None, apart=None) -> CheckResult:
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
    bib = _Bibliography(project, bib_pack)
    reader = ClaimReader(project, checker, claims_pack, bib.cached)  # big: a child reads part meanwhile
    with progress.phase("reading references.bib"):
        sources, bib_problems = bib.read()
    docs, valid, claim_problems = reader.finish(progress)
    problems += bib_problems + claim_problems
    readable = not any(p.is_error for p in problems)
    with progress.phase("checking rules", total=len(valid)):
        claims = tuple(sorted((to_claim(d) for d in valid), key=lambda c: c.id))
        base = EvidenceBase(claims=claims, sources=dict(sorted(sources.items())), vocabularies=vocab,
                            schema=schema)
        by_path = {d.path: d for d in valid}

        def run_rules() -> list[Problem]:
            return rules.check_rules(base, docs, by_path, project)

        child = None
        packs = [pack for pack in (claims_pack, bib_pack) if pack is not None]
        if (meanwhile or apart) and readable and len(claims) >= RULES_APART_FROM:
            child = forked.start(lambda: _in_the_child(run_rules, apart, base, packs),
                                 records=apart is not None)
        if child is None:
            problems += run_rules()
    prepared = prepared_apart = None
    saved = False
    if child is not None:
        found, prepared, prepared_apart, saved = _beside_the_rules(child, run_rules, meanwhile, apart, base,
                                                                   progress)
        problems += found
    elif not any(p.is_error for p in problems):
        prepared = meanwhile(base, _never) if meanwhile else None
        prepared_apart = apart(base) if apart else None
    if not saved:
        for pack in packs:
            pack.save()
    if only is not None:
        problems = [p for p in problems if p.position.path in only]
    problems.sort(key=Problem.sort_key)
    return CheckResult(base, tuple(problems), prepared, prepared_apart,
                       scratch=(docs, valid, by_path, reader, claims_pack, bib_pack, bib))


def _never() -> bool:
    return False


def _in_the_child(run_rules, apart, base, packs) -> tuple[list[tuple], object]:
    """The rules, `apart`, then the cache written: on a cold run, 0.35 s at 10,000 claims that
    this process spends with its other work done, and the parent would spend alone. (Every
    entry was put before the fork; an answer means the packs were saved.)"""
    found = run_rules()
    value = apart(base) if apart and not any(p.is_error for p in found) else None
    for pack in packs:
        pack.save()
    return [problem_values(p) for p in found], value


def _beside_the_rules(child: forked.Child, run_rules, meanwhile, apart, base,
                      progress) -> tuple[list[Problem], object, object, bool]:
    """`meanwhile(base, child.busy)` here while the child checks the rules and then runs `apart(base)`:
    (the rules' problems, both values, None, None when the rules found an error; and whether
    the child answered, having saved the cache). If the
    child failed in any way, its work is done here. An exception in `meanwhile` is raised
    only if the rules found no error: on a base with errors it is most likely their
    consequence, and the errors are what the contributor needs to see."""
    failure: Exception | None = None
    prepared = None
    try:
        prepared = meanwhile(base, child.busy) if meanwhile else None
    except Exception as exc:  # noqa: BLE001 - weighed against the rules' answer below
        failure = exc
    except BaseException:  # Ctrl-C, exit: the child's answer is no longer wanted
        child.stop()
        raise
    with progress.phase("waiting for the rules" + (" and the analysis" if apart else "")):
        answer = _answer(child.collect())  # said only if it takes a second or more
    found = answer[0] if answer is not None else run_rules()
    answered = answer is not None
    if any(p.is_error for p in found):
        return found, None, None, answered
    if failure is not None:
        raise failure
    if answer is None:  # the child failed: its second stage too is done here
        return found, prepared, apart(base) if apart else None, False
    return found, prepared, answer[1], True


def _answer(sent: Any) -> tuple[list[Problem], object] | None:
    """The child's (problems, apart's value), or None if it sent none or a garbled one."""
    try:
        values, value = sent
        return [problem_of(v) for v in values], value
    except (TypeError, ValueError):
        return None


def _packs(project: Project):
    """The cache packs for the claim files (keyed also by the schema's text: a file's schema
    problems depend on it) and the bibliography; None for each when the cache is off or its
    folder is not usable (then no file's bytes are hashed for nothing)."""
    from ..cache import Pack, cache_dir

    if cache_dir() is None:
        return None, None
    try:
        schema_bytes = project.schema_path.read_bytes()
    except OSError:
        return None, None
    root = project.root.resolve()
    claims, bib = Pack("claims", root, schema_bytes, plain=True), Pack("bib", root, plain=True)
    return (claims if claims.enabled else None), (bib if bib.enabled else None)


class _Bibliography:
    """references.bib, parsed or from the cache when its bytes were seen; whether it is
    cached is known before it is read (the claim reader splits its work by it)."""

    def __init__(self, project: Project, pack):
        self.pack = pack
        self.path, self.rel = project.bib_path, project.relative(project.bib_path)
        self.raw: bytes | None = None
        self.key = self.hit = None
        if pack is not None:
            try:
                self.raw = self.path.read_bytes()
            except OSError:
                return  # read() says what is wrong
            self.key = pack.key(self.rel, self.raw)
            self.hit = pack.get(self.key)

    @property
    def cached(self) -> bool:
        return self.hit is not None

    def read(self):
        if self.raw is None:
            return _load_sources(self.path, self.rel)
        if self.hit is None:
            sources, problems = _load_sources(self.path, self.rel, self.raw)
            self.pack.put(self.key, ([(k, source_values(s)) for k, s in sources.items()],
                                     [problem_values(p) for p in problems]))
            return sources, problems
        stored_sources, stored_problems = self.hit
        sources = {k: source_of(v) for k, v in stored_sources}
        return sources, [problem_of(p) for p in stored_problems]


def _load_sources(path, rel, raw=None):
    """parsers.bibtex.load_sources, imported only when the bibliography is parsed: pybtex and
    latexcodec take 0.08 s to import, for nothing when the cache has the bibliography."""
    from ..parsers.bibtex import load_sources

    return load_sources(path, rel, raw)
