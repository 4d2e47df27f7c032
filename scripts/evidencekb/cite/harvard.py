"""Harvard references in the Cite Them Right convention (12th edn), as a pybtex style.

UK commissioners, funders and universities expect author-date Harvard, and
pybtex ships only numeric and alpha styles, so this is one written from
pybtex's own parts: a BaseStyle whose templates use pybtex.style.template, a
name style ("Buck, G."), a label style (author-date labels with 2019a/2019b
letters decided across the whole bibliography) and a sorting style (reference
list order). Output goes through pybtex's plain-text and HTML backends.

Entries are rebuilt from Source records rather than by re-reading the .bib:
our fields are already decoded Unicode with braces dropped, and pybtex's LaTeX
reading would wrap brace groups in `bibtex-protected` spans and print `\\url`
literally. So every field is taken raw (never parsed as LaTeX) and the HTML
backend below escapes each piece of text exactly once, link targets included.
Links are made only for http(s) URLs and DOIs (see links.py).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Mapping

from pybtex.backends import html as pybtex_html
from pybtex.backends import plaintext as pybtex_plaintext
from pybtex.database import Entry
from pybtex.database import Person as PybtexPerson
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.names import BaseNameStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, node, optional, tag

from ..model import Person, Source
from .links import DOI_RESOLVER, bare_doi, doi_url, http_url

NO_DATE = "n.d."
ET_AL = "et al."
# In-text labels list at most three surnames; more become "First et al.".
MAX_LABEL_NAMES = 3


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    label: str  # narrative in-text citation: "Buck (2019a)"
    parenthetical: str  # "(Buck, 2019a)"
    text: str  # plain text, as pasted into a report
    html: str  # escaped HTML: titles in <i>, DOIs and http(s) URLs as <a>
    sort_key: tuple  # (in-text names, year, letter, title, key): reference-list order


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
_PART_KINDS = {"article", "chapter"}


def _kind(entry) -> str:
    kind = _KINDS.get(entry.type, "misc")
    if entry.type == "inbook" and not entry.fields.get("booktitle"):
        return "book"  # classic BibTeX inbook: the title is the book's
    return kind


# --------------------------------------------------------------------------
# Names.

def _is_others(p) -> bool:
    return p.last_names == ["others"] and not (p.first_names or p.middle_names or p.prelast_names)


def _surname(p) -> str:
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
        parts = [_surname(person)]
        initials = _initials(person)
        if initials:
            parts.append(initials)
        if person.lineage_names:
            parts.append(" ".join(person.lineage_names))
        return ", ".join(parts)


def _named(entry, role) -> list:
    return [p for p in entry.persons.get(role, ()) if not _is_others(p)]


def _creator_role(entry) -> str:
    """Who stands first: the authors; else (for a whole work) its editors; else '' and the title moves up."""
    if _named(entry, "author"):
        return "author"
    if _named(entry, "editor") and _kind(entry) not in _PART_KINDS:
        return "editor"
    return ""


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@node
def person_list(children, context, role):
    """All names as the entry has them, "and" before the last; a trailing "and others" prints "et al."."""
    entry, style = context["entry"], context["style"]
    persons = entry.persons.get(role, ())
    named = [style.format_name(p) for p in persons if not _is_others(p)]
    if not named:
        return ""
    if _is_others(persons[-1]):
        return ", ".join(named) + " " + ET_AL
    return _and_list(named)


_AUTHORS = person_list(role="author")
_EDITORS = person_list(role="editor")


@node
def editor_list(children, context):
    """Editors followed by (ed.) or (eds)."""
    names = _EDITORS.format_data(context)
    if not names:
        return ""
    many = len(context["entry"].persons["editor"]) > 1  # "A and others" is more than one editor too
    return names + (" (eds)" if many else " (ed.)")


# --------------------------------------------------------------------------
# Titles.

def _title(entry) -> str:
    return entry.fields.get("title", "").strip() or "[Untitled]"


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
        opens = before.isspace() or before in _OPENS_AFTER
        closes = after.isspace() or after in _CLOSES_BEFORE
        if opened is None and ch in "'‘" and opens and not after.isspace():
            opened = i
        elif opened is not None and ch in "'’" and not before.isspace() and closes:
            curly = title[opened] == "‘"
            out[opened], out[i] = ("“", "”") if curly else ('"', '"')
            opened = None
    return "".join(out)


def _styled_title(entry):
    title = _title(entry)
    if _is_description(title):
        return title
    if _kind(entry) in _PART_KINDS:
        return "'" + _nest_quotes(title) + "'"
    return Tag("i", title)


@node
def own_title(children, context):
    """The title in its place, unless it has moved up to stand in for the author."""
    if not _creator_role(context["entry"]):
        return ""
    return _styled_title(context["entry"])


# --------------------------------------------------------------------------
# Dates and suffix letters.

_NO_DATE_WORDS = {"", "n.d.", "n.d", "nd", "no date", "undated", "s.d."}


def _year(entry) -> str:
    year = entry.fields.get("year", "").strip()
    if not year:  # biblatex writes a date instead
        year = entry.fields.get("date", "").strip()[:4]
    return NO_DATE if year.casefold() in _NO_DATE_WORDS else year


def _year_key(year: str) -> tuple:
    """Undated works first (they are treated as the oldest), then by year."""
    if year == NO_DATE:
        return (0, 0, "")
    m = re.match(r"\d+", year)
    return (1, int(m.group()), year) if m else (2, 0, year)


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _title_key(title: str) -> str:
    t = re.sub(r"^\W+", "", _fold(title))
    return re.sub(r"^(?:the|a|an)\s+", "", t)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _long_date(value: str) -> str:
    """ISO 2021-06-01 as "1 June 2021"; anything else as written."""
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        return value.strip()
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True, slots=True)
class HarvardLabel:
    """What the in-text citation says, and where the entry sorts."""

    names: str  # "Buck", "Buck and Tomczak", "Lenkens et al.", or the title when there is no creator
    year: str  # "2019" or "n.d."
    by_title: bool
    names_key: tuple
    title_key: str
    key: str
    suffix: str = ""

    @property
    def year_text(self) -> str:
        if not self.suffix:
            return self.year
        return f"{self.year}-{self.suffix}" if self.year == NO_DATE else self.year + self.suffix

    @property
    def narrative(self) -> str:
        return f"{self.names} ({self.year_text})"

    @property
    def parenthetical(self) -> str:
        return f"({self.names}, {self.year_text})"

    @property
    def sort_key(self) -> tuple:
        return (self.names_key, _year_key(self.year), self.suffix, self.title_key, self.key)


def base_label(entry) -> HarvardLabel:
    """The label before letters: names by the in-text rule (1, 2, 3 names; 4+ or "and others": et al.).

    Kept on the entry: sorting and labelling both ask for it.
    """
    cached = entry.__dict__.get("_harvard_label")
    if cached is None:
        cached = entry.__dict__["_harvard_label"] = _base_label(entry)
    return cached


def _base_label(entry) -> HarvardLabel:
    title = _title(entry)
    role = _creator_role(entry)
    if role:
        persons = entry.persons[role]
        surnames = [_surname(p) for p in persons if not _is_others(p)]
        if _is_others(persons[-1]) or len(surnames) > MAX_LABEL_NAMES:
            names = f"{surnames[0]} {ET_AL}"
            names_key = (_fold(surnames[0]), "\U0010ffff")  # after every named co-author list
        else:
            names = _and_list(surnames)
            names_key = tuple(_fold(s) for s in surnames)  # type: ignore[assignment]
    else:
        names, names_key = title, (_title_key(title),)  # type: ignore[assignment]
    return HarvardLabel(names=names, year=_year(entry), by_title=not role, names_key=names_key,
                        title_key=_title_key(title), key=entry.key)


class HarvardLabelStyle(BaseLabelStyle):
    """Author-date labels; the same names and year twice or more get a, b, c... in title order."""

    def format_labels(self, sorted_entries):
        labels = [base_label(e) for e in sorted_entries]
        groups = defaultdict(list)
        for i, label in enumerate(labels):
            groups[(label.names.casefold(), label.year)].append(i)
        for members in groups.values():
            if len(members) > 1:
                members.sort(key=lambda i: (labels[i].title_key, labels[i].key))
                for n, i in enumerate(members):
                    old = labels[i]
                    labels[i] = HarvardLabel(old.names, old.year, old.by_title, old.names_key,
                                             old.title_key, old.key, _letters(n))
        return labels


class HarvardSortingStyle(BaseSortingStyle):
    """Reference-list order: by in-text names, then year, then title (which is also letter order)."""

    def sorting_key(self, entry):
        label = base_label(entry)
        return (label.names_key, _year_key(label.year), label.title_key, label.key)


# --------------------------------------------------------------------------
# Other parts of a reference.

@node
def head(children, context):
    """Author(s) or editors or, failing both, the title; then the year in round brackets."""
    entry = context["entry"]
    role = _creator_role(entry)
    if role == "author":
        who = _AUTHORS.format_data(context)
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

_TEMPLATES = {
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


class HarvardStyle(BaseStyle):
    default_name_style = HarvardNameStyle
    default_label_style = HarvardLabelStyle
    default_sorting_style = HarvardSortingStyle

    def format_entry(self, label, entry, bib_data=None):
        context = {"entry": entry, "style": self, "bib_data": bib_data, "label": label}
        blocks = [block for block in (part.format_data(context) for part in _TEMPLATES[_kind(entry)])
                  if block]
        link = online.format_data(context)
        if link:
            blocks.append(link)  # no full stop before it, even after a bare "Title (2020)"
        elif not str(blocks[-1]).endswith((".", "?", "!")):
            blocks[-1] = Text(blocks[-1], ".")
        text = Text(*(piece for i, block in enumerate(blocks) for piece in ((" ", block) if i else (block,))))
        return FormattedEntry(entry.key, text, label)


class HtmlBackend(pybtex_html.Backend):
    """pybtex's HTML backend, but quotes escaped too and link targets escaped (pybtex leaves them raw)."""

    def format_str(self, text):
        return html.escape(text)

    def format_protected(self, text):
        return text  # our fields carry no brace groups to protect

    def format_href(self, url, text, external=False):
        return f'<a href="{html.escape(url)}">{text}</a>' if text else ""


