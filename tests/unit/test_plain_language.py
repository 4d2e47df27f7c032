"""The rating in plain words comes from the schema's x-plain, by level and claim type,
and the statement is carried unchanged."""

from __future__ import annotations

import dataclasses
import json

from evidencekb.plain_language import plain_rating


def _base(check):
    result, _ = check()
    assert result.base is not None
    return result.base


def _with(claim, level: str, claim_type: str | None = None):
    conf = dataclasses.replace(claim.confidence, level=level)
    return dataclasses.replace(claim, confidence=conf, claim_type=claim_type or claim.claim_type)


def test_each_level_reads_in_plain_words(project, check):
    base = _base(check)
    claim = next(c for c in base.claims if c.claim_type != "effectiveness")
    expect = {"high": "We are confident this is true", "moderate": "This is probably true",
              "low": "This may be true", "very-low": "We are very uncertain whether this is true"}
    for level, verdict in expect.items():
        pr = plain_rating(base, _with(claim, level))
        assert pr.verdict == verdict
        assert pr.sentence.startswith(f"{verdict} (")
        assert pr.sentence.endswith(": " + claim.statement.strip())
    assert plain_rating(base, _with(claim, "very-low")).advice == "Treat it as a lead, not a fact."
    assert plain_rating(base, _with(claim, "moderate")).sentence.startswith(
        "This is probably true (moderate confidence): ")


def test_an_effect_claim_uses_grade_wording(project, check):
    base = _base(check)
    claim = base.claims[0]
    assert plain_rating(base, _with(claim, "moderate", "effectiveness")).verdict.startswith("This probably")
    assert plain_rating(base, _with(claim, "low", "effectiveness")).verdict.startswith("This may")
    assert plain_rating(base, _with(claim, "very-low", "effectiveness")).verdict.startswith(
        "We are very uncertain whether")


def test_the_wording_is_schema_data(project, check):
    schema_path = project.root / "claims" / "claim.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    term = next(o for o in schema["$defs"]["level"]["oneOf"] if o["const"] == "moderate")
    term["x-plain"]["verdict"] = "Likely so"
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    base = _base(check)
    claim = next(c for c in base.claims if c.claim_type != "effectiveness")
    assert plain_rating(base, _with(claim, "moderate")).verdict == "Likely so"
