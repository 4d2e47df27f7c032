"""Everything the site reads, computed once per build and cached between rebuilds.

The exports (GraphML, GEXF, ...) are left for render.render_files, which the hooks may
run in a second process while MkDocs renders the pages.

`mkdocs serve` rebuilds the whole site on every save, so the checked base, its
analysis, the formatted bibliography and the exports are kept while no input
file changed: the cache key is (path, mtime_ns, size) of every claim file,
references.bib, the schema, and git's index when the project is a checkout
(a commit changes the dates shown on claim pages).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from ..checker import BaseHasErrors, CheckedBase, checked_base
from ..model import EvidenceBase, Problem
from ..project import Project

if TYPE_CHECKING:
    from ..analysis import Analysis

__all__ = ["BaseHasErrors", "SiteData", "clear_cache", "derive", "load"]


@dataclass
class SiteData:
    project: Project
    base: EvidenceBase
    analysis: Analysis
    references: Mapping  # key -> cite.harvard.Reference
    dates: Mapping[str, tuple[str, str]]  # claim id -> (added, last changed), YYYY-MM-DD
    warnings: tuple[Problem, ...] = ()
    exports: Mapping[str, str] | None = None  # export.render_exports, made when first needed
    memo: dict = field(default_factory=dict)  # rendered pages, keyed by the site settings
    history: object = None  # evidencekb.history.HistoryResult: claim versions from git (None: not read)


_cache: dict = {"key": None, "data": None}


def input_key(project: Project) -> tuple:
    """What the data depends on, cheaply: stat() of every input file."""
    paths = [project.bib_path, project.schema_path, *project.claim_files()]
    git_index = project.root / ".git" / "index"
    if git_index.exists():
        paths.append(git_index)
    out: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return (str(project.root),) + tuple(out)


def load(project: Project, *, checked: CheckedBase | None = None) -> SiteData:
    """The checked base and everything derived from it; raises BaseHasErrors (`checked_base`).

    `checked` lets `evidence build`, which has just passed the gate, hand its base over
    so a build parses the data once."""
    key = input_key(project)
    if _cache["key"] == key and _cache["data"] is not None:
        return _cache["data"]
    try:
        result = checked if checked is not None else checked_base(project)
    except BaseHasErrors:
        _cache.update(key=None, data=None)
        raise
    data = derive(project, result.base, result.warnings)
    _cache.update(key=key, data=data)
    return data


def derive(project: Project, base: EvidenceBase, warnings=()) -> SiteData:
    from ..analysis import analyse
    from ..cite.harvard import format_bibliography
    from ..cite.intext import render_base

    references = format_bibliography(base.sources)
    base = render_base(base, references)  # readers see "(Buck, 2021b)" where the data says [@buck2021peer]
    analysis = analyse(base)
    return SiteData(
        project=project,
        base=base,
        analysis=analysis,
        references=references,
        dates=claim_dates(project, base),
        warnings=tuple(warnings),
        history=_history(project),
    )


def _history(project: Project):
    """Claim versions from git: one `git log` and one `git cat-file` for the whole base."""
    from ..history import load_history

    return load_history(project.root, project.relative(project.claims_dir))


def clear_cache() -> None:
    _cache.update(key=None, data=None)


def claim_dates(project: Project, base: EvidenceBase) -> dict[str, tuple[str, str]]:
    """(added, last changed) per claim: the data's own dates, corrected by git history when
    the project is a checkout (a file edited without touching `updated` still shows the
    date of its last commit)."""
    history = git_history(project.root)
    out = {}
    for claim in base.claims:
        added = claim.added
        changed = claim.updated or claim.added
        rel = project.relative(claim.path) if os.path.isabs(claim.path) else claim.path
        first_last = history.get(rel)
        if first_last:
            first, last = first_last
            changed = max(changed, last)
        out[claim.id] = (added, max(added, changed))
    return out


def git_history(root: Path) -> dict[str, tuple[str, str]]:
    """path -> (first commit date, last commit date) for claims/, from ONE `git log`.

    Returns {} when the folder is not a git checkout or git is missing: the data's
    own dates are then all there is."""
    if not (root / ".git").exists():
        return {}
    try:
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--no-renames",
                "--",
                "claims/",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    history: dict[str, tuple[str, str]] = {}
    for chunk in proc.stdout.split("\x00"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        date, files = lines[0], lines[1:]
        for f in files:
            if f in history:  # newer commit seen first: keep its date as `last`, push `first` back
                history[f] = (date, history[f][1])
            else:
                history[f] = (date, date)
    return history
