"""Exports for reference managers: BibTeX, RIS, CSL-JSON and Highwire meta tags.

People take our sources into Zotero, EndNote, Mendeley or a LaTeX document;
each format is written from the Source records (not copied from the .bib), so
every export says the same thing. Output is deterministic: entries sorted by
key, fields in a fixed order. BibTeX keeps our own coding fields (design,
country, setting...) and reads back through our parser to the same fields; the
other formats carry bibliographic fields only.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Iterable, Mapping

from ..model import Person, Source
from .links import bare_doi, http_url, is_pdf_url

# --------------------------------------------------------------------------
# Shared helpers.

_NO_DATE = {"", "n.d.", "n.d", "nd", "no date", "undated", "s.d."}
_PAGE_RANGE = re.compile(r"\s*(?:-+|–|—)\s*")


def _sorted(sources: Mapping[str, Source]) -> list[tuple[str, Source]]:
    return sorted(sources.items(), key=lambda item: item[0])


_BREAKS = re.compile("[ \t\r\n\v\f\x1c-\x1f\x85\u2028\u2029]+")


def _one_line(value: str) -> str:
    """Line breaks of every kind (those str.splitlines and reference managers split at) and
    runs of spaces as one space, so no field starts a line, or a tag, of its own. A no-break
    space is kept: it is meant."""
    return _BREAKS.sub(" ", value).strip()


def _year(source: Source) -> str:
    year = source.get("year").strip()
    return "" if year.casefold() in _NO_DATE else year


def _page_span(pages: str) -> tuple[str, str]:
    """(first, last) page; last is '' for a single page or a list we cannot split."""
    pages = pages.strip()
    if not pages or "," in pages:
        return pages, ""
    parts = _PAGE_RANGE.split(pages, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (pages, "")


def _is_others(p: Person) -> bool:
    return p.family == "others" and not (p.given or p.particle or p.corporate)


def _people(persons: Iterable[Person]) -> list[Person]:
    """Named people only; BibTeX's "and others" has no place in RIS, CSL or meta tags."""
    return [p for p in persons if not _is_others(p)]


def _surname_given(p: Person) -> str:
    """Surname, Given ("van Lenthe, F. J."): the form RIS and Highwire readers split on the comma."""
    if p.corporate or not p.given:
        return " ".join(x for x in (p.particle, p.family) if x)
    surname = " ".join(x for x in (p.particle, p.family) if x)
    return ", ".join(x for x in (surname, p.given, p.suffix) if x)


def _web_url(source: Source) -> str:
    """The url field if it is http(s): a reference manager makes it clickable."""
    return source.url.strip() if http_url(source.url) else ""


def _publisher(source: Source) -> str:
    for name in ("publisher", "institution", "organization", "school"):
        value = source.get(name).strip()
        if value:
            return value
    return ""


# --------------------------------------------------------------------------
# BibTeX.

# Standard fields first, in the order people expect to read them, then our
# coding fields, then anything else alphabetically.
BIBTEX_ORDER = (
    "title", "booktitle", "journal", "year", "month", "volume", "number", "pages", "edition",
    "chapter", "series", "type", "institution", "organization", "school", "publisher", "address",
    "howpublished", "onlinedate", "urldate", "doi", "url", "isbn", "issn", "note",
    "incomplete", "design", "country", "setting", "schemes", "citedin",
)
VERBATIM = {"url", "doi", "eprint", "file"}  # as in parsers.bibtex: not LaTeX, written as they are

# Characters LaTeX would misread, and the commands our parser decodes back to them.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
}
# Pairs latexcodec would turn into one typographic character (`` '' -- ,, ?` !`);
# an empty group keeps them apart, and our parser drops the braces afterwards.
_LIGATURES = re.compile(r"(?<=`)(?=`)|(?<=')(?=')|(?<=-)(?=-)|(?<=,)(?=,)|(?<=[?!])(?=`)")
_LATEX_SPECIAL = re.compile(r"[\\&%#_~]")


def latex_escape(text: str) -> str:
    """Decoded Unicode text back to BibTeX field text that our parser decodes to the same string.

    Unicode stays Unicode (the file is UTF-8). Braces are left out: our parser
    drops them on reading, so no spelling of them would survive the round trip.
    """
    text = _one_line(text).replace("{", "").replace("}", "")
    text = _LATEX_SPECIAL.sub(lambda m: _LATEX_ESCAPES[m.group()], text)
    return _LIGATURES.sub("{}", text)


