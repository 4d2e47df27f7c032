"""Where the tool may write a folder, and how: the one path-safety gate every writer uses.

Why: `--site-dir .` once deleted a whole project, `.git` included, because the build
replaced whatever folder it was given. Every folder the tool writes (the site, the graph
exports) now goes through `refuse_reason` before anything is touched, is built in a
temporary sibling, carries a small marker file saying the tool made it, and is swapped
in by renames. Only a folder holding that marker (or an empty one) may ever be replaced.

The temporary names (`.NAME.building-PID`, `.NAME.old-PID`) are git-ignored, and are
removed on failure and on SIGINT, SIGTERM and SIGHUP (a second Ctrl-C while cleaning up
is ignored rather than leaving a half-deleted folder behind).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from pathlib import Path

from .interrupts import held_signals

SITE_MARKER = ".evidencekb-site"
EXPORT_MARKER = ".evidencekb-export"
STAGING_TAG = "building"
OLD_TAG = "old"
# Limits that keep every output path well inside PATH_MAX / NAME_MAX on every OS.
MAX_NAME = 200


class OutputRefused(Exception):
    """An output path the tool will not write to; the message is one line for the user."""


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolve(path: Path) -> Path:
    # strict=False: the target may not exist yet; symlinks in its existing part are followed
    return Path(os.path.abspath(path)).resolve()


# The top level of every project (the design card's layout), protected even in a copy
# that is not a git checkout; a git checkout adds whatever else its HEAD tracks.
_SOURCE_NAMES = {
    ".git": "the project's .git folder",
    "claims": "the claims folder",
    "references.bib": "the bibliography",
    "mkdocs.yml": "mkdocs.yml",
    "scripts": "the scripts folder",
    "tests": "the tests folder",
    "pyproject.toml": "pyproject.toml",
    ".ci": "the .ci folder",
    ".github": "the .github folder",
}
_SOURCE_FILE = re.compile(r"^(README|LICEN[CS]E|CONTRIBUTING|CITATION|CHANGELOG)", re.I)


def _tracked_top_level(root: Path) -> list[str]:
    """The names at the top of the project that git tracks ([] without git or a commit)."""
    if not (root / ".git").exists():
        return []
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "ls-tree", "-z", "--name-only", "HEAD"],
                             capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if out.returncode != 0:
        return []
    return [n for n in out.stdout.decode("utf-8", "replace").split("\0") if n]


def protected_paths(root: Path, docs_dir: Path | None = None) -> dict[Path, str]:
    """The project's sources: no output may be, contain or lie inside any of these."""
    root = _resolve(root)
    found = {root: "the project folder"}
    found.update({root / name: what for name, what in _SOURCE_NAMES.items()})
    with contextlib.suppress(OSError):
        found.update({p: p.name for p in root.iterdir() if _SOURCE_FILE.match(p.name)})
    for name in _tracked_top_level(root):
        found.setdefault(root / name, f"{name}, which git tracks")
    if docs_dir is not None:
        found[_resolve(docs_dir)] = "the docs folder (docs_dir)"
    else:
        found[root / "docs"] = "the docs folder"
    return found


def _looks_like_ours(folder: Path, marker: str, legacy) -> bool:
    if (folder / marker).is_file():
        return True
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    if not entries:
        return True  # an empty folder holds nothing to lose
    return bool(legacy and legacy(folder, entries))


