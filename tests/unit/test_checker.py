"""Each rule: a failing example and a passing one, on the fixture project."""

import pytest


def rules_of(result):
    return {p.rule for p in result.problems}


def test_fixture_project_is_clean(check):
    result, lines = check()
    assert lines == []
    assert len(result.base.claims) == 2 and len(result.base.sources) == 3


def test_misspelt_field_named_with_suggestion(project, check):
    project.edit("alpha", "statement:", "statment:")
    result, lines = check()
    assert any("unknown field 'statment'" in l and "did you mean 'statement'" in l and ":3:1:" in l
               for l in lines), lines
    assert any("missing required field 'statement'" in l for l in lines)


def test_unknown_vocabulary_value_with_suggestion(project, check):
    project.edit("alpha", "themes: [how-mentoring-works]", "themes: [how-mentoring-work]")
    _, lines = check()
    assert any("claims/alpha.yaml:6:10: error: themes[0]: 'how-mentoring-work' is not a known theme; did you "
               "mean 'how-mentoring-works'?" in l for l in lines), lines


def test_wrong_type(project, check):
    project.edit("alpha", "themes: [how-mentoring-works]", "themes: how-mentoring-works")
    _, lines = check()
    assert any("themes: expected a list, found text" in l for l in lines), lines


def test_dangling_source_key(project, check):
    project.edit("alpha", "source: lee2019book", "source: lee2019boo")
    result, lines = check()
    assert any(":9:13: error: unknown source 'lee2019boo'" in l and "did you mean 'lee2019book'" in l
               for l in lines), lines


def test_dangling_related_claim(project, check):
    project.edit("alpha", "added:", "related:\n  - claim: gamma\n    relation: elaborates\nadded:")
    _, lines = check()
    assert any("unknown claim 'gamma'" in l for l in lines)
    project.edit("alpha", "claim: gamma", "claim: beta")
    _, lines = check()
    assert lines == []


def test_broken_claim_file_is_reported_once_not_by_every_claim_linking_to_it(project, check):
    project.edit("alpha", "added:", "related:\n  - claim: beta\n    relation: elaborates\nadded:")
    project.edit("beta", "claim_type: mechanism", "claim_type mechanism")  # a YAML syntax error
    _, lines = check()
    assert any(l.startswith("claims/beta.yaml:") and "YAML syntax error" in l for l in lines), lines
    assert not any("unknown claim 'beta'" in l for l in lines), lines


def test_empty_vocabulary_value_says_empty_and_lists_the_choices(project, check):
    project.edit("alpha", "claim_type: mechanism", "claim_type:")
    _, lines = check()
    want = "claims/alpha.yaml:5:12: error: claim_type: is empty; expected a claim type: effectiveness, "
    assert any(want in line for line in lines), lines


def test_related_relation_vocabulary(project, check):
    project.edit("alpha", "added:", "related:\n  - claim: beta\n    relation: supports\nadded:")
    _, lines = check()
    assert any("not a known claim relation" in l for l in lines)


def test_duplicate_ids(project, check):
    project.claim("gamma", (project.root / "claims" / "alpha.yaml").read_text())
    _, lines = check()
    assert any("id 'alpha' must equal the file name 'gamma'" in l for l in lines)
    assert any("duplicate id 'alpha' (also in claims/alpha.yaml)" in l for l in lines)


@pytest.mark.parametrize("bad_id",
                         ["Alpha", "../../etc/passwd", "alpha beta", "alpha--beta", "-alpha", "a/b"])
def test_ids_must_be_slugs(project, check, bad_id):
    project.edit("alpha", "id: alpha", f"id: '{bad_id}'")
    _, lines = check()
    assert any("is not a slug" in l for l in lines), lines


def test_file_name_must_be_a_slug(project, check):
    (project.root / "claims" / "alpha.yaml").rename(project.root / "claims" / "Alpha One.yaml")
    _, lines = check()
    assert any("file name 'Alpha One' is not a slug" in l for l in lines)


def test_quote_over_40_words(project, check):
    long_quote = " ".join(["word"] * 41)
    project.edit("alpha", '"mentors genuinely care"', f'"{long_quote}"')
    _, lines = check()
    assert any("quote has 41 words" in l for l in lines)
    project.edit("alpha", long_quote, " ".join(["word"] * 40))
    _, lines = check()
    assert lines == []


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/x", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("ftp://example.org/x", False), ("data:text/html,hi", False),
    ("//example.org", False),
])
def test_source_links_only_http(project, check, url, ok):
    bib = project.root.joinpath("references.bib").read_text()
    project.bib(bib.replace("https://www.justiceinspectorates.gov.uk/x.pdf", url))
    _, lines = check()
    assert (not any("[link-scheme]" in l for l in lines)) == ok, lines


def test_links_in_claim_text(project, check):
    project.edit("alpha", "rationale: Two studies agree.", "rationale: See javascript:alert(1) for more.")
    _, lines = check()
    assert any("only http(s) and DOI links" in l for l in lines)


@pytest.mark.parametrize("doi,ok",
                         [("10.1093/bjsw/bcaa242", True), ("https://doi.org/10.1/x", False),
                          ("bcaa242", False)])
def test_doi_form(project, check, doi, ok):
    project.bib(project.root.joinpath("references.bib").read_text().replace("10.1000/xyz123", doi))
    _, lines = check()
    assert (not any("[doi]" in l for l in lines)) == ok


def test_uncited_source_is_a_warning(project, check):
    project.bib(project.root.joinpath("references.bib").read_text() + "\n@book{orphan, author={A, B}, "
                "title={T}, year={2000}, design={book}, country={uk}}\n")
    result, lines = check()
    assert result.ok
    assert any("warning: source 'orphan' is not cited by any claim" in l for l in lines)


