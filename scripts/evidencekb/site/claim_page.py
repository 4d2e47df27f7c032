"""One page per claim: the finding, how sure we are and why, the evidence, and a citation.

Ordered for the three readers: a support worker reads the statement and the badge; a
commissioner jumps to 'Cite this finding'; a researcher reads the judgements, the
evidence profile and the table of sources with locators and quotes.
"""

from __future__ import annotations

from ..cite import intext
from ..model import Claim, EvidenceBase
from ..graph import short_label
from ..confidence import ceiling
from ..confidence import of as meaning_of
from ..vocabulary import method_components
from .citation import claim_citation, copy_block, long_date
from .common import (stance_counts, GeneratedPage, raw, Settings, badge, claim_heading, claim_url, description, level_rank,
                     root_of, source_url, theme_url, title, titles)
from .markup import a, e, plural


def component_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _judgements(base: EvidenceBase, claim: Claim) -> str:
    conf = claim.confidence
    vocabs = method_components(base.schema).get(conf.method, {})
    rows = []
    for name, value in conf.components.items():
        vocab = vocabs.get(name, "")
        shown = title(base, vocab, value) if vocab else value
        desc = description(base, vocab, value) if vocab else ""
        tip = f' <span class="ev-muted">{e(desc)}</span>' if desc else ""
        rows.append(f'<tr><th scope="row">{e(component_name(name))}</th><td>{e(shown)}{tip}</td></tr>')
    return (f'<table class="ev-judgements" data-search-exclude><caption>{e(title(base, "method", conf.method))} judgements</caption>'
            f'<thead><tr><th scope="col">Component</th><th scope="col">Judgement</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _profile(base: EvidenceBase, claim: Claim, profile, root: str) -> str:
    p = profile
    rel_parts = stance_counts(p)
    designs = ", ".join(f"{title(base, 'design', d)} ({n})" for d, n in p.designs) or "none recorded"
    countries = ", ".join(titles(base, "country", p.countries)) or "not recorded"
    items = [
        ("Sources", f"{plural(p.n_sources, 'source')} ({', '.join(rel_parts)})"),
        ("Read at first hand", _first_hand(p)),
        ("Independent author groups", str(p.author_groups) + (" (all its supporting sources share an author)"
                                                               if p.single_group and p.n_supporting > 1 else "")),
        ("Study designs", designs),
        ("Countries", countries),
    ]
    if p.home is not None:
        items.append((f"{meaning_of(base).home_label} evidence", "Yes" if p.home else "No"))
    items += [
        ("Contested", f"Yes: {plural(p.n_disputing, 'source')} dispute{'s' if p.n_disputing == 1 else ''} it"
         if p.contested else "No"),
        ("Comparison-group study", "Yes" if p.comparison else "No"),
    ]
    dl = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in items)
    out = [f'<dl class="ev-profile">{dl}</dl>']
    if p.flags:
        out.append('<p class="ev-flags"><strong>Watch out:</strong> ' + "; ".join(e(f) for f in p.flags) + ".</p>")
    if level_rank(base, claim.confidence.level) > level_rank(base, p.supported_level):
        out.append(f'<p class="ev-flags">Its evidence profile on its own supports at most '
                   f'<strong>{e(title(base, "level", p.supported_level).lower())}</strong> confidence; see the '
                   f'{a(root + "gaps/#rating-unsupported", "gap register")}.</p>')
    return "\n".join(out)


def _source_cell(base: EvidenceBase, link, refs, root: str) -> str:
    """'Buck (2021b)', or for a secondary citation 'Buck (2020, cited in Buck, 2021b)' with
    both works linked."""
    src = base.sources.get(link.source)
    ref = refs.get(link.source)
    label = ref.label if ref else (short_label(src) if src else link.source)
    if not src:
        return e(link.source)
    if not (link.via and link.via in refs and ref):
        return a(root + source_url(link.source), label)
    named = intext.labels({k: refs[k] for k in (link.source, link.via)})
    (names, year), (via_names, via_year) = named[link.source], named[link.via]
    return (f'{a(root + source_url(link.source), names)} ({e(year)}, cited in '
            f'{a(root + source_url(link.via), f"{via_names}, {via_year}")})')


