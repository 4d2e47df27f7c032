"""safe_output.protected_paths: what counts as a project source that no output may touch;
and a single file replaced whole or not at all."""

from __future__ import annotations

import subprocess

import pytest

from evidencekb.safe_output import EXPORT_MARKER, protected_paths, refuse_reason


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "PATH": "/usr/bin:/bin"})


def test_the_design_cards_top_level_is_protected_without_git(tmp_path):
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "LICENCE").write_text("x")
    found = protected_paths(tmp_path)
    for name in ("claims", "docs", "scripts", "tests", ".ci", ".github", "pyproject.toml", "README.md",
                 "LICENCE", ".git", "references.bib", "mkdocs.yml"):
        assert tmp_path.resolve() / name in found, name


def test_whatever_git_tracks_at_the_top_is_protected(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "plan.txt").write_text("keep me")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "notes")
    reason = refuse_reason(tmp_path / "notes" / "out", tmp_path, marker=EXPORT_MARKER)
    assert reason and "git tracks" in reason
    assert refuse_reason(tmp_path / "site", tmp_path, marker=EXPORT_MARKER) is None  # not tracked: allowed



def test_a_replaced_file_is_whole_or_untouched_and_leaves_no_temporary(tmp_path, monkeypatch):
    from evidencekb import safe_output

    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    safe_output.replace_file(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"

    def full(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_output, "write_file", full)
    with pytest.raises(OSError):
        safe_output.replace_file(target, "newer")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
