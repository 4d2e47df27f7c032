"""Ways in: themes, an A–Z of sources, authors, and the filterable table of claims.

These are the pages in the navigation; the thousands of claim and source pages are
reached from here, which keeps every page's navigation small and the build linear.
Lists stay compact (one line per entry) so they stay light as the base grows.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from ..model import EvidenceBase
from ..themes import answer_rank, answers, answers_question
from .common import (
    GeneratedPage,
    claim_heading,
    claim_url,
    description,
    heading,
    level_badge,
    level_rank,
    levels_descending,
    raw,
    root_of,
    source_url,
    sources_cell,
    stance_counts,
    theme_url,
    title,
    titles,
)
from .markup import plural
from .templating import render

#: Above this many claims a theme page lists titles only; the table has the rest.
THEME_DETAIL_LIMIT = 150
#: A theme page lists at most this many claims (strongest first); the table has the rest.
THEME_LIST_LIMIT = 500
#: Rows per page of the claims table; more pages beyond it (browse/claims/2/ ...).
CLAIMS_PER_PAGE = 400
#: Above this many sources (or authors), the A–Z (or author index) gets a page per letter.
SPLIT_LIMIT = 800
#: At most this many sources or authors on one letter page.
PER_LETTER_PAGE = 400


def _letter(text: str) -> str:
    t = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().strip().upper()
    return t[0] if t and t[0].isalpha() else "#"


def _letter_id(x: str) -> str:
    return f"letter-{x.lower() if x != '#' else 'other'}"


def _letter_sections(letters: list[str], entries) -> list[dict]:
    """One record per letter of an A-Z list; `entries(letter)` gives its entry records."""
    return [{"id": _letter_id(x), "letter": x, "entries": entries(x)} for x in letters]


def level_counts(base: EvidenceBase, claims) -> str:
    from collections import Counter

    c = Counter(cl.confidence.level for cl in claims)
    parts = [f"{c[lv]} {title(base, 'level', lv).lower()}" for lv in levels_descending(base) if c.get(lv)]
    return ", ".join(parts)


# --- themes -------------------------------------------------------------------------------


def render_themes_index(base: EvidenceBase) -> GeneratedPage:
    src_uri = "themes/index.md"
    root = root_of(src_uri)
    themes = []
    for term in base.vocabularies["theme"].terms:
        claims = [c for c in base.claims if term.id in c.themes]
        themes.append(
            {
                "id": term.id,
                "url": root + theme_url(term.id),
                "title": term.title,
                "description": term.description,
                "claims": plural(len(claims), "claim"),
                "levels": level_counts(base, claims) if claims else "",
            }
        )
    body = render("browse/themes.html", root=root, themes=themes)
    return GeneratedPage(src_uri, "Themes", [heading(1, "Themes"), raw(body)])


def _claim_item(base, claim, root, profile) -> dict:
    n = profile.n_sources if profile else len({l.source for l in claim.evidence})
    return {
        "url": root + claim_url(claim.id),
        "heading": claim_heading(claim),
        "badge": level_badge(base, claim.confidence.level),
        "statement": claim.statement if claim.summary else "",
        "caveat": claim.confidence.caveat,
        "kind": title(base, "claim_type", claim.claim_type),
        "sources": plural(n, "source"),
        "others": "".join(f" · {x}" for x in stance_counts(profile)[1:]) if profile else "",
    }


def _theme_parts(base: EvidenceBase, theme_id: str, claims: list, analysis, root: str) -> list[dict]:
    """The claims that answer the theme's question (its `x-answers` claim types) first, then the
    background, each by confidence level, at most THEME_LIST_LIMIT in all."""
    types = answers(base, theme_id)
    first = [c for c in claims if answers_question(base, theme_id, c.claim_type)]
    rest = [c for c in claims if not answers_question(base, theme_id, c.claim_type)]
    kinds = ", ".join(title(base, "claim_type", t).lower() for t in types)
    parts = []
    room = THEME_LIST_LIMIT
    for part_id, part_heading, group in (
        ("answers", "Claims that answer this question", first),
        ("background", "Background and other claims", rest),
    ):
        if not group:
            continue
        levels, room = _theme_levels(base, theme_id, group, analysis, root, room, part_id if types else "")
        parts.append(
            {
                "id": part_id,
                "heading": part_heading if types else "",
                "count": len(group),
                "levels": levels,
                "kinds": kinds if part_id == "answers" else "",
            }
        )
    return parts


def _theme_levels(
    base: EvidenceBase, theme_id: str, claims: list, analysis, root: str, room: int, prefix: str
) -> tuple[list[dict], int]:
    """The claims by confidence level, strongest first, and the room left after them."""
    levels = []
    for lv in levels_descending(base):
        group = [c for c in claims if c.confidence.level == lv]
        if not group:
            continue
        shown, room = group[: max(0, room)], room - len(group)
        levels.append(
            {
                "id": f"{prefix}-{lv}" if prefix else lv,
                "title": title(base, "level", lv),
                "count": len(group),
                "description": description(base, "level", lv),
                "claims": [_claim_item(base, c, root, analysis.claims.get(c.id)) for c in shown],
                "more": plural(len(group) - len(shown), "more claim") if len(shown) < len(group) else "",
                "more_url": f"{root}browse/claims/?theme={theme_id}&level={lv}",
            }
        )
    return levels, room


def render_theme(base: EvidenceBase, theme_id: str, analysis) -> GeneratedPage:
    src_uri = f"themes/{theme_id}/index.md"
    root = root_of(src_uri)
    term = base.vocabularies["theme"].get(theme_id)
    claims = [c for c in base.claims if theme_id in c.themes]
    detail = len(claims) <= THEME_DETAIL_LIMIT
    claims.sort(
        key=lambda c: (
            answer_rank(base, theme_id, c.claim_type),
            -level_rank(base, c.confidence.level),
            claim_heading(c).lower(),
        )
    )
    head = render(
        "browse/theme_head.html",
        root=root,
        title=term.title if term else theme_id,
        description=term.description if term else "",
        claims=plural(len(claims), "claim"),
        levels=level_counts(base, claims) if claims else "",
        n_claims=len(claims),
        detail=detail,
        filter_url=root + "browse/claims/?theme=" + theme_id,
        theme_id=theme_id,
    )
    rest = render(
        "browse/theme_claims.html", detail=detail, parts=_theme_parts(base, theme_id, claims, analysis, root)
    )
    return GeneratedPage(
        src_uri, term.title if term else theme_id, [raw(head), raw(rest, search=False)], {"ev_kind": "theme"}
    )


# --- sources A–Z --------------------------------------------------------------------------


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
            pages.append(
                GeneratedPage(
                    uri,
                    f"Sources: {label}",
                    [heading(1, f"Sources: {label}"), raw(body, search=False)],
                    {"search": {"exclude": True}},
                )
            )
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
            pages.append(
                GeneratedPage(
                    uri,
                    f"Authors: {label}",
                    [heading(1, f"Authors: {label}"), raw(body, search=False)],
                    {"search": {"exclude": True}},
                )
            )
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


# --- the claims table ---------------------------------------------------------------------

FILTERS = (  # (data attribute, label, vocabulary)
    ("theme", "Theme", "theme"),
    ("type", "Kind of finding", "claim_type"),
    ("setting", "Setting", "setting"),
    ("level", "Confidence", "level"),
    ("design", "Study design", "design"),
    ("outcome", "Outcome", "outcome"),
)


def claim_facets(base: EvidenceBase, claim) -> dict[str, list[str]]:
    designs = sorted({base.sources[l.source].design for l in claim.evidence if l.source in base.sources})
    return {
        "theme": list(claim.themes),
        "type": [claim.claim_type],
        "setting": list(claim.settings),
        "level": [claim.confidence.level],
        "design": designs,
        "outcome": list(claim.outcomes),
    }


def _filters(base: EvidenceBase, used: dict[str, set]) -> list[dict]:
    """The claims table's select boxes: only the terms some claim uses."""
    out = []
    for attr, label, vocab in FILTERS:
        v = base.vocabularies.get(vocab)
        if v is not None:
            out.append(
                {
                    "attr": attr,
                    "label": label,
                    "options": [
                        {"id": t.id, "title": t.title} for t in v.terms if t.id in used.get(attr, ())
                    ],
                }
            )
    return out


