"""Analysis stage: evidence profiles, gaps and maps, computed from the base.

Nothing here is typed by hand: a claim's profile (how many independent author
groups, which designs, whether anyone disputes it) is derived from its links,
so a rating that outruns its evidence shows up in the gap register.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Mapping

from . import confidence, themes
from .graph import author_slug
from .model import Claim, EvidenceBase, Source
from .vocabulary import Meaning

# BibTeX entry types (not a schema vocabulary) that are normally peer reviewed or edited.
PEER_REVIEWED_TYPES = frozenset({"article", "book", "incollection", "inbook"})


@dataclass(frozen=True)
class ClaimProfile:
    claim_id: str
    n_sources: int
    relations: tuple[tuple[str, int], ...]  # links per relation, in the vocabulary's order
    n_supporting: int  # links whose relation counts as support
    n_disputing: int  # links whose relation argues against the claim
    n_first_hand: int  # links to a source read itself
    n_second_hand: int  # links read in another work (`via`): a review's report of the finding
    author_groups: int
    designs: tuple[tuple[str, int], ...]
    countries: tuple[str, ...]
    home: bool | None  # has evidence from the schema's home country (None: the schema names none)
    contested: bool
    single_source: bool
    single_group: bool
    comparison: bool
    grey_only: bool
    supported_level: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class SourceProfile:
    key: str
    by_relation: tuple[tuple[str, tuple[str, ...]],
                       ...]  # relation -> the claims linking it so, vocabulary order
    weight: int
    centrality: float
    co_cited: tuple[tuple[str, int], ...]

    def claims(self, relation: str | None = None) -> tuple[str, ...]:
        """The claims citing this source (with this relation), sorted."""
        ids = {c for rel, cs in self.by_relation if relation in (None, rel) for c in cs}
        return tuple(sorted(ids))


@dataclass(frozen=True)
class Author:
    slug: str
    name: str
    sort_name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    kind: str
    title: str
    subject: str
    detail: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceMap:
    name: str
    title: str
    row_vocab: str
    col_vocab: str
    rows: tuple[tuple[str, str], ...]
    cols: tuple[tuple[str, str], ...]
    cells: Mapping[tuple[str, str], tuple[str, ...]]

    def count(self, row: str, col: str) -> int:
        return len(self.cells.get((row, col), ()))


@dataclass(frozen=True)
class Analysis:
    claims: Mapping[str, ClaimProfile]
    sources: Mapping[str, SourceProfile]
    authors: Mapping[str, Author]
    gaps: tuple[Gap, ...]
    maps: Mapping[str, EvidenceMap]


GAP_KINDS = {
    "single-source": "Rests on one source",
    "single-group": "Rests on one author group",
    "grey-only": "Only practitioner or grey-literature evidence",
    "no-comparison": "Effectiveness claim with no comparison-group study",
    "rating-unsupported": "Rating higher than the evidence profile supports",
    "contested": "Contested: a source disputes it",
    "theme-outcome": "Theme with outcomes no claim covers",
}


def is_grey(source: Source, m: Meaning) -> bool:
    return source.entry_type not in PEER_REVIEWED_TYPES or source.design in m.grey_designs


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What a claim's profile reads of each of its sources, worked out once a source: at
    10,000 claims each source is met three times over, and its authors' slugs, design and
    kind were most of the profile's time."""

    design: str
    country: str
    grey: bool
    slugs: tuple[str, ...]


def source_facts(sources: Mapping[str, Source], m: Meaning) -> dict[str, SourceFacts]:
    return {k: SourceFacts(s.design, s.country, is_grey(s, m), tuple(author_slug(p) for p in s.creators))
            for k, s in sources.items()}


