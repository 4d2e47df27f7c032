"""`evidence new`: a claim file that passes `evidence check` from the first save."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Mapping, TextIO

from ..model import Claim, Confidence, EvidenceLink, Source, Vocabulary, split_list
from ..project import Project
from .claim_file import (  # noqa: F401 (Draft, Link, render_claim: this module's API too)
    Draft,
    Link,
    render_claim,
    suggested_method,
    verify_claim_text,
    yaml_scalar,
)
from .common import (
    ContributeError,
    Prompter,
    SchemaInfo,
    check_claim_id,
    check_source_key,
    check_term,
    check_terms,
    check_text,
    claim_path,
    is_interactive,
    load_bibliography,
    load_schema_info,
    nearest,
    unique_id,
)
from .options import NewClaimOptions


def _split_component(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep:
        name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ContributeError(f"--component {raw!r}: write it as name=value, e.g. coherence=minor", 2)
    return name.strip().replace("-", "_"), value.strip()


def draft_from_options(options: NewClaimOptions, info: SchemaInfo, sources: Mapping[str, Source]) -> Draft:
    """Every flag checked against the schema and the bibliography; missing ones stay empty."""
    v = info.vocab
    d = Draft()
    if options.statement:
        d.statement = check_text(options.statement, "the statement", info.max_length("statement"))
    if options.summary:
        d.summary = check_text(options.summary, "the summary", info.max_length("summary"))
    if options.claim_type:
        d.claim_type = check_term(v["claim_type"], options.claim_type, "--type")
    d.themes = check_terms(v["theme"], options.themes or (), "--theme")
    for name, flag in (("settings", "--setting"), ("populations", "--population"), ("outcomes", "--outcome"),
                       ("schemes", "--scheme")):
        vname = info.list_vocab(name)
        given = getattr(options, name, None) or ()
        if given and vname and vname in v:
            setattr(d, name, check_terms(v[vname], given, flag))
    keys = [check_source_key(k, sources) for k in (options.sources or ())]
    locators = list(options.locators or ())
    relations = list(options.relations or ())
    if len(locators) > len(keys):
        raise ContributeError("more --locator than --source: give one --locator for each --source, in the "
                              "same order", 2)
    if len(relations) > 1 and len(relations) != len(keys):
        raise ContributeError("give one --relation for all sources, or one for each --source in the same "
                              "order", 2)
    for i, key in enumerate(keys):
        rel = relations[i] if len(relations) > 1 else (relations[0] if relations else _default_relation(info))
        rel = check_term(v["relation"], rel, "--relation")
        loc = check_text(locators[i], f"--locator for {key}") if i < len(locators) else ""
        d.evidence.append(Link(key, rel, loc))
    if options.method:
        d.method = check_term(v["method"], options.method, "--method")
    if options.level:
        d.level = check_term(v["level"], options.level, "--level")
    for raw in options.components or ():
        name, value = _split_component(raw)
        d.components[name] = value
    if d.components:
        if not d.method:
            raise ContributeError("--component needs --method (the components depend on the method)", 2)
        d.components = check_components(d.method, d.components, info)
    if options.rationale:
        d.rationale = check_text(options.rationale, "--rationale")
    if options.caveat:
        d.caveat = check_text(options.caveat, "--caveat")
    if options.contributor:
        d.contributors = (check_text(options.contributor, "--contributor"),)
    return d


def _default_relation(info: SchemaInfo) -> str:
    """The relation a source is linked by unless told otherwise: the schema's first 'for' relation."""
    supporting = info.meaning.relations("for")
    return supporting[0] if supporting else info.vocab["relation"].ids()[0]


def check_components(method: str, given: Mapping[str, str], info: SchemaInfo) -> dict[str, str]:
    wanted = info.components.get(method, {})
    out = {}
    for name, value in given.items():
        if name not in wanted:
            guess = nearest(name, wanted)
            hint = f"did you mean {guess!r}? " if guess else ""
            raise ContributeError(f"--component {name!r} is not a {method} component; {hint}"
                                  f"{method} uses: {', '.join(wanted)}")
        vname = wanted[name]
        out[name] = check_term(info.vocab[vname], value,
                               f"--component {name}") if vname in info.vocab else value
    return {n: out[n] for n in wanted if n in out}


