"""Reading the claim files: each parsed and schema-checked on its own, on two cores for a big
base, and from the cache (evidencekb.cache) when a file's bytes were seen before.

Why two cores: at 10,000 claims reading the files is most of a check and each file stands
alone, so a forked child reads the later part of the list while this process reads the
bibliography and the earlier part (evidencekb.forked). The child's results are put back in
file order, so the docs and problems are those of the serial path. If the fork, the child or
its answer fails in any way, this process reads those files itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import forked
from ..model import Position, Problem
from ..parsers.claim_yaml import ClaimDocument, parse_claim_bytes
from ..project import Project

PARALLEL_FROM = 500  # claim files; below this a fork costs more than it saves
BIB_WEIGHT = 5.0  # a byte of BibTeX costs pybtex about as much as five bytes of claim YAML

# One file's result: (document or None, its problems, True if it passed the schema).
Result = tuple["ClaimDocument | None", "list[Problem]", bool]


def read_bytes(path: str | Path) -> bytes:
    """A whole file, read with os.read: a third of the time of Path.read_bytes, whose buffered
    file object costs more than reading a claim file's 1.5 KB (10,000 of them on a warm check)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _decoded(raw: bytes) -> str:
    """As raw.decode("utf-8-sig") (these bytes decoded before), without that codec's Python code."""
    return raw[3:].decode("utf-8") if raw[:3] == b"\xef\xbb\xbf" else raw.decode("utf-8")


def read_one(path: str | Path, rel: str, checker, pack) -> tuple[str | None, Result]:
    """One claim file parsed and checked against the schema, or its cached result; with the
    cache key it has (None when the cache is off or the file unreadable)."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        problem = Problem(Position(rel), "error", f"cannot read file: {exc.strerror}", "io")
        return None, (None, [problem], False)
    key = pack.key(rel, raw) if pack is not None else None
    if key is not None:
        hit = pack.get(key)
        if hit is not None:
            return key, _with_text(hit, _decoded(raw) if hit[0] is not None else None)
    doc, problems = parse_claim_bytes(raw, rel)
    valid = False
    if doc is not None:
        schema_problems = checker.check(doc)
        problems = problems + schema_problems
        valid = not schema_problems
    if key is not None:
        pack.put(key, plain((doc, problems, valid)))
    return key, (doc, problems, valid)


def _with_text(stored: tuple, text: str | None) -> Result:
    """A cached result made whole again. The cache keeps plain values only (marshal reads
    them back several times faster than pickle reads objects), most positions still
    marshalled (ClaimDocument.packed), and no text: that is the file's bytes, decoded again."""
    path, data, links, packed, problems, valid = stored
    doc = ClaimDocument(path, data, links, {}, text, packed=packed) if path is not None else None
    return doc, [problem_of(p) for p in problems], valid


def problem_values(p: Problem) -> tuple:
    """A problem as plain values: what the cache keeps and a child sends back."""
    return p.position.path, p.position.line, p.position.col, p.severity, p.message, p.rule


def problem_of(values) -> Problem:
    path, line, col, severity, message, rule = values
    return Problem(Position(path, line, col), severity, message, rule)


def plain(result: Result) -> tuple:
    """A result as plain values (what the cache keeps and the child sends): no text."""
    doc, problems, valid = result
    found = tuple(problem_values(p) for p in problems)
    if doc is None:
        return None, None, None, None, found, valid
    return (doc.path, doc.data, *doc.packed_positions(), found, valid)


def child_share(project: Project, todo: list[tuple[str, str]], bib_cached: bool = False) -> float:
    """The part of the claim files the child reads so that both sides finish together: this
    process also reads the bibliography, so the child takes more (measured by bytes), unless
    the bibliography comes from the cache (then it costs next to nothing)."""
    step = max(1, len(todo) // 100)  # a sample of the sizes is enough to split by
    try:
        bib = 0.0 if bib_cached else project.bib_path.stat().st_size * BIB_WEIGHT
        claims = sum(os.stat(path).st_size for path, _ in todo[::step]) * step or 1
    except OSError:
        return 0.5
    return min(0.85, max(0.5, (bib + claims) / (2 * claims)))  # bib + (1 - s) claims = s claims


def _read_many(todo: list[tuple[str, str]], checker, pack, bar=None) -> list[tuple[str | None, Result]]:
    out = []
    for path, rel in todo:
        if bar is not None:
            bar.advance()
        out.append(read_one(path, rel, checker, pack))
    return out


class ClaimReader:
    """Started before the bibliography is read (the child works meanwhile), finished after."""

    def __init__(self, project: Project, checker, pack=None, bib_cached: bool = False):
        self.checker, self.pack = checker, pack
        folder = project.relative(project.claims_dir)  # every claim file sits directly in it
        self.skipped: list[Problem] = []
        self.todo: list[tuple[str, str]] = []  # (the path to open, the path to report)
        top = os.fspath(project.claims_dir)
        for name in project.claim_names():
            rel = f"{folder}/{name}"
            if os.path.splitext(name)[1] != ".yaml":  # as Path.suffix: ".yaml" alone is a stem
                self.skipped.append(Problem(Position(rel), "warning", "ignored: claim files end in .yaml",
                                            "file-extension"))
            else:
                self.todo.append((os.path.join(top, name), rel))
        self.split = len(self.todo)
        self.child: forked.Child | None = None
        if len(self.todo) >= PARALLEL_FROM and forked.can_fork():
            self.split = len(self.todo) - int(len(self.todo) * child_share(project, self.todo, bib_cached))
            self.child = _fork(self.todo[self.split:], checker, pack)
            if self.child is None:
                self.split = len(self.todo)

    def finish(self, progress) -> tuple[list[ClaimDocument], list[ClaimDocument], list[Problem]]:
        """(parsed docs, valid docs, problems), in file order."""
        with progress.phase("reading claims", total=len(self.skipped) + len(self.todo)) as bar:
            for _ in self.skipped:
                bar.advance()
            results = _read_many(self.todo[: self.split], self.checker, self.pack, bar)
            rest = self.todo[self.split:]
            theirs = _collect(self.child, len(rest), self.pack) if self.child is not None else None
            if theirs is None:
                theirs = _read_many(rest, self.checker, self.pack, bar)
            else:
                for _ in rest:
                    bar.advance()
        results += theirs
        problems = list(self.skipped)
        docs, valid = [], []
        for _, (doc, found, ok) in results:
            problems += found
            if doc is not None:
                docs.append(doc)
                if ok:
                    valid.append(doc)
        return docs, valid, problems


def _fork(todo: list[tuple[str, str]], checker, pack) -> forked.Child | None:
    """A child reading `todo`. Plain values go back (marshal is several times faster than
    pickling the objects); a result the parent's cache already holds goes back as its key
    and text alone."""
    old = pack.old if pack is not None else {}
    return forked.start(lambda: [(key, None if key in old else plain(res), res[0] and res[0].text)
                                 for key, res in _read_many(todo, checker, pack)])


def _collect(child: forked.Child, expected: int, pack) -> list[tuple[str | None, Result]] | None:
    """The child's results (its new ones put in this process's cache), or None if it failed
    in any way (then they are read here)."""
    sent = child.collect()
    if not isinstance(sent, list) or len(sent) != expected:
        return None
    try:
        out = []
        for key, stored, text in sent:
            if stored is None:  # one the cache held before the fork
                stored = pack.get(key)
            elif pack is not None and key is not None:
                pack.put(key, stored)
            out.append((key, _with_text(stored, text)))
        return out
    except Exception:  # noqa: BLE001 - a malformed answer: fall back to reading here
        return None
