"""Reading a big base on two cores gives exactly the serial answer, and any failure of the
forked child falls back to reading its files here."""

from __future__ import annotations

import pytest

from evidencekb import forked
from evidencekb.checker import reading
from tests.conftest import CLAIM

BAD = {
    "c03": ("claim_type: mechanism", "claim_typo: mechanism"),
    "c07": ("level: moderate", "level: [moderate"),
    "c11": ("source: smith2020trial", "source: nosuch2020"),
    "c12": ("relation: supports", "relation: maybe"),
}


@pytest.fixture(autouse=True)
def alone(request, monkeypatch):
    """The checker never forks beside other threads. Tests run after the browser tests share
    this process with their idle server threads, which would turn every fork here into the
    one-process path and these tests into no tests; so the fork paths see a process alone,
    except the test of that very rule."""
    if request.node.name != "test_no_fork_beside_threads":
        monkeypatch.setattr(forked.threading, "active_count", lambda: 1)


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


# Run in a fresh interpreter: the test process may hold other threads (a browser test's
# server), beside which the checker rightly refuses to fork.
_IN_A_FRESH_PROCESS = """
import json, sys
from evidencekb.checker import check_project, reading
from evidencekb.project import Project
from evidencekb.reporter import format_text
def run(parallel_from):
    reading.PARALLEL_FROM = parallel_from
    result = check_project(Project(sys.argv[1]))
    return result, [format_text(p) for p in result.problems]
serial, serial_lines = run(10**9)
forks = []
real_fork = reading._fork
reading._fork = lambda *a: forks.append(1) or real_fork(*a)
both, lines = run(2)
print(json.dumps({"forks": forks, "same_lines": lines == serial_lines, "n": len(lines),
                  "same_base": both.base == serial.base}))
"""


def test_two_cores_give_the_serial_answer(big):
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _IN_A_FRESH_PROCESS, str(big.root)], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got["forks"] == [1]
    assert got["same_lines"] and got["n"] >= 4
    assert got["same_base"]


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

    monkeypatch.setattr(forked.os, "fork", no_fork)
    assert check()[1] == serial_lines


def test_a_child_that_fails_is_read_here(big, check, monkeypatch):
    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)

    def broken(*a, **k):
        raise MemoryError  # in the child only: the parent does not marshal

    monkeypatch.setattr(forked.marshal, "dumps", broken)
    assert check()[1] == serial_lines


def test_a_garbled_answer_is_read_here(big, check, monkeypatch):
    _, serial_lines = _serial(check, monkeypatch)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(forked.marshal, "loads", lambda data: ["not", "the", "answer"])
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