def ceiling_for(draft: Draft, sources: Mapping[str, Source], info: SchemaInfo) -> tuple[str, str]:
    """The highest level the component judgements allow, by the checker's own rule."""
    from ..confidence import ceiling

    m = info.meaning
    claim = Claim(id=draft.id or "new", statement=draft.statement, claim_type=draft.claim_type,
                  themes=draft.themes,
                  evidence=tuple(EvidenceLink(e.source, e.relation, e.locator) for e in draft.evidence),
                  confidence=Confidence(draft.level or m.top, draft.method, dict(draft.components),
                                        draft.rationale),
                  added=draft.added, path="")
    return ceiling(claim, sources, m)


def ask_missing(d: Draft, info: SchemaInfo, sources: Mapping[str, Source], project: Project,
                ask: Prompter) -> None:
    """Fill what the flags left out, one question at a time: what the claim says, its evidence,
    its rating (if the contributor wants to rate it now), who they are."""
    ask.say("New claim — press Ctrl+C to stop; nothing is written until the end.")
    _ask_claim(d, info, project, ask)
    _ask_evidence(d, info, sources, ask)
    ask.say()
    rated = d.level and d.method and d.rationale
    if not rated and ask.yes("Rate your confidence now? (or fill it in the file later)"):
        _ask_rating(d, info, sources, ask)
    if not d.contributors:
        name = ask.text("Your name for the contributors list", default=_git_user(project.root),
                        required=False)
        d.contributors = (name,) if name else ()


def _ask_claim(d: Draft, info: SchemaInfo, project: Project, ask: Prompter) -> None:
    """The statement, its claim type and its themes."""
    v = info.vocab
    if not d.statement:
        ask.say()

        def statement(text: str) -> str:
            text = check_text(text, "the statement", info.max_length("statement"))
            if not d.id:
                unique_id(project, text, info)  # refuses a statement we already hold
            return text

        d.statement = ask.text("Statement", info.description("statement", "The finding in plain English."),
                               check=statement)
    if not d.claim_type:
        ask.say()
        (d.claim_type,) = ask.choose(v["claim_type"], "Claim type")
    if not d.themes:
        ask.say()
        d.themes = ask.choose(v["theme"], "Themes", many=True)


def _ask_evidence(d: Draft, info: SchemaInfo, sources: Mapping[str, Source], ask: Prompter) -> None:
    """The sources (keys already in references.bib), and each one's relation and locator."""
    v = info.vocab
    if not d.evidence:
        ask.say()

        def known_keys(text: str) -> str:
            keys = [check_source_key(k, sources) for k in split_list(text)]
            return ",".join(keys) or check_text("", "the list of sources")

        keys = ask.text("Sources", "BibTeX keys from references.bib, separated by commas "
                        "(add a new work first with `evidence add-source FILE`).", check=known_keys)
        for key in split_list(keys):
            d.evidence.append(Link(key, "", ""))
    for link in d.evidence:
        if not link.relation:
            (link.relation,) = ask.choose(v["relation"], f"How does {link.source} bear on the claim",
                                          default=_default_relation(info))
        if not link.locator:
            link.locator = ask.text(f"Locator in {link.source}", info.link_description("locator"),
                                    check=lambda s: check_text(s, "the locator"))


def _ask_rating(d: Draft, info: SchemaInfo, sources: Mapping[str, Source], ask: Prompter) -> None:
    """The method, its component judgements, then a level no higher than they allow (only the
    allowed levels are offered), the rationale and the caveat."""
    v = info.vocab
    if not d.method:
        suggestion = suggested_method(d.claim_type, info)
        (d.method,) = ask.choose(v["method"], "Method", default=suggestion)
    for name, vname in info.components.get(d.method, {}).items():
        if name not in d.components and vname in v:
            ask.say()
            (d.components[name],) = ask.choose(v[vname], name.replace("_", " ").capitalize())
    if not d.level:
        from ..confidence import allowed_levels

        allowed, why = ceiling_for(d, sources, info)
        ask.say()
        ask.say(f"The judgements allow at most {allowed!r} ({why}).")
        offered = set(allowed_levels(info.meaning, allowed))
        choices = Vocabulary(v["level"].name, v["level"].description,
                             tuple(t for t in v["level"].terms if t.id in offered), v["level"].meta)
        (d.level,) = ask.choose(choices, "Level", default=allowed)
    if not d.rationale:
        d.rationale = ask.text("Rationale",
                               "Why this level, in plain English: what the judgements rest on.")
    if not d.caveat:
        d.caveat = ask.text("Caveat", "What someone citing this claim must say with it (Enter to skip).",
                            required=False)


