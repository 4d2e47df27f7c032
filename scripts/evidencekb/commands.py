"""Subcommands beyond `check`: their arguments, and the typed call each one makes.

The CLI layer is the only place that knows argparse: each runner here turns a parsed
Namespace into the arguments of its stage's function (`build_site(project, site_dir,
strict)`, `write_exports(base, analysis, out)`, `new_claim(options, project)`, ...) and
calls it. Stage modules are imported only when their command runs, so `evidence check`
stays light. A stage that needs a checked base gets it from the one gate,
`checker.checked_base`; the CLI prints the refusal.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, cast

from .project import Project

if TYPE_CHECKING:
    from .export import ExportData
    from .writers.parallel import Ahead

Runner = Callable[[argparse.Namespace, Project], int]


def no_cache_option(p):
    p.add_argument("--no-cache", action="store_true",
                   help="read every file afresh, neither using nor writing the check cache "
                        "(as EVIDENCE_NO_CACHE=1)")


def _graph_args(p):
    p.add_argument("--out", default="graph-out", help="output folder (default: graph-out)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    no_cache_option(p)


def _build_args(p):
    p.add_argument("--site-dir", default=None, help="where the site goes (default: mkdocs.yml's site_dir)")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    no_cache_option(p)


def _serve_args(p):
    p.add_argument("--dev-addr", default="127.0.0.1:8000")


def _new_args(p):
    p.add_argument("--statement", metavar="TEXT", help="the finding in one or two sentences")
    p.add_argument("--id", metavar="ID", help="the claim id (default: made from the statement)")
    p.add_argument("--summary", metavar="TEXT", help="a short title for lists")
    p.add_argument("--type", metavar="TYPE", dest="claim_type",
                   help="claim type (e.g. mechanism, effectiveness)")
    p.add_argument("--theme", metavar="ID", action="append", dest="themes", default=[],
                   help="a theme id (repeatable)")
    p.add_argument("--setting", metavar="ID", action="append", dest="settings", default=[],
                   help="a setting id (repeatable)")
    p.add_argument("--population", metavar="ID", action="append", dest="populations", default=[],
                   help="a population id (repeatable)")
    p.add_argument("--outcome", metavar="ID", action="append", dest="outcomes", default=[],
                   help="an outcome id (repeatable)")
    p.add_argument("--scheme", metavar="ID", action="append", dest="schemes", default=[],
                   help="a scheme id (repeatable)")
    p.add_argument("--source", metavar="KEY", action="append", dest="sources", default=[],
                   help="a BibTeX key (repeatable)")
    p.add_argument("--locator", metavar="TEXT", action="append", dest="locators", default=[],
                   help="locator for each --source, in order")
    p.add_argument("--relation", metavar="RELATION", action="append", dest="relations", default=[],
                   help="how the sources bear on the claim (default: supports): once for all, or once per "
                   "--source")
    p.add_argument("--level", help="confidence level (e.g. moderate)")
    p.add_argument("--method",
                   help="rating method (e.g. CERQual); see the schema for each method's components")
    p.add_argument("--component", action="append", dest="components", default=[], metavar="NAME=VALUE",
                   help="a component judgement of the method, e.g. coherence=minor (repeatable)")
    p.add_argument("--rationale", metavar="TEXT", help="why this level, in plain English")
    p.add_argument("--caveat", metavar="TEXT", help="what someone citing the claim must say with it")
    p.add_argument("--contributor", metavar="NAME", help="your name")
    p.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    p.add_argument("--no-input", action="store_true",
                   help="never prompt; fail if something required is missing")


def _add_source_args(p):
    p.add_argument("file", nargs="?", default="-",
                   help="a .bib file with one or more entries, or - for standard input")
    p.add_argument("--doi", metavar="DOI",
                   help="fetch the work's details by its DOI (CSL-JSON from the DOI resolver) "
                   "instead of reading a file")
    p.add_argument("--resolver", metavar="URL", help="DOI resolver address (default https://doi.org/, or "
                   "EVIDENCE_DOI_RESOLVER)")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=15.0,
                   help="how long to wait for the resolver")
    p.add_argument("--key", help="use this key instead of the one given (single entry only)")
    p.add_argument("--design", metavar="ID", help="study design, e.g. ethnography, rct (see the method page)")
    p.add_argument("--country", metavar="ID", help="country code of the study, e.g. uk, usa")
    p.add_argument("--setting", metavar="ID", action="append", help="where the study took place (repeatable)")
    p.add_argument("--scheme", metavar="ID", action="append", dest="schemes",
                   help="a scheme or organisation the work describes (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="print the normalised entry without writing it")


def _bench_args(p):
    p.add_argument("--claims", type=int, action="append",
                   help="claim counts to measure (repeatable; default 1000, 3000 and 10000)")
    p.add_argument("--site-up-to", type=int, metavar="N",
                   help="build sites only for counts up to N (check and graph for all)")
    p.add_argument("--repeats", type=int, default=3,
                   help="runs of each command; min and median are reported (default 3)")
    p.add_argument("--sources", type=int, default=5000)
    p.add_argument("--skip-site", action="store_true")
    p.add_argument("--skip-browser", action="store_true")
    p.add_argument("--report", help="write the results as Markdown to this file")


# --- Namespace -> typed call ------------------------------------------------------------


def _options(cls, args: argparse.Namespace):
    """A stage's options record from the parsed arguments of the same names (lists as tuples)."""
    values = {}
    for f in dataclasses.fields(cls):
        if not hasattr(args, f.name):
            continue
        value = getattr(args, f.name)
        if isinstance(value, list):
            value = tuple(value)
        elif value is None and f.default == ():  # an `append` option never given
            value = ()
        values[f.name] = value
    return cls(**values)


