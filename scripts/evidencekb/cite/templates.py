"""The parts of a Harvard reference (Cite Them Right, 12th edn) as pybtex template nodes,
and one template per kind of entry: head (who and when), titles, container, edition,
publisher, pages and the "Available at:" link.
"""

from __future__ import annotations

import re
from datetime import date

from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style.template import field, node, optional, tag

from .labels import entry_title
from .links import DOI_RESOLVER, bare_doi, doi_url, http_url
from .names import AUTHORS, PART_KINDS, creator_role, editor_list, entry_kind


def _is_description(title: str) -> bool:
    """A description we supplied in square brackets, not a real title: never italic or quoted."""
    return title.startswith("[") and title.endswith("]")


_OPENS_AFTER = set("([{\"“—–-/")
_CLOSES_BEFORE = set(".,:;?!)]}\"”—–")


def _nest_quotes(title: str) -> str:
    """Quotation marks inside a title in single quotes become double, as British style nests them.

    Only a matched opening/closing pair changes; apostrophes (It's, prisoners') stay.
    """
    if "'" not in title and "‘" not in title:
        return title
    out = list(title)
    opened = None
    for i, ch in enumerate(title):
        if ch not in "'‘’":
            continue
        before = title[i - 1] if i else " "
        after = title[i + 1] if i + 1 < len(title) else " "
        if opened is None and ch in "'‘" and (before.isspace() or before in _OPENS_AFTER) and not after.isspace():
            opened = i
        elif opened is not None and ch in "'’" and not before.isspace() and (after.isspace() or after in _CLOSES_BEFORE):
            curly = title[opened] == "‘"
            out[opened], out[i] = ("“", "”") if curly else ('"', '"')
            opened = None
    return "".join(out)


def _styled_title(entry):
    title = entry_title(entry)
    if _is_description(title):
        return title
    if entry_kind(entry) in PART_KINDS:
        return "'" + _nest_quotes(title) + "'"
    return Tag("i", title)


@node
def own_title(children, context):
    """The title in its place, unless it has moved up to stand in for the author."""
    if not creator_role(context["entry"]):
        return ""
    return _styled_title(context["entry"])


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _long_date(value: str) -> str:
    """ISO 2021-06-01 as "1 June 2021"; anything else as written."""
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        return value.strip()
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --------------------------------------------------------------------------
# Other parts of a reference.

@node
def head(children, context):
    """Author(s) or editors or, failing both, the title; then the year in round brackets."""
    entry = context["entry"]
    role = creator_role(entry)
    if role == "author":
        who = AUTHORS.format_data(context)
    elif role == "editor":
        who = editor_list.format_data(context)
    else:
        who = _styled_title(entry)
    year = " (" + context["label"].year_text + ")"
    return who + year if isinstance(who, str) else Text(who, year)


def _plain_number(value: str) -> str:
    value = value.strip()
    return value.lstrip("0") or "0" if value.isdigit() else value


@node
def volume_issue(children, context):
    """18(2); an issue alone as (214)."""
    fields = context["entry"].fields
    volume = _plain_number(fields.get("volume", ""))
    issue = _plain_number(fields.get("number", "") or fields.get("issue", ""))
    if volume and issue:
        return f"{volume}({issue})"
    if issue:
        return f"({issue})"
    return volume


_RANGE = re.compile(r"\s*(?:-+|–|—)\s*")


@node
def pages(children, context):
    """p. 9 for one page, pp. 190–206 (en dash) for a range or a list."""
    value = context["entry"].fields.get("pages", "").strip()
    if not value:
        return ""
    value = _RANGE.sub("–", value)
    prefix = "pp." if ("–" in value or "," in value) else "p."
    return f"{prefix} {value}"


@node
def place_publisher(children, context, *names):
    """Place: Publisher, from the first of `names` that is set."""
    fields = context["entry"].fields
    publisher = next((fields[n].strip() for n in names if fields.get(n, "").strip()), "")
    place = (fields.get("address", "") or fields.get("location", "")).strip()
    return ": ".join(part for part in (place, publisher) if part)


_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


