"""Output paths: nothing the tool did not make is ever replaced, and every refusal is one
line before anything is touched (issue 11: `--site-dir .` once deleted a project)."""

from __future__ import annotations

import pytest

from .conftest import SITE_MARKER, no_litter, tree_hash

# Paths given relative to the project root, or built from it: each is, contains or lies
# inside a project source.
SOURCES = [
    ".",
    "..",
    "/",
    "claims",
    "docs",
    ".git",
    "references.bib",
    "mkdocs.yml",
    "claims/sub",
    "docs/x",
    ".git/objects",
    "scripts",
    "claims/claim.schema.json",
    "./claims/../docs",
    "docs/",
    "tests/x",
    ".ci",
    ".github/workflows",
    "pyproject.toml",
]


@pytest.mark.parametrize("where", SOURCES)
@pytest.mark.parametrize("command", ["build", "graph"])
def test_a_project_source_is_never_an_output(kb, run, where, command, monkeypatch):
    monkeypatch.chdir(kb.root)
    before = kb.hash()
    flag = "--site-dir" if command == "build" else "--out"
    line = run(command, "--root", kb.root, flag, where).one_line_error(2)
    assert "refusing" in line or "inside" in line or "contains" in line, line
    assert kb.hash() == before
    assert no_litter(kb.root) == [] and no_litter(kb.root.parent) == []


@pytest.mark.parametrize("where", [".", ".git", "..", "references.bib", "claims"])
def test_site_dir_in_mkdocs_yml_is_checked_too(kb, run, where):
    cfg = (kb.root / "mkdocs.yml").read_text()
    (kb.root / "mkdocs.yml").write_text(cfg.replace("site_dir: site", f"site_dir: {where}"))
    before = kb.hash()
    line = run("build", "--root", kb.root).one_line_error((1, 2))  # MkDocs itself refuses some (exit 1)
    assert "site_dir" in line or "refusing" in line, line
    assert kb.hash() == before


def test_plain_mkdocs_build_refuses_a_source_as_site_dir(kb, tmp_path):
    import subprocess
    import sys

    from .conftest import ENV

    (kb.root / "mkdocs.yml").write_text(
        (kb.root / "mkdocs.yml").read_text().replace("site_dir: site", "site_dir: claims/out")
    )
    before = kb.hash()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=kb.root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "claims folder" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert kb.hash() == before


@pytest.mark.parametrize("command", ["build", "graph"])
def test_a_folder_we_did_not_make_is_refused_not_replaced(kb, run, tmp_path, command):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.docx").write_bytes(b"years of work")
    flag = "--site-dir" if command == "build" else "--out"
    line = run(command, "--root", kb.root, flag, theirs).one_line_error(2)
    assert "not made by `evidence`" in line
    assert (theirs / "thesis.docx").read_bytes() == b"years of work"


@pytest.mark.parametrize("command", ["build", "graph"])
def test_an_existing_file_or_a_path_under_a_file_is_refused(kb, run, tmp_path, command):
    f = tmp_path / "notes.txt"
    f.write_text("mine")
    flag = "--site-dir" if command == "build" else "--out"
    assert "existing file" in run(command, "--root", kb.root, flag, f).one_line_error(2)
    assert "which is a file" in run(command, "--root", kb.root, flag, f / "out").one_line_error(2)
    assert f.read_text() == "mine"


@pytest.mark.parametrize("command", ["build", "graph"])
def test_a_symlink_as_output_is_refused(kb, run, tmp_path, command):
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep").write_text("k")
    (tmp_path / "link").symlink_to(real)
    flag = "--site-dir" if command == "build" else "--out"
    run(command, "--root", kb.root, flag, tmp_path / "link").one_line_error(2)
    assert (real / "keep").read_text() == "k"


def test_our_own_site_is_rebuilt_and_marked(kb, run, tmp_path):
    site = tmp_path / "site"
    assert run("build", "--root", kb.root, "--site-dir", site).clean().code == 0
    assert (site / SITE_MARKER).is_file() and (site / "claims/alpha/index.html").is_file()
    (site / "stale.html").write_text("old")
    assert run("build", "--root", kb.root, "--site-dir", site).clean().code == 0
    assert not (site / "stale.html").exists()
    assert no_litter(tmp_path) == []