def test_source_vocabulary_fields(project, check):
    project.bib(project.root.joinpath("references.bib").read_text().replace("design = {rct}",
                                                                            "design = {rtc}"))
    _, lines = check()
    assert any("design 'rtc' is not a known design; did you mean 'rct'?" in l and "references.bib:8:" in l
               for l in lines), lines


def test_high_on_one_source_is_an_error(project, check):
    project.edit("alpha", "  - source: smith2020trial\n    relation: supports\n    locator: p. 15\n", "")
    project.edit("alpha", "level: moderate", "level: high")
    project.edit("alpha", "adequacy: moderate", "adequacy: no-or-very-minor")
    project.edit("alpha", "methodological_limitations: minor", "methodological_limitations: no-or-very-minor")
    _, lines = check()
    assert any("needs at least two supporting sources" in l for l in lines), lines


def test_high_with_two_sources_and_no_concerns_passes(project, check):
    for old, new in [("level: moderate", "level: high"), ("adequacy: moderate", "adequacy: no-or-very-minor"),
                     ("methodological_limitations: minor", "methodological_limitations: no-or-very-minor")]:
        project.edit("alpha", old, new)
    _, lines = check()
    assert lines == []


def test_cerqual_ceiling(project, check):
    project.edit("alpha", "coherence: no-or-very-minor", "coherence: serious")
    _, lines = check()
    assert any("higher than the CERQual judgements allow" in l and "at most 'very-low'" in l
               for l in lines), lines


def test_grade_ceiling_and_method_for_type(project, check):
    project.edit("alpha", "claim_type: mechanism", "claim_type: effectiveness")
    _, lines = check()
    assert any("effectiveness claims are rated with GRADE" in l for l in lines)
    text = (project.root / "claims" / "alpha.yaml").read_text()
    start = text.index("  method: CERQual")
    end = text.index("  rationale:")
    text = text[:start] + ("  method: GRADE\n  components:\n    risk_of_bias: serious\n    inconsistency: "
                           "not-serious\n"
                           "    indirectness: not-serious\n    imprecision: serious\n    publication_bias: "
                           "not-serious\n") + text[end:]
    (project.root / "claims" / "alpha.yaml").write_text(text)
    _, lines = check()
    # starts high (an RCT supports it), -2 -> low; moderate is too high
    assert any("higher than the GRADE judgements allow" in l and "at most 'low'" in l for l in lines), lines


def test_method_components_must_match_method(project, check):
    project.edit("alpha", "method: CERQual", "method: GRADE")
    _, lines = check()
    assert any("missing required field 'risk_of_bias'" in l for l in lines)
    assert any("unknown field 'coherence'" in l for l in lines)


def test_disputed_high_is_warned_and_no_support_is_an_error(project, check):
    project.edit("alpha", "relation: supports", "relation: disputes")
    project.edit("alpha", "relation: supports", "relation: disputes")
    _, lines = check()
    assert any("no source supports this claim" in l for l in lines)


def test_dates_checked(project, check):
    project.edit("alpha", "added: 2026-11-01", "added: 2026-02-30")
    _, lines = check()
    assert any("'2026-02-30' is not a real date" in l for l in lines)
    project.edit("alpha", "added: 2026-02-30", "added: 23/11/2026")
    _, lines = check()
    assert any("not a date written YYYY-MM-DD" in l for l in lines)


def test_updated_before_added(project, check):
    project.edit("alpha", "added: 2026-11-01", "added: 2026-11-01\nupdated: 2026-10-01")
    _, lines = check()
    assert any("is before added" in l for l in lines)


def test_every_problem_in_one_run_sorted(project, check):
    project.edit("alpha", "statement:", "statment:")
    project.claim("empty", b"")
    project.claim("tabs", b"id: tabs\n\t- x\n")
    project.bib(project.root.joinpath("references.bib").read_text() + "\n@book{broken, title = {x\n")
    result, lines = check()
    paths = [p.position.path for p in result.problems]
    assert {"claims/alpha.yaml", "claims/empty.yaml", "claims/tabs.yaml", "references.bib"} <= set(paths)
    assert [p.sort_key() for p in result.problems] == sorted(p.sort_key() for p in result.problems)


def test_yml_files_are_warned(project, check):
    project.root.joinpath("claims", "other.yml").write_text("id: other\n")
    _, lines = check()
    assert any("other.yml" in l and "end in .yaml" in l for l in lines)


def test_missing_schema(project, check):
    (project.root / "claims" / "claim.schema.json").write_text("{not json")
    result, lines = check()
    assert not result.ok and "claims/claim.schema.json:1:1: error: not valid JSON" in lines[0]


def test_the_fast_validator_inlines_refs_and_still_follows_a_cycle():
    """Refs are inlined for speed (checker.schema._inlined); a ref back to itself stays a ref,
    and both kinds still decide as the schema says, however deep."""
    from evidencekb.checker.schema import _compile_fast

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": {
            "slug": {"oneOf": [{"const": "a"}, {"const": "b"}]},
            "node": {"type": "object", "additionalProperties": False, "required": ["name"],
                     "properties": {"name": {"$ref": "#/$defs/slug"},
                                    "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}},
        },
        "$ref": "#/$defs/node",
    }
    fast = _compile_fast(schema)
    assert fast is not None
    fast({"name": "a", "kids": [{"name": "b", "kids": [{"name": "a"}]}]})
    for bad in ({"name": "z"}, {"name": "a", "kids": [{"name": "b", "kids": [{"name": "c"}]}]},
                {"name": "a", "kids": [{"other": 1}]}):
        with pytest.raises(Exception):  # noqa: B017,PT011 - fastjsonschema's own exception type
            fast(bad)