def refuse_reason(
    target: Path,
    root: Path,
    *,
    marker: str,
    docs_dir: Path | None = None,
    legacy=None,
    what: str = "output folder",
) -> str | None:
    """Why `target` may not be (re)written as an output folder, or None if it may.

    Refused: a project source (root, .git, claims/, docs_dir, references.bib, mkdocs.yml,
    scripts/) that the target is, contains or lies inside (the root itself may hold
    outputs such as site/, but is never one); an existing file or symlink; a path under
    a file; an existing folder that lacks `marker` (unless empty, or `legacy` says it is
    an older output of ours); a parent that cannot be written; a name too long.
    """
    raw = Path(target)
    target = _resolve(raw)
    shown = display(raw)
    root = _resolve(root)
    for path, name in protected_paths(root, docs_dir).items():
        if target == path:
            return f"{what} {shown} is {name}; refusing to replace it (choose a new folder, e.g. site/)"
        if path in target.parents and path != root:
            return f"{what} {shown} lies inside {name}; refusing to write there (choose a folder outside it)"
        if target in path.parents:
            return f"{what} {shown} contains {name}; refusing to replace it (choose a new folder, e.g. site/)"
    if len(target.name) > MAX_NAME or len(str(target)) > 3000:
        return f"{what} {shown}: the name is too long"
    if raw.is_symlink():
        return f"{what} {shown} is a symbolic link; give the real folder"
    if target.exists() and not target.is_dir():
        return f"{what} {shown} is an existing file, not a folder; refusing to replace it"
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{what} {shown} lies under {display(parent)}, which is a file"
            if not os.access(parent, os.W_OK | os.X_OK):
                return f"{what} {shown}: cannot write in {display(parent)} (permission denied or read-only)"
            break
    if target.is_dir():
        if not _looks_like_ours(target, marker, legacy):
            return (
                f"{what} {shown} exists and was not made by `evidence` (no {marker} file in it); "
                "refusing to replace it: remove it yourself or choose another folder"
            )
        if not os.access(target, os.W_OK | os.X_OK) or not os.access(target.parent, os.W_OK | os.X_OK):
            return f"{what} {shown}: cannot replace it (permission denied or read-only)"
    return None


def check_output(target: Path, root: Path, **kwargs) -> Path:
    """The resolved target, or OutputRefused with the reason."""
    why = refuse_reason(target, root, **kwargs)
    if why:
        raise OutputRefused(why)
    return _resolve(target)


