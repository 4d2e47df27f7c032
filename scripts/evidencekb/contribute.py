"""`evidence new` and `evidence add-source`: the contributor's side of the base.

A researcher with a paper in hand should get from "I read this" to a file that
passes `evidence check` without learning the schema first. So `new` writes a
claim with every value it was given checked against the schema's vocabularies
and the bibliography, and a commented template (allowed values read from the
schema) for everything else; `add-source` turns whatever a reference manager
exports into an entry in our conventions, and refuses a work we already hold.

Both refuse rather than guess: an unknown theme, a key that is not in
references.bib, an id that would escape claims/, an existing file, a
duplicate work. Nothing is written unless the result reads back through the
project's own parsers to exactly what was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TextIO

from .model import Claim, Confidence, EvidenceLink, Position, Source, Vocabulary, split_list
from .project import Project

SCHEMA_LINE = "# yaml-language-server: $schema=claim.schema.json"
AUTO_ID_MAX = 60  # shorter than the schema's limit: a made-up id is a handle, not the statement
WRAP = 92


class ContributeError(Exception):
    """A refusal the contributor can act on; `code` is the exit status (1 data, 2 usage)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message, self.code = message, code


# --------------------------------------------------------------------------------------------
# What the schema says (read once a command, never copied into code)


@dataclass(frozen=True)
class SchemaInfo:
    schema: Mapping
    vocab: Mapping[str, Vocabulary]
    # method -> ordered {component: vocabulary name}
    components: Mapping[str, Mapping[str, str]]

    def prop(self, name: str) -> Mapping:
        return (self.schema.get("properties") or {}).get(name) or {}

    def description(self, name: str, default: str = "") -> str:
        return self.prop(name).get("description") or default

    def max_length(self, name: str) -> int | None:
        return self.prop(name).get("maxLength")

    def list_vocab(self, name: str) -> str | None:
        """The vocabulary a list field's items come from (themes -> theme), if any."""
        return _ref_name((self.prop(name).get("items") or {}).get("$ref"))

    def scalar_vocab(self, name: str) -> str | None:
        return _ref_name(self.prop(name).get("$ref"))

    def defs(self, name: str) -> Mapping:
        return (self.schema.get("$defs") or {}).get(name) or {}

    def slug_pattern(self) -> tuple[re.Pattern, int]:
        slug = self.defs("slug")
        return re.compile(slug.get("pattern", r"^[a-z0-9]+(?:-[a-z0-9]+)*$")), int(slug.get("maxLength", 80))

    def link_description(self, field_name: str, where: str = "evidence_link") -> str:
        return ((self.defs(where).get("properties") or {}).get(field_name) or {}).get("description", "")

    def source_key_pattern(self) -> re.Pattern:
        src = (self.defs("evidence_link").get("properties") or {}).get("source") or {}
        return re.compile(src.get("pattern", r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$"))


def _ref_name(ref: str | None) -> str | None:
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) and ref.startswith("#/$defs/") else None


def component_vocabularies(schema: Mapping) -> dict[str, dict[str, str]]:
    """Each method's components and the vocabulary their judgements come from, from the if/then branches."""
    out: dict[str, dict[str, str]] = {}
    for branch in (schema.get("$defs") or {}).get("confidence", {}).get("allOf", []):
        method = branch.get("if", {}).get("properties", {}).get("method", {}).get("const")
        comp = branch.get("then", {}).get("properties", {}).get("components", {})
        if not method:
            continue
        props = comp.get("properties") or {}
        names = list(comp.get("required") or props)
        out[method] = {n: _ref_name((props.get(n) or {}).get("$ref")) or "" for n in names}
    return out


def load_schema_info(project: Project) -> SchemaInfo:
    from .vocabulary import SchemaError, load_schema, vocabularies

    try:
        schema = load_schema(project.schema_path)
        vocab = vocabularies(schema)
    except SchemaError as exc:
        raise ContributeError(f"cannot read the claim schema: {exc}", 1) from exc
    return SchemaInfo(schema, vocab, component_vocabularies(schema))


def load_bibliography(project: Project) -> dict[str, Source]:
    from .parsers.bibtex import load_sources

    if not project.bib_path.exists():
        return {}
    sources, _problems = load_sources(project.bib_path, project.relative(project.bib_path))
    return sources


# --------------------------------------------------------------------------------------------
# Checking values


def _nearest(word: str, options: Iterable[str]) -> str | None:
    options = list(options)
    guess = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not guess:  # keys differ mostly in case or by a missing word: try lowercase
        low = {o.lower(): o for o in options}
        guess = [low[g] for g in difflib.get_close_matches(word.lower(), list(low), n=1, cutoff=0.5)]
    return guess[0] if guess else None


def check_term(vocab: Vocabulary, value: str, what: str) -> str:
    value = (value or "").strip()
    if value in vocab.ids():
        return value
    prefixed = [i for i in vocab.ids() if value and i.startswith(value.lower())]
    guess = prefixed[0] if len(prefixed) == 1 else _nearest(value, vocab.ids())
    hint = f"did you mean {guess!r}? " if guess else ""
    raise ContributeError(f"{what}: {value!r} is not a known {vocab.name.replace('_', ' ')}; {hint}"
                          f"choose from: {', '.join(vocab.ids())}")


def check_terms(vocab: Vocabulary, values: Iterable[str], what: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in values:
        for v in split_list(raw):
            v = check_term(vocab, v, what)
            if v not in out:
                out.append(v)
    return tuple(out)


def check_source_key(key: str, sources: Mapping[str, Source]) -> str:
    key = (key or "").strip()
    if key in sources:
        return key
    guess = _nearest(key, sources)
    near = f"; the nearest key is {guess!r}" if guess else ""
    raise ContributeError(f"source {key!r} is not in references.bib{near}. "
                          "Add a new work first with `evidence add-source FILE`.")


def check_text(value: str | None, what: str, max_length: int | None = None) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ContributeError(f"{what} must not be empty")
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value or ""):
        raise ContributeError(f"{what} holds a control character; type plain text")
    if max_length and len(text) > max_length:
        raise ContributeError(f"{what} is too long ({len(text)} characters; at most {max_length})")
    return text


_STOP_WORDS = frozenset("""a an and are as at be but by for from has have in into is it its of on or
    that the their there these this those to was were with without""".split())
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ð": "d", "ı": "i", "–": "-", "—": "-", "’": "'"})


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def slugify(text: str, max_length: int = AUTO_ID_MAX) -> str:
    """A claim id from a statement: lowercase ascii words joined by hyphens, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(text).lower().replace("'", ""))
    out = ""
    for w in words:
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > max_length:
            break
        out = candidate
    if not out and words:  # one very long word
        out = words[0][:max_length].rstrip("-")
    return out


def check_claim_id(claim_id: str, info: SchemaInfo) -> str:
    pattern, max_length = info.slug_pattern()
    claim_id = (claim_id or "").strip()
    if "/" in claim_id or "\\" in claim_id or claim_id.startswith(".") or claim_id.endswith((".yaml", ".yml")):
        raise ContributeError(f"--id {claim_id!r} looks like a path: give the id alone, e.g. "
                              f"{slugify(Path(claim_id.replace(chr(92), '/')).stem) or 'mentors-model-hope'!r}; "
                              "the file is always claims/<id>.yaml")
    if not pattern.match(claim_id) or len(claim_id) > max_length:
        suggestion = slugify(claim_id, max_length)
        hint = f", e.g. {suggestion!r}" if suggestion else ""
        raise ContributeError(f"--id {claim_id!r} is not an id: use lowercase letters, digits and single hyphens, "
                              f"at most {max_length} characters{hint}")
    return claim_id


def claim_path(project: Project, claim_id: str) -> Path:
    """claims/<id>.yaml, and never anywhere else, whatever the id holds."""
    claims = project.claims_dir.resolve()
    path = (claims / f"{claim_id}.yaml").resolve()
    if path.parent != claims:
        raise ContributeError(f"--id {claim_id!r} would write outside claims/", 1)
    return path


def _existing_statement(path: Path) -> str | None:
    from .parsers.claim_yaml import load_claim_file

    doc, _ = load_claim_file(path, path.name)
    statement = doc.data.get("statement") if doc is not None else None
    return " ".join(statement.split()) if isinstance(statement, str) else None


def unique_id(project: Project, statement: str, info: SchemaInfo) -> str:
    """The statement's slug, with -2, -3... if another claim already has it.

    The same statement twice is refused: it is the same claim, not a new one.
    """
    base = slugify(statement)
    if not base:
        raise ContributeError("cannot make an id from this statement (no letters or digits): give one with --id")
    taken = {p.stem for p in project.claim_files()}
    n, candidate = 1, base
    while candidate in taken:
        for suffix in (".yaml", ".yml"):
            existing = project.claims_dir / f"{candidate}{suffix}"
            if existing.exists() and _existing_statement(existing) == statement:
                raise ContributeError(f"a claim with this statement already exists: {project.relative(existing)}")
        n += 1
        tail = f"-{n}"
        candidate = slugify(statement, AUTO_ID_MAX - len(tail)) + tail
    return candidate


# --------------------------------------------------------------------------------------------
# Asking (only at a terminal; scripts and CI get flags and clear refusals)


class Prompter:
    """Questions at the terminal, each re-asked until its answer is valid."""

    def __init__(self, ask: Callable[[str], str] = input, out: TextIO | None = None):
        self.ask = ask
        self.out = out or sys.stderr

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def _answer(self, prompt: str) -> str:
        try:
            return self.ask(prompt)
        except EOFError:
            raise ContributeError("cancelled: no answer given", 1) from None

    def text(self, label: str, help_text: str = "", default: str = "", required: bool = True,
             check: Callable[[str], str] | None = None) -> str:
        if help_text:
            self.say(help_text)
        while True:
            shown = f" [{default}]" if default else ""
            answer = self._answer(f"{label}{shown}: ").strip() or default
            if not answer and not required:
                return ""
            try:
                return check(answer) if check else check_text(answer, label)
            except ContributeError as exc:
                self.say(f"  {exc.message}")

    def choose(self, vocab: Vocabulary, label: str, many: bool = False, default: str = "",
               required: bool = True) -> tuple[str, ...]:
        self.say(f"{label}:" + ("  (one or more: numbers or ids, separated by commas)" if many else ""))
        width = max(shutil.get_terminal_size((100, 24)).columns - 1, 60)
        for i, term in enumerate(vocab.terms, 1):
            line = f"  {i:2}  {term.id}"
            if term.description:  # the first words of the schema's description, on one line
                room = width - len(line) - 3
                if room > 12:
                    line += " — " + textwrap.shorten(term.description, room, placeholder="…")
            self.say(line)
        while True:
            shown = f" [{default}]" if default else (" [none]" if not required else "")
            answer = self._answer(f"{label}{shown}: ").strip() or default
            if not answer and not required:
                return ()
            picks = []
            for part in split_list(answer):
                if part.isdigit() and 1 <= int(part) <= len(vocab.terms):
                    part = vocab.terms[int(part) - 1].id
                picks.append(part)
            try:
                if not picks:
                    raise ContributeError("choose at least one")
                if not many and len(picks) > 1:
                    raise ContributeError("choose one")
                return check_terms(vocab, picks, label)
            except ContributeError as exc:
                self.say(f"  {exc.message}")

    def yes(self, question: str, default: bool = True) -> bool:
        hint = "[Y/n]" if default else "[y/N]"
        while True:
            answer = self._answer(f"{question} {hint} ").strip().lower()
            if not answer:
                return default
            if answer in ("y", "yes", "n", "no"):
                return answer.startswith("y")


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _interactive(args) -> bool:
    return not getattr(args, "no_input", False) and _isatty(sys.stdin)


# --------------------------------------------------------------------------------------------
# evidence new


@dataclass
class Link:
    source: str
    relation: str
    locator: str


@dataclass
class Draft:
    """Everything `new` knows about the claim; None or empty means 'leave it to the template'."""

    id: str = ""
    statement: str = ""
    summary: str = ""
    claim_type: str = ""
    themes: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    evidence: list[Link] = field(default_factory=list)
    level: str = ""
    method: str = ""
    components: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    caveat: str = ""
    contributors: tuple[str, ...] = ()
    added: str = ""


def _split_component(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep:
        name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ContributeError(f"--component {raw!r}: write it as name=value, e.g. coherence=minor", 2)
    return name.strip().replace("-", "_"), value.strip()


def draft_from_args(args, info: SchemaInfo, sources: Mapping[str, Source]) -> Draft:
    """Every flag checked against the schema and the bibliography; missing ones stay empty."""
    v = info.vocab
    d = Draft()
    if getattr(args, "statement", None):
        d.statement = check_text(args.statement, "the statement", info.max_length("statement"))
    if getattr(args, "summary", None):
        d.summary = check_text(args.summary, "the summary", info.max_length("summary"))
    if getattr(args, "claim_type", None):
        d.claim_type = check_term(v["claim_type"], args.claim_type, "--type")
    d.themes = check_terms(v["theme"], getattr(args, "themes", None) or (), "--theme")
    for name, flag in (("settings", "--setting"), ("populations", "--population"), ("outcomes", "--outcome"),
                       ("schemes", "--scheme")):
        vname = info.list_vocab(name)
        given = getattr(args, name, None) or ()
        if given and vname in v:
            setattr(d, name, check_terms(v[vname], given, flag))
    keys = [check_source_key(k, sources) for k in (getattr(args, "sources", None) or ())]
    locators = list(getattr(args, "locators", None) or ())
    relations = list(getattr(args, "relations", None) or ())
    if len(locators) > len(keys):
        raise ContributeError("more --locator than --source: give one --locator for each --source, in the same order", 2)
    if len(relations) > 1 and len(relations) != len(keys):
        raise ContributeError("give one --relation for all sources, or one for each --source in the same order", 2)
    for i, key in enumerate(keys):
        rel = relations[i] if len(relations) > 1 else (relations[0] if relations else "supports")
        rel = check_term(v["relation"], rel, "--relation")
        loc = check_text(locators[i], f"--locator for {key}") if i < len(locators) else ""
        d.evidence.append(Link(key, rel, loc))
    if getattr(args, "method", None):
        d.method = check_term(v["method"], args.method, "--method")
    if getattr(args, "level", None):
        d.level = check_term(v["level"], args.level, "--level")
    for raw in getattr(args, "components", None) or ():
        name, value = _split_component(raw)
        d.components[name] = value
    if d.components:
        if not d.method:
            raise ContributeError("--component needs --method (the components depend on the method)", 2)
        d.components = check_components(d.method, d.components, info)
    if getattr(args, "rationale", None):
        d.rationale = check_text(args.rationale, "--rationale")
    if getattr(args, "caveat", None):
        d.caveat = check_text(args.caveat, "--caveat")
    if getattr(args, "contributor", None):
        d.contributors = (check_text(args.contributor, "--contributor"),)
    return d


def check_components(method: str, given: Mapping[str, str], info: SchemaInfo) -> dict[str, str]:
    wanted = info.components.get(method, {})
    out = {}
    for name, value in given.items():
        if name not in wanted:
            guess = _nearest(name, wanted)
            hint = f"did you mean {guess!r}? " if guess else ""
            raise ContributeError(f"--component {name!r} is not a {method} component; {hint}"
                                  f"{method} uses: {', '.join(wanted)}")
        vname = wanted[name]
        out[name] = check_term(info.vocab[vname], value, f"--component {name}") if vname in info.vocab else value
    return {n: out[n] for n in wanted if n in out}


def suggested_method(claim_type: str, info: SchemaInfo) -> str:
    """The method the claim type's own description names ("Rated with GRADE"), if it names one."""
    term = info.vocab["claim_type"].get(claim_type)
    text = term.description if term else ""
    for method in info.vocab["method"].ids():
        if re.search(rf"\b{re.escape(method)}\b", text):
            return method
    return ""


def ceiling_for(draft: Draft, sources: Mapping[str, Source]) -> tuple[str, str]:
    """The highest level the component judgements allow, by the checker's own rule."""
    from .rules import ceiling

    claim = Claim(id=draft.id or "new", statement=draft.statement, claim_type=draft.claim_type, themes=draft.themes,
                  evidence=tuple(EvidenceLink(e.source, e.relation, e.locator) for e in draft.evidence),
                  confidence=Confidence(draft.level or "high", draft.method, dict(draft.components), draft.rationale),
                  added=draft.added, path="")
    return ceiling(claim, sources)


def ask_missing(d: Draft, info: SchemaInfo, sources: Mapping[str, Source], project: Project, ask: Prompter) -> None:
    """Fill what the flags left out, one question at a time."""
    v = info.vocab
    ask.say("New claim — press Ctrl+C to stop; nothing is written until the end.")
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
                                          default="supports")
        if not link.locator:
            link.locator = ask.text(f"Locator in {link.source}", info.link_description("locator"),
                                    check=lambda s: check_text(s, "the locator"))
    ask.say()
    rated = d.level and d.method and d.rationale
    if not rated and ask.yes("Rate your confidence now? (or fill it in the file later)"):
        if not d.method:
            suggestion = suggested_method(d.claim_type, info)
            (d.method,) = ask.choose(v["method"], "Method", default=suggestion)
        for name, vname in info.components.get(d.method, {}).items():
            if name not in d.components and vname in v:
                ask.say()
                (d.components[name],) = ask.choose(v[vname], name.replace("_", " ").capitalize())
        if not d.level:
            allowed, why = ceiling_for(d, sources)
            ask.say()
            ask.say(f"The judgements allow at most {allowed!r} ({why}).")
            from .vocabulary import LEVEL_ORDER

            allowed_levels = Vocabulary(v["level"].name, v["level"].description, tuple(
                t for t in v["level"].terms
                if t.id not in LEVEL_ORDER or LEVEL_ORDER.index(t.id) <= LEVEL_ORDER.index(allowed)))
            (d.level,) = ask.choose(allowed_levels, "Level", default=allowed)
        if not d.rationale:
            d.rationale = ask.text("Rationale", "Why this level, in plain English: what the judgements rest on.")
        if not d.caveat:
            d.caveat = ask.text("Caveat", "What someone citing this claim must say with it (Enter to skip).",
                                required=False)
    if not d.contributors:
        name = ask.text("Your name for the contributors list", default=_git_user(project.root), required=False)
        d.contributors = (name,) if name else ()


