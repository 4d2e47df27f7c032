"""`evidence release VERSION`: a citable, versioned archive of the base.

An archive service (Zenodo and its kin) gives a DOI to a file, so a release is one zip holding
everything a reader needs to reuse or check a citation: the claims, the bibliography, every
export, the linked data, a changelog from the claims' history and checksums of it all. The zip
is deterministic (sorted members, the release date as every timestamp, fixed permissions), so
two releases of the same data differ only where the version and date are written.

The version the site shows is the one in CITATION.cff, so releasing stamps it there (and in
.zenodo.json): one place, read by the site, the Dataset description and the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .model import EvidenceBase
from .project import Project

VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.-]{1,40})?$")
CITATION_FILE = "CITATION.cff"
ZENODO_FILE = ".zenodo.json"
_CFF_VERSION = re.compile(r"^version:.*$", re.MULTILINE)
_CFF_DATE = re.compile(r"^date-released:.*$", re.MULTILINE)


class ReleaseRefused(Exception):
    """A release that cannot be made; the message is one line and `code` the exit status."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class ReleaseInfo:
    version: str | None
    date: str | None


def release_info(root: Path) -> ReleaseInfo:
    """The version and date of the latest release, from CITATION.cff (None when never released)."""
    try:
        text = (Path(root) / CITATION_FILE).read_text(encoding="utf-8")
    except OSError:
        return ReleaseInfo(None, None)
    version = _CFF_VERSION.search(text)
    date = _CFF_DATE.search(text)

    def value(m: re.Match[str] | None) -> str | None:
        return m.group(0).split(":", 1)[1].strip().strip("'\"") or None if m else None

    return ReleaseInfo(value(version), value(date))


def site_url(root: Path) -> str:
    """The published address from mkdocs.yml (tags such as !ENV are read as plain values)."""
    import yaml

    class _Tolerant(yaml.SafeLoader):
        pass

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Tolerant)  # noqa: S506
    except (OSError, yaml.YAMLError):
        data = None
    url = data.get("site_url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and re.match(r"^https?://", url) else "https://example.invalid/"


def changelog(root: Path, base: EvidenceBase, version: str, date: str) -> str:
    """What changed, newest first, from the claims' git history (new findings, re-ratings,
    restatements); says so when the history cannot be read."""
    from .feed import headline, news
    from .history import load_history

    history = load_history(root)
    titles = {c.id: c.title for c in base.claims}
    level_title = base.vocabulary("level").title
    counts = f"{len(base.claims)} claims, {len(base.sources)} sources"
    lines = [f"# Changelog\n\nRelease {version}, {date}: {counts}.\n"]
    if not history.available:
        lines.append(f"No history: {history.reason}.\n")
        return "\n".join(lines)
    day = None
    for item in news(history):
        if item.claim_id not in titles:
            continue
        if item.date != day:
            day = item.date
            lines.append(f"\n## {day}\n")
        lines.append(f"- {headline(item, titles[item.claim_id], level_title)} (`{item.claim_id}`, "
                     f"version {item.version})")
    return "\n".join(lines) + "\n"


def archive_members(project: Project, base: EvidenceBase, version: str, date: str,
                    site_url: str) -> dict[str, bytes]:
    """Every file of the release as archive path -> bytes, the checksums last."""
    from .analysis import analyse
    from .export import render_exports
    from .linked_data import Addresses, nanopublications, turtle

    members: dict[str, bytes] = {}
    for path in project.claim_files():
        members[f"claims/{path.name}"] = path.read_bytes()
    members[f"claims/{project.schema_path.name}"] = project.schema_path.read_bytes()
    members["references.bib"] = project.bib_path.read_bytes()
    for name, text in render_exports(base, analyse(base)).items():
        members[f"exports/{name}"] = text.encode("utf-8") if isinstance(text, str) else text
    addr = Addresses(site_url)
    members["linked-data/graph.ttl"] = turtle(base, addr).encode("utf-8")
    members["linked-data/nanopubs.trig"] = nanopublications(base, addr).encode("utf-8")
    members["CHANGELOG.md"] = changelog(project.root, base, version, date).encode("utf-8")
    members["release.json"] = (json.dumps({"version": version, "date": date, "claims": len(base.claims),
                                           "sources": len(base.sources), "site": site_url},
                                          sort_keys=True, indent=1) + "\n").encode("utf-8")
    for name, text in stamped_texts(project.root, version, date).items():
        members[name] = text.encode("utf-8")
    if (project.root / "LICENSE").is_file():
        members["LICENSE"] = (project.root / "LICENSE").read_bytes()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(members.items()))
    members["SHA256SUMS"] = sums.encode("utf-8")
    return members


