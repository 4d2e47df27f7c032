"""Versions on the built site, from a real temporary git repository: a rating changed in a
commit shows as a History entry, a What's new line, a feed entry, and the old version's
permalink page showing the old text with the changed-since notice; the pack record cites
the version. Rendered without MkDocs (the render stage is pure), so it runs in a second."""

from __future__ import annotations

import json

import pytest

from evidencekb.project import Project
from evidencekb.site.common import Settings
from evidencekb.site.data import clear_cache, load
from evidencekb.site.render import render_files, render_pages
from tests.unit.test_history import git

SETTINGS = Settings(site_name="Test base", site_url="https://example.org/kb/")


def _site(root):
    clear_cache()
    data = load(Project(root))
    pages = {p.src_uri: p for p in render_pages(data, SETTINGS, contributing=False)}
    return data, pages, render_files(data, SETTINGS)


def _html(page) -> str:
    return "\n".join(str(c) for c in page.chunks())


@pytest.fixture
def rerated(project):
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "First claims")
    project.edit("alpha", "level: moderate", "level: low")
    git(project.root, "commit", "-qam", "Alpha re-rated: one study withdrawn", date="2027-03-14T09:00:00")
    return project


def test_a_rating_change_shows_in_history_whats_new_feed_and_the_old_permalink(rerated):
    feedparser = pytest.importorskip("feedparser")
    data, pages, files = _site(rerated.root)
    claim = _html(pages["claims/alpha/index.md"])
    assert "version 2, 14 March 2027" in claim
    assert "Confidence changed from Moderate to Low" in claim
    assert "Alpha re-rated: one study withdrawn" in claim
    assert 'href="v1/"' in claim  # the text as cited in version 1
    assert "https://example.org/kb/claims/alpha/v2/" in claim  # the citation's permalink

    news = _html(pages["whats-new/index.md"])
    assert "Confidence changed from moderate to low." in news and "claims/alpha/" in news

    feed = feedparser.parse(files["whats-new.xml"])
    assert not feed.bozo
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Confidence changed from moderate to low") for t in titles)
    assert feed.entries[0].link == "https://example.org/kb/claims/alpha/v2/"

    old = files["claims/alpha/v1/index.html"]
    assert "This finding has changed since this version." in old
    assert "Moderate" in old and "version 1, 1 November 2026" in old
    assert 'href="../"' in old  # to the current page
    assert "http-equiv=\"refresh\"" in files["claims/alpha/v2/index.html"]  # current: forwards
    assert "claims/beta/v2/index.html" not in files  # unchanged claims get no extra pages

    record = json.loads(files["pack/claims/alpha.json"])
    assert record["version"] == "version 2, 14 March 2027"
    assert record["permalink"] == "https://example.org/kb/claims/alpha/v2/"
    assert record["caveat_always"] and record["caveat"]


def test_a_build_without_history_says_so_and_shows_none(project):
    data, pages, files = _site(project.root)  # not a git checkout
    assert not data.history.available
    assert "## History" not in pages["claims/alpha/index.md"].markdown()
    assert "version 1" not in _html(pages["claims/alpha/index.md"])
    assert "has no claim history" in _html(pages["whats-new/index.md"])
    assert not [p for p in files if "/v1/" in p]
    assert json.loads(files["pack/claims/alpha.json"])["permalink"] == "https://example.org/kb/claims/alpha/"


def test_pack_records_and_pages_are_byte_identical_across_builds(rerated):
    _, _, first = _site(rerated.root)
    _, _, second = _site(rerated.root)
    keys = [k for k in first if k.startswith(("pack/", "claims/")) or k == "whats-new.xml"]
    assert keys and all(first[k] == second[k] for k in keys)


def test_whats_new_lists_one_entry_for_each_changed_version_of_a_finding(project):
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "First claims")
    project.edit("alpha", "level: moderate", "level: low")
    project.edit("alpha", "Peer mentors help people alpha.", "Peer mentors often help people alpha.")
    git(project.root, "commit", "-qam", "Alpha re-rated and restated", date="2027-03-14T09:00:00")
    _, pages, files = _site(project.root)
    news = _html(pages["whats-new/index.md"])
    assert news.count("Alpha re-rated and restated") == 1
    assert "Confidence changed from moderate to low; finding restated." in news
    assert files["whats-new.xml"].count("<entry>") >= 2  # the feed keeps one entry per change
