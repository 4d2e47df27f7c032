"""Hostile input: every problem is path:line:col, exit 1 (or 2 for bad arguments), never a
traceback, never a false green, and what is printed cannot act on a terminal or a CI log."""

from __future__ import annotations

import re
import time

import pytest

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning): ")


def problems(outcome, path: str | None = None) -> list[tuple[str, int, int, str]]:
    out = []
    for line in outcome.out.splitlines():
        m = LINE.match(line)
        if m and (path is None or m["path"] == path):
            out.append((m["path"], int(m["line"]), int(m["col"]), line))
    return out


# --- BibTeX -----------------------------------------------------------------------------------


def test_a_string_expansion_bomb_is_refused_fast(kb, run):
    bomb = "@string{a0 = {xxxxxxxxxxxxxxxx}}\n" + "".join(
        f"@string{{a{i + 1} = a{i} # a{i} # a{i} # a{i}}}\n" for i in range(25)
    )
    kb.bib(
        bomb
        + "@article{bomb2020, title = a25, author = {A, B}, year = 2020}\n"
        + (kb.root / "references.bib").read_text()
    )
    started = time.monotonic()
    res = run("check", "--root", kb.root)
    assert time.monotonic() - started < 10
    assert res.code == 1 and "Traceback" not in res.text and "MemoryError" not in res.text
    found = problems(res, "references.bib")
    assert any("expansion bomb" in p[3] for p in found), res.out
    assert len(res.out) < 20_000  # the expansion is never printed


def test_deeply_nested_strings_are_refused(kb, run):
    chain = "@string{s0 = {x}}\n" + "".join(f"@string{{s{i + 1} = s{i}}}\n" for i in range(40))
    kb.bib(chain + (kb.root / "references.bib").read_text())
    res = run("check", "--root", kb.root)
    assert res.code == 1 and any("nested more than" in p[3] for p in problems(res, "references.bib"))


@pytest.mark.parametrize(
    "key,why",
    [
        ("k" * 300, "too long"),
        ("con", "reserved"),
        ("NUL", "reserved"),
        ("Aux.2020", "reserved"),
        ("com1", "reserved"),
        ("lpt9.x", "reserved"),
        ("prn", "reserved"),
        ("a\u202eb", "not allowed"),
        ("a\u200bb", "not allowed"),
    ],
)
def test_a_bad_key_is_an_error_at_its_line(kb, run, key, why):
    text = (kb.root / "references.bib").read_text()
    kb.bib(text + f"\n@misc{{{key},\n  title = {{A title}},\n  year = {{2020}},\n}}\n")
    res = run("check", "--root", kb.root)
    assert res.code == 1, res.text
    assert "Traceback" not in res.text
    line = text.count("\n") + 2
    hits = [p for p in problems(res, "references.bib") if p[1] == line and why in p[3]]
    assert hits, res.out


def test_a_300_character_key_never_reaches_the_file_system(kb, run, tmp_path):
    kb.bib(
        (kb.root / "references.bib").read_text() + "\n@misc{" + "k" * 300 + ", title = {T}, year = {2020}}\n"
    )
    res = run("build", "--root", kb.root, "--site-dir", tmp_path / "site")
    assert res.code == 1 and "Traceback" not in res.text and "File name too long" not in res.text
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\u200b", "\u202e", "\u2066", "\ufeff", "\u2028"]
)
@pytest.mark.parametrize("field", ["title", "author", "note"])
def test_hostile_characters_in_a_bib_field_are_found_at_their_column(kb, run, char, field):
    text = (kb.root / "references.bib").read_text()
    entry = f"\n@misc{{hostile2020,\n  {field} = {{Bad{char}Text}},\n  year = {{2020}},\n}}\n"
    kb.bib(text + entry)
    res = run("check", "--root", kb.root)
    assert res.code == 1 and "Traceback" not in res.text
    line = text.count("\n") + 3
    col = len(f"  {field} = {{Bad") + 1
    assert any(p[1] == line and p[2] == col for p in problems(res, "references.bib")), res.out
    assert char not in res.out and char not in res.err  # escaped, never raw


