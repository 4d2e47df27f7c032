"""MkDocs event handlers: the site is generated inside MkDocs' own build.

- on_config:   find the project, add the package's theme overrides, CSS and JS (from the
               package, so any project with this package installed gets them, whatever
               folder its mkdocs.yml sits in).
- on_pre_build: check and analyse the base once (cached between `mkdocs serve` rebuilds);
               a base with errors stops the build with every problem as path:line:col.
- on_files:    add every generated page and data file as a MkDocs File; the many claim
               and source pages are `not_in_nav` (mkdocs.yml), so the build stays linear.
- on_page_markdown: fill <!-- evidence:NAME --> markers in hand-written pages.
- on_page_content / on_post_page: a generated page's HTML and table of contents are made
               here, not by Python-Markdown (its File holds only front matter); its blocks go
               in place of their placeholders (searchable ones before the search plugin reads
               the page, the rest into the finished page).
- on_page_context: the head tags a page asks for (Highwire citation_* on source pages).
- on_serve:    rebuild when claims/ or references.bib change.
- on_startup / on_config / on_shutdown: for `mkdocs build` and `evidence build` alike, the
               site folder is checked (safe_output: never a project source, never a folder
               we did not make), the build goes to a temporary sibling, and on_shutdown
               swaps it in only if the whole build succeeded (strict warnings included).
- on_post_build: the second process's files, download sizes, then the Pagefind index.
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
JS = ("site.js", "search.js", "pack.js")
MARKER = re.compile(r"<!--\s*evidence:([a-z-]+)\s*-->")

_state: dict = {}
_mode: dict = {"command": None}  # survives on_config, which runs again on every `serve` rebuild


def on_startup(command, dirty, **kwargs):
    _mode["command"] = command


def on_shutdown(**kwargs):
    """Publish the staged site if the build got through (strict mode's warning count is
    checked after on_post_build, so success is known only now), else delete it. Signals
    wait until this is done: the swap and the cleanup are never cut in half."""
    from ..interrupts import held_signals
    from ..safe_output import os_error_text

    with held_signals():
        stage = _mode.pop("stage", None)
        stack = _mode.pop("signals", None)
        ok = _mode.pop("built", False) and not _mode.pop("failed", False)
        _mode.pop("failed", None)
        _mode["command"] = None
        job = _state.pop("worker", None)
        try:
            if job is not None:  # an interrupt skips on_build_error: stop the child here
                job.abandon()
            if stage is not None and ok:
                try:
                    stage.commit()
                except OSError as exc:
                    raise PluginError(
                        f"could not put the new site in place: {os_error_text(exc)}; "
                        "the previous site is untouched"
                    ) from None
        finally:
            if stage is not None:
                stage.discard()
            if stack is not None:
                stack.close()


def _stage_site(config, root: Path) -> None:
    """`mkdocs build` and `evidence build` alike: refuse a site folder that is a project
    source or not ours, then build into a temporary sibling (swapped in by on_shutdown)."""
    import contextlib

    from ..interrupts import interrupts_as_keyboard
    from ..safe_output import SITE_MARKER, OutputRefused, Staging
    from .build import check_site_dir

    if "stage" in _mode:
        return
    try:
        target = check_site_dir(Path(config["site_dir"]), root, Path(config["docs_dir"]))
    except OutputRefused as exc:
        raise PluginError(str(exc)) from None
    stage = Staging(target, SITE_MARKER, "A site built by `evidence build` / `mkdocs build`.")
    signals = contextlib.ExitStack()  # SIGTERM/SIGHUP reach on_shutdown's cleanup as an interrupt
    signals.enter_context(interrupts_as_keyboard())
    _mode["stage"], _mode["signals"] = stage, signals  # known to on_shutdown before the folder exists
    try:
        stage.__enter__()
    except OSError as exc:
        from ..safe_output import os_error_text

        raise PluginError(f"cannot write beside {target}: {os_error_text(exc)}") from None
    config["site_dir"] = str(stage.path)


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    if _mode["command"] == "build":
        _stage_site(config, root)
    elif _mode["command"] == "gh-deploy":  # deployed from site_dir itself: refused if a source, not staged
        from ..safe_output import OutputRefused
        from .build import check_site_dir

        try:
            check_site_dir(Path(config["site_dir"]), root, Path(config["docs_dir"]))
        except OutputRefused as exc:
            raise PluginError(str(exc)) from None
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
        raise PluginError(
            f"the evidence base has {len(exc.problems)} error(s); fix them and build again "
            f"(`evidence check` lists them too):\n{lines}"
        ) from None
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
    generated = _state["pages"] = {}
    from .contributing import render_contributing

    graph = _graph_page(config)
    for page in [
        *pages,
        render_contributing(_state["project"].root, _settings(config)),
        *([graph] if graph else []),
    ]:
        added.append(File.generated(config, page.src_uri, content=page.markdown()))
        generated[page.src_uri] = page
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
            raise PluginError(
                f"docs/{f.src_uri} clashes with a generated page; pages under claims/, sources/, "
                "themes/, browse/ ... are made from the data: remove the hand-written file"
            )
        if existing is not None:
            files.remove(existing)
        files.append(f)
    return files


def _graph_page(config):
    from .common import GeneratedPage, heading, raw

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
            data.memo[key] = GeneratedPage(
                "graph/index.md",
                "Graph explorer",
                [heading(1, "Graph explorer"), raw(page.html)],
                {"ev_kind": "graph"},
            )
    return data.memo[key]


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
            raise PluginError(
                f"{page.file.src_uri}: unknown marker <!-- evidence:{name} -->; "
                f"known: {', '.join(sorted(BLOCKS))}"
            )
        return f"\n\n{render_block(name, data, settings, root)}\n\n"  # blank lines: a raw HTML block

    return MARKER.sub(fill, markdown)


def on_page_content(html, page, config, files, **kwargs):
    """A generated page's own HTML and table of contents replace what Markdown made of its
    (empty) body; searchable blocks go in before Material's search plugin reads the page."""
    from .common import fill, separate_cells

    generated = _state.get("pages", {}).get(page.file.src_uri)
    if generated is None:
        return separate_cells(html)
    if generated.is_html:
        from mkdocs.structure.toc import get_toc

        html = generated.html()
        page.toc = get_toc(generated.toc())
    return separate_cells(fill(html, generated.chunks(), search=True))


