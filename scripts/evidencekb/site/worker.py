"""The site's data files, made in a second process while MkDocs renders the pages.

Why: the downloads (GraphML, GEXF, Cytoscape, CSV, BibTeX, RIS, CSL-JSON for every
source) are a third of a large build's extra work over plain MkDocs, and no page needs
them. A forked child writes them into a staging folder beside the site; on_post_build
moves them in. Forking shares the checked base without copying or pickling it.

Only for one-off builds on Linux (the fork start method), never under `mkdocs serve`,
whose file watcher and server threads make forking unsafe; there, and wherever fork is
missing, the hooks make the files in-process. A failed or interrupted build kills the
child and deletes its folder, so nothing is left beside the site.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import shutil
import sys
from pathlib import Path

ERROR_FILE = ".error"


def available(command: str | None) -> bool:
    if os.environ.get("EVIDENCE_SITE_WORKER", "1") == "0":
        return False
    return (
        command in ("build", "gh-deploy")
        and sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _work(data, settings, staging: str) -> None:
    """In the child: render every file and write it under `staging`."""
    import signal

    # The parent's handlers turn signals into KeyboardInterrupt; here the parent's
    # terminate() must simply end the child, so the defaults come back (signals were
    # blocked across the fork so none lands before this).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    from .render import render_files

    code = 0
    try:
        for path, text in render_files(data, settings).items():
            target = os.path.join(staging, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never a traceback
        code = 1
        try:
            with open(os.path.join(staging, ERROR_FILE), "w", encoding="utf-8") as fh:
                fh.write(f"{type(exc).__name__}: {exc}")
        except OSError:
            pass
    os._exit(code)  # skip the parent's atexit handlers and buffered output


class FileWorker:
    """One child process making the data files for one build."""

    _live: set["FileWorker"] = set()

    def __init__(self, data, settings, site_dir: Path):
        site_dir = Path(site_dir)
        self.staging = site_dir.parent / f".{site_dir.name}.data-{os.getpid()}"
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        ctx = multiprocessing.get_context("fork")
        self.proc = ctx.Process(
            target=_work, args=(data, settings, str(self.staging)), daemon=True, name="evidencekb-site-files"
        )
        from ..interrupts import held_signals

        with held_signals():  # the child starts with signals blocked, and resets them first
            self.proc.start()
        FileWorker._live.add(self)

    def finish(self, site_dir: Path) -> list[str]:
        """Wait for the child, then move its files into the site; returns the site paths.
        Raises RuntimeError with the child's message if it failed."""
        try:
            self.proc.join()
            error = self.staging / ERROR_FILE
            if self.proc.exitcode != 0 or error.exists():
                why = (
                    error.read_text(encoding="utf-8") if error.exists() else f"exit code {self.proc.exitcode}"
                )
                raise RuntimeError(f"making the data files failed: {why}")
            site_dir = Path(site_dir)
            moved = []
            for src in sorted(p for p in self.staging.rglob("*") if p.is_file()):
                rel = src.relative_to(self.staging).as_posix()
                dst = site_dir / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
                moved.append(rel)
            return moved
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop the child if it still runs and delete its folder."""
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(5)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()
        shutil.rmtree(self.staging, ignore_errors=True)
        FileWorker._live.discard(self)


@atexit.register
def _abandon_all() -> None:
    for worker in list(FileWorker._live):
        worker.abandon()
