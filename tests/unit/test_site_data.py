"""Site data: parsed once per build, cached by file stat between `mkdocs serve` rebuilds,
dates from the data corrected by one batched `git log`."""

from __future__ import annotations

import os
import subprocess

import pytest

from evidencekb.project import Project
from evidencekb.site import data as site_data


@pytest.fixture(autouse=True)
def fresh_cache():
    site_data.clear_cache()
    yield
    site_data.clear_cache()


def test_second_load_with_unchanged_files_is_the_cached_object(project, monkeypatch):
    p = Project(project.root)
    first = site_data.load(p)
    calls = []
    import evidencekb.checker as checker

    monkeypatch.setattr(checker, "check_project", lambda *a, **k: calls.append(1))
    assert site_data.load(p) is first
    assert calls == []


def test_touching_a_claim_reloads(project):
    p = Project(project.root)
    first = site_data.load(p)
    path = project.edit("alpha", "Two studies agree.", "Two studies agree well.")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = site_data.load(p)
    assert second is not first
    assert second.base.claim("alpha").confidence.rationale == "Two studies agree well."


def test_a_base_with_errors_raises_with_every_problem(project):
    project.edit("alpha", "source: lee2019book", "source: nobody2020none")
    project.edit("beta", "level: moderate", "level: sky-high")
    with pytest.raises(site_data.BaseHasErrors) as info:
        site_data.load(Project(project.root))
    paths = {p.position.path for p in info.value.problems}
    assert paths == {"claims/alpha.yaml", "claims/beta.yaml"}
    assert all(p.position.line > 1 for p in info.value.problems)


def test_dates_come_from_the_data_without_git(project):
    d = site_data.load(Project(project.root))
    assert d.dates["alpha"] == ("2026-11-01", "2026-11-01")


def _git(root, *args, date="2026-11-05T12:00:00"):
    env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@e",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_git_history_is_one_batched_log(project):
    root = project.root
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first", date="2026-11-02T10:00:00")
    project.edit("alpha", "Two studies agree.", "Two studies agree, later.")
    _git(root, "commit", "-q", "-am", "second", date="2026-11-09T10:00:00")
    history = site_data.git_history(root)
    assert history["claims/alpha.yaml"] == ("2026-11-02", "2026-11-09")
    assert history["claims/beta.yaml"] == ("2026-11-02", "2026-11-02")
    d = site_data.load(Project(root))
    assert d.dates["alpha"] == ("2026-11-01", "2026-11-09")  # edited later than its `updated` says
    assert d.dates["beta"] == ("2026-11-01", "2026-11-02")


def test_no_git_means_no_history(tmp_path):
    assert site_data.git_history(tmp_path) == {}
