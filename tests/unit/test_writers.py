"""Export writers: one registry, CSV cells that cannot run as formulas, XML that any parser
reads back exactly (networkx included), and the same bytes for the same input."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from evidencekb.writers import REGISTRY, Writer, find_writer, names, register
from evidencekb.writers.graph_xml import xml_attr, xml_text
from evidencekb.writers.tables import BOM, csv_text, safe_cell

TRICKY = 'Tom & "Jerry" <b>\'s</b>\ttab\nline\r\nCR — é 😀 \x01bell'


class Data:
    """What a writer reads, for a hand-made graph."""

    def __init__(self, g):
        self.graph = g
        self.nodes = list(g.nodes(data=True))
        self.edges = list(g.edges(keys=True, data=True))
        self.pos = {n: (i * 0.5 - 1.0, -i * 0.25) for i, n in enumerate(g.nodes)}
        self.stamp = "2026-12-01"


def tricky_graph():
    g = nx.MultiDiGraph()
    g.add_node("claim:a&b", kind="claim", label=TRICKY, themes=["x", "y"], incomplete=False, year="2019")
    g.add_node('source:"q"', kind="source", label="=HYPERLINK(\"http://evil\")", incomplete=True, year="n.d.")
    g.add_edge("claim:a&b", 'source:"q"', key="evidence:0", kind="evidence", locator="p. <3>")
    g.add_edge("claim:a&b", 'source:"q"', key="evidence:1", kind="evidence", locator="-2+3")
    return g


def test_every_export_has_one_writer_found_by_name():
    assert names() == [
        "cytoscape.json",
        "edges.csv",
        "evidence-map.json",
        "gaps.json",
        "graph.gexf",
        "graph.graphml",
        "graph.json",
        "graph.node-link.json",
        "nodes.csv",
        "profiles.json",
    ]
    assert all(isinstance(find_writer(n), Writer) and find_writer(n).name == n for n in names())
    with pytest.raises(KeyError, match="known: cytoscape.json"):
        find_writer("graph.dot")
    with pytest.raises(ValueError):
        register(type("Again", (Writer,), {"name": "nodes.csv"}))
    assert set(REGISTRY) == set(names())


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_run_as_a_formula_is_text(lead):
    assert safe_cell(lead + "SUM(A1:A9)") == "'" + lead + "SUM(A1:A9)"


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-1.5) == -1.5 and safe_cell(3) == 3
    assert (
        safe_cell("Buck (2018)") == "Buck (2018)"
        and safe_cell(["a", "b"]) == "a; b"
        and safe_cell(None) == ""
    )
    assert safe_cell(True) == "True"


CELLS = ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "", None, "plain", 0, -2.5, True, False,
         ["=a", "b"], ("x",), [], "'=quoted", " =space", "é=", 7.0]


def test_every_cell_in_a_table_is_what_safe_cell_makes_of_it():
    """write_csv makes the common cells itself, for speed: the same as safe_cell, one by one."""
    columns = [f"c{i}" for i in range(len(CELLS))]
    row = dict(zip(columns, CELLS, strict=True))
    got = list(csv.reader(io.StringIO(csv_text(columns + ["missing"], [row])[1:], newline="")))[1]
    want = [str(safe_cell(v)) for v in CELLS] + [""]
    assert got == want


def test_a_column_is_what_safe_cell_makes_of_each_of_its_cells():
    """write_csv neutralises a column at a time, in bulk where it can: every column, whatever
    mix of cells it holds, comes out as safe_cell makes each cell, with the same types."""
    from itertools import combinations

    from evidencekb.writers.tables import safe_column

    cells = [*CELLS, "a\x00=b", "x\x00", "\x00", ["x", 1], ["\tx"], 3, -0.0]
    columns = [list(c) for n in (1, 2, 3) for c in combinations(cells, n)]
    columns += [[1.5, 2.0, -3.25], [1, 2], ["plain"] * 5 + ["=late"], ["ok", "fine"], [["a"], "", ["=b"]]]
    for column in columns:
        want = [safe_cell(v) for v in column]
        got = safe_column(list(column))
        assert got == want and [type(v) for v in got] == [type(v) for v in want], column


@pytest.mark.parametrize("inside", ["\r", "\n", "\r\n", "\u2028"])
def test_a_line_break_inside_a_cell_never_starts_a_row(inside):
    """A locator or note from a pull request holding a carriage return stays in its cell."""
    text = csv_text(["a", "b"], [{"a": f"p. 4{inside}=HYPERLINK(1)", "b": "next"}, {"a": "x", "b": "y"}])
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows == [["a", "b"], [f"p. 4{inside}=HYPERLINK(1)", "next"], ["x", "y"]]
    assert text.count("\r\n") == 3 + (inside == "\r\n")  # three rows, each ended by CRLF


def test_csv_has_a_bom_and_reads_back_with_formulas_neutralised():
    text = csv_text(["id", "note", "x"], [{"id": "=cmd|' /C calc'!A0", "note": TRICKY, "x": -2.5}])
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows[0]["id"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["note"] == TRICKY and rows[0]["x"] == "-2.5"


def test_xml_escaping_keeps_text_as_text():
    assert xml_text("a & <b>") == "a &amp; &lt;b&gt;"
    assert xml_attr('"\n\t\r') == "&quot;&#10;&#9;&#13;"
    assert xml_text("bell\x01") == "bell\ufffd"  # XML 1.0 cannot hold it, not even as &#1;


@pytest.mark.parametrize("name,reader", [("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)])
def test_graph_files_read_back_exactly(tmp_path, name, reader):
    g = tricky_graph()
    path = tmp_path / name
    find_writer(name).write_file(Data(g), path)
    h = reader(path)
    assert isinstance(h, nx.MultiDiGraph)
    assert set(h.nodes) == set(g.nodes)
    node = h.nodes["claim:a&b"]
    assert node["label"] == TRICKY.replace("\x01", "\ufffd")
    assert (
        node["themes"] == "x; y"
        and node["incomplete"] is False
        and h.nodes['source:"q"']["incomplete"] is True
    )
    assert sorted(k for _, _, k in h.edges(keys=True)) == ["evidence:0", "evidence:1"]
    assert {d["locator"] for *_, d in h.edges(data=True)} == {"p. <3>", "-2+3"}


def test_same_input_same_bytes():
    for name in ("graph.graphml", "graph.gexf", "nodes.csv", "edges.csv"):
        assert find_writer(name).to_string(Data(tricky_graph())) == find_writer(name).to_string(
            Data(tricky_graph())
        )
