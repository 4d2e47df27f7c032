"""'Cite this finding' and 'Cite this source': what a commissioner pastes into a bid.

The block exists twice on the page: as escaped HTML a reader sees (and the rich-text
copy takes), and as plain text inside a <template>, which the plain-text copy takes.
Both carry an `{accessed}` slot that site.js fills with today's date, because the date
a page was read is part of a Harvard reference to it and a static page cannot know it.
"""

from __future__ import annotations

import datetime as dt

from ..cite import intext
from ..model import Claim, EvidenceBase
from ..vocabulary import meaning
from .common import Settings, claim_heading, claim_url, source_url, title
from .markup import a, clean, e

ACCESSED_SLOT = "{accessed}"
NO_DATE_TEXT = "add the date you read this"


def _year(date: str) -> str:
    return date[:4] if date[:4].isdigit() else "n.d."


def _cite_list(refs, cites) -> str:
    """'(Buck, 2018, 2021a; Buck, 2020, cited in Buck, 2021b; Lenkens et al., 2019)'."""
    return intext.parenthetical(cites, intext.labels(refs))


def _with_citation(statement: str, cite: str) -> str:
    """Put the in-text citation before the statement's final full stop."""
    s = statement.strip()
    if not cite:
        return s
    if s.endswith((".", "!", "?")):
        return f"{s[:-1]} {cite}{s[-1]}"
    return f"{s} {cite}."


def ordered_keys(claim: Claim, refs, *relations: str) -> list[str]:
    """The claim's sources (linked by any of `relations`, or by any at all), in reference-list order."""
    keys = []
    for link in claim.evidence:
        if (not relations or link.relation in relations) and link.source not in keys and link.source in refs:
            keys.append(link.source)
    return sorted(keys, key=lambda k: refs[k].sort_key)


def ordered_cites(claim: Claim, refs, *relations: str) -> list[intext.Cite]:
    """The works a claim's links of these relations cite, each once, in reference-list order
    (a secondary citation as its primary work, read in its `via` work)."""
    cites = dict.fromkeys(intext.link_cite(link) for link in claim.evidence
                          if link.relation in relations and link.source in refs)
    return sorted(cites, key=lambda c: (refs[c.key].sort_key, refs[c.via].sort_key if c.via in refs else ()))


def works_read(claim: Claim, refs) -> list[str]:
    """The works read for the claim, for its reference list: Cite Them Right lists only the
    works you read, so a secondary citation lists its `via` work, not the primary."""
    return sorted((k for k in intext.read_keys(claim) if k in refs), key=lambda k: refs[k].sort_key)


def long_date(iso: str) -> str:
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"


def claim_citation(base: EvidenceBase, claim: Claim, refs, settings: Settings, changed: str) -> tuple[str, str]:
    """(plain text, HTML) of the citation block for one claim, with the {accessed} slot."""
    level = title(base, "level", claim.confidence.level)
    method = title(base, "method", claim.confidence.method)
    m = meaning(base.vocabularies, base.schema)
    supports = ordered_cites(claim, refs, *m.relations("for"))
    # Other relations are listed after the finding, each introduced as its term's x-cited-as says.
    cited_as = [(t.meta["x-cited-as"], ordered_cites(claim, refs, t.id)) for t in base.vocabularies["relation"].terms
                if t.meta.get("x-cited-as") and not m.supports(t.id)]
    everything = works_read(claim, refs)
    permalink = settings.permalink(claim_url(claim.id))
    heading = claim_heading(claim)
    finding = _with_citation(claim.statement, _cite_list(refs, supports))

    plain = [f"Finding: {finding}", f"Confidence: {level} ({method})."]
    rich = [f"<p><strong>Finding:</strong> {e(finding)}</p>",
            f"<p><strong>Confidence:</strong> {e(level)} ({e(method)}).</p>"]
    for label, keys in cited_as:
        if keys:
            plain.append(f"{label}: {_cite_list(refs, keys)}.")
            rich.append(f"<p><strong>{e(label)}:</strong> {e(_cite_list(refs, keys))}.</p>")
    if claim.confidence.caveat:
        plain.append(f"Caveat: {claim.confidence.caveat}")
        rich.append(f"<p><strong>Caveat:</strong> {e(claim.confidence.caveat)}</p>")
    page_ref = (f"{settings.site_name} ({_year(changed)}) {heading.rstrip('.')}. "
                f"Available at: {permalink} (Accessed: {ACCESSED_SLOT}).")
    plain.append(f"Cite this page as: {page_ref}")
    rich.append(
        f"<p><strong>Cite this page as:</strong> {e(settings.site_name)} ({e(_year(changed))}) "
        f"<i>{e(heading.rstrip('.'))}</i>. Available at: {a(permalink, permalink) if settings.site_url else e(permalink)} "
        f'(Accessed: <span class="ev-accessed">{e(NO_DATE_TEXT)}</span>).</p>'
    )
    plain.append("References:")
    plain += [refs[k].text for k in everything]
    rich.append("<p><strong>References:</strong></p>")
    rich.append('<ul class="ev-refs">' + "".join(f"<li>{clean(refs[k].html)}</li>" for k in everything) + "</ul>")
    return "\n".join(plain), "\n".join(rich)


def copy_block(block_id: str, plain: str, rich: str, heading: str, what: str) -> str:
    """The visible block, its plain-text twin and the two copy buttons with a status line.

    Buttons start hidden and site.js reveals them: without JavaScript nothing promises
    a copy that cannot happen, and the text can still be selected by hand."""
    return (
        f'<div class="ev-cite" id="{e(block_id)}" data-ev-cite>\n'
        f'<div class="ev-cite__body" data-ev-cite-html>\n{rich}\n</div>\n'
        f'<template data-ev-cite-text>{e(plain)}</template>\n'
        f'<div class="ev-cite__actions" hidden>'
        f'<button type="button" class="md-button md-button--primary ev-copy" data-ev-copy="text">Copy {e(what)} as plain text</button> '
        f'<button type="button" class="md-button ev-copy" data-ev-copy="html">Copy {e(what)} as rich text</button>'
        f'</div>\n'
        f'<p class="ev-cite__status" role="status" aria-live="polite"></p>\n'
        f'</div>'
    )


def source_citation(refs, key: str, settings: Settings) -> tuple[str, str]:
    ref = refs[key]
    plain = f"{ref.text}\nIn-text: {ref.parenthetical} or {ref.label}"
    rich = (f'<p class="ev-ref">{clean(ref.html)}</p>\n'
            f"<p><strong>In the text:</strong> {e(ref.parenthetical)} or {e(ref.label)}</p>")
    return plain, rich


__all__ = ["claim_citation", "copy_block", "source_citation", "long_date", "ACCESSED_SLOT", "source_url"]