def _git_user(root: Path) -> str:
    try:
        r = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, timeout=5)
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
            raise ContributeError(f"no --locator for source {link.source!r}: give one --locator for each --source, "
                                  "in the same order (e.g. --locator 'p. 45')", 2)


# --- writing the file --------------------------------------------------------------------


def yaml_scalar(value: str) -> str:
    """One value as YAML: plain when that reads back the same, quoted when it would not."""
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    text = text[:-len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")
    return text


def _folded(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(text, WRAP - indent - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{key}: >-"] + [f"{pad}  {line}" for line in lines]


def _long_text(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    one = f"{pad}{key}: {yaml_scalar(text)}"
    return [one] if len(one) <= WRAP else _folded(key, text, indent)


def _comment_list(values: Sequence[str], indent: int, lead: str = "#   ") -> list[str]:
    pad = " " * indent
    return [f"{pad}{lead}{line}" for line in textwrap.wrap(", ".join(values), WRAP - indent - len(lead),
                                                          break_long_words=False, break_on_hyphens=False)]


HINT_COLUMN = 34


def _hinted(code: str, hint: str) -> list[str]:
    """`code` with a comment beside it, wrapped onto comment lines under itself when long."""
    col = max(len(code) + 1, HINT_COLUMN)
    parts = textwrap.wrap(hint, max(WRAP - col - 2, 32), break_long_words=False, break_on_hyphens=False) or [""]
    return [f"{code.ljust(col)}# {parts[0]}"] + [f"{' ' * col}# {part}" for part in parts[1:]]


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def render_claim(d: Draft, info: SchemaInfo) -> str:
    """The claim file: given values filled in, the rest a commented template from the schema."""
    v = info.vocab
    out = [SCHEMA_LINE,
           "# Lines starting with # are hints: fill in what you know, delete what does not apply,",
           "# then run `evidence check`.",
           f"id: {d.id}"]
    out += _folded("statement", d.statement, 0)
    if d.summary:
        out.append(f"summary: {yaml_scalar(d.summary)}")
    else:
        limit = info.max_length("summary")
        out += _hinted("# summary:", info.description("summary", "A short title.")
                       + (f" At most {limit} characters." if limit else ""))
    out.append(f"claim_type: {d.claim_type}")
    out.append(f"themes: {_flow(d.themes)}")
    for name in ("settings", "populations", "outcomes", "schemes"):
        vname = info.list_vocab(name)
        if vname not in v:
            continue
        values = getattr(d, name)
        if values:
            out.append(f"{name}: {_flow(values)}")
        else:
            out += _hinted(f"# {name}: []", f"{info.description(name)} Any of:".strip())
            out += _comment_list(v[vname].ids(), 0)
    out.append("evidence:")
    for link in d.evidence:
        out.append(f"  - source: {yaml_scalar(link.source)}")
        out.append(f"    relation: {link.relation}")
        out += _long_text("locator", link.locator, 4)
        out += _hinted('    # quote: ""', info.link_description("quote"))
        out += _hinted("    # note:", info.link_description("note"))
    out += _render_confidence(d, info)
    rel_vocab = v.get("claim_relation")
    out += _hinted("# related:", info.description("related", "Links to other claims."))
    out.append("#   - claim: another-claim-id")
    if rel_vocab:
        out += _hinted(f"#     relation: {rel_vocab.ids()[0]}", " | ".join(rel_vocab.ids()))
    out.append(f"added: {d.added}")
    out += _hinted(f"# updated: {d.added}", info.description("updated", "When the claim was last changed."))
    if d.contributors:
        out.append("contributors:")
        out += [f"  - {yaml_scalar(c)}" for c in d.contributors]
    else:
        out += _hinted("# contributors: [Your Name]", info.description("contributors"))
    return "\n".join(out) + "\n"


def _render_confidence(d: Draft, info: SchemaInfo) -> list[str]:
    v = info.vocab
    out = ["confidence:"]
    out += [f"  level: {d.level}"] if d.level else _hinted(
        "  level:", f"{' | '.join(v['level'].ids())}: at most what the judgements below allow")
    if d.method:
        out.append(f"  method: {d.method}")
    else:
        term = v["claim_type"].get(d.claim_type)
        why = f" For {d.claim_type} claims: {term.description}" if term and suggested_method(d.claim_type, info) else ""
        out += _hinted("  method:", f"{' | '.join(v['method'].ids())}.{why}")
    out.append("  components:")
    methods = [d.method] if d.method else list(info.components)
    if not d.method:
        out.append("    # Keep the block for your method (delete the # before its lines) and delete the others.")
    for method in methods:
        comps = info.components.get(method, {})
        lead = "" if d.method else "# "
        if not d.method:
            term = v["method"].get(method)
            out += [f"    # {line}" for line in textwrap.wrap(f"{method}: {term.description if term else ''}",
                                                             WRAP - 6, break_on_hyphens=False)]
        for name, vname in comps.items():
            value = d.components.get(name, "")
            if value:
                out.append(f"    {lead}{name}: {value}")
            else:
                out += _hinted(f"    {lead}{name}:", " | ".join(v[vname].ids()) if vname in v else "")
    conf_props = info.defs("confidence").get("properties") or {}
    if d.rationale:
        out += _long_text("rationale", d.rationale, 2)
    else:
        out += _hinted("  rationale:", (conf_props.get("rationale") or {}).get("description", "Why this level."))
    if d.caveat:
        out += _long_text("caveat", d.caveat, 2)
    else:
        out += _hinted("  # caveat:", (conf_props.get("caveat") or {}).get("description", ""))
    return out


def _verify_claim_text(text: str, d: Draft) -> None:
    """The file must read back, through the checker's own parser, to exactly what was meant."""
    from .parsers.claim_yaml import parse_claim_bytes

    doc, problems = parse_claim_bytes(text.encode("utf-8"), f"{d.id}.yaml")
    if doc is None:
        raise ContributeError("internal error: the new claim would not parse: " + problems[0].message)
    data = doc.data
    expected = {"id": d.id, "statement": d.statement, "claim_type": d.claim_type, "themes": list(d.themes),
                "added": d.added}
    for name in ("settings", "populations", "outcomes", "schemes"):
        if getattr(d, name):
            expected[name] = list(getattr(d, name))
    if d.summary:
        expected["summary"] = d.summary
    if d.contributors:
        expected["contributors"] = list(d.contributors)
    got = {k: data.get(k) for k in expected}
    links = [{"source": e.source, "relation": e.relation, "locator": e.locator} for e in d.evidence]
    conf = data.get("confidence") or {}
    ok = got == expected and data.get("evidence") == links
    ok = ok and (not d.rationale or conf.get("rationale") == d.rationale) and (not d.caveat or conf.get("caveat") == d.caveat)
    ok = ok and (not d.level or conf.get("level") == d.level) and (not d.method or conf.get("method") == d.method)
    ok = ok and all((conf.get("components") or {}).get(k) == val for k, val in d.components.items())
    if not ok:
        raise ContributeError("internal error: the new claim did not read back as written; please report this")


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


def cmd_new(args, project: Project, prompter: Prompter | None = None, out: TextIO | None = None,
            today: dt.date | None = None) -> int:
    out = out or sys.stdout
    info = load_schema_info(project)
    sources = load_bibliography(project)
    d = draft_from_args(args, info, sources)
    d.added = (today or dt.date.today()).isoformat()
    if getattr(args, "id", None) is not None:
        d.id = check_claim_id(args.id, info)
        path = claim_path(project, d.id)
        if path.exists() or path.with_suffix(".yml").exists():
            raise ContributeError(f"{project.relative(path)} already exists: nothing was written. "
                                  "Edit that file, or choose another id with --id.")
    if not d.id and d.statement:  # refuse a repeated statement before asking anything else
        d.id = unique_id(project, d.statement, info)
    interactive = prompter is not None or _interactive(args)
    if interactive:
        ask_missing(d, info, sources, project, prompter or Prompter())
    require_complete(d)
    if not d.id:
        d.id = unique_id(project, d.statement, info)
    path = claim_path(project, d.id)
    text = render_claim(d, info)
    _verify_claim_text(text, d)
    if getattr(args, "dry_run", False):
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
    from .checker import check_project
    from .reporter import format_text

    result = check_project(project, only={rel})
    errors = [p for p in result.problems if p.is_error]
    warnings = [p for p in result.problems if not p.is_error]
    if not result.problems:
        print("It passes `evidence check`. Review it, then open a pull request.", file=out)
        return
    if errors:
        print(f"Still to do before it passes `evidence check` ({len(errors)} "
              f"{'error' if len(errors) == 1 else 'errors'}):", file=out)
    else:
        print("It passes `evidence check`, with these warnings:", file=out)
    for p in errors + warnings:
        print("  " + format_text(p), file=out)


# --------------------------------------------------------------------------------------------
# evidence add-source

# Fields we keep: the bibliographic ones our citation style and exports read, and our own
# coding fields. Everything else a reference manager adds (abstract, file, keywords, langid,
# month, issn, annotation...) is dropped: abstracts are the publisher's text, not ours to copy.
KEEP_FIELDS = ("title", "booktitle", "journal", "year", "volume", "number", "pages", "edition", "chapter", "series",
               "type", "institution", "organization", "school", "publisher", "address", "howpublished",
               "onlinedate", "urldate", "doi", "url", "isbn", "note", "incomplete",
               "design", "country", "setting", "schemes", "citedin")
VERBATIM_FIELDS = frozenset({"url", "doi"})
# Other names for the same thing (biblatex, as Zotero's Better BibTeX writes it).
RENAME = {"journaltitle": "journal", "location": "address", "issue": "number"}
# Entry types kept as they are; the citation style and the exports understand them.
KEEP_TYPES = {"article", "book", "incollection", "techreport", "misc", "phdthesis", "mastersthesis"}
TYPE_MAP = {"inproceedings": "incollection", "conference": "incollection", "inbook": "incollection",
            "report": "techreport", "thesis": "phdthesis", "proceedings": "book", "collection": "book",
            "mvbook": "book", "online": "misc", "www": "misc", "webpage": "misc", "electronic": "misc",
            "booklet": "misc", "manual": "misc", "unpublished": "misc"}
# Our coding fields, the vocabulary each draws on, whether it is a list, and its default when missing.
CODING = (("design", "design", False, "unknown"), ("country", "country", False, "unknown"),
          ("setting", "setting", True, "general"), ("schemes", "scheme", True, None))
# A key already in our convention: surname (or acronym) + year + first significant title word.
OUR_KEY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:[0-9]{4}|nd)[a-z][a-z0-9]*$")
_DATE = re.compile(r"^([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?")


@dataclass
class NewSource:
    source: Source           # normalised, with the key it will be written under
    given_key: str
    dropped: tuple[str, ...] = ()
    defaulted: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def normalise_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))


def _doi_key(doi: str) -> str:
    from .cite.links import bare_doi

    return bare_doi(doi).lower()


def find_duplicate(src: Source, existing: Mapping[str, Source]) -> tuple[str, str] | None:
    """(key, why) of a work we already hold: same DOI, or same title and year."""
    doi = _doi_key(src.doi)
    title = normalise_title(src.title)
    for key, other in existing.items():
        if doi and _doi_key(other.doi) == doi:
            return key, f"the same DOI ({doi})"
    for key, other in existing.items():
        if title and normalise_title(other.title) == title and other.year.strip() == src.year.strip():
            return key, "the same title and year"
    return None


def _corporate_short(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", ascii_fold(name).replace("'s", "")) if w.lower() not in _STOP_WORDS]
    if len(words) >= 3:
        return "".join(w[0] for w in words).lower()
    return words[0].lower() if words else ""


def _surname(src: Source) -> str:
    people = [p for p in src.creators if p.family and p.family != "others"]
    if not people:
        return ""
    first = people[0]
    if first.corporate:
        return _corporate_short(first.family)
    return re.sub(r"[^a-z]", "", ascii_fold(first.family).lower())


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", ascii_fold(title).lower().replace("'", ""))
    return [w for w in words if w not in _STOP_WORDS and not w.isdigit()] or words


def make_key(src: Source, taken: set[str]) -> str:
    """surname + year + first significant title word; then two title words, then a number, until it is free."""
    name = _surname(src) or (_title_words(src.title)[:1] or ["anon"])[0]
    year = src.year if re.fullmatch(r"[0-9]{4}", src.year.strip()) else "nd"
    words = _title_words(src.title) or ["untitled"]
    candidates = [f"{name}{year}{words[0]}"]
    if len(words) > 1:
        candidates.append(f"{name}{year}{words[0]}{words[1]}")
    for c in candidates:
        if c.lower() not in taken:
            return c
    n = 2
    while f"{candidates[0]}{n}".lower() in taken:
        n += 1
    return f"{candidates[0]}{n}"


def _clean_pages(pages: str) -> str:
    return re.sub(r"\s*(?:-+|–|—|‐|‑)\s*", "–", pages.strip())  # en dash: written back as `--`


def normalise_entry(src: Source, info: SchemaInfo) -> NewSource:
    """One reference manager's entry in our conventions: our fields, our types, a bare DOI."""
    from .cite.links import bare_doi, http_url

    fields: dict[str, str] = {}
    dropped: list[str] = []
    notes: list[str] = []
    raw = dict(src.fields)
    for old, new in RENAME.items():
        if old in raw and new not in raw:
            raw[new] = raw.pop(old)
    if "year" not in raw and raw.get("date"):
        m = _DATE.match(raw["date"].strip())
        if m:
            raw["year"] = m.group(1)
    for name, value in raw.items():
        value = " ".join(value.split())
        if name in KEEP_FIELDS and value:
            fields[name] = value
        else:
            dropped.append(name)
    m = re.fullmatch(r"Publisher: (.+)", fields.get("note", ""))
    if m:  # Zotero's "Extra" line for an article's publisher: a field, not a note
        del fields["note"]
        fields.setdefault("publisher", m.group(1).strip())
    if "pages" in fields:
        fields["pages"] = _clean_pages(fields["pages"])
    if "doi" in fields:
        doi = bare_doi(fields["doi"])
        if doi:
            fields["doi"] = doi
        else:
            notes.append(f"doi {fields['doi']!r} is not a DOI (10.xxxx/...): dropped")
            del fields["doi"]
    if "url" in fields:
        url = fields["url"]
        as_doi = bare_doi(url)
        if as_doi and not fields.get("doi"):
            fields["doi"] = as_doi
        if as_doi and as_doi.lower() == fields.get("doi", "").lower():
            del fields["url"]  # the DOI link says the same, and lasts longer
        elif not http_url(url):
            notes.append(f"url {url!r} is not an http(s) link: dropped")
            del fields["url"]
    for name in ("urldate", "onlinedate"):
        if name in fields:
            m = re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}", fields[name])
            if m:
                fields[name] = m.group(0)
            else:
                notes.append(f"{name} {fields[name]!r} is not a date (YYYY-MM-DD): dropped")
                del fields[name]
    if fields.get("title", "").endswith(".") and not fields["title"].endswith(".."):
        fields["title"] = fields["title"][:-1]
    entry_type = src.entry_type if src.entry_type in KEEP_TYPES else TYPE_MAP.get(src.entry_type, "misc")
    if entry_type != src.entry_type:
        notes.append(f"entry type @{src.entry_type} written as @{entry_type}")
    # our coding fields: checked when given, defaulted (and said so) when not
    defaulted = []
    for name, vname, many, default in CODING:
        if vname not in info.vocab:
            continue
        if name in fields:
            if many:
                fields[name] = ", ".join(check_terms(info.vocab[vname], [fields[name]], f"{src.key}: {name}"))
            else:
                fields[name] = check_term(info.vocab[vname], fields[name], f"{src.key}: {name}")
        elif default is not None:
            fields[name] = default
            defaulted.append(name)
    for name, value in list(fields.items()) + [("author", p.family + p.given) for p in src.authors + src.editors]:
        if name not in VERBATIM_FIELDS and "\\" in value:
            command = re.search(r"\\[A-Za-z]+|\\.?", value).group()
            raise ContributeError(f"entry {src.key!r}: {name} holds LaTeX we cannot read ({command}): "
                                  "write it in plain Unicode text")
    if not fields.get("title"):
        raise ContributeError(f"entry {src.key!r} has no title: every source needs one")
    if not fields.get("year"):
        raise ContributeError(f"entry {src.key!r} has no year: add year = {{n.d.}} and an incomplete = {{...}} "
                              "field saying what is missing if the work is undated")
    source = Source(key=src.key, entry_type=entry_type, fields=fields, authors=src.authors, editors=src.editors,
                    position=Position("<new>"))
    return NewSource(source, src.key, tuple(sorted(set(dropped))), tuple(defaulted), notes)


def entry_text(src: Source) -> str:
    """BibTeX in the file's conventions, written by the same code as the site's exports."""
    from .cite.formats import bibtex_entry

    text = bibtex_entry(src.key, src)
    # page ranges are written `--` (our parser reads them back as an en dash)
    return re.sub(r"^(  pages = \{)(.*)(\},?)$", lambda m: m.group(1) + m.group(2).replace("–", "--") + m.group(3),
                  text, flags=re.M)


def _same(a: Source, b: Source) -> bool:
    return (a.entry_type == b.entry_type and dict(a.fields) == dict(b.fields)
            and a.authors == b.authors and a.editors == b.editors)


def read_input(name: str, stdin: TextIO | None = None) -> tuple[str, str]:
    """(text, label) of the entries given: a file, or standard input for '-'."""
    if name == "-":
        stream = stdin or sys.stdin
        if stdin is None and _isatty(stream):
            print("Paste the BibTeX entries, then press Ctrl+D (Ctrl+Z then Enter on Windows):", file=sys.stderr)
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        label = "standard input"
    else:
        label = name
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise ContributeError(f"{name}: no such file", 2) from None
        except OSError as exc:
            raise ContributeError(f"{name}: cannot read: {exc.strerror}", 2) from None
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ContributeError(f"{label} is not UTF-8: export it as UTF-8 (in Zotero: Export Format "
                                  "BibTeX, Character Encoding Unicode (UTF-8))") from None
    return data.replace("\r\n", "\n"), label


# Reference managers write some LaTeX our decoder does not read: an accent on a dotless i
# (Zotero's N{\\'{\\i}}ez) and font commands (\\textit{...} for a species or a book in a title).
def plan_sources(text: str, label: str, existing: Mapping[str, Source], info: SchemaInfo,
                 key: str | None = None, prompter: Prompter | None = None) -> list[NewSource]:
    """Parse, normalise, key and de-duplicate the given entries. Raises before anything is written."""
    from .parsers.bibtex import parse_bibtex_text

    given, problems = parse_bibtex_text(text, label)
    if problems:
        lines = "\n".join(f"  {label}:{p.position.line}: {p.message}" for p in problems)
        raise ContributeError(f"cannot read the BibTeX in {label}:\n{lines}")
    if not given:
        raise ContributeError(f"no BibTeX entry found in {label} (an entry starts with @article{{..., @book{{... )")
    if key and len(given) > 1:
        raise ContributeError(f"--key works with one entry; {label} holds {len(given)}", 2)
    planned: list[NewSource] = []
    taken = {k.lower() for k in existing}
    duplicates = []
    for src in given.values():
        if prompter is not None:
            src = _ask_coding(src, info, prompter)
        new = normalise_entry(src, info)
        dup = find_duplicate(new.source, existing)
        if dup:
            duplicates.append(f"{src.key!r} ({new.source.title}, {new.source.year}) is already in references.bib "
                              f"as {dup[0]!r}: {dup[1]}")
            continue
        dup = find_duplicate(new.source, {p.given_key: p.source for p in planned})
        if dup:
            duplicates.append(f"{src.key!r} repeats {dup[0]!r} in {label}: {dup[1]}")
            continue
        if key:
            if not info.source_key_pattern().match(key):
                raise ContributeError(f"--key {key!r} is not a BibTeX key (letters, digits and _:.+- only)", 2)
            if key.lower() in taken:
                raise ContributeError(f"--key {key!r} is already used in references.bib")
            chosen = key
        elif OUR_KEY.match(src.key) and src.key.lower() not in taken:
            chosen = src.key
        else:
            chosen = make_key(new.source, taken)
        taken.add(chosen.lower())
        new.source = replace(new.source, key=chosen)
        planned.append(new)
    if duplicates:
        raise ContributeError("refused, nothing was written:\n" + "\n".join(f"  {d}" for d in duplicates))
    return planned


def _ask_coding(src: Source, info: SchemaInfo, ask: Prompter) -> Source:
    """At a terminal, ask for the coding fields the entry lacks (Enter keeps the default)."""
    fields = dict(src.fields)
    asked = False
    for name, vname, many, default in CODING:
        if name in fields or default is None or vname not in info.vocab:
            continue
        if not asked:
            ask.say(f"\n{src.key}: {src.title} ({src.year})")
            asked = True
        picks = ask.choose(info.vocab[vname], name.capitalize(), many=many, default=default)
        fields[name] = ", ".join(picks)
    return replace(src, fields=fields) if asked else src


def append_entries(bib: Path, entries: Sequence[str], expected: Mapping[str, Source], rel: str) -> int:
    """Append to the bibliography atomically: the old text stays byte for byte, or nothing changes.

    Returns the line the first new entry starts on.
    """
    from .parsers.bibtex import parse_bibtex_text

    old = bib.read_bytes() if bib.exists() else b""
    try:
        old_text = old.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContributeError(f"{rel} is not UTF-8: fix it first (`evidence check` shows where)") from None
    newline = "\r\n" if b"\r\n" in old else "\n"
    text = old_text.replace("\r\n", "\n")
    # one blank line between the old text and the first new entry, whatever the file ended with
    joiner = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    addition = joiner + "\n".join(entries)
    # read the whole result back: the new entries as meant, and no new problem anywhere
    _old_sources, old_problems = parse_bibtex_text(text, rel)
    sources, problems = parse_bibtex_text(text + addition, rel)
    if len(problems) > len(old_problems):
        raise ContributeError("internal error: the new entries would not read back cleanly; nothing was written")
    for key, want in expected.items():
        got = sources.get(key)
        if got is None or not _same(got, want):
            raise ContributeError(f"internal error: entry {key!r} would not read back as written; nothing was written")
    data = old + addition.replace("\n", newline).encode("utf-8")
    first_line = text.count("\n") + joiner.count("\n") + 1
    _atomic_write(bib, data, old, rel)
    return first_line


def _atomic_write(path: Path, data: bytes, expected_old: bytes, rel: str) -> None:
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
            if path.read_bytes() != expected_old:
                raise ContributeError(f"{rel} changed while the entries were being added; nothing was written: "
                                      "run the command again")
        os.replace(tmp, path)
    except ContributeError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise ContributeError(f"cannot write {rel}: {exc.strerror or exc}; it was left as it was") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cmd_add_source(args, project: Project, prompter: Prompter | None = None, out: TextIO | None = None,
                   err: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    info = load_schema_info(project)
    text, label = read_input(args.file, stdin)
    existing = load_bibliography(project)
    if prompter is None and args.file != "-" and not args.dry_run and _interactive(args):
        prompter = Prompter(out=err)
    planned = plan_sources(text, label, existing, info, key=args.key, prompter=prompter)
    entries = [entry_text(p.source) for p in planned]
    for p, entry in zip(planned, entries):
        from .parsers.bibtex import parse_bibtex_text

        back, problems = parse_bibtex_text(entry, "<new>")
        if problems or p.source.key not in back or not _same(back[p.source.key], p.source):
            raise ContributeError(f"internal error: entry {p.source.key!r} would not read back as written; "
                                  "nothing was written")
    rel = project.relative(project.bib_path)
    if args.dry_run:
        out.write("\n".join(entries))
        _notes(planned, err, written=False)
        return 0
    line = append_entries(project.bib_path, entries, {p.source.key: p.source for p in planned}, rel)
    _notes(planned, err, written=True, rel=rel, line=line)
    for p in planned:
        print(p.source.key, file=out)
    return 0


def _notes(planned: Sequence[NewSource], err: TextIO, written: bool, rel: str = "references.bib", line: int = 0) -> None:
    for p in planned:
        key = p.source.key
        if written:
            head = f"{key}: added to {rel}" + (f" (line {line})" if line and p is planned[0] else "")
        else:
            head = f"{key}: not written (--dry-run)"
        print(head, file=err)
        if key != p.given_key:
            print(f"  key {p.given_key!r} renamed {key!r} (our convention: surname + year + first title word)", file=err)
        if p.dropped:
            print(f"  dropped fields we do not keep: {', '.join(p.dropped)}"
                  + (" (abstracts are the publisher's text)" if "abstract" in p.dropped else ""), file=err)
        for note in p.notes:
            print(f"  {note}", file=err)
        if p.defaulted:
            values = ", ".join(f"{n} = {{{p.source.fields[n]}}}" for n in p.defaulted)
            print(f"  set {values}: replace them with what the work says (the allowed values are in "
                  "claims/claim.schema.json)", file=err)


# --------------------------------------------------------------------------------------------


def run(name: str, args, project: Project) -> int:
    try:
        if name == "new":
            return cmd_new(args, project)
        if name == "add-source":
            return cmd_add_source(args, project)
    except ContributeError as exc:
        print(f"evidence {name}: {exc.message}", file=sys.stderr)
        return exc.code
    print(f"evidence: unknown command {name!r}", file=sys.stderr)
    return 2