def _where(link, refs) -> str:
    """The locator; for a secondary citation, which work it is in and the place in the original."""
    if not link.via:
        return e(link.locator)
    via = refs[link.via].label if link.via in refs else link.via
    primary = refs[link.source].label if link.source in refs else link.source
    out = f"In {e(via)}: {e(link.locator)}"
    if link.source_locator:
        out += f'<br><span class="ev-muted">In {e(primary)}: {e(link.source_locator)}</span>'
    return out


def _first_hand(p) -> str:
    """'3 of 5 links; 2 read in another work (secondary citations)'."""
    links = p.n_first_hand + p.n_second_hand
    text = f"{p.n_first_hand} of {plural(links, 'link')}"
    if p.n_second_hand:
        text += (f"; {p.n_second_hand} read only in another work "
                 f"(secondary citation{'s' if p.n_second_hand > 1 else ''})")
    return text


def _review(claim: Claim) -> str:
    """Who checked the claim against its source documents, when, and against what."""
    rv = claim.reviewed
    if rv is None:
        return '<p class="ev-review ev-muted">Not yet checked by a second reviewer.</p>'
    note = f" {e(rv.note)}" if rv.note else ""
    return (f'<p class="ev-review"><strong>Second review:</strong> checked on '
            f'<time datetime="{e(rv.date)}">{e(long_date(rv.date))}</time> by {e(rv.by)}, against '
            f'{e(rv.against)}.{note}</p>')


