"""CSV writers. Every cell that a spreadsheet would run as a formula is neutralised, and
every file starts with a UTF-8 byte-order mark so Excel reads it as UTF-8 (issue 15).

Formula neutralisation follows OWASP's CSV-injection advice: a text cell starting with
=, +, -, @, tab or carriage return gets a leading apostrophe, so Excel, LibreOffice and
Google Sheets show it as text; the csv module quotes cells holding commas, quotes, line
feeds or carriage returns (rows end in CRLF, as RFC 4180 has it). Numbers are written as
numbers (a negative x position is data, not a formula).
"""

from __future__ import annotations

import csv
from typing import Iterable, Sequence, TextIO

from .base import Writer, register

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flat(value):
    """Lists joined with '; ', None as empty: what a table cell holds."""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(map(str, value))
    if value is None:
        return ""
    return value


def safe_cell(value):
    if type(value) is str:  # the common case, first
        return "'" + value if value.startswith(FORMULA_START) else value
    value = flat(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[dict], bom: bool = True) -> None:
    if bom:
        stream.write(BOM)
    # Rows end in CRLF (RFC 4180). The csv module quotes a cell only for the characters of
    # its line ending: with "\n" alone, a carriage return inside a cell (a locator from a pull
    # request) went out unquoted, and a spreadsheet starts a new row there.
    w = csv.writer(stream, lineterminator="\r\n")
    w.writerow([safe_cell(c) for c in columns])
    rows = list(rows)
    w.writerows(zip(*[safe_column([row.get(c, "") for row in rows]) for c in columns], strict=True))


_CELL_STARTS = tuple("\x00" + c for c in FORMULA_START)  # in a column joined by NULs
_NUMBERS, _TEXT = {int, float}, {str}


def safe_column(cells: list) -> list:
    """safe_cell of every cell of a column, in bulk for the common columns: numbers alone stay
    as they are; text (lists joined first) is looked at once, joined, for a cell starting as a
    formula, in place of a call a cell (half a million at 10,000 claims). A joining NUL inside
    a cell can only make the column look again, cell by cell."""
    kinds = set(map(type, cells))
    if kinds <= _NUMBERS:
        return cells
    if not kinds <= _TEXT:
        cells = [v if type(v) is str else flat(v) for v in cells]
        if not set(map(type, cells)) <= _TEXT:
            return [safe_cell(v) for v in cells]
    joined = "\x00" + "\x00".join(cells)
    if any(start in joined for start in _CELL_STARTS):  # a substring search runs at memory speed
        return [safe_cell(v) for v in cells]
    return cells


def csv_text(columns: Sequence[str], rows: Iterable[dict], bom: bool = True) -> str:
    import io

    buf = io.StringIO()
    write_csv(buf, columns, rows, bom)
    return buf.getvalue()


NODE_COLUMNS = [
    "id",
    "kind",
    "label",
    "x",
    "y",
    "claim_type",
    "level",
    "method",
    "themes",
    "settings",
    "outcomes",
    "populations",
    "year",
    "design",
    "country",
    "entry_type",
    "incomplete",
    "title",
    "statement",
]
EDGE_COLUMNS = ["source", "target", "key", "kind", "relation", "locator", "via", "source_locator"]


@register
class NodesCsv(Writer):
    name = "nodes.csv"
    media_type = "text/csv"

    def write_stream(self, data, stream):
        pos = data.pos
        write_csv(
            stream, NODE_COLUMNS, ({"id": n, **d, "x": pos[n][0], "y": pos[n][1]} for n, d in data.nodes)
        )


@register
class EdgesCsv(Writer):
    name = "edges.csv"
    media_type = "text/csv"

    def write_stream(self, data, stream):
        write_csv(
            stream, EDGE_COLUMNS, ({"source": u, "target": v, "key": k, **d} for u, v, k, d in data.edges)
        )
