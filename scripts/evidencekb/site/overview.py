"""Pages and blocks about the base as a whole: home-page blocks, the evidence map, the gap
register, the method's generated reference, the downloads page and its data files.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Sequence

from ..model import EvidenceBase
from ..plain_language import plain_rating
from ..themes import answer_rank
from ..vocabulary import method_components
from .claim_page import component_name
from .common import (
    GeneratedPage,
    Settings,
    claim_heading,
    claim_url,
    description,
    heading,
    level_badge,
    level_rank,
    levels_descending,
    raw,
    root_of,
    theme_url,
    title,
)
from .markup import plural
from .templating import render

#: How many gaps of one kind the register lists before pointing to data/gaps.json.
GAPS_PER_KIND = 300
#: Filter names the claims table understands, by vocabulary.
FILTER_PARAM = {
    "theme": "theme",
    "design": "design",
    "outcome": "outcome",
    "claim_type": "type",
    "setting": "setting",
}


# --- home-page blocks ---------------------------------------------------------------------


def _block(name: str, **record) -> str:
    """templates/blocks/NAME.html inside the block's own <div class="ev-block ev-block--NAME">."""
    return render("blocks/wrap.html", block=name, template=f"blocks/{name}.html", **record)


def block_stats(base: EvidenceBase, analysis, root: str) -> str:
    contested = sum(1 for p in analysis.claims.values() if p.contested)
    return _block(
        "stats",
        claims=len(base.claims),
        sources=len(base.sources),
        root=root,
        links=sum(len(c.evidence) for c in base.claims),
        contested=plural(contested, "finding"),
    )


def block_levels(base: EvidenceBase, root: str) -> str:
    levels = [
        {"badge": level_badge(base, lv, suffix=""), "description": description(base, "level", lv)}
        for lv in levels_descending(base)
    ]
    return _block("levels", levels=levels)


def headline_claims(base: EvidenceBase, analysis, n: int | None = None) -> list:
    """The claim of each theme that best answers its question, in the theme vocabulary's order:
    the claim type decides (the theme's `x-answers`), then confidence, so 'does it reduce
    reoffending?' is answered by an effectiveness finding even when that answer is 'we do not
    know yet', never by stronger background."""

    def key(c, theme_id):
        p = analysis.claims.get(c.id)
        return (
            answer_rank(base, theme_id, c.claim_type),
            -level_rank(base, c.confidence.level),
            -(p.author_groups if p else 0),
            -(p.n_sources if p else 0),
            c.id,
        )

    chosen: list = []
    themes: list = []
    for term in base.vocabularies["theme"].terms:
        taken = {c.id for c in chosen}
        candidates = sorted(
            (c for c in base.claims if term.id in c.themes and c.id not in taken),
            key=lambda c: key(c, term.id),
        )
        if candidates:
            chosen.append(candidates[0])
            themes.append(term)
        if len(chosen) == n:
            break
    return list(zip(themes, chosen, strict=True))


def block_headlines(base: EvidenceBase, analysis, root: str) -> str:
    cards = []
    for term, c in headline_claims(base, analysis):
        p = analysis.claims.get(c.id)
        cards.append(
            {
                "theme": term.title,
                "url": root + claim_url(c.id),
                "heading": claim_heading(c),
                "kind": title(base, "claim_type", c.claim_type),
                "plain": plain_rating(base, c).verdict,
                "statement": c.statement,
                "badge": level_badge(base, c.confidence.level),
                "sources": plural(p.n_sources if p else 0, "source"),
            }
        )
    return _block("headlines", cards=cards)


def block_themes(base: EvidenceBase, root: str) -> str:
    counts = Counter(t for c in base.claims for t in c.themes)
    themes = [
        {"url": root + theme_url(t.id), "title": t.title, "count": counts.get(t.id, 0)}
        for t in base.vocabularies["theme"].terms
    ]
    return _block("themes", themes=themes)


# --- method-page blocks: generated from the schema -----------------------------------------