def _evidence_table(base: EvidenceBase, claim: Claim, refs, root: str) -> str:
    rows = []
    for link in claim.evidence:
        src = base.sources.get(link.source)
        cell_source = _source_cell(base, link, refs, root)
        detail = []
        if link.quote:
            detail.append(f'<q class="ev-quote">{e(link.quote)}</q>')
        if link.note:
            detail.append(f'<span class="ev-note">{e(link.note)}</span>')
        rel = link.relation
        rows.append(
            f'<tr class="ev-rel--{e(rel)}"><td data-label="Source">{cell_source}</td>'
            f'<td data-label="Relation" data-search-exclude><span class="ev-relation ev-relation--{e(rel)}">{e(title(base, "relation", rel))}</span></td>'
            f'<td data-label="Where" data-search-exclude>{_where(link, refs)}</td><td data-label="Quote or note">{"<br>".join(detail)}</td>'
            f'<td data-label="Design" data-search-exclude>{e(title(base, "design", src.design)) if src else ""}</td></tr>'
        )
    return ('<div class="ev-scroll" tabindex="0" role="region" aria-label="Evidence table">'
            '<table class="ev-evidence ev-stack"><caption data-search-exclude>The sources behind this claim and how each bears on it</caption>'
            '<thead data-search-exclude><tr><th scope="col">Source</th><th scope="col">Relation</th><th scope="col">Where</th>'
            '<th scope="col">Quote or note</th><th scope="col">Design</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _related(base: EvidenceBase, claim: Claim, root: str, backlinks=()) -> str:
    items = []
    for rel in claim.related:
        other = base.claim(rel.claim)
        if other is None:
            continue
        note = f' <span class="ev-muted">{e(rel.note)}</span>' if rel.note else ""
        items.append(f'<li><span class="ev-relation">{e(title(base, "claim_relation", rel.relation))}</span> '
                     f'{a(root + claim_url(other.id), claim_heading(other))} '
                     f'{badge(base, other.confidence.level, small=True)}{note}</li>')
    # claims that point here, so the link is visible from both ends
    mine = {r.claim for r in claim.related}
    back = []
    for other_id, relation in backlinks:
        other = base.claim(other_id)
        if other is None or other_id in mine:
            continue
        back.append(f'<li>{a(root + claim_url(other.id), claim_heading(other))} '
                    f'<span class="ev-muted">({e(title(base, "claim_relation", relation).lower())} this claim)</span></li>')
    out = []
    if items:
        out.append(f'<ul class="ev-related">{"".join(items)}</ul>')
    if back:
        out.append(f'<p>Claims that build on this one:</p><ul class="ev-related">{"".join(back)}</ul>')
    return "\n".join(out)


def _applies(base: EvidenceBase, claim: Claim, root: str) -> str:
    chips = "".join(f'<li>{a(root + theme_url(t), title(base, "theme", t), cls="ev-chip")}</li>' for t in claim.themes)
    rows = [("Kind of finding", title(base, "claim_type", claim.claim_type))]
    for label, vocab, values in (("Settings", "setting", claim.settings), ("About", "population", claim.populations),
                                 ("Outcomes", "outcome", claim.outcomes), ("Schemes", "scheme", claim.schemes)):
        if values:
            rows.append((label, ", ".join(titles(base, vocab, values))))
    dl = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
    return f'<ul class="ev-chips" aria-label="Themes">{chips}</ul>\n<dl class="ev-facts">{dl}</dl>'


def render_claim(base: EvidenceBase, claim: Claim, profile, refs, settings: Settings,
                 dates: tuple[str, str], backlinks=()) -> GeneratedPage:
    """backlinks: (claim id, relation) of the claims whose `related` points here."""
    src_uri = f"claims/{claim.id}/index.md"
    root = root_of(src_uri)
    conf = claim.confidence
    added, changed = dates
    heading = claim_heading(claim)
    allowed, why = ceiling(claim, base.sources, meaning_of(base))

    lead = f'<p class="ev-statement">{e(claim.statement)}</p>' if claim.summary else ""
    level_desc = description(base, "level", conf.level)
    caveat = (f'<div class="ev-caveat"><p><strong>Caveat for anyone citing this:</strong> {e(conf.caveat)}</p></div>'
              if conf.caveat else "")
    top = (
        f'<div class="ev-claim-head">\n<h1>{e(heading)}</h1>\n{lead}\n'
        f'<p class="ev-rating" data-search-exclude>{badge(base, conf.level)} <span class="ev-muted">rated with '
        f'{a(root + "method/#" + conf.method.lower(), title(base, "method", conf.method))}. {e(level_desc)}</span></p>\n'
        f'{caveat}\n</div>'
    )
    why_block = (
        f'<div class="ev-why">\n<p>{e(conf.rationale)}</p>\n{_judgements(base, claim)}\n'
        f'<p class="ev-muted" data-search-exclude>The {e(title(base, "method", conf.method))} judgements allow at most '
        f'{e(title(base, "level", allowed).lower())} confidence ({e(why)}).</p>\n{_review(claim)}\n</div>'
    )
    plain, rich = claim_citation(base, claim, refs, settings, changed)
    edit = settings.repo_file(f"claims/{claim.id}.yaml", "edit")
    challenge = settings.new_issue("challenge-rating.yml", title=f"Challenge: {claim.id}", claim=claim.id)
    help_items = []
    if edit:
        help_items.append(f'<li>{a(edit, "Edit this claim")} on GitHub (a pull request, reviewed before it goes live)</li>')
    if challenge:
        help_items.append(f'<li>{a(challenge, "Challenge this rating")}: tell us what we missed, no GitHub skills needed</li>')
    help_items.append(f'<li>{a(root + "contributing/", "How to contribute")}</li>')
    contributors = (f"<p>Contributors: {e(', '.join(claim.contributors))}</p>" if claim.contributors else "")
    dates_html = (f'<p class="ev-dates">Added <time datetime="{e(added)}">{e(long_date(added))}</time>; '
                  f'last changed <time datetime="{e(changed)}">{e(long_date(changed))}</time>. '
                  f'Claim id: <code>{e(claim.id)}</code>.</p>')

    related = _related(base, claim, root, backlinks)
    parts = [
        raw(top),
        "## Why this rating {#why}", raw(why_block),
        "## Evidence profile {#profile data-search-exclude}",
        raw(f'<div class="ev-profile-wrap">\n{_profile(base, claim, profile, root)}\n</div>', search=False),
        "## Evidence {#evidence}", raw(_evidence_table(base, claim, refs, root)),
    ]
    if related:
        parts += ["## Related claims {#related data-search-exclude}", raw(f"<div>\n{related}\n</div>", search=False)]
    parts += [
        "## Themes and scope {#themes data-search-exclude}", raw(f"<div>\n{_applies(base, claim, root)}\n</div>", search=False),
        "## Cite this finding {#cite data-search-exclude}",
        raw(copy_block("cite-finding", plain, rich, "Cite this finding", "citation"), search=False),
        "## Improve this claim {#improve data-search-exclude}",
        raw(f'<div class="ev-improve">\n<ul>{"".join(help_items)}</ul>\n{dates_html}\n{contributors}\n</div>', search=False),
    ]
    meta = {"description": e(claim.statement), "ev_kind": "claim"}
    return GeneratedPage(src_uri, heading, parts, meta)
