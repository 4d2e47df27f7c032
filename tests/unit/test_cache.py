"""The check cache: a hit only for the same bytes, path, schema and code; anything wrong with
the cache folder is a miss or a skip, never an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evidencekb import cache
from evidencekb.checker import reading


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(folder))
    monkeypatch.delenv("EVIDENCE_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The claim files actually parsed (not answered from the cache), by path."""
    seen: list[str] = []
    real = reading.parse_claim_bytes

    def counting(raw, rel):
        seen.append(rel)
        return real(raw, rel)

    monkeypatch.setattr(reading, "parse_claim_bytes", counting)
    return seen


def test_second_run_is_answered_from_the_cache(cache_dir, check, parses):
    first, lines = check()
    assert sorted(parses) == ["claims/alpha.yaml", "claims/beta.yaml"]
    assert sorted(p.name.split("-")[0] for p in cache_dir.glob("*.pack")) == ["bib", "claims"]
    parses.clear()
    again, lines_again = check()
    assert parses == []
    assert lines_again == lines
    assert again.base == first.base


def test_any_changed_byte_is_a_miss(cache_dir, project, check, parses):
    check()
    parses.clear()
    project.edit("beta", "Two studies agree.", "Two studies agree!")
    result, _ = check()
    assert parses == ["claims/beta.yaml"]
    beta = next(c for c in result.base.claims if c.id == "beta")
    assert beta.confidence.rationale == "Two studies agree!"


def test_a_changed_schema_is_a_miss_for_every_claim(cache_dir, project, check, parses):
    check()
    parses.clear()
    schema = project.root / "claims" / "claim.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    check()
    assert sorted(parses) == ["claims/alpha.yaml", "claims/beta.yaml"]


def test_a_changed_code_stamp_is_a_miss(cache_dir, check, parses, monkeypatch):
    check()
    parses.clear()
    monkeypatch.setattr(cache, "_STAMP", ["another version of the code"])
    check()
    assert sorted(parses) == ["claims/alpha.yaml", "claims/beta.yaml"]


def test_a_pack_damaged_in_place_is_a_miss(cache_dir, check, parses):
    _, lines = check()
    for pack in cache_dir.glob("*.pack"):
        blob = bytearray(pack.read_bytes())
        blob[-3] ^= 0xFF  # one flipped byte inside the data: the checksum no longer matches
        pack.write_bytes(bytes(blob))
    parses.clear()
    assert check()[1] == lines
    assert sorted(parses) == ["claims/alpha.yaml", "claims/beta.yaml"]


def test_the_code_stamp_covers_the_package_source():
    stamp = cache.code_stamp()
    assert len(stamp) == 64 and stamp == cache.code_stamp()
    assert cache.entry_key(b"s", "claims/a.yaml", b"x") != cache.entry_key(b"s", "claims/a.yaml", b"y")
    assert cache.entry_key(b"s", "claims/a.yaml", b"x") != cache.entry_key(b"s", "claims/b.yaml", b"x")
    assert cache.entry_key(b"s", "claims/a.yaml", b"x") != cache.entry_key(b"t", "claims/a.yaml", b"x")


@pytest.mark.parametrize("garbage", [b"", b"not a pack at all", cache._FORMAT + b"m" + b"\0" * 32 + b"{x",
                                     cache._FORMAT + b"p\x80\x05truncated"])
def test_a_corrupt_pack_is_a_miss(cache_dir, check, parses, garbage):
    _, lines = check()
    for pack in cache_dir.glob("*.pack"):
        pack.write_bytes(garbage)
    parses.clear()
    _, again = check()
    assert again == lines
    assert sorted(parses) == ["claims/alpha.yaml", "claims/beta.yaml"]
    parses.clear()
    check()  # the corrupt pack was replaced by a good one
    assert parses == []


def test_an_unwritable_cache_folder_is_skipped(tmp_path, monkeypatch, check, parses):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    result, lines = check()
    assert result.ok and lines == []
    assert blocker.read_text() == "not a folder"