@lru_cache(maxsize=1)
def _machinery():
    return HarvardStyle(), pybtex_plaintext.Backend(), HtmlBackend()


# --------------------------------------------------------------------------
# From Source records to pybtex entries, and back out as References.

class _Name(PybtexPerson):
    """A pybtex Person from parts already split by our parser.

    pybtex's own constructor re-splits every part as TeX; ours are decoded text,
    and the family stays one token, so an organisation is never split.
    """

    def __init__(self, p: Person):  # noqa: D107 (pybtex's __init__ deliberately not called)
        self.first_names = p.given.split()
        self.middle_names: list[str] = []
        self.prelast_names = p.particle.split()
        self.last_names = [p.family] if p.family else []
        self.lineage_names = p.suffix.split()


# The fields the templates read; the rest (notes, coding fields) would only be copied.
STYLE_FIELDS = ("title", "year", "date", "journal", "volume", "number", "issue", "pages", "booktitle",
                "edition",
                "type", "publisher", "organization", "institution", "school", "address", "location",
                "howpublished", "doi", "url", "urldate")


def to_entry(key: str, source: Source) -> Entry:
    persons = {}
    if source.authors:
        persons["author"] = [_Name(p) for p in source.authors]
    if source.editors:
        persons["editor"] = [_Name(p) for p in source.editors]
    fields = source.fields
    entry = Entry(source.entry_type, fields={f: fields[f] for f in STYLE_FIELDS if f in fields},
                  persons=persons)
    entry.key = key
    return entry


def _reference(formatted: FormattedEntry) -> Reference:
    _, plain, html_ = _machinery()
    label: HarvardLabel = formatted.label
    return Reference(
        key=formatted.key,
        label=label.narrative,
        parenthetical=label.parenthetical,
        text=formatted.text.render(plain),
        html=formatted.text.render(html_),
        sort_key=label.sort_key,
    )


def format_bibliography(sources: Mapping[str, Source]) -> dict[str, Reference]:
    """Every source as a Reference, in reference-list order; letters are decided across all of them."""
    style = _machinery()[0]
    entries = [to_entry(key, source) for key, source in sources.items()]
    return {fe.key: _reference(fe) for fe in style.format_entries(entries)}


def format_reference(source: Source, bibliography: Mapping[str, Source] | None = None) -> Reference:
    """One Reference; `bibliography` (all sources) decides its 2019a/2019b letter.

    For many sources call format_bibliography once instead: this relabels the whole bibliography each time.
    """
    style = _machinery()[0]
    others = {k: s for k, s in (bibliography or {}).items() if k != source.key}
    entry = to_entry(source.key, source)
    entries = [entry] + [to_entry(k, s) for k, s in others.items()]
    label = style.format_labels(entries)[0]
    return _reference(style.format_entry(label, entry))
