"""One page per claim: the finding, how sure we are and why, the evidence, and a citation.

Ordered for the three readers: a support worker reads the statement and the badge; a
commissioner jumps to 'Cite this finding'; a researcher reads the judgements, the
evidence profile and the table of sources with locators and quotes.
"""

from __future__ import annotations

from ..cite import intext
from ..confidence import basis_ceiling, ceiling
from ..confidence import of as meaning_of
from ..model import Claim, EvidenceBase
from ..plain_language import component_questions, plain_rating, step_text
from ..vocabulary import method_components
from .citation import claim_citation_block, long_date
from .common import (
    GeneratedPage,
    Settings,
    claim_heading,
    claim_url,
    description,
    heading,
    level_badge,
    level_rank,
    raw,
    root_of,
    source_url,
    stance_counts,
    theme_url,
    title,
    titles,
)
from .markup import e, plural
from .templating import render
from .versions import history_block, version_record


def component_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _judgements(base: EvidenceBase, claim: Claim) -> list[dict]:
    """Each component judgement with the question it asks in plain words and what it did to the rating."""
    conf = claim.confidence
    vocabs = method_components(base.schema).get(conf.method, {})
    questions = component_questions(base.schema, conf.method)
    rows = []
    for name, value in conf.components.items():
        vocab = vocabs.get(name, "")
        term = base.vocabularies[vocab].get(value) if vocab in base.vocabularies else None
        meta = term.meta if term else {}
        effect = step_text(int(meta.get("x-step", 0))) if "x-step" in meta else ""
        if "x-cap" in meta:
            effect = f"Caps the rating at {title(base, 'level', meta['x-cap']).lower()}."
        rows.append(
            {
                "name": component_name(name),
                "value": title(base, vocab, value) if vocab else value,
                "question": questions.get(name, ""),
                "effect": effect,
                "lowered": bool(meta.get("x-step")) or "x-cap" in meta,
            }
        )
    return rows


def _why_lower(base: EvidenceBase, claim: Claim, profile, allowed: str) -> str:
    """Why a claim is rated below what its judgements allow: its evidence profile, its basis,
    or the raters."""
    level = claim.confidence.level
    if level_rank(base, level) >= level_rank(base, allowed):
        return ""
    reasons = []
    if profile is not None and level_rank(base, profile.supported_level) < level_rank(base, allowed):
        reasons.append(
            "its evidence profile supports at most "
            f"{title(base, 'level', profile.supported_level).lower()} confidence"
            + (f" ({'; '.join(profile.flags).lower()})" if profile.flags else "")
        )
    basis = basis_ceiling(claim, meaning_of(base))
    if basis and level_rank(base, basis) < level_rank(base, allowed):
        reasons.append(
            f"it rests on argument, not a study, which allows at most {title(base, 'level', basis).lower()}"
        )
    if not reasons:
        reasons.append(
            "the raters judged the evidence weaker than the components alone show (see their reasons above)"
        )
    return "; ".join(reasons)


def _profile(base: EvidenceBase, claim: Claim, profile, root: str) -> str:
    p = profile
    rel_parts = stance_counts(p)
    designs = ", ".join(f"{title(base, 'design', d)} ({n})" for d, n in p.designs) or "none recorded"
    countries = ", ".join(titles(base, "country", p.countries)) or "not recorded"
    facts = [
        ("Sources", f"{plural(p.n_sources, 'source')} ({', '.join(rel_parts)})"),
        ("Read at first hand", _first_hand(p)),
        (
            "Independent author groups",
            str(p.author_groups)
            + (
                " (all its supporting sources share an author)"
                if p.single_group and p.n_supporting > 1
                else ""
            ),
        ),
        ("Study designs", designs),
        ("Countries", countries),
    ]
    if p.home is not None:
        facts.append((f"{meaning_of(base).home_label} evidence", "Yes" if p.home else "No"))
    facts += [
        (
            "Contested",
            f"Yes: {plural(p.n_disputing, 'source')} dispute{'s' if p.n_disputing == 1 else ''} it"
            if p.contested
            else "No",
        ),
        ("Comparison-group study", "Yes" if p.comparison else "No"),
    ]
    unsupported = (
        title(base, "level", p.supported_level).lower()
        if level_rank(base, claim.confidence.level) > level_rank(base, p.supported_level)
        else ""
    )
    return render(
        "claim/profile.html", facts=facts, flags="; ".join(p.flags), unsupported=unsupported, root=root
    )


