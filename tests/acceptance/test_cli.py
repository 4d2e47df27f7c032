"""The `evidence` command as a contributor and CI run it: exit codes, formats, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    return subprocess.run([sys.executable, "-m", "evidencekb", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_clean_project_exits_0(project):
    r = run("check", "--root", str(project.root))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 errors" in r.stdout


def test_problems_exit_1_with_file_line_col(project):
    project.edit("alpha", "statement:", "statment:")
    r = run("check", "--root", str(project.root))
    assert r.returncode == 1
    assert "claims/alpha.yaml:3:1: error: unknown field 'statment'" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_root_found_from_subfolder(project):
    r = run("check", cwd=project.root / "claims")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["nonsense"], ["check", "--bogus"], []])
def test_bad_usage_exits_2(project, args):
    r = run(*args, cwd=project.root)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_no_project_exits_2(tmp_path):
    r = run("check", cwd=tmp_path)
    assert r.returncode == 2 and "no evidence project" in r.stderr


def test_github_format(project):
    project.edit("alpha", "source: lee2019book", "source: nope")
    r = run("check", "--root", str(project.root), "--format", "github")
    assert r.returncode == 1
    assert ("::error file=claims/alpha.yaml,line=9,col=13,title=unknown-source::unknown source 'nope'"
            in r.stdout)


def test_json_format(project):
    project.edit("alpha", "source: lee2019book", "source: nope")
    r = run("check", "--root", str(project.root), "--format", "json", "--stats")
    doc = json.loads(r.stdout)
    assert doc["errors"] >= 1 and doc["problems"][0]["path"] == "claims/alpha.yaml"
    assert doc["stats"]["claims"] == 2


def test_stats(project):
    r = run("check", "--root", str(project.root), "--stats")
    assert "claims: 2" in r.stdout and "sources: 3" in r.stdout


def test_only_named_files_reported(project):
    project.edit("alpha", "statement:", "statment:")
    project.edit("beta", "statement:", "statment:")
    r = run("check", "--root", str(project.root), str(project.root / "claims" / "beta.yaml"))
    assert r.returncode == 1 and "beta.yaml" in r.stdout and "alpha.yaml" not in r.stdout


@pytest.mark.parametrize("raw", [
    b"", b"\t", b"- a\n", b"!!python/object/apply:os.system ['true']\n", "é".encode("latin-1"),
    b"a: &a [1]\nb: *a\n", b"id: x\nid: y\n", b"{[}", b"\xff\xfe\x00",
])
def test_bad_input_never_tracebacks(project, raw):
    project.claim("bad", raw)
    r = run("check", "--root", str(project.root))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "claims/bad.yaml:" in r.stdout


def test_the_repository_itself_is_clean():
    r = run("check", "--root", str(REPO))
    assert r.returncode == 0, r.stdout[-3000:]


def test_everything_said_reaches_a_pipe_before_the_command_ends(project):
    """The command ends without freeing its objects (cli.run): whatever it printed into a
    pipe's buffer must still arrive, with its exit code."""
    for i in range(60):
        project.claim(f"bad{i:02d}", f"id: bad{i:02d}\nstatment: x\n")
    r = run("check", "--root", str(project.root), "--format", "json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)  # whole: not cut off at a buffer's end
    assert {p["path"] for p in doc["problems"]} >= {f"claims/bad{i:02d}.yaml" for i in range(60)}
    r = run("graph", "--root", str(project.root), "--out", str(project.root.parent / "g"))
    assert r.returncode == 1 and "nothing was changed" in r.stderr
