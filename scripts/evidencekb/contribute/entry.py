"""One BibTeX entry in our conventions: the fields and types we keep, a bare DOI, checked
coding fields, a key in our pattern, and the duplicate test (same DOI, or same title and year).

Split from add_source.py, which reads the input, asks, and appends to references.bib.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from ..model import Position, Source
from .common import STOP_WORDS, ContributeError, SchemaInfo, ascii_fold, check_term, check_terms

# Fields we keep: the bibliographic ones our citation style and exports read, and our own
# coding fields. Everything else a reference manager adds (abstract, file, keywords, langid,
# month, issn, annotation...) is dropped: abstracts are the publisher's text, not ours to copy.
KEEP_FIELDS = ("title", "booktitle", "journal", "year", "volume", "number", "pages", "edition", "chapter",
               "series",
               "type", "institution", "organization", "school", "publisher", "address", "howpublished",
               "onlinedate", "urldate", "doi", "url", "isbn", "note", "incomplete", "provenance", "nodoi",
               "design", "country", "setting", "schemes", "citedin")
VERBATIM_FIELDS = frozenset({"url", "doi"})
# Other names for the same thing (biblatex, as Zotero's Better BibTeX writes it).
RENAME = {"journaltitle": "journal", "location": "address", "issue": "number"}
# Entry types kept as they are; the citation style and the exports understand them.
KEEP_TYPES = {"article", "book", "incollection", "techreport", "misc", "phdthesis", "mastersthesis"}
TYPE_MAP = {"inproceedings": "incollection", "conference": "incollection", "inbook": "incollection",
            "report": "techreport", "thesis": "phdthesis", "proceedings": "book", "collection": "book",
            "mvbook": "book", "online": "misc", "www": "misc", "webpage": "misc", "electronic": "misc",
            "booklet": "misc", "manual": "misc", "unpublished": "misc"}
# Our coding fields, the vocabulary each draws on, and whether it is a list; the value a field
# takes when missing is its vocabulary's x-default in the schema (none: left out).
CODING = (("design", "design", False), ("country", "country", False),
          ("setting", "setting", True), ("schemes", "scheme", True))


def _default(info: SchemaInfo, vname: str) -> str | None:
    v = info.vocab.get(vname)
    return v.meta.get("x-default") if v else None
# A key already in our convention: surname (or acronym) + year + first significant title word.
OUR_KEY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:[0-9]{4}|nd)[a-z][a-z0-9]*$")
_DATE = re.compile(r"^([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?")


@dataclass
class NewSource:
    source: Source           # normalised, with the key it will be written under
    given_key: str
    dropped: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def normalise_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))


def _doi_key(doi: str) -> str:
    from ..cite.links import bare_doi

    return bare_doi(doi).lower()


def find_duplicate(src: Source, existing: Mapping[str, Source]) -> tuple[str, str] | None:
    """(key, why) of a work we already hold: same DOI, or same title and year."""
    doi = _doi_key(src.doi)
    title = normalise_title(src.title)
    for key, other in existing.items():
        if doi and _doi_key(other.doi) == doi:
            return key, f"the same DOI ({doi})"
    for key, other in existing.items():
        if title and normalise_title(other.title) == title and other.year.strip() == src.year.strip():
            return key, "the same title and year"
    return None


def _corporate_short(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+",
                                   ascii_fold(name).replace("'s", "")) if w.lower() not in STOP_WORDS]
    if len(words) >= 3:
        return "".join(w[0] for w in words).lower()
    return words[0].lower() if words else ""


def _surname(src: Source) -> str:
    people = [p for p in src.creators if p.family and p.family != "others"]
    if not people:
        return ""
    first = people[0]
    if first.corporate:
        return _corporate_short(first.family)
    return re.sub(r"[^a-z]", "", ascii_fold(first.family).lower())


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", ascii_fold(title).lower().replace("'", ""))
    return [w for w in words if w not in STOP_WORDS and not w.isdigit()] or words


def make_key(src: Source, taken: set[str]) -> str:
    """surname + year + first significant title word; then two title words, then a number, until
    it is free."""
    name = _surname(src) or (_title_words(src.title)[:1] or ["anon"])[0]
    year = src.year if re.fullmatch(r"[0-9]{4}", src.year.strip()) else "nd"
    words = _title_words(src.title) or ["untitled"]
    candidates = [f"{name}{year}{words[0]}"]
    if len(words) > 1:
        candidates.append(f"{name}{year}{words[0]}{words[1]}")
    for c in candidates:
        if c.lower() not in taken:
            return c
    n = 2
    while f"{candidates[0]}{n}".lower() in taken:
        n += 1
    return f"{candidates[0]}{n}"


def _clean_pages(pages: str) -> str:
    return re.sub(r"\s*(?:-+|–|—|‐|‑)\s*", "–", pages.strip())  # en dash: written back as `--`


def normalise_entry(src: Source, info: SchemaInfo) -> NewSource:
    """One reference manager's entry in our conventions: our fields, our types, a bare DOI."""
    notes: list[str] = []
    fields, dropped = _kept_fields(src)
    _clean_links(fields, notes)
    _clean_dates(fields, notes)
    if fields.get("title", "").endswith(".") and not fields["title"].endswith(".."):
        fields["title"] = fields["title"][:-1]
    entry_type = src.entry_type if src.entry_type in KEEP_TYPES else TYPE_MAP.get(src.entry_type, "misc")
    if entry_type != src.entry_type:
        notes.append(f"entry type @{src.entry_type} written as @{entry_type}")
    defaulted = _coding_fields(src, fields, info)
    _refuse_unreadable(src, fields)
    source = Source(key=src.key, entry_type=entry_type, fields=fields, authors=src.authors,
                    editors=src.editors,
                    position=Position("<new>"))
    return NewSource(source, src.key, tuple(sorted(set(dropped))), tuple(defaulted), notes)


