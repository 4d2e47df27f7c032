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
from ..plain_language import plain_rating
from ..vocabulary import meaning
from .common import OncePer, Settings, claim_heading, claim_url, title
from .templating import reference_html, render

ACCESSED_SLOT = "{accessed}"
NO_DATE_TEXT = "add the date you read this"


def _year(date: str) -> str:
    return date[:4] if date[:4].isdigit() else "n.d."


# made once per references mapping: per claim it was O(claims x sources), 12 s of a 3,000-claim render
_labels = OncePer(intext.labels)


def _cite_list(refs, cites) -> str:
    """'(Buck, 2018, 2021a; Buck, 2020, cited in Buck, 2021b; Lenkens et al., 2019)'."""
    return intext.parenthetical(cites, _labels(refs))


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
    cites = dict.fromkeys(
        intext.link_cite(link)
        for link in claim.evidence
        if link.relation in relations and link.source in refs
    )
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


def claim_citation(
    base: EvidenceBase, claim: Claim, refs, settings: Settings, changed: str, version: dict | None = None
) -> tuple[str, dict]:
    """(plain text, record for templates/cite/claim.html) of one claim's citation block;
    the plain text carries the {accessed} slot. With a `version` (versions.version_record)
    the citation names it and links to its permalink, which keeps the text as cited."""
    level = title(base, "level", claim.confidence.level)
    method = title(base, "method", claim.confidence.method)
    m = meaning(base.vocabularies, base.schema)
    supports = ordered_cites(claim, refs, *m.relations("for"))
    # Other relations are listed after the finding, each introduced as its term's x-cited-as says.
    cited_as = [
        (t.meta["x-cited-as"], ordered_cites(claim, refs, t.id))
        for t in base.vocabularies["relation"].terms
        if t.meta.get("x-cited-as") and not m.supports(t.id)
    ]
    others = [{"label": label, "cites": _cite_list(refs, keys)} for label, keys in cited_as if keys]
    everything = works_read(claim, refs)
    permalink = version["permalink"] if version else settings.permalink(claim_url(claim.id))
    if version:
        changed = version["date"]
    heading = claim_heading(claim).rstrip(".")
    edition = f" ({version['text']})" if version else ""
    finding = _with_citation(claim.statement, _cite_list(refs, supports))
    caveat = claim.confidence.caveat

    pr = plain_rating(base, claim)
    plain = [f"Finding: {finding}", f"Confidence: {level} ({method}). In plain words: {pr.meaning}"]
    plain += [f"{o['label']}: {o['cites']}." for o in others]
    if caveat:
        plain.append(f"Caveat: {caveat}")
    plain.append(
        f"Cite this page as: {settings.site_name} ({_year(changed)}) {heading}{edition}. "
        f"Available at: {permalink} (Accessed: {ACCESSED_SLOT})."
    )
    plain.append("References:")
    plain += [refs[k].text for k in everything]
    record = {
        "finding": finding,
        "level": level,
        "method": method,
        "others": others,
        "plain": pr.meaning,
        "caveat": caveat,
        "site_name": settings.site_name,
        "year": _year(changed),
        "heading": heading,
        "edition": edition,
        "permalink": permalink,
        "linked": bool(settings.site_url),
        "no_date": NO_DATE_TEXT,
        "references": [reference_html(refs[k].html) for k in everything],
    }
    return "\n".join(plain), record


def claim_citation_block(
    base: EvidenceBase, claim: Claim, refs, settings: Settings, changed: str, version: dict | None = None
) -> str:
    plain, record = claim_citation(base, claim, refs, settings, changed, version)
    return render("cite/claim.html", plain=plain, c=record)


def source_citation_block(refs, key: str) -> str:
    """The 'Reference' block of a source page (just the key when it has no reference)."""
    ref = refs.get(key)
    if ref is None:
        return render("cite/source.html", plain=key, key=key, ref=None)
    plain = f"{ref.text}\nIn-text: {ref.parenthetical} or {ref.label}"
    return render(
        "cite/source.html",
        plain=plain,
        ref=reference_html(ref.html),
        label=ref.label,
        parenthetical=ref.parenthetical,
    )


__all__ = ["claim_citation", "claim_citation_block", "source_citation_block", "long_date", "ACCESSED_SLOT"]
