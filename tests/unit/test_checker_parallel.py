"""Reading a big base on two cores gives exactly the serial answer, and any failure of the
forked child falls back to reading its files here."""

from __future__ import annotations

import pytest

from evidencekb.checker import reading
from tests.conftest import CLAIM

BAD = {
    "c03": ("claim_type: mechanism", "claim_typo: mechanism"),
    "c07": ("level: moderate", "level: [moderate"),
    "c11": ("source: smith2020trial", "source: nosuch2020"),
    "c12": ("relation: supports", "relation: maybe"),
}


@pytest.fixture
def big(project, monkeypatch):
    """Sixteen claims, four of them bad in different ways, read on two cores from 2 files."""
    for i in range(16):
        name = f"c{i:02d}"
        text = CLAIM.format(id=name)
        if name in BAD:
            text = text.replace(*BAD[name], 1)
        project.claim(name, text)
    project.claim("c15", b"id: c15\nstatement: \xff\n")  # not UTF-8: no document at all
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "1")
    return project


def _serial(check, monkeypatch):
    monkeypatch.setattr(reading, "PARALLEL_FROM", 10**9)
    return check()


def test_two_cores_give_the_serial_answer(big, check, monkeypatch):
    serial, serial_lines = _serial(check, monkeypatch)
    forks = []
    real_fork = reading._fork
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "_fork", lambda *a: forks.append(1) or real_fork(*a))
    both, lines = check()
    assert forks == [1]
    assert lines == serial_lines and len(lines) >= 4
    assert both.base == serial.base


def test_with_the_cache_too(big, check, monkeypatch, tmp_path):
    serial, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):  # filling the cache (half of it in the child), then from it
        result, lines = check()
        assert lines == serial_lines
        assert result.base == serial.base


def test_a_fork_that_fails_reads_here(big, check, monkeypatch):
    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(reading.os, "fork", no_fork)
    assert check()[1] == serial_lines


def test_a_child_that_fails_is_read_here(big, check, monkeypatch):
    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)

    def broken(*a, **k):
        raise MemoryError  # in the child only: the parent does not marshal

    monkeypatch.setattr(reading.marshal, "dumps", broken)
    assert check()[1] == serial_lines


def test_a_garbled_answer_is_read_here(big, check, monkeypatch):
    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading.marshal, "loads", lambda data: ["not", "the", "answer"])
    assert check()[1] == serial_lines


def test_no_fork_beside_threads(big, check, monkeypatch):
    """A lock held by another thread at a fork stays held in the child: never fork then."""
    import threading

    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "_fork", lambda *a: pytest.fail("forked beside a thread"))
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert check()[1] == serial_lines
    finally:
        stop.set()
        t.join()
