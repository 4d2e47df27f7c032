"""A rating in plain words, as the interactive Summary of Findings (iSoF / MAGICapp) states it.

A support worker reads "This is probably true", not "Moderate (CERQual)". The wording
is data: each level's `x-plain` annotation in claims/claim.schema.json gives a verdict
for any claim, an `effect` wording in GRADE's standard form for a claim whose type has
`x-effectiveness` (high "the evidence shows", moderate "probably", low "may", very low
"we are very uncertain whether"), and advice on what to do with it. The claim page, both
copied citation texts and the graph explorer all take the sentence from here, so they
can never word a rating differently.

The statement itself is never rewritten: the plain wording stands before it, and the
engine names no topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Claim, EvidenceBase


@dataclass(frozen=True)
class PlainRating:
    verdict: str  # "This is probably true"
    advice: str  # "Further research may change this finding."
    sentence: str  # "This is probably true (moderate confidence): <statement>"
    level: str  # "moderate confidence"

    @property
    def meaning(self) -> str:
        """'Very low: Treat it as a lead, not a fact.' style, for a citation's confidence line."""
        return f"{self.verdict}. {self.advice}".strip()


def _is_effect(base: EvidenceBase, claim: Claim) -> bool:
    v = base.vocabularies.get("claim_type")
    term = v.get(claim.claim_type) if v else None
    return bool(term and term.meta.get("x-effectiveness"))


def plain_rating(base: EvidenceBase, claim: Claim) -> PlainRating:
    """The claim's rating in plain words, from its level's `x-plain` and its type."""
    level_id = claim.confidence.level
    v = base.vocabularies.get("level")
    term = v.get(level_id) if v else None
    plain = dict(term.meta.get("x-plain") or {}) if term else {}
    title = (term.title if term else level_id).lower()
    verdict = plain.get("verdict") or (term.description if term else "") or f"{title} confidence"
    lead = plain.get("effect") if _is_effect(base, claim) and plain.get("effect") else verdict
    advice = plain.get("advice", "")
    level = f"{title} confidence"
    return PlainRating(verdict=lead, advice=advice, sentence=f"{lead} ({level}): {claim.statement.strip()}",
                       level=level)


__all__ = ["PlainRating", "plain_rating"]
