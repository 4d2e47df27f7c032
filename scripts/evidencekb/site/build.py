"""`evidence build` and `evidence serve`.

build: the caller has passed the gate (`checker.checked_base`); build with MkDocs into a
fresh folder beside the site, then swap it in with two renames. A failed or interrupted
build (Ctrl-C) deletes only its own folder: the published site is never half-written.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checker import CheckedBase
    from ..project import Project


def _logging() -> None:
    """MkDocs logs through 'mkdocs'; show its warnings and errors as its own CLI would."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_evidencekb", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._evidencekb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames on the same filesystem; the old copy is
    removed only once the new one is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None and not target.exists():
            os.replace(old, target)  # put the previous site back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(project: Project, site_dir: Path | None = None, strict: bool = True,
               checked: CheckedBase | None = None, quiet: bool = False) -> int:
    """Build the site of `project` safely; 0 on success, 1 on failure. `checked`, the gate's
    result, saves the hooks checking the base again."""
    from mkdocs import config as mkconfig
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from .data import load

    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():
        print(f"evidence build: no mkdocs.yml in {project.root}", file=sys.stderr)
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _logging()
    started = time.monotonic()
    if checked is not None:
        load(project, checked=checked)  # prime the cache: the hooks will not parse again
    cfg = mkconfig.load_config(config_file=str(config_file), strict=strict)
    target = Path(site_dir) if site_dir else Path(cfg["site_dir"])
    if not target.is_absolute():
        target = project.root / target
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    cfg["site_dir"] = str(tmp)
    ok = False
    try:
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        swap_in(tmp, target)
        ok = True
    except (Abort, MkDocsException) as exc:
        msg = str(exc)
        if msg and "Aborted with" not in msg:
            print(f"evidence build: {msg}", file=sys.stderr)
        print("evidence build: the build failed; the previous site is untouched", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nevidence build: interrupted; the previous site is untouched", file=sys.stderr)
        raise
    finally:
        if not ok and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    if not quiet:
        pages = sum(1 for _ in target.rglob("*.html"))
        print(f"built {pages} pages into {target} in {time.monotonic() - started:.1f} s")
    return 0


def serve(project: Project, dev_addr: str) -> int:
    """mkdocs serve with live reload; the hooks also watch claims/ and references.bib."""
    from mkdocs.commands.serve import serve as mk_serve
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    cwd = os.getcwd()
    os.chdir(project.root)  # mkdocs.yml's relative paths (hooks, docs_dir) are read from here
    try:
        mk_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    except (Abort, MkDocsException) as exc:
        print(f"evidence serve: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        os.chdir(cwd)
    return 0
