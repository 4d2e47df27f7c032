"""The `evidence` command. Exit codes: 0 clean, 1 problems found, 2 bad usage.

The CLI parses, finds the project, calls the command's runner with both, and says why it
stopped: a base that fails the gate (`checker.checked_base`) is reported here, once, for
every command that needs a checked base.
"""

from __future__ import annotations

import os
import signal
import sys


def _quiet_exit(signum, frame):  # an interrupt while the command is still starting up
    raise SystemExit(130)


if os.path.basename(sys.argv[0]) in ("evidence", "evidence.exe", "__main__.py"):  # run as the command only
    for _sig in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, _sig):
            signal.signal(getattr(signal, _sig), _quiet_exit)

import argparse  # noqa: E402  (after the handlers: an early Ctrl-C is no traceback)
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from .project import Project, find_root  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code 2 is what we want; keep its message short
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _project(root: str | None) -> Project | None:
    found = Path(root) if root else find_root()
    if found is None or not found.is_dir():
        where = root or Path.cwd()
        print(f"evidence: no evidence project at {where} (looked for claims/claim.schema.json or "
              "references.bib); "
              "use --root", file=sys.stderr)
        return None
    return Project(found.resolve())


def cmd_check(args: argparse.Namespace, project: Project) -> int:
    from .checker import check_project
    from .reporter import write_report

    only = None
    if args.files:
        from .checker import UsageError, paths_to_report
        try:
            only = paths_to_report(project, args.files)
        except UsageError as exc:
            print(f"evidence check: {exc}", file=sys.stderr)
            return 2
    from .progress import Progress

    # Phases go to stderr, and only beside a text report: json and github are read by machines.
    result = check_project(project, only=only, progress=Progress(enabled=args.format == "text"))
    problems = result.problems if not args.errors_only else result.errors
    write_report(problems, result.base, args.format, sys.stdout, show_stats=args.stats)
    if result.errors:
        return 1
    if args.strict and result.warnings:
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="evidence", description="Check, graph and publish a claim–evidence knowledge base.")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__import__('evidencekb').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    common = _Parser(add_help=False)
    common.add_argument("--root",
                        help="the project folder (default: the nearest folder above holding claims/)")

    p = sub.add_parser("check", parents=[common], help="validate claims and sources",
                       description="Validate every claim and source; print every problem as path:line:col.")
    p.add_argument("files", nargs="*", metavar="PATH",
                   help="report only problems in these claim files, folders of claims or references.bib "
                        "(the whole base is still checked)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text")
    p.add_argument("--stats", action="store_true", help="also print counts of claims, sources and links")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--errors-only", action="store_true", help="do not print warnings")
    p.set_defaults(func=cmd_check)

    from . import commands  # later subcommands register themselves here
    commands.no_cache_option(p)
    commands.register(sub, common)
    return parser


def _refuse(command: str, exc) -> int:
    """A base with errors: every error, then that nothing was done."""
    from .reporter import format_text

    for p in exc.problems:
        print(format_text(p), file=sys.stderr)
    print(f"evidence {command}: {exc} in the evidence base; fix them first (see `evidence check`); "
          "nothing was changed", file=sys.stderr)
    return 1


def run() -> NoReturn:
    """The console command: `main()`, then the process ends without freeing its objects.

    Why: after `evidence graph` at 10,000 claims, the interpreter spends about 0.4 s freeing
    a million objects one by one. Everything the command wrote is closed and swapped in by
    then; the exit handlers (a site build's helper process, its staging folder) still run
    and the output is flushed, so only that freeing is skipped (as mypy does). With other
    threads still running, the exit is the ordinary one."""
    import atexit
    import threading

    from .memory import ending_with_exit

    ending_with_exit()
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    getattr(atexit, "_run_exitfuncs", lambda: None)()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # before the command's own handling started (parsing, imports)
        print("evidence: interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if getattr(args, "no_cache", False):  # for this process and any it starts (the site build's)
        os.environ["EVIDENCE_NO_CACHE"] = "1"

    def call(args):
        project = _project(args.root)
        if project is None:
            return 2
        return args.func(args, project)

    return run_guarded(call, args)


def run_guarded(func, args) -> int:
    """Every command's faults as one line `evidence: ...`, never a traceback: a base with
    errors (every error, then the refusal), interrupts (SIGINT, SIGTERM, SIGHUP; a second
    one while cleaning up is ignored), a refused output path (2), the environment (a full
    disk, a read-only folder: 1). EVIDENCE_DEBUG=1 shows an unexpected error's traceback."""
    from .checker import BaseHasErrors
    from .forked import stop_all
    from .interrupts import interrupts_as_keyboard
    from .safe_output import OutputRefused, discard_all, os_error_text

    try:
        with interrupts_as_keyboard():
            try:
                return func(args)
            finally:
                stop_all()  # wherever an interrupt landed, no child process
                discard_all()  # and no temporary folder outlives the command
    except BaseHasErrors as exc:
        return _refuse(args.command, exc)
    except KeyboardInterrupt:
        print("evidence: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OutputRefused as exc:
        print(f"evidence {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"evidence {args.command}: {os_error_text(exc)}; nothing was changed", file=sys.stderr)
        return 1
    except (MemoryError, RecursionError) as exc:
        print(f"evidence: {type(exc).__name__}: the input is too large or too deeply nested", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug, but still one line for the user
        if os.environ.get("EVIDENCE_DEBUG") == "1":
            raise
        from .reporter import escape_control

        print(f"evidence: internal error: {type(exc).__name__}: {escape_control(exc)} "
              "(run with EVIDENCE_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return 1
