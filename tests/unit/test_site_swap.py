"""The swap that publishes a build: the old site survives anything short of success."""

from __future__ import annotations

import os

import pytest

from evidencekb.site.build import swap_in


def test_swap_replaces_the_site(tmp_path):
    site, new = tmp_path / "site", tmp_path / ".site.building"
    site.mkdir(); (site / "old.html").write_text("old")
    new.mkdir(); (new / "new.html").write_text("new")
    swap_in(new, site)
    assert (site / "new.html").exists() and not (site / "old.html").exists()
    assert not new.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the old copy is gone too


def test_swap_into_nothing(tmp_path):
    new = tmp_path / "new"; new.mkdir(); (new / "a").write_text("a")
    swap_in(new, tmp_path / "site")
    assert (tmp_path / "site" / "a").exists()


def test_a_failed_rename_puts_the_old_site_back(tmp_path, monkeypatch):
    site, new = tmp_path / "site", tmp_path / "new"
    site.mkdir(); (site / "old.html").write_text("old")
    new.mkdir()
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the rename of the new site fails
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(KeyboardInterrupt):
        swap_in(new, site)
    monkeypatch.setattr(os, "replace", real)
    assert (site / "old.html").read_text() == "old"
