"""The exports written on two cores are the bytes of the serial path, and a writer failing in
the forked child fails the run with nothing left behind."""

import os
import signal

import pytest

from evidencekb import forked
from evidencekb.analysis import analyse
from evidencekb.checker import check_project
from evidencekb.export import write_exports
from evidencekb.project import Project
from evidencekb.writers import find_writer, names, parallel


def base_of(project):
    result = check_project(Project(project.root))
    assert result.ok
    return result.base


def files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_parallel_exports_are_byte_identical_to_serial(project, tmp_path, monkeypatch):
    base = base_of(project)
    write_exports(base, None, tmp_path / "serial")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    write_exports(base, None, tmp_path / "parallel")
    assert files(tmp_path / "serial") == files(tmp_path / "parallel")
    assert set(files(tmp_path / "parallel")) >= set(names())


def test_split_shares_the_work_and_loses_no_writer():
    a, b = parallel.split(names())
    assert sorted(a + b) == names() and a and b
    cost = [sum(parallel.COST.get(n, 0.05) for n in g) for g in (a, b)]
    assert max(cost) <= 0.65 * sum(cost)


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_writer_failing_in_the_child_leaves_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    theirs, _ours = parallel.split(names())
    real = parallel.write_one

    def boom(data, folder, name):
        if name == theirs[0]:
            raise OSError(28, "No space left on device")
        real(data, folder, name)

    monkeypatch.setattr(parallel, "write_one", boom)  # inherited by the forked child
    before = set(tmp_path.iterdir())
    with pytest.raises(OSError, match="No space"):
        write_exports(base_of(project), None, tmp_path / "out")
    assert set(tmp_path.iterdir()) == before  # no out/, no staging folder beside it


class _NoAnalysisYet:
    """Stands for the analysis a child is still making: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"a format made ahead read the analysis ({name})")


def test_formats_made_ahead_read_no_analysis_and_are_the_same_bytes(project, tmp_path):
    from evidencekb.export import ExportData

    base = base_of(project)
    write_exports(base, None, tmp_path / "plain")
    data = ExportData(base, _NoAnalysisYet())
    ahead = parallel.render_ahead(data, names(), lambda: True)
    assert ahead.child is None  # a small graph: all made here
    assert set(ahead.texts) == {n for n in names() if not find_writer(n).reads_analysis}
    assert {"graph.gexf", "graph.graphml", "nodes.csv", "edges.csv", "graph.json"} <= set(ahead.texts)
    data.analysis = analyse(base)  # now it has come
    write_exports(base, None, tmp_path / "ahead", data=data, ready=ahead)
    assert files(tmp_path / "ahead") == files(tmp_path / "plain")


def test_nothing_is_made_ahead_once_the_analysis_is_there(project):
    from evidencekb.export import ExportData

    data = ExportData(base_of(project), _NoAnalysisYet())
    assert parallel.render_ahead(data, names(), lambda: False).texts == {}


def test_making_ahead_stops_when_the_analysis_comes(project):
    from evidencekb.export import ExportData

    data = ExportData(base_of(project), _NoAnalysisYet())
    answers = iter([True, True, False])
    ahead = parallel.render_ahead(data, names(), lambda: next(answers))
    assert len(ahead.texts) == 2


def _big_ahead(project, monkeypatch):
    """render_ahead on the path of a big graph (a child makes half the formats), with the
    analysis not yet there."""
    from evidencekb.export import ExportData

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)  # beside the browser tests' threads
    base = base_of(project)
    data = ExportData(base, _NoAnalysisYet())
    ahead = parallel.render_ahead(data, names(), lambda: True, data.graph.number_of_nodes())
    return base, data, ahead


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_big_graph_shares_the_formats_made_ahead_with_a_child(project, tmp_path, monkeypatch):
    base, data, ahead = _big_ahead(project, monkeypatch)
    assert ahead.child is not None and ahead.theirs and ahead.texts
    free = {n for n in names() if not find_writer(n).reads_analysis}
    assert set(ahead.theirs) | set(ahead.texts) == free and not set(ahead.theirs) & set(ahead.texts)
    write_exports(base, None, tmp_path / "plain")
    data.analysis = analyse(base)
    write_exports(base, None, tmp_path / "ahead", data=data, ready=ahead)
    assert files(tmp_path / "ahead") == files(tmp_path / "plain")


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_child_never_told_where_writes_nothing_and_ends(project, tmp_path, monkeypatch):
    before = set(tmp_path.iterdir())
    _base, _data, ahead = _big_ahead(project, monkeypatch)
    assert ahead.child is not None
    assert ahead.child.collect() == []  # told nothing (the check failed): it made no file
    with pytest.raises(ChildProcessError):
        os.waitpid(ahead.child.pid, os.WNOHANG)  # ended and reaped
    assert set(tmp_path.iterdir()) == before


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_child_lost_after_making_ahead_is_made_up_here(project, tmp_path, monkeypatch):
    base, data, ahead = _big_ahead(project, monkeypatch)
    assert ahead.child is not None
    os.kill(ahead.child.pid, signal.SIGKILL)
    write_exports(base, None, tmp_path / "plain")
    data.analysis = analyse(base)
    write_exports(base, None, tmp_path / "ahead", data=data, ready=ahead)
    assert files(tmp_path / "ahead") == files(tmp_path / "plain")