def _claim_row(base: EvidenceBase, analysis, c, root: str) -> dict:
    return {
        "facets": [(k, " ".join(v)) for k, v in claim_facets(base, c).items()],
        "url": root + claim_url(c.id),
        "heading": claim_heading(c),
        "kind": title(base, "claim_type", c.claim_type),
        "themes": "; ".join(titles(base, "theme", c.themes)),
        "badge": level_badge(base, c.confidence.level, suffix=""),
        "sources": sources_cell(analysis.claims.get(c.id)),
    }


def render_claims_table(base: EvidenceBase, analysis) -> list[GeneratedPage]:
    claims = sorted(
        base.claims, key=lambda c: (-level_rank(base, c.confidence.level), claim_heading(c).lower())
    )
    pages = [claims[i : i + CLAIMS_PER_PAGE] for i in range(0, len(claims), CLAIMS_PER_PAGE)] or [[]]
    used: dict[str, set] = defaultdict(set)
    for c in claims:
        for k, vals in claim_facets(base, c).items():
            used[k].update(vals)
    filters = _filters(base, used)
    out = []
    for n, chunk in enumerate(pages, start=1):
        src_uri = "browse/claims/index.md" if n == 1 else f"browse/claims/{n}/index.md"
        root = root_of(src_uri)
        pager = [
            {"n": m, "current": m == n, "url": root + ("browse/claims/" if m == 1 else f"browse/claims/{m}/")}
            for m in range(1, len(pages) + 1)
        ]
        first = (n - 1) * CLAIMS_PER_PAGE + 1
        caption = (
            f"All {len(claims)} claims"
            if len(pages) == 1
            else f"Claims {first} to {first + len(chunk) - 1} of {len(claims)}"
        )
        body = render(
            "browse/claims.html",
            root=root,
            filters=filters,
            count=plural(len(claims), "claim"),
            pages=pager,
            total=len(claims),
            caption=caption,
            rows=[_claim_row(base, analysis, c, root) for c in chunk],
        )
        out.append(
            GeneratedPage(
                src_uri,
                "All claims" if n == 1 else f"All claims, page {n}",
                [heading(1, "All claims"), raw(body, search=False)],
                {"ev_kind": "table", "search": {"exclude": True}, "hide": ["toc"]},
            )
        )
    return out


def author_pages(analysis) -> dict[str, str] | None:
    """author slug -> its letter page (relative to browse/authors/), when the index is split."""
    if len(analysis.authors) <= SPLIT_LIMIT:
        return None
    by_letter: dict[str, list] = defaultdict(list)
    for author in analysis.authors.values():
        by_letter[_letter(author.sort_name)].append(author)
    letters = sorted(by_letter, key=lambda x: (x == "#", x))
    return {au.slug: f"{d}/" for _, d, _, part in _letter_pages(by_letter, letters) for au in part}
