"""The claims table: every claim, strongest first, in pages of CLAIMS_PER_PAGE rows, with
select boxes for the facets some claim uses (site.js filters the rows, across pages through
the claims index that render writes).
"""

from __future__ import annotations

from collections import defaultdict

from ..model import EvidenceBase
from .common import (
    GeneratedPage,
    claim_heading,
    claim_url,
    heading,
    level_badge,
    level_rank,
    raw,
    root_of,
    sources_cell,
    title,
    titles,
)
from .markup import plural
from .templating import render

#: Rows per page of the claims table; more pages beyond it (browse/claims/2/ ...).
CLAIMS_PER_PAGE = 400

FILTERS = (  # (data attribute, label, vocabulary)
    ("theme", "Theme", "theme"),
    ("type", "Kind of finding", "claim_type"),
    ("setting", "Setting", "setting"),
    ("level", "Confidence", "level"),
    ("design", "Study design", "design"),
    ("outcome", "Outcome", "outcome"),
)


def claim_facets(base: EvidenceBase, claim) -> dict[str, list[str]]:
    designs = sorted({base.sources[l.source].design for l in claim.evidence if l.source in base.sources})
    return {
        "theme": list(claim.themes),
        "type": [claim.claim_type],
        "setting": list(claim.settings),
        "level": [claim.confidence.level],
        "design": designs,
        "outcome": list(claim.outcomes),
    }


def _filters(base: EvidenceBase, used: dict[str, set]) -> list[dict]:
    """The claims table's select boxes: only the terms some claim uses."""
    out = []
    for attr, label, vocab in FILTERS:
        v = base.vocabularies.get(vocab)
        if v is not None:
            out.append(
                {
                    "attr": attr,
                    "label": label,
                    "options": [
                        {"id": t.id, "title": t.title} for t in v.terms if t.id in used.get(attr, ())
                    ],
                }
            )
    return out


def _claim_row(base: EvidenceBase, analysis, c, root: str) -> dict:
    return {
        "facets": [(k, " ".join(v)) for k, v in claim_facets(base, c).items()],
        "url": root + claim_url(c.id),
        "heading": claim_heading(c),
        "kind": title(base, "claim_type", c.claim_type),
        "themes": "; ".join(titles(base, "theme", c.themes)),
        "badge": level_badge(base, c.confidence.level, suffix=""),
        "sources": sources_cell(analysis.claims.get(c.id)),
    }


def render_claims_table(base: EvidenceBase, analysis) -> list[GeneratedPage]:
    claims = sorted(
        base.claims, key=lambda c: (-level_rank(base, c.confidence.level), claim_heading(c).lower())
    )
    pages = [claims[i : i + CLAIMS_PER_PAGE] for i in range(0, len(claims), CLAIMS_PER_PAGE)] or [[]]
    used: dict[str, set] = defaultdict(set)
    for c in claims:
        for k, vals in claim_facets(base, c).items():
            used[k].update(vals)
    filters = _filters(base, used)
    out = []
    for n, chunk in enumerate(pages, start=1):
        src_uri = "browse/claims/index.md" if n == 1 else f"browse/claims/{n}/index.md"
        root = root_of(src_uri)
        pager = [
            {"n": m, "current": m == n, "url": root + ("browse/claims/" if m == 1 else f"browse/claims/{m}/")}
            for m in range(1, len(pages) + 1)
        ]
        first = (n - 1) * CLAIMS_PER_PAGE + 1
        caption = (
            f"All {len(claims)} claims"
            if len(pages) == 1
            else f"Claims {first} to {first + len(chunk) - 1} of {len(claims)}"
        )
        body = render(
            "browse/claims.html",
            root=root,
            filters=filters,
            count=plural(len(claims), "claim"),
            pages=pager,
            total=len(claims),
            caption=caption,
            rows=[_claim_row(base, analysis, c, root) for c in chunk],
        )
        out.append(
            GeneratedPage(
                src_uri,
                "All claims" if n == 1 else f"All claims, page {n}",
                [heading(1, "All claims"), raw(body, search=False)],
                {"ev_kind": "table", "search": {"exclude": True}, "hide": ["toc"]},
            )
        )
    return out

