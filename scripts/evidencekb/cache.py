"""A content-addressed cache of per-file check results, so an unchanged base re-checks fast.

Why it can never answer stale (no false green): an entry's key is the sha256 of the file's
own bytes, its project-relative path (problems carry it) and a code stamp: a hash of this
package's source and data files, the schema text the file was checked against, and the
versions of Python, PyYAML, pybtex and the validators. Change any byte of any of them and
the key is new. Only per-file results are kept (a parsed claim with its own problems, a
parsed bibliography); checks across files (ids, sources cited, rules) always run.

Why it never gets in the way: it lives outside the project (`EVIDENCE_CACHE_DIR`, else
`$XDG_CACHE_HOME/evidencekb`, else ~/.cache/evidencekb), is off with `EVIDENCE_NO_CACHE=1`
(the CLI's --no-cache), writes atomically (a temporary file, then os.replace), treats an
unreadable or corrupt pack (each keeps a checksum) as a miss, skips an unwritable folder
without a word, and keeps its size under MAX_BYTES by removing the oldest packs.

Entries are grouped in one pack file per (stamp, kind, project folder), read in one go:
10,000 small files would cost more to open than to parse.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

MAX_BYTES = 512 * 1024 * 1024
_FORMAT = b"evidencekb-cache-2"
_CODECS = {b"p": (pickle.dumps, pickle.loads), b"m": (marshal.dumps, marshal.loads)}
_STAMP: list[str] = []


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is off."""
    if os.environ.get("EVIDENCE_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("EVIDENCE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "evidencekb"


def _versions() -> str:
    from importlib import metadata

    out = [sys.version]
    for dist in ("PyYAML", "pybtex", "fastjsonschema", "jsonschema", "latexcodec"):
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=none")
    return "\n".join(out)


def code_stamp() -> str:
    """sha256 over the package's .py and data files (names and bytes) and the versions of
    what reads the files; computed once a process (about 5 ms)."""
    if not _STAMP:
        h = hashlib.sha256(_FORMAT)
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json", ".yaml", ".yml") and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
        h.update(_versions().encode())
        _STAMP.append(h.hexdigest())
    return _STAMP[0]


def entry_key(salt: bytes, rel: str, raw: bytes) -> str:
    """The key of one file's result: its bytes, its path and what it was checked with."""
    h = hashlib.sha256(salt)
    h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
    h.update(raw)
    return h.hexdigest()


class Pack:
    """One kind of per-file result for one project folder: looked up by entry_key, written
    back (atomically, only if something changed) with exactly the entries used this run."""

    def __init__(self, kind: str, where: Path, extra: bytes = b"", plain: bool = False):
        """`plain`: the values are plain data (dicts, lists, tuples, text, numbers), written
        with marshal, several times faster than pickle both ways; else they are pickled."""
        self.codec = b"m" if plain else b"p"
        self.folder = cache_dir()
        self.salt = hashlib.sha256(code_stamp().encode() + b"\0" + kind.encode() + b"\0" + extra).digest()
        ident = hashlib.sha256(self.salt + str(where).encode("utf-8", "surrogateescape")).hexdigest()
        folder = self.folder
        self.path = folder / f"{kind}-{ident[:32]}.pack" if folder is not None and _private(folder) else None
        self.old: dict[str, Any] = self._load()
        self.used: dict[str, Any] = {}
        self.changed = False

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            blob = self.path.read_bytes()
            head = len(_FORMAT) + 1
            digest, payload = blob[head:head + 32], memoryview(blob)[head + 32:]
            if blob[:head] != _FORMAT + self.codec or hashlib.sha256(payload).digest() != digest:
                return {}  # another format, or damaged: checked before anything is decoded
            data = _CODECS[self.codec][1](payload)
            return data if isinstance(data, dict) else {}
        except Exception:  # noqa: BLE001 - missing, unreadable or corrupt: every entry a miss
            return {}

    def key(self, rel: str, raw: bytes) -> str:
        return entry_key(self.salt, rel, raw)

    def get(self, key: str) -> Any | None:
        found = self.old.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value
        self.changed = True

    def save(self) -> None:
        """Write the entries used this run, if any was new or an old one went unused."""
        if self.path is None or not (self.changed or len(self.used) != len(self.old)):
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(self.path.parent):
                return
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".pack")
            try:
                payload = _CODECS[self.codec][0](self.used)
                with os.fdopen(fd, "wb") as f:
                    f.write(_FORMAT + self.codec + hashlib.sha256(payload).digest())
                    f.write(payload)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
            evict(self.path.parent, keep=self.path)
        except Exception:  # noqa: BLE001 - an unwritable or full cache folder is no error: skip it
            return


def _private(folder: Path) -> bool:
    """Whether a cache folder is ours alone (or not made yet). Packs may hold pickles, and a
    pickle can run code when read: a folder someone else owns or can write to is not used
    (as ssh treats its keys)."""
    try:
        st = folder.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


_PACK_NAME = re.compile(r"^[a-z0-9-]+-[0-9a-f]{32}\.pack$")


def _ours(path: Path) -> bool:
    """A pack this cache wrote: our name pattern and our format's first bytes. Anything else
    in the folder (EVIDENCE_CACHE_DIR may point at a folder holding other files) is left be."""
    if not _PACK_NAME.match(path.name):
        return False
    try:
        with path.open("rb") as f:
            return f.read(len(_FORMAT)) == _FORMAT
    except OSError:
        return False


def evict(folder: Path, keep: Path | None = None, limit: int | None = None) -> None:
    """Remove the oldest of our packs (by modification time) until they take at most `limit`
    bytes; the pack just written is kept, and no other file is touched."""
    limit = MAX_BYTES if limit is None else limit
    packs = []
    for p in folder.glob("*.pack"):
        try:
            st = p.stat()
        except OSError:
            continue
        if _ours(p):
            packs.append((st.st_mtime, p, st.st_size))
    total = sum(size for _, _, size in packs)
    for _, p, size in sorted(packs, key=lambda t: (t[0], t[1])):
        if total <= limit:
            break
        if p == keep:
            continue
        try:
            p.unlink()
            total -= size
        except OSError:
            continue
