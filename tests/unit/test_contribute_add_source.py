"""contribute/add_source.py (evidence add-source): normalised entries, duplicates refused, safe appends."""

from __future__ import annotations

import io

import pytest

from evidencekb import contribute
from evidencekb.checker import check_project
from evidencekb.contribute import ContributeError, add_source
from evidencekb.parsers.bibtex import parse_bibtex_text
from evidencekb.project import Project
from tests.unit.contribute_support import args_for, run, scripted

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
    code = contribute.add_sources(
        args_for("add-source", project.root, str(path), *argv), Project(project.root), out=out, err=err
    )
    return code, out.getvalue(), err.getvalue()


def bib(project) -> bytes:
    return (project.root / "references.bib").read_bytes()


def test_zotero_entry_is_normalised(project):
    before = bib(project)
    code, out, err = add(project, ZOTERO)
    assert code == 0 and out == "kavanagh2019peer\n"
    after = bib(project)
    assert after.startswith(before)  # the old text byte for byte
    added = after[len(before) :].decode()
    assert added.startswith(
        "\n@article{kavanagh2019peer,\n  author = {Kavanagh, Lauren and Božić, Ana and O'Connor, Seán},\n"
    )
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
    with pytest.raises(
        ContributeError, match="'ethnograpy' is not a known design; did you mean 'ethnography'"
    ):
        add(project, ZOTERO, "--design", "ethnograpy")
    code, out, err = add(
        project,
        ZOTERO,
        "--design",
        "ethnography",
        "--country",
        "uk",
        "--setting",
        "prison",
        "--setting",
        "community",
    )
    assert code == 0
    added = bib(project).decode()
    assert (
        "design = {ethnography}" in added
        and "country = {uk}" in added
        and "setting = {prison, community}" in added
    )
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
    entry = ("@book{lee_ethnography_2019, title = {An Ethnography of {Mentoring}.}, year = {2019}, "
             "author = {Lee, C.}}")
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
    entry = ("@article{smith2020trial, title = {Another trial}, year = {2020}, author = {Smith, Anna}, "
             "design = {rct}}")
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
    with pytest.raises(
        ContributeError, match="'ethnograpy' is not a known design; did you mean 'ethnography'"
    ):
        add(project, ZOTERO.replace("year = {2019},", "year = {2019}, design = {ethnograpy},"))
    code, out, err = add(
        project,
        ZOTERO.replace(
            "year = {2019},", "year = {2019}, design = {ethnography}, setting = {prison;community},"
        ),
    )
    added = bib(project).decode()
    assert code == 0 and "design = {ethnography}" in added and "setting = {prison, community}" in added
    assert "set country = {unknown}" in err and "design = {unknown}" not in err


def test_dry_run_writes_nothing(project):
    before = bib(project)
    code, out, err = add(project, ZOTERO, "--dry-run")
    assert code == 0 and out.startswith("@article{kavanagh2019peer,") and bib(project) == before
    assert "not written" in err


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no BibTeX entry found"),
        ("just some words", "no BibTeX entry found"),
        ("@article{x, title = {Unbalanced, year = {2020}}", "cannot read the BibTeX"),
        ("@article{x, year = {2020}, author = {A, B}}", "has no title"),
        ("@article{x, title = {T}, author = {A, B}}", "has no year"),
    ],
)
def test_bad_input_is_refused(project, text, message):
    before = bib(project)
    with pytest.raises(ContributeError, match=message):
        add(project, text)
    assert bib(project) == before


def test_not_utf8_input(project):
    path = project.root.parent / "latin1.bib"
    path.write_bytes("@article{x, title = {Caf\u00e9}, year = {2020}}".encode("latin-1"))
    with pytest.raises(ContributeError, match="not UTF-8"):
        contribute.add_sources(
            args_for("add-source", project.root, str(path)),
            Project(project.root),
            out=io.StringIO(),
            err=io.StringIO(),
        )


def test_standard_input(project):
    stdin = io.StringIO(BIBLATEX)
    out = io.StringIO()
    code = contribute.add_sources(
        args_for("add-source", project.root, "-"),
        Project(project.root),
        out=out,
        err=io.StringIO(),
        stdin=stdin,
    )
    assert code == 0 and out.getvalue() == "hmip2022peer\n"


@pytest.mark.parametrize(
    "old", [b"", b"% only a comment", b"% crlf\r\n@misc{a2020b, title = {T}, year = {2020}}\r\n"]
)
def test_append_keeps_any_existing_text(project, old):
    (project.root / "references.bib").write_bytes(old)
    code, out, _ = add(project, BIBLATEX)
    data = bib(project)
    assert code == 0 and data.startswith(old)
    if b"\r\n" in old:
        assert b"\n" not in data[len(old) :].replace(b"\r\n", b"")  # the file's own line endings
    assert "hmip2022peer" in parse_bibtex_text(data.decode().replace("\r\n", "\n"), "x")[0]


def test_failed_write_leaves_the_file_intact(project, monkeypatch):
    before = bib(project)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(add_source.os, "replace", boom)
    with pytest.raises(ContributeError, match="No space left on device.*left as it was"):
        add(project, ZOTERO)
    assert bib(project) == before
    assert [
        p.name for p in project.root.iterdir() if p.name.startswith(".references")
    ] == []  # no temp file left


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


@pytest.mark.parametrize(
    "title, key",
    [
        ("The art of listening", "smith2020art"),
        ("A 2019 study: on 'trust'", "smith2020study"),
    ],
)
def test_make_key(title, key):
    from evidencekb.model import Person, Position, Source

    src = Source(
        "x", "article", {"title": title, "year": "2020"}, (Person("Smith", "Anna"),), (), Position("x")
    )
    assert contribute.make_key(src, set()) == key


def test_corporate_keys():
    from evidencekb.model import Person, Position, Source

    def key(name, title="Peer work", year="2016"):
        src = Source(
            "x", "misc", {"title": title, "year": year}, (Person(name, corporate=True),), (), Position("x")
        )
        return contribute.make_key(src, set())

    assert key("Her Majesty's Inspectorate of Probation") == "hmip2016peer"
    assert key("Crossroads Trust") == "crossroads2016peer"
    assert key("Clinks", year="n.d.") == "clinksndpeer"


def test_coding_fields_asked_at_a_terminal(project):
    path = project.root.parent / "in.bib"
    path.write_text(ZOTERO, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    prompter = scripted(
        "ethnograpy", "ethnography", "", "prison, 3"
    )  # a typo is re-asked; Enter keeps unknown
    code = contribute.add_sources(
        args_for("add-source", project.root, str(path)),
        Project(project.root),
        prompter=prompter,
        out=out,
        err=err,
    )
    assert code == 0, prompter.out.getvalue()
    src = parse_bibtex_text(bib(project).decode(), "x")[0]["kavanagh2019peer"]
    assert (src.design, src.country, src.settings) == ("ethnography", "unknown", ("prison", "community"))
    assert "did you mean 'ethnography'" in prompter.out.getvalue() and "set " not in err
