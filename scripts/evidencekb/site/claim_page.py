"""One page per claim: the finding, how sure we are and why, the evidence, and a citation.

Ordered for the three readers: a support worker reads the statement and the badge; a
commissioner jumps to 'Cite this finding'; a researcher reads the judgements, the
evidence profile and the table of sources with locators and quotes.
"""

from __future__ import annotations

from ..model import Claim, EvidenceBase
from ..confidence import ceiling
from ..confidence import of as meaning_of
from ..plain_language import plain_rating
from ..vocabulary import method_components
from .citation import claim_citation_block, long_date
from .common import (level_badge, stance_counts, GeneratedPage, raw, Settings, claim_heading, claim_url, description, level_rank,
                     root_of, source_url, theme_url, title, titles)
from .markup import e, plural
from .templating import render
from .versions import history_block, version_record


def component_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _judgements(base: EvidenceBase, claim: Claim) -> list[dict]:
    conf = claim.confidence
    vocabs = method_components(base.schema).get(conf.method, {})
    rows = []
    for name, value in conf.components.items():
        vocab = vocabs.get(name, "")
        rows.append({"name": component_name(name), "value": title(base, vocab, value) if vocab else value,
                     "description": description(base, vocab, value) if vocab else ""})
    return rows


def _profile(base: EvidenceBase, claim: Claim, profile, root: str) -> str:
    p = profile
    rel_parts = stance_counts(p)
    designs = ", ".join(f"{title(base, 'design', d)} ({n})" for d, n in p.designs) or "none recorded"
    countries = ", ".join(titles(base, "country", p.countries)) or "not recorded"
    facts = [
        ("Sources", f"{plural(p.n_sources, 'source')} ({', '.join(rel_parts)})"),
        ("Independent author groups", str(p.author_groups) + (" (all its supporting sources share an author)"
                                                               if p.single_group and p.n_supporting > 1 else "")),
        ("Study designs", designs),
        ("Countries", countries),
    ]
    if p.home is not None:
        facts.append((f"{meaning_of(base).home_label} evidence", "Yes" if p.home else "No"))
    facts += [
        ("Contested", f"Yes: {plural(p.n_disputing, 'source')} dispute{'s' if p.n_disputing == 1 else ''} it"
         if p.contested else "No"),
        ("Comparison-group study", "Yes" if p.comparison else "No"),
    ]
    unsupported = (title(base, "level", p.supported_level).lower()
                   if level_rank(base, claim.confidence.level) > level_rank(base, p.supported_level) else "")
    return render("claim/profile.html", facts=facts, flags="; ".join(p.flags), unsupported=unsupported, root=root)


def _evidence_table(base: EvidenceBase, claim: Claim, refs, root: str) -> str:
    rows = []
    for link in claim.evidence:
        src = base.sources.get(link.source)
        ref = refs.get(link.source)
        rows.append({
            "label": ref.label if ref else link.source,
            "url": root + source_url(link.source) if src else "",
            "relation": link.relation, "relation_title": title(base, "relation", link.relation),
            "locator": link.locator, "quote": link.quote, "note": link.note,
            "design": title(base, "design", src.design) if src else "",
        })
    return render("claim/evidence.html", rows=rows)


def _related(base: EvidenceBase, claim: Claim, root: str, backlinks=()) -> str:
    related = []
    for rel in claim.related:
        other = base.claim(rel.claim)
        if other is None:
            continue
        related.append({"relation": title(base, "claim_relation", rel.relation), "url": root + claim_url(other.id),
                        "heading": claim_heading(other), "badge": level_badge(base, other.confidence.level),
                        "note": rel.note})
    # claims that point here, so the link is visible from both ends
    mine = {r.claim for r in claim.related}
    back = []
    for other_id, relation in backlinks:
        other = base.claim(other_id)
        if other is None or other_id in mine:
            continue
        back.append({"url": root + claim_url(other.id), "heading": claim_heading(other),
                     "relation": title(base, "claim_relation", relation).lower()})
    if not related and not back:
        return ""
    return render("claim/related.html", related=related, backlinks=back)


