"""Signals while a command writes: SIGTERM and SIGHUP raise KeyboardInterrupt as SIGINT does,
so every `finally` that removes a staging folder runs whichever way a run is stopped; short
critical sections (a swap, a cleanup) hold them off; and an interrupt that lands where Python
cannot raise it is raised again, never lost."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading

_HANDLED = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None
)
_stopping = {"flag": False}


def _raise_interrupt(signum, frame):
    if _stopping["flag"]:
        return  # already stopping (a second Ctrl-C): let the cleanup finish
    _stopping["flag"] = True
    raise KeyboardInterrupt


_again = {"pending": False}


def _interrupt_again(hook_args, previous=None):
    """sys.unraisablehook while signals raise KeyboardInterrupt. A signal can land while
    Python runs code whose exceptions it cannot pass on (a weakref callback, such as the
    import system's module locks; a __del__): Python would print "Exception ignored" with a
    traceback and carry on as if no signal had come, the run finishing against the reader's
    wish. Instead the interrupt is raised again a moment later, in ordinary code: by a timer
    signal (a signal raised here would be handled inside this hook, with the same fate)."""
    if issubclass(hook_args.exc_type, KeyboardInterrupt) and _stopping["flag"]:
        _stopping["flag"] = False
        _again["pending"] = True
        signal.setitimer(signal.ITIMER_REAL, 0.001)
        return
    (previous or sys.__unraisablehook__)(hook_args)


def _alarm(signum, frame):
    if _again["pending"]:
        _again["pending"] = False
        _raise_interrupt(signum, frame)


@contextlib.contextmanager
def interrupts_as_keyboard():
    """SIGTERM and SIGHUP raise KeyboardInterrupt (so `finally` clauses clean up), and a
    second SIGINT during that cleanup is ignored. Main thread only; a no-op elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopping["flag"] = False
    _again["pending"] = False
    saved = {s: signal.getsignal(s) for s in (*_HANDLED, signal.SIGINT)}
    previous_hook = sys.unraisablehook
    again = hasattr(signal, "setitimer")
    if again:
        alarm = signal.getsignal(signal.SIGALRM)
        signal.signal(signal.SIGALRM, _alarm)
        sys.unraisablehook = functools.partial(_interrupt_again, previous=previous_hook)
    for s in _HANDLED:
        signal.signal(s, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        lost = _again["pending"]  # re-armed, and the timer had not fired yet: raised below
        _again["pending"] = False
        if again:  # our timer is cancelled, and the alarm goes back to its owner
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, alarm if alarm is not None else signal.SIG_DFL)
        for s, h in saved.items():
            if _stopping["flag"] or lost:
                h = signal.SIG_IGN  # a signal arrived: we are on the way out, let no second one cut it short
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(s, h if h is not None else signal.SIG_DFL)
        if lost:
            raise KeyboardInterrupt


@contextlib.contextmanager
def held_signals():
    """Hold off SIGINT/SIGTERM/SIGHUP for a short critical section (a swap, a cleanup)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    wanted = {signal.SIGINT, *_HANDLED}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
