"""Export writers: one small class per file format, found by name in one registry.

Shaped like pybtex's BaseWriter: a writer knows one format and writes it to a stream
(`write_stream`), a file (`write_file`) or a string (`to_string`); `find_writer(name)` returns
the writer for a file name, so adding a format is one class and one `@register`.

Every writer streams: it writes piece by piece to the stream it is given, never building a
second copy of the graph (networkx's GraphML and GEXF writers build an ElementTree of the
whole graph first, at 10,000 claims five times the time of writing the text). Output depends
on the input alone (sorted input, no clock, no library version), so two runs give the same bytes.
The data a writer reads is built once for all of them (evidencekb.export.ExportData).
"""

from __future__ import annotations

from .base import REGISTRY, Writer, register


def find_writer(name: str) -> Writer:
    """The writer for one export file name; KeyError names the known ones."""
    _load()
    try:
        return REGISTRY[name]()
    except KeyError:
        raise KeyError(f"no writer for {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


def names() -> list[str]:
    _load()
    return sorted(REGISTRY)


def _load() -> None:
    from . import graph_xml, jsons, tables  # noqa: F401  (each module registers its writers)


__all__ = ["REGISTRY", "Writer", "find_writer", "names", "register"]
