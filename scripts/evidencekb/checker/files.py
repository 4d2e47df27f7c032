"""Which files a check reads and reports: what sits in claims/ but is not read, and the
paths `evidence check PATH...` names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..model import Position, Problem
from ..parsers.hygiene import reserved_name
from ..project import Project


def discover_claims(project: Project) -> list[Problem]:
    """Problems with what sits in claims/ but is not read: a file in a subfolder (claims
    live directly in claims/, one per id), a symbolic link leading out of the project,
    a file named for a Windows device. Nothing in claims/ is skipped without a word.

    One scandir per folder (as os.walk, top down, names sorted): a directory entry knows
    whether it is a link without another system call per file, which mattered at 10,000."""
    out: list[Problem] = []
    top = project.claims_dir
    if top.is_dir():
        _scan_folder(project, top, top, out)
    return out


def _entries(folder: Path) -> tuple[list[os.DirEntry], list[os.DirEntry]]:
    """(folders, other entries) of a folder, sorted by name; nothing if it cannot be read."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:  # as os.walk: an unreadable folder is passed over
        return [], []
    dirs: list[os.DirEntry] = []
    files: list[os.DirEntry] = []
    for e in entries:
        try:
            is_dir = e.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(e)
    return dirs, files


def _scan_folder(project: Project, top: Path, here: Path, out: list[Problem]) -> None:
    dirs, files = _entries(here)
    for d in dirs:
        if d.is_symlink():
            out.append(Problem(Position(project.relative(here / d.name)), "error",
                               "a symbolic link to a folder in claims/ is not read; "
                               "claim files sit directly in claims/",
                               "claims-layout"))
    for f in files:
        stem, suffix = os.path.splitext(f.name)  # as Path's stem and suffix, without a Path a file
        if suffix in (".yaml", ".yml"):
            found = _file_problem(project, here, f.name, stem, here != top, f.is_symlink())
            if found:
                out.append(found)
    for d in dirs:
        if not d.name.startswith(".") and not d.is_symlink():
            _scan_folder(project, top, here / d.name, out)


def _file_problem(project: Project, folder: Path, name: str, stem: str, in_subfolder: bool,
                  link: bool) -> Problem | None:
    """The file's Path is made only for a link or a problem: one a file was most of a scan."""
    if in_subfolder:
        message, rule = ("claim files sit directly in claims/; this one is in a subfolder and is not "
                         "read: move it to claims/"), "claims-layout"
    elif link and not project.inside(folder / name):
        message, rule = ("a symbolic link leading out of the project: not read "
                         "(claim files must live in the repository)"), "claims-symlink"
    elif link and not (folder / name).is_file():
        message, rule = "a symbolic link to nothing: not read", "claims-symlink"
    elif reserved_name(stem):
        message, rule = (f"{stem!r} is a reserved device name on Windows "
                         "(con, nul, aux, prn, com1-9, lpt1-9): choose another id"), "reserved-name"
    else:
        return None
    return Problem(Position(project.relative(folder / name)), "error", message, rule)


class UsageError(Exception):
    """A bad command-line argument: the message is one line, the exit code 2."""


def paths_to_report(project: Project, args: Iterable[str]) -> set[str] | None:
    """The project-relative files whose problems `evidence check PATH...` reports.

    A folder means every claim under it (the project folder means everything); a file
    must be a claim file, the bibliography or the schema. Anything else, or a path that
    does not exist, is a UsageError: a check that looked at nothing must not say 0 errors."""
    from ..reporter import escape_control

    wanted: set[str] = set()
    root = project.root.resolve()
    claims = _all_claim_paths(project)
    for arg in args:
        path = Path(arg)
        shown = escape_control(arg)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {shown}")
        real = Path(os.path.abspath(path))
        if path.is_dir():
            real = real.resolve()
            if real == root or real in root.parents:
                return None
            if not (root in real.parents):
                raise UsageError(f"{shown} is outside the project at {escape_control(root)}")
            rel = real.relative_to(root).as_posix()
            under = {c for c in claims if c.startswith(rel + "/")}
            if not under:
                raise UsageError(f"{shown} holds no claim files (claims/*.yaml)")
            wanted |= under
            continue
        try:
            rel = real.relative_to(root).as_posix()
        except ValueError:
            try:
                rel = real.resolve().relative_to(root).as_posix()
            except ValueError:
                raise UsageError(f"{shown} is outside the project at {escape_control(root)}") from None
        known = claims | {project.relative(project.bib_path), project.relative(project.schema_path)}
        if rel not in known:
            raise UsageError(f"{shown} is neither a claim file (claims/*.yaml) "
                             "nor the bibliography (references.bib)")
        wanted.add(rel)
    return wanted


def _all_claim_paths(project: Project) -> set[str]:
    top = project.claims_dir
    if not top.is_dir():
        return set()
    found = set()
    for folder, dirs, files in os.walk(top, followlinks=False):
        for name in files:
            if Path(name).suffix in (".yaml", ".yml"):
                found.add(project.relative(Path(folder) / name))
        for d in dirs:
            if (Path(folder) / d).is_symlink():
                found.add(project.relative(Path(folder) / d))
    return found
