"""evidence new and evidence add-source: what they write, what they refuse, and that a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from evidencekb import contribute
from evidencekb.checker import check_project
from evidencekb.cli import build_parser, main
from evidencekb.commands import add_source_options, new_claim_options
from evidencekb.contribute import ContributeError, Prompter, add_source, slugify
from evidencekb.parsers.bibtex import parse_bibtex_text
from evidencekb.parsers.claim_yaml import parse_claim_bytes
from evidencekb.project import Project
from evidencekb.vocabulary import method_components

TODAY = dt.date.today().isoformat()

FULL = ["--statement", "Peer mentors' own stories of change give mentees hope.", "--type", "mechanism",
        "--theme", "how-mentoring-works", "--source", "lee2019book", "--locator", "p. 4",
        "--source", "smith2020trial", "--locator", "pp. 10-12",
        "--method", "CERQual", "--component", "methodological_limitations=minor",
        "--component", "coherence=no-or-very-minor", "--component", "adequacy=moderate",
        "--component", "relevance=no-or-very-minor", "--level", "moderate",
        "--rationale", "Two studies agree.", "--caveat", "Small samples.", "--no-input"]
MINIMAL = ["--statement", "Mentors listen first.", "--type", "mechanism", "--theme", "how-mentoring-works",
           "--source", "lee2019book", "--locator", "p. 4", "--no-input"]


def args_for(command: str, root: Path, *argv: str):
    """The options record the CLI would hand the stage for these arguments."""
    args = build_parser().parse_args([command, "--root", str(root), *argv])
    return new_claim_options(args) if command == "new" else add_source_options(args)


def new(project, *argv, prompter=None):
    out = io.StringIO()
    code = contribute.new_claim(args_for("new", project.root, *argv), Project(project.root), prompter=prompter, out=out)
    return code, out.getvalue()


def run(command, project, *argv, capsys=None):
    return main([command, "--root", str(project.root), *argv])


def errors_in(project, rel):
    result = check_project(Project(project.root), only={rel})
    return [p for p in result.problems if p.is_error]


# --- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, slug", [
    ("Peer mentors help.", "peer-mentors-help"),
    ("Mentors' 'lived experience' builds TRUST — quickly!", "mentors-lived-experience-builds-trust-quickly"),
    ("Über-café naïve rôle: Ærø ßtraße", "uber-cafe-naive-role-aero-sstrasse"),
    ("92% of mentors are peers", "92-of-mentors-are-peers"),
    ("!!!", ""),
])
def test_slug(text, slug):
    assert slugify(text) == slug


def test_slug_is_cut_at_a_word_boundary_within_60():
    text = "Peer mentors can reduce mentees' feelings of isolation and increase their sense of self-worth"
    slug = slugify(text)
    assert len(slug) <= 60 and text.lower().replace("'", "").startswith(slug.split("-")[0])
    assert not slug.endswith("-") and slug in slugify(text, 200)
    assert slugify("a" * 100) == "a" * 60


def test_id_made_from_statement_and_kept_unique(project):
    code, _ = new(project, *MINIMAL)
    assert code == 0 and (project.root / "claims" / "mentors-listen-first.yaml").is_file()
    # a different statement with the same slug gets a number; the same statement is refused
    code, _ = new(project, *[a if a != "Mentors listen first." else "Mentors: listen first!" for a in MINIMAL])
    assert code == 0 and (project.root / "claims" / "mentors-listen-first-2.yaml").is_file()
    with pytest.raises(ContributeError, match="already exists: claims/mentors-listen-first.yaml"):
        new(project, *MINIMAL)


def test_refuses_to_overwrite(project):
    before = (project.root / "claims" / "alpha.yaml").read_bytes()
    with pytest.raises(ContributeError, match="claims/alpha.yaml already exists") as exc:
        new(project, "--id", "alpha", *MINIMAL)
    assert exc.value.code == 1
    assert (project.root / "claims" / "alpha.yaml").read_bytes() == before


def test_refusal_exit_code_and_message(project, capsys):
    assert run("new", project, "--id", "alpha", *MINIMAL) == 1
    err = capsys.readouterr().err
    assert err.startswith("evidence new: claims/alpha.yaml already exists") and "Traceback" not in err


@pytest.mark.parametrize("bad", ["../escape", "../../etc/passwd", "a/b", "claims/x", "x.yaml", ".hidden", "/tmp/x",
                                 "..\\x", "..", "Upper-Case", "two--hyphens", "space id", "x" * 81, ""])
def test_path_like_or_bad_ids_are_refused(project, bad):
    files = sorted(p for p in project.root.rglob("*"))
    with pytest.raises(ContributeError) as exc:
        new(project, "--id", bad, *MINIMAL)
    assert "id" in exc.value.message
    assert sorted(p for p in project.root.rglob("*")) == files  # nothing written anywhere


def test_claim_path_never_leaves_claims(project):
    with pytest.raises(ContributeError):
        contribute.claim_path(Project(project.root), "../x")


# --- values ------------------------------------------------------------------------------


@pytest.mark.parametrize("swap, message", [
    (("--theme", "how-mentoring-works", "--theme", "how-mentoring-work"), "did you mean 'how-mentoring-works'"),
    (("--type", "mechanism", "--type", "mechanisms"), "'mechanisms' is not a known claim type; did you mean 'mechanism'"),
    (("--source", "lee2019book", "--source", "lee2019boo"), "'lee2019boo' is not in references.bib; the nearest key is 'lee2019book'"),
    (("--source", "lee2019book", "--source", "nobody1900"), "add-source"),
    (("--level", "moderate", "--level", "medium"), "'medium' is not a known level"),
    (("--method", "CERQual", "--method", "cerqual"), "did you mean 'CERQual'"),
    (("--component", "coherence=no-or-very-minor", "--component", "coherence=fine"), "'fine' is not a known cerqual judgement"),
    (("--component", "coherence=no-or-very-minor", "--component", "coherance=minor"), "did you mean 'coherence'"),
])
def test_vocabulary_and_key_errors_name_the_nearest(project, swap, message):
    old_flag, old, new_flag, value = swap
    argv = list(FULL)
    i = next(i for i in range(len(argv) - 1) if argv[i] == old_flag and argv[i + 1] == old)
    argv[i + 1] = value
    with pytest.raises(ContributeError) as exc:
        new(project, *argv)
    assert message in exc.value.message
    assert not list((project.root / "claims").glob("peer-mentors*"))


def test_statement_too_long(project):
    argv = ["--statement" if a == "--statement" else a for a in MINIMAL]
    argv[1] = "word " * 200
    with pytest.raises(ContributeError, match="too long"):
        new(project, *argv)


def test_missing_required_without_input_is_a_usage_error(project):
    with pytest.raises(ContributeError) as exc:
        new(project, "--statement", "Mentors listen.", "--no-input")
    assert exc.value.code == 2 and "--type" in exc.value.message and "--theme" in exc.value.message
    with pytest.raises(ContributeError, match="no --locator for source 'lee2019book'"):
        new(project, "--statement", "x y", "--type", "mechanism", "--theme", "desistance", "--source", "lee2019book",
            "--no-input")


# --- the file written ----------------------------------------------------------------------


def test_full_flags_write_a_file_that_passes_check(project):
    code, out = new(project, *FULL, "--contributor", "Jo O'Neil", "--setting", "community", "--setting", "prison")
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
    schema["$defs"]["outcome"]["oneOf"].append({"const": "made-up-outcome", "title": "Made up", "description": "x"})
    schema_path.write_text(json.dumps(schema))
    code, out = new(project, *MINIMAL, "--dry-run")
    assert code == 0
    outcome_lines = out[out.index("# outcomes:"):out.index("# schemes:")]
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
        if line.startswith("    # ") and any(line.startswith(f"    # {c}:") for c in
                                               ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
                                                "publication_bias", "authority", "clarity")):
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


@pytest.mark.parametrize("statement", [
    "yes", "null", "#hash first", "a: b # c", "'single' and \"double\" quotes", "- dash", "10", "@at %pct `tick`",
    "*star &anchor !tag", "Ünïcödé — dashes – and ‘curly’ quotes", "ends with colon:", "x" * 300 + " long",
    "[brackets] {braces}", "tab\tinside",
])
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
    argv = [a for a in FULL if a != "--no-input"] + ["--relation", "supports", "--relation", "qualifies", "--no-input"]
    code, _ = new(project, *argv)
    text = next((project.root / "claims").glob("peer-mentors*.yaml")).read_text()
    assert code == 0 and "relation: qualifies" in text
    with pytest.raises(ContributeError, match="one --relation for all"):
        new(project, *MINIMAL, "--relation", "supports", "--relation", "qualifies", "--id", "other")


# --- asking --------------------------------------------------------------------------------


def scripted(*answers):
    it = iter(answers)

    def ask(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return Prompter(ask=ask, out=io.StringIO())


def test_prompts_fill_what_flags_leave_out(project):
    prompter = scripted(
        "Mentors listen before they advise.",   # statement
        "mechanism",                            # claim type
        "3, desistance",                        # themes: a number and an id
        "lee2019boo, lee2019book",              # a wrong key is re-asked
        "lee2019book",
        "",                                     # relation: default supports
        "pp. 10-12",                            # locator
        "y",                                    # rate now
        "",                                     # method: the one the claim type names (CERQual)
        "minor", "no-or-very-minor", "moderate", "no-or-very-minor",
        "high",                                 # above the ceiling: not offered, re-asked
        "",                                     # default: the ceiling
        "One ethnography.", "Small study.", "Jo Bloggs")
    code, out = new(project, "--no-input", prompter=prompter)
    said = prompter.out.getvalue()
    assert code == 0, said
    assert "nearest key is 'lee2019book'" in said and "allow at most 'moderate'" in said
    text = (project.root / "claims" / "mentors-listen-before-they-advise.yaml").read_text()
    assert "themes: [how-mentoring-works, desistance]" in text and "level: moderate" in text and "Jo Bloggs" in text
    assert errors_in(project, "claims/mentors-listen-before-they-advise.yaml") == []


def test_end_of_input_cancels_without_writing(project):
    with pytest.raises(ContributeError, match="cancelled"):
        new(project, "--no-input", prompter=scripted("A statement."))
    assert sorted(p.name for p in (project.root / "claims").iterdir()) == ["alpha.yaml", "beta.yaml", "claim.schema.json"]


# --- add-source ----------------------------------------------------------------------------

ZOTERO = r"""
@article{kavanagh_peer_2019,
	title = {Peer {Mentoring} and the {Desistance} {Process}: {A} {Study} of {M}{\"u}ller's {Model}},
	volume = {12},
	issn = {1748-8958},
	shorttitle = {Peer mentoring},
	url = {https://doi.org/10.1177/1748895819876543},
	doi = {https://doi.org/10.1177/1748895819876543},
	abstract = {This article reports a qualitative study. Long copyrighted text.},
	language = {en},
	number = {3},
	urldate = {2024-03-05},
	journal = {Criminology \& Criminal Justice},
	author = {Kavanagh, Lauren and Bo{\v{z}}i{\'c}, Ana and O'Connor, Seán},
	month = mar,
	year = {2019},
	note = {Publisher: SAGE Publications},
	keywords = {desistance, peer mentoring},
	pages = {345-367},
	file = {Full Text PDF:/home/user/Zotero/storage/ABCD1234/Kavanagh - 2019.pdf:application/pdf},
}
"""

BIBLATEX = r"""
@online{hmipPeerMentoringGuide2022,
  title = {Peer mentoring: a guide},
  author = {{Her Majesty's Inspectorate of Probation}},
  date = {2022-05-01},
  url = {https://example.org/guide},
  urldate = {2023-01-02T10:00:00Z},
  langid = {english},
}
"""


def add(project, text, *argv, tmp_path=None):
    path = project.root.parent / "input.bib"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = contribute.add_sources(args_for("add-source", project.root, str(path), *argv), Project(project.root),
                                     out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def bib(project) -> bytes:
    return (project.root / "references.bib").read_bytes()


def test_zotero_entry_is_normalised(project):
    before = bib(project)
    code, out, err = add(project, ZOTERO)
    assert code == 0 and out == "kavanagh2019peer\n"
    after = bib(project)
    assert after.startswith(before)  # the old text byte for byte
    added = after[len(before):].decode()
    assert added.startswith("\n@article{kavanagh2019peer,\n  author = {Kavanagh, Lauren and Božić, Ana and O'Connor, Seán},\n")
    assert "  title = {Peer Mentoring and the Desistance Process: A Study of Müller's Model},\n" in added
    assert "  pages = {345--367},\n" in added and "  doi = {10.1177/1748895819876543},\n" in added
    assert "  journal = {Criminology \\& Criminal Justice},\n" in added
    for noise in ("abstract", "file", "keywords", "issn", "month", "shorttitle", "language", "url ="):
        assert noise not in added
    assert "publisher = {SAGE Publications}" in added and "note" not in added
    assert added.rstrip().endswith("design = {unknown},\n  country = {unknown},\n  setting = {general}\n}")
    assert "renamed 'kavanagh2019peer'" in err and "abstract" in err and "design = {unknown}" in err
    sources, problems = parse_bibtex_text(after.decode(), "references.bib")
    assert not problems and sources["kavanagh2019peer"].get("pages") == "345–367"
    assert [e for e in check_project(Project(project.root)).errors] == []


def test_study_facts_from_flags_are_checked_and_written(project):
    with pytest.raises(ContributeError, match="'ethnograpy' is not a known design; did you mean 'ethnography'"):
        add(project, ZOTERO, "--design", "ethnograpy")
    code, out, err = add(project, ZOTERO, "--design", "ethnography", "--country", "uk",
                         "--setting", "prison", "--setting", "community")
    assert code == 0
    added = bib(project).decode()
    assert "design = {ethnography}" in added and "country = {uk}" in added and "setting = {prison, community}" in added
    assert "set design" not in err and "set country" not in err
    assert [e for e in check_project(Project(project.root)).errors] == []


def test_biblatex_online_entry(project):
    code, out, err = add(project, BIBLATEX)
    assert code == 0 and out == "hmip2022peer\n"
    src = parse_bibtex_text(bib(project).decode(), "x")[0]["hmip2022peer"]
    assert src.entry_type == "misc" and src.year == "2022" and src.get("urldate") == "2023-01-02"
    assert src.authors[0].corporate and src.authors[0].family == "Her Majesty's Inspectorate of Probation"
    assert "langid" not in src.fields and "date" not in src.fields


def test_duplicate_doi_is_refused_naming_the_key(project):
    before = bib(project)
    entry = "@article{x_y_2021, title = {Something else entirely}, year = {2021}, author = {X, Y}, doi = {https://doi.org/10.1000/XYZ123}}"
    with pytest.raises(ContributeError) as exc:
        add(project, entry)
    assert exc.value.code == 1
    assert "already in references.bib as 'smith2020trial': the same DOI" in exc.value.message
    assert bib(project) == before


def test_duplicate_title_and_year_is_refused(project):
    entry = "@book{lee_ethnography_2019, title = {An Ethnography of {Mentoring}.}, year = {2019}, author = {Lee, C.}}"
    with pytest.raises(ContributeError, match="as 'lee2019book': the same title and year"):
        add(project, entry)
    # the same title in another year is another work
    code, out, _ = add(project, entry.replace("2019", "2021"))
    assert code == 0 and out == "lee2021ethnography\n"


def test_duplicates_within_the_input_and_all_or_nothing(project):
    before = bib(project)
    two = ZOTERO + ZOTERO.replace("kavanagh_peer_2019", "kavanagh2019again")
    with pytest.raises(ContributeError, match="repeats 'kavanagh_peer_2019'"):
        add(project, two)
    mixed = ZOTERO + "@article{s, title = {A trial of peer mentoring}, year = {2020}, author = {Smith, A.}}"
    with pytest.raises(ContributeError, match="nothing was written"):
        add(project, mixed)
    assert bib(project) == before


def test_clashing_key_is_regenerated_and_our_keys_kept(project):
    entry = "@article{smith2020trial, title = {Another trial}, year = {2020}, author = {Smith, Anna}, design = {rct}}"
    code, out, err = add(project, entry)
    assert code == 0 and out == "smith2020another\n"
    entry = "@article{jones2018mentors, title = {Mentors at work}, year = {2018}, author = {Jones, Bob}}"
    code, out, err = add(project, entry)
    assert code == 0 and out == "jones2018mentors\n" and "renamed" not in err
    entry = "@article{Jones:2018, title = {Mentors at work: part two}, year = {2018}, author = {Jones, Bob}}"
    code, out, err = add(project, entry)
    assert out == "jones2018mentorswork\n"  # first word taken: two words


def test_key_flag(project):
    code, out, _ = add(project, ZOTERO, "--key", "kav2019")
    assert code == 0 and out == "kav2019\n"
    with pytest.raises(ContributeError, match="already used"):
        add(project, BIBLATEX, "--key", "smith2020trial")
    with pytest.raises(ContributeError) as exc:
        add(project, BIBLATEX + BIBLATEX.replace("2022", "2023"), "--key", "k2022x")
    assert exc.value.code == 2


def test_given_coding_fields_are_checked(project):
    with pytest.raises(ContributeError, match="'ethnograpy' is not a known design; did you mean 'ethnography'"):
        add(project, ZOTERO.replace("year = {2019},", "year = {2019}, design = {ethnograpy},"))
    code, out, err = add(project, ZOTERO.replace("year = {2019},", "year = {2019}, design = {ethnography}, setting = {prison;community},"))
    added = bib(project).decode()
    assert code == 0 and "design = {ethnography}" in added and "setting = {prison, community}" in added
    assert "set country = {unknown}" in err and "design = {unknown}" not in err


def test_dry_run_writes_nothing(project):
    before = bib(project)
    code, out, err = add(project, ZOTERO, "--dry-run")
    assert code == 0 and out.startswith("@article{kavanagh2019peer,") and bib(project) == before
    assert "not written" in err


@pytest.mark.parametrize("text, message", [
    ("", "no BibTeX entry found"),
    ("just some words", "no BibTeX entry found"),
    ("@article{x, title = {Unbalanced, year = {2020}}", "cannot read the BibTeX"),
    ("@article{x, year = {2020}, author = {A, B}}", "has no title"),
    ("@article{x, title = {T}, author = {A, B}}", "has no year"),
])
def test_bad_input_is_refused(project, text, message):
    before = bib(project)
    with pytest.raises(ContributeError, match=message):
        add(project, text)
    assert bib(project) == before


def test_not_utf8_input(project):
    path = project.root.parent / "latin1.bib"
    path.write_bytes("@article{x, title = {Caf\u00e9}, year = {2020}}".encode("latin-1"))
    with pytest.raises(ContributeError, match="not UTF-8"):
        contribute.add_sources(args_for("add-source", project.root, str(path)), Project(project.root),
                                  out=io.StringIO(), err=io.StringIO())


def test_standard_input(project):
    stdin = io.StringIO(BIBLATEX)
    out = io.StringIO()
    code = contribute.add_sources(args_for("add-source", project.root, "-"), Project(project.root),
                                     out=out, err=io.StringIO(), stdin=stdin)
    assert code == 0 and out.getvalue() == "hmip2022peer\n"


@pytest.mark.parametrize("old", [b"", b"% only a comment", b"% crlf\r\n@misc{a2020b, title = {T}, year = {2020}}\r\n"])
def test_append_keeps_any_existing_text(project, old):
    (project.root / "references.bib").write_bytes(old)
    code, out, _ = add(project, BIBLATEX)
    data = bib(project)
    assert code == 0 and data.startswith(old)
    if b"\r\n" in old:
        assert b"\n" not in data[len(old):].replace(b"\r\n", b"")  # the file's own line endings
    assert "hmip2022peer" in parse_bibtex_text(data.decode().replace("\r\n", "\n"), "x")[0]


def test_failed_write_leaves_the_file_intact(project, monkeypatch):
    before = bib(project)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(add_source.os, "replace", boom)
    with pytest.raises(ContributeError, match="No space left on device.*left as it was"):
        add(project, ZOTERO)
    assert bib(project) == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".references")] == []  # no temp file left


def test_unverifiable_result_is_not_written(project, monkeypatch):
    before = bib(project)
    real = add_source.entry_text
    monkeypatch.setattr(add_source, "entry_text", lambda src: real(src).replace("Božić", "Bozic"))
    with pytest.raises(ContributeError, match="would not read back"):
        add(project, ZOTERO)
    assert bib(project) == before


def test_file_changed_during_append_is_not_overwritten(project, monkeypatch):
    real = add_source._atomic_write

    def racing(path, data, expected_old, rel):
        path.write_bytes(expected_old + b"\n% someone else\n")
        return real(path, data, expected_old, rel)

    monkeypatch.setattr(add_source, "_atomic_write", racing)
    with pytest.raises(ContributeError, match="changed while"):
        add(project, ZOTERO)
    assert bib(project).endswith(b"% someone else\n")


def test_run_reports_refusals_on_stderr(project, capsys):
    path = project.root.parent / "dup.bib"
    path.write_text("@article{q, title = {A trial of peer mentoring}, year = {2020}}")
    code = run("add-source", project, str(path))
    err = capsys.readouterr().err
    assert code == 1 and "evidence add-source: refused" in err and "'smith2020trial'" in err


@pytest.mark.parametrize("title, key", [
    ("The art of listening", "smith2020art"),
    ("A 2019 study: on 'trust'", "smith2020study"),
])
def test_make_key(title, key):
    from evidencekb.model import Person, Position, Source

    src = Source("x", "article", {"title": title, "year": "2020"}, (Person("Smith", "Anna"),), (), Position("x"))
    assert contribute.make_key(src, set()) == key


def test_corporate_keys():
    from evidencekb.model import Person, Position, Source

    def key(name, title="Peer work", year="2016"):
        src = Source("x", "misc", {"title": title, "year": year}, (Person(name, corporate=True),), (), Position("x"))
        return contribute.make_key(src, set())

    assert key("Her Majesty's Inspectorate of Probation") == "hmip2016peer"
    assert key("Crossroads Trust") == "crossroads2016peer"
    assert key("Clinks", year="n.d.") == "clinksndpeer"


def test_coding_fields_asked_at_a_terminal(project):
    path = project.root.parent / "in.bib"
    path.write_text(ZOTERO, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    prompter = scripted("ethnograpy", "ethnography", "", "prison, 3")  # a typo is re-asked; Enter keeps unknown
    code = contribute.add_sources(args_for("add-source", project.root, str(path)), Project(project.root),
                                     prompter=prompter, out=out, err=err)
    assert code == 0, prompter.out.getvalue()
    src = parse_bibtex_text(bib(project).decode(), "x")[0]["kavanagh2019peer"]
    assert (src.design, src.country, src.settings) == ("ethnography", "unknown", ("prison", "community"))
    assert "did you mean 'ethnography'" in prompter.out.getvalue() and "set " not in err
