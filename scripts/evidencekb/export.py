"""Export stage: the graph and its analyses as files other tools read.

Every writer gets flattened attributes (lists joined with '; ') because
networkx's GraphML and GEXF writers fail on list values, and every file is
written in sorted order with no timestamps, so two runs give identical bytes
and a pull request's diff shows only what changed in the data.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from .analysis import GAP_KINDS, Analysis, analyse
from .graph import build_graph
from .model import EvidenceBase

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SITE_URLS = {"claim": "claims/{}/", "source": "sources/{}/", "theme": "themes/{}/",
             "author": "browse/authors/#{}",
             "scheme": "browse/sources/#scheme-{}"}


def _flat(value):
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def flattened(g):
    """A copy whose attributes are scalars: what GraphML, GEXF and CSV can hold."""
    h = g.__class__()
    h.graph.update({k: _flat(v) for k, v in g.graph.items()})
    for n, data in g.nodes(data=True):
        h.add_node(n, **{k: _flat(v) for k, v in data.items()})
    for u, v, k, data in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{a: _flat(b) for a, b in data.items()})
    return h


def layout(g) -> dict[str, tuple[float, float]]:
    """Deterministic positions in O(n): themes on a ring, claims in a sunflower around
    their first theme, sources at the mean of their claims, authors beside their sources.
    A force layout at 15,000 nodes costs minutes; this costs milliseconds and reads well."""
    pos: dict[str, tuple[float, float]] = {}
    themes = [n for n, d in g.nodes(data=True) if d["kind"] == "theme"]
    ring = 10.0
    for i, t in enumerate(themes):
        a = 2 * math.pi * i / max(1, len(themes))
        pos[t] = (ring * math.cos(a), ring * math.sin(a))
    by_theme: dict[str, list[str]] = {t: [] for t in themes}
    loose: list[str] = []
    for n, d in g.nodes(data=True):
        if d["kind"] == "claim":
            ts = d.get("themes") or []
            home = f"theme:{ts[0]}" if ts else ""
            by_theme.get(home, loose).append(n)
    for t, members in list(by_theme.items()) + [("", loose)]:
        cx, cy = pos.get(t, (0.0, 0.0))
        spread = 3.2 / math.sqrt(max(1, len(members)))
        for j, n in enumerate(members):
            r = spread * math.sqrt(j + 0.5)
            a = j * GOLDEN_ANGLE
            pos[n] = (cx + r * math.cos(a), cy + r * math.sin(a))
    for n, d in g.nodes(data=True):
        if d["kind"] in ("source", "scheme"):
            nbrs = [m for m in g.predecessors(n) if m in pos]
            if nbrs:
                x = sum(pos[m][0] for m in nbrs) / len(nbrs)
                y = sum(pos[m][1] for m in nbrs) / len(nbrs)
            else:
                x, y = 0.0, 0.0
            h = (sum(map(ord, n)) % 360) * math.pi / 180  # stable jitter so stacked sources separate
            pos[n] = (x * 0.85 + 0.6 * math.cos(h), y * 0.85 + 0.6 * math.sin(h))
    for n, d in g.nodes(data=True):
        if d["kind"] == "author":
            srcs = [m for m in g.predecessors(n) if m in pos]
            x = sum(pos[m][0] for m in srcs) / len(srcs) if srcs else 0.0
            y = sum(pos[m][1] for m in srcs) / len(srcs) if srcs else 0.0
            h = (sum(map(ord, n)) % 360) * math.pi / 180
            pos[n] = (x * 1.08 + 0.35 * math.cos(h), y * 1.08 + 0.35 * math.sin(h))
    return {n: (round(x, 4), round(y, 4)) for n, (x, y) in pos.items()}


def _url(kind: str, node_id: str) -> str:
    from .site_paths import source_slug

    raw = node_id.split(":", 1)[1]
    if kind == "source":
        raw = source_slug(raw)
    return SITE_URLS[kind].format(raw)


def site_graph(base: EvidenceBase, analysis: Analysis, g=None, pos=None) -> dict:
    """The JSON the graph explorer draws: positions precomputed, ready to render."""
    g = g if g is not None else build_graph(base)
    pos = pos if pos is not None else layout(g)
    degree = dict(g.degree())
    nodes = []
    for n, d in g.nodes(data=True):
        kind = d["kind"]
        x, y = pos.get(n, (0.0, 0.0))
        node = {"id": n, "kind": kind, "label": d["label"], "x": x, "y": y,
                "size": round({"theme": 9.0, "claim": 3.0, "source": 3.5, "author": 2.0, "scheme": 4.0}[kind]
                              + min(6.0, math.sqrt(degree.get(n, 0))), 2),
                "url": _url(kind, n)}
        if kind == "claim":
            cid = n.split(":", 1)[1]
            claim = base.claim_index[cid]
            node.update(themes=list(claim.themes), level=claim.confidence.level,
                        detail=f"{claim.confidence.level} confidence · {analysis.claims[cid].n_sources} "
                        f"source(s): {claim.statement}")
        elif kind == "source":
            key = n.split(":", 1)[1]
            prof = analysis.sources[key]
            themes = sorted({t for c in prof.claims() for t in base.claim_index[c].themes})
            node.update(themes=themes,
                        detail=f"{d.get('design', '')} · cited by {prof.weight} claim(s): "
                        f"{d.get('title', '')}")
        elif kind == "theme":
            term = base.vocabularies["theme"].get(n.split(":", 1)[1])
            node.update(themes=[n.split(":", 1)[1]], detail=term.description if term else "")
        else:
            node.update(themes=[], detail=d["label"])
        nodes.append(node)
    edges = []
    for i, (u, v, _k, d) in enumerate(g.edges(keys=True, data=True)):
        if d["kind"] in ("evidence", "related", "theme", "authorship"):
            edges.append({"id": f"e{i}", "source": u, "target": v, "kind": d["kind"],
                          "relation": d.get("relation", d["kind"])})
    return {
        "nodes": nodes,
        "edges": edges,
        "themes": [{"id": t.id, "title": t.title} for t in base.vocabularies["theme"].terms],
        "relations": [*base.vocabularies["relation"].ids(), *base.vocabularies["claim_relation"].ids()],
    }


def _json(data) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def node_link(g, pos) -> dict:
    return {
        "directed": True, "multigraph": True,
        "nodes": [{"id": n, **{k: v for k, v in d.items()}, "x": pos[n][0], "y": pos[n][1]} for n,
                  d in g.nodes(data=True)],
        "links": [{"source": u, "target": v, "key": k, **d} for u, v, k, d in g.edges(keys=True, data=True)],
    }


def cytoscape(g, pos) -> dict:
    """Cytoscape.js / Cytoscape desktop 'elements' JSON."""
    nodes = [{"data": {"id": n, **{k: v for k, v in d.items()}},
              "position": {"x": pos[n][0] * 100, "y": pos[n][1] * 100}}
             for n, d in g.nodes(data=True)]
    edges = [{"data": {"id": f"{u}->{v}#{k}", "source": u, "target": v, **d}} for u, v, k,
             d in g.edges(keys=True, data=True)]
    return {"format_version": "1.0", "generated_by": "evidencekb",
            "elements": {"nodes": nodes, "edges": edges}}


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _flat(r.get(k, "")) for k in columns})
    return buf.getvalue()


def _graphml(g) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(flattened(g))) + "\n"


def _gexf(g, pos, stamp: str) -> str:
    import networkx as nx

    h = flattened(g)
    for n in h.nodes:
        x, y = pos[n]
        h.nodes[n]["viz"] = {"position": {"x": x * 100, "y": y * 100, "z": 0.0}}
    text = "\n".join(nx.generate_gexf(h)) + "\n"
    # The writer stamps today's date; use the data's own date so output depends only on input.
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{stamp}"', text)


def _data_date(base: EvidenceBase) -> str:
    dates = [c.updated or c.added for c in base.claims]
    return max(dates) if dates else "1970-01-01"


def render_exports(base: EvidenceBase, analysis: Analysis | None = None, g=None) -> dict[str, str]:
    """Every export as file name -> text; writing is separate so the site can reuse this.
    `g`: the graph, when the caller has built it already (built once per export)."""
    analysis = analysis or analyse(base)
    g = g if g is not None else build_graph(base)
    pos = layout(g)
    node_rows = [{"id": n, **d, "x": pos[n][0], "y": pos[n][1]} for n, d in g.nodes(data=True)]
    edge_rows = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in g.edges(keys=True, data=True)]
    node_cols = ["id", "kind", "label", "x", "y", "claim_type", "level", "method", "themes", "settings",
                 "outcomes",
                 "populations", "year", "design", "country", "entry_type", "incomplete", "title", "statement"]
    edge_cols = ["source", "target", "key", "kind", "relation", "locator"]
    profiles = {
        "claims": {k: asdict(v) for k, v in analysis.claims.items()},
        "sources": {k: asdict(v) for k, v in analysis.sources.items()},
        "authors": {k: asdict(v) for k, v in analysis.authors.items()},
    }
    gaps = {"kinds": GAP_KINDS, "gaps": [asdict(x) for x in analysis.gaps]}
    maps = {name: {"title": m.title, "rows": m.rows, "cols": m.cols, "row_vocabulary": m.row_vocab,
                   "col_vocabulary": m.col_vocab,
                   "cells": [{"row": r, "col": c, "count": len(ids), "claims": list(ids)} for (r, c),
                             ids in m.cells.items()]}
            for name, m in analysis.maps.items()}
    return {
        "graph.node-link.json": _json(node_link(g, pos)),
        "graph.graphml": _graphml(g),
        "graph.gexf": _gexf(g, pos, _data_date(base)),
        "cytoscape.json": _json(cytoscape(g, pos)),
        "nodes.csv": _csv(node_rows, node_cols),
        "edges.csv": _csv(edge_rows, edge_cols),
        "profiles.json": _json(profiles),
        "gaps.json": _json(gaps),
        "evidence-map.json": _json(maps),
        "graph.json": json.dumps(site_graph(base, analysis, g, pos), ensure_ascii=False, sort_keys=True,
                                      separators=(",", ":")) + "\n",
    }


def write_exports(base: EvidenceBase, analysis: Analysis | None, out_dir: Path, g=None) -> list[Path]:
    """Write all exports; each file is replaced atomically, so a reader never sees half a file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(render_exports(base, analysis, g).items()):
        target = out_dir / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        written.append(target)
    return written


def summary(base: EvidenceBase, analysis: Analysis, g) -> str:
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    ekinds = Counter(d["kind"] for *_, d in g.edges(keys=True, data=True))
    gaps = Counter(x.kind for x in analysis.gaps)
    contested = sum(p.contested for p in analysis.claims.values())
    lines = [
        f"graph: {g.number_of_nodes()} nodes ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), "
        f"{g.number_of_edges()} edges ({', '.join(f'{k} {v}' for k, v in sorted(ekinds.items()))})",
        f"claims: {len(base.claims)}; contested {contested}; single-source {gaps.get('single-source', 0)}; "
        f"one author group {gaps.get('single-group', 0)}",
        "gaps: " + ", ".join(f"{GAP_KINDS[k].lower()} {gaps[k]}" for k in GAP_KINDS if gaps.get(k)),
    ]
    return "\n".join(lines)
