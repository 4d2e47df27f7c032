"""The rating policy and the meaning it reads from the schema: a new level, design or relation,
a different home country, a cap on argument-only claims, all by editing the schema alone."""

from __future__ import annotations

import json

import pytest

from evidencekb.cli import main
from evidencekb.vocabulary import SchemaError, vocabularies


def schema_of(project) -> dict:
    return json.loads((project.root / "claims" / "claim.schema.json").read_text(encoding="utf-8"))


def save_schema(project, schema: dict) -> None:
    (project.root / "claims" / "claim.schema.json").write_text(json.dumps(schema, indent=2), encoding="utf-8")


def add_term(schema: dict, vocab: str, term: dict, after: str | None = None) -> None:
    options = schema["$defs"][vocab]["oneOf"]
    at = next(i + 1 for i, o in enumerate(options) if o["const"] == after) if after else len(options)
    options.insert(at, term)


def term(schema: dict, vocab: str, term_id: str) -> dict:
    return next(o for o in schema["$defs"][vocab]["oneOf"] if o["const"] == term_id)


def rules_of(result) -> set[str]:
    return {p.rule for p in result.problems}


# --- evidence_basis ------------------------------------------------------------------------


def test_argument_only_claim_is_capped_at_low(project, check):
    project.edit("alpha", "confidence:\n", "evidence_basis: argument\nconfidence:\n")
    result, lines = check()
    hit = [line for line in lines if "[basis-ceiling]" in line]
    assert hit == ["claims/alpha.yaml:18:10: error: evidence_basis argument caps the level at low "
                   "[basis-ceiling]"], lines
    project.edit("alpha", "level: moderate", "level: low")
    result, lines = check()
    assert "basis-ceiling" not in rules_of(result), lines


def test_studies_basis_or_none_leaves_the_level_alone(project, check):
    project.edit("alpha", "confidence:\n", "evidence_basis: studies\nconfidence:\n")
    result, lines = check()
    assert lines == []


def test_the_cap_comes_from_the_schema(project, check):
    schema = schema_of(project)
    term(schema, "evidence_basis", "argument")["x-max-level"] = "very-low"
    save_schema(project, schema)
    project.edit("alpha", "confidence:\n", "evidence_basis: argument\nconfidence:\n")
    project.edit("alpha", "level: moderate", "level: low")
    _, lines = check()
    assert any("evidence_basis argument caps the level at very-low" in line for line in lines), lines


# --- annotations are checked ------------------------------------------------------------


def test_a_level_without_a_rank_is_a_schema_error(project, check):
    schema = schema_of(project)
    del term(schema, "level", "low")["x-rank"]
    with pytest.raises(SchemaError, match="x-rank"):
        vocabularies(schema)
    save_schema(project, schema)
    result, lines = check()
    assert result.base is None and "x-rank" in lines[0]
    assert lines[0].startswith("claims/claim.schema.json:1:1: error")


def test_an_annotation_naming_no_level_is_a_schema_error(project):
    schema = schema_of(project)
    term(schema, "design", "rct")["x-start"] = {"GRADE": "sky-high"}
    with pytest.raises(SchemaError, match="sky-high"):
        vocabularies(schema)


# --- the home country is data -------------------------------------------------------------


def _profile(project):
    from evidencekb.analysis import analyse
    from evidencekb.checker import check_project
    from evidencekb.project import Project

    base = check_project(Project(project.root)).base
    return base, analyse(base)


def test_home_country_comes_from_the_schema(project):
    base, a = _profile(project)
    assert a.claims["alpha"].home is True and not any("evidence" in f for f in a.claims["alpha"].flags)
    schema = schema_of(project)
    schema["$defs"]["country"]["x-home"] = "canada"
    save_schema(project, schema)
    base, a = _profile(project)
    assert a.claims["alpha"].home is False
    assert "No Canada evidence" in a.claims["alpha"].flags  # no x-adjective: the country's title
    term(schema, "country", "canada")["x-adjective"] = "Canadian"
    save_schema(project, schema)
    base, a = _profile(project)
    assert "No Canadian evidence" in a.claims["alpha"].flags
    page = claim_page(project, "alpha")
    assert "Canadian evidence" in page and "UK evidence" not in page


def test_no_home_country_no_home_country_flag(project):
    schema = schema_of(project)
    del schema["$defs"]["country"]["x-home"]
    save_schema(project, schema)
    base, a = _profile(project)
    assert a.claims["alpha"].home is None and not any("evidence" in f for f in a.claims["alpha"].flags)
    assert " evidence</dt>" not in claim_page(project, "alpha")


# --- a new level, design or relation is a schema edit only ------------------------------


