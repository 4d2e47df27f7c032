"""MkDocs event handlers: the site is generated inside MkDocs' own build.

- on_config:   find the project, add the package's theme overrides, CSS and JS (from the
               package, so any project with this package installed gets them, whatever
               folder its mkdocs.yml sits in).
- on_pre_build: check and analyse the base once (cached between `mkdocs serve` rebuilds);
               a base with errors stops the build with every problem as path:line:col.
- on_files:    add every generated page and data file as a MkDocs File; the many claim
               and source pages are `not_in_nav` (mkdocs.yml), so the build stays linear.
- on_page_markdown: fill <!-- evidence:NAME --> markers in hand-written pages.
- on_page_content / on_post_page: put each generated page's HTML blocks in place of their
               placeholders (searchable ones before the search plugin reads the page, the
               rest into the finished page), so Markdown never parses generated HTML.
- on_page_context: the head tags a page asks for (Highwire citation_* on source pages).
- on_serve:    rebuild when claims/ or references.bib change.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from ..project import Project

log = logging.getLogger("mkdocs.plugins.evidencekb")

PACKAGE = Path(__file__).resolve().parent
THEME_DIR = PACKAGE / "theme"
ASSETS_DIR = PACKAGE / "assets"
ASSET_URL = "assets/evidencekb/"
CSS = ("site.css",)
JS = ("site.js", "pack.js")
MARKER = re.compile(r"<!--\s*evidence:([a-z-]+)\s*-->")

_state: dict = {}
_mode: dict = {"command": None}  # survives on_config, which runs again on every `serve` rebuild


def on_startup(command, dirty, **kwargs):
    _mode["command"] = command


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    _state.clear()
    _state["project"] = Project(root)
    theme_dir = str(THEME_DIR)
    if theme_dir not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
    for css in CSS:
        if ASSET_URL + css not in config.extra_css:
            config.extra_css.append(ASSET_URL + css)
    for js in JS:
        if ASSET_URL + js not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(ASSET_URL + js)
    return config


def _settings(config):
    from .common import Settings

    return Settings.from_config(config)


def on_pre_build(config, **kwargs):
    from ..reporter import format_text
    from .data import BaseHasErrors, load

    try:
        _state["data"] = load(_state["project"])
    except BaseHasErrors as exc:
        lines = "\n".join(format_text(p) for p in exc.problems)
        raise PluginError(f"the evidence base has {len(exc.problems)} error(s); fix them and build again "
                          f"(`evidence check` lists them too):\n{lines}") from None
    history = getattr(_state["data"], "history", None)
    if history is not None and not history.available and not _state.get("told_history"):
        log.info("evidence: %s", history.reason)  # said once: claim pages then show no history
        _state["told_history"] = True
    from . import worker

    if worker.available(_mode["command"]):
        _state["worker"] = worker.FileWorker(_state["data"], _settings(config), Path(config["site_dir"]))


def _files(config) -> dict[str, str]:
    from .render import render_files

    data = _state["data"]
    key = ("files", _settings(config))
    if key not in data.memo:
        data.memo[key] = render_files(data, key[1])
    return data.memo[key]


def _rendered(config):
    """Pages and files for these settings; memoised with the data, so a rebuild in
    `mkdocs serve` with unchanged inputs renders nothing again."""
    from .render import render_pages

    data = _state["data"]
    settings = _settings(config)
    if settings not in data.memo:
        data.memo[settings] = render_pages(data, settings, contributing=False)
    return data.memo[settings]


def on_files(files, config, **kwargs):
    pages = _rendered(config)
    added: list[File] = []
    chunks = _state["chunks"] = {}
    from .contributing import render_contributing

    for page in [*pages, render_contributing(_state["project"].root, _settings(config))]:
        added.append(File.generated(config, page.src_uri, content=page.markdown()))
        chunks[page.src_uri] = page.chunks()
    graph = _graph_page(config)
    if graph is not None:
        added.append(graph)
    if "worker" not in _state:  # no second process: make the data files here (cached under `serve`)
        for path, text in _files(config).items():
            added.append(File.generated(config, path, content=text.encode("utf-8")))
    for asset in sorted(p for p in ASSETS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = asset.relative_to(ASSETS_DIR).as_posix()
        if asset.suffix == ".md":  # a notice to copy as it is, not a page to render
            f = File.generated(config, ASSET_URL + rel + ".txt", abs_src_path=str(asset))
            f.dest_uri = ASSET_URL + rel
        else:
            f = File.generated(config, ASSET_URL + rel, abs_src_path=str(asset))
        added.append(f)
    for f in added:
        existing = files.get_file_from_path(f.src_uri)
        if existing is not None and existing.generated_by is None:
            raise PluginError(f"docs/{f.src_uri} clashes with a generated page; pages under claims/, sources/, "
                              "themes/, browse/ ... are made from the data: remove the hand-written file")
        if existing is not None:
            files.remove(existing)
        files.append(f)
    return files


def _graph_page(config):
    from .common import GeneratedPage

    data = _state["data"]
    key = ("graph", _settings(config))
    if key not in data.memo:
        try:
            from .graphview import render_graph_page
        except ImportError:  # the explorer is optional: the rest of the site stands alone
            data.memo[key] = None
        else:
            # graphview counts author nodes for its text alternative; the analysis knows them
            # already, so the explorer's JSON need not be made (or parsed) for this page.
            authors = {"nodes": [{"kind": "author"}] * len(data.analysis.authors)}
            labels = {k: ref.label for k, ref in data.references.items()}
            page = render_graph_page(data.base, authors, labels=labels)
            data.memo[key] = GeneratedPage("graph/index.md", "Graph explorer", page.markdown, {"ev_kind": "graph"})
    page = data.memo[key]
    return File.generated(config, page.src_uri, content=page.markdown()) if page else None


def on_page_markdown(markdown, page, config, files, **kwargs):
    if "<!--" not in markdown:
        return markdown
    from .common import depth_root
    from .render import BLOCKS, render_block

    data = _state["data"]
    settings = _settings(config)
    root = depth_root(page.url)

    def fill(m):
        name = m.group(1)
        if name not in BLOCKS:
            raise PluginError(f"{page.file.src_uri}: unknown marker <!-- evidence:{name} -->; "
                              f"known: {', '.join(sorted(BLOCKS))}")
        return f"\n\n{render_block(name, data, settings, root)}\n\n"  # blank lines: a raw HTML block

    return MARKER.sub(fill, markdown)


def on_page_content(html, page, config, files, **kwargs):
    """Searchable blocks go in before Material's search plugin reads the page."""
    from .common import fill, separate_cells

    chunks = _state.get("chunks", {}).get(page.file.src_uri)
    return separate_cells(fill(html, chunks, search=True) if chunks else html)