def _source_cell(base: EvidenceBase, link, refs, root: str) -> dict:
    """'Buck (2021b)', or for a secondary citation 'Buck (2020, cited in Buck, 2021b)' with
    both works linked."""
    ref = refs.get(link.source)
    cell = {
        "label": ref.label if ref else link.source,
        "url": root + source_url(link.source) if link.source in base.sources else "",
        "via": None,
    }
    if cell["url"] and link.via and link.via in refs and ref:
        named = intext.labels({k: refs[k] for k in (link.source, link.via)})
        (names, year), (via_names, via_year) = named[link.source], named[link.via]
        cell.update(
            label=names,
            via={
                "names": names,
                "year": year,
                "url": root + source_url(link.via),
                "label": f"{via_names}, {via_year}",
            },
        )
    return cell


def _where(link, refs) -> dict:
    """The locator; for a secondary citation, which work it is in and the place in the original."""
    if not link.via:
        return {"via": "", "locator": link.locator, "primary_work": "", "source_locator": ""}
    return {
        "via": refs[link.via].label if link.via in refs else link.via,
        "locator": link.locator,
        "primary_work": refs[link.source].label if link.source in refs else link.source,
        "source_locator": link.source_locator,
    }


def _first_hand(p) -> str:
    """'3 of 5 links; 2 read in another work (secondary citations)'."""
    links = p.n_first_hand + p.n_second_hand
    text = f"{p.n_first_hand} of {plural(links, 'link')}"
    if p.n_second_hand:
        text += (
            f"; {p.n_second_hand} read only in another work "
            f"(secondary citation{'s' if p.n_second_hand > 1 else ''})"
        )
    return text


def _review(claim: Claim) -> dict | None:
    """Who checked the claim against its source documents, when, and against what."""
    rv = claim.reviewed
    if rv is None:
        return None
    return {
        "date": rv.date,
        "date_long": long_date(rv.date),
        "by": rv.by,
        "against": rv.against,
        "note": rv.note,
    }


def _evidence_table(base: EvidenceBase, claim: Claim, refs, root: str) -> str:
    rows = []
    for link in claim.evidence:
        src = base.sources.get(link.source)
        rows.append(
            {
                "source": _source_cell(base, link, refs, root),
                "where": _where(link, refs),
                "relation": link.relation,
                "relation_title": title(base, "relation", link.relation),
                "quote": link.quote,
                "note": link.note,
                "design": title(base, "design", src.design) if src else "",
            }
        )
    return render("claim/evidence.html", rows=rows)


def _related(base: EvidenceBase, claim: Claim, root: str, backlinks=()) -> str:
    related = []
    for rel in claim.related:
        other = base.claim(rel.claim)
        if other is None:
            continue
        related.append(
            {
                "relation": title(base, "claim_relation", rel.relation),
                "url": root + claim_url(other.id),
                "heading": claim_heading(other),
                "badge": level_badge(base, other.confidence.level),
                "note": rel.note,
            }
        )
    # claims that point here, so the link is visible from both ends
    mine = {r.claim for r in claim.related}
    back = []
    for other_id, relation in backlinks:
        other = base.claim(other_id)
        if other is None or other_id in mine:
            continue
        back.append(
            {
                "url": root + claim_url(other.id),
                "heading": claim_heading(other),
                "relation": title(base, "claim_relation", relation).lower(),
            }
        )
    if not related and not back:
        return ""
    return render("claim/related.html", related=related, backlinks=back)


def _applies(base: EvidenceBase, claim: Claim, root: str) -> str:
    themes = [{"url": root + theme_url(t), "title": title(base, "theme", t)} for t in claim.themes]
    facts = [("Kind of finding", title(base, "claim_type", claim.claim_type))]
    for label, vocab, values in (
        ("Settings", "setting", claim.settings),
        ("About", "population", claim.populations),
        ("Outcomes", "outcome", claim.outcomes),
        ("Schemes", "scheme", claim.schemes),
    ):
        if values:
            facts.append((label, ", ".join(titles(base, vocab, values))))
    return render("claim/themes.html", themes=themes, facts=facts, graph_url=f"{root}graph/?claim={claim.id}")


