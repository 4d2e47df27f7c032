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

    def __init__(self, owner: Progress, name: str, total: int | None, bar: bool = True):
        self.owner, self.name, self.total, self.done, self.wants_bar = owner, name, total, 0, bar
        self.started = time.perf_counter()
        self._bar = None

    def __enter__(self) -> Phase:
        if (self.wants_bar and self.owner.terminal and self.total is not None
                and self.total >= self.owner.min_items):
            import tqdm as tqdm_module  # imported only when a bar is drawn: small runs never pay for it
            from tqdm import tqdm

            tqdm_module.tqdm.monitor_interval = 0  # no monitor thread: the exports fork later
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
            if exc_type is None and self.done < (self.total or 0):
                self._bar.update(self.total - self.done)
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

    def phase(self, name: str, total: int | None = None, bar: bool = True) -> Phase:
        """A step of `total` items (shown as a bar if `bar` and it is big, on a terminal)."""
        return Phase(self, name, total, bar) if self.enabled else _Silent(self, name, total, bar)

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
