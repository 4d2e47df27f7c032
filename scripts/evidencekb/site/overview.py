"""Pages and blocks about the base as a whole: the home-page blocks, the evidence map and the
gap register. The method page's generated reference is in method_page, the downloads page and
its data files in downloads.
"""

from __future__ import annotations

from collections import Counter

from ..model import EvidenceBase
from ..plain_language import plain_rating
from ..themes import answer_rank
from .common import (
    GeneratedPage,
    claim_heading,
    claim_url,
    description,
    heading,
    level_badge,
    level_rank,
    levels_descending,
    raw,
    root_of,
    theme_url,
    title,
)
from .markup import plural
from .templating import block, render

#: How many gaps of one kind the register lists before pointing to data/gaps.json.
GAPS_PER_KIND = 300
#: Filter names the claims table understands, by vocabulary.
FILTER_PARAM = {
    "theme": "theme",
    "design": "design",
    "outcome": "outcome",
    "claim_type": "type",
    "setting": "setting",
}


# --- home-page blocks ---------------------------------------------------------------------


def block_stats(base: EvidenceBase, analysis, root: str) -> str:
    contested = sum(1 for p in analysis.claims.values() if p.contested)
    return block(
        "stats",
        claims=len(base.claims),
        sources=len(base.sources),
        root=root,
        links=sum(len(c.evidence) for c in base.claims),
        contested=plural(contested, "finding"),
    )


def block_levels(base: EvidenceBase, root: str) -> str:
    levels = [
        {"badge": level_badge(base, lv, suffix=""), "description": description(base, "level", lv)}
        for lv in levels_descending(base)
    ]
    return block("levels", levels=levels)


def headline_claims(base: EvidenceBase, analysis, n: int | None = None) -> list:
    """The claim of each theme that best answers its question, in the theme vocabulary's order:
    the claim type decides (the theme's `x-answers`), then confidence, so 'does it reduce
    reoffending?' is answered by an effectiveness finding even when that answer is 'we do not
    know yet', never by stronger background."""

    def key(c, theme_id):
        p = analysis.claims.get(c.id)
        return (
            answer_rank(base, theme_id, c.claim_type),
            -level_rank(base, c.confidence.level),
            -(p.author_groups if p else 0),
            -(p.n_sources if p else 0),
            c.id,
        )

    chosen: list = []
    themes: list = []
    for term in base.vocabularies["theme"].terms:
        taken = {c.id for c in chosen}
        candidates = sorted(
            (c for c in base.claims if term.id in c.themes and c.id not in taken),
            key=lambda c: key(c, term.id),
        )
        if candidates:
            chosen.append(candidates[0])
            themes.append(term)
        if len(chosen) == n:
            break
    return list(zip(themes, chosen, strict=True))


def block_headlines(base: EvidenceBase, analysis, root: str) -> str:
    cards = []
    for term, c in headline_claims(base, analysis):
        p = analysis.claims.get(c.id)
        cards.append(
            {
                "theme": term.title,
                "url": root + claim_url(c.id),
                "heading": claim_heading(c),
                "kind": title(base, "claim_type", c.claim_type),
                "plain": plain_rating(base, c).verdict,
                "statement": c.statement,
                "badge": level_badge(base, c.confidence.level),
                "sources": plural(p.n_sources if p else 0, "source"),
            }
        )
    return block("headlines", cards=cards)


def block_themes(base: EvidenceBase, root: str) -> str:
    counts = Counter(t for c in base.claims for t in c.themes)
    themes = [
        {"url": root + theme_url(t.id), "title": t.title, "count": counts.get(t.id, 0)}
        for t in base.vocabularies["theme"].terms
    ]
    return block("themes", themes=themes)


# --- evidence map -------------------------------------------------------------------------


def _heat(n: int, top: int) -> int:
    if n == 0:
        return 0
    return min(4, 1 + (4 * n - 1) // max(1, top))


def _map_record(name: str, m, root: str) -> dict:
    """One evidence map as rows of cells, each a count with the claims-table link that lists them."""
    top = max((len(v) for v in m.cells.values()), default=1)
    rp, cp = FILTER_PARAM.get(m.row_vocab, m.row_vocab), FILTER_PARAM.get(m.col_vocab, m.col_vocab)
    cols = [(cid, ct) for cid, ct in m.cols if any((r, cid) in m.cells for r, _ in m.rows)]
    empty_cols = [ct for cid, ct in m.cols if (cid, ct) not in cols]
    rows = []
    for rid, rt in m.rows:
        cells = []
        for cid, ct in cols:
            n = len(m.cells.get((rid, cid), ()))
            cells.append(
                {
                    "n": n,
                    "heat": _heat(n, top),
                    "col": ct,
                    "url": f"{root}browse/claims/?{rp}={rid}&{cp}={cid}",
                }
            )
        rows.append(
            {
                "title": rt,
                "url": root + theme_url(rid) if m.row_vocab == "theme" else "",
                "cells": cells,
                "total": len({c for (r, _), ids in m.cells.items() if r == rid for c in ids}),
            }
        )
    return {
        "anchor": f"map-{name.replace('_', '-')}",
        "title": m.title,
        "cols": [ct for _, ct in cols],
        "rows": rows,
        "empty_cols": ", ".join(empty_cols),
    }


def render_map(base: EvidenceBase, analysis) -> GeneratedPage:
    src_uri = "map/index.md"
    root = root_of(src_uri)
    order = ["theme-by-design", "theme-by-outcome", "claim_type-by-design"]
    names = [n for n in order if n in analysis.maps] + [n for n in analysis.maps if n not in order]
    body = render("pages/map.html", root=root, maps=[_map_record(n, analysis.maps[n], root) for n in names])
    return GeneratedPage(
        src_uri,
        "Evidence map",
        [heading(1, "Evidence map"), raw(body, search=False)],
        {"ev_kind": "map", "search": {"exclude": True}, "hide": ["toc", "navigation"]},
    )


# --- gap register -------------------------------------------------------------------------


def _gap_row(base: EvidenceBase, g, root: str) -> dict:
    claim = base.claim(g.subject)
    if claim is not None:
        return {
            "url": root + claim_url(claim.id),
            "subject": claim_heading(claim),
            "detail": g.detail,
            "badge": level_badge(base, claim.confidence.level),
        }
    if g.subject in base.vocabularies["theme"].ids():
        return {
            "url": root + theme_url(g.subject),
            "subject": title(base, "theme", g.subject),
            "detail": g.detail,
            "badge": None,
        }
    return {"url": "", "subject": g.subject, "detail": g.detail, "badge": None}


def render_gaps(base: EvidenceBase, analysis) -> GeneratedPage:
    from ..analysis import GAP_KINDS

    src_uri = "gaps/index.md"
    root = root_of(src_uri)
    by_kind: dict[str, list] = {k: [] for k in GAP_KINDS}
    for g in analysis.gaps:
        by_kind.setdefault(g.kind, []).append(g)
    kinds = [
        {
            "id": kind,
            "title": GAP_KINDS.get(kind, kind),
            "count": len(gaps),
            "shown": GAPS_PER_KIND,
            "more": len(gaps) > GAPS_PER_KIND,
            "rows": [_gap_row(base, g, root) for g in gaps[:GAPS_PER_KIND]],
        }
        for kind, gaps in by_kind.items()
    ]
    body = render("pages/gaps.html", root=root, kinds=kinds)
    return GeneratedPage(
        src_uri,
        "Gap register",
        [heading(1, "Gap register"), raw(body, search=False)],
        {"ev_kind": "gaps", "search": {"exclude": True}, "hide": ["toc"]},
    )