def on_post_page(output, page, config, **kwargs):
    """The rest go into the finished HTML: neither Markdown nor the indexer parses them;
    then the regions Pagefind indexes are marked (site/search.py)."""
    from .search import mark

    generated = _state.get("pages", {}).get(page.file.src_uri)
    if generated is not None and generated.chunks():
        from .common import fill

        output = fill(output, generated.chunks(), search=False)
    return mark(output, (page.meta or {}).get("ev_kind", ""))


def on_page_context(context, page, config, nav, **kwargs):
    """Head tags from page.meta, rendered (escaped) by templates/head.html, printed by the
    theme's extrahead block."""
    from .templating import render

    meta = page.meta or {}
    tags = [pair for pair in meta.get("highwire") or () if isinstance(pair, (list, tuple)) and len(pair) == 2]
    context["ev_head"] = render("head.html", tags=tags) if tags else ""
    context["ev_kind"] = meta.get("ev_kind", "")
    if "data" in _state:
        from .search import page_fields

        context["ev_search"] = page_fields(_state["data"], page.file.src_uri, context["ev_kind"], meta)
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
    _index_for_search(site_dir)
    _mode["built"] = True


def _index_for_search(site_dir: Path) -> None:
    """Pagefind indexes the finished pages (also under `mkdocs serve`, so search works there
    too). Without the binary the site still builds; its search box says search is unavailable."""
    from .search import index_site

    project = _state.get("project")
    problem = index_site(site_dir, project.root if project is not None else None)
    if problem:
        log.warning("search index not built: %s", problem)


def _fill_sizes(site_dir: Path) -> None:
    from .downloads import size_text

    page = site_dir / "downloads" / "index.html"
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")

    def size(m):
        f = site_dir / "data" / m.group(1)
        return m.group(0) + (size_text(f.stat().st_size) if f.is_file() else "")

    page.write_text(re.sub(r'<td data-ev-size="([^"/]+)">', size, html), encoding="utf-8")


def on_build_error(error, **kwargs):
    _mode["failed"] = True
    job = _state.pop("worker", None)
    if job is not None:
        job.abandon()
