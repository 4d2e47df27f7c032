"""Pages and blocks about the base as a whole: home-page blocks, the evidence map, the gap
register, the method's generated reference, the downloads page and its data files.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Sequence

from ..model import EvidenceBase
from ..vocabulary import method_components
from .claim_page import component_name
from .common import (GeneratedPage, raw, Settings, badge, claim_heading, claim_url, description, level_rank, levels_descending,
                     root_of, theme_url, title)
from .markup import a, e, plural

#: How many gaps of one kind the register lists before pointing to data/gaps.json.
GAPS_PER_KIND = 300
#: Filter names the claims table understands, by vocabulary.
FILTER_PARAM = {"theme": "theme", "design": "design", "outcome": "outcome", "claim_type": "type", "setting": "setting"}


# --- home-page blocks ---------------------------------------------------------------------

def block_stats(base: EvidenceBase, analysis, root: str) -> str:
    links = sum(len(c.evidence) for c in base.claims)
    contested = sum(1 for p in analysis.claims.values() if p.contested)
    return (f'<p class="ev-stats"><strong>{len(base.claims)}</strong> findings, '
            f'<strong>{len(base.sources)}</strong> sources, <strong>{links}</strong> links between them; '
            f'{a(root + "gaps/#contested", plural(contested, "finding") + " contested")} by a source.</p>')


def block_levels(base: EvidenceBase, root: str) -> str:
    rows = []
    for lv in levels_descending(base):
        rows.append(f"<tr><td>{badge(base, lv, suffix='')}</td><td>{e(description(base, 'level', lv))}</td></tr>")
    return ('<table class="ev-levels"><caption>What each confidence level means</caption>'
            '<thead><tr><th scope="col">Confidence</th><th scope="col">What it means</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def headline_claims(base: EvidenceBase, analysis, n: int | None = None) -> list:
    """The best-supported claim of each theme, in the theme vocabulary's order: a spread of
    topics, each at its strongest, so 'does it reduce reoffending?' is answered honestly
    even when the answer is 'we do not know yet'."""
    def key(c):
        p = analysis.claims.get(c.id)
        return (-level_rank(base, c.confidence.level), -(p.author_groups if p else 0), -(p.n_sources if p else 0), c.id)

    chosen: list = []
    themes: list = []
    for term in base.vocabularies["theme"].terms:
        taken = {c.id for c in chosen}
        candidates = sorted((c for c in base.claims if term.id in c.themes and c.id not in taken), key=key)
        if candidates:
            chosen.append(candidates[0])
            themes.append(term)
        if len(chosen) == n:
            break
    return list(zip(themes, chosen, strict=True))


def block_headlines(base: EvidenceBase, analysis, root: str) -> str:
    items = []
    for term, c in headline_claims(base, analysis):
        p = analysis.claims.get(c.id)
        items.append(f'<li class="ev-card"><p class="ev-kicker">{e(term.title)}</p>'
                     f'<p class="ev-card__title">{a(root + claim_url(c.id), claim_heading(c))}</p>'
                     f'<p>{e(c.statement)}</p><p>{badge(base, c.confidence.level, small=True)} '
                     f'<span class="ev-muted">{e(plural(p.n_sources if p else 0, "source"))}</span></p></li>')
    return f'<ul class="ev-cards">{"".join(items)}</ul>'


def block_themes(base: EvidenceBase, root: str) -> str:
    counts = Counter(t for c in base.claims for t in c.themes)
    items = "".join(f'<li>{a(root + theme_url(t.id), t.title)} <span class="ev-muted">({counts.get(t.id, 0)})</span></li>'
                    for t in base.vocabularies["theme"].terms)
    return f'<ul class="ev-theme-list">{items}</ul>'


# --- method-page blocks: generated from the schema -----------------------------------------

def block_methods(base: EvidenceBase, root: str) -> str:
    out = []
    comps = method_components(base.schema)
    for term in base.vocabularies["method"].terms:
        rows = []
        for name, vocab in comps.get(term.id, {}).items():
            v = base.vocabularies.get(vocab)
            values = "; ".join(f"<strong>{e(t.title)}</strong>" + (f": {e(t.description)}" if t.description else "")
                               for t in (v.terms if v else ()))
            rows.append(f'<tr><th scope="row"><code>{e(name)}</code><br>{e(component_name(name))}</th><td>{values}</td></tr>')
        out.append(
            f'<h3 id="{e(term.id.lower())}">{e(term.title)}</h3>\n<p>{e(term.description)}</p>\n'
            f'<table class="ev-judgements"><caption>{e(term.title)} components and their judgements</caption>'
            f'<thead><tr><th scope="col">Component</th><th scope="col">Possible judgements</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>'
        )
    return "\n".join(out)


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


def block_fields(base: EvidenceBase, root: str) -> str:
    """Every claim field: name, whether required, what it means, allowed values."""
    schema = base.schema
    required = set(schema.get("required", ()))
    rows = []

    def add(name: str, node: dict, req: bool):
        full = _resolve(schema, node)
        vocab = _vocab_of(node)
        desc = node.get("description") or full.get("description") or (
            base.vocabularies[vocab].description if vocab in base.vocabularies else "")
        kind = "list" if node.get("type") == "array" else "text"
        values = ""
        if vocab in base.vocabularies:
            values = f'one or more of the {a("#vocab-" + vocab, vocab.replace("_", " "))} terms' if kind == "list" \
                else f'one of the {a("#vocab-" + vocab, vocab.replace("_", " "))} terms'
        elif full.get("maxLength"):
            values = f"at most {full['maxLength']} characters"
        rows.append(f'<tr><th scope="row"><code>{e(name)}</code></th><td>{"Required" if req else "Optional"}</td>'
                    f'<td>{e(desc)}</td><td>{values}</td></tr>')

    for name, node in schema.get("properties", {}).items():
        add(name, node, name in required)
        full = _resolve(schema, node)
        sub = full.get("items", {})
        sub = _resolve(schema, sub) if sub else full
        if sub.get("type") == "object" and sub.get("properties"):
            sub_req = set(sub.get("required", ()))
            for sname, snode in sub["properties"].items():
                add(f"{name}.{sname}" if full.get("type") != "array" else f"{name}[].{sname}", snode, sname in sub_req)
    table = ('<div class="ev-scroll" tabindex="0" role="region" aria-label="Claim fields">'
             '<table class="ev-fields"><caption>Fields of a claim file (claims/&lt;id&gt;.yaml)</caption>'
             '<thead><tr><th scope="col">Field</th><th scope="col">Required?</th><th scope="col">What it means</th>'
             f'<th scope="col">Values</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    source_rows = "".join(
        f'<tr><th scope="row"><code>{e(f)}</code></th><td>{e(base.vocabularies[v].description)}</td>'
        f'<td>{a("#vocab-" + v, v)} terms{" (comma-separated)" if f in ("setting", "schemes") else ""}</td></tr>'
        for f, v in (("design", "design"), ("country", "country"), ("setting", "setting"), ("schemes", "scheme"))
        if v in base.vocabularies
    )
    sources = ('<table class="ev-fields"><caption>Study facts recorded on each source in references.bib</caption>'
               '<thead><tr><th scope="col">BibTeX field</th><th scope="col">What it means</th><th scope="col">Values</th></tr></thead>'
               f'<tbody>{source_rows}</tbody></table>')
    return table + "\n" + sources


def block_vocabularies(base: EvidenceBase, root: str) -> str:
    out = []
    for name, vocab in base.vocabularies.items():
        terms = "".join(f"<dt><code>{e(t.id)}</code> {e(t.title)}</dt><dd>{e(t.description) or '&nbsp;'}</dd>" for t in vocab.terms)
        out.append(f'<details class="ev-vocab" id="vocab-{e(name)}"><summary><strong>{e(name.replace("_", " "))}</strong>: '
                   f'{e(vocab.description)} ({len(vocab.terms)} terms)</summary><dl>{terms}</dl></details>')
    return "\n".join(out)


def block_challenge(settings: Settings, root: str) -> str:
    issue = settings.new_issue("challenge-rating.yml")
    parts = []
    if issue:
        parts.append(f"<li>{a(issue, 'Open a challenge')} (a short form on GitHub: which claim, what you think is wrong, your source).</li>")
    parts.append(f"<li>Or edit the claim yourself: every claim page has an <em>Edit this claim</em> link; "
                 f"{a(root + 'contributing/', 'how to contribute')} explains the steps.</li>")
    return f"<ul>{''.join(parts)}</ul>"


# --- evidence map -------------------------------------------------------------------------

def _heat(n: int, top: int) -> int:
    if n == 0:
        return 0
    return min(4, 1 + (4 * n - 1) // max(1, top))


def render_map(base: EvidenceBase, analysis) -> GeneratedPage:
    src_uri = "map/index.md"
    root = root_of(src_uri)
    blocks = []
    order = ["theme-by-design", "theme-by-outcome", "claim_type-by-design"]
    names = [n for n in order if n in analysis.maps] + [n for n in analysis.maps if n not in order]
    toc = []
    for name in names:
        m = analysis.maps[name]
        top = max((len(v) for v in m.cells.values()), default=1)
        rp, cp = FILTER_PARAM.get(m.row_vocab, m.row_vocab), FILTER_PARAM.get(m.col_vocab, m.col_vocab)
        cols = [(cid, ct) for cid, ct in m.cols if any((r, cid) in m.cells for r, _ in m.rows)]
        empty_cols = [ct for cid, ct in m.cols if (cid, ct) not in cols]
        head = "".join(f'<th scope="col"><span>{e(ct)}</span></th>' for _, ct in cols)
        body = []
        for rid, rt in m.rows:
            row_head = a(root + theme_url(rid), rt) if m.row_vocab == "theme" else e(rt)
            cells = []
            for cid, ct in cols:
                n = len(m.cells.get((rid, cid), ()))
                if n:
                    href = f"{root}browse/claims/?{rp}={rid}&{cp}={cid}"
                    label = f' aria-label="{n} claims: {e(rt)}, {e(ct)}"'
                    cells.append(f'<td class="ev-heat-{_heat(n, top)}">{a(href, str(n), extra=label)}</td>')
                else:
                    cells.append('<td class="ev-heat-0"><span class="ev-gapcell">0</span></td>')
            total = len({c for (r, _), ids in m.cells.items() if r == rid for c in ids})
            body.append(f'<tr><th scope="row">{row_head}</th>{"".join(cells)}<td class="ev-total">{total}</td></tr>')
        mid = f"map-{name.replace('_', '-')}"
        toc.append(f"<li>{a('#' + mid, m.title)}</li>")
        note = (f'<p class="ev-muted">Not shown (no claim in this map): {e(", ".join(empty_cols))}.</p>' if empty_cols else "")
        blocks.append(
            f'<h2 id="{mid}">{e(m.title)}</h2>\n'
            f'<div class="ev-scroll" tabindex="0" role="region" aria-label="{e(m.title)}">'
            f'<table class="ev-map"><caption>{e(m.title)}: number of claims in each cell; a cell of 0 is a gap</caption>'
            f'<thead><tr><td></td>{head}<th scope="col">All</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>\n{note}'
        )
    page = (
        "<div>\n"
        "<p>Where the evidence is, and where it is not. Each number counts the claims that fall in that row and "
        "column; a claim appears in every cell that fits it (a claim with two themes and three study designs "
        "counts in six cells). Darker cells hold more claims, and every cell shows its number. "
        "Choose a number to see those claims; a 0 is a gap in the evidence. "
        f'The {a(root + "gaps/", "gap register")} lists the gaps one by one.</p>\n'
        f'<ul>{"".join(toc)}</ul>\n' + "\n".join(blocks) + "\n</div>"
    )
    return GeneratedPage(src_uri, "Evidence map", ["# Evidence map", raw(page, search=False)], {"ev_kind": "map", "search": {"exclude": True}, "hide": ["toc", "navigation"]})


# --- gap register -------------------------------------------------------------------------

def render_gaps(base: EvidenceBase, analysis) -> GeneratedPage:
    from ..analysis import GAP_KINDS

    src_uri = "gaps/index.md"
    root = root_of(src_uri)
    by_kind: dict[str, list] = {k: [] for k in GAP_KINDS}
    for g in analysis.gaps:
        by_kind.setdefault(g.kind, []).append(g)
    summary = "".join(f'<tr><th scope="row">{a("#" + k, GAP_KINDS.get(k, k))}</th><td>{len(v)}</td></tr>'
                      for k, v in by_kind.items())
    sections = []
    for kind, gaps in by_kind.items():
        heading = GAP_KINDS.get(kind, kind)
        if not gaps:
            sections.append(f'<h2 id="{e(kind)}">{e(heading)} (0)</h2>\n<p>None.</p>')
            continue
        rows = []
        for g in gaps[:GAPS_PER_KIND]:
            claim = base.claim(g.subject)
            if claim is not None:
                subject = a(root + claim_url(claim.id), claim_heading(claim)) + " " + badge(base, claim.confidence.level, small=True)
            elif g.subject in base.vocabularies["theme"].ids():
                subject = a(root + theme_url(g.subject), title(base, "theme", g.subject))
            else:
                subject = e(g.subject)
            rows.append(f"<tr><td>{subject}</td><td>{e(g.detail)}</td></tr>")
        more = (f'<p>Showing {GAPS_PER_KIND} of {len(gaps)}; all are in {a(root + "data/gaps.json", "gaps.json")}.</p>'
                if len(gaps) > GAPS_PER_KIND else "")
        sections.append(
            f'<h2 id="{e(kind)}">{e(heading)} ({len(gaps)})</h2>\n'
            f'<div class="ev-scroll" tabindex="0" role="region" aria-label="{e(heading)}">'
            f'<table class="ev-gaps"><caption>{e(heading)}</caption><thead><tr><th scope="col">Claim or theme</th>'
            f'<th scope="col">Why it is a gap</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n{more}'
        )
    body = (
        "<div>\n"
        "<p>Weak spots in the evidence, found by reading every claim's evidence profile: findings that rest on a "
        "single source or a single author group, that only grey literature supports, effectiveness claims with no "
        "comparison group, ratings higher than the profile supports, contested findings, and outcomes no claim in a "
        f"theme covers. They are where new research, or a careful reading, would help most. "
        f'{a(root + "contributing/", "Fill a gap")}.</p>\n'
        '<table class="ev-gap-summary"><caption>Gaps by kind</caption><thead><tr><th scope="col">Kind of gap</th>'
        f'<th scope="col">Number</th></tr></thead><tbody>{summary}</tbody></table>\n'
        + "\n".join(sections) + "\n</div>"
    )
    return GeneratedPage(src_uri, "Gap register", ["# Gap register", raw(body, search=False)], {"ev_kind": "gaps", "search": {"exclude": True}, "hide": ["toc"]})


# --- downloads ----------------------------------------------------------------------------

def claims_records(base: EvidenceBase, settings: Settings) -> list[dict]:
    out = []
    for c in base.claims:
        conf = c.confidence
        out.append({
            "id": c.id, "statement": c.statement, "summary": c.summary, "claim_type": c.claim_type,
            "themes": list(c.themes), "settings": list(c.settings), "populations": list(c.populations),
            "outcomes": list(c.outcomes), "schemes": list(c.schemes),
            "evidence": [{k: v for k, v in (("source", l.source), ("via", l.via), ("relation", l.relation),
                                            ("locator", l.locator), ("source_locator", l.source_locator),
                                            ("quote", l.quote), ("note", l.note)) if v} for l in c.evidence],
            "evidence_basis": c.evidence_basis,  # null: the schema's default (studies)
            "confidence": {"level": conf.level, "method": conf.method, "components": dict(conf.components),
                           "rationale": conf.rationale, "caveat": conf.caveat},
            "related": [{k: v for k, v in (("claim", r.claim), ("relation", r.relation), ("note", r.note)) if v} for r in c.related],
            "added": c.added, "updated": c.updated, "contributors": list(c.contributors),
            "reviewed": ({k: v for k, v in (("date", c.reviewed.date), ("by", c.reviewed.by),
                                            ("against", c.reviewed.against), ("note", c.reviewed.note)) if v}
                         if c.reviewed else None),
            "url": settings.permalink(claim_url(c.id)),
        })
    return out


def claims_csv(records: list[dict], relations: Sequence[str]) -> str:
    """One row per claim; a column per evidence relation (the vocabulary's ids, in its order).
    Written by the shared CSV writer: a UTF-8 BOM for Excel, formula-leading cells neutralised
    (evidencekb.writers.tables)."""
    from ..writers.tables import csv_text

    cols = ["id", "summary", "statement", "claim_type", "themes", "settings", "populations", "outcomes", "schemes",
            "level", "method", "rationale", "caveat", "sources", *relations, "read_via", "related", "added",
            "updated", "reviewed", "reviewed_by", "reviewed_against", "url"]
    rows = []
    for r in records:
        ev = r["evidence"]
        rows.append({
            **{k: r.get(k) or "" for k in ("id", "summary", "statement", "claim_type", "added", "updated", "url")},
            **{k: "; ".join(r[k]) for k in ("themes", "settings", "populations", "outcomes", "schemes")},
            "level": r["confidence"]["level"], "method": r["confidence"]["method"],
            "rationale": r["confidence"]["rationale"], "caveat": r["confidence"]["caveat"] or "",
            "sources": "; ".join(dict.fromkeys(l["source"] for l in ev)),
            **{rel: "; ".join(dict.fromkeys(l["source"] for l in ev if l["relation"] == rel))
               for rel in relations},
            "related": "; ".join(f"{x['relation']}:{x['claim']}" for x in r["related"]),
            # the works the secondary citations were read in (their primaries are in `sources`)
            "read_via": "; ".join(dict.fromkeys(l["via"] for l in ev if l.get("via"))),
            **({"reviewed": rv["date"], "reviewed_by": rv["by"], "reviewed_against": rv["against"]}
               if (rv := r.get("reviewed")) else {}),
        })
    return csv_text(cols, rows)


#: file -> (group, format, what it holds)
DOWNLOADS = {
    "references.bib": ("Bibliography", "BibTeX", "every source, for LaTeX, Zotero, JabRef"),
    "references.ris": ("Bibliography", "RIS", "every source, for EndNote, Mendeley, Zotero"),
    "references.json": ("Bibliography", "CSL-JSON", "every source, for Zotero and citation processors"),
    "claims.csv": ("Claims", "CSV", "one row per claim: statement, themes, rating, sources (opens in a spreadsheet)"),
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
}


def data_files(base: EvidenceBase, analysis, exports, settings: Settings) -> dict[str, str]:
    """data/<name> -> text, written into the built site."""
    from ..cite.formats import csl_json_text, to_bibtex, to_ris

    records = claims_records(base, settings)
    files = {
        "references.bib": to_bibtex(base.sources),
        "references.ris": to_ris(base.sources),
        "references.json": csl_json_text(base.sources),
        "claims.json": json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n",
        "claims.csv": claims_csv(records, base.vocabularies["relation"].ids()),
    }
    files.update(exports)
    return dict(sorted(files.items()))


def size_text(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


#: The size cell of a download, filled in once the file exists (hooks.on_post_build).
SIZE_SLOT = '<td data-ev-size="{}">'


def render_downloads(names) -> GeneratedPage:
    src_uri = "downloads/index.md"
    root = root_of(src_uri)
    groups: dict[str, list[str]] = {}
    for name in names:
        group, fmt, what = DOWNLOADS.get(name, ("Other", "", ""))
        groups.setdefault(group, []).append(
            f'<tr><td>{a(root + "data/" + name, name, extra=" download")}</td><td>{e(fmt)}</td><td>{e(what)}</td>'
            f'{SIZE_SLOT.format(e(name))}</td></tr>')
    sections = []
    for group, rows in groups.items():
        sections.append(f'<h2 id="{e(group.lower())}">{e(group)}</h2>\n<table class="ev-downloads-table"><caption>{e(group)} files</caption>'
                        '<thead><tr><th scope="col">File</th><th scope="col">Format</th><th scope="col">What it holds</th>'
                        f'<th scope="col">Size</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    body = ("<div>\n<p>Everything on this site as data, made from the same files at the same time. "
            "Claims and evidence text are CC BY 4.0: reuse them with credit. Each source page also offers its own "
            "reference as BibTeX, RIS and CSL-JSON.</p>\n" + "\n".join(sections) + "\n</div>")
    return GeneratedPage(src_uri, "Downloads", ["# Downloads", raw(body, search=False)], {"ev_kind": "downloads", "search": {"exclude": True}})
