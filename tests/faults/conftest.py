"""The fault suite's throwaway project and the probes every case uses.

Every case runs against a copy of a tiny project under tmp_path (never the repository),
and asserts what the promise says: the exit code, one line and no traceback, the file at
fault as path:line:col, and that the project (and the previous site) hash the same after.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO, ProjectFactory

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
SITE_MARKER = ".evidencekb-site"


def tree_hash(path: Path) -> str:
    """One hash over every name, kind and byte under `path` (symlinks as their target text)."""
    h = hashlib.sha256()
    path = Path(path)
    if not path.exists():
        return "absent"
    for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
        rel = p.relative_to(path).as_posix() if path.is_dir() else p.name
        if p.is_symlink():
            h.update(f"L {rel} {os.readlink(p)}\n".encode("utf-8", "surrogateescape"))
        elif p.is_dir():
            h.update(f"D {rel}\n".encode("utf-8", "surrogateescape"))
        else:
            h.update(f"F {rel}\n".encode("utf-8", "surrogateescape") + p.read_bytes())
    return h.hexdigest()


class Kb(ProjectFactory):
    """The unit tests' tiny valid project plus mkdocs.yml and docs/, so it builds (in seconds)."""

    def __init__(self, root: Path):
        super().__init__(root)
        cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "scripts").mkdir()
        shutil.copy(REPO / "scripts" / "mkdocs_hooks.py", root / "scripts" / "mkdocs_hooks.py")
        (root / "mkdocs.yml").write_text(cfg, encoding="utf-8")
        shutil.copytree(REPO / "docs", root / "docs")
        (root / ".git").mkdir()
        (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")

    def hash(self) -> str:
        return tree_hash(self.root)


@pytest.fixture
def kb(tmp_path) -> Kb:
    return Kb(tmp_path / "kb")


class Outcome:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def text(self) -> str:
        return self.out + self.err

    def one_line_error(self, code: int | tuple = (1, 2)) -> str:
        """Assert the run failed with `code`, said so in one `evidence...` line, no traceback."""
        codes = code if isinstance(code, tuple) else (code,)
        assert self.code in codes, f"exit {self.code}, wanted {codes}:\n{self.text}"
        assert "Traceback" not in self.text, self.text
        lines = [l for l in self.err.splitlines() if l.startswith("evidence")]
        assert lines, f"no `evidence...:` line on stderr:\n{self.err}"
        return lines[-1]

    def clean(self):
        assert "Traceback" not in self.text, self.text
        return self


def _main(argv, env=None):
    from evidencekb.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    return Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture
def run(monkeypatch):
    """`evidence ARGS...` in this process (fast); the site's second process is off here."""
    monkeypatch.setenv("EVIDENCE_SITE_WORKER", "0")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return lambda *argv: _main(argv)


def evidence_proc(*args, cwd=None, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "evidencekb", *map(str, args)],
        cwd=cwd or REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _mount(where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    try:
        return (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, timeout=10
            ).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


@pytest.fixture
def read_only_dir(tmp_path, monkeypatch):
    """A folder nobody may write in, root included: a read-only tmpfs where mounting is
    allowed, else os.access patched to say so (the gate asks os.access)."""
    where = tmp_path / f"ro-{uuid.uuid4().hex[:6]}"
    if _mount(where, "size=64k,ro"):
        yield where
        _umount(where)
        return
    where.mkdir(exist_ok=True)
    real = os.access

    def access(path, mode, *a, **k):
        p = Path(os.path.abspath(path))
        if mode & os.W_OK and (p == where or where in p.parents):
            return False
        return real(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)
    yield where


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """A folder on a full disk: a 64 KB tmpfs where mounting is allowed, else os.write and
    MkDocs' file writer patched to raise ENOSPC for paths under it."""
    where = tmp_path / f"full-{uuid.uuid4().hex[:6]}"
    if _mount(where, "size=64k"):
        (where / "filler").write_bytes(b"x" * 60_000)
        yield where
        _umount(where)
        return
    where.mkdir(exist_ok=True)
    real_write = os.write

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.startswith(str(where)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    def mk_write(content, output_path):
        if str(output_path).startswith(str(where)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        return real_mk(content, output_path)

    import mkdocs.utils

    real_mk = mkdocs.utils.write_file
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(mkdocs.utils, "write_file", mk_write)
    yield where


def no_litter(folder: Path) -> list[str]:
    """Temporary names a build or an export might leave behind in `folder`."""
    return sorted(
        p.name
        for p in Path(folder).iterdir()
        if ".building-" in p.name or ".old-" in p.name or ".data-" in p.name
    )
