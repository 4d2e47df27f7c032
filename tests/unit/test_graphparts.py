"""graphparts: the explorer's data in parts. A theme's part holds what the explorer shows for
that theme and a claim's neighbourhood, names never come from the data, and the bytes are the
same for the same input."""

from __future__ import annotations

import json

from evidencekb.site.graphparts import CLAIMS_MAP, graph_parts, part_name


def node(nid, kind, themes=(), x=0.0, y=0.0):
    return {"id": nid, "kind": kind, "label": nid, "x": x, "y": y, "themes": list(themes)}


def edge(i, s, t, relation):
    return {"id": f"e{i}", "source": s, "target": t, "relation": relation}


GRAPH = {
    "nodes": [
        node("theme:a", "theme", ["a"], -10, 0),
        node("theme:../b", "theme", ["../b"], 10, 0),
        node("claim:c1", "claim", ["a"], -9, 1),
        node("claim:c2", "claim", ["../b"], 9, -1),
        node("claim:c3", "claim", ["../b", "a"], 8, 5),
        node("source:s1", "source", x=0, y=-20),
        node("source:s2", "source", x=3, y=3),
        node("author:p", "author", x=1, y=30),
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
    ],
}


def test_a_theme_part_holds_its_claims_sources_authors_and_neighbours():
    files = graph_parts(GRAPH, ["a", "../b"])
    assert set(files) == {part_name(0), part_name(1), CLAIMS_MAP}
    a = json.loads(files[part_name(0)])
    ids = {n["id"] for n in a["nodes"]}
    # the theme's claims (c3 also has it), their sources and authors, the theme itself,
    # the related claim c2 and the claims' other theme (for a claim's neighbourhood)
    assert ids == {"theme:a", "claim:c1", "claim:c3", "source:s1", "source:s2", "author:p", "author:q",
                   "claim:c2", "theme:../b"}
    # c2's own source is not needed for theme a
    assert all(e["source"] in ids and e["target"] in ids for e in a["edges"])
    assert {e["id"] for e in a["edges"]} >= {"e0", "e1", "e2", "e5", "e6", "e7", "e9"}
    # every part knows the whole graph's extent and size, so the view does not move
    assert a["bbox"] == [-10, -20, 10, 30] and a["total_nodes"] == len(GRAPH["nodes"])
    b = json.loads(files[part_name(1)])
    # c1 relates to c2 (an edge into theme b's claim): it is there for c2's neighbourhood
    assert {"claim:c1", "claim:c2", "claim:c3", "source:s2", "author:q"} <= {n["id"] for n in b["nodes"]}
    assert "source:s1" not in {n["id"] for n in b["nodes"]}


def test_names_come_from_the_vocabulary_order_never_from_the_data():
    files = graph_parts(GRAPH, ["a", "../b"])
    assert all(name.startswith("graph/") and ".." not in name for name in files)
    assert json.loads(files[CLAIMS_MAP]) == {"c1": 0, "c2": 1, "c3": 1}


def test_same_input_same_bytes():
    assert graph_parts(GRAPH, ["a", "../b"]) == graph_parts(json.loads(json.dumps(GRAPH)), ["a", "../b"])


def test_the_parts_of_the_real_base_cover_every_claim(check):
    from evidencekb.analysis import analyse
    from evidencekb.export import site_graph

    result, messages = check()
    assert result.ok, messages
    base = result.base
    whole = site_graph(base, analyse(base))
    themes = [t.id for t in base.vocabularies["theme"].terms]
    files = graph_parts(whole, themes)
    seen = set()
    for i, _ in enumerate(themes):
        part = json.loads(files[part_name(i)])
        seen |= {n["id"] for n in part["nodes"] if n["kind"] == "claim"}
        assert len(part["nodes"]) < len(whole["nodes"])
    assert seen == {n["id"] for n in whole["nodes"] if n["kind"] == "claim"}
