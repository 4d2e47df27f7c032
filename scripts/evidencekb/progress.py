"""Progress on long work: what a command is doing, on stderr, never in its output.

Why: checking, exporting or building 10,000 claims takes seconds to minutes, and silence
that long reads as a hang. On a terminal a phase with many items shows a tqdm bar; in a CI
log (stderr not a terminal) each phase that mattered is one plain line when it ends. Small
bases stay quiet: a phase speaks only when it has at least `min_items` items or took at
least `min_seconds`. Machine-readable output (`--format json`/`github`) asks for `quiet()`.
"""

from __future__ import annotations

import sys
import time
from typing import IO

MIN_ITEMS = 500
MIN_SECONDS = 1.0


class Phase:
    """One named step; `advance()` as items are done. A context manager."""

    def __init__(self, owner: Progress, name: str, total: int | None):
        self.owner, self.name, self.total, self.done = owner, name, total, 0
        self.started = time.perf_counter()
        self._bar = None

    def __enter__(self) -> Phase:
        if self.owner.terminal and self.total is not None and self.total >= self.owner.min_items:
            from tqdm import tqdm  # imported only when a bar is drawn: small runs never pay for it

            self._bar = tqdm(total=self.total, desc=self.name, file=self.owner.stream, unit="",
                             leave=True, dynamic_ncols=True, mininterval=0.2)
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)

    def __exit__(self, exc_type, exc, tb) -> None:
        seconds = time.perf_counter() - self.started
        if self._bar is not None:
            self._bar.close()
            return
        big = self.total is not None and self.total >= self.owner.min_items
        if exc_type is None and (big or seconds >= self.owner.min_seconds):
            self.owner.line(self.name, self.total, seconds)


class Progress:
    """Where phases are reported. `stream` defaults to stderr; `terminal` to its isatty()."""

    def __init__(self, stream: IO[str] | None = None, terminal: bool | None = None,
                 min_items: int = MIN_ITEMS, min_seconds: float = MIN_SECONDS, enabled: bool = True):
        self.stream = stream if stream is not None else sys.stderr
        if terminal is None:
            isatty = getattr(self.stream, "isatty", None)
            terminal = bool(isatty and isatty())
        self.terminal, self.enabled = terminal, enabled
        self.min_items, self.min_seconds = min_items, min_seconds

    def phase(self, name: str, total: int | None = None) -> Phase:
        return Phase(self, name, total) if self.enabled else _Silent(self, name, total)

    def line(self, name: str, total: int | None, seconds: float) -> None:
        count = f": {total:,}" if total is not None else ""
        self.stream.write(f"evidence: {name}{count} ({seconds:.1f} s)\n")
        self.stream.flush()


class _Silent(Phase):
    def __enter__(self) -> Phase:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        return None


def quiet() -> Progress:
    """Reports nothing: for library calls, tests and machine-readable output."""
    return Progress(terminal=False, enabled=False)
