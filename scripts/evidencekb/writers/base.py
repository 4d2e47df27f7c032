"""The writer interface and its registry (apart from the package, so that format modules
can import it without importing the package that loads them)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, TextIO


class Writer:
    """One export format. Subclasses set `name` (the file name) and implement write_stream."""

    name: ClassVar[str] = ""
    media_type: ClassVar[str] = "text/plain"
    # Whether it reads the analysis (profiles, gaps): those that do not may be written while
    # the analysis is still being made (writers.parallel.render_ahead).
    reads_analysis: ClassVar[bool] = False

    def write_stream(self, data, stream: TextIO) -> None:
        raise NotImplementedError

    def to_string(self, data) -> str:
        buf = io.StringIO()
        self.write_stream(data, buf)
        return buf.getvalue()

    def write_file(self, data, path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            self.write_stream(data, fh)


REGISTRY: dict[str, type[Writer]] = {}


def register(cls: type[Writer]) -> type[Writer]:
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"writer name {cls.name!r} is empty or taken")
    REGISTRY[cls.name] = cls
    return cls