def _author_groups(keys: list[str], facts: Mapping[str, SourceFacts]) -> int:
    """Sources sharing any author are one group (two papers by one author are not independent)."""
    parent = {k: k for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[str, str] = {}
    for k in keys:
        for slug in facts[k].slugs:
            if slug in owner:
                parent[find(k)] = find(owner[slug])
            else:
                owner[slug] = k
    return len({find(k) for k in keys})


def claim_profile(claim: Claim, sources: Mapping[str, Source], m: Meaning,
                  facts: Mapping[str, SourceFacts] | None = None) -> ClaimProfile:
    """`facts`: source_facts(sources, m), when profiling many claims."""
    if facts is None:
        facts = source_facts({e.source: sources[e.source] for e in claim.evidence if e.source in sources}, m)
    linked = [e for e in claim.evidence if e.source in facts]
    keys = sorted(linked_sources(claim, facts))
    supports = {r: m.supports(r) for r in {e.relation for e in linked}}
    supporting = sorted({e.source for e in linked if supports[e.relation]})
    rel: dict[str, int] = {}  # counted by hand: two Counters a claim were a tenth of the analysis
    for e in linked:
        rel[e.relation] = rel.get(e.relation, 0) + 1
    designs: dict[str, int] = {}
    for k in keys:
        designs[facts[k].design] = designs.get(facts[k].design, 0) + 1
    countries = sorted({facts[k].country for k in keys})
    groups = _author_groups(supporting, facts) if supporting else 0
    comparison = any(facts[k].design in m.comparison_designs for k in supporting)
    grey_only = bool(supporting) and all(facts[k].grey for k in supporting)
    n_disputing = sum(n for r, n in rel.items() if m.disputes(r))
    contested = n_disputing > 0
    supported = confidence.supported_level(claim, groups, grey_only, comparison, contested, m)
    effect = confidence.needs_comparison(claim, m)
    home = m.home_country in countries if m.home_country else None
    flags = []
    if len(supporting) == 1:
        flags.append("Rests on one source")
    elif groups == 1:
        flags.append("All its sources share an author")
    if grey_only:
        flags.append("Only practitioner or grey literature")
    if effect and not comparison:
        flags.append("No comparison-group study")
    if contested:
        flags.append("Contested")
    if home is False:
        flags.append(f"No {m.home_label} evidence")
    n_second = sum(bool(e.via) for e in linked)
    return ClaimProfile(
        claim_id=claim.id, n_sources=len(keys),
        relations=tuple((r, rel.get(r, 0)) for r in m.vocab["relation"].ids()),
        n_supporting=sum(n for r, n in rel.items() if supports[r]), n_disputing=n_disputing,
        n_first_hand=len(linked) - n_second, n_second_hand=n_second,
        author_groups=groups,
        designs=tuple(sorted(designs.items(), key=lambda kv: (-kv[1], kv[0]))),
        countries=tuple(countries), home=home, contested=contested,
        single_source=len(supporting) == 1, single_group=groups == 1, comparison=comparison,
        grey_only=grey_only, supported_level=supported, flags=tuple(flags),
    )


def linked_sources(claim: Claim, sources: Mapping[str, object]) -> set[str]:
    """The sources of the base a claim links (ClaimProfile.n_sources counts them)."""
    return {e.source for e in claim.evidence if e.source in sources}


def citing_claims(base: EvidenceBase) -> dict[str, set[str]]:
    """Every source's citing claims, by any relation (SourceProfile.weight counts them). The
    explorer's graph reads these two, not the whole analysis, so it is made while a child
    makes the analysis."""
    out: dict[str, set[str]] = {k: set() for k in base.sources}
    for claim in base.claims:
        for e in claim.evidence:
            if e.source in out:
                out[e.source].add(claim.id)
    return out


def _source_profiles(base: EvidenceBase) -> dict[str, SourceProfile]:
    relations = base.vocabularies["relation"].ids()
    by_rel: dict[str, dict[str, set]] = {k: {r: set() for r in relations} for k in base.sources}
    co: dict[str, Counter] = defaultdict(Counter)
    for claim in base.claims:
        keys = sorted({e.source for e in claim.evidence if e.source in base.sources})
        for e in claim.evidence:
            if e.source in base.sources:
                by_rel[e.source].setdefault(e.relation, set()).add(claim.id)
        for a, b in combinations(keys, 2):
            co[a][b] += 1
            co[b][a] += 1
    weights = {k: len(ids) for k, ids in citing_claims(base).items()}
    top = max(weights.values(), default=0) or 1
    out = {}
    for key in sorted(base.sources):
        r = by_rel[key]
        out[key] = SourceProfile(
            key=key, by_relation=tuple((rel, tuple(sorted(ids))) for rel, ids in r.items()),
            weight=weights[key], centrality=round(weights[key] / top, 4),
            co_cited=tuple(sorted(co[key].items(), key=lambda kv: (-kv[1], kv[0]))[:10]),
        )
    return out


def _authors(base: EvidenceBase) -> dict[str, Author]:
    names: dict[str, tuple[str, str]] = {}
    keys: dict[str, list[str]] = defaultdict(list)
    for key in sorted(base.sources):
        for person in base.sources[key].creators:
            slug = author_slug(person)
            # keep the fullest form of the name seen
            if slug not in names or len(person.display) > len(names[slug][0]):
                names[slug] = (person.display, person.sort_name)
            if key not in keys[slug]:
                keys[slug].append(key)
    return {slug: Author(slug, names[slug][0], names[slug][1], tuple(keys[slug]))
            for slug in sorted(names, key=lambda s: (names[s][1].lower(), s))}


def _claim_designs(claim: Claim, sources: Mapping[str, Source]) -> set[str]:
    return {sources[e.source].design for e in claim.evidence if e.source in sources}


def _maps(base: EvidenceBase) -> dict[str, EvidenceMap]:
    v = base.vocabularies
    designs_used = sorted({s.design for s in base.sources.values()})
    design_cols = tuple((t.id, t.title) for t in v["design"].terms if t.id in designs_used)
    outcome_cols = tuple((t.id, t.title) for t in v["outcome"].terms) if "outcome" in v else ()
    theme_rows = tuple((t.id, t.title) for t in v["theme"].terms)
    type_rows = tuple((t.id, t.title) for t in v["claim_type"].terms)

    def build(name, title, row_vocab, col_vocab, rows, cols, row_of, col_of):
        cells: dict[tuple[str, str], list[str]] = defaultdict(list)
        for claim in base.claims:
            for r in row_of(claim):
                for c in col_of(claim):
                    cells[(r, c)].append(claim.id)
        return EvidenceMap(name, title, row_vocab, col_vocab, rows, cols,
                           {k: tuple(sorted(set(ids))) for k, ids in sorted(cells.items())})

    designs = {c.id: _claim_designs(c, base.sources) for c in base.claims}  # once, for both maps

    def designs_of(claim):
        return designs[claim.id]

    maps = {
        "theme-by-design": build("theme-by-design", "Themes by study design", "theme", "design", theme_rows,
                                 design_cols,
                                 lambda c: c.themes, designs_of),
        "claim_type-by-design": build("claim_type-by-design", "Kinds of finding by study design",
                                      "claim_type", "design",
                                      type_rows, design_cols, lambda c: (c.claim_type,), designs_of),
    }
    if outcome_cols:
        maps["theme-by-outcome"] = build("theme-by-outcome", "Themes by outcome", "theme", "outcome",
                                         theme_rows,
                                         outcome_cols, lambda c: c.themes, lambda c: c.outcomes)
    return maps


def _gaps(base: EvidenceBase, profiles: Mapping[str, ClaimProfile],
          maps: Mapping[str, EvidenceMap]) -> tuple[Gap, ...]:
    m = confidence.of(base)
    gaps: list[Gap] = []
    for claim in base.claims:
        p = profiles[claim.id]
        if p.single_source:
            gaps.append(Gap("single-source", GAP_KINDS["single-source"], claim.id,
                            "Only one source supports this claim.", (claim.id,)))
        elif p.single_group:
            gaps.append(Gap("single-group", GAP_KINDS["single-group"], claim.id,
                            f"Its {p.n_supporting} supporting sources share an author, so they are not "
                            "independent.", (claim.id,)))
        if p.grey_only:
            gaps.append(Gap("grey-only", GAP_KINDS["grey-only"], claim.id,
                            "No peer-reviewed study supports it: only reports, practitioner accounts or "
                            "commentary.", (claim.id,)))
        if confidence.needs_comparison(claim, m) and not p.comparison:
            gaps.append(Gap("no-comparison", GAP_KINDS["no-comparison"], claim.id,
                            "No randomised or quasi-experimental study supports it, so the effect is not "
                            "established.", (claim.id,)))
        if m.rank(claim.confidence.level) > m.rank(p.supported_level):
            gaps.append(Gap("rating-unsupported", GAP_KINDS["rating-unsupported"], claim.id,
                            f"Rated {claim.confidence.level}, but its evidence profile supports at most "
                            f"{p.supported_level}"
                            f" ({'; '.join(p.flags).lower() or 'see profile'}).", (claim.id,)))
        if p.contested:
            gaps.append(Gap("contested", GAP_KINDS["contested"], claim.id,
                            f"{p.n_disputing} source(s) dispute it; read both sides before citing it.",
                            (claim.id,)))
    tbo = maps.get("theme-by-outcome")
    if tbo:
        # Only the outcomes a theme is about (its x-outcomes) can be missing from it.
        for row_id, row_title in tbo.rows:
            covered = {c for (r, c) in tbo.cells if r == row_id}
            about = set(themes.outcomes(base, row_id))
            missing = [title for cid, title in tbo.cols if cid in about and cid not in covered]
            if missing:
                claims = tuple(sorted({x for (r, _), ids in tbo.cells.items() if r == row_id for x in ids}))
                gaps.append(Gap("theme-outcome", GAP_KINDS["theme-outcome"], row_id,
                                f"No claim in '{row_title}' concerns: {', '.join(missing)}.", claims))
    order = list(GAP_KINDS)
    return tuple(sorted(gaps, key=lambda g: (order.index(g.kind), g.subject)))


def analyse(base: EvidenceBase) -> Analysis:
    m = confidence.of(base)
    facts = source_facts(base.sources, m)
    profiles = {c.id: claim_profile(c, base.sources, m, facts) for c in base.claims}
    maps = _maps(base)
    return Analysis(claims=profiles, sources=_source_profiles(base), authors=_authors(base),
                    gaps=_gaps(base, profiles, maps), maps=maps)
