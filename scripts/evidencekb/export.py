"""Export stage: the graph and its analyses as files other tools read.

The data every format needs is built once (ExportData: one graph, one layout, the rows);
each format is a small streaming writer found by name (evidencekb.writers). Every file is
written in sorted order with no timestamps or library versions, so two runs give identical
bytes and a pull request's diff shows only what changed in the data.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis import GAP_KINDS, Analysis, analyse, citing_claims, linked_sources
from .graph import build_graph
from .interrupts import interrupts_as_keyboard
from .model import EvidenceBase
from .plain_language import plain_rating
from .safe_output import EXPORT_MARKER, Staging, check_output
from .site_paths import source_slug

if TYPE_CHECKING:
    from .writers.parallel import Ahead

EXPORT_NAMES = frozenset({"graph.node-link.json", "graph.graphml", "graph.gexf", "cytoscape.json",
                          "nodes.csv",
                          "edges.csv", "profiles.json", "gaps.json", "evidence-map.json", "graph.json"})
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SITE_URLS = {"claim": "claims/{}/", "source": "sources/{}/", "theme": "themes/{}/",
             "author": "browse/authors/#{}",
             "scheme": "browse/sources/#scheme-{}"}


NODE_SIZE = {"theme": 9.0, "claim": 3.0, "source": 3.5, "author": 2.0, "scheme": 4.0}  # before degree
SITE_EDGE_KINDS = frozenset({"evidence", "related", "theme", "authorship"})  # the explorer draws


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
    raw = node_id.split(":", 1)[1]
    if kind == "source":
        raw = source_slug(raw)
    return SITE_URLS[kind].format(raw)


def site_graph(base: EvidenceBase) -> dict:
    """The JSON the graph explorer draws: positions precomputed, ready to render."""
    return ExportData(base).site_graph


def _site_graph(base: EvidenceBase, node_rows, edge_rows, pos) -> dict:
    citing = citing_claims(base)
    degree = Counter(map(itemgetter(0), edge_rows))  # Counter counts an iterable in C
    degree.update(map(itemgetter(1), edge_rows))
    nodes = []
    for n, d in node_rows:
        kind = d["kind"]
        x, y = pos.get(n, (0.0, 0.0))
        node = {"id": n, "kind": kind, "label": d["label"], "x": x, "y": y,
                "size": round(NODE_SIZE[kind] + min(6.0, math.sqrt(degree.get(n, 0))), 2),
                "url": _url(kind, n)}
        if kind == "claim":
            cid = n.split(":", 1)[1]
            claim = base.claim_index[cid]
            pr = plain_rating(base, claim)
            n_src = len(linked_sources(claim, base.sources))
            node.update(themes=list(claim.themes), level=claim.confidence.level,
                        detail=f"{pr.verdict} ({pr.level}) · {n_src} source{'' if n_src == 1 else 's'}: "
                        f"{claim.statement}")
        elif kind == "source":
            key = n.split(":", 1)[1]
            cited_by = citing[key]
            themes = sorted({t for c in cited_by for t in base.claim_index[c].themes})
            node.update(themes=themes,
                        detail=f"{d.get('design', '')} · cited by {len(cited_by)} claim(s): "
                        f"{d.get('title', '')}")
        elif kind == "theme":
            term = base.vocabularies["theme"].get(n.split(":", 1)[1])
            node.update(themes=[n.split(":", 1)[1]], detail=term.description if term else "")
        else:
            node.update(themes=[], detail=d["label"])
        nodes.append(node)
    edges = [{"id": f"e{i}", "source": u, "target": v, "kind": d["kind"],
              "relation": d.get("relation", d["kind"])}
             for i, (u, v, _k, d) in enumerate(edge_rows) if d["kind"] in SITE_EDGE_KINDS]
    return {
        "nodes": nodes,
        "edges": edges,
        "themes": [{"id": t.id, "title": t.title} for t in base.vocabularies["theme"].terms],
        "relations": [*base.vocabularies["relation"].ids(), *base.vocabularies["claim_relation"].ids()],
    }


def node_link(node_rows, edge_rows, pos) -> dict:
    """networkx's node-link JSON; the rows are the graph's (node, data) and (u, v, key, data)."""
    return {
        "directed": True, "multigraph": True,
        "nodes": [{"id": n, **d, "x": pos[n][0], "y": pos[n][1]} for n, d in node_rows],
        "links": [{"source": u, "target": v, "key": k, **d} for u, v, k, d in edge_rows],
    }


def cytoscape(node_rows, edge_rows, pos) -> dict:
    """Cytoscape.js / Cytoscape desktop 'elements' JSON."""
    nodes = [{"data": {"id": n, **d}, "position": {"x": pos[n][0] * 100, "y": pos[n][1] * 100}}
             for n, d in node_rows]
    edges = [{"data": {"id": f"{u}->{v}#{k}", "source": u, "target": v, **d}} for u, v, k, d in edge_rows]
    return {"format_version": "1.0", "generated_by": "evidencekb",
            "elements": {"nodes": nodes, "edges": edges}}


def _data_date(base: EvidenceBase) -> str:
    dates = [c.updated or c.added for c in base.claims]
    return max(dates) if dates else "1970-01-01"


class ExportData:
    """What the writers read, each part made once and only when a writer asks for it."""

    def __init__(self, base: EvidenceBase, analysis: Analysis | None = None, graph=None):
        self.base = base
        if analysis is not None:
            self.analysis = analysis
        if graph is not None:
            self.graph = graph
        self.stamp = _data_date(base)

    @cached_property
    def graph(self):
        """Built only if a writer asks: the formats of the analysis need none."""
        return build_graph(self.base)

    @cached_property
    def analysis(self) -> Analysis:
        """Made here only if not given (`evidence graph` gives it later: a child made it)."""
        return analyse(self.base)

    @cached_property
    def pos(self) -> dict[str, tuple[float, float]]:
        return layout(self.graph)

    @cached_property
    def nodes(self) -> list:
        return list(self.graph.nodes(data=True))

    @cached_property
    def edges(self) -> list:
        # iter(): list() of the view itself asks its length first, walking every edge twice
        return list(iter(self.graph.edges(keys=True, data=True)))

    @cached_property
    def node_link(self) -> dict:
        return node_link(self.nodes, self.edges, self.pos)

    @cached_property
    def cytoscape(self) -> dict:
        return cytoscape(self.nodes, self.edges, self.pos)

    @cached_property
    def site_graph(self) -> dict:
        return _site_graph(self.base, self.nodes, self.edges, self.pos)

    @cached_property
    def profiles(self) -> dict:
        # orjson writes dataclasses itself (sorted, 5x faster than dataclasses.asdict's deep copy)
        from .writers.jsons import dataclass_dict

        a = self.analysis
        return {"claims": dataclass_dict(a.claims), "sources": dataclass_dict(a.sources),
                "authors": dataclass_dict(a.authors)}

    @cached_property
    def gaps(self) -> dict:
        from .writers.jsons import dataclass_list

        return {"kinds": GAP_KINDS, "gaps": dataclass_list(self.analysis.gaps)}

    @cached_property
    def maps(self) -> dict:
        return {name: {"title": m.title, "rows": m.rows, "cols": m.cols, "row_vocabulary": m.row_vocab,
                       "col_vocabulary": m.col_vocab,
                       "cells": [{"row": r, "col": c, "count": len(ids), "claims": list(ids)}
                                 for (r, c), ids in m.cells.items()]}
                for name, m in self.analysis.maps.items()}


def render_exports(base: EvidenceBase, analysis: Analysis | None = None, graph=None) -> dict[str, str]:
    """Every export as file name -> text; writing is separate so the site can reuse this."""
    from .writers import find_writer, names

    data = ExportData(base, analysis, graph)
    return {name: find_writer(name).to_string(data) for name in names()}


EXPORT_NOTE = "Graph exports written by `evidence graph`."


def _legacy_exports(folder: Path, entries) -> bool:
    """A folder an older `evidence graph` wrote (before the marker): only export files in it."""
    names = EXPORT_NAMES | {EXPORT_MARKER}
    return all(p.is_file() and (p.name in names or p.name.startswith(tuple(f".{n}." for n in EXPORT_NAMES)))
               for p in entries)


def check_out_dir(out_dir: Path, root: Path) -> Path:
    """The export folder, resolved, or OutputRefused: see safe_output.refuse_reason."""
    return check_output(out_dir, root, marker=EXPORT_MARKER, legacy=_legacy_exports, what="--out")


def write_exports(base: EvidenceBase, analysis: Analysis | None, out_dir: Path,
                  root: Path | None = None, graph=None, progress=None,
                  data: ExportData | None = None, ready: Ahead | None = None) -> list[Path]:
    """Write all exports into a temporary sibling of `out_dir`, then swap it in: a reader
    (or a failure: a full disk, Ctrl-C) never sees half a set. With `root`, the folder is
    first checked against the project's sources (OutputRefused). A big graph's formats are
    written on two cores (writers.parallel), with the same bytes. `data`: the writers' data,
    if the caller has begun it (then base, analysis and graph are read from it); `ready`:
    formats it has already begun (writers.parallel.render_ahead)."""
    from .progress import quiet
    from .writers import names
    from .writers.parallel import write_all

    out_dir = Path(os.path.abspath(out_dir))
    if root is not None:
        out_dir = check_out_dir(out_dir, root)
    if data is None:
        data = ExportData(base, analysis, graph)
    wanted = names()
    with (progress or quiet()).phase(f"writing {len(wanted)} export formats"):
        with interrupts_as_keyboard(), Staging(out_dir, EXPORT_MARKER, EXPORT_NOTE) as stage:
            write_all(data, stage.path, wanted, data.graph.number_of_nodes(), ready)
            stage.commit()
    return [out_dir / name for name in sorted(wanted)]


@dataclass(frozen=True)
class AnalysisOutput:
    """What `evidence graph` needs of the analysis, made where the analysis is made (a forked
    child): the formats that read it, as text, and the counts the summary prints. Sending
    these back costs a fraction of sending the analysis itself (0.2 s of pickling and as
    much unpickling at 10,000 claims)."""

    texts: dict[str, str]
    gaps: dict[str, int]  # gap kind -> how many
    contested: int


def analysis_output(base: EvidenceBase, analysis: Analysis | None = None) -> AnalysisOutput:
    from .writers import find_writer, names

    data = ExportData(base, analysis)
    writers = [find_writer(name) for name in names()]
    texts = {w.name: w.to_string(data) for w in writers if w.reads_analysis}
    return _counted(data.analysis, texts)


def _counted(analysis: Analysis, texts: dict[str, str]) -> AnalysisOutput:
    return AnalysisOutput(texts, dict(Counter(x.kind for x in analysis.gaps)),
                          sum(p.contested for p in analysis.claims.values()))


def summary(data: ExportData, counts: AnalysisOutput | None = None) -> str:
    """`counts`: the analysis's, when made elsewhere (else taken from data.analysis)."""
    base, g = data.base, data.graph
    kinds = Counter(d["kind"] for _, d in data.nodes)
    ekinds = Counter(d["kind"] for *_, d in data.edges)
    counts = counts or _counted(data.analysis, {})
    gaps, contested = counts.gaps, counts.contested
    lines = [
        f"graph: {g.number_of_nodes()} nodes ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), "
        f"{g.number_of_edges()} edges ({', '.join(f'{k} {v}' for k, v in sorted(ekinds.items()))})",
        f"claims: {len(base.claims)}; contested {contested}; single-source {gaps.get('single-source', 0)}; "
        f"one author group {gaps.get('single-group', 0)}",
        "gaps: " + ", ".join(f"{GAP_KINDS[k].lower()} {gaps[k]}" for k in GAP_KINDS if gaps.get(k)),
    ]
    return "\n".join(lines)
