"""Names in Harvard references: which kind of entry a work is, who stands first (authors,
else editors of a whole work), and how they are written ("Buck, G.", "A, B and C", "et al.").

Part of the cite/ Harvard style: names (this module), labels (in-text labels and order),
templates (the parts of a reference) and harvard (the style and its References).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pybtex.style.names import BaseNameStyle
from pybtex.style.template import node

from ..model import Person

ET_AL = "et al."


# --------------------------------------------------------------------------
# Entry kinds: which template an entry type uses.

_KINDS = {
    "article": "article",
    "book": "book", "proceedings": "book", "collection": "book", "mvbook": "book", "booklet": "book",
    "incollection": "chapter", "inproceedings": "chapter", "conference": "chapter", "inbook": "chapter",
    "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
}
# A part of something else: its title is quoted and its editors belong to the container.
PART_KINDS = {"article", "chapter"}


def entry_kind(entry) -> str:
    kind = _KINDS.get(entry.type, "misc")
    if entry.type == "inbook" and not entry.fields.get("booktitle"):
        return "book"  # classic BibTeX inbook: the title is the book's
    return kind


# --------------------------------------------------------------------------
# Names.

def is_others(p) -> bool:
    return p.last_names == ["others"] and not (p.first_names or p.middle_names or p.prelast_names)


def surname(p) -> str:
    return " ".join(p.prelast_names + p.last_names)


def _initials(p) -> str:
    given = " ".join(p.first_names + p.middle_names)
    return _initials_of(given) if given else ""


@lru_cache(maxsize=4096)
def _initials_of(given: str) -> str:
    # "J.M." is one BibTeX token; give each initial its own word first.
    return Person(family="", given=re.sub(r"\.(?=\S)", ". ", given)).initials


class HarvardNameStyle(BaseNameStyle):
    """Surname, Initials. ("van Lenthe, F.J."); an organisation or a lone surname as written."""

    def format(self, person, abbr=True):
        parts = [surname(person)]
        initials = _initials(person)
        if initials:
            parts.append(initials)
        if person.lineage_names:
            parts.append(" ".join(person.lineage_names))
        return ", ".join(parts)


def _named(entry, role) -> list:
    return [p for p in entry.persons.get(role, ()) if not is_others(p)]


def creator_role(entry) -> str:
    """Who stands first: the authors; else (for a whole work) its editors; else '' and the title moves up."""
    if _named(entry, "author"):
        return "author"
    if _named(entry, "editor") and entry_kind(entry) not in PART_KINDS:
        return "editor"
    return ""


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@node
def person_list(children, context, role):
    """All names as the entry has them, "and" before the last; a trailing "and others" prints "et al."."""
    entry, style = context["entry"], context["style"]
    persons = entry.persons.get(role, ())
    named = [style.format_name(p) for p in persons if not is_others(p)]
    if not named:
        return ""
    if is_others(persons[-1]):
        return ", ".join(named) + " " + ET_AL
    return and_list(named)


AUTHORS = person_list(role="author")
EDITORS = person_list(role="editor")


@node
def editor_list(children, context):
    """Editors followed by (ed.) or (eds)."""
    names = EDITORS.format_data(context)
    if not names:
        return ""
    many = len(context["entry"].persons["editor"]) > 1  # "A and others" is more than one editor too
    return names + (" (eds)" if many else " (ed.)")
