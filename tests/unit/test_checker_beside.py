"""The caller's next stages beside the rules (check_project's `meanwhile` and `apart`): on a
big base the rules and `apart` run in a forked child while `meanwhile` runs here, with the
answer of the serial path; a base with errors gets its errors, never a stage's exception;
any failure of the child is made good here."""

from __future__ import annotations

import pytest

import evidencekb.checker as checker_module
from evidencekb import forked
from evidencekb.analysis import analyse
from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.reporter import format_text
from tests.conftest import CLAIM


@pytest.fixture(autouse=True)
def forks(monkeypatch):
    """The children started. Nothing forks beside threads (test_forked); here the process is
    taken to be alone."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forked.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("EVIDENCE_NO_CACHE", "1")
    started = []
    real = forked.start

    def spy(work, records=False):
        child = real(work, records)
        started.append(child)
        return child

    monkeypatch.setattr(forked, "start", spy)
    return started


@pytest.fixture
def good(project):
    for i in range(12):
        project.claim(f"c{i:02d}", CLAIM.format(id=f"c{i:02d}"))
    return project


class Calls:
    """What the stages saw: whether the child was busy when `meanwhile` ran, and how often."""

    def __init__(self):
        self.meanwhile = 0
        self.apart = 0
        self.busy_seen = None

    def prepare(self, base, busy):
        self.meanwhile += 1
        self.busy_seen = busy()
        return len(base.claims)

    def analyse(self, base):
        self.apart += 1
        return analyse(base)


def run(project, monkeypatch, apart_from, calls):
    monkeypatch.setattr(checker_module, "RULES_APART_FROM", apart_from)
    result = check_project(Project(project.root), meanwhile=calls.prepare, apart=calls.analyse)
    return result, [format_text(p) for p in result.problems]


def test_beside_the_rules_gives_the_serial_answer(good, monkeypatch, forks):
    serial_calls, both_calls = Calls(), Calls()
    serial, serial_lines = run(good, monkeypatch, 10**9, serial_calls)
    assert forks == []
    both, lines = run(good, monkeypatch, 2, both_calls)
    assert len(forks) == 1 and forks[0] is not None
    assert serial.ok and lines == serial_lines
    assert both.prepared == serial.prepared == 14
    assert both.prepared_apart == serial.prepared_apart == analyse(serial.base)  # pickled back whole
    assert serial_calls.busy_seen is False  # no child: nothing to wait for
    assert both_calls.apart == 0  # the child analysed, not this process
    assert serial_calls.meanwhile == both_calls.meanwhile == 1


def test_rule_errors_win_over_a_stage_that_fails(good, monkeypatch, forks):
    good.edit("c03", "source: smith2020trial", "source: nosuch2020")  # a rule error, not a schema one
    calls = Calls()
    _, serial_lines = run(good, monkeypatch, 10**9, calls)
    assert calls.meanwhile == 0  # the serial path does not start what an error would waste

    def broken(base, busy):
        raise KeyError("nosuch2020")  # what a later stage might make of the bad key

    monkeypatch.setattr(checker_module, "RULES_APART_FROM", 2)
    result = check_project(Project(good.root), meanwhile=broken, apart=analyse)
    assert len(forks) == 1 and forks[0] is not None
    assert [format_text(p) for p in result.problems] == serial_lines
    assert not result.ok
    assert result.prepared is None and result.prepared_apart is None


def test_a_stage_that_fails_on_a_good_base_is_raised(good, monkeypatch):
    def broken(base, busy):
        raise RuntimeError("a bug in a stage")

    monkeypatch.setattr(checker_module, "RULES_APART_FROM", 2)
    with pytest.raises(RuntimeError, match="a bug in a stage"):
        check_project(Project(good.root), meanwhile=broken, apart=analyse)


def test_a_child_that_fails_is_made_good_here(good, monkeypatch, forks):
    _, serial_lines = run(good, monkeypatch, 10**9, Calls())

    def no_pickle(*a, **k):
        raise MemoryError  # in the child only: this process never pickles

    monkeypatch.setattr(forked.pickle, "dumps", no_pickle)
    calls = Calls()
    result, lines = run(good, monkeypatch, 2, calls)
    assert len(forks) == 1 and forks[0] is not None
    assert lines == serial_lines
    assert calls.apart == 1  # done here instead
    assert result.prepared_apart == analyse(result.base)


def test_a_garbled_answer_is_made_good_here(good, monkeypatch):
    _, serial_lines = run(good, monkeypatch, 10**9, Calls())
    monkeypatch.setattr(forked.pickle, "loads", lambda data: "not the answer")
    calls = Calls()
    result, lines = run(good, monkeypatch, 2, calls)
    assert lines == serial_lines and calls.apart == 1
    assert result.prepared_apart == analyse(result.base)


def test_files_that_fail_their_schema_start_no_stage(good, monkeypatch, forks):
    good.edit("c05", "claim_type: mechanism", "claim_typo: mechanism")
    calls = Calls()
    result, _ = run(good, monkeypatch, 2, calls)
    assert not result.ok and forks == []
    assert calls.meanwhile == calls.apart == 0
    assert result.prepared is None and result.prepared_apart is None


@pytest.mark.parametrize("child_answers", [True, False])
def test_the_cache_is_saved_beside_the_rules_or_here_if_the_child_fails(good, monkeypatch, tmp_path,
                                                                         child_answers):
    """The child saves the cache once its stages are done (a cold run's last serial step);
    when it gives no answer, this process saves it. Either way the next check reads every
    claim file from it."""
    from evidencekb.checker import reading

    monkeypatch.delenv("EVIDENCE_NO_CACHE")
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    if not child_answers:
        monkeypatch.setattr(checker_module, "_answer", lambda sent: None)
    first, _ = run(good, monkeypatch, 0, Calls())
    assert first.ok and list((tmp_path / "cache").glob("claims-*.pack"))

    def never(*args):
        raise AssertionError("a claim file was parsed again")

    monkeypatch.setattr(reading, "parse_claim_bytes", never)
    again = check_project(Project(good.root))
    assert again.ok and len(again.base.claims) == len(first.base.claims)
