"""The base as linked data: schema.org JSON-LD for pages, RDF (Turtle) of the whole graph, and one
nanopublication per claim (TriG).

schema.org has a `Claim` type but no way to say that a work supports, qualifies or disputes a
claim, so those stances, the rating and the secondary citations use a small vocabulary of our
own under `<site>/vocab#`, whose terms are the schema's own vocabulary ids (so adding a relation
to the schema adds its term here, with no code change). The method page documents it.

Every node is an IRI (claims, sources, evidence links, nanopublication graphs), never a blank
node: blank-node labels are random, and the exports must be byte-identical for the same data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .cite.links import bare_doi, doi_url, http_url
from .model import Claim, EvidenceBase, Source

SCHEMA = "https://schema.org/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
# BibTeX entry types (the BibTeX standard, not our vocabularies) and the schema.org type of each.
WORK_TYPES = {"article": "ScholarlyArticle", "book": "Book", "incollection": "Chapter", "inbook": "Chapter",
              "techreport": "Report", "phdthesis": "Thesis", "mastersthesis": "Thesis",
              "misc": "CreativeWork"}


class Addresses:
    """Where each thing lives on the published site; the one place IRIs are made."""

    def __init__(self, site_url: str):
        self.site = site_url if site_url.endswith("/") else site_url + "/"
        self.vocab = self.site + "vocab#"

    def claim(self, claim_id: str) -> str:
        return f"{self.site}claims/{claim_id}/"

    def source(self, key: str) -> str:
        return f"{self.site}sources/{key}/"

    def term(self, vocabulary: str, term_id: str) -> str:
        return f"{self.vocab}{vocabulary}-{term_id}"

    def nanopub(self, claim_id: str) -> str:
        return f"{self.site}np/{claim_id}"


def script_json(data: Any) -> str:
    """JSON for a <script type="application/ld+json"> block: no field can close the element or
    open a comment, because <, > and & never appear literally (JSON's \\u escapes keep the meaning)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def context(addr: Addresses) -> dict[str, Any]:
    return {"@vocab": SCHEMA, "ekb": addr.vocab}


def _person(p) -> dict[str, Any]:
    if p.corporate:
        return {"@type": "Organization", "name": p.family}
    out = {"@type": "Person", "name": p.display, "familyName": p.family}
    if p.given:
        out["givenName"] = p.given
    return out


def source_jsonld(src: Source, addr: Addresses, label: str | None = None) -> dict[str, Any]:
    """A work as schema.org describes it: type, name, authors, date, DOI, container, ISSN."""
    node: dict[str, Any] = {"@id": addr.source(src.key),
                            "@type": WORK_TYPES.get(src.entry_type, "CreativeWork"),
                            "name": src.title, "identifier": src.key}
    if src.authors:
        node["author"] = [_person(p) for p in src.authors]
    if src.editors:
        node["editor"] = [_person(p) for p in src.editors]
    if src.get("year").isdigit():
        node["datePublished"] = src.get("year")
    doi = doi_url(src.doi)  # only a real DOI becomes a link, as on the pages
    if doi:
        node["sameAs"] = {"@id": doi}
        node["ekb:doi"] = bare_doi(src.doi)
    url = http_url(src.url)
    if url:
        node["url"] = url
    if label:
        node["alternateName"] = label
    journal = src.get("journal")
    if journal:
        periodical: dict[str, Any] = {"@type": "Periodical", "name": journal}
        if src.get("issn"):
            periodical["issn"] = src.get("issn")
        node["isPartOf"] = periodical
        if src.get("volume"):
            node["ekb:volume"] = src.get("volume")
        if src.get("number"):
            node["ekb:issue"] = src.get("number")
    elif src.get("booktitle"):
        node["isPartOf"] = {"@type": "Book", "name": src.get("booktitle")}
    if src.get("pages"):
        node["pagination"] = src.get("pages").replace("--", "-")
    publisher = src.get("publisher") or src.get("institution") or src.get("organization")
    if publisher:
        node["publisher"] = {"@type": "Organization", "name": publisher}
    if src.get("isbn"):
        node["isbn"] = src.get("isbn")
    return node


def _link_id(addr: Addresses, claim: Claim, index: int) -> str:
    return f"{addr.claim(claim.id)}#evidence-{index + 1}"


def claim_jsonld(claim: Claim, base: EvidenceBase, addr: Addresses, version: Mapping[str, Any] | None = None,
                 label: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A claim as a schema.org Claim, with its evidence links and rating in our vocabulary."""
    node: dict[str, Any] = {
        "@context": context(addr), "@id": addr.claim(claim.id), "@type": "Claim",
        "name": claim.title, "text": claim.statement, "dateCreated": claim.added,
        "license": {"@id": CC_BY}, "url": addr.claim(claim.id),
        "ekb:claimType": {"@id": addr.term("claim_type", claim.claim_type)},
        "ekb:confidenceLevel": {"@id": addr.term("level", claim.confidence.level)},
        "ekb:ratingMethod": {"@id": addr.term("method", claim.confidence.method)},
        "ekb:rationale": claim.confidence.rationale,
    }
    if claim.updated:
        node["dateModified"] = claim.updated
    if claim.confidence.caveat:
        node["ekb:caveat"] = claim.confidence.caveat
    if version:
        node["version"] = str(version["number"])
    if claim.themes:
        node["about"] = [{"@id": addr.term("theme", t), "name": base.vocabulary("theme").title(t)}
                         for t in claim.themes]
    if claim.reviewed:
        node["ekb:reviewedBy"] = claim.reviewed.by
        node["ekb:reviewedOn"] = claim.reviewed.date
        node["ekb:reviewedAgainst"] = claim.reviewed.against
    links, appearances = [], []
    for i, e in enumerate(claim.evidence):
        link: dict[str, Any] = {"@id": _link_id(addr, claim, i), "@type": "ekb:EvidenceLink",
                                "ekb:source": {"@id": addr.source(e.source)},
                                "ekb:relation": {"@id": addr.term("relation", e.relation)},
                                "ekb:locator": e.locator}
        if e.quote:
            link["ekb:quote"] = e.quote
        if e.via:
            link["ekb:via"] = {"@id": addr.source(e.via)}
        if e.source_locator:
            link["ekb:sourceLocator"] = e.source_locator
        links.append(link)
        src = base.sources.get(e.source)
        if src is not None:
            appearances.append(source_jsonld(src, addr, label(e.source) if label else None))
    node["ekb:evidence"] = links
    # The works the claim appears in, as schema.org's Claim.appearance says it.
    node["appearance"] = sorted({a["@id"]: a for a in appearances}.values(), key=lambda a: a["@id"])
    for rel in claim.related:
        node.setdefault(f"ekb:{rel.relation}", []).append({"@id": addr.claim(rel.claim)})
    return node


def dataset_jsonld(base: EvidenceBase, addr: Addresses, *, name: str, description: str, version: str,
                   downloads: Mapping[str, str], date_modified: str | None = None) -> dict[str, Any]:
    """The whole base as a schema.org Dataset; `downloads` maps a file name to its media type."""
    node: dict[str, Any] = {
        "@context": context(addr), "@id": addr.site, "@type": "Dataset", "name": name,
        "description": description, "url": addr.site, "license": {"@id": CC_BY}, "version": version,
        "isAccessibleForFree": True,
        "variableMeasured": ["claim", "evidence link", "confidence level"],
        "size": f"{len(base.claims)} claims, {len(base.sources)} sources",
        "distribution": [{"@type": "DataDownload", "name": f, "encodingFormat": t,
                          "contentUrl": f"{addr.site}data/{f}"} for f, t in sorted(downloads.items())],
    }
    if date_modified:
        node["dateModified"] = date_modified
    return node


# ----------------------------------------------------------------------------------------------
# RDF: the whole graph in Turtle, and nanopublications in TriG (rdflib, deterministic).


def _rdf_namespaces(addr: Addresses):
    from rdflib import Namespace

    return Namespace(SCHEMA), Namespace(addr.vocab)


def _assertion(g, claim: Claim, addr: Addresses) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    s, ekb = _rdf_namespaces(addr)
    c = URIRef(addr.claim(claim.id))
    g.add((c, RDF.type, s.Claim))
    g.add((c, s.text, Literal(claim.statement)))
    g.add((c, s.name, Literal(claim.title)))
    g.add((c, ekb.claimType, URIRef(addr.term("claim_type", claim.claim_type))))
    for e in claim.evidence:
        g.add((URIRef(addr.source(e.source)), ekb[e.relation], c))
    for rel in claim.related:
        g.add((c, ekb[rel.relation], URIRef(addr.claim(rel.claim))))


def _provenance(g, claim: Claim, addr: Addresses, subject) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import PROV, RDF, XSD

    _s, ekb = _rdf_namespaces(addr)
    for i, e in enumerate(claim.evidence):
        link = URIRef(_link_id(addr, claim, i))
        g.add((subject, PROV.wasDerivedFrom, URIRef(addr.source(e.via or e.source))))
        g.add((subject, ekb.evidence, link))
        g.add((link, RDF.type, ekb.EvidenceLink))
        g.add((link, ekb.source, URIRef(addr.source(e.source))))
        g.add((link, ekb.relation, URIRef(addr.term("relation", e.relation))))
        g.add((link, ekb.locator, Literal(e.locator)))
        if e.quote:
            g.add((link, ekb.quote, Literal(e.quote)))
        if e.via:
            g.add((link, ekb.via, URIRef(addr.source(e.via))))
        if e.source_locator:
            g.add((link, ekb.sourceLocator, Literal(e.source_locator)))
    conf = claim.confidence
    g.add((subject, ekb.confidenceLevel, URIRef(addr.term("level", conf.level))))
    g.add((subject, ekb.ratingMethod, URIRef(addr.term("method", conf.method))))
    g.add((subject, ekb.rationale, Literal(conf.rationale)))
    if conf.caveat:
        g.add((subject, ekb.caveat, Literal(conf.caveat)))
    for name, value in sorted(conf.components.items()):
        g.add((subject, ekb[f"component-{name}"], Literal(str(value))))
    if claim.reviewed:
        g.add((subject, ekb.reviewedBy, Literal(claim.reviewed.by)))
        g.add((subject, ekb.reviewedOn, Literal(claim.reviewed.date, datatype=XSD.date)))
        g.add((subject, ekb.reviewedAgainst, Literal(claim.reviewed.against)))


def _source_triples(g, src: Source, addr: Addresses) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    s, ekb = _rdf_namespaces(addr)
    node = URIRef(addr.source(src.key))
    g.add((node, RDF.type, s[WORK_TYPES.get(src.entry_type, "CreativeWork")]))
    g.add((node, s.name, Literal(src.title)))
    if src.get("year").isdigit():
        g.add((node, s.datePublished, Literal(src.get("year"))))
    if doi_url(src.doi):
        g.add((node, s.sameAs, URIRef(doi_url(src.doi))))
    for p in src.authors:
        g.add((node, s.author, Literal(p.display)))


def _statements(g) -> list[str]:
    """The graph's triples as N-Triples lines (valid Turtle and TriG statements), sorted.

    rdflib's Turtle writer tries a prefixed name for every term of every triple and was most of
    a 10,000-claim build (about 19 s of CPU for the Turtle file at 3,000 claims); N-Triples
    lines are written term by term, and sorting them makes the bytes depend on the data alone."""
    return sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())


def _serialise(g, prefixes) -> str:
    head = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in prefixes]
    return "\n".join(head + [""] + _statements(g)) + "\n"


def turtle(base: EvidenceBase, addr: Addresses) -> str:
    """The whole claim–evidence graph: claims, stances, ratings and sources."""
    from rdflib import Graph, URIRef

    g = Graph(bind_namespaces="none")
    s, ekb = _rdf_namespaces(addr)
    g.bind("schema", s)
    g.bind("ekb", ekb)
    for claim in base.claims:
        _assertion(g, claim, addr)
        _provenance(g, claim, addr, URIRef(addr.claim(claim.id)))
    for key in sorted(base.sources):
        _source_triples(g, base.sources[key], addr)
    return _serialise(g, (("schema", s), ("ekb", ekb)))


def nanopublications(base: EvidenceBase, addr: Addresses,
                     created: Callable[[Claim], str] | None = None) -> str:
    """One nanopublication per claim: head, assertion, provenance and publication-info graphs (TriG).

    rdflib's TriG writer orders graphs by hash, so each graph is written by the (ordered) Turtle
    writer and the graphs are laid out in claim order: the same data gives the same bytes."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, XSD

    np = Namespace("http://www.nanopub.org/nschema#")
    s, ekb = _rdf_namespaces(addr)
    prefixes = (("np", np), ("schema", s), ("ekb", ekb), ("dct", DCTERMS),
                ("prov", "http://www.w3.org/ns/prov#"),
                ("rdf", str(RDF)), ("xsd", str(XSD)))

    def new_graph():
        g = Graph(bind_namespaces="none")
        for prefix, ns in prefixes:
            g.bind(prefix, ns, override=True, replace=True)
        return g

    blocks = ["\n".join(f"@prefix {prefix}: <{ns}> ." for prefix, ns in prefixes)]
    for claim in base.claims:
        pub = URIRef(addr.nanopub(claim.id))
        head, assertion, provenance, info = (URIRef(f"{pub}#{part}") for part in
                                             ("head", "assertion", "provenance", "pubinfo"))
        h = new_graph()
        h.add((pub, RDF.type, np.Nanopublication))
        h.add((pub, np.hasAssertion, assertion))
        h.add((pub, np.hasProvenance, provenance))
        h.add((pub, np.hasPublicationInfo, info))
        a = new_graph()
        _assertion(a, claim, addr)
        pv = new_graph()
        _provenance(pv, claim, addr, assertion)
        p = new_graph()
        p.add((pub, DCTERMS.created, Literal(created(claim) if created else claim.added, datatype=XSD.date)))
        if claim.updated:
            p.add((pub, DCTERMS.modified, Literal(claim.updated, datatype=XSD.date)))
        p.add((pub, DCTERMS.license, URIRef(CC_BY)))
        p.add((pub, DCTERMS.isVersionOf, URIRef(addr.claim(claim.id))))
        for who in claim.contributors:
            p.add((pub, DCTERMS.creator, Literal(who)))
        for name, graph in ((head, h), (assertion, a), (provenance, pv), (info, p)):
            body = _statements(graph)
            blocks.append(f"<{name}> {{\n" + "\n".join("    " + line for line in body) + "\n}")
    return "\n\n".join(blocks) + "\n"
