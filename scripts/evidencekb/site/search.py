"""Site search with Pagefind: what each page gives the index, and the index itself.

Why Pagefind: Material's lunr search makes every visitor download the whole index and
build it in the browser (about 10 s to a first result at 10,000 claims); Pagefind splits
its index into small fragments, so a search fetches only the parts its words need.

What a reader searches, and only that, is indexed:
- claim pages: the heading, statement and caveat, the rationale, and the evidence table's
  sources and quotes or notes (the rating line, judgements, profile, related claims,
  citation and edit links are not findings);
- source pages: the label, the title and the authors;
- theme pages: the name and description; hand-written pages: their article.
Every other generated page (tables, indexes, the map) is left out: it only repeats claims.

Regions are marked after the page is rendered (`mark`), by the class names the page
modules give them, so the page markup stays the page modules' business; parts inside a
region that are not findings carry `data-search-exclude`, which the indexer is told to skip.
Filters (kind, theme, claim type, confidence, setting) and the result's badge and type
come from the data, not from scraping the page (`page_fields`, printed by main.html).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .common import claim_heading, title, titles

BUNDLE = "pagefind"  # folder of the index inside the site; the search box loads it from there
EXCLUDE = "[data-search-exclude]"
REGIONS = {  # page kind -> class names of the elements that are indexed
    "claim": ("ev-claim-head", "ev-why", "ev-evidence"),
    "source": ("ev-source-head",),
    "theme": ("ev-theme-head",),
}
_REGION = {
    kind: re.compile(r'(<(?:div|table) class="(?:%s)(?: [^"]*)?")' % "|".join(map(re.escape, names)))
    for kind, names in REGIONS.items()
}
GENERATED_UNSEARCHED = ("table", "map", "gaps", "downloads", "graph")


def mark(html: str, kind: str) -> str:
    """Put data-pagefind-body on the page's searchable regions (claim, source and theme
    pages). Other pages are marked whole by the template, or not at all."""
    pattern = _REGION.get(kind)
    if pattern is None:
        return html
    return pattern.sub(r"\1 data-pagefind-body", html)


def _person(p) -> str:
    return " ".join(x for x in (p.given, p.particle, p.family, p.suffix) if x)


def page_fields(data, src_uri: str, kind: str, meta: dict) -> dict:
    """What main.html prints for the indexer: whether the whole article is indexed (`body`),
    filters and result metadata as (name, value) pairs, and extra indexed text."""
    base = data.base
    out: dict = {"body": False, "filters": [], "meta": [], "text": ""}
    parts = src_uri.split("/")
    if kind == "claim" and len(parts) == 3:
        claim = base.claim(parts[1])
        if claim is None:
            return out
        level = claim.confidence.level
        confidence = title(base, "level", level)
        kind_title = title(base, "claim_type", claim.claim_type)
        out["filters"] = (
            [("kind", "Claim"), ("type", kind_title), ("confidence", confidence)]
            + [("theme", t) for t in titles(base, "theme", claim.themes)]
            + [("setting", s) for s in titles(base, "setting", claim.settings)]
        )
        out["meta"] = [
            ("level", level),
            ("confidence", confidence + " confidence"),
            ("type", kind_title),
            ("title", claim_heading(claim)),
        ]
    elif kind == "source" and len(parts) == 3:
        source = _source_by_slug(data).get(parts[1])
        if source is None:
            return out
        names = ", ".join(_person(p) for p in (*source.authors, *source.editors))
        out["filters"] = [("kind", "Source")]
        out["meta"] = [("type", "Source")]
        out["text"] = f"By {names}." if names else ""
    elif kind == "theme":
        out["filters"] = [("kind", "Theme")]
        out["meta"] = [("type", "Theme")]
    elif not kind and not (meta.get("search") or {}).get("exclude"):
        out["body"] = True
        out["filters"] = [("kind", "Page")]
        out["meta"] = [("type", "Page")]
    return out


def _source_by_slug(data) -> dict:
    from ..site_paths import source_slug

    key = "search:source-slugs"
    if key not in data.memo:
        data.memo[key] = {source_slug(k): s for k, s in data.base.sources.items()}
    return data.memo[key]


def pagefind_command(
    site_dir: Path, bundle: str = BUNDLE, project_root: Path | None = None, indexer=None
) -> list[str] | None:
    """The indexer's command line (`indexer`, else the newest Pagefind installed: see
    pagefind_binary), or None when no Pagefind runs here."""
    from .pagefind_binary import find_indexer

    indexer = indexer or find_indexer(project_root)
    if indexer is None:
        return None
    return [
        str(indexer.path),
        "--site",
        str(site_dir),
        "--output-subdir",
        bundle,
        "--exclude-selectors",
        EXCLUDE,
        "--force-language",
        "en",
        "--silent",
    ]


def index_site(site_dir: Path, project_root: Path | None = None) -> str | None:
    """Index the built site into site_dir/pagefind/. Returns None when done, else one line
    saying why not (the search box then says search is unavailable)."""
    cmd = pagefind_command(site_dir, BUNDLE, project_root)
    if cmd is None:
        return "no Pagefind binary runs here: pip install 'pagefind[bin]' (or npm ci for the newer one)"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Pagefind did not run: {exc}"
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        return f"Pagefind failed (exit {proc.returncode}): {detail[-1] if detail else 'no message'}"
    return None