def on_post_page(output, page, config, **kwargs):
    """The rest go into the finished HTML: neither Markdown nor the indexer parses them."""
    chunks = _state.get("chunks", {}).get(page.file.src_uri)
    if not chunks:
        return output
    from .common import fill

    return fill(output, chunks, search=False)


def on_page_context(context, page, config, nav, **kwargs):
    """Head tags from page.meta, rendered (escaped) by templates/head.html, printed by the
    theme's extrahead block."""
    from .templating import render

    meta = page.meta or {}
    tags = [pair for pair in meta.get("highwire") or () if isinstance(pair, (list, tuple)) and len(pair) == 2]
    context["ev_head"] = render("head.html", tags=tags) if tags else ""
    context["ev_kind"] = meta.get("ev_kind", "")
    return context


def on_serve(server, config, builder, **kwargs):
    project = _state.get("project")
    if project is not None:
        for path in (project.claims_dir, project.bib_path, project.root / "CONTRIBUTING.md"):
            if path.exists():
                server.watch(str(path))
    return server


def on_post_build(config, **kwargs):
    """Move in the files the second process made, then write their sizes on the downloads page."""
    site_dir = Path(config["site_dir"])
    job = _state.pop("worker", None)
    if job is not None:
        try:
            job.finish(site_dir)
        except RuntimeError as exc:
            raise PluginError(str(exc)) from None
    _fill_sizes(site_dir)


def _fill_sizes(site_dir: Path) -> None:
    from .overview import size_text

    page = site_dir / "downloads" / "index.html"
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")

    def size(m):
        f = site_dir / "data" / m.group(1)
        return m.group(0) + (size_text(f.stat().st_size) if f.is_file() else "")

    page.write_text(re.sub(r'<td data-ev-size="([^"/]+)">', size, html), encoding="utf-8")


def on_build_error(error, **kwargs):
    job = _state.pop("worker", None)
    if job is not None:
        job.abandon()
