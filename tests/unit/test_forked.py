"""A forked child's answer comes back as it was made, and every way it can fail is an answer
of None (the caller then does the work itself), never a hang, a traceback or a stray child."""

from __future__ import annotations

import os
import time

import pytest

from evidencekb import forked
from evidencekb.model import Position, Problem


@pytest.fixture(autouse=True)
def alone(request, monkeypatch):
    """As in test_checker_parallel: the browser tests leave idle server threads in this
    process, beside which nothing forks; these tests see a process alone, except the one
    about that very rule."""
    if request.node.name != "test_never_beside_threads":
        monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
        monkeypatch.setattr(forked.os, "cpu_count", lambda: 2)


def test_plain_values_come_back():
    child = forked.start(lambda: [("a", 1, None), {"k": b"v"}])
    assert child is not None
    assert child.collect() == [("a", 1, None), {"k": b"v"}]


def test_records_come_back_pickled():
    problem = Problem(Position("claims/x.yaml", 3, 4), "error", "bad", "rule")
    child = forked.start(lambda: (problem, {"p": problem}), records=True)
    assert child is not None
    assert child.collect() == (problem, {"p": problem})


def test_a_record_without_records_is_no_answer():
    child = forked.start(lambda: Problem(Position("x"), "error", "m", "r"))  # marshal cannot
    assert child is not None
    assert child.collect() is None


def test_a_child_with_an_inbox_hears_what_it_is_told():
    child = forked.start(lambda heard: heard().decode() + "!", inbox=True)
    assert child is not None
    child.tell(b"/some/folder")
    assert child.collect() == "/some/folder!"


def test_a_child_never_told_hears_silence_when_collected():
    child = forked.start(lambda heard: heard() == b"", inbox=True)  # would wait for ever
    assert child is not None
    assert child.collect() is True


def test_telling_a_child_already_gone_is_no_error():
    child = forked.start(lambda heard: time.sleep(30), inbox=True)
    assert child is not None
    os.kill(child.pid, 9)
    os.waitpid(child.pid, 0)
    child.tell(b"x" * (1 << 20))  # more than a pipe holds: the write fails, quietly
    child.tell(b"again")  # told once only: the second is nothing
    child.stop()


def test_work_that_raises_is_no_answer():
    child = forked.start(lambda: 1 / 0)
    assert child is not None
    assert child.collect() is None


def test_a_child_killed_is_no_answer():
    child = forked.start(lambda: time.sleep(30))
    assert child is not None
    os.kill(child.pid, 9)
    assert child.collect() is None


def test_busy_until_it_answers():
    child = forked.start(lambda: time.sleep(0.3) or "done")
    assert child is not None
    assert child.busy()
    deadline = time.monotonic() + 10
    while child.busy() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not child.busy()
    assert child.collect() == "done"
    assert not child.busy()  # collected: nothing more to wait for


def test_stop_kills_and_reaps():
    child = forked.start(lambda: time.sleep(30))
    assert child is not None
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped: no zombie left
    assert child.collect() is None
    child.stop()  # twice is harmless


def test_no_fork_no_child(monkeypatch):
    def refuse():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", refuse)
    assert forked.start(lambda: 1) is None


def test_never_beside_threads():
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not forked.can_fork()
        assert forked.start(lambda: 1) is None
    finally:
        stop.set()
        t.join()


def test_one_core_no_child(monkeypatch):
    monkeypatch.setattr(forked.os, "cpu_count", lambda: 1)
    assert forked.start(lambda: 1) is None


def test_stop_all_ends_every_child_still_running():
    children = [forked.start(lambda: time.sleep(30)) for _ in range(2)]
    assert all(children)
    forked.stop_all()
    for child in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(child.pid, os.WNOHANG)
    assert not forked._LIVE


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux only (PR_SET_PDEATHSIG)")
def test_a_child_dies_with_its_parent(tmp_path):
    """A parent killed outright (no handler runs) takes its child with it."""
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from evidencekb import forked\n"
        "forked.can_fork = lambda: True\n"
        "child = forked.start(lambda: time.sleep(30))\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(30)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                state = open(f"/proc/{pid}/status").read()
            except FileNotFoundError:
                break
            if "State:\tZ" in state:  # dead, waiting for init to reap it
                break
            time.sleep(0.05)
        else:
            pytest.fail("the child outlived its parent")
    finally:
        parent.kill()
