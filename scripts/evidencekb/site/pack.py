"""The evidence pack: per-claim records the Pack page (assets/pack.js) turns into an evidence
section for a bid, the Pack page itself, and the commissioning checklist.

Every word the pack shows comes from here, and everything here comes from the claim data, the
schema's vocabularies and the formatted references: pack.js arranges text, it never writes
any. A record carries the claim's plain-language sentence, its confidence, its caveat (always
shown for low and very low), its rationale (the "full" form), its in-text citations and its
references with their reference-list rank, so a pack of any claims merges into one list in
one order with the same year letters as the rest of the site.
"""

from __future__ import annotations

import json
import re

from ..history import version_text
from ..plain_language import plain_rating
from ..vocabulary import meaning
from .citation import _cite_list, _with_citation, ordered_cites, works_read
from .common import GeneratedPage, Settings, claim_heading, claim_url, raw, title
from .templating import render
from .versions import current_version, version_record

PACK_DIR = "pack/claims/"



def always_caveat(base) -> frozenset[str]:
    """The levels whose caveat a pack always carries: the schema's two lowest (GRADE's low and very low)."""
    return frozenset(meaning(base.vocabularies, base.schema).descending()[-2:])
_KEY_REF = re.compile(r"\[@([A-Za-z0-9_:.\-]+)\]|(?<![\w@])@([A-Za-z0-9_:\-]+(?:\.[A-Za-z0-9_:\-]+)*)")


def cited_text(text: str | None, refs, keys: list[str]) -> str:
    """[@key] -> "(Buck, 2021b)" and @key -> "Buck (2021b)", as the site renders them; the keys
    met are appended to `keys` so their works join the reference list."""
    if not text:
        return ""

    def put(m):
        key = m.group(1) or m.group(2)
        ref = refs.get(key)
        if ref is None:
            return m.group(0)
        if key not in keys:
            keys.append(key)
        return ref.parenthetical if m.group(1) else ref.label

    return _KEY_REF.sub(put, text)


def claim_record(base, claim, refs, rank: dict[str, int], settings: Settings, history) -> dict:
    conf = claim.confidence
    keys = works_read(claim, refs)  # the reference list holds the works read (Cite Them Right)
    p = plain_rating(base, claim)  # the schema's plain-language wording, as on the claim page
    m = meaning(base.vocabularies, base.schema)
    version = version_record(history, claim.id, settings)
    all_relations = base.vocabularies["relation"].ids()
    supports = (_cite_list(refs, ordered_cites(claim, refs, *m.relations("for")))
                or _cite_list(refs, ordered_cites(claim, refs, *all_relations)))
    # other relations, introduced as their term's x-cited-as says ("Qualified by", ...), as in the citation
    cited_as = [f"{t.meta['x-cited-as']}: {cites}." for t in base.vocabularies["relation"].terms
                if t.meta.get("x-cited-as") and not m.supports(t.id)
                and (cites := _cite_list(refs, ordered_cites(claim, refs, t.id)))]

    extra: list[str] = []
    caveat = cited_text(conf.caveat, refs, extra)
    rationale = cited_text(conf.rationale, refs, extra)
    works = keys + [k for k in extra if k not in keys]
    return {
        "id": claim.id, "title": claim_heading(claim).rstrip("."), "statement": claim.statement,
        "sentence": _with_citation(p.sentence, supports),
        "confidence": (f"{title(base, 'level', conf.level)} ({title(base, 'method', conf.method)}). "
                       f"{p.meaning}"),
        "cited_as": cited_as, "level": conf.level, "level_title": title(base, "level", conf.level),
        "caveat": caveat, "caveat_always": conf.level in always_caveat(base), "rationale": rationale,
        "url": settings.permalink(claim_url(claim.id)),
        "permalink": version["permalink"] if version else settings.permalink(claim_url(claim.id)),
        "version": version["text"] if version else "",
        "references": [{"key": k, "rank": rank[k], "text": refs[k].text, "html": str(refs[k].html)}
                       for k in sorted(works, key=lambda k: rank[k])],
    }


def pack_files(data, settings: Settings) -> dict[str, str]:
    """pack/claims/<id>.json for every claim (fetched by the Pack page for the claims chosen)."""
    refs = data.references
    rank = {k: i for i, k in enumerate(sorted(refs, key=lambda k: refs[k].sort_key))}
    out = {}
    for claim in data.base.claims:
        record = claim_record(data.base, claim, refs, rank, settings, data.history)
        out[f"{PACK_DIR}{claim.id}.json"] = json.dumps(record, ensure_ascii=False, sort_keys=True,
                                                       separators=(",", ":")) + "\n"
    return out


def base_version(data) -> str:
    """The version of the base a pack came from: the newest claim version's date and commit."""
    history = data.history
    if history is None or not history.available:
        return ""
    newest = max((h.current for h in history.claims.values() if h.current), key=lambda v: (v.date, v.commit),
                 default=None)
    if newest is None:
        return ""
    when = version_text(newest).split(", ", 1)[1]
    return f"the evidence base as changed on {when} (commit {newest.commit[:7]})"


def render_pack_page(data, settings: Settings) -> GeneratedPage:
    body = render("pack/page.html", site_name=settings.site_name, base_version=base_version(data),
                  site_url=settings.site_url)
    return GeneratedPage("pack/index.md", "Evidence pack", [raw(body, search=False)], {"ev_kind": "pack"})


def recommendation_claims(base) -> dict[str, list]:
    """audience id -> claims that recommend something to it, strongest evidence first."""
    from .common import level_rank

    vocab = base.vocabularies.get("audience")
    out: dict[str, list] = {t.id: [] for t in vocab.terms} if vocab else {}
    for claim in base.claims:
        for audience in claim.recommendation:
            out.setdefault(audience, []).append(claim)
    for claims in out.values():
        claims.sort(key=lambda c: (-level_rank(base, c.confidence.level), claim_heading(c).lower()))
    return out


def render_checklist(data) -> GeneratedPage:
    from .common import level_badge

    base = data.base
    src_uri = "commissioning/index.md"
    groups = []
    for audience, claims in recommendation_claims(base).items():
        if not claims:
            continue
        items = []
        for c in claims:
            v = current_version(data.history, c.id)
            items.append({"id": c.id, "heading": claim_heading(c), "statement": c.statement,
                          "url": "../" + claim_url(c.id), "badge": level_badge(base, c.confidence.level),
                          "plain": plain_rating(base, c).verdict,
                          "caveat": c.confidence.caveat if c.confidence.level in always_caveat(base) else "",
                          "version": "V" + version_text(v)[1:] if v else ""})
        vocab = base.vocabularies.get("audience")
        term = vocab.get(audience) if vocab else None
        groups.append({"id": audience, "title": title(base, "audience", audience), "lines": items,
                       "description": term.description if term else ""})
    body = render("pack/checklist.html", groups=groups)
    return GeneratedPage(src_uri, "Commissioning checklist", [raw(body)], {"ev_kind": "checklist"})
