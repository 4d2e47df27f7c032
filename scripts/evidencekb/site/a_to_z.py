"""The A-Z lists: every source by its label's first letter (and by scheme), and every author
with their works. Past SPLIT_LIMIT entries a list becomes an index plus a page per letter (in
parts of at most PER_LETTER_PAGE), so no page grows with the base.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from ..model import EvidenceBase
from .common import GeneratedPage, heading, raw, root_of, source_url, title
from .markup import plural
from .templating import render

#: Above this many sources (or authors), the A–Z (or author index) gets a page per letter.
SPLIT_LIMIT = 800
#: At most this many sources or authors on one letter page.
PER_LETTER_PAGE = 400


def _letter_page(uri: str, page_title: str, body: str) -> GeneratedPage:
    """One letter's page of a long A-Z list: left out of search (the entries have their own pages)."""
    return GeneratedPage(uri, page_title, [heading(1, page_title), raw(body, search=False)],
                         {"search": {"exclude": True}})


def _letter(text: str) -> str:
    t = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().strip().upper()
    return t[0] if t and t[0].isalpha() else "#"


def _letter_id(x: str) -> str:
    return f"letter-{x.lower() if x != '#' else 'other'}"


def _letter_sections(letters: list[str], entries) -> list[dict]:
    """One record per letter of an A-Z list; `entries(letter)` gives its entry records."""
    return [{"id": _letter_id(x), "letter": x, "entries": entries(x)} for x in letters]


def _letter_dir(x: str) -> str:
    return x.lower() if x != "#" else "other"


def _letter_pages(by_letter: dict, letters: list[str]) -> list[tuple[str, str, str, list]]:
    """(letter, folder, label, entries) per page: one page a letter, split into parts of
    at most PER_LETTER_PAGE entries, so a letter shared by thousands stays light."""
    out = []
    for x in letters:
        entries = by_letter[x]
        parts = [entries[i : i + PER_LETTER_PAGE] for i in range(0, len(entries), PER_LETTER_PAGE)]
        for i, part in enumerate(parts):
            folder = _letter_dir(x) + ("" if i == 0 else f"-{i + 1}")
            label = x if len(parts) == 1 else f"{x}, part {i + 1} of {len(parts)}"
            out.append((x, folder, label, part))
    return out


# --- sources A–Z --------------------------------------------------------------------------


def _source_item(base: EvidenceBase, analysis, refs, k: str, root: str) -> dict:
    s = base.sources[k]
    n = analysis.sources[k].weight if k in analysis.sources else 0
    return {
        "url": root + source_url(k),
        "label": refs[k].label if k in refs else k,
        "title": s.title,
        "design": title(base, "design", s.design),
        "claims": plural(n, "claim"),
    }


def _scheme_lists(base: EvidenceBase, refs, keys: list[str], root: str) -> list[dict]:
    schemes = defaultdict(list)
    for k in keys:
        for sid in base.sources[k].schemes:
            schemes[sid].append(k)
    vocab = base.vocabularies.get("scheme")
    return [
        {
            "id": sid,
            "title": title(base, "scheme", sid),
            "sources": [
                {"url": root + source_url(k), "text": refs[k].label if k in refs else k} for k in schemes[sid]
            ],
        }
        for sid in (vocab.ids() if vocab else sorted(schemes))
        if sid in schemes
    ]


def render_sources_az(base: EvidenceBase, analysis, refs) -> list[GeneratedPage]:
    """One page, or (above SPLIT_LIMIT sources) an index plus a page per letter."""
    src_uri = "browse/sources/index.md"
    root = root_of(src_uri)
    keys = sorted(base.sources, key=lambda k: refs[k].sort_key if k in refs else ((k,),))
    by_letter: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_letter[_letter(refs[k].label if k in refs else k)].append(k)
    letters = sorted(by_letter, key=lambda x: (x == "#", x))

    pages, parts = [], []
    if len(keys) > SPLIT_LIMIT:
        for _x, folder, label, part in _letter_pages(by_letter, letters):
            uri = f"browse/sources/{folder}/index.md"
            body = render(
                "browse/sources_letter.html",
                count=plural(len(part), "source"),
                sources=[_source_item(base, analysis, refs, k, root_of(uri)) for k in part],
            )
            pages.append(_letter_page(uri, f"Sources: {label}", body))
            parts.append({"folder": folder, "label": label, "count": len(part)})
    sections = (
        []
        if parts
        else _letter_sections(
            letters, lambda x: [_source_item(base, analysis, refs, k, root) for k in by_letter[x]]
        )
    )
    body = render(
        "browse/sources.html",
        root=root,
        count=plural(len(keys), "source"),
        parts=parts,
        letters=sections,
        n_incomplete=sum(1 for s in base.sources.values() if s.incomplete),
    )
    out = [heading(1, "Sources A to Z"), raw(body, search=False)]
    schemes = _scheme_lists(base, refs, keys, root)
    if schemes:
        out += [
            heading(2, "By scheme", "schemes"),
            raw(render("browse/schemes.html", schemes=schemes), search=False),
        ]
    return [GeneratedPage(src_uri, "Sources A to Z", out, {"search": {"exclude": True}}), *pages]


# --- authors ------------------------------------------------------------------------------


def render_authors(base: EvidenceBase, analysis, refs) -> list[GeneratedPage]:
    """One page with every author's works, or (above SPLIT_LIMIT authors) an index of names
    plus a page per letter. Either way browse/authors/#<author-slug> finds the author: on
    the index, site.js follows the name's link to its letter page."""
    src_uri = "browse/authors/index.md"
    root = root_of(src_uri)
    by_letter: dict[str, list] = defaultdict(list)
    for author in analysis.authors.values():
        by_letter[_letter(author.sort_name)].append(author)
    letters = sorted(by_letter, key=lambda x: (x == "#", x))

    def works(authors: list, r: str) -> list[dict]:
        return [
            {
                "slug": au.slug,
                "name": au.name,
                "works": [
                    {"url": r + source_url(k), "text": refs[k].label if k in refs else k} for k in au.sources
                ],
            }
            for au in authors
        ]

    pages, parts = [], []
    if len(analysis.authors) > SPLIT_LIMIT:
        for _x, d, label, part in _letter_pages(by_letter, letters):
            uri = f"browse/authors/{d}/index.md"
            body = render("browse/authors_letter.html", authors=works(part, root_of(uri)))
            pages.append(_letter_page(uri, f"Authors: {label}", body))
            parts.append({"folder": d, "label": label, "count": len(part)})
    sections = [] if parts else _letter_sections(letters, lambda x: works(by_letter[x], root))
    body = render(
        "browse/authors.html",
        root=root,
        count=plural(len(analysis.authors), "author"),
        parts=parts,
        letters=sections,
    )
    return [
        GeneratedPage(
            src_uri,
            "Authors",
            [heading(1, "Authors"), raw(body, search=False)],
            {"search": {"exclude": True}},
        ),
        *pages,
    ]


def author_pages(analysis) -> dict[str, str] | None:
    """author slug -> its letter page (relative to browse/authors/), when the index is split."""
    if len(analysis.authors) <= SPLIT_LIMIT:
        return None
    by_letter: dict[str, list] = defaultdict(list)
    for author in analysis.authors.values():
        by_letter[_letter(author.sort_name)].append(author)
    letters = sorted(by_letter, key=lambda x: (x == "#", x))
    return {au.slug: f"{d}/" for _, d, _, part in _letter_pages(by_letter, letters) for au in part}
