"""JSON writers, with orjson (about ten times the standard library's speed) when installed.

Downloads are indented and key-sorted, so a pull request's diff shows only what changed in
the data; the explorer's graph.json is compact, since a browser fetches it."""

from __future__ import annotations

import json
from dataclasses import asdict

from .base import Writer, register

try:
    import orjson
except ImportError:  # a venv made before orjson became a dependency: same text, slower
    orjson = None  # type: ignore[assignment]


def dumps(obj, *, compact: bool = False) -> str:
    if orjson is not None:
        opt = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | (0 if compact else orjson.OPT_INDENT_2)
        return orjson.dumps(obj, option=opt).decode("utf-8") + "\n"
    if compact:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def dataclass_dict(items) -> dict:
    """A mapping of dataclasses as JSON can take it: orjson serialises dataclasses itself."""
    return dict(items) if orjson is not None else {k: asdict(v) for k, v in items.items()}


def dataclass_list(items) -> list:
    return list(items) if orjson is not None else [asdict(v) for v in items]


class JsonWriter(Writer):
    """Writes one attribute of the export data (`source`) as JSON."""

    source = ""
    compact = False
    media_type = "application/json"

    def write_stream(self, data, stream):
        stream.write(dumps(getattr(data, self.source), compact=self.compact))


@register
class NodeLinkJson(JsonWriter):
    name, source = "graph.node-link.json", "node_link"


@register
class CytoscapeJson(JsonWriter):
    name, source = "cytoscape.json", "cytoscape"


@register
class ProfilesJson(JsonWriter):
    name, source = "profiles.json", "profiles"
    reads_analysis = True


@register
class GapsJson(JsonWriter):
    name, source = "gaps.json", "gaps"
    reads_analysis = True


@register
class EvidenceMapJson(JsonWriter):
    name, source = "evidence-map.json", "maps"
    reads_analysis = True


@register
class ExplorerJson(JsonWriter):
    name, source, compact = "graph.json", "site_graph", True
