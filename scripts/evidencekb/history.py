"""Claim versions and their history, read from git.

Every change to a claim is already a commit, so a claim's version is the count of commits that
changed what a citation of it carries (the statement, the rating, the caveat, the sources and
their stance), and its history is what changed between consecutive versions. A commit that only
rewords a rationale or reflows the YAML is not a new version. The YAML of each version is diffed field by
field, never shown as a raw diff, and the commit message is kept as the reason.

Reading is one `git log` and one `git cat-file --batch` process for the whole base, whatever
its size. A folder that is not a git checkout, or a shallow clone (which would make every claim
look new), gives `HistoryResult.available = False` with the reason: callers then show no
history rather than a wrong one.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .parsers.claim_yaml import parse_claim_bytes

_FIELD_SEP = "\x1f"
_RECORD = "\x1e"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed from one version of a claim to the next.

    kind: "added" (the claim first appears), "statement", "level", "caveat", "source-added",
    "source-removed", "relation" (a source's stance changed), "removed" (the file was deleted).
    """

    kind: str
    before: str | None = None
    after: str | None = None
    subject: str | None = None  # the source key, for source and relation changes


@dataclass(frozen=True, slots=True)
class ClaimVersion:
    number: int
    commit: str
    date: str  # YYYY-MM-DD, the commit date
    message: str  # the commit's subject line: why it changed
    statement: str | None
    level: str | None
    caveat: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class ClaimHistory:
    claim_id: str
    versions: tuple[ClaimVersion, ...]  # oldest first
    modified: bool = False  # the working file differs from its last committed version

    @property
    def current(self) -> ClaimVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True, slots=True)
class HistoryResult:
    available: bool
    reason: str | None
    claims: dict[str, ClaimHistory]

    def of(self, claim_id: str) -> ClaimHistory | None:
        return self.claims.get(claim_id)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True,
                              timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _unavailable(reason: str) -> HistoryResult:
    return HistoryResult(False, reason, {})


def _snapshot(raw: bytes | None, rel: str) -> dict[str, Any] | None:
    """The fields history compares, from one committed version (None if it does not parse)."""
    if raw is None:
        return None
    doc, _problems = parse_claim_bytes(raw, rel)
    if doc is None or not isinstance(doc.data, dict):
        return None
    d = doc.data
    raw = d.get("confidence")
    conf: dict = raw if isinstance(raw, dict) else {}
    links: dict[str, str] = {}
    for e in d.get("evidence") or ():
        if isinstance(e, dict) and isinstance(e.get("source"), str):
            links.setdefault(e["source"], str(e.get("relation", "")))

    def text(v: Any) -> str | None:
        return " ".join(v.split()) if isinstance(v, str) else None

    return {"statement": text(d.get("statement")), "level": text(conf.get("level")),
            "caveat": text(conf.get("caveat")), "links": links}


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[Change, ...]:
    if after is None:
        return (Change("removed"),) if before is not None else ()
    if before is None:
        return (Change("added", after=after["statement"]),)
    out: list[Change] = []
    for name in ("statement", "level", "caveat"):
        if before[name] != after[name]:
            out.append(Change(name, before[name], after[name]))
    old, new = before["links"], after["links"]
    for key in sorted(new.keys() - old.keys()):
        out.append(Change("source-added", after=new[key], subject=key))
    for key in sorted(old.keys() - new.keys()):
        out.append(Change("source-removed", before=old[key], subject=key))
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            out.append(Change("relation", old[key], new[key], subject=key))
    return tuple(out)


