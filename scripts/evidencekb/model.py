"""Plain typed records that flow one way through the pipeline.

Every later stage (graph, render, export) reads these and nothing upstream,
so a change to a parser never ripples into the site code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where something is, 1-based, with the path relative to the project root."""

    path: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class Problem:
    position: Position
    severity: str  # "error" | "warning"
    message: str
    rule: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self):
        return (self.position.path, self.position.line, self.position.col, self.severity, self.message)


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    title: str
    description: str
    # The schema's `x-` annotations on the term (rank, flags): what `vocabulary.meaning` reads.
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    description: str
    terms: tuple[Term, ...]
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)  # the definition's `x-` annotations
    # The terms by id, made once: the rating policy and the analysis look terms up about
    # ten times a claim (800,000 linear scans at 10,000 claims).
    _by_id: Mapping[str, Term] = field(init=False, repr=False, compare=False)
    _ids: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Term] = {}
        for t in self.terms:
            by_id.setdefault(t.id, t)  # the first of a repeated id, as a scan would find
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_ids", tuple(t.id for t in self.terms))

    def ids(self) -> tuple[str, ...]:
        return self._ids

    def get(self, term_id: str) -> Term | None:
        return self._by_id.get(term_id)

    def title(self, term_id: str) -> str:
        term = self.get(term_id)
        return term.title if term else term_id


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    source: str
    relation: str
    locator: str
    quote: str | None = None
    note: str | None = None
    position: Position | None = None
    via: str | None = None  # secondary citation: the work the finding was read in; `locator` is in it
    source_locator: str | None = None  # with `via`: the place in the primary source, if the reporter gives it


@dataclass(frozen=True, slots=True)
class Review:
    """A second reviewer's check of a claim against its source documents (shown on the page)."""

    date: str
    by: str
    against: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RelatedLink:
    claim: str
    relation: str
    note: str | None = None
    position: Position | None = None


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str
    method: str
    components: Mapping[str, str]
    rationale: str
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    statement: str
    claim_type: str
    themes: tuple[str, ...]
    evidence: tuple[EvidenceLink, ...]
    confidence: Confidence
    added: str
    path: str
    summary: str | None = None
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    updated: str | None = None
    contributors: tuple[str, ...] = ()
    evidence_basis: str | None = None  # None means the schema's default (studies)
    reviewed: Review | None = None
    recommendation: tuple[str, ...] = ()  # audiences it recommends something to (commissioning checklist)

    @property
    def title(self) -> str:
        return self.summary or self.statement


@dataclass(frozen=True, slots=True)
class Person:
    """A name as BibTeX splits it; a corporate author is one unsplit `family`."""

    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""
    corporate: bool = False

    @property
    def initials(self) -> str:
        parts = [p for p in self.given.replace("-", " -").split() if p]
        out = []
        for p in parts:
            if p.startswith("-") and len(p) > 1:
                out.append("-" + p[1].upper() + ".")
            else:
                out.append(p[0].upper() + ".")
        return "".join(out).replace(".-", "-")

    @property
    def display(self) -> str:
        if self.corporate:
            return self.family
        return " ".join(p for p in (self.given, self.particle, self.family, self.suffix) if p)

    @property
    def sort_name(self) -> str:
        return " ".join(p for p in (self.family, self.given) if p)


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    entry_type: str
    fields: Mapping[str, str]
    authors: tuple[Person, ...]
    editors: tuple[Person, ...]
    position: Position
    bibtex: str = ""
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def year(self) -> str:
        return self.get("year", "n.d.")

    @property
    def design(self) -> str:
        return self.get("design", "unknown")

    @property
    def country(self) -> str:
        return self.get("country", "unknown")

    @property
    def settings(self) -> tuple[str, ...]:
        return split_list(self.get("setting"))

    @property
    def schemes(self) -> tuple[str, ...]:
        return split_list(self.get("schemes"))

    @property
    def cited_in(self) -> tuple[str, ...]:
        return split_list(self.get("citedin"))

    @property
    def incomplete(self) -> str | None:
        return self.get("incomplete") or None

    @property
    def doi(self) -> str:
        return self.get("doi")

    @property
    def url(self) -> str:
        return self.get("url")

    @property
    def creators(self) -> tuple[Person, ...]:
        return self.authors or self.editors


def source_values(source: Source) -> tuple:
    """A source as plain values, which marshal keeps: the check cache stores the bibliography
    so, as reading 5,000 pickled records back took a quarter of a second."""
    def people(persons: tuple[Person, ...]) -> tuple:
        return tuple((p.family, p.given, p.particle, p.suffix, p.corporate) for p in persons)

    s = source
    return (s.key, s.entry_type, dict(s.fields), people(s.authors), people(s.editors),
            (s.position.path, s.position.line, s.position.col), s.bibtex, dict(s.field_lines))


def source_of(values: tuple) -> Source:
    """source_values, read back."""
    key, entry_type, fields, authors, editors, (path, line, col), bibtex, field_lines = values
    return Source(key, entry_type, fields, tuple([Person(*p) for p in authors]),
                  tuple([Person(*p) for p in editors]), Position(path, line, col), bibtex, field_lines)


def split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(";", ",").split(",") if v.strip())


@dataclass(frozen=True)
class EvidenceBase:
    """The checked data: what every later stage reads."""

    claims: tuple[Claim, ...]
    sources: Mapping[str, Source]
    vocabularies: Mapping[str, Vocabulary]
    schema: Mapping

    def claim(self, claim_id: str) -> Claim | None:
        return self.claim_index.get(claim_id)

    @cached_property
    def claim_index(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies[name]
