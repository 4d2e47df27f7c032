"""The contributing/ page, made from the repository's CONTRIBUTING.md at build time.

The file is written for GitHub, where a relative link like `claims/claim.schema.json`
points into the repository; on the site it would point nowhere. Relative links are
rewritten to the repository (or to the site page a `docs/*.md` link means), so one
file serves both places and the page never goes stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from .common import GeneratedPage, Settings

SRC_URI = "contributing/index.md"
_INLINE = re.compile(r"(!?\[[^\]\n]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_REFDEF = re.compile(r"^(\s{0,3}\[[^\]\n]+\]:\s*)(\S+)(.*)$", re.M)
_FENCE = re.compile(r"^(```|~~~)", re.M)


def _site_page(url_path: str, docs_dir: Path | None) -> str:
    """The Markdown source behind a site URL (`method/` -> `method.md`), so MkDocs checks
    the link and writes it the way it writes every other."""
    page = url_path.strip("/")
    if not page:
        return "index.md"
    if docs_dir is not None and (docs_dir / f"{page}.md").is_file():
        return f"{page}.md"
    return f"{page}/index.md"


def _rewrite(target: str, settings: Settings, docs_dir: Path | None = None) -> str:
    if settings.site_url and target.startswith(settings.site_url):  # a link to this site: keep it on the site
        path, _, anchor = target[len(settings.site_url):].partition("#")
        return "../" + _site_page(path, docs_dir) + (f"#{anchor}" if anchor else "")
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "//", "/")):
        return target
    path, _, anchor = target.partition("#")
    path = re.sub(r"^\./", "", path)
    frag = f"#{anchor}" if anchor else ""
    if path.startswith("docs/") and path.endswith(".md"):
        return f"../{path[len('docs/'):]}{frag}"
    if path in ("README.md", "CONTRIBUTING.md") and not settings.repo_url:
        return frag or "#"
    if settings.repo_url:
        action = "tree" if path.endswith("/") or "." not in path.rsplit("/", 1)[-1] else "blob"
        return settings.repo_file(path.rstrip("/"), action) + frag
    return target


def rewrite_links(markdown: str, settings: Settings, docs_dir: Path | None = None) -> str:
    """Rewrite relative link targets outside fenced code blocks."""
    parts = re.split(r"(^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)[^\n]*$)", markdown, flags=re.M | re.S)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append(part)
            continue
        part = _INLINE.sub(lambda m: m.group(1) + _rewrite(m.group(2), settings, docs_dir) + m.group(3), part)
        part = _REFDEF.sub(lambda m: m.group(1) + _rewrite(m.group(2), settings, docs_dir) + m.group(3), part)
        out.append(part)
    return "".join(out)


def render_contributing(root: Path, settings: Settings) -> GeneratedPage:
    path = Path(root) / "CONTRIBUTING.md"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        body = rewrite_links(text, settings, Path(root) / "docs")
        m = re.search(r"^#\s+(.+)$", body, re.M)
        title = m.group(1).strip() if m else "Contributing"
        if not m:
            body = "# Contributing\n\n" + body
        return GeneratedPage(SRC_URI, title, body, {"ev_kind": "contributing"})
    repo = f" in [the repository]({settings.repo_url})" if settings.repo_url else ""
    return GeneratedPage(SRC_URI, "Contributing",
                         f"# Contributing\n\nClaims are added and corrected by pull request{repo}. "
                         "A step-by-step guide will appear here.\n", {"ev_kind": "contributing"})