def _applies(base: EvidenceBase, claim: Claim, root: str) -> str:
    themes = [{"url": root + theme_url(t), "title": title(base, "theme", t)} for t in claim.themes]
    facts = [("Kind of finding", title(base, "claim_type", claim.claim_type))]
    for label, vocab, values in (("Settings", "setting", claim.settings), ("About", "population", claim.populations),
                                 ("Outcomes", "outcome", claim.outcomes), ("Schemes", "scheme", claim.schemes)):
        if values:
            facts.append((label, ", ".join(titles(base, vocab, values))))
    return render("claim/themes.html", themes=themes, facts=facts)


def _head(base: EvidenceBase, claim: Claim, root: str, version: dict | None = None) -> str:
    conf = claim.confidence
    return render("claim/head.html", claim_id=claim.id, version=version, heading=claim_heading(claim), lead=claim.statement if claim.summary else "",
                  level=level_badge(base, conf.level), method_url=root + "method/#" + conf.method.lower(),
                  method=title(base, "method", conf.method), level_desc=description(base, "level", conf.level),
                  caveat=conf.caveat, plain=plain_rating(base, claim))


def _why(base: EvidenceBase, claim: Claim) -> str:
    conf = claim.confidence
    allowed, why = ceiling(claim, base.sources, meaning_of(base))
    return render("claim/why.html", rationale=conf.rationale, method=title(base, "method", conf.method),
                  judgements=_judgements(base, claim), allowed=title(base, "level", allowed).lower(), why=why)


def _improve(claim: Claim, settings: Settings, root: str, dates: tuple[str, str]) -> str:
    added, changed = dates
    return render("claim/improve.html", root=root, claim_id=claim.id,
                  edit_url=settings.repo_file(f"claims/{claim.id}.yaml", "edit"),
                  challenge_url=settings.new_issue("challenge-rating.yml", title=f"Challenge: {claim.id}", claim=claim.id),
                  added=added, added_long=long_date(added), changed=changed, changed_long=long_date(changed),
                  contributors=", ".join(claim.contributors))


def render_claim(base: EvidenceBase, claim: Claim, profile, refs, settings: Settings,
                 dates: tuple[str, str], backlinks=(), history=None) -> GeneratedPage:
    """backlinks: (claim id, relation) of the claims whose `related` points here; history:
    the base's HistoryResult (None or unavailable: no version line, no History section)."""
    src_uri = f"claims/{claim.id}/index.md"
    root = root_of(src_uri)
    related = _related(base, claim, root, backlinks)
    version = version_record(history, claim.id, settings)
    changes = history_block(base, history, claim.id, refs)
    parts = [
        raw(_head(base, claim, root, version)),
        "## Why this rating {#why}", raw(_why(base, claim)),
        "## Evidence profile {#profile data-search-exclude}",
        raw(_profile(base, claim, profile, root), search=False),
        "## Evidence {#evidence}", raw(_evidence_table(base, claim, refs, root)),
    ]
    if related:
        parts += ["## Related claims {#related data-search-exclude}", raw(related, search=False)]
    parts += [
        "## Themes and scope {#themes data-search-exclude}", raw(_applies(base, claim, root), search=False),
        "## Cite this finding {#cite data-search-exclude}",
        raw(claim_citation_block(base, claim, refs, settings, dates[1], version), search=False),
        *(["## History {#history data-search-exclude}", raw(changes, search=False)] if changes else []),
        "## Improve this claim {#improve data-search-exclude}",
        raw(_improve(claim, settings, root, dates), search=False),
    ]
    meta = {"description": e(claim.statement), "ev_kind": "claim"}
    return GeneratedPage(src_uri, claim_heading(claim), parts, meta)
