"""The explorer's data in parts: one file a theme, so opening the graph page fetches one theme.

Why: at 10,000 claims the whole data/graph.json is about 19 MB (2 MB gzipped); the page opens
on one theme (or one claim's neighbourhood), so it fetches only that theme's part and the
whole file only when the reader widens to the whole graph.

- A theme's part holds what the explorer shows for that theme (its claims, the sources they
  cite, those sources' authors and schemes, the theme) and what a claim's neighbourhood needs
  (related claims and the claims' other themes), with every edge among them.
- Each part carries the whole graph's extent and node count, so the view does not move and
  the status line counts the whole graph while only a part is loaded.
- Files are named by the theme's place in the vocabulary (graph/theme-3.json), never by a
  value from the data. claims.json maps each claim to its first theme's part, for
  graph/?claim=<id>.
- Same input, same bytes: nodes and edges keep site_graph's order; the JSON is written as
  graph.json is (writers.jsons.dumps, compact).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..writers.jsons import dumps

FOLDER = "graph/"


def part_name(index: int) -> str:
    """The part of the theme at this place in the vocabulary (relative to data/)."""
    return f"{FOLDER}theme-{index}.json"


CLAIMS_MAP = FOLDER + "claims.json"


def _extent(nodes: list[dict]) -> list[float]:
    xs = [n["x"] for n in nodes]
    ys = [n["y"] for n in nodes]
    return [min(xs), min(ys), max(xs), max(ys)] if nodes else [0.0, 0.0, 1.0, 1.0]


def _members(theme: str, nodes: list[dict], out_edges: Mapping[str, list[dict]],
             in_edges: Mapping[str, list[dict]]) -> set[str]:
    claims = {n["id"] for n in nodes if n["kind"] == "claim" and theme in n.get("themes", ())}
    keep = set(claims) | {f"theme:{theme}"}
    for c in claims:
        keep.update(e["target"] for e in out_edges.get(c, ()))  # sources, themes, related claims
        keep.update(e["source"] for e in in_edges.get(c, ()))  # claims that relate to this one
    for s in [k for k in keep if k.startswith("source:")]:
        keep.update(e["target"] for e in out_edges.get(s, ()))  # authors, schemes
    return keep


def graph_parts(site_graph: Mapping, themes: list[str]) -> dict[str, str]:
    """data/-relative name -> JSON text of each theme's part and of the claim -> part map.

    site_graph: export.site_graph(...) output; themes: the theme ids in vocabulary order."""
    nodes = list(site_graph.get("nodes", ()))
    edges = list(site_graph.get("edges", ()))
    out_edges: dict[str, list[dict]] = {}
    in_edges: dict[str, list[dict]] = {}
    for e in edges:
        out_edges.setdefault(e["source"], []).append(e)
        in_edges.setdefault(e["target"], []).append(e)
    meta = {"bbox": _extent(nodes), "total_nodes": len(nodes)}
    files: dict[str, str] = {}
    for i, theme in enumerate(themes):
        keep = _members(theme, nodes, out_edges, in_edges)
        part = {
            **meta,
            "part": theme,
            "nodes": [n for n in nodes if n["id"] in keep],
            "edges": [e for e in edges if e["source"] in keep and e["target"] in keep],
        }
        files[part_name(i)] = dumps(part, compact=True)
    place = {t: i for i, t in enumerate(themes)}
    claims = {}
    for n in nodes:
        if n["kind"] == "claim":
            first = next((t for t in n.get("themes", ()) if t in place), None)
            if first is not None:
                claims[n["id"].split(":", 1)[1]] = place[first]
    files[CLAIMS_MAP] = dumps(claims, compact=True)
    return files
