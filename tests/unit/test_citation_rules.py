"""The citation rules: via and source_locator, [@key] citations, no hand-typed author-year text.

Each on the small fixture project (conftest.py), one change at a time.
"""

from __future__ import annotations

import pytest

from evidencekb.citation_rules import free_text_citations

VIA_LINK = """  - source: smith2020trial
    relation: supports
    via: lee2019book
    locator: ch. 3
    source_locator: p. 15
"""


def problems(result, rule):
    return [p for p in result.problems if p.rule == rule]


def add_link(project, name: str, link: str):
    """Insert an evidence link as the claim's first."""
    project.edit(name, "evidence:\n", "evidence:\n" + link)


def test_a_secondary_citation_with_known_keys_is_clean(project, check):
    add_link(project, "alpha", VIA_LINK)
    result, lines = check()
    assert result.ok, lines


def test_unknown_via_key_is_an_error_at_its_line_and_col_with_a_suggestion(project, check):
    add_link(project, "alpha", VIA_LINK.replace("via: lee2019book", "via: lee2019bok"))
    result, lines = check()
    [p] = problems(result, "unknown-source")
    assert p.is_error
    assert (p.position.path, p.position.line, p.position.col) == ("claims/alpha.yaml", 11, 10)
    assert "lee2019bok" in p.message and "did you mean 'lee2019book'?" in p.message


def test_via_naming_the_link_own_source_is_an_error(project, check):
    add_link(project, "alpha", VIA_LINK.replace("via: lee2019book", "via: smith2020trial"))
    result, _ = check()
    assert [p.rule for p in result.errors] == ["via-self"]


def test_source_locator_needs_via(project, check):
    add_link(project, "alpha", VIA_LINK.replace("    via: lee2019book\n", ""))
    result, _ = check()
    [p] = result.errors
    assert p.rule == "source-locator-without-via" and p.position.line == 12


def test_a_source_read_only_as_via_counts_as_cited(project, check):
    project.bib(
        open(project.root / "references.bib").read() + "@book{buck2021review, author={Buck, G.}, "
        "title={A review}, year={2021}, publisher={Clinks}, design={review}, country={uk}}\n"
    )
    add_link(project, "alpha", VIA_LINK.replace("via: lee2019book", "via: buck2021review"))
    result, lines = check()
    assert not [p for p in result.problems if p.rule == "uncited-source"], lines


def test_cited_keys_in_text_must_exist(project, check):
    project.edit(
        "alpha",
        "rationale: Two studies agree.",
        "rationale: Two studies agree [@lee2019book; @smith2020tria]; see @hmip2016inspection.",
    )
    result, lines = check()
    [p] = problems(result, "unknown-cited-source")
    assert p.is_error
    assert "'smith2020tria'" in p.message and "did you mean 'smith2020trial'?" in p.message
    text = (project.root / "claims" / "alpha.yaml").read_text().splitlines()
    assert text[p.position.line - 1][p.position.col - 1 :].startswith("@smith2020tria]")


def test_an_email_address_is_not_a_citation(project, check):
    project.edit("alpha", "caveat: Small samples.", "caveat: Small samples; ask info@lee2019book.org.")
    result, lines = check()
    assert result.ok, lines


@pytest.mark.parametrize(
    "typed",
    [
        "Buck (2021)",
        "(Buck, 2021)",
        "Buck et al. (2015)",
        "(Buck et al., 2015)",
        "HMIP, 2016: 45",
        "Gosling and Buck (2015)",
        "Crossroads Trust (c. 2014)",
        "Buck (2021, Clinks)",
        "Buck's (2020)",
        "(see Ministry of Justice, 2014)",
        "Buck (2021a)",
        "O'Brien (1999)",
    ],
)
def test_free_text_author_year_is_found(typed):
    found = [m.group().strip() for m in free_text_citations(f"As reported in {typed}, mentors care.")]
    first_name = typed.replace("(see ", "").lstrip("(").split()[0].rstrip(",")
    assert len(found) == 1 and found[0].lstrip("(").startswith(first_name), found


@pytest.mark.parametrize(
    "text",
    [
        "Published in 2021 (the second edition).",
        "pp. 190-206 (2018 print issue)",
        "section 'Overcoming problems'",
        "Mentors said \"as Buck (2021) says\" in the report.",
        "quoted: 'the findings of Buck (2021) show'",
        "cited as [@buck2021peer] and @buck2021peer",
        "in June, 2021",
        "the 2016 inspection, p. 45",
        "mentors' views, 2021",
    ],
)
def test_quotes_generated_citations_and_plain_dates_are_not_free_text(text):
    assert not list(free_text_citations(text))


