"""Render stage: SiteData in, every generated page and file out, as strings.

Nothing here touches MkDocs, so the renderer can be tested (and escaping proven)
without a build; hooks.py turns the result into MkDocs Files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .a_to_z import author_pages, render_authors, render_sources_az
from .browse import render_theme, render_themes_index
from .claim_page import render_claim
from .claims_table import CLAIMS_PER_PAGE, claim_facets, render_claims_table
from .common import GeneratedPage, Settings, claim_heading, sources_cell, titles
from .contributing import render_contributing
from .data import SiteData
from .downloads import DOWNLOADS, data_files, render_downloads
from .method_page import block_challenge, block_fields, block_methods, block_vocabularies
from .overview import block_headlines, block_levels, block_stats, block_themes, render_gaps, render_map
from .pack import pack_files, render_checklist, render_pack_page
from .source_page import download_files, render_source
from .versions import feed_files, frozen_files, render_whats_new


@dataclass
class RenderedSite:
    pages: list[GeneratedPage]
    files: dict[str, str]  # site path -> text (downloads, data/*)


#: Blocks a hand-written page can ask for with <!-- evidence:NAME -->.
BLOCKS = {
    "stats": lambda d, s, root: block_stats(d.base, d.analysis, root),
    "levels": lambda d, s, root: block_levels(d.base, root),
    "headlines": lambda d, s, root: block_headlines(d.base, d.analysis, root),
    "themes": lambda d, s, root: block_themes(d.base, root),
    "methods": lambda d, s, root: block_methods(d.base, root),
    "fields": lambda d, s, root: block_fields(d.base, root),
    "vocabularies": lambda d, s, root: block_vocabularies(d.base, root),
    "challenge": lambda d, s, root: block_challenge(s, root),
    "dataset": lambda d, s, root: block_dataset(d, s),
}

MEDIA_TYPES = {
    ".bib": "application/x-bibtex",
    ".ris": "application/x-research-info-systems",
    ".json": "application/json",
    ".csv": "text/csv",
    ".graphml": "application/graphml+xml",
    ".gexf": "application/gexf+xml",
    ".ttl": "text/turtle",
    ".trig": "application/trig",
}


def block_dataset(data: SiteData, settings: Settings) -> str:
    """The whole base as a schema.org Dataset (version from CITATION.cff), for harvesters."""
    from ..linked_data import Addresses, dataset_jsonld, script_json
    from ..release import release_info

    info = release_info(data.project.root)
    downloads = {n: MEDIA_TYPES.get(n[n.rfind(".") :], "application/octet-stream") for n in DOWNLOADS}
    ld = dataset_jsonld(
        data.base,
        Addresses(settings.site_url or "https://example.invalid/"),
        name=settings.site_name,
        description=f"{settings.site_name}: claims, their sources and confidence ratings",
        version=info.version or "unreleased",
        downloads=downloads,
        date_modified=info.date,
    )
    return f'<script type="application/ld+json">{script_json(ld)}</script>'


def render_block(name: str, data: SiteData, settings: Settings, root: str) -> str:
    return BLOCKS[name](data, settings, root)


def claims_index(data: SiteData) -> str:
    """Compact rows for filtering a paged claims table across all its pages (site.js)."""
    base = data.base
    rows = []
    for c in base.claims:
        p = data.analysis.claims.get(c.id)
        rows.append(
            {
                "id": c.id,
                "title": claim_heading(c),
                "type": base.vocabularies["claim_type"].title(c.claim_type),
                "themes": "; ".join(titles(base, "theme", c.themes)),
                "level": c.confidence.level,
                "sources": sources_cell(p),
                "facets": claim_facets(base, c),
            }
        )
    levels = {t.id: t.title for t in base.vocabularies["level"].terms}
    return json.dumps({"levels": levels, "rows": rows}, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_site(data: SiteData, settings: Settings, root_dir=None, contributing: bool = True) -> RenderedSite:
    """Every generated page, and (unless `files=False` is asked of render_files) every data
    file. `contributing=False` leaves out the page made from CONTRIBUTING.md, which the
    hooks render on every build (it is not part of the data, so the cache would not see
    it change)."""
    return RenderedSite(render_pages(data, settings, root_dir, contributing), render_files(data, settings))


def render_pages(
    data: SiteData, settings: Settings, root_dir=None, contributing: bool = True
) -> list[GeneratedPage]:
    base, analysis, refs = data.base, data.analysis, data.references
    pages: list[GeneratedPage] = []

    backlinks: dict[str, list] = defaultdict(list)
    for c in base.claims:
        for r in c.related:
            backlinks[r.claim].append((c.id, r.relation))
    for claim in base.claims:
        pages.append(
            render_claim(
                base,
                claim,
                analysis.claims[claim.id],
                refs,
                settings,
                data.dates.get(claim.id, (claim.added, claim.updated or claim.added)),
                backlinks.get(claim.id, ()),
                data.history,
            )
        )

    from ..graph import author_slug

    cites: dict[str, list[str]] = defaultdict(list)
    for key, src in base.sources.items():
        for k in src.cited_in:
            cites[k].append(key)
    for key, src in base.sources.items():
        authors = tuple(dict.fromkeys((author_slug(p), p.display) for p in src.creators))
        pages.append(render_source(base, key, analysis, refs, settings, tuple(cites.get(key, ())), authors))

    pages.append(render_themes_index(base))
    for term in base.vocabularies["theme"].terms:
        pages.append(render_theme(base, term.id, analysis))
    pages += render_sources_az(base, analysis, refs)
    pages += render_authors(base, analysis, refs)
    pages += render_claims_table(base, analysis)
    pages.append(render_map(base, analysis))
    pages.append(render_gaps(base, analysis))
    pages.append(render_downloads(data_file_names(base)))
    pages += [render_pack_page(data, settings), render_checklist(data), render_whats_new(data)]
    if contributing:
        pages.append(render_contributing(root_dir or data.project.root, settings))
    return pages


def data_file_names(base) -> list[str]:
    """The data/ files the downloads page lists (known before they are made)."""
    return list(DOWNLOADS)


def render_files(data: SiteData, settings: Settings) -> dict[str, str]:
    """site path -> text of every file the site offers: the data/ downloads (the exports
    included) and each source's BibTeX, RIS and CSL-JSON. The slow part of a build
    (exports), so hooks may run it in a second process while MkDocs renders pages."""
    from ..export import render_exports

    base = data.base
    if data.exports is None:
        data.exports = render_exports(base, data.analysis)
    files: dict[str, str] = {}
    for key, src in base.sources.items():
        files.update(download_files(key, src))
    out = data_files(base, data.analysis, data.exports, settings)
    out.update(explorer_parts(base, data.exports))
    if len(base.claims) > CLAIMS_PER_PAGE:
        out["claims-index.json"] = claims_index(data)
    authors = author_pages(data.analysis)
    if authors is not None:
        out["author-pages.json"] = json.dumps(authors, ensure_ascii=False, separators=(",", ":")) + "\n"
    for name, text in out.items():
        files[f"data/{name}"] = text
    files.update(linked_data_files(data, settings))
    files.update(pack_files(data, settings))
    files.update(frozen_files(data, settings))
    files.update(feed_files(data, settings))
    return files


def explorer_parts(base, exports: Mapping[str, str]) -> dict[str, str]:
    """The graph explorer's data in parts (site/graphparts.py), made from graph.json."""
    if "graph.json" not in exports:
        return {}
    import orjson

    from .graphparts import graph_parts

    vocab = base.vocabularies.get("theme")
    return graph_parts(orjson.loads(exports["graph.json"]), [t.id for t in (vocab.terms if vocab else ())])


def linked_data_files(data: SiteData, settings: Settings) -> dict[str, str]:
    """The RDF downloads and the static JSON API (api/), versioned with the claims' history."""
    from ..api import api_documents
    from ..history import HistoryResult
    from ..linked_data import Addresses, nanopublications, turtle

    addr = Addresses(settings.site_url or "https://example.invalid/")
    files = {
        "data/graph.ttl": turtle(data.base, addr),
        "data/nanopubs.trig": nanopublications(data.base, addr),
    }
    versions = {}
    history = data.history
    if isinstance(history, HistoryResult) and history.available:
        for cid, h in history.claims.items():
            if h.current is not None:
                versions[cid] = {
                    "number": h.current.number,
                    "date": h.current.date,
                    "commit": h.current.commit,
                }
    refs = data.references
    for path, text in api_documents(
        data.base, addr, lambda k: refs[k].label if k in refs else k, versions
    ).items():
        files[f"api/{path}"] = text
    return files
