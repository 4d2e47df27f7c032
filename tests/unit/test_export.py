import json

import networkx as nx

from evidencekb.checker import check_project
from evidencekb.export import layout, render_exports, site_graph, write_exports
from evidencekb.graph import build_graph
from evidencekb.project import Project


def base_of(project):
    result = check_project(Project(project.root))
    assert result.ok
    return result.base


def test_graphml_and_gexf_read_back(project, tmp_path):
    base = base_of(project)
    g = build_graph(base)
    write_exports(base, None, tmp_path)
    for name, reader in (("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)):
        h = reader(tmp_path / name)
        assert h.number_of_nodes() == g.number_of_nodes(), name
        assert h.number_of_edges() == g.number_of_edges(), name
    h = nx.read_graphml(tmp_path / "graph.graphml")
    assert h.nodes["claim:alpha"]["themes"] == "how-mentoring-works"  # lists flattened


def test_two_runs_byte_identical(project, tmp_path):
    base = base_of(project)
    write_exports(base, None, tmp_path / "a")
    write_exports(base_of(project), None, tmp_path / "b")
    # the "made by evidence" marker aside
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if p.name != ".evidencekb-export")
    assert names == ["cytoscape.json", "edges.csv", "evidence-map.json", "gaps.json", "graph.gexf",
                     "graph.graphml",
                     "graph.json", "graph.node-link.json", "nodes.csv", "profiles.json"]
    for n in names:
        assert (tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes(), n


def test_csv_and_cytoscape(project):
    out = render_exports(base_of(project))
    assert out["edges.csv"].startswith("\ufeff")  # a UTF-8 BOM, so Excel reads it as UTF-8
    assert out["edges.csv"][1:].splitlines()[0] == "source,target,key,kind,relation,locator,via,source_locator"  # noqa: E501
    assert "claim:alpha,source:lee2019book,evidence:0,evidence,supports,pp. 10-12" in out["edges.csv"]
    cy = json.loads(out["cytoscape.json"])
    assert {e["data"]["id"] for e in cy["elements"]["nodes"]} >= {"claim:alpha", "source:lee2019book"}


def test_positions_precomputed_for_every_node(project):
    base = base_of(project)
    g = build_graph(base)
    pos = layout(g)
    assert set(pos) == set(g.nodes)
    sg = site_graph(base)
    node = next(n for n in sg["nodes"] if n["id"] == "claim:alpha")
    assert node["url"] == "claims/alpha/" and node["level"] == "moderate" and isinstance(node["x"], float)
    src = next(n for n in sg["nodes"] if n["id"] == "source:lee2019book")
    assert src["url"] == "sources/lee2019book/"
    assert {e["relation"] for e in sg["edges"] if e["kind"] == "evidence"} == {"supports"}


def test_cli_graph_summary(project, tmp_path):
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "evidencekb", "graph", "--root", str(project.root), "--out",
                        str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "graph: " in r.stdout and "wrote 10 files" in r.stdout
