"""Graph stage: the checked base as one networkx graph.

Node ids carry their kind ("claim:x", "source:k", ...), so ids from different
vocabularies can never collide, and every edge has a `kind`. Nodes and edges
are added in sorted order so every export is byte-identical for the same data.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

from .model import EvidenceBase, Person

if TYPE_CHECKING:
    import networkx as nx


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@lru_cache(maxsize=65536)
def author_slug(person: Person) -> str:
    """One person across entries: surname plus first initial ('Buck, G.' = 'Buck, Gillian').
    Memoised: a base names the same people again and again (95,000 calls at 10,000 claims)."""
    if person.corporate:
        return slugify(person.family)
    first = person.initials[:1].lower()
    return slugify(" ".join(p for p in (person.particle, person.family, first) if p))


def claim_id(cid: str) -> str:
    return f"claim:{cid}"


def source_id(key: str) -> str:
    return f"source:{key}"


def build_graph(base: EvidenceBase, labels: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """`labels`: key -> in-text label, when the caller has them already; else made here. A
    source node is labelled as everywhere else on the site, with the Harvard label and its
    year letter ("Buck (2021b)"), so two works never share one name."""
    # Imported here: the site build needs author slugs from this module but not the graph
    # itself in its main process, and networkx costs 0.2 s to import.
    import networkx as nx

    if labels is None:
        from .cite.harvard import harvard_labels

        labels = harvard_labels(base.sources)
    g = nx.MultiDiGraph()
    _add_nodes(g, base, labels)
    _add_source_edges(g, base)
    _add_claim_edges(g, base)
    return g


def _add_nodes(g, base: EvidenceBase, labels: Mapping[str, str]) -> None:
    themes = base.vocabularies["theme"]
    for term in themes.terms:
        g.add_node(f"theme:{term.id}", kind="theme", label=term.title)
    schemes = base.vocabularies.get("scheme")
    used_schemes = sorted({s for c in base.claims for s in c.schemes}
                          | {s for src in base.sources.values() for s in src.schemes})
    for sid in used_schemes:
        g.add_node(f"scheme:{sid}", kind="scheme", label=schemes.title(sid) if schemes else sid)

    authors: dict[str, str] = {}
    for key in sorted(base.sources):
        for person in base.sources[key].creators:
            authors.setdefault(author_slug(person), person.display)
    for slug in sorted(authors):
        g.add_node(f"author:{slug}", kind="author", label=authors[slug])

    for key in sorted(base.sources):
        src = base.sources[key]
        g.add_node(source_id(key), kind="source", label=labels.get(key, key), title=src.title, year=src.year,
                   design=src.design, country=src.country, settings=list(src.settings),
                   entry_type=src.entry_type, incomplete=bool(src.incomplete))
    for claim in base.claims:
        g.add_node(claim_id(claim.id), kind="claim", label=claim.title, statement=claim.statement,
                   claim_type=claim.claim_type, level=claim.confidence.level, method=claim.confidence.method,
                   themes=list(claim.themes), settings=list(claim.settings), outcomes=list(claim.outcomes),
                   populations=list(claim.populations))


def _add_source_edges(g, base: EvidenceBase) -> None:
    for key in sorted(base.sources):
        src = base.sources[key]
        seen = set()
        for person in src.creators:
            slug = author_slug(person)
            if slug not in seen:
                seen.add(slug)
                g.add_edge(source_id(key), f"author:{slug}", key=f"authorship:{slug}", kind="authorship")
        for sid in src.schemes:
            g.add_edge(source_id(key), f"scheme:{sid}", key=f"scheme:{sid}", kind="scheme")


def _add_claim_edges(g, base: EvidenceBase) -> None:
    for claim in base.claims:
        cnode = claim_id(claim.id)
        for i, link in enumerate(claim.evidence):
            if link.source in base.sources:
                # A secondary citation says which work it was read in (the locator is in that work).
                read_in = {"via": link.via, "source_locator": link.source_locator or ""} if link.via else {}
                g.add_edge(cnode, source_id(link.source), key=f"evidence:{i}", kind="evidence",
                           relation=link.relation, locator=link.locator, **read_in)
        for i, rel in enumerate(claim.related):
            if rel.claim in base.claim_index:
                g.add_edge(cnode, claim_id(rel.claim), key=f"related:{i}", kind="related",
                           relation=rel.relation)
        for theme in claim.themes:
            g.add_edge(cnode, f"theme:{theme}", key="theme", kind="theme")
        for sid in claim.schemes:
            g.add_edge(cnode, f"scheme:{sid}", key=f"scheme:{sid}", kind="scheme")