# Control characters (C0, DEL, C1), invisible and bidi-reordering characters, and line or
# paragraph separators: none may reach a terminal or a CI log raw (a file name holding a
# newline and `::error::` would otherwise print a workflow command).
UNSAFE_OUTPUT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def _escape_char(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape_control(text) -> str:
    """Text safe to print on one line: unsafe characters written as \\xNN / \\uNNNN."""
    text = str(text)
    return UNSAFE_OUTPUT.sub(_escape_char, text) if UNSAFE_OUTPUT.search(text) else text


def display(path) -> str:
    """A path for a one-line message: control characters escaped, never a raw newline."""
    return escape_control(str(path))


def sibling(target: Path, tag: str) -> Path:
    return target.with_name(f".{target.name}.{tag}-{os.getpid()}")


def remove_tree(path: Path) -> None:
    """Delete a folder we made, with further interrupts held off so it is never half-gone."""
    with held_signals():
        shutil.rmtree(path, ignore_errors=True)
        if path.exists() or path.is_symlink():  # a file, or something rmtree could not take
            with contextlib.suppress(OSError):
                path.unlink()


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames on the same filesystem; the old copy is
    removed only once the new one is in place, and put back if the second rename fails."""
    new, target = Path(new), Path(target)
    old = None
    with held_signals():
        if target.exists():
            old = sibling(target, OLD_TAG)
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        try:
            os.replace(new, target)
        except BaseException:
            if old is not None and not target.exists():
                os.replace(old, target)  # put the previous output back
            raise
    if old is not None:
        remove_tree(old)


def write_marker(folder: Path, marker: str, note: str) -> None:
    write_file(
        Path(folder) / marker,
        f"{note}\nThis folder is replaced whole by the next build; do not keep files here.\n",
    )


WRITE_PIECE = 1 << 16  # characters of a text encoded at a time (see write_file)


def write_file(path: Path, text: str | bytes) -> None:
    """Write a whole file with os.write (one place where a full disk or a read-only folder
    is met, as OSError); the caller's staging folder is deleted if it fails.

    A text is encoded a piece at a time: encoded whole, a 35 MB export is 35 MB of fresh
    memory, each of its pages a fault for the kernel to serve before a byte is written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        if isinstance(text, bytes):
            write_fd(fd, text)
        else:
            for start in range(0, len(text), WRITE_PIECE):
                write_fd(fd, text[start:start + WRITE_PIECE].encode("utf-8"))
    finally:
        os.close(fd)


def replace_file(path: Path, text: str) -> None:
    """One whole file put in place at once: written to a temporary sibling, then renamed over
    `path`, so a reader (or a failure: a full disk, Ctrl-C) sees the old file or the new one,
    never half of one, and no temporary file is left behind."""
    import tempfile

    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.close(fd)
        write_file(Path(tmp), text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_fd(fd: int, data: bytes) -> None:
    """All of `data` to an open descriptor (os.write may take less than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_LIVE: set["Staging"] = set()


def discard_all() -> None:
    """Delete every staging folder not yet committed: the last word of a command that was
    interrupted wherever the signal landed (cli.run_guarded calls it on the way out)."""
    with held_signals():
        for stage in list(_LIVE):
            stage.discard()


class Staging:
    """A temporary sibling folder that becomes `target` on commit, or vanishes.

    with Staging(target, SITE_MARKER, "a site built by evidence") as tmp:
        ... write into tmp ...
        stage.commit()
    """

    def __init__(self, target: Path, marker: str, note: str):
        self.target = Path(target)
        self.marker, self.note = marker, note
        self.path = sibling(self.target, STAGING_TAG)
        self.committed = False

    def __enter__(self) -> "Staging":
        _LIVE.add(self)
        try:  # an interrupt right after mkdir must not leave the folder behind
            self.target.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                remove_tree(self.path)
            self.path.mkdir()
        except BaseException:
            self.discard()
            raise
        return self

    def commit(self) -> None:
        write_marker(self.path, self.marker, self.note)
        swap_in(self.path, self.target)
        self.committed = True
        _LIVE.discard(self)

    def discard(self) -> None:
        if not self.committed and (self.path.exists() or self.path.is_symlink()):
            remove_tree(self.path)
        _LIVE.discard(self)

    def __exit__(self, *exc) -> None:
        self.discard()


def os_error_text(exc: OSError) -> str:
    """An OSError as a short phrase: 'no space left on device (/x/y)'."""
    why = (exc.strerror or str(exc) or type(exc).__name__).lower()
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on device"  # the file named would be whichever came first: no help
    elif exc.errno == errno.EROFS:
        why = "read-only file system"
    name = exc.filename
    return f"{why} ({display(name)})" if name else why


def refuse_file_reason(target: Path, root: Path, what: str = "output file") -> str | None:
    """Why a single output file (a bench report) may not be written, checked before the
    work that produces it: not a folder, not under a file, not a project source."""
    raw = Path(target)
    target = _resolve(raw)
    shown = display(raw)
    root = _resolve(root)
    sources = {root / "references.bib", root / "mkdocs.yml", root / "claims", root / ".git", root / "scripts"}
    for path in sources:
        if target == path or path in target.parents:
            return (f"{what} {shown} is or lies inside a project source ({display(path.name)}); "
                    "refusing to write it")
    if target.is_dir():
        return f"{what} {shown} is a folder; give a file name, e.g. {display(raw / 'report.md')}"
    if len(target.name) > MAX_NAME:
        return f"{what} {shown}: the name is too long"
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{what} {shown} lies under {display(parent)}, which is a file"
            if parent != target.parent:
                return f"{what} {shown}: the folder {display(target.parent)} does not exist"
            if not os.access(parent, os.W_OK | os.X_OK) or (
                target.exists() and not os.access(target, os.W_OK)
            ):
                return f"{what} {shown}: cannot write there (permission denied or read-only)"
            break
    return None
