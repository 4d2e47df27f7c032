"""`evidence bench`: how check, graph, site and browser scale, against honest floors.

Each figure is a ratio to a baseline measured in the same run on the same machine, so it
means the same on a slow CI box as on a laptop, and each is made to be fair:
- every command runs as its own process (imports count, on both sides), `repeats` times,
  with the minimum and median of wall and CPU time (CPU includes the processes a command
  waits for: the site build's second process and the search indexer);
- the site build's peer is a plain Material build of as many pages, each carrying as much
  article HTML as our average page (not fewer bytes);
- linearity is the marginal cost per claim between consecutive sizes (three or more), which
  fixed costs cannot flatter;
- page weight counts every byte a page view fetches (HTML, CSS, JS and data files), gzipped;
- search latency is keystroke to first result drawn on an already loaded page.
The machine's load is printed with every figure: on a shared machine, read medians as upper
bounds. Nothing here asserts; docs/performance.md records what the bench reported.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from .bench_report import report_markdown, targets, verdict_lines
from .bench_tools import CHROMIUM_FLAGS, figure, load, machine, serve, timed  # noqa: F401  (re-exported for tests)
from .safe_output import replace_file

NOTES_MARK = "<!-- notes below are written by hand; evidence bench keeps them -->"
REPO_FILES = ("mkdocs.yml", "docs", "scripts/mkdocs_hooks.py", "CONTRIBUTING.md")
BARE_PARSE = (
    "import sys, glob, yaml\nfrom pybtex.database import parse_file\n"
    "L = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
    "for f in sorted(glob.glob(sys.argv[1] + '/claims/*.yaml')):\n"
    "    yaml.load(open(f, encoding='utf-8').read(), Loader=L)\n"
    "parse_file(sys.argv[1] + '/references.bib')\n"
)


def _copy_site_config(repo: Path, root: Path) -> None:
    for rel in REPO_FILES:
        src, dst = repo / rel, root / rel
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)


def article_bytes(site: Path, sample: int = 200) -> int:
    """Mean bytes of the <article> HTML of the site's pages (a sample, spread evenly)."""
    import re

    pages = sorted(site.rglob("*.html"))
    step = max(1, len(pages) // sample)
    sizes = []
    for p in pages[::step]:
        m = re.search(r"<article[^>]*>(.*?)</article>", p.read_text(encoding="utf-8"), re.S)
        if m:
            sizes.append(len(m.group(1).encode("utf-8")))
    return sum(sizes) // max(1, len(sizes))


def plain_project(root: Path, n_pages: int, html_bytes: int) -> Path:
    """The peer: a plain Material site (its default search on) of as many pages, each with
    as much article HTML as ours."""
    docs = root / "docs"
    (docs / "pages").mkdir(parents=True)
    para = (
        "<p>Peer mentors offer time, encouragement and a lived example; the evidence for this is mixed "
        "and mostly qualitative, so read the confidence rating before citing it.</p>\n"
    )
    body = para * max(1, html_bytes // len(para))
    for i in range(n_pages):
        (docs / "pages" / f"page-{i:05d}.md").write_text(
            f"# Page {i}\n\n<div>\n{body}</div>\n", encoding="utf-8"
        )
    (docs / "index.md").write_text("# Plain site\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nnav:\n  - index.md\n"
        "not_in_nav: |\n  /pages/\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    return root


def _site_sizes(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    bundle = site / "pagefind"
    return {
        "site_bytes": sum(p.stat().st_size for p in files),
        "html_pages": sum(p.suffix == ".html" for p in files),
        "search_bundle_bytes": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
        if bundle.exists()
        else 0,
    }


def _rare_word(root: Path) -> str:
    """A word on very few pages: one synthetic author's surname (a source page or two)."""
    import re

    bib = (root / "references.bib").read_text(encoding="utf-8")
    names = re.findall(r"(Author\d{4}),", bib)
    return min(sorted(set(names)), key=names.count) if names else "zzzz"


def timed_cold_and_warm(cmd: list[str], root: Path, repeats: int) -> tuple[dict, dict]:
    """(cold, warm) figures of a command that may use the check cache: cold runs each start
    with an empty cache folder of their own (the first run on a machine, or after a change
    of the code), warm runs share one that a first, untimed run filled (an unchanged base
    checked again). EVIDENCE_CACHE_DIR points the command there; the user's cache is untouched."""
    with tempfile.TemporaryDirectory(prefix="evidence-bench-cache-") as tmp:
        runs = [timed(cmd, root, 1, env={"EVIDENCE_CACHE_DIR": str(Path(tmp, f"cold-{i}"))})
                for i in range(max(1, repeats))]
        warm_env = {"EVIDENCE_CACHE_DIR": str(Path(tmp, "warm"))}
        timed(cmd, root, 1, env=warm_env)  # fills the cache
        warm = timed(cmd, root, repeats, env=warm_env)
    return _merged(runs), warm


def _merged(runs: list[dict]) -> dict:
    """One figure from single runs, as timed gives for repeats."""
    return figure([r["wall_min"] for r in runs], [r["cpu_min"] for r in runs], [r["load"] for r in runs])


def _time_check(r: dict, root: Path, repeats: int, log) -> None:
    """The ratio is judged cold: the floor has no cache to lean on."""
    py, n = sys.executable, r["claims"]
    r["bare"] = timed([py, "-c", BARE_PARSE, str(root)], root, repeats)
    r["check"], r["check_warm"] = timed_cold_and_warm([py, "-m", "evidencekb", "check", "--root", str(root)],
                                                      root, repeats)
    r["check_ratio"] = r["check"]["wall_median"] / r["bare"]["wall_median"]
    r["check_cpu_ratio"] = r["check"]["cpu_median"] / r["bare"]["cpu_median"]
    log(
        f"[{n}] check cold {_fig(r['check'])}; warm {_fig(r['check_warm'])}; bare parse with imports "
        f"{_fig(r['bare'])}; ratio (cold) {r['check_ratio']:.2f} wall, {r['check_cpu_ratio']:.2f} CPU"
    )


def _time_graph(r: dict, root: Path, work: Path, repeats: int, log) -> None:
    """`evidence graph` cold (an empty cache each run) and warm (the cache filled by a first run)."""
    n = r["claims"]
    cmd = [sys.executable, "-m", "evidencekb", "graph", "--root", str(root), "--out", str(work / f"g-{n}"),
           "--quiet"]
    r["graph"], r["graph_warm"] = timed_cold_and_warm(cmd, root, repeats)
    log(f"[{n}] evidence graph with all exports: cold {_fig(r['graph'])}; warm {_fig(r['graph_warm'])}")


def _time_site(r: dict, repo: Path, root: Path, work: Path, repeats: int, log) -> Path:
    from .site.pagefind_binary import ENV_OVERRIDE, find_indexer
    from .site.search import pagefind_command

    py, n = sys.executable, r["claims"]
    _copy_site_config(repo, root)
    site = work / f"site-{n}"
    # The synthetic base lives in a temporary folder without the project's node_modules:
    # its build is told which indexer the project would use. The check cache is off, as
    # before it existed: each build reads the base afresh.
    indexer = find_indexer(repo)
    env = {"EVIDENCE_NO_CACHE": "1"}
    if indexer is not None:
        env[ENV_OVERRIDE] = str(indexer.path)
        r["pagefind"] = f"Pagefind {indexer.version_text} from {indexer.origin}"
    r["site"] = timed([py, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)], root, repeats, env=env)
    r.update(_site_sizes(site))
    r["article_bytes"] = article_bytes(site)
    cmd = pagefind_command(site, "pagefind-bench", repo, indexer)
    if cmd:
        r["index"] = timed(cmd, site, repeats)
        r["index_share"] = r["index"]["wall_median"] / r["site"]["wall_median"]
        shutil.rmtree(site / "pagefind-bench", ignore_errors=True)
    peer = plain_project(work / f"plain-{n}", r["html_pages"], r["article_bytes"])
    r["plain"] = timed([py, "-m", "mkdocs", "build", "-q", "--site-dir", str(work / f"plain-site-{n}")], peer,
                       repeats)
    r["site_ratio"] = r["site"]["wall_median"] / r["plain"]["wall_median"]
    r["site_cpu_ratio"] = r["site"]["cpu_median"] / r["plain"]["cpu_median"]
    log(
        f"[{n}] site build {_fig(r['site'])}; plain Material build of {r['html_pages']:,} pages of "
        f"{r['article_bytes']:,} article bytes {_fig(r['plain'])}; ratio {r['site_ratio']:.2f} wall, "
        f"{r['site_cpu_ratio']:.2f} CPU; search index {r.get('index_share', 0) * 100:.0f}% of the build"
    )
    return site


def _time_browser(r: dict, repo: Path, root: Path, site: Path, repeats: int, log) -> None:
    try:
        from .bench_browser import browser_figures

        args = (site, "synthetic-claim-00000", _rare_word(root), "mentor", repeats)
        r.update(browser_figures(*args, schema=repo / "claims" / "claim.schema.json"))
    except Exception as exc:  # a missing browser is a finding to report, not a crash
        r["browser_error"] = f"{type(exc).__name__}: {exc}"
    log(f"[{r['claims']}] browser: " + (r.get("browser_error") or _browser_line(r)))


def _browser_line(r: dict) -> str:
    ms = lambda which, key: r[which].get(key, 0) * 1000  # noqa: E731
    return (f"search {ms('search_rare', 'median_s'):.0f} ms rare, {ms('search_common', 'median_s'):.0f} ms "
            f"common, typed at a reader's pace (at once: {ms('search_rare', 'at_once_median_s'):.0f} / "
            f"{ms('search_common', 'at_once_median_s'):.0f} ms; after a pause: "
            f"{ms('search_rare', 'paused_median_s'):.0f} / {ms('search_common', 'paused_median_s'):.0f} ms); "
            f"explorer {r.get('graph_interactive_s_5000', 0):.2f} s with "
            f"{r.get('graph_nodes_5000', 0):,} nodes ({r.get('graph_drawn_5000', 0):,} drawn); "
            f"whole site graph {r.get('graph_interactive_s_full', 0):.2f} s with "
            f"{r.get('graph_nodes_full', 0):,} nodes")


def bench_steps(skip_site: bool, browser: bool) -> int:
    """How many measured steps bench_one takes (for the progress bar)."""
    return 3 + (0 if skip_site else 1 + int(browser))


def bench_one(
    repo: Path,
    n_claims: int,
    n_sources: int,
    work: Path,
    skip_site: bool,
    skip_browser: bool,
    log,
    repeats: int = 3,
    browser: bool = True,
) -> dict:
    from .synthetic import generate

    r: dict = {"claims": n_claims, "sources": n_sources, "load_start": load()}
    root = work / f"base-{n_claims}"
    generate(root, n_claims, n_sources, repo / "claims" / "claim.schema.json")
    log(f"[{n_claims}] generated {n_claims:,} claims, {n_sources:,} sources; load {load():.1f}")
    _time_check(r, root, repeats, log)
    _time_graph(r, root, work, repeats, log)
    if skip_site:
        return r
    site = _time_site(r, repo, root, work, repeats, log)
    if browser and not skip_browser:
        _time_browser(r, repo, root, site, repeats, log)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(work / f"plain-site-{n_claims}", ignore_errors=True)
    r["load_end"] = load()
    return r


def _fig(m: dict) -> str:
    return (
        f"{m['wall_median']:.2f} s wall (min {m['wall_min']:.2f}), {m['cpu_median']:.2f} s CPU, "
        f"{m['repeats']}×, load {m['load']:.1f}"
    )


def marginal(results: list[dict], what: str = "site") -> list[tuple[int, int, float]]:
    """(from, to, ms a claim) between consecutive sizes: the cost of one more claim."""
    rows = [(r["claims"], r[what]["wall_median"]) for r in results if what in r]
    pairs = zip(rows, rows[1:], strict=False)
    return [(a, b, 1000 * (tb - ta) / (b - a)) for (a, ta), (b, tb) in pairs if b > a]


def _refuse_arguments(counts: Sequence[int], max_sources: int, repeats: int, report,
                      repo: Path) -> str | None:
    if any(n < 10 for n in counts) or max_sources < 1 or repeats < 1:
        return "--claims must be at least 10, --sources and --repeats at least 1"
    if report:  # an unwritable report is found now, not after the whole bench has run
        from .safe_output import refuse_file_reason

        return refuse_file_reason(Path(report), repo, "--report")
    return None


def _write_report(report: Path, results: list[dict], started: str, log) -> None:
    notes = ""  # the hand-written part of the page (profiles, what changed) is kept
    if report.is_file() and NOTES_MARK in (old := report.read_text(encoding="utf-8")):
        notes = old[old.index(NOTES_MARK) :]
    text = report_markdown(results, started, marginal(results))
    replace_file(report, text + ("\n" + notes if notes else ""))
    log(f"wrote {report}")


def bench(
    project,
    counts: Sequence[int] = (1000, 3000, 10000),
    max_sources: int = 5000,
    skip_site: bool = False,
    skip_browser: bool = False,
    report: Path | None = None,
    repeats: int = 3,
    site_up_to: int | None = None,
) -> int:
    """`evidence bench`: check, graph, site and browser on synthetic bases of `counts` claims.
    Figures go to stdout; a bar of the steps goes to stderr on a terminal."""
    from .progress import Progress

    counts = sorted(counts)
    why = _refuse_arguments(counts, max_sources, repeats, report, project.root)
    if why:
        print(f"evidence bench: {why}", file=sys.stderr)
        return 2
    log(f"machine: {machine()}; load {load():.1f} (1-minute average)")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = []
    site_up_to = site_up_to or counts[-1]
    with_site = [n for n in counts if n <= site_up_to]
    plan = [(n, skip_site or n > site_up_to, bool(with_site) and n == with_site[-1]) for n in counts]
    total = sum(bench_steps(no_site, browser and not skip_browser) for _, no_site, browser in plan)
    with tempfile.TemporaryDirectory(prefix="evidence-bench-") as tmp, Progress(min_items=1).phase(
        "bench steps", total=total
    ) as bar:

        def step(msg: str) -> None:
            log(msg)
            bar.advance()

        for n, no_site, browser in plan:
            sources = min(max_sources, max(10, n // 2))
            results.append(bench_one(project.root, n, sources, Path(tmp), no_site, skip_browser, step,
                                     repeats, browser=browser))
            shutil.rmtree(Path(tmp) / f"base-{n}", ignore_errors=True)
    for a, b, ms in marginal(results):
        log(f"marginal site build cost {a:,} -> {b:,} claims: {ms:.1f} ms a claim")
    for line in verdict_lines(targets(results)):
        log(line)
    replace_file(Path(tempfile.gettempdir(), "evidence-bench-results.json"), json.dumps(results, indent=1))
    if report:
        _write_report(Path(report), results, started, log)
    return 0


def log(msg: str) -> None:
    print(msg, flush=True)
