"""The downloads page and the data files it lists: the bibliography in three formats, the
claims as JSON and CSV, and the graph and analysis exports, written into the built site.
"""

from __future__ import annotations

import json
from typing import Sequence

from ..model import EvidenceBase
from .common import GeneratedPage, Settings, claim_url, heading, raw, root_of
from .templating import render


def _present(*fields: tuple[str, object]) -> dict:
    """The named fields that have a value, in the order given."""
    return {k: v for k, v in fields if v}


def _link_record(link) -> dict:
    """One evidence link with only the fields it has, in the claim file's order."""
    return _present(("source", link.source), ("via", link.via), ("relation", link.relation),
                    ("locator", link.locator), ("source_locator", link.source_locator),
                    ("quote", link.quote), ("note", link.note))


def _reviewed_record(reviewed) -> dict:
    """A claim's last review with only the fields it has."""
    return _present(("date", reviewed.date), ("by", reviewed.by), ("against", reviewed.against),
                    ("note", reviewed.note))


def claims_records(base: EvidenceBase, settings: Settings) -> list[dict]:
    """Every claim with all its fields, as claims.json holds them: every record has every key,
    but an evidence link or a review lists only the fields it has."""
    out = []
    for c in base.claims:
        conf = c.confidence
        out.append(
            {
                "id": c.id,
                "statement": c.statement,
                "summary": c.summary,
                "claim_type": c.claim_type,
                "themes": list(c.themes),
                "settings": list(c.settings),
                "populations": list(c.populations),
                "outcomes": list(c.outcomes),
                "schemes": list(c.schemes),
                "evidence": [_link_record(l) for l in c.evidence],
                "evidence_basis": c.evidence_basis,  # null: the schema's default (studies)
                "confidence": {
                    "level": conf.level,
                    "method": conf.method,
                    "components": dict(conf.components),
                    "rationale": conf.rationale,
                    "caveat": conf.caveat,
                },
                "related": [
                    {k: v for k, v in (("claim", r.claim), ("relation", r.relation), ("note", r.note)) if v}
                    for r in c.related
                ],
                "added": c.added,
                "updated": c.updated,
                "contributors": list(c.contributors),
                "reviewed": _reviewed_record(c.reviewed) if c.reviewed else None,
                "url": settings.permalink(claim_url(c.id)),
            }
        )
    return out


def claims_csv(records: list[dict], relations: Sequence[str]) -> str:
    """One row per claim; a column per evidence relation (the vocabulary's ids, in its order).
    Written by the shared CSV writer: a UTF-8 BOM for Excel, formula-leading cells neutralised
    (evidencekb.writers.tables)."""
    from ..writers.tables import csv_text

    cols = [
        "id",
        "summary",
        "statement",
        "claim_type",
        "themes",
        "settings",
        "populations",
        "outcomes",
        "schemes",
        "level",
        "method",
        "rationale",
        "caveat",
        "sources",
        *relations,
        "read_via",
        "related",
        "added",
        "updated",
        "reviewed",
        "reviewed_by",
        "reviewed_against",
        "url",
    ]
    return csv_text(cols, [_csv_row(r, relations) for r in records])


def _csv_row(r: dict, relations: Sequence[str]) -> dict:
    """One claim record as claims.csv's cells: lists joined with "; ", sources once each."""
    ev = r["evidence"]
    return {
        **{
            k: r.get(k) or ""
            for k in ("id", "summary", "statement", "claim_type", "added", "updated", "url")
        },
        **{k: "; ".join(r[k]) for k in ("themes", "settings", "populations", "outcomes", "schemes")},
        "level": r["confidence"]["level"],
        "method": r["confidence"]["method"],
        "rationale": r["confidence"]["rationale"],
        "caveat": r["confidence"]["caveat"] or "",
        "sources": "; ".join(dict.fromkeys(l["source"] for l in ev)),
        **{
            rel: "; ".join(dict.fromkeys(l["source"] for l in ev if l["relation"] == rel))
            for rel in relations
        },
        "related": "; ".join(f"{x['relation']}:{x['claim']}" for x in r["related"]),
        # the works the secondary citations were read in (their primaries are in `sources`)
        "read_via": "; ".join(dict.fromkeys(l["via"] for l in ev if l.get("via"))),
        **(
            {"reviewed": rv["date"], "reviewed_by": rv["by"], "reviewed_against": rv["against"]}
            if (rv := r.get("reviewed"))
            else {}
        ),
    }


#: file -> (group, format, what it holds)
DOWNLOADS = {
    "references.bib": ("Bibliography", "BibTeX", "every source, for LaTeX, Zotero, JabRef"),
    "references.ris": ("Bibliography", "RIS", "every source, for EndNote, Mendeley, Zotero"),
    "references.json": ("Bibliography", "CSL-JSON", "every source, for Zotero and citation processors"),
    "claims.csv": (
        "Claims",
        "CSV",
        "one row per claim: statement, themes, rating, sources (opens in a spreadsheet)",
    ),
    "claims.json": ("Claims", "JSON", "every claim with all its fields and evidence links"),
    "profiles.json": ("Claims", "JSON", "each claim's and source's evidence profile"),
    "gaps.json": ("Claims", "JSON", "the gap register"),
    "evidence-map.json": ("Claims", "JSON", "the evidence maps' cells"),
    "graph.graphml": ("Graph", "GraphML", "the claim–evidence graph, for Gephi, yEd, networkx"),
    "graph.gexf": ("Graph", "GEXF", "the graph with positions, for Gephi"),
    "cytoscape.json": ("Graph", "Cytoscape JSON", "for Cytoscape and Cytoscape.js"),
    "graph.node-link.json": ("Graph", "node-link JSON", "for networkx and D3"),
    "nodes.csv": ("Graph", "CSV", "the graph's nodes as a table"),
    "edges.csv": ("Graph", "CSV", "the graph's edges as a table"),
    "graph.json": ("Graph", "JSON", "the graph with its layout: nodes, edges and each node's detail"),
    "graph.ttl": ("Linked data", "RDF Turtle", "the whole graph as RDF (see the linked-data vocabulary)"),
    "nanopubs.trig": (
        "Linked data",
        "TriG",
        "one nanopublication per claim: assertion, provenance, publication info",
    ),
}


def data_files(base: EvidenceBase, analysis, exports, settings: Settings) -> dict[str, str]:
    """data/<name> -> text, written into the built site."""
    from ..cite.formats import csl_json_text, to_clean_bibtex, to_ris

    records = claims_records(base, settings)
    files = {
        "references.bib": to_clean_bibtex(base.sources),
        "references.ris": to_ris(base.sources),
        "references.json": csl_json_text(base.sources),
        "claims.json": json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n",
        "claims.csv": claims_csv(records, base.vocabularies["relation"].ids()),
    }
    files.update(exports)
    return dict(sorted(files.items()))


def size_text(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def render_downloads(names) -> GeneratedPage:
    src_uri = "downloads/index.md"
    root = root_of(src_uri)
    groups: dict[str, list[dict]] = {}
    for name in names:
        group, fmt, what = DOWNLOADS.get(name, ("Other", "", ""))
        groups.setdefault(group, []).append({"name": name, "format": fmt, "what": what})
    body = render(
        "pages/downloads.html",
        root=root,
        groups=[{"id": g.lower(), "title": g, "files": files} for g, files in groups.items()],
    )
    return GeneratedPage(
        src_uri,
        "Downloads",
        [heading(1, "Downloads"), raw(body, search=False)],
        {"ev_kind": "downloads", "search": {"exclude": True}},
    )
