"""Which Pagefind indexer builds the search index, when more than one is installed.

Two installs can be present, and both are local (nothing is downloaded at build time):
- the `pagefind[bin]` wheel from PyPI (a dependency, so a plain `pip install -e .` can
  build a searchable site);
- the npm package pinned in package.json (`npm ci`), whose platform package carries the
  binary. npm has newer releases than PyPI: Pagefind 1.6 scores a query's matches by page
  instead of scanning every match for every result page, which makes a word on almost every
  page of a 10,000-claim site answer about eight times faster in the browser (the index's
  own pagefind.js and WebAssembly come from the indexer that wrote it).
The newest one wins; `PAGEFIND_BINARY_PATH` (Pagefind's own variable) overrides both.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ENV_OVERRIDE = "PAGEFIND_BINARY_PATH"
NAMES = ("pagefind_extended", "pagefind")


@dataclass(frozen=True)
class Indexer:
    path: Path
    version: tuple[int, ...]
    origin: str  # where it came from, for the build's log line

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version)) if self.version else "unknown version"


def _npm_platform() -> str:
    """npm's name for this platform (the `@pagefind/<name>` package), e.g. linux-x64."""
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    if system.startswith("linux"):
        system = "linux"
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{arch}"


def npm_candidates(project_root: Path) -> list[Path]:
    folder = project_root / "node_modules" / "@pagefind" / _npm_platform() / "bin"
    suffix = ".exe" if sys.platform == "win32" else ""
    return [folder / (name + suffix) for name in NAMES]


def version_of(path: Path) -> tuple[int, ...] | None:
    """`pagefind --version` as numbers; None when it does not run (a broken install)."""
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in m.groups()) if m else None


def _wheel_binary() -> Path | None:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except (FileNotFoundError, OSError):
        return None


def find_indexer(project_root: Path | None) -> Indexer | None:
    """The indexer to run: the override if set, else the newest that runs; None if none does."""
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        path = Path(override)
        version = version_of(path)
        return Indexer(path, version, f"${ENV_OVERRIDE}") if version is not None else None
    found: list[Indexer] = []
    if project_root is not None:
        npm = next((p for p in npm_candidates(project_root) if p.is_file()), None)
        version = version_of(npm) if npm else None
        if npm and version is not None:
            found.append(Indexer(npm, version, "npm (node_modules)"))
    wheel = _wheel_binary()
    version = version_of(wheel) if wheel else None
    if wheel and version is not None:
        found.append(Indexer(wheel, version, "PyPI (pagefind[bin])"))
    return max(found, key=lambda i: i.version) if found else None
