"""Ways in: themes, an A–Z of sources, authors, and the filterable table of claims.

These are the pages in the navigation; the thousands of claim and source pages are
reached from here, which keeps every page's navigation small and the build linear.
Lists stay compact (one line per entry) so they stay light as the base grows.

This module makes the theme pages; the A–Z lists of sources and authors are in a_to_z, the
claims table in claims_table.
"""

from __future__ import annotations

from ..model import EvidenceBase
from ..plain_language import plain_rating
from ..themes import answer_rank, answers, answers_question
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
    stance_counts,
    theme_url,
    title,
)
from .markup import plural
from .templating import render

#: Above this many claims a theme page lists titles only; the table has the rest.
THEME_DETAIL_LIMIT = 150
#: A theme page lists at most this many claims (strongest first); the table has the rest.
THEME_LIST_LIMIT = 500


def level_counts(base: EvidenceBase, claims) -> str:
    from collections import Counter

    c = Counter(cl.confidence.level for cl in claims)
    parts = [f"{c[lv]} {title(base, 'level', lv).lower()}" for lv in levels_descending(base) if c.get(lv)]
    return ", ".join(parts)


# --- themes -------------------------------------------------------------------------------


def render_themes_index(base: EvidenceBase) -> GeneratedPage:
    src_uri = "themes/index.md"
    root = root_of(src_uri)
    themes = []
    for term in base.vocabularies["theme"].terms:
        claims = [c for c in base.claims if term.id in c.themes]
        themes.append(
            {
                "id": term.id,
                "url": root + theme_url(term.id),
                "title": term.title,
                "description": term.description,
                "claims": plural(len(claims), "claim"),
                "levels": level_counts(base, claims) if claims else "",
            }
        )
    body = render("browse/themes.html", root=root, themes=themes)
    return GeneratedPage(src_uri, "Themes", [heading(1, "Themes"), raw(body)])


def _claim_item(base, claim, root, profile) -> dict:
    n = profile.n_sources if profile else len({l.source for l in claim.evidence})
    return {
        "url": root + claim_url(claim.id),
        "heading": claim_heading(claim),
        "badge": level_badge(base, claim.confidence.level),
        "plain": plain_rating(base, claim).verdict,
        "statement": claim.statement if claim.summary else "",
        "caveat": claim.confidence.caveat,
        "kind": title(base, "claim_type", claim.claim_type),
        "sources": plural(n, "source"),
        "others": "".join(f" · {x}" for x in stance_counts(profile)[1:]) if profile else "",
    }


def _theme_parts(base: EvidenceBase, theme_id: str, claims: list, analysis, root: str) -> list[dict]:
    """The claims that answer the theme's question (its `x-answers` claim types) first, then the
    background, each by confidence level, at most THEME_LIST_LIMIT in all."""
    types = answers(base, theme_id)
    first = [c for c in claims if answers_question(base, theme_id, c.claim_type)]
    rest = [c for c in claims if not answers_question(base, theme_id, c.claim_type)]
    kinds = ", ".join(title(base, "claim_type", t).lower() for t in types)
    parts = []
    room = THEME_LIST_LIMIT
    for part_id, part_heading, group in (
        ("answers", "Claims that answer this question", first),
        ("background", "Background and other claims", rest),
    ):
        if not group:
            continue
        levels, room = _theme_levels(base, theme_id, group, analysis, root, room, part_id if types else "")
        parts.append(
            {
                "id": part_id,
                "heading": part_heading if types else "",
                "count": len(group),
                "levels": levels,
                "kinds": kinds if part_id == "answers" else "",
            }
        )
    return parts


def _theme_levels(
    base: EvidenceBase, theme_id: str, claims: list, analysis, root: str, room: int, prefix: str
) -> tuple[list[dict], int]:
    """The claims by confidence level, strongest first, and the room left after them."""
    levels = []
    for lv in levels_descending(base):
        group = [c for c in claims if c.confidence.level == lv]
        if not group:
            continue
        shown, room = group[: max(0, room)], room - len(group)
        levels.append(
            {
                "id": f"{prefix}-{lv}" if prefix else lv,
                "title": title(base, "level", lv),
                "count": len(group),
                "description": description(base, "level", lv),
                "claims": [_claim_item(base, c, root, analysis.claims.get(c.id)) for c in shown],
                "more": plural(len(group) - len(shown), "more claim") if len(shown) < len(group) else "",
                "more_url": f"{root}browse/claims/?theme={theme_id}&level={lv}",
            }
        )
    return levels, room


def render_theme(base: EvidenceBase, theme_id: str, analysis) -> GeneratedPage:
    src_uri = f"themes/{theme_id}/index.md"
    root = root_of(src_uri)
    term = base.vocabularies["theme"].get(theme_id)
    claims = [c for c in base.claims if theme_id in c.themes]
    detail = len(claims) <= THEME_DETAIL_LIMIT
    claims.sort(
        key=lambda c: (
            answer_rank(base, theme_id, c.claim_type),
            -level_rank(base, c.confidence.level),
            claim_heading(c).lower(),
        )
    )
    head = render(
        "browse/theme_head.html",
        root=root,
        title=term.title if term else theme_id,
        description=term.description if term else "",
        claims=plural(len(claims), "claim"),
        levels=level_counts(base, claims) if claims else "",
        n_claims=len(claims),
        detail=detail,
        filter_url=root + "browse/claims/?theme=" + theme_id,
        theme_id=theme_id,
    )
    rest = render(
        "browse/theme_claims.html", detail=detail, parts=_theme_parts(base, theme_id, claims, analysis, root)
    )
    return GeneratedPage(
        src_uri, term.title if term else theme_id, [raw(head), raw(rest, search=False)], {"ev_kind": "theme"}
    )
