"""What a theme is about, read from the schema: the claim types that answer its question
(`x-answers`) and the outcomes it concerns (`x-outcomes`).

Home's headline cards and theme pages lead with the claims that answer the theme's
question (claim type decides, then confidence), and the gap register looks for missing
outcomes only among those a theme is about. Both are rules over the data: which theme
asks what is the schema's business, so the engine names no theme or claim type.
"""

from __future__ import annotations

from .model import EvidenceBase


def _meta(base: EvidenceBase, theme_id: str) -> dict:
    v = base.vocabularies.get("theme")
    term = v.get(theme_id) if v else None
    return dict(term.meta) if term else {}


def answers(base: EvidenceBase, theme_id: str) -> tuple[str, ...]:
    """The claim types that answer the theme's question, most direct first (empty: any type)."""
    return tuple(_meta(base, theme_id).get("x-answers") or ())


def answer_rank(base: EvidenceBase, theme_id: str, claim_type: str) -> int:
    """0 for the most direct answer, rising; len(answers) for a claim that is background here."""
    types = answers(base, theme_id)
    return types.index(claim_type) if claim_type in types else len(types)


def answers_question(base: EvidenceBase, theme_id: str, claim_type: str) -> bool:
    types = answers(base, theme_id)
    return not types or claim_type in types


def outcomes(base: EvidenceBase, theme_id: str) -> tuple[str, ...]:
    """The outcomes the theme is about (empty: it is not about outcomes, so none is 'missing')."""
    return tuple(_meta(base, theme_id).get("x-outcomes") or ())


__all__ = ["answers", "answer_rank", "answers_question", "outcomes"]