def claim_page(project, claim_id: str) -> str:
    """The claim page as the site renders it (HTML blocks put back in place)."""
    from evidencekb.project import Project
    from evidencekb.site.common import Settings, fill
    from evidencekb.site.data import clear_cache, load
    from evidencekb.site.render import render_site

    clear_cache()
    data = load(Project(project.root))
    site = render_site(data, Settings(site_name="T", site_url="https://example.org/", repo_url=""))
    page = next(p for p in site.pages if p.src_uri == f"claims/{claim_id}/index.md")
    return fill(page.markdown(), page.chunks())


def method_blocks(project) -> str:
    from evidencekb.project import Project
    from evidencekb.site.common import Settings
    from evidencekb.site.data import clear_cache, load
    from evidencekb.site.render import render_block

    clear_cache()
    data = load(Project(project.root))
    settings = Settings(site_name="T", site_url="https://example.org/", repo_url="")
    return "\n".join(render_block(name, data, settings, "../") for name in ("levels", "methods",
                                                                            "vocabularies"))


def new_claim(project, capsys, *flags: str) -> tuple[int, str, str]:
    code = main(["new", "--root", str(project.root), "--statement", "Mentors listen first.", "--type",
                 "mechanism",
                 "--theme", "how-mentoring-works", "--source", "lee2019book", "--locator", "p. 4",
                 "--no-input",
                 "--dry-run", *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_new_confidence_level_is_a_schema_edit(project, check, capsys):
    schema = schema_of(project)
    add_term(schema, "level",
             {"const": "fair", "title": "Fair", "description": "Better than low, short of moderate.",
                               "x-rank": 1.5}, after="moderate")
    save_schema(project, schema)
    project.edit("alpha", "level: moderate", "level: fair")
    result, lines = check()
    assert lines == []  # the validator knows it, and the ceiling (moderate) is above it
    project.edit("beta", "coherence: no-or-very-minor", "coherence: serious")  # three steps down: at most low
    project.edit("beta", "level: moderate", "level: fair")
    result, lines = check()
    assert any("confidence 'fair' is higher than the CERQual judgements allow" in line
               for line in lines), lines
    project.edit("beta", "level: fair", "level: low")
    assert "Fair" in method_blocks(project)
    assert "Fair confidence" in claim_page(project, "alpha")
    code, out, err = new_claim(project, capsys, "--level", "fair")
    assert code == 0 and "  level: fair" in out, err
    code, out, err = new_claim(project, capsys)
    # the template's hint, in rank order
    assert code == 0 and "high | moderate | fair | low | very-low" in out


def test_a_new_study_design_is_a_schema_edit(project, check, capsys):
    schema = schema_of(project)
    add_term(schema, "design", {"const": "cluster-trial", "title": "Cluster randomised trial",
                                "description": "Groups, not people, randomised.", "x-comparison": True,
                                "x-start": {"GRADE": "high"}})
    save_schema(project, schema)
    bib = (project.root / "references.bib").read_text()
    (project.root / "references.bib").write_text(bib.replace("design = {rct}", "design = {cluster-trial}"))
    result, lines = check()
    assert lines == [], lines
    assert result.base.sources["smith2020trial"].design == "cluster-trial"
    from evidencekb.analysis import analyse

    # x-comparison counts it as a comparison-group study
    assert analyse(result.base).claims["alpha"].comparison
    assert "Cluster randomised trial" in method_blocks(project)
    assert "Cluster randomised trial (1)" in claim_page(project, "alpha")
    code = main(["add-source", "--root", str(project.root), "--design", "cluster-trial", "--country", "uk",
                 "--dry-run", str(_bib_file(project))])
    out, err = capsys.readouterr()
    assert code == 0 and "design = {cluster-trial}" in out, err


def _bib_file(project):
    path = project.root.parent / "new.bib"
    path.write_text("@article{x, author={Zed, Ann}, title={A wholly new trial}, journal={J}, year={2024}}\n")
    return path


def test_a_new_relation_is_a_schema_edit(project, check, capsys):
    schema = schema_of(project)
    add_term(schema, "relation", {"const": "challenges", "title": "Challenges",
                                  "description": "The source questions the claim's evidence.",
                                  "x-polarity": "against", "x-cited-as": "Challenged by"})
    save_schema(project, schema)
    project.edit("alpha", "relation: supports\n    locator: p. 15",
                 "relation: challenges\n    locator: p. 15")
    result, lines = check()
    assert "schema-vocabulary" not in rules_of(result), lines
    from evidencekb.analysis import analyse

    profile = analyse(result.base).claims["alpha"]
    assert profile.contested and profile.n_disputing == 1 and ("challenges", 1) in profile.relations
    page = claim_page(project, "alpha")
    assert "1 challenges" in page and "Challenged by:" in page
    assert "Challenges" in method_blocks(project)
    code, out, err = new_claim(project, capsys, "--relation", "challenges")
    assert code == 0 and "relation: challenges" in out, err
