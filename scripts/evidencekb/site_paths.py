"""Safe output paths for ids and keys that come from pull requests.

A BibTeX key may hold ':' '.' '+' or worse; a page path made from it must stay
inside the output folder whatever it holds.
"""

from __future__ import annotations

import hashlib
import re


def source_slug(key: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-_")
    if not slug or slug != key.lower():
        # keep distinct keys distinct after cleaning
        slug = f"{slug or 'source'}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return slug


def claim_slug(claim_id: str) -> str:
    """Claim ids are checked slugs already; refuse anything else rather than guess."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", claim_id):
        raise ValueError(f"not a claim id: {claim_id!r}")
    return claim_id
