"""Shared helpers of the contribute tests (evidence new, evidence add-source)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from evidencekb import contribute
from evidencekb.checker import check_project
from evidencekb.cli import build_parser, main
from evidencekb.commands import add_source_options, new_claim_options
from evidencekb.contribute import Prompter
from evidencekb.project import Project

TODAY = dt.date.today().isoformat()

FULL = [
    "--statement",
    "Peer mentors' own stories of change give mentees hope.",
    "--type",
    "mechanism",
    "--theme",
    "how-mentoring-works",
    "--source",
    "lee2019book",
    "--locator",
    "p. 4",
    "--source",
    "smith2020trial",
    "--locator",
    "pp. 10-12",
    "--method",
    "CERQual",
    "--component",
    "methodological_limitations=minor",
    "--component",
    "coherence=no-or-very-minor",
    "--component",
    "adequacy=moderate",
    "--component",
    "relevance=no-or-very-minor",
    "--level",
    "moderate",
    "--rationale",
    "Two studies agree.",
    "--caveat",
    "Small samples.",
    "--no-input",
]
MINIMAL = [
    "--statement",
    "Mentors listen first.",
    "--type",
    "mechanism",
    "--theme",
    "how-mentoring-works",
    "--source",
    "lee2019book",
    "--locator",
    "p. 4",
    "--no-input",
]


def args_for(command: str, root: Path, *argv: str):
    """The options record the CLI would hand the stage for these arguments."""
    args = build_parser().parse_args([command, "--root", str(root), *argv])
    return new_claim_options(args) if command == "new" else add_source_options(args)


def new(project, *argv, prompter=None):
    out = io.StringIO()
    code = contribute.new_claim(
        args_for("new", project.root, *argv), Project(project.root), prompter=prompter, out=out
    )
    return code, out.getvalue()


def run(command, project, *argv, capsys=None):
    return main([command, "--root", str(project.root), *argv])


def errors_in(project, rel):
    result = check_project(Project(project.root), only={rel})
    return [p for p in result.problems if p.is_error]


def scripted(*answers):
    it = iter(answers)

    def ask(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return Prompter(ask=ask, out=io.StringIO())
