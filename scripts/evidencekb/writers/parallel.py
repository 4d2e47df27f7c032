"""Writing the export formats on two cores: half the writers in a forked child, half here.

Why: at 10,000 claims the writers take about 4 s of CPU between them, each independent of
the others once the shared data (graph, layout, node and edge lists) is built. A forked
child inherits that data without copying or pickling it, writes its files into the same
staging folder and sends back only their names, so the bytes are those of the serial path.
Small bases (the tests, most reviews) stay serial: a fork costs more than it saves there.

`evidence graph` starts that child as soon as the graph is built (render_ahead), while the
check's last stage (the rules and the analysis, in another child) is still running: the child
makes its formats in memory and is told the staging folder only once the check has passed, so
a base that fails its check gets no files. Any failure in a child (a full disk, a writer's
bug) is met here, where the staging folder is removed, so a failed run leaves nothing behind:
a writer's error is raised, and the formats of a render_ahead child that failed are made here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from .. import forked
from ..safe_output import write_file
from . import find_writer

# Rough CPU cost of each writer at 10,000 claims (seconds, measured), to split the work evenly:
# making the text (graph.json's includes making the site graph) and writing it (about 2 ms a MB).
COST = {"graph.gexf": 1.0, "graph.graphml": 0.66, "nodes.csv": 0.6, "graph.json": 0.64,
        "edges.csv": 0.37, "cytoscape.json": 0.36, "graph.node-link.json": 0.24, "profiles.json": 0.11,
        "evidence-map.json": 0.02, "gaps.json": 0.01}
CHILD_START = 0.15  # what the child spends before its first writer: the fork, and copying the
# memory pages it touches (the parent's objects are shared until either side writes to them)
PARALLEL_FROM = 3000  # graph nodes; below this, writing serially is faster

_SHARED: dict = {}  # what a forked child reads: set just before the fork, cleared after


def split(names: list[str], ours_start: float = 0.0) -> tuple[list[str], list[str]]:
    """(the child's, this process's): two groups of about equal cost, largest first, each to
    the lighter group, the child's counted from its start-up cost and this process's from
    `ours_start` (work it has to do besides)."""
    groups: tuple[list[str], list[str]] = ([], [])
    load = [CHILD_START, ours_start]
    for name in sorted(names, key=lambda n: (-COST.get(n, 0.05), n)):
        i = 0 if load[0] <= load[1] else 1
        groups[i].append(name)
        load[i] += COST.get(name, 0.05)
    return groups


def write_one(data, folder: Path, name: str) -> None:
    write_file(folder / name, find_writer(name).to_string(data))


COLLECT = 0.05  # what this process spends taking in what the analysis's child made


@dataclass
class Ahead:
    """Formats begun before the check has ended: `texts` made here, in memory; `theirs`
    made by a forked child (`child`) that writes them once told the folder (write_all)."""

    texts: dict[str, str] = field(default_factory=dict)
    child: forked.Child | None = None
    theirs: list[str] = field(default_factory=list)


def render_ahead(data, names: list[str], busy: Callable[[], bool], n_nodes: int = 0) -> Ahead:
    """The formats that need no analysis, begun while `busy()` (another process is still
    making the analysis). Nothing is written: the base may yet fail its check.

    A big graph's are shared with a forked child at once, so that both cores go on while
    the analysis is made and taken in; the rest are made here. A small one's are made here, cheapest
    first while `busy()`, so that little is left running when the analysis is done."""
    free = [n for n in names if not find_writer(n).reads_analysis]
    if n_nodes >= PARALLEL_FROM and len(free) > 1:
        theirs, ours = split(free, ours_start=COLLECT)
        child = forked.start(lambda heard: _write_when_told(data, theirs, heard), inbox=True)
        if child is not None:
            return Ahead({name: find_writer(name).to_string(data) for name in ours}, child, theirs)
    ahead = Ahead()
    for name in sorted(free, key=lambda n: (COST.get(n, 0.05), n)):
        if not busy():
            break
        ahead.texts[name] = find_writer(name).to_string(data)
    return ahead


def _write_when_told(data, names: list[str], heard: Callable[[], bytes]) -> list[str]:
    """In the child: the formats made (and encoded, while the check may still be going on),
    then written into the folder it is told (none if it is told nothing: the check failed
    or the command stopped)."""
    texts = [(name, find_writer(name).to_string(data).encode("utf-8")) for name in names]
    folder = heard()
    if not folder:
        return []
    for name, text in texts:
        write_file(Path(os.fsdecode(folder)) / name, text)
    return names


def _child(folder: str, names: list[str]) -> list[str]:
    data = _SHARED["data"]
    for name in names:
        write_one(data, Path(folder), name)
    return names


def _finish_ahead(data, folder: Path, names: list[str], ahead: Ahead) -> None:
    child = cast(forked.Child, ahead.child)
    child.tell(os.fsencode(folder))
    for name in sorted(ahead.texts):
        write_file(folder / name, ahead.texts[name])
    for name in sorted(n for n in names if n not in ahead.texts and n not in ahead.theirs):
        write_one(data, folder, name)
    if child.collect() != ahead.theirs:  # the child failed: its formats are made here
        for name in ahead.theirs:
            write_one(data, folder, name)


def can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def write_all(data, folder: Path, names: list[str], n_nodes: int, ahead: Ahead | None = None) -> None:
    """Every named export into `folder`, on two cores when the graph is big enough. `ahead`:
    formats begun before (render_ahead): its texts written as they are, its child told the
    folder (and its formats written here if it fails in any way)."""
    if ahead is not None and ahead.child is not None:
        _finish_ahead(data, folder, names, ahead)
        return
    ready = ahead.texts if ahead is not None else {}
    names = [n for n in names if n not in ready]
    if n_nodes < PARALLEL_FROM or not can_fork() or len(names) < 2:
        for name in sorted(ready):
            write_file(folder / name, ready[name])
        for name in sorted(names):
            write_one(data, folder, name)
        return
    data.pos, data.nodes, data.edges  # noqa: B018  (built once here, shared by both sides)
    theirs, ours = split(names)
    _SHARED["data"] = data
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_child, str(folder), theirs)
            for name in sorted(ready):  # once the child is at work: the other core is not kept waiting
                write_file(folder / name, ready[name])
            for name in ours:
                write_one(data, folder, name)
            future.result()  # the child's exception, if any, is raised here
    finally:
        _SHARED.clear()