def new_claim_options(args: argparse.Namespace):
    from .contribute import NewClaimOptions

    return _options(NewClaimOptions, args)


def add_source_options(args: argparse.Namespace):
    from .contribute import AddSourceOptions

    return _options(AddSourceOptions, args)


def run_graph(args: argparse.Namespace, project: Project) -> int:
    from .checker import checked_base
    from .export import AnalysisOutput, ExportData, analysis_output, check_out_dir, summary, write_exports
    from .memory import collector_paused, keep_to_exit
    from .progress import Progress
    from .safe_output import display

    out = check_out_dir(Path(args.out), project.root)  # refused (OutputRefused) before anything is done
    progress = Progress(enabled=not args.quiet)

    def prepare(base, busy):  # on a big base, while a child checks the rules and analyses
        # Imported here, once two cores share the work: pybtex's formatting and the writers
        # are a tenth of a second to import, and this process alone needs them.
        from .cite.harvard import in_text_labels
        from .cite.intext import render_base_by
        from .graph import build_graph
        from .writers import names
        from .writers.parallel import render_ahead

        with progress.phase("formatting citations", total=len(base.claims), bar=False):
            # The labels alone: no export holds a whole reference.
            labels, names_year = in_text_labels(base.sources)
            base = render_base_by(base, names_year)  # [@key] as "(Buck, 2021b)"
        with progress.phase("building the graph", total=len(base.claims), bar=False):
            # once, for the exports and the summary
            data = ExportData(base, graph=build_graph(base, labels))
            data.pos, data.nodes, data.edges  # noqa: B018  (what every graph format reads)
        with progress.phase("making graph formats while the analysis runs"):
            ahead = render_ahead(data, names(), busy, data.graph.number_of_nodes())
        return data, ahead

    with collector_paused():
        # The analysis reads no prose, so it may start from the base as written; what comes
        # back is the formats made of it (and the summary's counts), not the analysis.
        checked = checked_base(project, progress=progress, meanwhile=prepare, apart=analysis_output,
                               keep_scratch=True)
        data, ahead = cast("tuple[ExportData, Ahead]", checked.prepared)
        analysed = cast(AnalysisOutput, checked.prepared_apart)
        ahead.texts.update(analysed.texts)
        written = write_exports(data.base, None, out, project.root, progress=progress, data=data,
                                ready=ahead)
    if not args.quiet:
        print(summary(data, analysed))
        print(f"wrote {len(written)} files to {display(out)}")
    keep_to_exit(checked, data, ahead)
    return 0