def test_an_upper_case_url_scheme_is_accepted_and_written_lower_case(kb, run):
    text = (kb.root / "references.bib").read_text()
    kb.bib(
        text.replace(
            "url = {https://www.justiceinspectorates.gov.uk/x.pdf}",
            "url = {HTTPS://www.justiceinspectorates.gov.uk/x.pdf}",
        )
    )
    res = run("check", "--root", kb.root, "--errors-only")
    assert res.code == 0, res.out
    from evidencekb.checker import check_project
    from evidencekb.project import Project

    base = check_project(Project(kb.root)).base
    assert base.sources["hmip2016inspection"].url == "https://www.justiceinspectorates.gov.uk/x.pdf"


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "FILE:///etc/passwd"]
)
def test_other_schemes_stay_refused(kb, run, scheme):
    text = (kb.root / "references.bib").read_text()
    kb.bib(text.replace("https://www.justiceinspectorates.gov.uk/x.pdf", scheme))
    assert run("check", "--root", kb.root).code == 1


# --- claims -----------------------------------------------------------------------------------


def test_an_esc_in_a_statement_is_reported_at_its_own_place(kb, run):
    kb.edit("alpha", "Peer mentors help people alpha.", "Peer mentors \x1b[31mhelp people alpha.")
    res = run("check", "--root", kb.root, "--errors-only")
    assert res.code == 1
    hits = problems(res, "claims/alpha.yaml")
    assert [(h[1], h[2]) for h in hits] == [(4, 16)], res.out
    assert "\x1b" not in res.out and len(res.out.splitlines()) == 2  # the problem and the summary


@pytest.mark.parametrize(
    "char", ["\x00", "\x1b", "\x08", "\x9b", "\u200b", "\u202e", "\u2067", "\ufeff", "\u2029"]
)
@pytest.mark.parametrize(
    "anchor",
    ["Peer mentors help", "Two studies agree.", "Small samples.", "mentors genuinely care", "pp. 10-12"],
)
def test_hostile_characters_anywhere_in_a_claim(kb, run, char, anchor):
    kb.edit("alpha", anchor, anchor[:3] + char + anchor[3:])
    res = run("check", "--root", kb.root)
    assert res.code == 1 and "Traceback" not in res.text
    text = (kb.root / "claims" / "alpha.yaml").read_text()
    i = text.index(char)
    line, col = text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1
    assert any(h[1] == line and h[2] == col for h in problems(res, "claims/alpha.yaml")), res.out
    assert char not in res.out


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_windows_reserved_ids_are_refused(kb, run, name):
    from tests.conftest import CLAIM

    kb.claim(name, CLAIM.format(id=name))
    res = run("check", "--root", kb.root)
    assert res.code == 1
    assert any("reserved" in h[3] for h in problems(res, f"claims/{name}.yaml")), res.out


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_file_name_cannot_print_a_workflow_command(kb, run, fmt):
    name = "evil\n::error file=README.md,line=1::pwned\x1b[2J"
    (kb.root / "claims" / f"{name}.yaml").write_text("id: [broken\n")
    res = run("check", "--root", kb.root, "--format", fmt)
    assert res.code == 1 and "Traceback" not in res.text
    for line in res.out.splitlines():
        assert not line.startswith("::error file=README.md"), line
        assert "\x1b" not in line
    if fmt == "json":
        import json

        doc = json.loads(res.out)
        assert any("evil" in p["path"] for p in doc["problems"])


def test_a_claim_symlink_leaving_the_project_is_refused_and_not_published(kb, run, tmp_path):
    from tests.conftest import CLAIM

    secret = tmp_path / "secret.yaml"
    secret.write_text(CLAIM.format(id="gamma").replace("Peer mentors help people gamma.", "TOP SECRET TEXT"))
    (kb.root / "claims" / "gamma.yaml").symlink_to(secret)
    res = run("check", "--root", kb.root)
    assert res.code == 1
    assert any("symbolic link" in h[3] for h in problems(res, "claims/gamma.yaml"))
    res = run("build", "--root", kb.root, "--site-dir", tmp_path / "site")
    assert res.code == 1 and not (tmp_path / "site").exists()


def test_a_symlink_inside_the_project_is_read(kb, run):
    (kb.root / "claims" / "alpha.yaml").rename(kb.root / "alpha.yaml")
    (kb.root / "claims" / "alpha.yaml").symlink_to(kb.root / "alpha.yaml")
    assert run("check", "--root", kb.root, "--errors-only").code == 0


