"""The rating policy, in one place: how high a claim's confidence may go.

Three things cap a rating: the method's component judgements (`ceiling`), the
claim's evidence profile (`supported_level`: one author group, grey literature
only, no comparison group, a dispute) and what the claim rests on
(`basis_ceiling`: argument alone). `rating_findings` turns them into what
`evidence check` reports; the gap register, the claim page and `evidence new`
call the same functions, so they can never disagree with the checker.

The policy names weaknesses; which levels, designs, relations and claim types
they concern is the schema's business (its `x-` annotations, read by
`vocabulary.meaning`), so a new level, design or relation needs no code.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from .model import Claim, EvidenceBase, Source
from .vocabulary import Meaning, meaning


def of(base: EvidenceBase) -> Meaning:
    """The meaning of the base's vocabularies: what every function here takes."""
    return meaning(base.vocabularies, base.schema)


def _term_meta(m: Meaning, vocab_name: str, term_id: str | None) -> Mapping[str, Any]:
    v = m.vocab.get(vocab_name)
    term = v.get(term_id) if v and term_id is not None else None
    return term.meta if term else {}


def supporting(claim: Claim, m: Meaning) -> set[str]:
    return {e.source for e in claim.evidence if m.supports(e.relation)}


def is_contested(claim: Claim, m: Meaning) -> bool:
    return any(m.disputes(e.relation) for e in claim.evidence)


def needs_comparison(claim: Claim, m: Meaning) -> bool:
    return claim.claim_type in m.effectiveness_types


def _down(m: Meaning, level_rank: int, steps: int) -> str:
    return m.levels[max(0, min(len(m.levels) - 1, level_rank - steps))]


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "None"


def ceiling(claim: Claim, sources: Mapping[str, Source], m: Meaning) -> tuple[str, str]:
    """The highest level the method's component judgements allow, and why.

    The method starts at its `x-start` level (or a design's, for a body of evidence that
    includes it); each judgement moves it down by its `x-step`; judgements marked
    `x-together` count only when enough components share them; an `x-cap` judgement caps it.

    The answer depends on the method, the judgements and the supporting designs alone, so it
    is worked out once for each of those (m.answers): 10,000 claims share a few dozen."""
    c = claim.confidence
    designs = frozenset(sources[e.source].design for e in claim.evidence
                        if m.supports(e.relation) and e.source in sources)
    key = ("ceiling", c.method, tuple(c.components.items()), designs)
    found = m.answers.get(key)
    if found is None:
        found = m.answers[key] = _ceiling(c, designs, m)
    return found


def _ceiling(c, designs: frozenset[str], m: Meaning) -> tuple[str, str]:
    method = _term_meta(m, "method", c.method)
    wanted = m.components.get(c.method, {})
    judged = [(name, value, _term_meta(m, wanted.get(name, ""), value)) for name,
              value in c.components.items()]
    for _name, _value, meta in judged:
        if "x-cap" in meta:
            return meta["x-cap"], meta.get("x-cap-why", "")
    start = m.rank(method.get("x-start", m.top))
    for design in sorted(designs):
        raised = (_term_meta(m, "design", design).get("x-start") or {}).get(c.method)
        if raised is not None:
            start = max(start, m.rank(raised))
    why = []
    start_why = (method.get("x-start-why") or {}).get(m.levels[start])
    if start_why:
        why.append(start_why)
    down = 0
    together: dict[str, int] = {}
    rules: dict[str, Mapping] = {}
    for name, value, meta in judged:
        step = int(meta.get("x-step", 0))
        if step:
            why.append(f"-{step} for {name.replace('_', ' ')}")
        down += step
        if meta.get("x-together"):
            together[value] = together.get(value, 0) + 1
            rules[value] = meta["x-together"]
    for value, count in together.items():
        rule = rules[value]
        if count >= int(rule.get("count", 2)):
            step = int(rule.get("step", 1))
            down += step
            why.append(f"-{step} for {rule.get('why', value)}")
    if method.get("x-summary"):
        text = string.Formatter().vformat(method["x-summary"], (), _Missing(c.components))
        return _down(m, start, down), text
    return _down(m, start, down), ", ".join(why) or method.get("x-no-concerns", "")