def _verbatim(text: str) -> str:
    """URLs and DOIs as written; only braces (which would unbalance the entry) percent-encoded."""
    return _one_line(text).replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(p: Person) -> str:
    if p.corporate:
        return "{" + latex_escape(p.family) + "}"
    if _is_others(p):
        return "others"
    family = latex_escape(p.family)
    # A family name of several words, one starting lower-case ("de Souza" kept whole), would be
    # split by BibTeX into von and last parts: protect it.
    if " " in family and any(w[:1].islower() for w in family.split()):
        family = "{" + family + "}"
    surname = " ".join(x for x in (latex_escape(p.particle), family) if x)
    parts = [surname]
    if p.suffix:
        parts.append(latex_escape(p.suffix))
    if p.given or p.suffix or " " in surname:
        # "Reingle Gonzalez, J. M.": the comma keeps both words in the surname
        parts.append(latex_escape(p.given))
    return ", ".join(parts).rstrip()


def _bibtex_names(persons: Iterable[Person]) -> str:
    return " and ".join(_bibtex_name(p) for p in persons)


def _field_order(names: Iterable[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(BIBTEX_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def bibtex_entry(key: str, source: Source) -> str:
    lines = [f"@{source.entry_type}{{{key},"]
    if source.authors:
        lines.append(f"  author = {{{_bibtex_names(source.authors)}}},")
    if source.editors:
        lines.append(f"  editor = {{{_bibtex_names(source.editors)}}},")
    for name in _field_order(source.fields):
        value = source.fields[name]
        text = _verbatim(value) if name in VERBATIM else latex_escape(value)
        lines.append(f"  {name} = {{{text}}},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(sources: Mapping[str, Source]) -> str:
    return "\n".join(bibtex_entry(key, source) for key, source in _sorted(sources))


#: The fields a reference manager expects (BibTeX's own, plus biblatex's doi, url, urldate,
#: isbn, issn, location, date): what a downloaded .bib carries. Curation fields (note,
#: incomplete, design, country, setting, schemes, citedin, provenance, nodoi, onlinedate)
#: stay in references.bib; study facts are in the data files (nodes.csv, graph.json).
STANDARD_BIBTEX = frozenset({
    "title", "booktitle", "journal", "year", "month", "volume", "number", "pages", "edition",
    "chapter", "series", "type", "institution", "organization", "school", "publisher", "address",
    "howpublished", "urldate", "doi", "url", "isbn", "issn", "location", "date", "eprint",
})


def to_clean_bibtex(sources: Mapping[str, Source]) -> str:
    """BibTeX for reference managers: standard fields only, so a reference list prints no curation notes."""
    out = []
    for key, source in _sorted(sources):
        fields = {k: v for k, v in source.fields.items() if k in STANDARD_BIBTEX}
        out.append(bibtex_entry(key, replace(source, fields=fields)))
    return "\n".join(out)


# --------------------------------------------------------------------------
# RIS.

RIS_TYPES = {
    "article": "JOUR", "book": "BOOK", "proceedings": "CONF", "collection": "EDBOOK", "booklet": "PAMP",
    "incollection": "CHAP", "inbook": "CHAP", "inproceedings": "CPAPER", "conference": "CPAPER",
    "techreport": "RPRT", "report": "RPRT", "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES",
    "unpublished": "UNPB", "manual": "GEN", "online": "ELEC", "electronic": "ELEC", "www": "ELEC",
    "webpage": "ELEC",
}


def _ris_type(source: Source) -> str:
    if source.entry_type in RIS_TYPES:
        return RIS_TYPES[source.entry_type]
    return "ELEC" if http_url(source.url) else "GEN"  # misc: on the web, or not


def ris_record(key: str, source: Source) -> str:
    tags: list[tuple[str, str]] = [("TY", _ris_type(source)), ("ID", key)]
    tags += [("AU", _surname_given(p)) for p in _people(source.authors)]
    tags += [("ED", _surname_given(p)) for p in _people(source.editors)]
    tags.append(("TI", source.title))
    container = source.get("journal") or source.get("booktitle")
    tags.append(("T2", container))
    tags.append(("T3", source.get("series")))
    tags.append(("PY", _year(source)))
    tags.append(("VL", source.get("volume")))
    tags.append(("IS", source.get("number") if source.entry_type not in ("techreport", "report") else ""))
    first, last = _page_span(source.get("pages"))
    tags += [("SP", first), ("EP", last)]
    tags.append(("ET", source.get("edition")))
    tags.append(("M3", source.get("type")))
    if source.entry_type in ("techreport", "report"):
        tags.append(("SN", source.get("number")))
    tags.append(("PB", _publisher(source)))
    tags.append(("CY", source.get("address") or source.get("location")))
    tags.append(("DO", bare_doi(source.doi)))
    tags.append(("UR", _web_url(source)))
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if value and value.strip()]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def to_ris(sources: Mapping[str, Source]) -> str:
    return "\n".join(ris_record(key, source) for key, source in _sorted(sources))


# --------------------------------------------------------------------------
# CSL-JSON (what Zotero, Pandoc and citeproc read).

CSL_TYPES = {
    "article": "article-journal", "book": "book", "proceedings": "book", "collection": "book",
    "booklet": "pamphlet", "incollection": "chapter", "inbook": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "techreport": "report", "report": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "unpublished": "manuscript", "manual": "document",
    "online": "webpage", "electronic": "webpage", "www": "webpage", "webpage": "webpage",
}


def _csl_type(source: Source) -> str:
    if source.entry_type in CSL_TYPES:
        return CSL_TYPES[source.entry_type]
    return "webpage" if http_url(source.url) else "document"


def _csl_name(p: Person) -> dict:
    if p.corporate:
        return {"literal": p.family}
    name = {"family": p.family}
    if p.given:
        name["given"] = p.given
    if p.particle:
        name["non-dropping-particle"] = p.particle
    if p.suffix:
        name["suffix"] = p.suffix
    return name


def _csl_date(value: str) -> dict | None:
    """{"date-parts": [[2019, 9, 4]]} from 2019 or 2019-09-04; {"literal": ...} otherwise."""
    value = value.strip()
    if not value or value.casefold() in _NO_DATE:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return {"literal": value}
    return {"date-parts": [[int(x) for x in m.groups() if x]]}


def csl_item(key: str, source: Source) -> dict:
    item: dict = {"id": key, "type": _csl_type(source)}
    if _people(source.authors):
        item["author"] = [_csl_name(p) for p in _people(source.authors)]
    if _people(source.editors):
        item["editor"] = [_csl_name(p) for p in _people(source.editors)]
    report = source.entry_type in ("techreport", "report")
    values = {
        "title": source.title,
        "container-title": source.get("journal") or source.get("booktitle"),
        "collection-title": source.get("series"),
        "volume": source.get("volume"),
        "issue": "" if report else source.get("number"),
        "number": source.get("number") if report else "",
        "page": _PAGE_RANGE.sub("-", source.get("pages")),
        "edition": source.get("edition"),
        "genre": source.get("type"),
        "publisher": _publisher(source),
        "publisher-place": source.get("address") or source.get("location"),
        "DOI": bare_doi(source.doi),
        "URL": _web_url(source),
    }
    for name, value in values.items():
        if value and value.strip():
            item[name] = value.strip()
    issued = _csl_date(source.get("year"))
    if issued:
        item["issued"] = issued
    accessed = _csl_date(source.get("urldate"))
    if accessed:
        item["accessed"] = accessed
    return item


def to_csl_json(sources: Mapping[str, Source]) -> list[dict]:
    return [csl_item(key, source) for key, source in _sorted(sources)]


def csl_json_text(sources: Mapping[str, Source]) -> str:
    return json.dumps(to_csl_json(sources), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# Highwire Press meta tags: what Zotero and Google Scholar read from a page head.

def _slash_date(value: str) -> str:
    """2019-09-04 as 2019/09/04, the form Google Scholar asks for."""
    value = value.strip()
    return value.replace("-", "/") if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value) else ""


def highwire_meta(source: Source) -> list[tuple[str, str]]:
    """(name, content) pairs, content unescaped: the page template must escape it (html.escape)."""
    kind = source.entry_type
    tags: list[tuple[str, str]] = [("citation_title", source.title)]
    tags += [("citation_author", _surname_given(p)) for p in _people(source.authors)]
    year = _year(source)
    if re.fullmatch(r"\d{4}", year):
        tags.append(("citation_publication_date", year))
    tags.append(("citation_online_date", _slash_date(source.get("onlinedate"))))
    if kind == "article":
        tags.append(("citation_journal_title", source.get("journal")))
    if kind in ("incollection", "inbook", "inproceedings", "conference"):
        tags.append(("citation_book_title", source.get("booktitle")))
        tags.append(("citation_inbook_title", source.get("booktitle")))
    tags.append(("citation_volume", source.get("volume")))
    if kind in ("techreport", "report"):
        tags.append(("citation_technical_report_institution", source.get("institution")))
        tags.append(("citation_technical_report_number", source.get("number")))
    else:
        tags.append(("citation_issue", source.get("number")))
    if kind in ("phdthesis", "mastersthesis", "thesis"):
        tags.append(("citation_dissertation_institution", source.get("school") or source.get("institution")))
    first, last = _page_span(source.get("pages"))
    tags += [("citation_firstpage", first), ("citation_lastpage", last)]
    tags.append(("citation_publisher", source.get("publisher") or source.get("organization")))
    tags.append(("citation_doi", bare_doi(source.doi)))
    url = http_url(source.url)
    if url:
        if is_pdf_url(source.url):
            tags.append(("citation_pdf_url", url))
        else:
            tags.append(("citation_abstract_html_url", url))
        tags.append(("citation_public_url", url))
    return [(name, _one_line(value)) for name, value in tags if value and value.strip()]


def highwire_html(source: Source) -> str:
    """The meta tags as HTML for a page head, every value escaped."""
    import html

    return "".join(
        f'<meta name="{name}" content="{html.escape(content)}">\n' for name, content in highwire_meta(source)
    )
