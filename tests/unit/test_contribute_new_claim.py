"""contribute/new_claim.py (evidence new): the file written, what it refuses, the questions it asks."""

from __future__ import annotations

import json

import pytest

from evidencekb.contribute import ContributeError
from evidencekb.parsers.claim_yaml import parse_claim_bytes
from evidencekb.vocabulary import method_components
from tests.unit.contribute_support import FULL, MINIMAL, TODAY, errors_in, new, scripted

# --- the file written ----------------------------------------------------------------------


def test_full_flags_write_a_file_that_passes_check(project):
    code, out = new(
        project, *FULL, "--contributor", "Jo O'Neil", "--setting", "community", "--setting", "prison"
    )
    path = project.root / "claims" / "peer-mentors-own-stories-of-change-give-mentees-hope.yaml"
    assert code == 0 and path.is_file(), out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=claim.schema.json\n")
    assert f"added: {TODAY}" in text
    assert errors_in(project, "claims/" + path.name) == []
    assert "It passes `evidence check`" in out
    doc, problems = parse_claim_bytes(text.encode(), path.name)
    assert doc.data["settings"] == ["community", "prison"] and doc.data["contributors"] == ["Jo O'Neil"]
    assert doc.data["confidence"]["components"]["adequacy"] == "moderate"


def test_template_lists_allowed_values_from_the_schema(project):
    schema_path = project.root / "claims" / "claim.schema.json"
    schema = json.loads(schema_path.read_text())
    schema["$defs"]["outcome"]["oneOf"].append(
        {"const": "made-up-outcome", "title": "Made up", "description": "x"}
    )
    schema_path.write_text(json.dumps(schema))
    code, out = new(project, *MINIMAL, "--dry-run")
    assert code == 0
    outcome_lines = out[out.index("# outcomes:") : out.index("# schemes:")]
    assert "made-up-outcome" in outcome_lines and "reoffending" in outcome_lines
    for method, comps in method_components(schema).items():
        assert f"# {method}:" in out
        assert all(f"# {c}:" in out for c in comps)
    assert not list((project.root / "claims").glob("mentors-listen*"))  # --dry-run writes nothing


def test_template_fails_check_until_the_judgements_are_filled(project):
    code, out = new(project, *MINIMAL)
    rel = "claims/mentors-listen-first.yaml"
    assert code == 0 and "Still to do" in out
    errors = errors_in(project, rel)
    assert errors and all(p.message.startswith("confidence") for p in errors), errors
    # a contributor fills in the blanks the template shows, keeping the CERQual block
    path = project.root / rel
    text = path.read_text()
    text = text.replace("  level:", "  level: low", 1).replace("  method:", "  method: CERQual", 1)
    filled = []
    for line in text.splitlines():
        for comp in ("methodological_limitations", "coherence", "adequacy", "relevance"):
            if line.startswith(f"    # {comp}:"):
                line = f"    {comp}: moderate" if comp == "adequacy" else f"    {comp}: minor"
        if line.startswith("    # ") and any(
            line.startswith(f"    # {c}:")
            for c in (
                "risk_of_bias",
                "inconsistency",
                "indirectness",
                "imprecision",
                "publication_bias",
                "authority",
                "clarity",
            )
        ):
            continue
        if line.startswith("  rationale:"):
            line = "  rationale: One ethnography."
        filled.append(line)
    path.write_text("\n".join(filled) + "\n")
    assert errors_in(project, rel) == []


def test_ceiling_is_the_checkers(project):
    argv = list(FULL)
    argv[argv.index("adequacy=moderate")] = "adequacy=serious"
    code, out = new(project, *argv)  # moderate is above what CERQual allows here: written, and check says so
    assert code == 0 and "confidence-ceiling" in out


@pytest.mark.parametrize(
    "statement",
    [
        "yes",
        "null",
        "#hash first",
        "a: b # c",
        "'single' and \"double\" quotes",
        "- dash",
        "10",
        "@at %pct `tick`",
        "*star &anchor !tag",
        "Ünïcödé — dashes – and ‘curly’ quotes",
        "ends with colon:",
        "x" * 300 + " long",
        "[brackets] {braces}",
        "tab\tinside",
    ],
)
def test_any_statement_reads_back_exactly(project, statement):
    argv = list(MINIMAL)
    argv[1] = statement
    argv += ["--summary", statement[:100], "--rationale", statement, "--contributor", statement[:50]]
    code, out = new(project, *argv, "--dry-run", "--id", "tricky")
    doc, problems = parse_claim_bytes(out.encode(), "tricky.yaml")
    assert not problems
    assert doc.data["statement"] == " ".join(statement.split())
    assert doc.data["summary"] == " ".join(statement[:100].split())
    assert doc.data["confidence"]["rationale"] == " ".join(statement.split())


def test_control_characters_refused(project):
    argv = list(MINIMAL)
    argv[1] = "bell\x07"
    with pytest.raises(ContributeError, match="control character"):
        new(project, *argv)


def test_relations_per_source(project):
    argv = [a for a in FULL if a != "--no-input"] + [
        "--relation",
        "supports",
        "--relation",
        "qualifies",
        "--no-input",
    ]
    code, _ = new(project, *argv)
    text = next((project.root / "claims").glob("peer-mentors*.yaml")).read_text()
    assert code == 0 and "relation: qualifies" in text
    with pytest.raises(ContributeError, match="one --relation for all"):
        new(project, *MINIMAL, "--relation", "supports", "--relation", "qualifies", "--id", "other")


# --- asking --------------------------------------------------------------------------------


def test_prompts_fill_what_flags_leave_out(project):
    prompter = scripted(
        "Mentors listen before they advise.",  # statement
        "mechanism",  # claim type
        "3, desistance",  # themes: a number and an id
        "lee2019boo, lee2019book",  # a wrong key is re-asked
        "lee2019book",
        "",  # relation: default supports
        "pp. 10-12",  # locator
        "y",  # rate now
        "",  # method: the one the claim type names (CERQual)
        "minor",
        "no-or-very-minor",
        "moderate",
        "no-or-very-minor",
        "high",  # above the ceiling: not offered, re-asked
        "",  # default: the ceiling
        "One ethnography.",
        "Small study.",
        "Jo Bloggs",
    )
    code, out = new(project, "--no-input", prompter=prompter)
    said = prompter.out.getvalue()
    assert code == 0, said
    assert "nearest key is 'lee2019book'" in said and "allow at most 'moderate'" in said
    text = (project.root / "claims" / "mentors-listen-before-they-advise.yaml").read_text()
    assert (
        "themes: [how-mentoring-works, desistance]" in text
        and "level: moderate" in text
        and "Jo Bloggs" in text
    )
    assert errors_in(project, "claims/mentors-listen-before-they-advise.yaml") == []


def test_end_of_input_cancels_without_writing(project):
    with pytest.raises(ContributeError, match="cancelled"):
        new(project, "--no-input", prompter=scripted("A statement."))
    assert sorted(p.name for p in (project.root / "claims").iterdir()) == [
        "alpha.yaml",
        "beta.yaml",
        "claim.schema.json",
    ]
