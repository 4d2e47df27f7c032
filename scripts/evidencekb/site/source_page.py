"""One page per source: its full Harvard reference, study facts, every claim citing it,
and the entry as BibTeX, RIS and CSL-JSON files beside the page.

The page head carries Highwire `citation_*` meta tags (through page.meta and the
theme's `extrahead` block), which is what Zotero's browser connector reads.
"""

from __future__ import annotations

from ..model import EvidenceBase, Source
from .citation import copy_block, long_date, source_citation
from .common import GeneratedPage, raw, Settings, author_url, badge, claim_heading, claim_url, description, root_of, source_url, title, titles
from .markup import a, doi_href, e, external, plural
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


def _reported_here(base: EvidenceBase, key: str, refs, root: str) -> str:
    """Claims whose evidence from another work was read in this one (secondary citations
    with `via` this source): listed here too, so a review's page shows what it was used for."""
    items = []
    for claim in base.claims:
        for link in claim.evidence:
            if link.via == key:
                primary = refs[link.source].label if link.source in refs else link.source
                items.append(f'<li>{a(root + claim_url(claim.id), claim_heading(claim))} '
                             f'{badge(base, claim.confidence.level, small=True)} <span class="ev-muted">'
                             f'({e(title(base, "relation", link.relation).lower())}: {e(primary)}, '
                             f'read here at {e(link.locator)})</span></li>')
    if not items:
        return ""
    return (f'<h3 id="read-here">Findings of other works read here ({len(items)})</h3>'
            '<p class="ev-muted">Secondary citations: the claim cites another work as reported in '
            'this one.</p>'
            f'<ul>{"".join(items)}</ul>')


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

    links = []
    doi = doi_href(source.doi)
    if doi:
        links.append(f'<li>DOI: {a(doi, doi)}</li>')
    url = external(source.url)
    if url:
        links.append(f'<li>Online: {a(url, source.url)}</li>')
    elif source.url:
        links.append(f'<li>Web address (not linked: only http and https addresses are): {e(source.url)}</li>')

    facts: list[tuple] = [("Kind of document", ENTRY_TYPES.get(source.entry_type, source.entry_type))]
    if author_slugs:
        facts.append(("Authors", None, ", ".join(a(root + author_url(s), n) for s, n in author_slugs)))
    design_desc = description(base, "design", source.design)
    facts.append(("Design", title(base, "design", source.design) + (f": {design_desc}" if design_desc else "")))
    facts.append(("Country", title(base, "country", source.country)))
    if source.settings:
        facts.append(("Setting", ", ".join(titles(base, "setting", source.settings))))
    if source.schemes:
        facts.append(("Schemes", ", ".join(titles(base, "scheme", source.schemes))))
    if source.get("onlinedate"):
        facts.append(("Published online", long_date(source.get("onlinedate"))))
    facts.append(("Key", None, f"<code>{e(key)}</code>"))
    dl = "".join(f"<dt>{e(f[0])}</dt><dd>{f[2] if len(f) == 3 else e(f[1])}</dd>" for f in facts)

    incomplete = (f'<div class="ev-caveat"><p><strong>Incomplete reference.</strong> {e(source.incomplete)}</p></div>'
                  if source.incomplete else "")

    groups = []
    if prof:
        for rel, ids in prof.by_relation:
            if not ids:
                continue
            items = []
            for cid in ids:
                claim = base.claim_index[cid]
                locs = "; ".join(dict.fromkeys(l.locator for l in claim.evidence if l.source == key and l.relation == rel))
                items.append(f'<li>{a(root + claim_url(cid), claim_heading(claim))} '
                             f'{badge(base, claim.confidence.level, small=True)} <span class="ev-muted">({e(locs)})</span></li>')
            groups.append(f'<h3 id="{e(rel)}">{e(title(base, "relation", rel))} ({len(ids)})</h3>'
                          f'<p class="ev-muted">{e(description(base, "relation", rel))}</p><ul>{"".join(items)}</ul>')
    reported = _reported_here(base, key, refs, root)
    if reported:
        groups.append(reported)
    claims_html = "\n".join(groups) or "<p>No claim cites this source yet.</p>"

    related = []
    if source.cited_in:
        related.append("<p>Cited in: " + ", ".join(
            a(root + source_url(k), refs[k].label if k in refs else k) for k in source.cited_in if k in base.sources) + "</p>")
    if cites:
        related.append("<p>Cites: " + ", ".join(a(root + source_url(k), refs[k].label if k in refs else k) for k in cites) + "</p>")
    if prof and prof.co_cited:
        related.append("<p>Often cited together with: " + ", ".join(
            f"{a(root + source_url(k), refs[k].label if k in refs else k)} ({plural(n, 'claim')})"
            for k, n in prof.co_cited[:6] if k in base.sources) + "</p>")

    downloads = "".join(f'<li><a href="{e(slug)}.{ext}" download>{e(what)}</a></li>' for ext, what in DOWNLOAD_FORMATS)
    plain, rich = source_citation(refs, key, settings) if ref else (key, e(key))
    parts = [
        raw(f'<div class="ev-source-head">\n<p class="ev-kicker">{e(label)}</p>\n<h1>{e(source.title or key)}</h1>\n</div>'),
        "## Reference {#reference}",
        raw(copy_block("cite-source", plain, rich, "Reference", "reference"), search=False),
    ]
    if links or incomplete:
        parts.append(raw(f'<div>\n<ul class="ev-links">{"".join(links)}</ul>\n{incomplete}\n</div>', search=False))
    parts += [
        "## Study facts {#facts data-search-exclude}", raw(f'<div>\n<dl class="ev-facts">{dl}</dl>\n</div>', search=False),
        "## Claims citing it {#claims data-search-exclude}", raw(f"<div>\n{claims_html}\n</div>", search=False),
    ]
    if related:
        parts += ["## Related sources {#related data-search-exclude}", raw("<div>\n" + "\n".join(related) + "\n</div>", search=False)]
    parts += ["## Download this reference {#download data-search-exclude}",
              raw(f'<div>\n<ul class="ev-downloads">{downloads}</ul>\n'
                  f'<p class="ev-muted">For Zotero, EndNote, Mendeley and other reference managers. '
                  f'{a(root + "downloads/", "Download the whole bibliography")}.</p>\n</div>', search=False)]
    meta = {"ev_kind": "source", "highwire": [[n, v] for n, v in highwire_meta(source)],
            "description": e(ref.text if ref else source.title)}
    return GeneratedPage(src_uri, f"{label}: {source.title}" if source.title else label, parts, meta)
