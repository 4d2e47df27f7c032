"""Harvard references in the Cite Them Right convention (12th edn), as a pybtex style.

UK commissioners, funders and universities expect author-date Harvard, and
pybtex ships only numeric and alpha styles, so this is one written from
pybtex's own parts: a BaseStyle whose templates use pybtex.style.template
(templates.py), a name style ("Buck, G."; names.py), a label style (author-date
labels with 2019a/2019b letters decided across the whole bibliography) and a
sorting style (reference list order; both labels.py). Output goes through
pybtex's plain-text and HTML backends.

Entries are rebuilt from Source records rather than by re-reading the .bib:
our fields are already decoded Unicode with braces dropped, and pybtex's LaTeX
reading would wrap brace groups in `bibtex-protected` spans and print `\\url`
literally. So every field is taken raw (never parsed as LaTeX) and the HTML
backend below escapes each piece of text exactly once, link targets included.
Links are made only for http(s) URLs and DOIs (see links.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Mapping

from pybtex.backends import html as pybtex_html
from pybtex.backends import plaintext as pybtex_plaintext
from pybtex.database import Entry
from pybtex.database import Person as PybtexPerson
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from ..model import Person, Source
from .labels import NO_DATE, HarvardLabel, HarvardLabelStyle, HarvardSortingStyle
from .names import ET_AL, HarvardNameStyle, entry_kind
from .templates import TEMPLATES, online

__all__ = [
    "ET_AL",
    "NO_DATE",
    "HarvardStyle",
    "HtmlBackend",
    "Reference",
    "format_bibliography",
    "format_reference",
    "harvard_labels",
    "in_text_labels",
    "to_entry",
]


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    label: str  # narrative in-text citation: "Buck (2019a)"
    parenthetical: str  # "(Buck, 2019a)"
    text: str  # plain text, as pasted into a report
    html: str  # escaped HTML: titles in <i>, DOIs and http(s) URLs as <a>
    sort_key: tuple  # (in-text names, year, letter, title, key): reference-list order


class HarvardStyle(BaseStyle):
    default_name_style = HarvardNameStyle
    default_label_style = HarvardLabelStyle
    default_sorting_style = HarvardSortingStyle

    def format_entry(self, label, entry, bib_data=None):
        context = {"entry": entry, "style": self, "bib_data": bib_data, "label": label}
        blocks = [
            block for block in (part.format_data(context) for part in TEMPLATES[entry_kind(entry)]) if block
        ]
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
STYLE_FIELDS = (
    "title",
    "year",
    "date",
    "journal",
    "volume",
    "number",
    "issue",
    "pages",
    "booktitle",
    "edition",
    "type",
    "publisher",
    "organization",
    "institution",
    "school",
    "address",
    "location",
    "howpublished",
    "doi",
    "url",
    "urldate",
)


def to_entry(key: str, source: Source) -> Entry:
    persons = {}
    if source.authors:
        persons["author"] = [_Name(p) for p in source.authors]
    if source.editors:
        persons["editor"] = [_Name(p) for p in source.editors]
    fields = source.fields
    entry = Entry(
        source.entry_type, fields={f: fields[f] for f in STYLE_FIELDS if f in fields}, persons=persons
    )
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


def _cached(kind: str, sources: Mapping[str, Source], compute, record: type | None = None):
    """compute(sources), or its answer from the check cache (evidencekb.cache) when these very
    sources (every field, name and key, in order) were formatted before by this code: at
    10,000 claims pybtex's formatting is seconds of an unchanged base's rebuild. The answer
    is kept as plain values (marshal): `record`, the class of its values, is rebuilt from
    their fields in order (5,000 pickled references took 0.2 s to read back)."""
    from pathlib import Path

    from ..cache import Pack, cache_dir

    if cache_dir() is None:
        return compute(sources)
    pack = Pack(kind, Path(kind), plain=True)
    key = pack.key(kind, repr(list(sources.items())).encode("utf-8", "surrogateescape"))
    found = pack.get(key)
    names = [f.name for f in fields(record)] if record is not None else None
    if found is None:
        answer = compute(sources)
        pack.put(key, [(k, v if names is None else tuple([getattr(v, n) for n in names]))
                       for k, v in answer.items()])
    else:
        answer = {k: v if record is None else record(*v) for k, v in found}
    pack.save()
    return answer


def format_bibliography(sources: Mapping[str, Source]) -> dict[str, Reference]:
    """Every source as a Reference, in reference-list order; letters are decided across all of them."""
    return _cached("harvard-references", sources, _format_bibliography, Reference)


def _format_bibliography(sources: Mapping[str, Source]) -> dict[str, Reference]:
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


def harvard_labels(sources: Mapping[str, Source]) -> dict[str, str]:
    """key -> narrative label ("Buck (2021b)") for every source, letters decided across all of
    them, without formatting whole references: the one name a source goes by on graph nodes,
    tables and pages that need no reference list."""
    return in_text_labels(sources)[0]


def in_text_labels(sources: Mapping[str, Source]) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(harvard_labels, key -> (names, year) as cite.intext renders `[@key]` with): all that
    `evidence graph` needs of the bibliography, a third of the time of formatting it whole."""
    parts = _cached("harvard-labels", sources, _harvard_label_parts)
    return ({key: narrative for key, (narrative, _n, _y) in parts.items()},
            {key: (names, year) for key, (_l, names, year) in parts.items()})


def _harvard_label_parts(sources: Mapping[str, Source]) -> dict[str, tuple[str, str, str]]:
    style = _machinery()[0]
    entries = [to_entry(key, source) for key, source in sources.items()]
    sorted_entries = style.sort(entries)
    return {label.key: (label.narrative, label.names, label.year_text)
            for label in style.format_labels(sorted_entries)}
