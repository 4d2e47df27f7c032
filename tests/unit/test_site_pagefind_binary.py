"""Which Pagefind indexer the build runs: the override, else the newest install that runs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from evidencekb.site import pagefind_binary
from evidencekb.site.pagefind_binary import ENV_OVERRIDE, find_indexer, npm_candidates, version_of
from evidencekb.site.search import pagefind_command


def fake_pagefind(path: Path, version: str) -> Path:
    """A stand-in binary that answers `--version` like Pagefind does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho 'pagefind {version}'\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def no_override(monkeypatch):
    monkeypatch.delenv(ENV_OVERRIDE, raising=False)


def test_version_of_reads_the_numbers(tmp_path):
    assert version_of(fake_pagefind(tmp_path / "pf", "1.6.0")) == (1, 6, 0)


def test_version_of_a_binary_that_does_not_run_is_none(tmp_path):
    broken = tmp_path / "pf"
    broken.write_text("not a program", encoding="utf-8")
    assert version_of(broken) is None
    assert version_of(tmp_path / "missing") is None


def test_newest_install_wins(tmp_path, monkeypatch, no_override):
    npm = fake_pagefind(npm_candidates(tmp_path)[0], "1.6.0")
    wheel = fake_pagefind(tmp_path / "wheel" / "pagefind", "1.5.2")
    monkeypatch.setattr(pagefind_binary, "_wheel_binary", lambda: wheel)
    chosen = find_indexer(tmp_path)
    assert chosen is not None and chosen.path == npm and chosen.version == (1, 6, 0)
    assert "npm" in chosen.origin


def test_a_newer_wheel_beats_an_older_npm_install(tmp_path, monkeypatch, no_override):
    fake_pagefind(npm_candidates(tmp_path)[0], "1.6.0")
    wheel = fake_pagefind(tmp_path / "wheel" / "pagefind", "1.7.1")
    monkeypatch.setattr(pagefind_binary, "_wheel_binary", lambda: wheel)
    chosen = find_indexer(tmp_path)
    assert chosen is not None and chosen.path == wheel and chosen.version_text == "1.7.1"


def test_without_node_modules_the_wheel_is_used(tmp_path, monkeypatch, no_override):
    wheel = fake_pagefind(tmp_path / "wheel" / "pagefind", "1.5.2")
    monkeypatch.setattr(pagefind_binary, "_wheel_binary", lambda: wheel)
    chosen = find_indexer(tmp_path)
    assert chosen is not None and chosen.path == wheel


def test_a_broken_npm_binary_is_passed_over(tmp_path, monkeypatch, no_override):
    broken = npm_candidates(tmp_path)[0]
    broken.parent.mkdir(parents=True)
    broken.write_text("garbage", encoding="utf-8")
    wheel = fake_pagefind(tmp_path / "wheel" / "pagefind", "1.5.2")
    monkeypatch.setattr(pagefind_binary, "_wheel_binary", lambda: wheel)
    chosen = find_indexer(tmp_path)
    assert chosen is not None and chosen.path == wheel


def test_no_indexer_at_all_gives_no_command(tmp_path, monkeypatch, no_override):
    monkeypatch.setattr(pagefind_binary, "_wheel_binary", lambda: None)
    assert find_indexer(tmp_path) is None
    assert pagefind_command(tmp_path / "site", "pagefind", tmp_path) is None


def test_the_override_wins_over_newer_installs(tmp_path, monkeypatch):
    fake_pagefind(npm_candidates(tmp_path)[0], "9.0.0")
    chosen_one = fake_pagefind(tmp_path / "mine" / "pagefind", "1.2.0")
    monkeypatch.setenv(ENV_OVERRIDE, str(chosen_one))
    chosen = find_indexer(tmp_path)
    assert chosen is not None and chosen.path == chosen_one
    cmd = pagefind_command(tmp_path / "site", "pagefind", tmp_path)
    assert cmd is not None and cmd[0] == str(chosen_one)
    assert cmd[cmd.index("--site") + 1] == str(tmp_path / "site")


def test_an_override_that_does_not_run_means_no_indexer(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_OVERRIDE, str(tmp_path / "missing"))
    assert find_indexer(tmp_path) is None


def test_this_checkout_uses_the_pinned_npm_pagefind_when_installed(no_override):
    """package.json pins the npm Pagefind; with `npm ci` done, the build uses it (CI does)."""
    root = Path(__file__).resolve().parents[2]
    if not any(p.is_file() for p in npm_candidates(root)):
        pytest.skip("npm ci has not been run in this checkout")
    chosen = find_indexer(root)
    assert chosen is not None and chosen.version >= (1, 6, 0)