def _log(root: Path, claims_rel: str) -> list[tuple[str, str, str, list[tuple[str, str, str]]]] | None:
    """Commits touching claims, oldest first: (commit, date, subject, [(status, blob, path)])."""
    fmt = f"{_RECORD}%H{_FIELD_SEP}%cs{_FIELD_SEP}%s"
    out = _git(root, "log", "--reverse", "--no-renames", "--raw", "--no-abbrev", "-z",
               f"--format={fmt}", "--", f"{claims_rel}/*.yaml")
    if out is None:
        return None
    commits = []
    for record in out.decode("utf-8", "replace").split(_RECORD)[1:]:
        head, _, raw = record.partition("\x00")
        commit, date, subject = (head.split(_FIELD_SEP) + ["", ""])[:3]
        fields = [f for f in raw.strip("\n").split("\x00") if f != ""]
        files = []
        # -z raw output: ":meta" then path, alternating
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):  # a trailing odd field is dropped
            parts = meta.lstrip("\n:").split()
            if len(parts) >= 5:
                files.append((parts[4][0], parts[3], path))
        commits.append((commit.strip(), date, subject, files))
    return commits


def _blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Many blobs in one `git cat-file --batch` process."""
    if not shas:
        return {}
    out = _git(root, "cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode())
    blobs: dict[str, bytes] = {}
    if out is None:
        return blobs
    i = 0
    while i < len(out):
        nl = out.index(b"\n", i)
        header = out[i:nl].split()
        if len(header) == 3:
            sha, size = header[0].decode(), int(header[2])
            blobs[sha] = out[nl + 1:nl + 1 + size]
            i = nl + 1 + size + 1
        else:  # "<sha> missing"
            i = nl + 1
    return blobs


def load_history(root: Path, claims_rel: str = "claims") -> HistoryResult:
    """Every claim's versions and changes, or why they cannot be known here."""
    root = Path(root)
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.strip() != b"true":
        return _unavailable("not a git checkout: claim versions and history are not shown")
    shallow = _git(root, "rev-parse", "--is-shallow-repository")
    if shallow is not None and shallow.strip() == b"true":
        return _unavailable("a shallow git clone: claim versions and history are not shown "
                            "(fetch the full history, e.g. actions/checkout with fetch-depth: 0)")
    prefix = (_git(root, "rev-parse", "--show-prefix") or b"").decode().strip()
    commits = _log(root, claims_rel)
    if commits is None:
        return _unavailable("git log failed: claim versions and history are not shown")
    zero = "0" * 40
    blobs = _blobs(root, sorted({sha for *_, files in commits for _, sha, _ in files if sha != zero}))
    versions: dict[str, list[ClaimVersion]] = {}
    last: dict[str, dict[str, Any] | None] = {}
    last_blob: dict[str, str] = {}
    for commit, date, subject, files in commits:
        for status, sha, path in files:
            rel = path[len(prefix):] if prefix and path.startswith(prefix) else path
            claim_id = Path(rel).stem
            snap = None if status == "D" else _snapshot(blobs.get(sha), rel)
            if status != "D" and snap is None:
                continue  # a version that did not parse is not a version anyone could cite
            changes = _changes(last.get(claim_id), snap)
            if not changes:
                continue  # a commit that changed nothing a citation carries is not a new version
            history = versions.setdefault(claim_id, [])
            if snap is None:
                history.append(ClaimVersion(len(history) + 1, commit, date, subject, None, None, None,
                                            changes))
            else:
                history.append(ClaimVersion(len(history) + 1, commit, date, subject, snap["statement"],
                                            snap["level"], snap["caveat"], changes))
            last[claim_id] = snap
            last_blob[claim_id] = sha
    modified = _modified(root, claims_rel)
    claims = {cid: ClaimHistory(cid, tuple(vs), cid in modified) for cid, vs in sorted(versions.items())
              if vs and vs[-1].changes[0].kind != "removed"}
    return HistoryResult(True, None, claims)


def _modified(root: Path, claims_rel: str) -> set[str]:
    out = _git(root, "status", "--porcelain", "-z", "--", claims_rel)
    if not out:
        return set()
    return {Path(entry[3:]).stem for entry in out.decode("utf-8", "replace").split("\x00") if len(entry) > 3}


def version_text(version: ClaimVersion, long_date: bool = True) -> str:
    """How a citation names a version: "version 3, 14 March 2027"."""
    import datetime as dt

    day = dt.date.fromisoformat(version.date)
    when = f"{day.day} {day.strftime('%B')} {day.year}" if long_date else version.date
    return f"version {version.number}, {when}"
