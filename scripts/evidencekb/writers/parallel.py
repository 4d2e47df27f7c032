"""Writing the export formats on two cores: half the writers in a forked child, half here.

Why: at 10,000 claims the writers take about 6 s of CPU between them, each independent of
the others once the shared data (graph, layout, node and edge lists) is built. A forked
child inherits that data without copying or pickling it, writes its files into the same
staging folder and sends back only their names, so the bytes are those of the serial path.
Small bases (the tests, most reviews) stay serial: a fork costs more than it saves there.
Any failure in the child (a full disk, a writer's bug) is raised here, where the staging
folder is removed, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..safe_output import write_file
from . import find_writer

# Rough CPU cost of each writer at 10,000 claims (seconds, measured), to split the work evenly;
# graph.json's includes making the site graph.
COST = {"graph.gexf": 1.06, "graph.graphml": 0.71, "nodes.csv": 0.7, "graph.json": 0.6,
        "edges.csv": 0.46, "cytoscape.json": 0.3, "graph.node-link.json": 0.19, "profiles.json": 0.08,
        "evidence-map.json": 0.01, "gaps.json": 0.01}
CHILD_START = 0.15  # what the child spends before its first writer: the fork, and copying the
# memory pages it touches (the parent's objects are shared until either side writes to them)
PARALLEL_FROM = 3000  # graph nodes; below this, writing serially is faster

_SHARED: dict = {}  # what a forked child reads: set just before the fork, cleared after


def split(names: list[str]) -> tuple[list[str], list[str]]:
    """(the child's, this process's): two groups of about equal cost, largest first, each to
    the lighter group, the child's counted from its start-up cost."""
    groups: tuple[list[str], list[str]] = ([], [])
    load = [CHILD_START, 0.0]
    for name in sorted(names, key=lambda n: (-COST.get(n, 0.05), n)):
        i = 0 if load[0] <= load[1] else 1
        groups[i].append(name)
        load[i] += COST.get(name, 0.05)
    return groups


def write_one(data, folder: Path, name: str) -> None:
    write_file(folder / name, find_writer(name).to_string(data))


def render_ahead(data, names: list[str], busy: Callable[[], bool]) -> dict[str, str]:
    """The formats that need no analysis, made in memory while `busy()` (another process is
    still making the analysis), cheapest first so that little is left running when it is
    done. Nothing is written: the base may yet fail its check."""
    ahead: dict[str, str] = {}
    for name in sorted((n for n in names if not find_writer(n).reads_analysis),
                       key=lambda n: (COST.get(n, 0.05), n)):
        if not busy():
            break
        ahead[name] = find_writer(name).to_string(data)
    return ahead


def _child(folder: str, names: list[str]) -> list[str]:
    data = _SHARED["data"]
    for name in names:
        write_one(data, Path(folder), name)
    return names


def can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def write_all(data, folder: Path, names: list[str], n_nodes: int,
              ready: Mapping[str, str] | None = None) -> None:
    """Every named export into `folder`, on two cores when the graph is big enough. `ready`:
    texts already made (render_ahead), written as they are."""
    ready = ready or {}
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
