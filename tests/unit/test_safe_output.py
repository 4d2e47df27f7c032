"""safe_output.protected_paths: what counts as a project source that no output may touch."""

from __future__ import annotations

import subprocess

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


def test_an_interrupt_landing_where_python_cannot_raise_it_is_raised_at_the_next_line(capfd):
    """A signal handled while a weakref callback runs (the import system's module locks use
    them): Python would print "Exception ignored ... Traceback" and carry on as if nothing
    came. Inside interrupts_as_keyboard it is raised again in ordinary code, silently."""
    import signal
    import time
    import weakref

    import pytest

    from evidencekb import safe_output

    class Thing:
        pass

    reached_after = []
    with pytest.raises(KeyboardInterrupt):
        with safe_output.interrupts_as_keyboard():
            thing = Thing()
            ref = weakref.ref(thing, lambda _: safe_output._raise_interrupt(signal.SIGTERM, None))
            del thing  # the callback runs now, and its KeyboardInterrupt cannot leave it
            time.sleep(0.5)  # the timer's signal arrives in ordinary code
            reached_after.append(ref)
    assert reached_after == []
    assert "Traceback" not in capfd.readouterr().err


def test_other_unraisable_exceptions_still_reach_the_previous_hook():
    import weakref

    from evidencekb import safe_output

    class Thing:
        pass

    import sys

    seen = []
    previous, sys.unraisablehook = sys.unraisablehook, lambda args: seen.append(args.exc_type)
    try:
        with safe_output.interrupts_as_keyboard():
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

    from evidencekb import safe_output

    class Thing:
        pass

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(KeyboardInterrupt):
        with safe_output.interrupts_as_keyboard():
            thing = Thing()
            ref = weakref.ref(thing, lambda _: safe_output._raise_interrupt(signal.SIGTERM, None))
            del thing
    assert ref() is None
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