def supported_level(claim: Claim, groups: int, grey_only: bool, comparison: bool, contested: bool,
                    m: Meaning) -> str:
    """The highest rating this evidence profile can carry, whatever the method's judgements say.

    A claim rated by an `x-authority-based` method (a definition or context claim stating
    what a named body says) has its own document as the best evidence, so the caps on one
    author group and on grey literature do not apply to it."""
    authority = bool(_term_meta(m, "method", claim.confidence.method).get("x-authority-based"))
    rank = len(m.levels) - 1

    def cap(weakness: str) -> None:
        nonlocal rank
        if weakness in m.caps:
            rank = min(rank, m.rank(m.caps[weakness]))

    if groups < 2 and not authority:
        cap("one-author-group")
    if grey_only and not authority:
        cap("grey-only")
    if needs_comparison(claim, m) and not comparison:
        cap("no-comparison")
    if contested:
        cap("contested")
    if groups == 0:
        rank = m.rank(m.caps.get("no-support", m.bottom))
    return m.levels[rank]


def basis_ceiling(claim: Claim, m: Meaning) -> str | None:
    """The highest level the claim's evidence basis allows (argument alone caps it), if any."""
    return m.basis_max.get(claim.evidence_basis or "")


def allowed_levels(m: Meaning, at_most: str) -> tuple[str, ...]:
    """The levels a rater may choose under a ceiling, highest first."""
    return tuple(lv for lv in m.descending() if m.rank(lv) <= m.rank(at_most))


@dataclass(frozen=True)
class Finding:
    """One thing `evidence check` says about a rating: where (a path into the claim), what, and how bad."""

    path: tuple
    message: str
    rule: str
    severity: str = "error"


def rating_findings(claim: Claim, sources: Mapping[str, Source], m: Meaning) -> Iterator[Finding]:
    """Whether a claim's rating is consistent with the evidence behind it."""
    conf = claim.confidence
    level = ("confidence", "level")
    backing = supporting(claim, m)
    if not backing:
        rels = " or ".join(repr(r) for r in m.relations("for"))
        yield Finding(("evidence",),
                      f"no source supports this claim: at least one link must have relation {rels}",
                      "no-support")
    required = m.type_method.get(claim.claim_type)
    if required and conf.method != required:
        yield Finding(("confidence", "method"), f"{claim.claim_type} claims are rated with {required}",
                      "method-for-type")
    if conf.level == m.top:
        if len(backing) < 2:
            yield Finding(level,
                          f"confidence {m.top!r} needs at least two supporting sources; this claim rests on "
                          f"{len(backing)}", "high-single-source")
        if is_contested(claim, m):
            against = " or ".join(repr(r) for r in m.relations("against"))
            yield Finding(level,
                          f"confidence {m.top!r} on a disputed claim: a {against} link argues against it",
                          "high-disputed", "warning")
        if needs_comparison(claim, m):
            designs = {sources[s].design for s in backing if s in sources}
            if not designs & m.comparison_designs:
                names = " or ".join(d for d in m.vocab["design"].ids() if d in m.comparison_designs)
                yield Finding(level,
                              f"confidence {m.top!r} on an {claim.claim_type} claim with no comparison-group "
                              f"study ({names})", "high-no-comparison")
    allowed, why = ceiling(claim, sources, m)
    if m.rank(conf.level) > m.rank(allowed):
        yield Finding(level,
                      f"confidence {conf.level!r} is higher than the {conf.method} judgements allow ({why}): "
                      f"at most {allowed!r}", "confidence-ceiling")
    basis_max = basis_ceiling(claim, m)
    if basis_max is not None and m.rank(conf.level) > m.rank(basis_max):
        yield Finding(level, f"evidence_basis {claim.evidence_basis} caps the level at {basis_max}",
                      "basis-ceiling")
    if conf.level != m.top and not conf.caveat:
        yield Finding(("confidence",), "add a caveat: what someone citing this claim must say with it",
                      "missing-caveat", "warning")
