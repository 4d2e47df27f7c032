"""Ways in: themes, an A–Z of sources, authors, and the filterable table of claims.

These are the pages in the navigation; the thousands of claim and source pages are
reached from here, which keeps every page's navigation small and the build linear.
Lists stay compact (one line per entry) so they stay light as the base grows.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from ..model import EvidenceBase
from .common import (GeneratedPage, raw, badge, sources_cell, stance_counts, claim_heading, claim_url, description, level_rank, levels_descending, root_of, source_url,
                     theme_url, title, titles)
from .markup import a, e, ids, plural

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


def _letter_nav(letters: list[str], what: str) -> str:
    links = " ".join(a(f"#letter-{x.lower() if x != '#' else 'other'}", x) for x in letters)
    return f'<nav class="ev-az" aria-label="{e(what)} by letter">{links}</nav>'


def _letter_id(x: str) -> str:
    return f"letter-{x.lower() if x != '#' else 'other'}"


def level_counts(base: EvidenceBase, claims) -> str:
    from collections import Counter

    c = Counter(cl.confidence.level for cl in claims)
    parts = [f"{c[lv]} {title(base, 'level', lv).lower()}" for lv in levels_descending(base) if c.get(lv)]
    return ", ".join(parts)


# --- themes -------------------------------------------------------------------------------

def render_themes_index(base: EvidenceBase) -> GeneratedPage:
    src_uri = "themes/index.md"
    root = root_of(src_uri)
    items = []
    for term in base.vocabularies["theme"].terms:
        claims = [c for c in base.claims if term.id in c.themes]
        items.append(
            f'<li class="ev-card"><h2 class="ev-card__title" id="{e(term.id)}">{a(root + theme_url(term.id), term.title)}</h2>'
            f'<p>{e(term.description)}</p>'
            f'<p class="ev-muted">{e(plural(len(claims), "claim"))}'
            + (f": {e(level_counts(base, claims))} confidence" if claims else "") + "</p></li>"
        )
    body = ("<div>\n<p>Each theme gathers the findings a reader would look for together. "
            f'For every claim across themes, see {a(root + "browse/claims/", "all claims")}; for where the evidence '
            f'is thin, the {a(root + "map/", "evidence map")}.</p>\n'
            f'<ul class="ev-cards">{"".join(items)}</ul>\n</div>')
    return GeneratedPage(src_uri, "Themes", ["# Themes", raw(body)])


def _claim_item(base, claim, root, profile, detail: bool) -> str:
    head = a(root + claim_url(claim.id), claim_heading(claim))
    if not detail:
        return f"<li>{head} {badge(base, claim.confidence.level, small=True)}</li>"
    stmt = f'<p class="ev-item__statement">{e(claim.statement)}</p>' if claim.summary else ""
    caveat = f'<p class="ev-item__caveat"><strong>Caveat:</strong> {e(claim.confidence.caveat)}</p>' if claim.confidence.caveat else ""
    n = profile.n_sources if profile else len({l.source for l in claim.evidence})
    others = "".join(f" · {x}" for x in stance_counts(profile)[1:]) if profile else ""
    return (f'<li class="ev-item"><p class="ev-item__head">{head} {badge(base, claim.confidence.level, small=True)}</p>'
            f'{stmt}{caveat}<p class="ev-muted">{e(title(base, "claim_type", claim.claim_type))} · {e(plural(n, "source"))}'
            f'{e(others)}</p></li>')


def render_theme(base: EvidenceBase, theme_id: str, analysis) -> GeneratedPage:
    src_uri = f"themes/{theme_id}/index.md"
    root = root_of(src_uri)
    term = base.vocabularies["theme"].get(theme_id)
    claims = [c for c in base.claims if theme_id in c.themes]
    detail = len(claims) <= THEME_DETAIL_LIMIT
    claims.sort(key=lambda c: (-level_rank(base, c.confidence.level), claim_heading(c).lower()))
    sections = []
    room = THEME_LIST_LIMIT
    for lv in levels_descending(base):
        group = [c for c in claims if c.confidence.level == lv]
        if not group:
            continue
        shown, room = group[:max(0, room)], room - len(group)
        items = "".join(_claim_item(base, c, root, analysis.claims.get(c.id), detail) for c in shown)
        rest = ""
        if len(shown) < len(group):
            rest = (f'<p>{a(f"{root}browse/claims/?theme={theme_id}&level={lv}", plural(len(group) - len(shown), "more claim"))} '
                    f'at this level, in the claims table.</p>')
        sections.append(f'<h2 id="{e(lv)}">{e(title(base, "level", lv))} confidence ({len(group)})</h2>\n'
                        f'<p class="ev-muted">{e(description(base, "level", lv))}</p>\n'
                        + (f'<ul class="ev-list">{items}</ul>' if items else "") + rest)
    more = ("" if detail else
            f'<p>This theme holds {len(claims)} claims, so they are listed by title; '
            f'{a(root + "browse/claims/?theme=" + theme_id, "filter the claims table")} for more detail.</p>')
    head = (
        f'<div class="ev-theme-head">\n<h1>{e(term.title if term else theme_id)}</h1>\n'
        f'<p class="ev-statement">{e(term.description if term else "")}</p>\n'
        f'<p>{e(plural(len(claims), "claim"))}' + (f": {e(level_counts(base, claims))} confidence." if claims else ".") +
        f' {a(root + "browse/claims/?theme=" + theme_id, "Filter these claims")} · '
        f'{a(root + "map/", "see the evidence map")} · {a(root + "themes/", "all themes")}</p>\n{more}\n</div>'
    )
    rest = "<div>\n" + "\n".join(sections) + "\n</div>" if sections else "<p>No claims yet.</p>"
    return GeneratedPage(src_uri, term.title if term else theme_id, [raw(head), raw(rest, search=False)], {"ev_kind": "theme"})


# --- sources A–Z --------------------------------------------------------------------------

def _letter_dir(x: str) -> str:
    return x.lower() if x != "#" else "other"


def _letter_pages(by_letter: dict, letters: list[str]) -> list[tuple[str, str, str, list]]:
    """(letter, folder, label, entries) per page: one page a letter, split into parts of
    at most PER_LETTER_PAGE entries, so a letter shared by thousands stays light."""
    out = []
    for x in letters:
        entries = by_letter[x]
        parts = [entries[i:i + PER_LETTER_PAGE] for i in range(0, len(entries), PER_LETTER_PAGE)]
        for i, part in enumerate(parts):
            folder = _letter_dir(x) + ("" if i == 0 else f"-{i + 1}")
            label = x if len(parts) == 1 else f"{x}, part {i + 1} of {len(parts)}"
            out.append((x, folder, label, part))
    return out


def render_sources_az(base: EvidenceBase, analysis, refs) -> list[GeneratedPage]:
    """One page, or (above SPLIT_LIMIT sources) an index plus a page per letter."""
    src_uri = "browse/sources/index.md"
    root = root_of(src_uri)
    keys = sorted(base.sources, key=lambda k: refs[k].sort_key if k in refs else ((k,),))
    by_letter: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_letter[_letter(refs[k].label if k in refs else k)].append(k)
    letters = sorted(by_letter, key=lambda x: (x == "#", x))
    split = len(keys) > SPLIT_LIMIT

    def items(keys_: list, r: str) -> str:
        out = []
        for k in keys_:
            s = base.sources[k]
            n = analysis.sources[k].weight if k in analysis.sources else 0
            out.append(f'<li>{a(r + source_url(k), refs[k].label if k in refs else k)} '
                       f'<span class="ev-title">{e(s.title)}</span> '
                       f'<span class="ev-muted">{e(title(base, "design", s.design))} · {e(plural(n, "claim"))}</span></li>')
        return f'<ul class="ev-list ev-list--compact">{"".join(out)}</ul>'

    pages = []
    if split:
        links = []
        for _x, folder, label, part in _letter_pages(by_letter, letters):
            uri = f"browse/sources/{folder}/index.md"
            body = (f'<div>\n<p>{e(plural(len(part), "source"))}. {a("../", "All letters")}</p>\n'
                    f'{items(part, root_of(uri))}\n</div>')
            pages.append(GeneratedPage(uri, f"Sources: {label}", [f"# Sources: {label}", raw(body, search=False)],
                                       {"search": {"exclude": True}}))
            links.append(f'<li>{a(folder + "/", label)} <span class="ev-muted">({len(part)})</span></li>')
        listing = f'<ul class="ev-az-list">{"".join(links)}</ul>'
    else:
        listing = (_letter_nav(letters, "Sources") + "\n" + "\n".join(
            f'<h2 id="{_letter_id(x)}">{e(x)}</h2>\n{items(by_letter[x], root)}' for x in letters))
    schemes = defaultdict(list)
    for k in keys:
        for sid in base.sources[k].schemes:
            schemes[sid].append(k)
    scheme_blocks = []
    vocab = base.vocabularies.get("scheme")
    for sid in (vocab.ids() if vocab else sorted(schemes)):
        if sid not in schemes:
            continue
        works = ", ".join(a(root + source_url(k), refs[k].label if k in refs else k) for k in schemes[sid])
        scheme_blocks.append(f'<li id="scheme-{e(sid)}"><strong>{e(title(base, "scheme", sid))}</strong>: {works}</li>')
    n_incomplete = sum(1 for s in base.sources.values() if s.incomplete)
    body = (
        "<div>\n"
        f"<p>{e(plural(len(keys), 'source'))}, in reference-list order. {n_incomplete} are incomplete references "
        f"(known only from another work's citation); their pages say what is missing. "
        f'{a(root + "downloads/", "Download them all")} as BibTeX, RIS or CSL-JSON.</p>\n'
        f"{listing}\n</div>"
    )
    parts = ["# Sources A to Z", raw(body, search=False)]
    if scheme_blocks:
        parts += ["## By scheme {#schemes}", raw(f'<div>\n<ul class="ev-list">{"".join(scheme_blocks)}</ul>\n</div>', search=False)]
    return [GeneratedPage(src_uri, "Sources A to Z", parts, {"search": {"exclude": True}}), *pages]


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
    split = len(analysis.authors) > SPLIT_LIMIT

    def works(authors: list, r: str) -> str:
        out = []
        for au in authors:
            links = ", ".join(a(r + source_url(k), refs[k].label if k in refs else k) for k in au.sources)
            out.append(f'<li id="{e(au.slug)}"><span class="ev-author">{e(au.name)}</span>: {links}</li>')
        return f'<ul class="ev-list ev-list--compact">{"".join(out)}</ul>'

    intro = (f"<p>{e(plural(len(analysis.authors), 'author'))} and organisations, with their works in this base. "
             "Sources that share an author are not counted as independent when a claim's evidence is profiled.</p>")
    pages = []
    if split:
        links = []
        for _x, d, label, part in _letter_pages(by_letter, letters):
            uri = f"browse/authors/{d}/index.md"
            body = f'<div>\n<p>{a("../", "All authors")}</p>\n{works(part, root_of(uri))}\n</div>'
            pages.append(GeneratedPage(uri, f"Authors: {label}", [f"# Authors: {label}", raw(body, search=False)],
                                       {"search": {"exclude": True}}))
            links.append(f'<li>{a(d + "/", label)} <span class="ev-muted">({len(part)})</span></li>')
        # browse/authors/#<slug> (the graph's author links) is found through data/author-pages.json
        body = (f'<div data-ev-author-pages="{e(root)}data/author-pages.json">\n{intro}\n'
                f'<ul class="ev-az-list">{"".join(links)}</ul>\n</div>')
    else:
        body = (f'<div>\n{intro}\n{_letter_nav(letters, "Authors")}\n' + "\n".join(
            f'<h2 id="{_letter_id(x)}">{e(x)}</h2>\n{works(by_letter[x], root)}' for x in letters) + "\n</div>")
    return [GeneratedPage(src_uri, "Authors", ["# Authors", raw(body, search=False)], {"search": {"exclude": True}}), *pages]


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
    return {"theme": list(claim.themes), "type": [claim.claim_type], "setting": list(claim.settings),
            "level": [claim.confidence.level], "design": designs, "outcome": list(claim.outcomes)}


def _filter_form(base: EvidenceBase, used: dict[str, set]) -> str:
    selects = []
    for attr, label, vocab in FILTERS:
        v = base.vocabularies.get(vocab)
        if v is None:
            continue
        opts = "".join(f'<option value="{e(t.id)}">{e(t.title)}</option>' for t in v.terms if t.id in used.get(attr, ()))
        selects.append(f'<div class="ev-filter"><label for="ev-f-{attr}">{e(label)}</label>'
                       f'<select id="ev-f-{attr}" name="{attr}" data-ev-filter="{attr}"><option value="">Any</option>{opts}</select></div>')
    return (
        '<form class="ev-filters" id="ev-filters" aria-label="Filter claims" hidden>'
        '<div class="ev-filter ev-filter--text"><label for="ev-f-q">Words in the claim</label>'
        '<input id="ev-f-q" name="q" type="search" data-ev-filter="q" autocomplete="off"></div>'
        + "".join(selects) +
        '<div class="ev-filter ev-filter--reset"><button type="reset" class="md-button">Clear filters</button></div>'
        "</form>"
    )


def render_claims_table(base: EvidenceBase, analysis) -> list[GeneratedPage]:
    claims = sorted(base.claims, key=lambda c: (-level_rank(base, c.confidence.level), claim_heading(c).lower()))
    pages = [claims[i:i + CLAIMS_PER_PAGE] for i in range(0, len(claims), CLAIMS_PER_PAGE)] or [[]]
    used: dict[str, set] = defaultdict(set)
    for c in claims:
        for k, vals in claim_facets(base, c).items():
            used[k].update(vals)
    out = []
    for n, chunk in enumerate(pages, start=1):
        src_uri = "browse/claims/index.md" if n == 1 else f"browse/claims/{n}/index.md"
        root = root_of(src_uri)
        rows = []
        for c in chunk:
            f = claim_facets(base, c)
            data = " ".join(f'data-{k}="{ids(v)}"' for k, v in f.items())
            prof = analysis.claims.get(c.id)
            rows.append(
                f'<tr {data}><td>{a(root + claim_url(c.id), claim_heading(c))}</td>'
                f'<td data-label="Kind">{e(title(base, "claim_type", c.claim_type))}</td>'
                f'<td data-label="Themes">{e("; ".join(titles(base, "theme", c.themes)))}</td>'
                f'<td data-label="Confidence">{badge(base, c.confidence.level, suffix="", small=True)}</td>'
                f'<td data-label="Sources">{e(sources_cell(prof))}</td></tr>'
            )
        pager = ""
        if len(pages) > 1:
            links = []
            for m in range(1, len(pages) + 1):
                target = root + ("browse/claims/" if m == 1 else f"browse/claims/{m}/")
                links.append(f'<li><span aria-current="page">{m}</span></li>' if m == n else f"<li>{a(target, str(m))}</li>")
            pager = f'<nav class="ev-pager" aria-label="Pages of claims"><ul>{"".join(links)}</ul></nav>'
        first = (n - 1) * CLAIMS_PER_PAGE + 1
        caption = (f"All {len(claims)} claims" if len(pages) == 1
                   else f"Claims {first} to {first + len(chunk) - 1} of {len(claims)}")
        body = (
            "<div>\n"
            "<p>Every finding in the base, strongest evidence first. Choose a theme, kind of finding, setting, "
            "confidence level, study design or outcome to narrow the list; the address bar keeps your choice, "
            "so you can share it.</p>\n"
            + _filter_form(base, used) +
            f'\n<p class="ev-count" id="ev-count" role="status" aria-live="polite" aria-atomic="true">'
            f"{e(plural(len(claims), 'claim'))}</p>\n{pager}\n"
            f'<div class="ev-scroll" tabindex="0" role="region" aria-labelledby="ev-claims-caption">'
            f'<table class="ev-claims ev-stack" id="ev-claims" data-ev-table data-pages="{len(pages)}" data-total="{len(claims)}" data-root="{e(root)}">'
            f'<caption id="ev-claims-caption">{e(caption)}</caption>'
            '<thead><tr><th scope="col">Claim</th><th scope="col">Kind</th><th scope="col">Themes</th>'
            '<th scope="col">Confidence</th><th scope="col">Sources</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>\n'
            '<p class="ev-empty" id="ev-empty" hidden>No claim matches these filters. '
            '<a href="#ev-filters" data-ev-clear>Clear the filters</a>.</p>\n'
            f"{pager}\n</div>"
        )
        out.append(GeneratedPage(src_uri, "All claims" if n == 1 else f"All claims, page {n}", ["# All claims", raw(body, search=False)], {"ev_kind": "table", "search": {"exclude": True}, "hide": ["toc"]}))
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
