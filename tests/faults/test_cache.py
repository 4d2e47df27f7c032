"""A cached check is the same check: a bad base reports exactly the same problems, exit
code and counts from the cache as read afresh, and a broken cache folder changes nothing."""

from __future__ import annotations

from tests.conftest import CLAIM


def _bad(kb) -> None:
    kb.claim("gamma", CLAIM.format(id="gamma").replace("claim_type: mechanism", "claim_typo: mechanism"))
    kb.claim("delta", CLAIM.format(id="delta").replace("level: moderate", "level: [moderate"))
    kb.claim("eps", CLAIM.format(id="eps").replace("source: smith2020trial", "source: nosuch2020"))
    kb.claim("zeta", b"id: zeta\nstatement: \xff\n")
    kb.edit("alpha", "Two studies agree.", "Two studies agree.\n  rationale: again")
    bib = kb.root / "references.bib"
    broken = "\n@article{broken2020,\n  title = {Open\n"
    bib.write_text(bib.read_text(encoding="utf-8") + broken, encoding="utf-8")


def test_cached_check_reports_the_same_problems(kb, run, tmp_path, monkeypatch):
    _bad(kb)
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")
    fresh = run("check", "--root", kb.root, "--no-cache").clean()
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")
    filling = run("check", "--root", kb.root).clean()
    cached = run("check", "--root", kb.root).clean()
    assert list((tmp_path / "cache").glob("*.pack"))
    assert fresh.code == filling.code == cached.code == 1
    assert fresh.out == filling.out == cached.out
    assert fresh.err == filling.err == cached.err
    assert fresh.out.count("error") >= 6


def test_a_cache_folder_that_is_a_file_changes_nothing(kb, run, tmp_path, monkeypatch):
    _bad(kb)
    before = kb.hash()
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "1")
    fresh = run("check", "--root", kb.root).clean()
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(blocker))
    blocked = run("check", "--root", kb.root).clean()
    assert (blocked.code, blocked.out) == (fresh.code, fresh.out)
    assert kb.hash() == before
