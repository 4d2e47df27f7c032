"""`evidence release`: a deterministic archive, the version stamped, nothing overwritten."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from evidencekb.cli import main
from evidencekb.release import release_info

REPO_FILES = ("CITATION.cff", ".zenodo.json", "LICENSE")


@pytest.fixture
def kb(project):
    from tests.conftest import REPO

    for name in REPO_FILES:
        shutil.copy(REPO / name, project.root / name)
    mkdocs = "site_name: KB\nsite_url: https://example.org/kb/\n"
    (project.root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return project


def members(path):
    with zipfile.ZipFile(path) as zf:
        prefix = zf.namelist()[0].split("/")[0] + "/"
        return {n[len(prefix):]: zf.read(n) for n in zf.namelist()}


def test_release_writes_the_archive_and_stamps_the_version(kb, capsys):
    assert main(["release", "1.2.0", "--root", str(kb.root), "--date", "2027-01-15"]) == 0
    archive = kb.root / "releases" / "evidence-1.2.0.zip"
    got = members(archive)
    assert {"claims/alpha.yaml", "claims/beta.yaml", "claims/claim.schema.json", "references.bib",
            "exports/nodes.csv", "linked-data/graph.ttl", "linked-data/nanopubs.trig", "CHANGELOG.md",
            "SHA256SUMS", "release.json", "CITATION.cff"} <= set(got)
    assert json.loads(got["release.json"]) == {"version": "1.2.0", "date": "2027-01-15", "claims": 2,
                                                "sources": 3, "site": "https://example.org/kb/"}
    sums = dict(line.split("  ")[::-1] for line in got["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(got) - {"SHA256SUMS"}
    assert release_info(kb.root).version == "1.2.0" and release_info(kb.root).date == "2027-01-15"
    assert b"version: 1.2.0" in got["CITATION.cff"]
    assert json.loads((kb.root / ".zenodo.json").read_text())["version"] == "1.2.0"
    assert "No history" in got["CHANGELOG.md"].decode()  # the fixture is not a git checkout


def test_two_releases_of_the_same_data_differ_only_where_version_and_date_are_written(kb, tmp_path):
    assert main(["release", "1.0.0", "--root", str(kb.root), "--date", "2027-01-15"]) == 0
    assert main(["release", "1.0.1", "--root", str(kb.root), "--date", "2027-02-01"]) == 0
    a = members(kb.root / "releases" / "evidence-1.0.0.zip")
    b = members(kb.root / "releases" / "evidence-1.0.1.zip")
    assert set(a) == set(b)
    differ = {n for n in a if a[n] != b[n]}
    assert differ == {"release.json", "CITATION.cff", ".zenodo.json", "CHANGELOG.md", "SHA256SUMS"}
    again = tmp_path / "again"
    shutil.copytree(kb.root, again, ignore=shutil.ignore_patterns("releases"))
    assert main(["release", "1.0.1", "--root", str(again), "--date", "2027-02-01"]) == 0
    assert (again / "releases" / "evidence-1.0.1.zip").read_bytes() == \
        (kb.root / "releases" / "evidence-1.0.1.zip").read_bytes()


@pytest.mark.parametrize("argv, code, words", [
    (["release", "1.0"], 2, "not of the form"),
    (["release", "1.0.0", "--date", "2027-13-01"], 2, "not a date"),
    (["release", "1.0.0", "--out", "claims"], 2, "project's sources"),
    (["release", "1.0.0", "--out", "."], 2, "project's sources"),
    (["release", "1.0.0", "--out", "references.bib"], 2, "is a file"),
])
def test_bad_releases_are_refused_before_anything_is_written(kb, capsys, argv, code, words):
    before = {p: p.read_bytes() for p in kb.root.rglob("*") if p.is_file()}
    assert main([*argv, "--root", str(kb.root)]) == code
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in kb.root.rglob("*") if p.is_file()} == before


def test_an_existing_release_is_never_overwritten(kb, capsys):
    assert main(["release", "1.0.0", "--root", str(kb.root), "--date", "2027-01-15"]) == 0
    archive = kb.root / "releases" / "evidence-1.0.0.zip"
    first = archive.read_bytes()
    assert main(["release", "1.0.0", "--root", str(kb.root), "--date", "2027-03-01"]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert archive.read_bytes() == first
    assert sorted(p.name for p in archive.parent.iterdir()) == ["evidence-1.0.0.zip"]