def test_a_failed_write_leaves_the_old_pack_and_no_temporary_file(cache_dir, project, check, monkeypatch):
    check()
    before = {p.name: p.read_bytes() for p in cache_dir.glob("*.pack")}
    project.edit("beta", "Two studies agree.", "Three studies agree.")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            self.f.write(data[: len(data) // 2])  # half of it, then the disk is full
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    result, _ = check()  # no error reaches the check
    assert result.ok
    assert {p.name: p.read_bytes() for p in cache_dir.glob("*.pack")} == before
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(before)


def test_off_by_environment(cache_dir, check, monkeypatch):
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "1")
    assert cache.cache_dir() is None
    result, _ = check()
    assert result.ok
    assert not cache_dir.exists()


def test_no_cache_option(cache_dir, project, monkeypatch, capsys):
    from evidencekb.cli import main

    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")  # restored after the test: --no-cache sets it
    assert main(["check", "--root", str(project.root), "--no-cache"]) == 0
    assert not cache_dir.exists()
    assert os.environ["EVIDENCE_NO_CACHE"] == "1"
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")
    assert main(["check", "--root", str(project.root)]) == 0
    assert len(list(cache_dir.glob("*.pack"))) == 2


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("EVIDENCE_CACHE_DIR", raising=False)
    monkeypatch.delenv("EVIDENCE_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "evidencekb"


def _pack_name(tag: str) -> str:
    return f"claims-{tag * 32}.pack"


def test_eviction_removes_the_oldest_packs_first(tmp_path):
    names = [_pack_name(c) for c in "abc"]  # oldest first
    for i, name in enumerate(names):
        p = tmp_path / name
        p.write_bytes(cache._FORMAT + b"x" * 100)
        os.utime(p, (1000 + i, 1000 + i))
    cache.evict(tmp_path, keep=tmp_path / names[0], limit=150)
    assert sorted(p.name for p in tmp_path.iterdir()) == [names[0]]


def test_eviction_never_touches_files_it_did_not_write(tmp_path):
    """EVIDENCE_CACHE_DIR may name a folder that holds other things, even other .pack files."""
    theirs = [tmp_path / "photos.pack", tmp_path / _pack_name("d")]
    theirs[0].write_bytes(b"y" * 500)
    theirs[1].write_bytes(b"not our format" * 50)  # our name pattern, not our bytes
    for p in theirs:
        os.utime(p, (1, 1))
    ours = tmp_path / _pack_name("e")
    ours.write_bytes(cache._FORMAT + b"x" * 100)
    cache.evict(tmp_path, keep=None, limit=0)
    assert all(p.exists() for p in theirs) and not ours.exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    """Packs may hold pickles, which run code when read: nobody else may be able to plant one."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(shared))
    pack = cache.Pack("claims", tmp_path)
    assert not pack.enabled
    pack.put(pack.key("a.yaml", b"x"), {"v": 1})
    pack.save()
    assert list(shared.iterdir()) == []


def test_the_cache_folder_is_made_private(tmp_path, monkeypatch):
    folder = tmp_path / "new-cache"
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(folder))
    pack = cache.Pack("claims", tmp_path)
    pack.put(pack.key("a.yaml", b"x"), {"v": 1})
    pack.save()
    assert folder.is_dir() and (folder.stat().st_mode & 0o077) == 0
    again = cache.Pack("claims", tmp_path)
    assert again.get(again.key("a.yaml", b"x")) == {"v": 1}


def test_the_suite_never_caches_in_the_home_folder():
    assert os.environ["EVIDENCE_CACHE_DIR"]
    assert not str(cache.cache_dir()).startswith(str(Path.home() / ".cache"))


CLAIM = (b"id: a-b\nstatement: >-\n  Two\n  lines\nthemes: [x, y]\nevidence:\n  - source: k\n"
         b"    relation: supports\n    locator: p. 3\n  - {source: j, relation: qualifies, locator: p. 4}\n"
         b"related:\n  - claim: c-d\n    relation: contrasts\nconfidence:\n  level: low\n"
         b"  components: {risk_of_bias: serious}\n")


def _every_path(doc) -> list[tuple]:
    deeper = [("evidence", 0, "locator"), ("confidence", "components", "risk_of_bias"), ("nowhere", 1)]
    return sorted(set(doc.values) | set(doc.keys), key=repr) + deeper


def test_a_cached_document_knows_every_position_its_parse_knew():
    """What the cache keeps (most positions still packed) and gives back answers every
    position question as the fresh parse did: the links' at once, the rest when asked."""
    from evidencekb.parsers.claim_yaml import parse_claim_bytes

    fresh, _ = parse_claim_bytes(CLAIM, "claims/a-b.yaml")
    again, _, _ = reading._with_text(reading.plain((fresh, [], True)), CLAIM.decode())
    assert again.packed is not None
    assert set(again.values) == {("evidence", 0), ("evidence", 1), ("related", 0)}
    assert again.where(("evidence", 1)) == fresh.where(("evidence", 1))
    for name, i in (("evidence", 0), ("evidence", 1), ("related", 0)):
        assert again.link_position(name, i) == fresh.link_position(name, i) == fresh.where((name, i))
    assert again.packed is not None  # a link's position needs nothing unpacked
    reference, _ = parse_claim_bytes(CLAIM, "claims/a-b.yaml")
    for path in _every_path(reference):
        for key in (False, True):
            assert again.where(path, key=key) == reference.where(path, key=key), (path, key)
    assert again.packed is None
    twice, _, _ = reading._with_text(reading.plain((again, [], True)), CLAIM.decode())
    level = ("confidence", "level")
    assert twice.where(level, key=True) == reference.where(level, key=True)
