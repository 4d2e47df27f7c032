"""Measuring tools for the benchmark: the machine and its load, commands timed in wall and
CPU time over repeats, and a quiet local web server (the browser tests use it too)."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import threading
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (
        f"{cpu or platform.processor() or platform.machine()}, {os.cpu_count()} cores{mem}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def load() -> float:
    """The 1-minute load average (0 where the system has none)."""
    try:
        return os.getloadavg()[0]
    except (OSError, AttributeError):
        return 0.0


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], cwd: Path, repeats: int, env: dict | None = None) -> dict:
    """Run a command `repeats` times; wall and CPU seconds (CPU of the command and every
    process it waited for: a build's second process and the indexer count too)."""
    walls, cpus, loads = [], [], []
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    for _ in range(max(1, repeats)):
        loads.append(load())
        cpu0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - cpu0)
        if proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd[:4])} … failed in {cwd}:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
            )
    return figure(walls, cpus, loads)


def figure(walls: list[float], cpus: list[float], loads: list[float]) -> dict:
    """Minimum and median of wall and CPU seconds over runs, and the median load."""
    return {
        "wall_min": min(walls),
        "wall_median": statistics.median(walls),
        "cpu_min": min(cpus),
        "cpu_median": statistics.median(cpus),
        "repeats": len(walls),
        "load": statistics.median(loads),
    }


@contextmanager
def serve(directory: Path):
    """A quiet static server for a built site on an ephemeral localhost port; yields its URL
    (ending in '/'). The browser tests use it too."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(directory)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
