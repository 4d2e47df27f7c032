"""interrupts: signals become KeyboardInterrupt inside a writing block, and an interrupt that
lands where Python cannot raise it is raised again instead of lost."""

from __future__ import annotations

from evidencekb import interrupts


def test_an_interrupt_landing_where_python_cannot_raise_it_is_raised_at_the_next_line(capfd):
    """A signal handled while a weakref callback runs (the import system's module locks use
    them): Python would print "Exception ignored ... Traceback" and carry on as if nothing
    came. Inside interrupts_as_keyboard it is raised again in ordinary code, silently."""
    import signal
    import time
    import weakref

    import pytest


    class Thing:
        pass

    reached_after = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts.interrupts_as_keyboard():
            thing = Thing()
            ref = weakref.ref(thing, lambda _: interrupts._raise_interrupt(signal.SIGTERM, None))
            del thing  # the callback runs now, and its KeyboardInterrupt cannot leave it
            time.sleep(0.5)  # the timer's signal arrives in ordinary code
            reached_after.append(ref)
    assert reached_after == []
    assert "Traceback" not in capfd.readouterr().err


def test_other_unraisable_exceptions_still_reach_the_previous_hook():
    import weakref


    class Thing:
        pass

    import sys

    seen = []
    previous, sys.unraisablehook = sys.unraisablehook, lambda args: seen.append(args.exc_type)
    try:
        with interrupts.interrupts_as_keyboard():
            thing = Thing()
            ref = weakref.ref(thing, lambda _: 1 / 0)
            del thing
        assert sys.unraisablehook is not previous  # ours is given back as it was
    finally:
        sys.unraisablehook = previous
    assert ref() is None
    assert seen == [ZeroDivisionError]


def test_an_interrupt_re_raised_after_the_block_ends_is_not_lost():
    """The block ends before the timer fires: the interrupt is raised as it ends, and the
    alarm signal goes back to what it was, with no timer left running."""
    import signal
    import weakref

    import pytest


    class Thing:
        pass

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(KeyboardInterrupt):
        with interrupts.interrupts_as_keyboard():
            thing = Thing()
            ref = weakref.ref(thing, lambda _: interrupts._raise_interrupt(signal.SIGTERM, None))
            del thing
    assert ref() is None
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