@pytest.mark.parametrize(
    "field, old, new",
    [
        ("statement", "Peer mentors help people alpha.", "Peer mentors help people alpha (Lee, 2019)."),
        ("locator", "locator: p. 15", "locator: as reported in Lee (2019), p. 15"),
        ("note", "locator: p. 15", "locator: p. 15\n    note: Lee et al. (2019) found it"),
        ("caveat", "caveat: Small samples.", "caveat: >-\n    Small samples, as\n    Lee (2019) says."),
    ],
)
def test_free_text_citation_is_an_error_at_its_line_and_col(project, check, field, old, new):
    project.edit("alpha", old, new)
    result, lines = check()
    [p] = problems(result, "free-text-citation")
    assert p.is_error and field in p.message
    assert ("via" if field == "locator" else "[@key]") in p.message
    text = (project.root / "claims" / "alpha.yaml").read_text().splitlines()
    assert text[p.position.line - 1][p.position.col - 1 :].startswith(("Lee", "(Lee"))


def test_quote_field_is_exempt(project, check):
    project.edit("alpha", 'quote: "mentors genuinely care"', 'quote: "mentors genuinely care (Buck, 2018)"')
    result, lines = check()
    assert result.ok, lines


def test_every_free_text_citation_in_a_file_is_reported_in_one_run(project, check):
    project.edit("alpha", "rationale: Two studies agree.", "rationale: Lee (2019) and Smith (2020) agree.")
    project.edit("beta", "caveat: Small samples.", "caveat: Small samples (Smith, 2020).")
    result, _ = check()
    assert [(p.position.path, p.message.split("'")[1]) for p in problems(result, "free-text-citation")] == [
        ("claims/alpha.yaml", "Lee (2019)"),
        ("claims/alpha.yaml", "Smith (2020)"),
        ("claims/beta.yaml", "Smith, 2020"),
    ]


def test_source_incomplete_note_cites_by_key_too(project, check):
    bib = (project.root / "references.bib").read_text()
    project.bib(
        bib.replace(
            "  design = {ethnography},",
            "  incomplete = {Cited in Smith and Jones (2020) and [@smith2020tril]; no pages.},\n"
            "  design = {ethnography},",
        )
    )
    result, lines = check()
    got = sorted((p.rule, p.position.line, p.position.col) for p in result.errors)
    text = (project.root / "references.bib").read_text().splitlines()
    assert [r for r, *_ in got] == ["free-text-citation", "unknown-cited-source"], lines
    for _, line, col in got:
        assert text[line - 1][col - 1 :].startswith(("Smith and Jones (2020)", "@smith2020tril"))


def test_source_incomplete_note_is_shown_with_labels(project):
    from evidencekb.checker import check_project
    from evidencekb.project import Project
    from evidencekb.site.data import derive

    bib = (project.root / "references.bib").read_text()
    project.bib(
        bib.replace(
            "  design = {ethnography},",
            "  incomplete = {Cited in [@smith2020trial].},\n  design = {ethnography},",
        )
    )
    data = derive(Project(project.root), check_project(Project(project.root)).base)
    assert data.base.sources["lee2019book"].incomplete == "Cited in (Smith and Jones, 2020)."


@pytest.mark.parametrize(
    "fields, rule",
    [
        ("url = {https://example.org/a},", "url-accessed-date"),  # a warning
        ("url = {https://example.org/a}, urldate = {1 Dec 2026},", "url-accessed-date"),
        ("howpublished = {Workbook, available to download free from ResearchGate},", "howpublished-prose"),
        ("howpublished = {Summarised in seed 000},", "howpublished-prose"),
        ("url = {https://example.org/a}, urldate = {2026-12-01}, howpublished = {Medium},", None),
        ("doi = {10.1000/abc}, url = {https://example.org/a},", None),  # a DOI needs no accessed date
    ],
)
def test_reference_completeness(project, check, fields, rule):
    bib = (project.root / "references.bib").read_text()
    project.bib(bib.replace("  design = {ethnography},", f"  {fields}\n  design = {{ethnography}},"))
    result, lines = check()
    assert [p.rule for p in result.problems if p.rule != "uncited-source"] == ([rule] if rule else []), lines