def zip_bytes(members: Mapping[str, bytes], date: str, prefix: str) -> bytes:
    """A zip whose bytes depend only on the members and the date."""
    day = dt.date.fromisoformat(date)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{prefix}/{name}", date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, members[name], compresslevel=9)
    return buf.getvalue()


def _write_new_file(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet: to a temporary name beside it, then linked into
    place, so an interrupted run leaves no half archive and an existing one is never replaced."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.link(tmp, path)  # fails if the release already exists; never overwrites
    except FileExistsError:
        raise ReleaseRefused(f"{path} already exists: a release is never overwritten") from None
    except OSError as exc:
        raise ReleaseRefused(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def stamped_texts(root: Path, version: str, date: str) -> dict[str, str]:
    """CITATION.cff and .zenodo.json as they read with this version and date (those present)."""
    out = {}
    cff = root / CITATION_FILE
    if cff.is_file():
        text = cff.read_text(encoding="utf-8")
        text = _CFF_VERSION.sub(f"version: {version}", text) if _CFF_VERSION.search(text) else \
            text.rstrip("\n") + f"\nversion: {version}\n"
        text = _CFF_DATE.sub(f"date-released: '{date}'", text) if _CFF_DATE.search(text) else \
            text.rstrip("\n") + f"\ndate-released: '{date}'\n"
        out[CITATION_FILE] = text
    zen = root / ZENODO_FILE
    if zen.is_file():
        data = json.loads(zen.read_text(encoding="utf-8"))
        data["version"], data["publication_date"] = version, date
        out[ZENODO_FILE] = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return out


def _replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _out_dir(project: Project, out: Path) -> Path:
    """The release folder: never one of the project's sources (safe_output.protected_paths, the
    list every writer uses), inside one, or above one; the project folder may hold it."""
    from .safe_output import protected_paths

    out = out if out.is_absolute() else project.root / out
    resolved = out.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise ReleaseRefused(f"--out {out} is a file, not a folder", 2)
    root = project.root.resolve()
    for folder, name in protected_paths(root).items():
        if resolved == folder or folder in resolved.parents and folder != root or resolved in folder.parents:
            raise ReleaseRefused(f"--out {out}: that is, holds or lies inside the project's sources "
                                 f"({name}); choose a folder of its own, e.g. releases", 2)
    return resolved


def make_release(project: Project, base: EvidenceBase, version: str, out: Path, site_url: str,
                 date: str | None = None, name: str = "evidence") -> Path:
    """Write <out>/<name>-<version>.zip and stamp the version; returns the archive's path."""
    if not VERSION.match(version):
        raise ReleaseRefused(f"version {version!r} is not of the form 1.2.0 (optionally -rc1)", 2)
    date = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise ReleaseRefused(f"--date {date!r} is not a date (YYYY-MM-DD)", 2) from None
    folder = _out_dir(project, out)
    target = folder / f"{name}-{version}.zip"
    if target.exists():
        raise ReleaseRefused(f"{target} already exists: a release is never overwritten")
    members = archive_members(project, base, version, date, site_url)
    data = zip_bytes(members, date, f"{name}-{version}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReleaseRefused(f"cannot make {folder}: {exc.strerror or exc}") from None
    stamps = stamped_texts(project.root, version, date)
    _write_new_file(target, data)
    for name, text in stamps.items():
        _replace(project.root / name, text)
    return target