def _head(base: EvidenceBase, claim: Claim, root: str, version: dict | None = None) -> str:
    conf = claim.confidence
    return render(
        "claim/head.html",
        claim_id=claim.id,
        version=version,
        heading=claim_heading(claim),
        lead=claim.statement if claim.summary else "",
        level=level_badge(base, conf.level),
        method_url=root + "method/#" + conf.method.lower(),
        method=title(base, "method", conf.method),
        level_desc=description(base, "level", conf.level),
        caveat=conf.caveat,
        plain=plain_rating(base, claim),
    )


def _why(base: EvidenceBase, claim: Claim, profile) -> str:
    conf = claim.confidence
    allowed, why = ceiling(claim, base.sources, meaning_of(base))
    return render(
        "claim/why.html",
        rationale=conf.rationale,
        method=title(base, "method", conf.method),
        judgements=_judgements(base, claim),
        allowed=title(base, "level", allowed).lower(),
        why=why,
        level=title(base, "level", conf.level).lower(),
        lower=_why_lower(base, claim, profile, allowed),
        review=_review(claim),
    )


def _improve(claim: Claim, settings: Settings, root: str, dates: tuple[str, str]) -> str:
    added, changed = dates
    return render(
        "claim/improve.html",
        root=root,
        claim_id=claim.id,
        edit_url=settings.repo_file(f"claims/{claim.id}.yaml", "edit"),
        challenge_url=settings.new_issue(
            "challenge-rating.yml", title=f"Challenge: {claim.id}", claim=claim.id
        ),
        added=added,
        added_long=long_date(added),
        changed=changed,
        changed_long=long_date(changed),
        contributors=", ".join(claim.contributors),
    )


def render_claim(
    base: EvidenceBase,
    claim: Claim,
    profile,
    refs,
    settings: Settings,
    dates: tuple[str, str],
    backlinks=(),
    history=None,
) -> GeneratedPage:
    """backlinks: (claim id, relation) of the claims whose `related` points here; history:
    the base's HistoryResult (None or unavailable: no version line, no History section)."""
    src_uri = f"claims/{claim.id}/index.md"
    root = root_of(src_uri)
    related = _related(base, claim, root, backlinks)
    version = version_record(history, claim.id, settings)
    changes = history_block(base, history, claim.id, refs)
    parts = [
        raw(_head(base, claim, root, version)),
        heading(2, "Why this rating", "why"),
        raw(_why(base, claim, profile)),
        heading(2, "Evidence profile", "profile", search=False),
        raw(_profile(base, claim, profile, root), search=False),
        heading(2, "Evidence", "evidence"),
        raw(_evidence_table(base, claim, refs, root)),
    ]
    if related:
        parts += [heading(2, "Related claims", "related", search=False), raw(related, search=False)]
    parts += [
        heading(2, "Themes and scope", "themes", search=False),
        raw(_applies(base, claim, root), search=False),
        heading(2, "Cite this finding", "cite", search=False),
        raw(claim_citation_block(base, claim, refs, settings, dates[1], version), search=False),
        *([heading(2, "History", "history", search=False), raw(changes, search=False)] if changes else []),
        heading(2, "Improve this claim", "improve", search=False),
        raw(_improve(claim, settings, root, dates), search=False),
        raw(_jsonld(base, claim, refs, settings, version), search=False),
    ]
    meta = {"description": e(claim.statement), "ev_kind": "claim"}
    return GeneratedPage(src_uri, claim_heading(claim), parts, meta)


def _jsonld(base: EvidenceBase, claim: Claim, refs, settings: Settings, version: dict | None) -> str:
    """The claim as schema.org JSON-LD, for harvesters (linked_data.claim_jsonld; safe inside
    the script element whatever a field holds)."""
    from ..linked_data import Addresses, claim_jsonld, script_json

    addr = Addresses(settings.site_url or "https://example.invalid/")
    data = claim_jsonld(claim, base, addr, {"number": version["number"]} if version else None,
                        lambda k: refs[k].label if k in refs else k)
    return f'<script type="application/ld+json">{script_json(data)}</script>'