def block_methods(base: EvidenceBase, root: str) -> str:
    methods = []
    comps = method_components(base.schema)
    for term in base.vocabularies["method"].terms:
        components = []
        for name, vocab in comps.get(term.id, {}).items():
            v = base.vocabularies.get(vocab)
            components.append(
                {
                    "id": name,
                    "name": component_name(name),
                    "terms": [
                        {"title": t.title, "description": t.description} for t in (v.terms if v else ())
                    ],
                }
            )
        methods.append(
            {
                "anchor": term.id.lower(),
                "title": term.title,
                "description": term.description,
                "components": components,
            }
        )
    return _block("methods", methods=methods)


def _resolve(schema, node: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target = dict(schema.get("$defs", {}).get(ref.rsplit("/", 1)[1], {}))
        target.update({k: v for k, v in node.items() if k != "$ref"})
        return target
    return node


def _vocab_of(node: dict) -> str:
    ref = node.get("$ref") or node.get("items", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else ""


def _field(base: EvidenceBase, name: str, node: dict, required: bool) -> dict:
    """One row of the claim-fields table: what the schema says of the field."""
    full = _resolve(base.schema, node)
    vocab = _vocab_of(node)
    desc = (
        node.get("description")
        or full.get("description")
        or (base.vocabularies[vocab].description if vocab in base.vocabularies else "")
    )
    known = vocab in base.vocabularies
    return {
        "name": name,
        "required": required,
        "description": desc,
        "vocab": vocab if known else "",
        "vocab_name": vocab.replace("_", " "),
        "list": node.get("type") == "array",
        "max_length": full.get("maxLength") or "",
    }


def block_fields(base: EvidenceBase, root: str) -> str:
    """Every claim field: name, whether required, what it means, allowed values."""
    schema = base.schema
    required = set(schema.get("required", ()))
    fields = []
    for name, node in schema.get("properties", {}).items():
        fields.append(_field(base, name, node, name in required))
        full = _resolve(schema, node)
        sub = full.get("items", {})
        sub = _resolve(schema, sub) if sub else full
        if sub.get("type") == "object" and sub.get("properties"):
            sub_req = set(sub.get("required", ()))
            for sname, snode in sub["properties"].items():
                full_name = f"{name}.{sname}" if full.get("type") != "array" else f"{name}[].{sname}"
                fields.append(_field(base, full_name, snode, sname in sub_req))
    source_fields = [
        {
            "name": f,
            "vocab": v,
            "description": base.vocabularies[v].description,
            "comma": f in ("setting", "schemes"),
        }
        for f, v in (
            ("design", "design"),
            ("country", "country"),
            ("setting", "setting"),
            ("schemes", "scheme"),
        )
        if v in base.vocabularies
    ]
    return _block("fields", fields=fields, source_fields=source_fields)


def block_vocabularies(base: EvidenceBase, root: str) -> str:
    vocabularies = [
        {
            "id": name,
            "name": name.replace("_", " "),
            "description": vocab.description,
            "terms": [{"id": t.id, "title": t.title, "description": t.description} for t in vocab.terms],
        }
        for name, vocab in base.vocabularies.items()
    ]
    return _block("vocabularies", vocabularies=vocabularies)


def block_challenge(settings: Settings, root: str) -> str:
    return _block("challenge", issue_url=settings.new_issue("challenge-rating.yml"), root=root)


# --- evidence map -------------------------------------------------------------------------


def _heat(n: int, top: int) -> int:
    if n == 0:
        return 0
    return min(4, 1 + (4 * n - 1) // max(1, top))


def _map_record(name: str, m, root: str) -> dict:
    """One evidence map as rows of cells, each a count with the claims-table link that lists them."""
    top = max((len(v) for v in m.cells.values()), default=1)
    rp, cp = FILTER_PARAM.get(m.row_vocab, m.row_vocab), FILTER_PARAM.get(m.col_vocab, m.col_vocab)
    cols = [(cid, ct) for cid, ct in m.cols if any((r, cid) in m.cells for r, _ in m.rows)]
    empty_cols = [ct for cid, ct in m.cols if (cid, ct) not in cols]
    rows = []
    for rid, rt in m.rows:
        cells = []
        for cid, ct in cols:
            n = len(m.cells.get((rid, cid), ()))
            cells.append(
                {
                    "n": n,
                    "heat": _heat(n, top),
                    "col": ct,
                    "url": f"{root}browse/claims/?{rp}={rid}&{cp}={cid}",
                }
            )
        rows.append(
            {
                "title": rt,
                "url": root + theme_url(rid) if m.row_vocab == "theme" else "",
                "cells": cells,
                "total": len({c for (r, _), ids in m.cells.items() if r == rid for c in ids}),
            }
        )
    return {
        "anchor": f"map-{name.replace('_', '-')}",
        "title": m.title,
        "cols": [ct for _, ct in cols],
        "rows": rows,
        "empty_cols": ", ".join(empty_cols),
    }


def render_map(base: EvidenceBase, analysis) -> GeneratedPage:
    src_uri = "map/index.md"
    root = root_of(src_uri)
    order = ["theme-by-design", "theme-by-outcome", "claim_type-by-design"]
    names = [n for n in order if n in analysis.maps] + [n for n in analysis.maps if n not in order]
    body = render("pages/map.html", root=root, maps=[_map_record(n, analysis.maps[n], root) for n in names])
    return GeneratedPage(
        src_uri,
        "Evidence map",
        [heading(1, "Evidence map"), raw(body, search=False)],
        {"ev_kind": "map", "search": {"exclude": True}, "hide": ["toc", "navigation"]},
    )


# --- gap register -------------------------------------------------------------------------


def _gap_row(base: EvidenceBase, g, root: str) -> dict:
    claim = base.claim(g.subject)
    if claim is not None:
        return {
            "url": root + claim_url(claim.id),
            "subject": claim_heading(claim),
            "detail": g.detail,
            "badge": level_badge(base, claim.confidence.level),
        }
    if g.subject in base.vocabularies["theme"].ids():
        return {
            "url": root + theme_url(g.subject),
            "subject": title(base, "theme", g.subject),
            "detail": g.detail,
            "badge": None,
        }
    return {"url": "", "subject": g.subject, "detail": g.detail, "badge": None}


def render_gaps(base: EvidenceBase, analysis) -> GeneratedPage:
    from ..analysis import GAP_KINDS

    src_uri = "gaps/index.md"
    root = root_of(src_uri)
    by_kind: dict[str, list] = {k: [] for k in GAP_KINDS}
    for g in analysis.gaps:
        by_kind.setdefault(g.kind, []).append(g)
    kinds = [
        {
            "id": kind,
            "title": GAP_KINDS.get(kind, kind),
            "count": len(gaps),
            "shown": GAPS_PER_KIND,
            "more": len(gaps) > GAPS_PER_KIND,
            "rows": [_gap_row(base, g, root) for g in gaps[:GAPS_PER_KIND]],
        }
        for kind, gaps in by_kind.items()
    ]
    body = render("pages/gaps.html", root=root, kinds=kinds)
    return GeneratedPage(
        src_uri,
        "Gap register",
        [heading(1, "Gap register"), raw(body, search=False)],
        {"ev_kind": "gaps", "search": {"exclude": True}, "hide": ["toc"]},
    )


# --- downloads ----------------------------------------------------------------------------


def claims_records(base: EvidenceBase, settings: Settings) -> list[dict]:
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
                "evidence": [
                    {
                        k: v
                        for k, v in (
                            ("source", l.source),
                            ("via", l.via),
                            ("relation", l.relation),
                            ("locator", l.locator),
                            ("source_locator", l.source_locator),
                            ("quote", l.quote),
                            ("note", l.note),
                        )
                        if v
                    }
                    for l in c.evidence
                ],
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
                "reviewed": (
                    {
                        k: v
                        for k, v in (
                            ("date", c.reviewed.date),
                            ("by", c.reviewed.by),
                            ("against", c.reviewed.against),
                            ("note", c.reviewed.note),
                        )
                        if v
                    }
                    if c.reviewed
                    else None
                ),
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
    rows = []
    for r in records:
        ev = r["evidence"]
        rows.append(
            {
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
        )
    return csv_text(cols, rows)


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
    "graph.json": ("Graph", "JSON", "what the graph explorer draws"),
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
