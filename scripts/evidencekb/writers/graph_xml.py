"""GraphML and GEXF, streamed as text with XML escaping of our own.

Both are read back by networkx (tests/unit/test_export.py), Gephi, yEd and Cytoscape.
Attribute keys are declared in the order they first appear, with their type from the value
(boolean, long, double, else string); list values are joined with '; ' as in the CSVs.
Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
become U+FFFD; carriage returns, and tabs and line breaks inside attributes, are written as
character references so a parser gives them back instead of normalising them away.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Writer, register
from .tables import flat

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
)


@lru_cache(maxsize=1 << 16)  # ids, kinds and levels repeat thousands of times
def xml_text(value) -> str:
    value = str(value)
    if not _SPECIAL.search(value):  # most values: nothing to escape
        return value
    return _NOT_XML.sub("\ufffd", value).translate(_TEXT)


@lru_cache(maxsize=1 << 16)
def xml_attr(value) -> str:
    value = str(value)
    if not _SPECIAL.search(value):
        return value
    return _NOT_XML.sub("\ufffd", value).translate(_ATTR)


def _typed(value) -> tuple[str, str]:
    """(GraphML/GEXF type, text) of one attribute value."""
    if type(value) is str:
        return "string", value
    value = flat(value)
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return "long", str(value)
    if isinstance(value, float):
        return "double", repr(value)
    return "string", str(value)


def _text(value) -> str:
    return xml_text(value) if type(value) is str else xml_text(_typed(value)[1])


def _attr(value) -> str:
    return xml_attr(value) if type(value) is str else xml_attr(_typed(value)[1])


def _declare(items, skip=()) -> dict[str, str]:
    """attribute name -> (id suffix order, type), in first-seen order over all items."""
    keys: dict[str, str] = {}
    for attrs in items:
        for name, value in attrs.items():
            if name not in keys and name not in skip:
                keys[name] = _typed(value)[0]
    return keys


class _XmlWriter(Writer):
    """Made as a list of pieces joined once: at 10,000 claims, a write a piece to the stream
    cost a quarter of the format's time."""

    def pieces(self, data) -> list[str]:
        raise NotImplementedError

    def write_stream(self, data, out):
        out.write("".join(self.pieces(data)))

    def to_string(self, data) -> str:
        return "".join(self.pieces(data))


@register
class GraphML(_XmlWriter):
    name = "graph.graphml"
    media_type = "application/graphml+xml"

    def pieces(self, data):
        node_keys = _declare(d for _, d in data.nodes)
        edge_keys = _declare(d for *_, d in data.edges)
        ids = {}
        out: list[str] = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        ]
        for domain, keys in (("node", node_keys), ("edge", edge_keys)):
            for attr, kind in keys.items():
                kid = ids[(domain, attr)] = f"d{len(ids)}"
                out.append(
                    f'  <key id="{kid}" for="{domain}" attr.name="{xml_attr(attr)}" attr.type="{kind}" />\n'
                )
        out.append('  <graph edgedefault="directed">\n')
        # Each attribute's opening tag made once, not once a value (600,000 values at 10,000 claims).
        nopen = {a: f'      <data key="{ids[("node", a)]}">' for a in node_keys}
        eopen = {a: f'      <data key="{ids[("edge", a)]}">' for a in edge_keys}
        add = out.append
        for n, d in data.nodes:
            add(f'    <node id="{xml_attr(n)}">\n')
            for a, v in d.items():
                add(f"{nopen[a]}{xml_text(v) if type(v) is str else _text(v)}</data>\n")
            add("    </node>\n")
        for u, v, k, d in data.edges:
            add(f'    <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{xml_attr(k)}">\n')
            for a, x in d.items():
                add(f"{eopen[a]}{xml_text(x) if type(x) is str else _text(x)}</data>\n")
            add("    </edge>\n")
        add("  </graph>\n</graphml>\n")
        return out


@register
class GEXF(_XmlWriter):
    """GEXF 1.2 with viz positions (x, y scaled by 100, as Gephi expects screen-sized units).
    The edge key goes in `networkx_key`, which networkx reads back as the multigraph key."""

    name = "graph.gexf"
    media_type = "application/gexf+xml"

    def pieces(self, data):
        node_keys = _declare((d for _, d in data.nodes), skip=("label",))
        edge_keys = _declare(({**d, "networkx_key": k} for *_, k, d in data.edges))
        out: list[str] = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
            'version="1.2">\n'
            f'  <meta lastmodifieddate="{xml_attr(data.stamp)}">\n    <creator>evidencekb</creator>\n  </meta>\n'  # noqa: E501
            '  <graph defaultedgetype="directed" mode="static">\n'
        ]
        ids = {}
        for domain, keys in (("node", node_keys), ("edge", edge_keys)):
            out.append(f'    <attributes class="{domain}" mode="static">\n')
            for attr, kind in keys.items():
                aid = ids[(domain, attr)] = str(len(ids))
                out.append(f'      <attribute id="{aid}" title="{xml_attr(attr)}" type="{kind}" />\n')
            out.append("    </attributes>\n")
        # Each attribute's opening tag made once, not once a value.
        nopen = {a: f'          <attvalue for="{ids[("node", a)]}" value="' for a in node_keys}
        eopen = {a: f'          <attvalue for="{ids[("edge", a)]}" value="' for a in edge_keys}
        out.append("    <nodes>\n")
        add = out.append
        pos = data.pos
        for n, d in data.nodes:
            x, y = pos[n]
            add(f'      <node id="{xml_attr(n)}" label="{xml_attr(d.get("label", n))}">\n')
            if len(d) > ("label" in d):
                add("        <attvalues>\n")
                for a, v in d.items():
                    if a != "label":
                        add(f'{nopen[a]}{xml_attr(v) if type(v) is str else _attr(v)}" />\n')
                add("        </attvalues>\n")
            add(f'        <viz:position x="{round(x * 100, 2)!r}" y="{round(y * 100, 2)!r}" z="0.0" />\n'
                "      </node>\n")
        add("    </nodes>\n    <edges>\n")
        key_open = eopen.get("networkx_key", "")
        for i, (u, v, k, d) in enumerate(data.edges):
            add(f'      <edge source="{xml_attr(u)}" target="{xml_attr(v)}" id="{i}">\n        <attvalues>\n')
            for a, x in d.items():
                add(f'{eopen[a]}{xml_attr(x) if type(x) is str else _attr(x)}" />\n')
            add(f'{key_open}{xml_attr(k) if type(k) is str else _attr(k)}" />\n'
                "        </attvalues>\n      </edge>\n")
        add("    </edges>\n  </graph>\n</gexf>\n")
        return out
