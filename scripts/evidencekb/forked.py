"""Work done in a forked child while this process goes on: its answer comes back through a
pipe, as plain values (marshal) or, when it holds records, pickled.

Why: the check and `evidence graph` have stages that need only what is already in memory
and hand back little (the rules' problems, half the claim files' parses). A forked child
inherits that memory without copying or pickling it, so on a 2-core machine the two halves
run side by side. Whoever starts a child must be ready to do the work itself: `collect`
returns None when the fork, the child or its answer failed in any way. A process running
threads (`evidence serve`'s live reload) never forks: a lock another thread held at the
fork would stay held in the child for ever.

A child never outlives the command: wherever an interrupt lands, the CLI stops every child
still running (`stop_all`, beside its removal of temporary folders), and on Linux the
kernel kills a child whose parent died any other way (PR_SET_PDEATHSIG).

A child started with `inbox` can also be told one message after its start (`Child.tell`):
work it may begin before this process knows where its results go (an export folder made
only once the check has passed) waits for that word, and ends on silence.
"""

from __future__ import annotations

import marshal
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from .safe_output import write_fd


def can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


_LIVE: set[Child] = set()  # started and neither collected nor stopped


class Child:
    """A forked child computing `work()`; `collect()` waits for its value."""

    def __init__(self, pid: int, fd: int, loads: Callable[[bytes], Any], inbox: int = -1):
        self.pid, self.fd, self.loads, self.done = pid, fd, loads, False
        self.inbox = inbox  # the write end of the child's inbox, or -1
        _LIVE.add(self)

    def tell(self, message: bytes) -> None:
        """The one message the child waits for (started with `inbox`); a child already gone
        is not an error here: `collect` answers None for it."""
        fd, self.inbox = self.inbox, -1
        if fd < 0:
            return
        try:
            write_fd(fd, message)
        except OSError:
            pass
        finally:
            os.close(fd)

    def busy(self) -> bool:
        """Still working: it has not begun to answer (it answers all at once, at the end)."""
        if self.done or self.fd < 0:
            return False
        try:
            return not select.select([self.fd], [], [], 0)[0]
        except (OSError, ValueError):
            return False

    def collect(self) -> object | None:
        """The child's value, or None if it failed (then do the work here)."""
        if self.done:
            return None
        self.done = True
        _LIVE.discard(self)
        self.tell(b"")  # a child still waiting to be told hears silence, and ends
        try:
            f = os.fdopen(self.fd, "rb")
            self.fd = -1  # the file owns it now
            with f:
                data = f.read()
            _, status = os.waitpid(self.pid, 0)
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                return None
            return self.loads(data)
        except Exception:  # noqa: BLE001 - any failure of the child: the caller does the work
            return None
        except BaseException:  # Ctrl-C while waiting: the child goes too
            self._end()
            raise

    def stop(self) -> None:
        """The child killed and reaped: its answer is no longer wanted (an error, Ctrl-C)."""
        if not self.done:
            self.done = True
            _LIVE.discard(self)
            self._end()

    def _end(self) -> None:
        fd, self.fd = self.fd, -1
        inbox, self.inbox = self.inbox, -1
        steps: list[Callable[[], object]] = [lambda: os.kill(self.pid, signal.SIGKILL)]
        steps += [partial(os.close, open_fd) for open_fd in (fd, inbox) if open_fd >= 0]
        steps.append(lambda: os.waitpid(self.pid, 0))
        for step in steps:
            try:
                step()
            except OSError:  # already gone, already reaped
                pass


def stop_all() -> None:
    """Every child still running, killed and reaped (the command is ending)."""
    for child in list(_LIVE):
        child.stop()


def _die_with_parent(parent: int) -> None:
    """In the child: killed by the kernel if the parent dies (Linux), or gone at once if it
    already has."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: stop_all still covers every interrupt
        pass
    if os.getppid() != parent:
        os._exit(1)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def start(work: Callable[..., Any], records: bool = False, inbox: bool = False) -> Child | None:
    """`work()` in a forked child, whose value comes back through `Child.collect`: marshalled
    (plain values only: several times faster), or pickled with `records`. With `inbox`, work
    is called as `work(heard)`: `heard()` waits for the message of `Child.tell` (b"" if this
    process ended or stopped the child without one). None when this process may not or
    cannot fork. Only this process's own child is ever unpickled."""
    if not can_fork():
        return None
    parent = os.getpid()
    fds: list[int] = []
    try:
        r, w = os.pipe()
        fds += (r, w)
        if inbox:
            heard_fd, tell_fd = os.pipe()
            fds += (heard_fd, tell_fd)
        pid = os.fork()
    except OSError:
        for fd in fds:
            os.close(fd)
        return None
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        code = 1
        try:
            _die_with_parent(parent)
            os.close(r)
            if inbox:
                os.close(tell_fd)
                value = work(lambda: _read_all(heard_fd))
            else:
                value = work()
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if records else marshal.dumps(value)
            with os.fdopen(w, "wb") as f:
                f.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    if inbox:
        os.close(heard_fd)
    return Child(pid, r, pickle.loads if records else marshal.loads, tell_fd if inbox else -1)
