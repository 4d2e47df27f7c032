"""One page per source: its full Harvard reference, study facts, every claim citing it,
and the entry as BibTeX, RIS and CSL-JSON files beside the page.

The page head carries Highwire `citation_*` meta tags (through page.meta and the
theme's `extrahead` block), which is what Zotero's browser connector reads.
"""

from __future__ import annotations

from ..model import EvidenceBase, Source
from ..site_paths import source_slug
from .citation import long_date, source_citation_block
from .common import (
    GeneratedPage,
    OncePer,
    Settings,
    author_url,
    claim_heading,
    claim_url,
    description,
    heading,
    level_badge,
    raw,
    root_of,
    source_url,
    title,
    titles,
)
from .markup import doi_href, e, external, plural
from .templating import render

ENTRY_TYPES = {
    "article": "Journal article",
    "book": "Book",
    "incollection": "Book chapter",
    "inbook": "Book chapter",
    "techreport": "Report",
    "report": "Report",
    "misc": "Web page or other document",
    "phdthesis": "Doctoral thesis",
    "mastersthesis": "Master's thesis",
    "inproceedings": "Conference paper",
    "proceedings": "Conference proceedings",
}


DOWNLOAD_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))


def download_files(key: str, source: Source) -> dict[str, str]:
    """site path -> text of the entry's downloads."""
    from ..cite.formats import csl_json_text, to_clean_bibtex, to_ris

    slug = source_slug(key)
    one = {key: source}
    return {
        f"sources/{slug}/{slug}.bib": to_clean_bibtex(one),
        f"sources/{slug}/{slug}.ris": to_ris(one),
        f"sources/{slug}/{slug}.json": csl_json_text(one),
    }


def _missing(source: Source) -> str:
    """The parts of a reference a reader would look for that this entry lacks ('' when none)."""
    missing = []
    if not source.authors and not source.editors:
        missing.append("author")
    if not source.get("year"):
        missing.append("year")
    if not source.doi and not source.url and not source.get("publisher") and not source.get("journal"):
        missing.append("where to find it (no DOI, web address, journal or publisher)")
    return ", ".join(missing)


def _links(source: Source) -> str:
    """The DOI and web links (with the date the address was seen), and what an incomplete
    reference lacks and why."""
    url = external(source.url)
    missing = _missing(source) if source.incomplete else ""
    if not (doi_href(source.doi) or source.url or source.incomplete or source.get("nodoi")):
        return ""
    urldate = source.get("urldate")
    return render(
        "source/links.html",
        doi=doi_href(source.doi),
        url=url,
        url_text=source.url,
        incomplete=source.incomplete,
        missing=missing,
        nodoi=source.get("nodoi"),
        urldate=urldate,
        accessed=long_date(urldate) if urldate else "",
    )


def _fact(name: str, value: str = "", links: list | None = None, code: str = "") -> dict:
    """One row of the study facts: plain text, a list of links, or code."""
    return {"name": name, "value": value, "links": links or [], "code": code}


def _facts(base: EvidenceBase, key: str, source: Source, root: str, author_slugs) -> str:
    facts = [_fact("Kind of document", ENTRY_TYPES.get(source.entry_type, source.entry_type))]
    if author_slugs:
        facts.append(
            _fact("Authors", links=[{"url": root + author_url(s), "text": n} for s, n in author_slugs])
        )
    design_desc = description(base, "design", source.design)
    facts.append(
        _fact("Design", title(base, "design", source.design) + (f": {design_desc}" if design_desc else ""))
    )
    facts.append(_fact("Country", title(base, "country", source.country)))
    if source.settings:
        facts.append(_fact("Setting", ", ".join(titles(base, "setting", source.settings))))
    if source.schemes:
        facts.append(_fact("Schemes", ", ".join(titles(base, "scheme", source.schemes))))
    if source.get("onlinedate"):
        facts.append(_fact("Published online", long_date(source.get("onlinedate"))))
    facts.append(_fact("Key", code=key))
    return render("source/facts.html", facts=facts)


