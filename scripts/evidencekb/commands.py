"""Subcommands beyond `check`. Each lives in the module of its pipeline stage,
which defines `add_arguments(name, parser)` and `run(name, args, project) -> int`.

Modules are imported only when their command runs, so `evidence check` stays
light; argument definitions are therefore kept here, in one table.
"""

from __future__ import annotations

import importlib



def _graph(p):
    p.add_argument("--out", default="graph-out", help="output folder (default: graph-out)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _build(p):
    p.add_argument("--site-dir", default=None, help="where the site goes (default: mkdocs.yml's site_dir)")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")


def _serve(p):
    p.add_argument("--dev-addr", default="127.0.0.1:8000")


def _new(p):
    p.add_argument("--statement", metavar="TEXT", help="the finding in one or two sentences")
    p.add_argument("--id", metavar="ID", help="the claim id (default: made from the statement)")
    p.add_argument("--summary", metavar="TEXT", help="a short title for lists")
    p.add_argument("--type", metavar="TYPE", dest="claim_type", help="claim type (e.g. mechanism, effectiveness)")
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
                   help="how the sources bear on the claim (default: supports): once for all, or once per --source")
    p.add_argument("--level", help="confidence level (e.g. moderate)")
    p.add_argument("--method", help="rating method (e.g. CERQual); see the schema for each method's components")
    p.add_argument("--component", action="append", dest="components", default=[], metavar="NAME=VALUE",
                   help="a component judgement of the method, e.g. coherence=minor (repeatable)")
    p.add_argument("--rationale", metavar="TEXT", help="why this level, in plain English")
    p.add_argument("--caveat", metavar="TEXT", help="what someone citing the claim must say with it")
    p.add_argument("--contributor", metavar="NAME", help="your name")
    p.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    p.add_argument("--no-input", action="store_true", help="never prompt; fail if something required is missing")


def _add_source(p):
    p.add_argument("file", nargs="?", default="-", help="a .bib file with one or more entries, or - for standard input")
    p.add_argument("--doi", metavar="DOI", help="fetch the work's details by its DOI (CSL-JSON from the DOI resolver) "
                   "instead of reading a file")
    p.add_argument("--resolver", metavar="URL", help="DOI resolver address (default https://doi.org/, or "
                   "EVIDENCE_DOI_RESOLVER)")
    p.add_argument("--timeout", metavar="SECONDS", type=float, default=15.0, help="how long to wait for the resolver")
    p.add_argument("--key", help="use this key instead of the one given (single entry only)")
    p.add_argument("--design", metavar="ID", help="study design, e.g. ethnography, rct (see the method page)")
    p.add_argument("--country", metavar="ID", help="country code of the study, e.g. uk, usa")
    p.add_argument("--setting", metavar="ID", action="append", help="where the study took place (repeatable)")
    p.add_argument("--scheme", metavar="ID", action="append", dest="schemes",
                   help="a scheme or organisation the work describes (repeatable)")
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
