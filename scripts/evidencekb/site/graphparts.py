"""The explorer's data: lean, columnar, in parts (one file a theme, and the whole graph).

Why: at 10,000 claims the public data/graph.json (export.site_graph, a download that must not
change) is 19 MB with a key name on every value, an id on every edge and each claim's
statement twice. The browser's time to interactive goes to fetching, parsing and walking
it, so the explorer reads its own files instead, made once at build time:

- Columnar arrays, one a field, short keys (FIELDS): a node is a place in `n.id`, `n.x`...;
  an edge is a place in `e.s`/`e.t` (node places in the same file) with its relation as a
  place in the file's `rels` list; node themes are places in the file's `themes` list.
- No repetition: a claim's detail is stored without the statement it ends with (the label),
  an author's detail (its label) not at all; `detail_of` says how graph.js puts it back.
- Opening the page fetches one theme's part (graph/theme-3.json); the whole graph
  (graph/all.json) only when the reader widens to it or asks for ?theme=all.
- A theme's part holds what the explorer shows for that theme (its claims, the sources they
  cite, those sources' authors and schemes, the theme) and what a claim's neighbourhood needs
  (related claims and the claims' other themes), with every edge among them.
- Each file carries the whole graph's extent and node count, so the view does not move and
  the status line counts the whole graph while only a part is loaded. Edges keep their
  number in the whole graph (`e.k`), so parts merged in the browser never double an edge.
- Files are named by the theme's place in the vocabulary, never by a value from the data.
  claims.json maps each claim to its first theme's part, for graph/?claim=<id>.
- Same input, same bytes: nodes and edges keep site_graph's order, JSON as graph.json is
  written (writers.jsons.dumps, compact).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..writers.jsons import dumps

FOLDER = "graph/"
FORMAT = 2
#: The whole graph, in the same lean shape as a part (relative to data/).
WHOLE = FOLDER + "all.json"
CLAIMS_MAP = FOLDER + "claims.json"
#: node field -> short key in the file's `n` object (graph.js reads these names).
FIELDS = {"id": "id", "kind": "k", "label": "l", "x": "x", "y": "y", "size": "s", "url": "u",
          "level": "c", "detail": "d", "themes": "t"}
NODE_COLUMNS = tuple(FIELDS.values())


def part_name(index: int) -> str:
    """The part of the theme at this place in the vocabulary (relative to data/)."""
    return f"{FOLDER}theme-{index}.json"


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


def lean_detail(detail, label: str):
    """The detail as stored: None when it is the label, [prefix] when it is prefix + label
    (a claim's "verdict · n sources: <statement>"), else the text itself."""
    detail = "" if detail is None else str(detail)
    if detail == label:
        return None
    if label and detail.endswith(label):
        return [detail[: -len(label)]]
    return detail


def detail_of(stored, label: str) -> str:
    """What graph.js does with a stored detail (the inverse of lean_detail)."""
    if stored is None:
        return label
    if isinstance(stored, list):
        return stored[0] + label
    return stored


def unlean(doc: Mapping) -> tuple[list[dict], list[dict]]:
    """The nodes and edges a lean file holds, as graph.js reads them (the reference reader,
    for tests): node dicts with site_graph's field names, edges with id/source/target/relation."""
    n, e = doc["n"], doc["e"]
    nodes = []
    for i in range(len(n["id"])):
        node = {field: n[key][i] for field, key in FIELDS.items()}
        node["kind"] = doc["kinds"][node["kind"]]
        node["detail"] = detail_of(node["detail"], node["label"])
        node["themes"] = [doc["themes"][t] for t in node["themes"]]
        nodes.append(node)
    edges = [{"id": f"e{k}", "source": n["id"][s], "target": n["id"][t], "relation": doc["rels"][r]}
             for k, s, t, r in zip(e["k"], e["s"], e["t"], e["r"], strict=True)]
    return nodes, edges


class _Places:
    """Values -> their place in a list written once in the file (themes, relations, kinds)."""

    def __init__(self, first=()):
        self.items: list[str] = list(first)
        self.at = {v: i for i, v in enumerate(self.items)}

    def __call__(self, value: str) -> int:
        if value not in self.at:
            self.at[value] = len(self.items)
            self.items.append(value)
        return self.at[value]


def _edge_key(e: Mapping, i: int) -> int:
    """An edge's number in the whole graph: site_graph's id "e<n>", else its place there."""
    text = str(e.get("id", ""))
    return int(text[1:]) if text[:1] == "e" and text[1:].isdigit() else i


class _Rows:
    """Each node and edge of the whole graph encoded once (a row of column values, places in
    the shared kind, theme and relation lists), so a part only picks rows."""

    def __init__(self, nodes: list[dict], edges: list[tuple[int, dict]], themes: list[str]):
        self.kinds, self.themes, self.rels = _Places(), _Places(themes), _Places()
        self.nodes = [self._node(n) for n in nodes]
        self.edges = [(k, e["source"], e["target"], self.rels(str(e.get("relation") or e.get("kind") or "")))
                      for k, e in edges]

    def _node(self, n: dict) -> tuple:
        label = str(n.get("label", n["id"]))
        return (n["id"], self.kinds(n["kind"]), label, n["x"], n["y"], n.get("size", 0), n.get("url") or "",
                n.get("level") or "", lean_detail(n.get("detail"), label),
                [self.themes(t) for t in n.get("themes", ())])

    def lean(self, node_rows: list[tuple], edge_rows: list[tuple], meta: Mapping) -> dict:
        """The columnar form graph.js reads (see the module docstring); edge_rows must only
        link nodes in node_rows."""
        place = {row[0]: i for i, row in enumerate(node_rows)}
        cols = [list(c) for c in zip(*node_rows, strict=True)] or [[] for _ in NODE_COLUMNS]
        ecols = [list(c) for c in zip(*edge_rows, strict=True)] or [[], [], [], []]
        return {**meta, "v": FORMAT, "kinds": self.kinds.items, "themes": self.themes.items,
                "rels": self.rels.items, "n": dict(zip(NODE_COLUMNS, cols, strict=True)),
                "e": {"k": ecols[0], "s": [place[x] for x in ecols[1]], "t": [place[x] for x in ecols[2]],
                      "r": ecols[3]}}


def graph_parts(site_graph: Mapping, themes: list[str]) -> dict[str, str]:
    """data/-relative name -> JSON text of the whole graph's lean file, each theme's part and
    the claim -> part map.

    site_graph: export.site_graph(...) output; themes: the theme ids in vocabulary order."""
    nodes = list(site_graph.get("nodes", ()))
    ids = {n["id"] for n in nodes}
    edges = [(_edge_key(e, i), e) for i, e in enumerate(site_graph.get("edges", ()))
             if e["source"] in ids and e["target"] in ids]
    out_edges: dict[str, list[dict]] = {}
    in_edges: dict[str, list[dict]] = {}
    for _, e in edges:
        out_edges.setdefault(e["source"], []).append(e)
        in_edges.setdefault(e["target"], []).append(e)
    meta = {"bbox": _extent(nodes), "total_nodes": len(nodes)}
    rows = _Rows(nodes, edges, themes)
    whole = rows.lean(rows.nodes, rows.edges, {**meta, "part": None})
    files: dict[str, str] = {WHOLE: dumps(whole, compact=True)}
    for i, theme in enumerate(themes):
        keep = _members(theme, nodes, out_edges, in_edges)
        kept = [row for row in rows.nodes if row[0] in keep]
        links = [row for row in rows.edges if row[1] in keep and row[2] in keep]
        files[part_name(i)] = dumps(rows.lean(kept, links, {**meta, "part": theme}), compact=True)
    place = {t: i for i, t in enumerate(themes)}
    claims = {}
    for n in nodes:
        if n["kind"] == "claim":
            first = next((t for t in n.get("themes", ()) if t in place), None)
            if first is not None:
                claims[n["id"].split(":", 1)[1]] = place[first]
    files[CLAIMS_MAP] = dumps(claims, compact=True)
    return files
