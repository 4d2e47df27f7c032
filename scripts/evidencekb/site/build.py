"""`evidence build` and `evidence serve`.

build: refuse a site folder that is (or holds) a project source, or that we did not make
(safe_output); the caller has passed the gate (`checker.checked_base`); then build with
MkDocs. The hooks build into a fresh folder beside the site and swap it in with two
renames, for `mkdocs build` too. A failed or interrupted build (Ctrl-C, SIGTERM, SIGHUP)
deletes only its own folder: the published site is never half-written.
"""

from __future__ import annotations

import logging
import os
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


def _legacy_site(folder: Path, entries) -> bool:
    """A site an older `evidence build` made, before the marker file: it has our assets."""
    return (folder / "assets" / "evidencekb").is_dir() and (folder / "index.html").is_file()


def check_site_dir(target: Path, root: Path, docs_dir: Path | None) -> Path:
    """The site folder, resolved, or OutputRefused (see safe_output.refuse_reason)."""
    from ..safe_output import SITE_MARKER, check_output

    return check_output(target, root, marker=SITE_MARKER, docs_dir=docs_dir, legacy=_legacy_site,
                        what="site folder")


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage().splitlines()[0] if record.getMessage() else "")


def load_config(project, strict: bool = True, site_dir: Path | None = None):
    """mkdocs.yml loaded and its site folder checked: (config, target) or a one-line
    ValueError / OutputRefused. Nothing is written."""
    from mkdocs import config as mkconfig

    from ..reporter import escape_control

    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():
        raise ValueError(f"no mkdocs.yml in {escape_control(project.root)}")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    captured = _Captured()
    logger.addHandler(captured)
    saved = [h for h in logger.handlers if getattr(h, "_evidencekb", False)]
    for h in saved:
        logger.removeHandler(h)
    try:
        cfg = mkconfig.load_config(config_file=str(config_file), strict=strict)
    except (Exception, SystemExit) as exc:  # a YAML or config error, in MkDocs' many shapes
        why = "; ".join(escape_control(line) for line in captured.lines if line) or escape_control(
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise ValueError(f"mkdocs.yml: {why}") from None
    finally:
        logger.removeHandler(captured)
        for h in saved:
            logger.addHandler(h)
    target = Path(site_dir) if site_dir else Path(cfg["site_dir"])
    if not target.is_absolute():
        target = project.root / target
    return cfg, check_site_dir(target, project.root, Path(cfg["docs_dir"]))


def build_site(project: Project, site_dir: Path | None = None, strict: bool = True,
               checked: CheckedBase | None = None, quiet: bool = False, prepared=None) -> int:
    """Build the site of `project` safely; 0 on success, 1 on failure, 2 for a refused folder.
    `checked`, the gate's result, saves the hooks checking the base again; `prepared` is
    `preflight`'s result. The hooks build into a temporary sibling and swap it in."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from ..interrupts import interrupts_as_keyboard
    from ..safe_output import OutputRefused, display, os_error_text
    from .data import load

    try:
        cfg, target = prepared or load_config(project, strict, site_dir)
    except OutputRefused as exc:
        print(f"evidence build: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"evidence build: {exc}", file=sys.stderr)
        return 1
    _logging()
    started = time.monotonic()
    if checked is not None:
        load(project, checked=checked)  # prime the cache: the hooks will not parse again
    cfg["site_dir"] = str(target)
    try:
        with interrupts_as_keyboard():
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
    except (Abort, MkDocsException) as exc:
        msg = str(exc)
        if msg and "Aborted with" not in msg:
            print(f"evidence build: {escape_lines(msg)}", file=sys.stderr)
        print("evidence build: the build failed; the previous site is untouched", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"evidence build: {os_error_text(exc)}; the build failed, the previous site is untouched",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nevidence build: interrupted; the previous site is untouched", file=sys.stderr)
        raise
    if not quiet:
        pages = sum(1 for _ in target.rglob("*.html"))
        print(f"built {pages} pages into {display(target)} in {time.monotonic() - started:.1f} s")
    return 0


def escape_lines(msg: str) -> str:
    """A multi-line MkDocs message with each line's control characters escaped."""
    from ..reporter import escape_control

    return "\n".join(escape_control(line) for line in msg.splitlines())


def preflight(project: Project, site_dir: Path | None, strict: bool = True):
    """The site folder refused before the check runs and before anything is touched:
    (config, target) to pass to build_site as `prepared`, or an int exit code (printed)."""
    from ..safe_output import OutputRefused

    try:
        return load_config(project, strict, Path(site_dir) if site_dir else None)
    except OutputRefused as exc:
        print(f"evidence build: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"evidence build: {exc}", file=sys.stderr)
        return 1


def _port_problem(dev_addr: str) -> str | None:
    import socket

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return "expected HOST:PORT, e.g. 127.0.0.1:8000"
    try:
        infos = socket.getaddrinfo(host.strip("[]"), int(port), type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            sock.bind(infos[0][4])
    except OSError as exc:
        from ..safe_output import os_error_text

        return f"{os_error_text(exc)} (is another server running? try --dev-addr 127.0.0.1:8001)"
    return None


def serve(project: Project, dev_addr: str) -> int:
    """mkdocs serve with live reload; the hooks also watch claims/ and references.bib."""
    from mkdocs.commands.serve import serve as mk_serve
    from mkdocs.exceptions import Abort, MkDocsException

    why = _port_problem(dev_addr)
    if why:  # found before the first build, not after it
        print(f"evidence serve: cannot serve on {escape_lines(dev_addr)}: {why}", file=sys.stderr)
        return 1
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    cwd = os.getcwd()
    os.chdir(project.root)  # mkdocs.yml's relative paths (hooks, docs_dir) are read from here
    try:
        mk_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
    except (Abort, MkDocsException) as exc:
        print(f"evidence serve: {escape_lines(str(exc))}", file=sys.stderr)
        return 1
    except OSError as exc:
        from ..safe_output import os_error_text

        print(f"evidence serve: cannot serve on {dev_addr}: {os_error_text(exc)} (is another server running? "
              "try --dev-addr 127.0.0.1:8001)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        os.chdir(cwd)
    return 0


from ..safe_output import swap_in  # noqa: E402,F401  (kept importable from here)