def test_a_claim_in_a_subfolder_is_reported_not_skipped(kb, run):
    from tests.conftest import CLAIM

    (kb.root / "claims" / "drafts").mkdir()
    (kb.root / "claims" / "drafts" / "gamma.yaml").write_text(CLAIM.format(id="gamma"))
    res = run("check", "--root", kb.root)
    assert res.code == 1
    assert any("subfolder" in h[3] for h in problems(res, "claims/drafts/gamma.yaml")), res.out


@pytest.mark.parametrize("field,limit", [("statement", 600), ("summary", 120)])
def test_schema_limits_beside_a_ref_are_enforced(kb, run, field, limit):
    text = (kb.root / "claims" / "alpha.yaml").read_text()
    kb.claim(
        "alpha",
        text.replace("statement: >-", f"{field}: {'a' * (limit + 1)}\nstatement: >-")
        if field == "summary"
        else text.replace("Peer mentors help people alpha.", "a" * (limit + 1)),
    )
    res = run("check", "--root", kb.root)
    assert res.code == 1 and any("too long" in h[3] for h in problems(res, "claims/alpha.yaml")), res.out


def test_a_megabyte_statement_is_refused(kb, run):
    kb.edit("alpha", "Peer mentors help people alpha.", "word " * 200_000)
    res = run("check", "--root", kb.root)
    assert res.code == 1 and "too long" in res.out and len(res.out) < 5000


# --- check PATH... ----------------------------------------------------------------------------


def test_a_folder_argument_means_every_claim_in_it(kb, run, monkeypatch):
    kb.edit("beta", "level: moderate", "level: sky-high")
    monkeypatch.chdir(kb.root)
    assert run("check", "claims").code == 1
    assert run("check", "claims/").code == 1
    assert run("check", ".").code == 1
    assert run("check", "claims/alpha.yaml").code == 0


@pytest.mark.parametrize(
    "arg",
    [
        "nope.yaml",
        "claims/nope.yaml",
        "docs/index.md",
        "mkdocs.yml",
        "/etc/hostname",
        "/dev/null",
        "docs",
        "-",
    ],
)
def test_a_path_that_is_not_a_claim_is_a_usage_error(kb, run, monkeypatch, arg, tmp_path):
    monkeypatch.chdir(kb.root)
    res = run("check", arg)
    assert res.code == 2, res.text
    assert "Traceback" not in res.text and "0 errors" not in res.text


def test_a_binary_file_outside_the_project_is_a_usage_error(kb, run, tmp_path, monkeypatch):
    blob = tmp_path / "blob.yaml"
    blob.write_bytes(bytes(range(256)))
    monkeypatch.chdir(kb.root)
    res = run("check", blob)
    assert res.code == 2 and "outside the project" in res.err


def test_an_empty_claims_subfolder_is_a_usage_error(kb, run, monkeypatch):
    (kb.root / "claims" / "empty").mkdir()
    monkeypatch.chdir(kb.root)
    assert run("check", "claims/empty").code == 2


# --- CSV --------------------------------------------------------------------------------------


def test_formula_cells_are_neutralised_in_every_csv(kb, run, tmp_path):
    kb.edit("alpha", "Peer mentors help people alpha.", "=HYPERLINK(\"https://evil.example\",\"x\")")
    kb.edit("beta", "Peer mentors help people beta.", "+SUM(1+1)*cmd|' /C calc'!A0")
    out = tmp_path / "g"
    assert run("graph", "--root", kb.root, "--out", out, "--quiet").code == 0
    import csv

    for name in ("nodes.csv", "edges.csv"):
        with open(out / name, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert (
                        not cell[:1] in ("=", "+", "-", "@", "\t", "\r")
                        or cell.lstrip("-").replace(".", "").isdigit()
                    ), cell


@pytest.mark.parametrize("claim_id", ["con", "nul", "aux", "com1", "lpt9"])
def test_evidence_new_refuses_windows_device_names_before_writing(tmp_path, claim_id, capsys):
    from evidencekb.cli import main
    from tests.conftest import ProjectFactory

    kb = ProjectFactory(tmp_path / "kb")
    before = sorted(p.name for p in (kb.root / "claims").iterdir())
    code = main(["new", "--root", str(kb.root), "--no-input", "--id", claim_id, "--statement", "A finding.",
                 "--theme", "how-mentoring-works", "--source", "lee2019book", "--locator", "p. 1"])
    err = capsys.readouterr().err
    assert code == 2 and "Windows device name" in err and "Traceback" not in err
    assert sorted(p.name for p in (kb.root / "claims").iterdir()) == before
