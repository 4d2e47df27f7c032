"""The collector is paused inside and restored after, as it was; the objects made meanwhile
are not left for the next young collection to walk."""

import gc

from evidencekb.memory import collector_paused


def test_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one restores "paused", not "on"
    assert gc.isenabled()


def test_left_off_if_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_restored_after_an_exception():
    try:
        with collector_paused():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_what_was_made_meanwhile_is_not_young():
    gc.collect()
    with collector_paused():
        kept = [[i] for i in range(50_000)]
    assert gc.get_count()[0] < 1000  # moved out of the youngest generation
    assert gc.get_freeze_count() == 0  # and not frozen for ever: a later full collection sees it
    del kept


def test_cycles_made_meanwhile_are_still_collected():
    import weakref

    class Node:
        pass

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        watch = weakref.ref(a)
        del a, b
    assert watch() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert watch() is None


def test_objects_are_kept_to_exit_only_by_a_command_ending_with_exit(monkeypatch):
    import weakref

    from evidencekb import memory

    class Thing:
        pass

    monkeypatch.setattr(memory, "_KEPT", [])
    monkeypatch.setattr(memory, "_ENDS_WITH_EXIT", [])
    thing = Thing()
    ref = weakref.ref(thing)
    memory.keep_to_exit(thing)
    del thing
    assert ref() is None  # a library call or a test: freed as usual
    memory.ending_with_exit()
    thing = Thing()
    ref = weakref.ref(thing)
    memory.keep_to_exit(thing)
    del thing
    assert ref() is not None  # the console command: left for os._exit


def test_the_checks_working_data_is_carried_only_when_asked(project):
    """checked_base frees the check's parsed files with its answer, unless the caller (a
    command about to end, `evidence graph`) asks to keep them for the process's end."""
    from evidencekb.checker import checked_base
    from evidencekb.project import Project

    assert checked_base(Project(project.root)).scratch is None
    assert checked_base(Project(project.root), keep_scratch=True).scratch is not None
