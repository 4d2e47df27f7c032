"""contribute/common.py: claim ids from statements, id and path safety, vocabulary and key checks."""

from __future__ import annotations

import pytest

from evidencekb import contribute
from evidencekb.contribute import ContributeError, slugify
from evidencekb.project import Project
from tests.unit.contribute_support import FULL, MINIMAL, new, run

# --- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Peer mentors help.", "peer-mentors-help"),
        (
            "Mentors' 'lived experience' builds TRUST — quickly!",
            "mentors-lived-experience-builds-trust-quickly",
        ),
        ("Über-café naïve rôle: Ærø ßtraße", "uber-cafe-naive-role-aero-sstrasse"),
        ("92% of mentors are peers", "92-of-mentors-are-peers"),
        ("!!!", ""),
    ],
)
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
    code, _ = new(
        project, *[a if a != "Mentors listen first." else "Mentors: listen first!" for a in MINIMAL]
    )
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


@pytest.mark.parametrize(
    "bad",
    [
        "../escape",
        "../../etc/passwd",
        "a/b",
        "claims/x",
        "x.yaml",
        ".hidden",
        "/tmp/x",
        "..\\x",
        "..",
        "Upper-Case",
        "two--hyphens",
        "space id",
        "x" * 81,
        "",
    ],
)
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


@pytest.mark.parametrize(
    "swap, message",
    [
        (
            ("--theme", "how-mentoring-works", "--theme", "how-mentoring-work"),
            "did you mean 'how-mentoring-works'",
        ),
        (
            ("--type", "mechanism", "--type", "mechanisms"),
            "'mechanisms' is not a known claim type; did you mean 'mechanism'",
        ),
        (
            ("--source", "lee2019book", "--source", "lee2019boo"),
            "'lee2019boo' is not in references.bib; the nearest key is 'lee2019book'",
        ),
        (("--source", "lee2019book", "--source", "nobody1900"), "add-source"),
        (("--level", "moderate", "--level", "medium"), "'medium' is not a known level"),
        (("--method", "CERQual", "--method", "cerqual"), "did you mean 'CERQual'"),
        (
            ("--component", "coherence=no-or-very-minor", "--component", "coherence=fine"),
            "'fine' is not a known cerqual judgement",
        ),
        (
            ("--component", "coherence=no-or-very-minor", "--component", "coherance=minor"),
            "did you mean 'coherence'",
        ),
    ],
)
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
        new(
            project,
            "--statement",
            "x y",
            "--type",
            "mechanism",
            "--theme",
            "desistance",
            "--source",
            "lee2019book",
            "--no-input",
        )