def _kept_fields(src: Source) -> tuple[dict[str, str], list[str]]:
    """The fields we keep (renamed to ours, whitespace folded) and the names of those dropped."""
    fields: dict[str, str] = {}
    dropped: list[str] = []
    raw = dict(src.fields)
    for old, new in RENAME.items():
        if old in raw and new not in raw:
            raw[new] = raw.pop(old)
    if "year" not in raw and raw.get("date"):
        m = _DATE.match(raw["date"].strip())
        if m:
            raw["year"] = m.group(1)
    for name, value in raw.items():
        value = " ".join(value.split())
        if name in KEEP_FIELDS and value:
            fields[name] = value
        else:
            dropped.append(name)
    m = re.fullmatch(r"Publisher: (.+)", fields.get("note", ""))
    if m:  # Zotero's "Extra" line for an article's publisher: a field, not a note
        del fields["note"]
        fields.setdefault("publisher", m.group(1).strip())
    if "pages" in fields:
        fields["pages"] = _clean_pages(fields["pages"])
    return fields, dropped


def _clean_links(fields: dict[str, str], notes: list[str]) -> None:
    """A bare DOI; a URL only when http(s) and not the DOI's own link."""
    from ..cite.links import bare_doi, http_url

    if "doi" in fields:
        doi = bare_doi(fields["doi"])
        if doi:
            fields["doi"] = doi
        else:
            notes.append(f"doi {fields['doi']!r} is not a DOI (10.xxxx/...): dropped")
            del fields["doi"]
    if "url" in fields:
        url = fields["url"]
        as_doi = bare_doi(url)
        if as_doi and not fields.get("doi"):
            fields["doi"] = as_doi
        if as_doi and as_doi.lower() == fields.get("doi", "").lower():
            del fields["url"]  # the DOI link says the same, and lasts longer
        elif not http_url(url):
            notes.append(f"url {url!r} is not an http(s) link: dropped")
            del fields["url"]


def _clean_dates(fields: dict[str, str], notes: list[str]) -> None:
    for name in ("urldate", "onlinedate"):
        if name in fields:
            m = re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", fields[name])
            if m:
                fields[name] = m.group(0)
            else:
                notes.append(f"{name} {fields[name]!r} is not a date (YYYY-MM-DD): dropped")
                del fields[name]


def _coding_fields(src: Source, fields: dict[str, str], info: SchemaInfo) -> list[str]:
    """Our coding fields: checked when given, defaulted (and said so) when not; the defaulted names."""
    defaulted = []
    for name, vname, many in CODING:
        default = _default(info, vname)
        if vname not in info.vocab:
            continue
        if name in fields:
            if many:
                fields[name] = ", ".join(check_terms(info.vocab[vname], [fields[name]], f"{src.key}: {name}"))
            else:
                fields[name] = check_term(info.vocab[vname], fields[name], f"{src.key}: {name}")
        elif default is not None:
            fields[name] = default
            defaulted.append(name)
    return defaulted


def _refuse_unreadable(src: Source, fields: dict[str, str]) -> None:
    """LaTeX we cannot read, or no title or year: refused, saying what to write instead."""
    names = [("author", p.family + p.given) for p in src.authors + src.editors]
    for name, value in list(fields.items()) + names:
        if name not in VERBATIM_FIELDS and "\\" in value:
            found = re.search(r"\\[A-Za-z]+|\\.?", value)
            command = found.group() if found else "\\"
            raise ContributeError(f"entry {src.key!r}: {name} holds LaTeX we cannot read ({command}): "
                                  "write it in plain Unicode text")
    if not fields.get("title"):
        raise ContributeError(f"entry {src.key!r} has no title: every source needs one")
    if not fields.get("year"):
        raise ContributeError(f"entry {src.key!r} has no year: add year = {{n.d.}} and an incomplete = "
                              f"{{...}} "
                              "field saying what is missing if the work is undated")
