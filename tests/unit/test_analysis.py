import pytest

from evidencekb.analysis import analyse
from evidencekb.checker import check_project
from evidencekb.project import Project

EXTRA_BIB = r"""
@article{lee2021second,
  author = {Lee, C. and Park, D.}, year = {2021}, title = {A second look}, journal = {J},
  design = {qualitative}, country = {uk}, setting = {prison},
}
@misc{blog2020,
  author = {{A Charity}}, year = {2020}, title = {Our view}, url = {https://example.org},
  design = {practitioner-account}, country = {uk}, setting = {community},
}
@article{disputer2022,
  author = {Other, Olga}, year = {2022}, title = {Not so}, journal = {J},
  design = {commentary}, country = {usa}, setting = {general},
}
"""


def analysed(project):
    result = check_project(Project(project.root))
    assert result.ok, result.problems
    return result.base, analyse(result.base)


@pytest.fixture
def rich(project):
    project.bib((project.root / "references.bib").read_text() + EXTRA_BIB)
    # gamma: two Lee papers only -> one author group
    project.claim("gamma",
                  (project.root / "claims" / "alpha.yaml").read_text().replace("id: alpha", "id: gamma")
                  .replace("source: smith2020trial", "source: lee2021second"))
    # delta: only a practitioner blog, effectiveness, rated low
    project.claim("delta", """\
id: delta
statement: Mentoring works, says a charity.
claim_type: effectiveness
themes: [effectiveness]
outcomes: [reoffending]
evidence:
  - {source: blog2020, relation: supports, locator: para. 2}
  - {source: disputer2022, relation: disputes, locator: p. 3}
confidence:
  level: low
  method: GRADE
  components: {risk_of_bias: not-serious, inconsistency: not-serious, indirectness: not-serious, imprecision: not-serious, publication_bias: not-serious}
  rationale: A practitioner's claim.
  caveat: No data.
added: 2026-11-01
""")  # noqa: E501 (verbatim test data)
    return analysed(project)


def test_profile_counts_and_designs(rich):
    base, a = rich
    p = a.claims["alpha"]
    assert (p.n_sources, p.n_supporting, p.n_disputing) == (2, 2, 0)
    assert p.relations == (("supports", 2), ("qualifies", 0), ("disputes", 0))
    assert p.author_groups == 2 and not p.single_group and not p.single_source
    assert dict(p.designs) == {"ethnography": 1, "rct": 1}
    assert p.home and p.comparison and not p.contested


def test_same_author_is_not_independent(rich):
    _, a = rich
    p = a.claims["gamma"]
    assert p.n_supporting == 2 and p.author_groups == 1 and p.single_group


def test_grey_contested_single_source(rich):
    _, a = rich
    p = a.claims["delta"]
    assert p.single_source and p.grey_only and p.contested and not p.comparison
    assert p.supported_level == "low"
    assert "Contested" in p.flags and "No comparison-group study" in p.flags


def test_gap_register(rich):
    _, a = rich
    kinds = {(g.kind, g.subject) for g in a.gaps}
    assert ("single-group", "gamma") in kinds
    assert ("single-source", "delta") in kinds
    assert ("grey-only", "delta") in kinds
    assert ("no-comparison", "delta") in kinds
    assert ("contested", "delta") in kinds
    assert ("single-source", "alpha") not in kinds


def test_rating_unsupported_gap(project):
    project.edit("alpha", "  - source: smith2020trial\n    relation: supports\n    locator: p. 15\n",
                 "  - source: lee2019book\n    relation: supports\n    locator: p. 99\n")
    _, a = analysed(project)
    # one author group supports at most moderate: alpha is moderate, so no gap
    assert not any(g.kind == "rating-unsupported" and g.subject == "alpha" for g in a.gaps)


def test_source_profiles(rich):
    _, a = rich
    s = a.sources["lee2019book"]
    assert s.claims("supports") == ("alpha", "gamma") and s.claims() == ("alpha", "gamma")
    assert s.weight == 2 and s.centrality == 1.0
    assert dict(s.co_cited) == {"smith2020trial": 1, "lee2021second": 1}
    assert a.sources["disputer2022"].claims("disputes") == ("delta",)


def test_authors_index(rich):
    _, a = rich
    assert a.authors["lee-c"].sources == ("lee2019book", "lee2021second")
    assert a.authors["lee-c"].name == "Chris Lee"


def test_evidence_map_counts(rich):
    _, a = rich
    m = a.maps["theme-by-design"]
    assert m.cells[("how-mentoring-works", "ethnography")] == ("alpha", "gamma")
    assert m.count("how-mentoring-works", "rct") == 2  # alpha (smith) and beta (smith)
    assert m.count("effectiveness", "practitioner-account") == 1
    t = a.maps["theme-by-outcome"]
    assert t.cells[("effectiveness", "reoffending")] == ("delta",)
    assert any(g.kind == "theme-outcome" and g.subject == "how-mentoring-works" for g in a.gaps)


def test_descriptive_claims_not_capped_by_grey_literature(project):
    project.bib((project.root / "references.bib").read_text() + EXTRA_BIB)
    project.claim("defn", """\
id: defn
statement: A charity defines mentoring as a trusting relationship.
claim_type: definition
themes: [definitions]
evidence:
  - {source: blog2020, relation: supports, locator: para. 1}
confidence:
  level: moderate
  method: descriptive
  components: {authority: primary, clarity: partial}
  rationale: The charity's own words.
  caveat: One organisation's definition.
added: 2026-11-01
""")
    _, a = analysed(project)
    assert a.claims["defn"].grey_only and a.claims["defn"].supported_level == "high"
    assert not any(g.kind == "rating-unsupported" and g.subject == "defn" for g in a.gaps)