@node
def edition(children, context):
    """2nd edn; a first edition is not mentioned."""
    value = context["entry"].fields.get("edition", "").strip()
    if not value or value.casefold() in ("1", "1st", "first"):
        return ""
    if value.isdigit():
        n = int(value)
        suffix = "th" if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, "th")
        return f"{n}{suffix} edn"
    if re.search(r"\bedn?\b|edition", value, re.I):
        return value
    return f"{value} edn"


@node
def report_number(children, context):
    """Report type and number, only when there is a number to give."""
    fields = context["entry"].fields
    number = fields.get("number", "").strip()
    if not number:
        return ""
    return (fields.get("type", "").strip() or "Report") + " " + number


_DEGREES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}


@node
def degree(children, context):
    entry = context["entry"]
    return entry.fields.get("type", "").strip() or _DEGREES.get(entry.type, "Thesis")


@node
def container(children, context):
    """in Editor, A. and Editor, B. (eds) *Book title*."""
    entry = context["entry"]
    book = entry.fields.get("booktitle", "").strip()
    editors = editor_list.format_data(context)
    if not book:
        return "in " + editors if editors else ""
    return Text("in ", editors, " " if editors else "", Tag("i", book))


@node
def online(children, context):
    """Available at: the DOI (preferred) or URL; only http(s) and DOIs become links.

    No full stop after a bare DOI or URL (it would be copied as part of it);
    one after "(Accessed: ...)", as Cite Them Right shows.
    """
    fields = context["entry"].fields
    doi = bare_doi(fields.get("doi", ""))
    if doi:
        return Text("Available at: ", HRef(doi_url(doi), DOI_RESOLVER + doi))
    url = fields.get("url", "").strip()
    if not url:
        return Text()
    href = http_url(url)
    accessed = fields.get("urldate", "").strip()
    after = f" (Accessed: {_long_date(accessed)})." if accessed else ""
    if not href:
        return "Available at: " + url + after
    return Text("Available at: ", HRef(href, url), after)


def _format(child, context):
    return child.format_data(context) if hasattr(child, "format_data") else child


def _plain(part):
    """The part as a str if it carries no markup (no italics, no link); else None."""
    if isinstance(part, str):
        return part
    if type(part) is Text and all(type(p) is String for p in part.parts):
        return str(part)
    return None


@node
def clause(children, context, sep=", "):
    """Like pybtex's `sentence`: parts joined by sep, then a full stop unless one ends them.

    `sentence` builds rich text three times over, and rich text was most of the
    time; here plain parts are joined as strings and marked-up ones become a
    single Text. 5,000 references must format in well under 2 s.
    """
    parts = [part for part in (_format(child, context) for child in children) if part]
    if not parts:
        return ""
    plain = [_plain(part) for part in parts]
    if None not in plain:
        text = sep.join(plain)
        return text if text[-1] in ".?!" else text + "."
    pieces = [piece for i, part in enumerate(parts) for piece in ((sep, part) if i else (part,))]
    if not str(parts[-1]).endswith((".", "?", "!")):
        pieces.append(".")
    return Text(*pieces)


# --------------------------------------------------------------------------
# Templates, one per kind: the blocks of a reference up to "Available at:",
# joined by spaces in format_entry. Each `clause` ends with a full stop unless
# its text already ends in . ? or !.

TEMPLATES = {
    "article": (
        head,
        clause[own_title, optional[tag("i")[field("journal", raw=True)]], volume_issue, pages],
    ),
    "book": (head, clause[own_title], clause[edition], clause[place_publisher("publisher")]),
    "chapter": (
        head,
        clause[own_title, container],
        clause[edition],
        clause[place_publisher("publisher", "organization"), pages],
    ),
    "report": (
        head, clause[own_title], clause[report_number],
        clause[place_publisher("institution", "publisher", "organization")],
    ),
    "thesis": (head, clause[own_title], clause[degree], clause[place_publisher("school", "institution")]),
    "misc": (
        head, clause[own_title], clause[optional[field("howpublished", raw=True)]],
        clause[place_publisher("publisher", "organization", "institution")],
    ),
}