def _git_user(root: Path) -> str:
    try:
        r = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True,
                           timeout=5)
        return r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def require_complete(d: Draft) -> None:
    """What `new` cannot write a useful file without (the rating may wait for the template)."""
    missing = []
    if not d.statement:
        missing.append("--statement")
    if not d.claim_type:
        missing.append("--type")
    if not d.themes:
        missing.append("--theme")
    if not d.evidence:
        missing.append("--source (with --locator)")
    if missing:
        raise ContributeError("missing " + ", ".join(missing) + " (run it at a terminal without --no-input "
                              "to be asked instead)", 2)
    for link in d.evidence:
        if not link.locator:
            raise ContributeError(f"no --locator for source {link.source!r}: give one --locator for each "
                                  "--source, "
                                  "in the same order (e.g. --locator 'p. 45')", 2)


# --- writing the file --------------------------------------------------------------------


def write_new_file(path: Path, text: str) -> None:
    """Create the file, never replacing one (even one made a moment ago by someone else)."""
    try:
        fh = open(path, "x", encoding="utf-8", newline="\n")
    except FileExistsError:
        raise ContributeError(f"claims/{path.name} already exists: nothing was written. "
                              "Edit that file, or choose another id with --id.") from None
    except OSError as exc:
        raise ContributeError(f"cannot write claims/{path.name}: {exc.strerror}") from None
    try:
        with fh:
            fh.write(text)
    except OSError as exc:  # ours, and half written: take it away again
        path.unlink(missing_ok=True)
        raise ContributeError(f"cannot write claims/{path.name}: {exc.strerror}") from None


def new_claim(options: NewClaimOptions, project: Project, prompter: Prompter | None = None,
              out: TextIO | None = None,
              today: dt.date | None = None) -> int:
    """`evidence new`: write claims/<id>.yaml from what `options` gives and the answers to what it lacks."""
    out = out or sys.stdout
    info = load_schema_info(project)
    sources = load_bibliography(project)
    d = draft_from_options(options, info, sources)
    d.added = (today or dt.date.today()).isoformat()
    if options.id is not None:
        d.id = check_claim_id(options.id, info)
        path = claim_path(project, d.id)
        if path.exists() or path.with_suffix(".yml").exists():
            raise ContributeError(f"{project.relative(path)} already exists: nothing was written. "
                                  "Edit that file, or choose another id with --id.")
    if not d.id and d.statement:  # refuse a repeated statement before asking anything else
        d.id = unique_id(project, d.statement, info)
    interactive = prompter is not None or is_interactive(options.no_input)
    if interactive:
        ask_missing(d, info, sources, project, prompter or Prompter())
    require_complete(d)
    if not d.id:
        d.id = unique_id(project, d.statement, info)
    path = claim_path(project, d.id)
    text = render_claim(d, info)
    verify_claim_text(text, d)
    if options.dry_run:
        out.write(text)
        return 0
    if not project.claims_dir.is_dir():
        raise ContributeError(f"no claims/ folder in {project.root}")
    write_new_file(path, text)
    rel = project.relative(path)
    print(f"Wrote {rel}", file=out)
    _report_remaining(project, rel, out)
    return 0


def _report_remaining(project: Project, rel: str, out: TextIO) -> None:
    """Say what `evidence check` will still ask for in the new file, so the template is a to-do list."""
    from ..checker import BaseHasErrors, checked_base
    from ..reporter import format_text

    try:
        errors, warnings = [], list(checked_base(project, only={rel}).warnings)
    except BaseHasErrors as exc:
        errors, warnings = list(exc.problems), list(exc.warnings)
    if not errors and not warnings:
        print("It passes `evidence check`. Review it, then open a pull request.", file=out)
        return
    if errors:
        print(f"Still to do before it passes `evidence check` ({len(errors)} "
              f"{'error' if len(errors) == 1 else 'errors'}):", file=out)
    else:
        print("It passes `evidence check`, with these warnings:", file=out)
    for p in errors + warnings:
        print("  " + format_text(p), file=out)


