"""The benchmark's browser half: what a reader waits for and what a page view fetches.

- Bytes per page view: every response a page fetches until the network is idle (HTML, CSS,
  JS, fonts, data), raw and gzipped (the local server does not compress, so the gzipped size
  is computed from each body, as a static host with compression would send it).
- Search: from a loaded page, the time from the end of typing (the last input event, in the
  page's own clock) to the word's first result drawn, and the bytes fetched for it; a rare
  word and a word on almost every page, each in a fresh page (cold caches), repeated; typed
  at a reader's pace (the verdict), at once, and after a pause.
- Graph explorer: load to interactive with at least a given number of nodes in its data
  (a real graph: see `real_graph`), and how many of them were drawn.
"""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import time
from pathlib import Path

from .bench_tools import CHROMIUM_FLAGS, serve

PAGE_KINDS = {
    "home": "",
    "claim page": "claims/{claim}/",
    "claims table": "browse/claims/",
    "graph page": "graph/",
}
SCRIPT_TYPES = ("document", "stylesheet", "script")

WATCH_SEARCH = """(word) => {
  const input = document.getElementById('ev-search-input');
  const list = document.querySelector('.ev-search__results');
  window.__ev = {first: null, last: null, t1: null};
  input.addEventListener('input', () => {
    const now = performance.now();
    if (window.__ev.first === null) window.__ev.first = now;
    window.__ev.last = now;
  }, true);
  // The answer to the whole word: results drawn for it (not for a prefix typed on the way).
  new MutationObserver(() => {
    if (window.__ev.t1 === null && list.getAttribute('data-ev-query') === word && list.querySelector('a'))
      window.__ev.t1 = performance.now();
  }).observe(list, {childList: true, subtree: true, attributes: true});
}"""


class Fetches:
    """Responses seen by a page: (url, resource type, raw bytes, gzipped bytes). Bodies are
    read after the page settles (`rows`), not inside the event, where some were lost."""

    def __init__(self, page):
        self.responses: list = []
        self._rows: list[tuple[str, str, int, int]] = []
        page.on("response", lambda response: self.responses.append(response))

    @property
    def rows(self) -> list[tuple[str, str, int, int]]:
        for response in self.responses[len(self._rows) :]:
            try:
                body = response.body()
            except Exception:  # redirects and aborted requests have no body
                body = b""
            self._rows.append(
                (
                    response.url,
                    response.request.resource_type,
                    len(body),
                    len(gzip.compress(body, 6)) if body else 0,
                )
            )
        return self._rows

    def totals(self, since: int = 0, types=None) -> tuple[int, int]:
        rows = [r for r in self.rows[since:] if types is None or r[1] in types]
        return sum(r[2] for r in rows), sum(r[3] for r in rows)


def page_bytes(browser, base: str, claim: str) -> dict:
    out = {}
    for kind, path in PAGE_KINDS.items():
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        seen = Fetches(page)
        page.goto(base + path.format(claim=claim))
        page.wait_for_load_state("networkidle")
        raw, gz = seen.totals()
        code_raw, code_gz = seen.totals(types=SCRIPT_TYPES)
        out[kind] = {
            "raw": raw,
            "gzip": gz,
            "code_gzip": code_gz,
            "data_gzip": gz - code_gz,
            "requests": len(seen.responses),
        }
        page.close()
    return out


READER_PAUSE_S = 0.5  # between clicking into the box and the first keystroke, for the third figure
READER_KEY_GAP_S = 0.15  # between keystrokes at a reader's pace (a fast typist: 80 words a minute)
# The verdict's figure scatters by about 50 ms either way from one fresh page to the next (where
# the keystrokes fall against Pagefind's scoring of the letters on the way): it is taken this many
# times as often as the other figures, so its median does not turn on one or two pages.
PACED_PER_REPEAT = 3


