from evidencekb.checker import check_project
from evidencekb.graph import author_slug, build_graph
from evidencekb.model import Person
from evidencekb.project import Project


def base_of(project):
    result = check_project(Project(project.root))
    assert result.ok, result.problems
    return result.base


def test_nodes_and_typed_edges(project):
    project.edit("alpha", "added:", "related:\n  - claim: beta\n    relation: elaborates\nadded:")
    g = build_graph(base_of(project))
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    assert kinds["claim:alpha"] == "claim" and kinds["source:lee2019book"] == "source"
    assert kinds["theme:how-mentoring-works"] == "theme" and kinds["author:smith-a"] == "author"
    ev = [(u, v, d["relation"], d["locator"]) for u, v, d in g.edges(data=True) if d["kind"] == "evidence"]
    assert ("claim:alpha", "source:lee2019book", "supports", "pp. 10-12") in ev
    assert any(d["kind"] == "related" and d["relation"] == "elaborates" for *_, d in g.edges(data=True))
    assert g.has_edge("claim:alpha", "theme:how-mentoring-works")
    assert g.has_edge("source:smith2020trial", "author:jones-b")


def test_same_person_different_forms_is_one_author():
    assert author_slug(Person("Buck", "G.")) == author_slug(Person("Buck", "Gillian"))
    assert author_slug(Person("Her Majesty's Inspectorate", corporate=True)) == "her-majesty-s-inspectorate"


def test_source_nodes_carry_the_harvard_label_with_its_year_letter(project):
    project.bib((project.root / "references.bib").read_text() + """
@book{lee2019second,
  author = {Lee, Chris},
  year = {2019},
  title = {Mentoring again},
  publisher = {Routledge}, address = {Oxon},
}
@article{ng2021three,
  author = {Ng, Ann and Ortiz, Ben and Park, Cy},
  year = {2021},
  title = {Three authors},
  journal = {Journal of Trials},
}
""")
    g = build_graph(base_of(project))
    label = {n: d["label"] for n, d in g.nodes(data=True)}
    assert label["source:smith2020trial"] == "Smith and Jones (2020)"
    # two works by one author in one year: two names, never two nodes called "Lee (2019)"
    assert label["source:lee2019book"] == "Lee (2019a)"
    assert label["source:lee2019second"] == "Lee (2019b)"
    assert label["source:ng2021three"] == "Ng, Ortiz and Park (2021)"


def test_graph_is_deterministic(project):
    a, b = build_graph(base_of(project)), build_graph(base_of(project))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