def test_graph_out_is_swapped_in_whole(kb, run, tmp_path):
    out = tmp_path / "g"
    assert run("graph", "--root", kb.root, "--out", out, "--quiet").clean().code == 0
    first = tree_hash(out)
    assert (out / ".evidencekb-export").is_file() and (out / "nodes.csv").is_file()
    assert run("graph", "--root", kb.root, "--out", out, "--quiet").clean().code == 0
    assert tree_hash(out) == first  # byte-identical, and replaced whole
    assert no_litter(tmp_path) == []


def test_graph_out_read_only(kb, run, read_only_dir):
    line = run("graph", "--root", kb.root, "--out", read_only_dir / "out").one_line_error((1, 2))
    assert "read-only" in line or "permission" in line, line
    assert not (read_only_dir / "out").exists()


def test_graph_out_on_a_full_disk_leaves_the_old_exports(kb, run, full_disk, tmp_path):
    out = full_disk / "g"
    line = run("graph", "--root", kb.root, "--out", out).one_line_error(1)
    assert "no space left" in line
    assert not out.exists() and no_litter(full_disk) == []


def test_build_on_a_full_disk_is_one_line_and_leaves_nothing(kb, run, full_disk):
    site = full_disk / "site"
    line = run("build", "--root", kb.root, "--site-dir", site).one_line_error(1)
    assert "no space left" in line, line
    assert not site.exists() and no_litter(full_disk) == []


def test_build_read_only(kb, run, read_only_dir):
    run("build", "--root", kb.root, "--site-dir", read_only_dir / "site").one_line_error((1, 2))


@pytest.mark.parametrize(
    "config",
    [
        "site_name: [unclosed\n",
        "site_name: x\nnav: 3\n",
        "- a list\n",
        "",
        "site_name: x\ntheme: no-such-theme\n",
        "\x00\x01binary",
    ],
)
def test_a_broken_mkdocs_yml_is_one_line(kb, run, config):
    (kb.root / "mkdocs.yml").write_text(config)
    before = kb.hash()
    line = run("build", "--root", kb.root, "--site-dir", kb.root.parent / "site").one_line_error((1, 2))
    assert "mkdocs.yml" in line, line
    assert kb.hash() == before


def test_a_long_output_name_is_one_line(kb, run, tmp_path):
    run("graph", "--root", kb.root, "--out", tmp_path / ("x" * 300)).one_line_error((1, 2))
    run("build", "--root", kb.root, "--site-dir", tmp_path / ("x" * 300)).one_line_error((1, 2))


@pytest.mark.parametrize(
    "report", ["folder", "under-file", "references.bib", "missing-dir/r.md", "read-only"]
)
def test_bench_report_is_refused_before_the_bench_runs(kb, run, tmp_path, monkeypatch, report, read_only_dir):
    from evidencekb import bench

    def boom(*a, **k):
        raise AssertionError("the bench ran before its --report path was checked")

    monkeypatch.setattr(bench, "bench_one", boom)
    (tmp_path / "folder").mkdir()
    (tmp_path / "f").write_text("x")
    path = {
        "folder": tmp_path / "folder",
        "under-file": tmp_path / "f" / "r.md",
        "references.bib": kb.root / "references.bib",
        "missing-dir/r.md": tmp_path / "nope" / "r.md",
        "read-only": read_only_dir / "r.md",
    }[report]
    before = kb.hash()
    run("bench", "--root", kb.root, "--claims", "10", "--report", path).one_line_error(2)
    assert kb.hash() == before


def test_serve_on_a_busy_port_is_one_line(kb, run):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        line = run("serve", "--root", kb.root, "--dev-addr", f"127.0.0.1:{port}").one_line_error(1)
    assert "in use" in line


def test_the_temporary_names_are_git_ignored():
    from tests.conftest import REPO

    ignore = (REPO / ".gitignore").read_text()
    for pattern in (".*.building-*/", ".*.old-*/", ".*.data-*/"):
        assert pattern in ignore