def _print_warnings(checked) -> None:
    from .reporter import format_text

    for p in checked.warnings:
        print(format_text(p), file=sys.stderr)


def run_build(args: argparse.Namespace, project: Project) -> int:
    from .checker import checked_base
    from .site.build import build_site, preflight

    prepared = preflight(project, args.site_dir, strict=not args.no_strict)  # the site folder, refused first
    if isinstance(prepared, int):
        return prepared
    from .progress import Progress

    checked = checked_base(project, progress=Progress())
    _print_warnings(checked)
    try:
        return build_site(project, strict=not args.no_strict, checked=checked, prepared=prepared)
    except KeyboardInterrupt:
        return 130


def run_serve(args: argparse.Namespace, project: Project) -> int:
    from .checker import checked_base
    from .site.build import serve

    _print_warnings(checked_base(project))
    return serve(project, args.dev_addr)


def _contribute(command: str, call: Callable[[], int]) -> int:
    from .contribute import ContributeError

    try:
        return call()
    except ContributeError as exc:
        print(f"evidence {command}: {exc.message}", file=sys.stderr)
        return exc.code


def run_new(args: argparse.Namespace, project: Project) -> int:
    from .contribute import new_claim

    return _contribute("new", lambda: new_claim(new_claim_options(args), project))


def run_add_source(args: argparse.Namespace, project: Project) -> int:
    from .contribute import add_sources

    return _contribute("add-source", lambda: add_sources(add_source_options(args), project))


def run_bench(args: argparse.Namespace, project: Project) -> int:
    from .bench import bench

    return bench(project, counts=args.claims or (1000, 3000, 10000), max_sources=args.sources,
                 skip_site=args.skip_site, skip_browser=args.skip_browser,
                 report=Path(args.report) if args.report else None, repeats=args.repeats,
                 site_up_to=args.site_up_to)


def _release_args(p):
    p.add_argument("version", help="the release's version, e.g. 1.2.0")
    p.add_argument("--out", default="releases", help="folder for the archive (default: releases)")
    p.add_argument("--date", help="the release date, YYYY-MM-DD (default: today)")


def run_release(args: argparse.Namespace, project: Project) -> int:
    from .checker import checked_base
    from .release import ReleaseRefused, make_release, site_url

    base = checked_base(project).base
    try:
        path = make_release(project, base, args.version, Path(args.out), site_url(project.root),
                            date=args.date)
    except ReleaseRefused as exc:
        print(f"evidence release: {exc.message}", file=sys.stderr)
        return exc.code
    print(f"released {args.version}: {path} (CITATION.cff and .zenodo.json now say {args.version})")
    return 0


# name: (help, arguments, runner)
SUBCOMMANDS: dict[str, tuple[str, Callable, Runner]] = {
    "graph": ("build the claim–evidence graph, its analyses and exports", _graph_args, run_graph),
    "build": ("check, then build the site safely (the old site stays if the build fails)", _build_args,
              run_build),
    "serve": ("serve the site locally with live reload", _serve_args, run_serve),
    "new": ("scaffold a new claim file", _new_args, run_new),
    "add-source": ("add a BibTeX entry (e.g. from Zotero) to references.bib", _add_source_args,
                   run_add_source),
    "bench": ("measure check, graph, site and browser speed on synthetic bases", _bench_args, run_bench),
    "release": ("write a versioned, citable archive of the base and stamp its version", _release_args,
                run_release),
}


def register(sub, common) -> None:
    for name, (help_text, add_args, runner) in SUBCOMMANDS.items():
        p = sub.add_parser(name, parents=[common], help=help_text,
                           description=help_text[0].upper() + help_text[1:] + ".")
        add_args(p)
        p.set_defaults(func=runner)
