"""Where a project's data lives.

One small record so that the CLI, the MkDocs hooks and the tests all agree on
paths, and no stage guesses them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CLAIMS_DIR = "claims"
BIB_FILE = "references.bib"
SCHEMA_FILE = "claim.schema.json"


@dataclass(frozen=True)
class Project:
    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    @property
    def claims_dir(self) -> Path:
        return self.root / CLAIMS_DIR

    @property
    def bib_path(self) -> Path:
        return self.root / BIB_FILE

    @property
    def schema_path(self) -> Path:
        return self.claims_dir / SCHEMA_FILE

    def relative(self, path: Path | str) -> str:
        """Paths in messages are relative to the root, with forward slashes."""
        p = Path(path)
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def claim_files(self) -> list[Path]:
        """The claim files that are read: directly in claims/, and not a symbolic link that
        leads out of the project (see checker.discover_claims for the ones refused)."""
        top = self.claims_dir
        return [top / name for name in self.claim_names()]

    def claim_names(self) -> list[str]:
        """The names of claim_files(), sorted as strings: what the checker reads by.

        One scandir: a directory entry answers is-file without a stat of its own, and a
        Path a file (or sorting Paths) is time for nothing at 10,000 claims."""
        top = self.claims_dir
        try:
            with os.scandir(top) as it:
                entries = sorted((e for e in it if e.name.endswith((".yaml", ".yml"))), key=lambda e: e.name)
        except OSError:  # no claims/ folder (or not a folder)
            return []
        out = []
        for e in entries:
            try:
                if e.is_file() and (not e.is_symlink() or self.inside(top / e.name)):  # resolve only links
                    out.append(e.name)
            except OSError:
                continue
        return out

    def inside(self, path: Path) -> bool:
        """True if `path`, with every symbolic link followed, stays inside the project."""
        try:
            real, root = Path(path).resolve(), self.root.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return False
        return real == root or root in real.parents


def find_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above `start` holding claims/ or references.bib."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CLAIMS_DIR / SCHEMA_FILE).is_file() or (folder / BIB_FILE).is_file():
            return folder
    return None
