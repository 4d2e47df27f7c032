"""graphparts: the explorer's lean data in parts. A theme's part holds what the explorer shows
for that theme and a claim's neighbourhood, the whole graph has its own lean file, the columns
hold every value graph.js reads without repeating any, names never come from the data, and
the bytes are the same for the same input."""

from __future__ import annotations

import json

from evidencekb.site.graphparts import (
    CLAIMS_MAP,
    FIELDS,
    WHOLE,
    detail_of,
    graph_parts,
    lean_detail,
    part_name,
    unlean,
)


def node(nid, kind, themes=(), x=0.0, y=0.0, **extra):
    return {"id": nid, "kind": kind, "label": nid, "x": x, "y": y, "themes": list(themes), **extra}


def edge(i, s, t, relation):
    return {"id": f"e{i}", "source": s, "target": t, "relation": relation}


GRAPH = {
    "nodes": [
        node("theme:a", "theme", ["a"], -10, 0),
        node("theme:../b", "theme", ["../b"], 10, 0),
        node("claim:c1", "claim", ["a"], -9, 1, detail="Likely (moderate) · 1 source: claim:c1",
             level="moderate"),
        node("claim:c2", "claim", ["../b"], 9, -1),
        node("claim:c3", "claim", ["../b", "a"], 8, 5),
        node("source:s1", "source", x=0, y=-20, detail="RCT · cited by 1 claim(s): A title",
             url="sources/s1/"),
        node("source:s2", "source", x=3, y=3),
        node("author:p", "author", x=1, y=30, detail="author:p"),
        node("author:q", "author", x=4, y=4),
    ],
    "edges": [
        edge(0, "claim:c1", "source:s1", "supports"),
        edge(1, "claim:c1", "theme:a", "theme"),
        edge(2, "claim:c1", "claim:c2", "contrasts"),
        edge(3, "claim:c2", "source:s2", "supports"),
        edge(4, "claim:c2", "theme:../b", "theme"),
        edge(5, "source:s1", "author:p", "authorship"),
        edge(6, "source:s2", "author:q", "authorship"),
        edge(7, "claim:c3", "source:s2", "qualifies"),
        edge(8, "claim:c3", "theme:../b", "theme"),
        edge(9, "claim:c3", "theme:a", "theme"),
        edge(10, "claim:c3", "source:s2", "supports"),  # a second link to the same source
    ],
}


def part(files, name):
    return unlean(json.loads(files[name]))


def test_a_theme_part_holds_its_claims_sources_authors_and_neighbours():
    files = graph_parts(GRAPH, ["a", "../b"])
    assert set(files) == {WHOLE, part_name(0), part_name(1), CLAIMS_MAP}
    nodes, edges = part(files, part_name(0))
    ids = {n["id"] for n in nodes}
    # the theme's claims (c3 also has it), their sources and authors, the theme itself,
    # the related claim c2 and the claims' other theme (for a claim's neighbourhood)
    assert ids == {"theme:a", "claim:c1", "claim:c3", "source:s1", "source:s2", "author:p", "author:q",
                   "claim:c2", "theme:../b"}
    # c2's own source is not needed for theme a
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert {e["id"] for e in edges} >= {"e0", "e1", "e2", "e5", "e6", "e7", "e9", "e10"}
    # every part knows the whole graph's extent and size, so the view does not move
    a = json.loads(files[part_name(0)])
    assert a["bbox"] == [-10, -20, 10, 30] and a["total_nodes"] == len(GRAPH["nodes"]) and a["part"] == "a"
    b_nodes, _ = part(files, part_name(1))
    # c1 relates to c2 (an edge into theme b's claim): it is there for c2's neighbourhood
    assert {"claim:c1", "claim:c2", "claim:c3", "source:s2", "author:q"} <= {n["id"] for n in b_nodes}
    assert "source:s1" not in {n["id"] for n in b_nodes}


def test_the_whole_file_holds_every_value_graph_js_reads():
    files = graph_parts(GRAPH, ["a", "../b"])
    doc = json.loads(files[WHOLE])
    assert doc["v"] == 2 and doc["part"] is None
    assert set(doc["n"]) == set(FIELDS.values()) and set(doc["e"]) == {"k", "s", "t", "r"}
    nodes, edges = unlean(doc)
    assert [n["id"] for n in nodes] == [n["id"] for n in GRAPH["nodes"]]
    for got, want in zip(nodes, GRAPH["nodes"], strict=True):
        for key in ("kind", "label", "x", "y", "themes"):
            assert got[key] == want[key], (want["id"], key)
        assert got["detail"] == (want.get("detail") or ""), want["id"]
        assert got["url"] == want.get("url", "") and got["level"] == want.get("level", "")
    assert edges == [{k: e[k] for k in ("id", "source", "target", "relation")} for e in GRAPH["edges"]]
    # edges name nodes by their place, relations and themes by their place in one list
    assert all(isinstance(x, int) for x in doc["e"]["s"] + doc["e"]["t"] + doc["e"]["r"])
    assert doc["themes"][:2] == ["a", "../b"] and len(doc["rels"]) == len(set(doc["rels"]))


def test_no_detail_repeats_its_label():
    label = "Mentoring may reduce reoffending."
    assert lean_detail(label, label) is None
    prefix = "Likely (moderate) · 2 sources: "
    assert lean_detail(prefix + label, label) == [prefix]
    assert lean_detail("RCT: a title", label) == "RCT: a title"
    for stored in (None, ["prefix: "], "text"):
        assert lean_detail(detail_of(stored, label), label) == stored
    text = json.loads(graph_parts(GRAPH, ["a", "../b"])[WHOLE])
    assert "1 source: claim:c1" not in json.dumps(text)  # the statement is not there twice


def test_names_come_from_the_vocabulary_order_never_from_the_data():
    files = graph_parts(GRAPH, ["a", "../b"])
    assert all(name.startswith("graph/") and ".." not in name for name in files)
    assert json.loads(files[CLAIMS_MAP]) == {"c1": 0, "c2": 1, "c3": 1}


def test_same_input_same_bytes():
    assert graph_parts(GRAPH, ["a", "../b"]) == graph_parts(json.loads(json.dumps(GRAPH)), ["a", "../b"])


def test_the_parts_of_the_real_base_cover_every_claim(check):
    from evidencekb.export import site_graph

    result, messages = check()
    assert result.ok, messages
    base = result.base
    whole = site_graph(base)
    themes = [t.id for t in base.vocabularies["theme"].terms]
    files = graph_parts(whole, themes)
    seen = set()
    for i, _ in enumerate(themes):
        nodes, _ = part(files, part_name(i))
        seen |= {n["id"] for n in nodes if n["kind"] == "claim"}
        assert len(nodes) < len(whole["nodes"])
    assert seen == {n["id"] for n in whole["nodes"] if n["kind"] == "claim"}
    # the whole file gives back every node's detail and every edge of the site graph
    nodes, edges = part(files, WHOLE)
    assert [n["detail"] for n in nodes] == [n["detail"] for n in whole["nodes"]]
    assert len(edges) == len(whole["edges"])
    assert len(files[WHOLE]) < 0.7 * len(json.dumps(whole, ensure_ascii=False, separators=(",", ":")))