def _one_search(browser, base: str, word: str, pause_s: float, key_gap_s: float) -> dict:
    """In a fresh page: seconds from the last keystroke (typing done) and from the first one
    to the word's first result drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(WATCH_SEARCH, word)
        page.locator("#ev-search-input").click()
        if pause_s:
            page.wait_for_timeout(pause_s * 1000)
        page.keyboard.type(word, delay=key_gap_s * 1000)
        page.wait_for_function("() => window.__ev.t1 !== null", timeout=60000)
        first, last, t1 = page.evaluate("[window.__ev.first, window.__ev.last, window.__ev.t1]")
        return {"after_typing_s": (t1 - last) / 1000, "from_first_key_s": (t1 - first) / 1000,
                "typing_s": (last - first) / 1000}
    finally:
        page.close()


def search_bytes(browser, base: str, word: str, key_gap_s: float) -> int:
    """Gzipped bytes a first search fetches, in an untimed fresh page: from pointing at the box
    until the word's first result is drawn and the network is idle. Every body is taken as it
    passes (page and workers alike: a worker the search stops takes its bodies with it, and
    the page's response events lose them), and each address counts once, as the browser's
    cache would serve it again (a fresh worker fetches the same files)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    bodies: dict[str, int] = {}
    counting = [False]

    def take(route):
        response = route.fetch()
        if counting[0]:
            body = response.body()
            bodies.setdefault(route.request.url.split("?", 1)[0], len(gzip.compress(body, 6)) if body else 0)
        route.fulfill(response=response)

    try:
        context.route("**/*", take)
        page = context.new_page()
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(WATCH_SEARCH, word)
        counting[0] = True
        page.locator("#ev-search-input").click()
        page.keyboard.type(word, delay=key_gap_s * 1000)
        page.wait_for_function("() => window.__ev.t1 !== null", timeout=60000)
        page.wait_for_load_state("networkidle")
        return sum(bodies.values())
    finally:
        context.unroute_all(behavior="ignoreErrors")  # a route still in flight (a stopped worker's)
        context.close()


def search_latency(browser, base: str, word: str, repeats: int) -> dict:
    """Timed from the last keystroke, when typing is done, in three ways, each in fresh pages:
    - the verdict (in PACED_PER_REPEAT times as many pages): typed at a reader's pace right
      after clicking into the box, so Pagefind's start (begun on pointing at the box) and the
      searches for the letters on the way are inside it, as they are for a reader;
    - typed at once (a paste; the harness sends the keys one by one over the DevTools
      protocol, so the time from the first keystroke is reported too);
    - typed at a reader's pace after a pause, once Pagefind has started.
    Bytes fetched (`search_bytes`, untimed): the larger of a reader's pace and at once."""
    paced = [_one_search(browser, base, word, 0.0, READER_KEY_GAP_S)
             for _ in range(repeats * PACED_PER_REPEAT)]
    at_once = [_one_search(browser, base, word, 0.0, 0.0) for _ in range(repeats)]
    paused = [_one_search(browser, base, word, READER_PAUSE_S, READER_KEY_GAP_S) for _ in range(repeats)]
    med = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    return {
        "median_s": med(paced, "after_typing_s"),
        "min_s": min(r["after_typing_s"] for r in paced),
        "max_s": max(r["after_typing_s"] for r in paced),
        "paced_repeats": len(paced),
        "key_gap_s": READER_KEY_GAP_S,
        "at_once_median_s": med(at_once, "after_typing_s"),
        "from_first_key_median_s": med(at_once, "from_first_key_s"),
        "typing_median_s": med(at_once, "typing_s"),
        "paused_median_s": med(paused, "after_typing_s"),
        "pause_s": READER_PAUSE_S,
        "gzip_bytes": max(search_bytes(browser, base, word, gap) for gap in (READER_KEY_GAP_S, 0.0)),
        "repeats": repeats,
    }


def real_graph(site_graph: dict, n_nodes: int, schema: Path, work: Path) -> tuple[dict, list[str]]:
    """The explorer data of a synthetic base big enough for `n_nodes` (the same generator,
    checker and export.site_graph as a build), so the explorer is timed on a real
    graph's shape, not a trimmed one, and the base's theme ids in vocabulary order (for its
    parts). The base is sized from the site's own nodes per claim."""
    from .checker import checked_base
    from .export import site_graph as make_site_graph
    from .project import Project
    from .synthetic import generate

    n_claims_site = sum(1 for x in site_graph["nodes"] if x["kind"] == "claim") or 1
    per_claim = max(1.0, len(site_graph["nodes"]) / n_claims_site)
    n_claims = int(n_nodes / per_claim * 1.05) + 1
    for _ in range(3):
        root = work / f"explorer-base-{n_claims}"
        generate(root, n_claims, max(10, n_claims // 2), schema)
        base = checked_base(Project(root)).base
        graph = make_site_graph(base)
        themes = [t.id for t in base.vocabularies["theme"].terms]
        shutil.rmtree(root, ignore_errors=True)
        if len(graph["nodes"]) >= n_nodes:
            break
        n_claims = int(n_claims * 1.2) + 1
    return graph, themes


def _open_graph(browser, base: str, query: str) -> tuple[float, dict]:
    """Wall seconds from navigation to interactive, and what the page says it drew, when
    (its own clock, from navigation start) and the data bytes it fetched (gzipped)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    seen_bytes = Fetches(page)
    start = time.perf_counter()
    page.goto(base + "graph/" + query)
    page.wait_for_function("window.evidenceGraph && window.evidenceGraph.ready === true", timeout=120000)
    wall = time.perf_counter() - start
    seen = page.evaluate(
        "({nodes: evidenceGraph.graph.order, edges: evidenceGraph.graph.size,"
        " drawn: evidenceGraph.visibleNodeCount(), readyAt: evidenceGraph.readyAt,"
        " timings: Object.assign({}, evidenceGraph.timings || {}, {readyAt: evidenceGraph.readyAt})})"
    )
    page.wait_for_load_state("networkidle")
    seen["data_gzip"] = sum(r[3] for r in seen_bytes.rows if "/data/" in r[0])
    page.close()
    return wall, seen


def _swap_in(site: Path, graph: dict, themes: list[str]) -> None:
    """Write a graph's data/graph.json (the download) and the explorer's own lean files (the
    whole graph, graph/all.json, and the theme parts: site/graphparts.py) into the built site,
    as a build writes them (restored after)."""
    from .site.graphparts import graph_parts

    (site / "data" / "graph.json").write_text(json.dumps(graph, separators=(",", ":")), encoding="utf-8")
    for name, text in graph_parts(graph, themes).items():
        (site / "data" / name).write_text(text, encoding="utf-8")


def _figures(runs: list, n: int | str, made: bool) -> dict:
    walls = [w for w, _ in runs]
    clock = [x["readyAt"] / 1000 for _, x in runs]
    seen = runs[-1][1]
    return {
        # what a reader waits: navigation start to interactive, in the page's own clock
        f"graph_interactive_s_{n}": statistics.median(clock),
        f"graph_interactive_min_s_{n}": min(clock),
        f"graph_interactive_wall_s_{n}": statistics.median(walls),
        f"graph_nodes_{n}": seen["nodes"],
        f"graph_drawn_{n}": seen["drawn"],
        f"graph_timings_{n}": seen["timings"],
        f"graph_where_{n}": (
            f"{'real graph of a synthetic base' if made else 'the site graph'}: {seen['nodes']:,} nodes, "
            f"{seen['edges']:,} edges, {seen['data_gzip'] / 1e6:.2f} MB gzipped fetched, "
            f"{seen['drawn']:,} drawn at the whole-graph zoom; page clock median of {len(runs)}, "
            f"min {min(clock):.2f} s; wall with the harness {statistics.median(walls):.2f} s"
        ),
    }


def explorer(
    browser, base: str, site: Path, node_counts, schema: Path | None = None, repeats: int = 3
) -> dict:
    """Load to interactive of the site's whole graph (graph/?theme=all), then for each n of a
    graph of about n nodes, and the opening view (graph/: one theme's part) of the same data.

    When the site's own graph is not between n and 1.5 n nodes and `schema` is given, the
    data of a synthetic base of about n nodes is swapped in for the measurement (the page is
    the site's); without a schema the site's own graph is measured, and the output says how
    many nodes that was."""
    out: dict = {}
    data_dir = site / "data"
    if not (data_dir / "graph.json").exists() or not (site / "graph" / "index.html").exists():
        return {"browser_error": "the site has no graph page or data/graph.json"}
    parts = sorted((data_dir / "graph").glob("*.json"))
    saved = {p: p.read_bytes() for p in [data_dir / "graph.json", *parts]}
    full = json.loads(saved[data_dir / "graph.json"])
    out["graph_nodes_full"] = len(full["nodes"])
    try:
        whole = [_open_graph(browser, base, "?theme=all") for _ in range(max(1, repeats))]
        out.update(_figures(whole, "full", False))
        for n in node_counts:
            # Measured on a graph of about n nodes: a site graph far bigger or smaller than n
            # would answer another question (the whole site graph is measured above).
            made = schema is not None and not n <= len(full["nodes"]) <= 1.5 * n
            if made and schema is not None:
                _swap_in(site, *real_graph(full, n, schema, site.parent))
            runs = [_open_graph(browser, base, "?theme=all") for _ in range(max(1, repeats))]
            out.update(_figures(runs, n, made))
            _, opening = _open_graph(browser, base, "")
            out[f"graph_open_{n}"] = {"s": opening["readyAt"] / 1000, "nodes": opening["nodes"],
                                      "drawn": opening["drawn"], "data_gzip": opening["data_gzip"]}
    finally:
        for path in (data_dir / "graph").glob("*.json"):
            if path not in saved:
                path.unlink()
        for path, body in saved.items():
            path.write_bytes(body)
    return out


def browser_figures(
    site: Path,
    claim: str,
    rare: str,
    common: str,
    repeats: int = 3,
    node_counts=(5000,),
    schema: Path | None = None,
) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        try:
            out["page_bytes"] = page_bytes(browser, base, claim)
            out["search_rare"] = dict(search_latency(browser, base, rare, repeats), word=rare)
            out["search_common"] = dict(search_latency(browser, base, common, repeats), word=common)
            out.update(explorer(browser, base, site, node_counts, schema, repeats))
        finally:
            browser.close()
    return out


def opening_lines(r: dict, n: int = 5000) -> list[str]:
    """The report's line on the explorer's opening view (graph/: one theme's part)."""
    o = r.get(f"graph_open_{n}")
    if not o:
        return []
    return [
        f"Opening view of the same data (graph/, one theme's part): interactive at {o['s']:.2f} s, "
        f"{o['drawn']:,} of {o['nodes']:,} loaded nodes drawn, {o['data_gzip'] / 1000:.0f} KB data fetched."
    ]
