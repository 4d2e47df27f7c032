"""The cyclic garbage collector, paused while a big base is turned into records and exports.

Why: reading a base, analysing it and building its graph make hundreds of thousands of
long-lived objects and almost no reference cycles. The cyclic collector would walk them
again and again for nothing: about a fifth of the CPU of a check, and 1.4 s of the 10 s of
`evidence graph` at 10,000 claims. Freed memory still goes at once (reference counting
frees it); the few cycles made meanwhile wait for the collector's next full run.

On resuming, everything made meanwhile is moved to the oldest generation (`freeze` then
`unfreeze`: two list splices). Left in the youngest, it would all be walked by the very
next collection, which the next few hundred allocations start: 0.35 s at 10,000 claims.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# What a command ending in os._exit (cli.run) leaves for the process's end instead of freeing.
# Why: freeing the check's parsed files and the exports' graph at 10,000 claims takes 0.3 s
# of `evidence graph`, most of it on pages still shared with a forked child (every object
# freed there is a page copied first), all of it for a process about to end. Only a command
# that ends when its work is done calls keep_to_exit (`evidence graph`; never `evidence
# serve`, whose rebuilds must free theirs), and only the console command says it ends this
# way: called from a library or a test, nothing is kept.
_KEPT: list[object] = []
_ENDS_WITH_EXIT: list[bool] = []


def ending_with_exit() -> None:
    """Said by the console command, which ends without freeing its objects."""
    _ENDS_WITH_EXIT.append(True)


def keep_to_exit(*objects: object) -> None:
    """Objects no longer needed, left to the process's end when it ends with os._exit."""
    if _ENDS_WITH_EXIT:
        _KEPT.append(objects)