def _claims(base: EvidenceBase, key: str, prof, refs, root: str) -> str:
    """Every claim citing the source, grouped by how the source bears on it."""
    groups = []
    for rel, ids in prof.by_relation if prof else ():
        if not ids:
            continue
        claims = []
        for cid in ids:
            claim = base.claim_index[cid]
            locs = "; ".join(
                dict.fromkeys(l.locator for l in claim.evidence if l.source == key and l.relation == rel)
            )
            claims.append(
                {
                    "url": root + claim_url(cid),
                    "heading": claim_heading(claim),
                    "badge": level_badge(base, claim.confidence.level),
                    "locators": locs,
                }
            )
        groups.append(
            {
                "relation": rel,
                "title": title(base, "relation", rel),
                "description": description(base, "relation", rel),
                "claims": claims,
            }
        )
    return render("source/claims.html", groups=groups, read_here=_read_here(base, key, refs, root))


def _reads_by_work(base: EvidenceBase) -> dict:
    """via key -> the (claim, link) pairs read in that work."""
    index: dict = {}
    for claim in base.claims:
        for link in claim.evidence:
            if link.via:
                index.setdefault(link.via, []).append((claim, link))
    return index


# made once per base: a scan of every claim for every source page was O(sources x links)
_read_in_index = OncePer(_reads_by_work)


def _read_here(base: EvidenceBase, key: str, refs, root: str) -> list[dict]:
    """Claims whose evidence from another work was read in this one (secondary citations
    with `via` this source): listed here too, so a review's page shows what it was used for."""
    return [
        {
            "url": root + claim_url(claim.id),
            "heading": claim_heading(claim),
            "badge": level_badge(base, claim.confidence.level),
            "relation": title(base, "relation", link.relation).lower(),
            "primary_work": refs[link.source].label if link.source in refs else link.source,
            "locator": link.locator,
        }
        for claim, link in _read_in_index(base).get(key, ())
    ]


def _related(base: EvidenceBase, source: Source, prof, refs, root: str, cites) -> str:
    def link(k: str, count: str = "") -> dict:
        return {"url": root + source_url(k), "text": refs[k].label if k in refs else k, "count": count}

    cited_in = [link(k) for k in source.cited_in if k in base.sources] if source.cited_in else None
    cited = [link(k) for k in cites] if cites else None
    co_cited = (
        [link(k, plural(n, "claim")) for k, n in prof.co_cited[:6] if k in base.sources]
        if prof and prof.co_cited
        else None
    )
    if cited_in is None and cited is None and co_cited is None:
        return ""
    return render("source/related.html", cited_in=cited_in, cites=cited, co_cited=co_cited)


def render_source(
    base: EvidenceBase,
    key: str,
    analysis,
    refs,
    settings: Settings,
    cites: tuple[str, ...] = (),
    author_slugs: tuple[tuple[str, str], ...] = (),
) -> GeneratedPage:
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
        heading(2, "Reference", "reference"),
        raw(source_citation_block(refs, key), search=False),
    ]
    links = _links(source)
    if links:
        parts.append(raw(links, search=False))
    parts += [
        heading(2, "Study facts", "facts", search=False),
        raw(_facts(base, key, source, root, author_slugs), search=False),
        heading(2, "Claims citing it", "claims", search=False),
        raw(_claims(base, key, prof, refs, root), search=False),
    ]
    related = _related(base, source, prof, refs, root, cites)
    if related:
        parts += [heading(2, "Related sources", "related", search=False), raw(related, search=False)]
    downloads = [{"href": f"{slug}.{ext}", "what": what} for ext, what in DOWNLOAD_FORMATS]
    parts += [
        heading(2, "Download this reference", "download", search=False),
        raw(render("source/downloads.html", downloads=downloads, root=root), search=False),
    ]
    meta = {
        "ev_kind": "source",
        "highwire": [[n, v] for n, v in highwire_meta(source)],
        "description": e(ref.text if ref else source.title),
    }
    from ..linked_data import Addresses, context, script_json, source_jsonld

    ld = {"@context": context(Addresses(settings.site_url or "https://example.invalid/")),
          **source_jsonld(source, Addresses(settings.site_url or "https://example.invalid/"), label)}
    parts = [*parts, raw(f'<script type="application/ld+json">{script_json(ld)}</script>', search=False)]
    return GeneratedPage(src_uri, f"{label}: {source.title}" if source.title else label, parts, meta)
