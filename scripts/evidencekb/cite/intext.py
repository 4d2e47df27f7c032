"""In-text citations in the Cite Them Right form, made from BibTeX keys, never typed by hand.

A hand-typed "Buck (2021)" cannot know that the bibliography has Buck 2021a and 2021b;
a key can. So claim text cites with `[@key]` (parenthetical, "(Buck, 2021b)"), `@key`
(narrative, "Buck (2021b)"), `[@a; @b, p. 4]` (several, with a page) and `@key [p. 4]`,
as Pandoc writes them, and an evidence link read in another work carries `via`:

- "Buck (2020, cited in Buck, 2021b)" / "(Buck, 2020, cited in Buck, 2021b)": a secondary
  citation; only the work read (Buck, 2021b) goes in the reference list.
- "(Buck, 2021a, 2021b; Lenkens et al., 2019)": works cited together, one author's
  works grouped under one name.

The labels (names and year with its letter) come from cite.harvard's Reference records,
so every label on the site is the Harvard labeller's.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping

from ..citekeys import SOURCE_TEXT_FIELDS, Cite, Found, cited_keys, find  # noqa: F401  (re-exported)
from ..model import Claim, EvidenceBase

# --- labels --------------------------------------------------------------------------------

Labels = Mapping[str, tuple[str, str]]  # key -> (names, year with its letter)


def labels(refs: Mapping) -> dict[str, tuple[str, str]]:
    """key -> ("Buck", "2021b") from cite.harvard References (their parenthetical form)."""
    out = {}
    for key, ref in refs.items():
        names, _, year = ref.parenthetical[1:-1].rpartition(", ")
        out[key] = (names, year)
    return out


def _year_part(cite: Cite, names_year: Labels) -> str:
    """What follows the names: "2020, cited in Buck, 2021b, p. 4"."""
    year = names_year[cite.key][1]
    if cite.via and cite.via in names_year:
        via_names, via_year = names_year[cite.via]
        year += f", cited in {via_names}, {via_year}"
    return year + (f", {cite.suffix}" if cite.suffix else "")


def known(cite: Cite, names_year: Labels) -> bool:
    return cite.key in names_year


def narrative(cite: Cite, names_year: Labels) -> str:
    """ "Buck (2021b)", "Buck (2020, cited in Buck, 2021b)"; the key itself if unknown."""
    if cite.key not in names_year:
        return cite.key
    return f"{names_year[cite.key][0]} ({_year_part(cite, names_year)})"


def parenthetical(cites: Iterable[Cite], names_year: Labels) -> str:
    """ "(Buck, 2021a, 2021b; Lenkens et al., 2019)": in the order given, except that one
    author's works cited directly share the name, in year order, as Cite Them Right writes
    them. '' if none is known."""
    groups: list[tuple[str, list[str]]] = []
    direct: dict[str, list[str]] = {}  # names -> the years of that author's works cited directly
    for cite in cites:
        if cite.key not in names_year:
            continue
        names = names_year[cite.key][0]
        part = _year_part(cite, names_year)
        if cite.via:  # "Buck, 2020, cited in Buck, 2021b" stands alone
            groups.append((names, [part]))
        elif names in direct:
            direct[names].append(part)
        else:
            direct[names] = [part]
            groups.append((names, direct[names]))
    if not groups:
        return ""
    return "(" + "; ".join(f"{names}, {', '.join(sorted(parts))}" for names, parts in groups) + ")"


def render(text: str | None, names_year: Labels) -> str | None:
    """The text with every known `[@key]` / `@key` replaced by its Harvard label.

    An unknown key stays as written (the checker reports it)."""
    if not text or "@" not in text:
        return text
    out, last = [], 0
    for found in find(text):
        if not all(known(c, names_year) for c in found.cites):
            continue
        out.append(text[last : found.start])
        out.append(
            narrative(found.cites[0], names_year)
            if found.narrative
            else parenthetical(found.cites, names_year)
        )
        last = found.end
    out.append(text[last:])
    return "".join(out)


# --- claims --------------------------------------------------------------------------------


def link_cite(link) -> Cite:
    return Cite(link.source, link.via)


def read_keys(claim: Claim) -> list[str]:
    """The works actually read for a claim, for its reference list: a secondary citation's
    `via` work, not the primary (Cite Them Right lists only what you read)."""
    return list(dict.fromkeys(link.via or link.source for link in claim.evidence))


def _changed(obj, **fields):
    """`obj` with these fields, or `obj` itself when none differs (most links and notes cite
    nothing: at 10,000 claims, copying every record anyway was most of the rendering)."""
    if all(getattr(obj, name) is value for name, value in fields.items()):
        return obj
    return dataclasses.replace(obj, **fields)


def _kept(new: tuple, old: tuple) -> tuple:
    """`old` when every item of `new` is the very same record (then the claim is kept too)."""
    return old if all(a is b for a, b in zip(new, old, strict=True)) else new


def _prose(claim: Claim) -> tuple:
    """Every field render_claim renders (tests/unit/test_cite_intext.py holds them to it)."""
    conf, rv = claim.confidence, claim.reviewed
    return (claim.statement, claim.summary, conf.rationale, conf.caveat,
            *[t for link in claim.evidence for t in (link.locator, link.note, link.source_locator)],
            *[rel.note for rel in claim.related], *((rv.against, rv.note) if rv else ()))


def render_claim(claim: Claim, names_year: Labels) -> Claim:
    """The claim with its prose fields (not quotes, which are verbatim) cited by label; the
    claim itself, looked at once, when none cites (most claims: their records are kept)."""
    if not any(text and "@" in text for text in _prose(claim)):
        return claim

    def r(text):
        return render(text, names_year)

    conf = claim.confidence
    evidence = tuple(
        _changed(link, locator=r(link.locator), note=r(link.note), source_locator=r(link.source_locator))
        for link in claim.evidence
    )
    related = tuple(_changed(rel, note=r(rel.note)) for rel in claim.related)
    reviewed = claim.reviewed and _changed(
        claim.reviewed, against=r(claim.reviewed.against), note=r(claim.reviewed.note)
    )
    return _changed(
        claim,
        statement=r(claim.statement),
        summary=r(claim.summary),
        evidence=_kept(evidence, claim.evidence),
        related=_kept(related, claim.related),
        reviewed=reviewed,
        confidence=_changed(conf, rationale=r(conf.rationale), caveat=r(conf.caveat)),
    )


def render_base(base: EvidenceBase, refs: Mapping) -> EvidenceBase:
    """The base as readers see it: every `[@key]` in claim text a Harvard label. The site
    and the exports read this; the checker reads the text as written."""
    return render_base_by(base, labels(refs))


def render_base_by(base: EvidenceBase, names_year: Labels) -> EvidenceBase:
    """render_base from the labels alone (cite.harvard.in_text_labels), no references made."""
    sources = {key: _render_source(src, names_year) for key, src in base.sources.items()}
    return dataclasses.replace(
        base, claims=tuple(render_claim(c, names_year) for c in base.claims), sources=sources
    )




def _render_source(src, names_year: Labels):
    changed = {
        name: render(src.fields[name], names_year) for name in SOURCE_TEXT_FIELDS if name in src.fields
    }
    if all(changed[name] == src.fields[name] for name in changed):
        return src
    return dataclasses.replace(src, fields={**src.fields, **changed})
