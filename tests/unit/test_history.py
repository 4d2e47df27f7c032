"""Claim versions and history from a real temporary git repository."""

from __future__ import annotations

import subprocess

import pytest

from evidencekb.feed import atom, news
from evidencekb.history import load_history, version_text


def git(root, *args, date="2026-11-01T12:00:00"):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "T",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(project):
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "First claims")
    return project


def test_a_rating_change_is_a_new_version_with_its_reason(repo):
    repo.edit("alpha", "level: moderate", "level: low")
    repo.edit("alpha", "caveat: Small samples.", "caveat: Very small samples.")
    git(repo.root, "commit", "-qam", "Alpha re-rated: one study withdrawn", date="2027-03-14T09:00:00")
    h = load_history(repo.root)
    assert h.available and h.reason is None
    alpha = h.of("alpha")
    assert [v.number for v in alpha.versions] == [1, 2]
    first, second = alpha.versions
    assert first.changes[0].kind == "added" and first.level == "moderate"
    kinds = {c.kind: c for c in second.changes}
    assert (kinds["level"].before, kinds["level"].after) == ("moderate", "low")
    assert "caveat" in kinds and second.message == "Alpha re-rated: one study withdrawn"
    assert version_text(second) == "version 2, 14 March 2027"
    assert [v.number for v in h.of("beta").versions] == [1]


def test_sources_added_removed_and_restanced_are_listed(repo):
    repo.edit("alpha", "  - source: smith2020trial\n    relation: supports",
              "  - source: hmip2016inspection\n    relation: qualifies")
    repo.edit("alpha", "  - source: lee2019book\n    relation: supports",
              "  - source: lee2019book\n    relation: disputes")
    git(repo.root, "commit", "-qam", "Alpha: sources revised")
    changes = {(c.kind, c.subject) for c in load_history(repo.root).of("alpha").versions[-1].changes}
    assert changes == {("source-added", "hmip2016inspection"), ("source-removed", "smith2020trial"),
                       ("relation", "lee2019book")}


def test_a_commit_that_changes_nothing_cited_is_not_a_version_and_edits_show_as_modified(repo):
    repo.edit("alpha", "rationale: Two studies agree.", "rationale: Two studies agree closely.")
    git(repo.root, "commit", "-qam", "Reword the rationale")
    h = load_history(repo.root)
    assert len(h.of("alpha").versions) == 1 and not h.of("alpha").modified
    repo.edit("alpha", "level: moderate", "level: high")
    assert load_history(repo.root).of("alpha").modified


def test_no_git_or_a_shallow_clone_says_so_and_shows_nothing(repo, project, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    h = load_history(plain)
    assert not h.available and "not a git checkout" in h.reason and h.claims == {}
    repo.edit("alpha", "level: moderate", "level: low")
    git(repo.root, "commit", "-qam", "second")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)
    h = load_history(shallow)
    assert not h.available and "shallow" in h.reason


def test_feed_lists_new_claims_and_rating_changes_newest_first_and_parses(repo):
    feedparser = pytest.importorskip("feedparser")
    repo.edit("alpha", "level: moderate", "level: low")
    git(repo.root, "commit", "-qam", "Alpha <re-rated> & \x01 checked", date="2027-03-14T09:00:00")
    items = news(load_history(repo.root))
    assert [(i.claim_id, i.kind) for i in items][:1] == [("alpha", "level")]
    xml = atom(items, feed_id="https://example.org/kb/whats-new/", title="A & B evidence",
               site_url="https://example.org/kb/", self_url="https://example.org/kb/whats-new.xml",
               claim_url=lambda cid, v: f"https://example.org/kb/claims/{cid}/v{v}/",
               claim_title=lambda cid: f"Claim {cid}")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "A & B evidence"
    first = parsed.entries[0]
    assert first.title == "Confidence changed from moderate to low: Claim alpha"
    assert first.link == "https://example.org/kb/claims/alpha/v2/"
    assert "<re-rated> &" in first.summary or "&lt;re-rated&gt;" in first.summary
    assert {e.title for e in parsed.entries} >= {"New finding: Claim alpha", "New finding: Claim beta"}
    assert xml == atom(items, feed_id="https://example.org/kb/whats-new/", title="A & B evidence",
                       site_url="https://example.org/kb/", self_url="https://example.org/kb/whats-new.xml",
                       claim_url=lambda cid, v: f"https://example.org/kb/claims/{cid}/v{v}/",
                       claim_title=lambda cid: f"Claim {cid}")
    assert "2027-03-14T00:00:00Z" in xml.split("<entry>")[0]
