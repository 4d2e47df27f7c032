"""One page per source: its full Harvard reference, study facts, every claim citing it,
and the entry as BibTeX, RIS and CSL-JSON files beside the page.

The page head carries Highwire `citation_*` meta tags (through page.meta and the
theme's `extrahead` block), which is what Zotero's browser connector reads.
"""

from __future__ import annotations

from ..model import EvidenceBase, Source
from .citation import long_date, source_citation_block
from .common import level_badge, GeneratedPage, raw, Settings, author_url, claim_heading, claim_url, description, root_of, source_url, title, titles
from .markup import doi_href, e, external, plural
from .templating import render
from ..site_paths import source_slug

ENTRY_TYPES = {
    "article": "Journal article", "book": "Book", "incollection": "Book chapter", "inbook": "Book chapter",
    "techreport": "Report", "report": "Report", "misc": "Web page or other document", "phdthesis": "Doctoral thesis",
    "mastersthesis": "Master's thesis", "inproceedings": "Conference paper", "proceedings": "Conference proceedings",
}


DOWNLOAD_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))


def download_files(key: str, source: Source) -> dict[str, str]:
    """site path -> text of the entry's downloads."""
    from ..cite.formats import csl_json_text, to_bibtex, to_ris

    slug = source_slug(key)
    one = {key: source}
    return {
        f"sources/{slug}/{slug}.bib": to_bibtex(one),
        f"sources/{slug}/{slug}.ris": to_ris(one),
        f"sources/{slug}/{slug}.json": csl_json_text(one),
    }


def _links(source: Source) -> str:
    """The DOI and web links, and the note on an incomplete reference ('' when none)."""
    url = external(source.url)
    if not (doi_href(source.doi) or source.url or source.incomplete):
        return ""
    return render("source/links.html", doi=doi_href(source.doi), url=url, url_text=source.url,
                  incomplete=source.incomplete)


def _fact(name: str, value: str = "", links: list | None = None, code: str = "") -> dict:
    """One row of the study facts: plain text, a list of links, or code."""
    return {"name": name, "value": value, "links": links or [], "code": code}


def _facts(base: EvidenceBase, key: str, source: Source, root: str, author_slugs) -> str:
    facts = [_fact("Kind of document", ENTRY_TYPES.get(source.entry_type, source.entry_type))]
    if author_slugs:
        facts.append(_fact("Authors", links=[{"url": root + author_url(s), "text": n} for s, n in author_slugs]))
    design_desc = description(base, "design", source.design)
    facts.append(_fact("Design", title(base, "design", source.design) + (f": {design_desc}" if design_desc else "")))
    facts.append(_fact("Country", title(base, "country", source.country)))
    if source.settings:
        facts.append(_fact("Setting", ", ".join(titles(base, "setting", source.settings))))
    if source.schemes:
        facts.append(_fact("Schemes", ", ".join(titles(base, "scheme", source.schemes))))
    if source.get("onlinedate"):
        facts.append(_fact("Published online", long_date(source.get("onlinedate"))))
    facts.append(_fact("Key", code=key))
    return render("source/facts.html", facts=facts)


def _claims(base: EvidenceBase, key: str, prof, root: str) -> str:
    """Every claim citing the source, grouped by how the source bears on it."""
    groups = []
    for rel, ids in prof.by_relation if prof else ():
        if not ids:
            continue
        claims = []
        for cid in ids:
            claim = base.claim(cid)
            locs = "; ".join(dict.fromkeys(l.locator for l in claim.evidence if l.source == key and l.relation == rel))
            claims.append({"url": root + claim_url(cid), "heading": claim_heading(claim),
                           "badge": level_badge(base, claim.confidence.level), "locators": locs})
        groups.append({"relation": rel, "title": title(base, "relation", rel),
                       "description": description(base, "relation", rel), "claims": claims})
    return render("source/claims.html", groups=groups)


def _related(base: EvidenceBase, source: Source, prof, refs, root: str, cites) -> str:
    def link(k: str, count: str = "") -> dict:
        return {"url": root + source_url(k), "text": refs[k].label if k in refs else k, "count": count}

    cited_in = [link(k) for k in source.cited_in if k in base.sources] if source.cited_in else None
    cited = [link(k) for k in cites] if cites else None
    co_cited = ([link(k, plural(n, "claim")) for k, n in prof.co_cited[:6] if k in base.sources]
                if prof and prof.co_cited else None)
    if cited_in is None and cited is None and co_cited is None:
        return ""
    return render("source/related.html", cited_in=cited_in, cites=cited, co_cited=co_cited)


def render_source(base: EvidenceBase, key: str, analysis, refs, settings: Settings,
                  cites: tuple[str, ...] = (), author_slugs: tuple[tuple[str, str], ...] = ()) -> GeneratedPage:
    """cites: keys of sources whose `citedin` names this one (works this source cites).
    author_slugs: (slug, display name) of its authors, for links to the author index."""
    from ..cite.formats import highwire_meta

    source = base.sources[key]
    slug = source_slug(key)
    src_uri = f"sources/{slug}/index.md"
    root = root_of(src_uri)
    ref = refs.get(key)
    prof = analysis.sources.get(key)
    label = ref.label if ref else key

    parts = [
        raw(render("source/head.html", label=label, title=source.title or key)),
        "## Reference {#reference}",
        raw(source_citation_block(refs, key), search=False),
    ]
    links = _links(source)
    if links:
        parts.append(raw(links, search=False))
    parts += [
        "## Study facts {#facts data-search-exclude}", raw(_facts(base, key, source, root, author_slugs), search=False),
        "## Claims citing it {#claims data-search-exclude}", raw(_claims(base, key, prof, root), search=False),
    ]
    related = _related(base, source, prof, refs, root, cites)
    if related:
        parts += ["## Related sources {#related data-search-exclude}", raw(related, search=False)]
    downloads = [{"href": f"{slug}.{ext}", "what": what} for ext, what in DOWNLOAD_FORMATS]
    parts += ["## Download this reference {#download data-search-exclude}",
              raw(render("source/downloads.html", downloads=downloads, root=root), search=False)]
    meta = {"ev_kind": "source", "highwire": [[n, v] for n, v in highwire_meta(source)],
            "description": e(ref.text if ref else source.title)}
    return GeneratedPage(src_uri, f"{label}: {source.title}" if source.title else label, parts, meta)
