"""Subcommands beyond `check`. Each lives in the module of its pipeline stage,
which defines `add_arguments(name, parser)` and `run(name, args, project) -> int`.

Modules are imported only when their command runs, so `evidence check` stays
light; argument definitions are therefore kept here, in one table.
"""

from __future__ import annotations

import importlib

from .project import Project


def _graph(p):
    p.add_argument("--out", default="graph-out", help="output folder (default: graph-out)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _build(p):
    p.add_argument("--site-dir", default=None, help="where the site goes (default: mkdocs.yml's site_dir)")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")


def _serve(p):
    p.add_argument("--dev-addr", default="127.0.0.1:8000")


def _new(p):
    p.add_argument("--statement", help="the finding in one or two sentences")
    p.add_argument("--id", help="the claim id (default: made from the statement)")
    p.add_argument("--type", dest="claim_type", help="claim type (e.g. mechanism, effectiveness)")
    p.add_argument("--theme", action="append", dest="themes", default=[], help="a theme id (repeatable)")
    p.add_argument("--source", action="append", dest="sources", default=[], help="a BibTeX key (repeatable)")
    p.add_argument("--locator", action="append", dest="locators", default=[], help="locator for each --source, in order")
    p.add_argument("--relation", default="supports", help="relation of the sources (default: supports)")
    p.add_argument("--contributor", help="your name")
    p.add_argument("--no-input", action="store_true", help="never prompt; fail if something required is missing")


def _add_source(p):
    p.add_argument("file", nargs="?", default="-", help="a .bib file with one or more entries, or - for standard input")
    p.add_argument("--key", help="use this key instead of the one given (single entry only)")
    p.add_argument("--dry-run", action="store_true", help="print the normalised entry without writing it")


def _bench(p):
    p.add_argument("--claims", type=int, action="append", help="claim counts to measure (repeatable; default 1000 and 10000)")
    p.add_argument("--sources", type=int, default=5000)
    p.add_argument("--skip-site", action="store_true")
    p.add_argument("--skip-browser", action="store_true")
    p.add_argument("--report", help="write the results as Markdown to this file")


# name: (module, help, arguments)
SUBCOMMANDS = {
    "graph": ("evidencekb.export", "build the claim–evidence graph, its analyses and exports", _graph),
    "build": ("evidencekb.site.build", "check, then build the site safely (the old site stays if the build fails)", _build),
    "serve": ("evidencekb.site.build", "serve the site locally with live reload", _serve),
    "new": ("evidencekb.contribute", "scaffold a new claim file", _new),
    "add-source": ("evidencekb.contribute", "add a BibTeX entry (e.g. from Zotero) to references.bib", _add_source),
    "bench": ("evidencekb.bench", "measure check, graph, site and browser speed on synthetic bases", _bench),
}


def register(sub, common) -> None:
    for name, (module, help_text, add_args) in SUBCOMMANDS.items():
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        add_args(p)
        p.set_defaults(func=_runner(name, module))


def _runner(name: str, module: str):
    def run(args) -> int:
        from .cli import _project

        project = _project(args)
        if project is None:
            return 2
        mod = importlib.import_module(module)
        return mod.run(name, args, project)

    return run
