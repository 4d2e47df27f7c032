"""What both contributor commands share: the schema's vocabularies read once, checks that
refuse with a suggestion, and prompting that happens only at a terminal."""

from __future__ import annotations

import difflib
import re
import shutil
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, TextIO

from ..model import Source, Vocabulary, split_list
from ..project import Project
from ..vocabulary import Meaning, def_name, meaning

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

    @property
    def meaning(self) -> Meaning:
        """The vocabularies' annotations (order of levels, relation polarity): `vocabulary.meaning`."""
        return meaning(self.vocab, self.schema)

    def prop(self, name: str) -> Mapping:
        return (self.schema.get("properties") or {}).get(name) or {}

    def description(self, name: str, default: str = "") -> str:
        return self.prop(name).get("description") or default

    def max_length(self, name: str) -> int | None:
        return self.prop(name).get("maxLength")

    def list_vocab(self, name: str) -> str | None:
        """The vocabulary a list field's items come from (themes -> theme), if any."""
        return def_name((self.prop(name).get("items") or {}).get("$ref"))

    def scalar_vocab(self, name: str) -> str | None:
        return def_name(self.prop(name).get("$ref"))

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


def load_schema_info(project: Project) -> SchemaInfo:
    from ..vocabulary import SchemaError, load_schema, method_components, vocabularies

    try:
        schema = load_schema(project.schema_path)
        vocab = vocabularies(schema)
    except SchemaError as exc:
        raise ContributeError(f"cannot read the claim schema: {exc}", 1) from exc
    return SchemaInfo(schema, vocab, method_components(schema))


def load_bibliography(project: Project) -> dict[str, Source]:
    from ..parsers.bibtex import load_sources

    if not project.bib_path.exists():
        return {}
    sources, _problems = load_sources(project.bib_path, project.relative(project.bib_path))
    return sources


# --------------------------------------------------------------------------------------------
# Checking values


def nearest(word: str, options: Iterable[str]) -> str | None:
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
    guess = prefixed[0] if len(prefixed) == 1 else nearest(value, vocab.ids())
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
    guess = nearest(key, sources)
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


STOP_WORDS = frozenset("""a an and are as at be but by for from has have in into is it its of on or
    that the their there these this those to was were with without""".split())
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ð": "d", "ı": "i", "–": "-", "—": "-",
                       "’": "'"})


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
    if ("/" in claim_id or "\\" in claim_id or claim_id.startswith(".")
            or claim_id.endswith((".yaml", ".yml"))):
        raise ContributeError(f"--id {claim_id!r} looks like a path: give the id alone, e.g. "
                              f"{slugify(Path(claim_id.replace(chr(92), '/')).stem) or 'a-short-slug'!r}; "
                              "the file is always claims/<id>.yaml")
    if not pattern.match(claim_id) or len(claim_id) > max_length:
        suggestion = slugify(claim_id, max_length)
        hint = f", e.g. {suggestion!r}" if suggestion else ""
        raise ContributeError(f"--id {claim_id!r} is not an id: use lowercase letters, digits and single "
                              "hyphens, "
                              f"at most {max_length} characters{hint}")
    return claim_id


def claim_path(project: Project, claim_id: str) -> Path:
    """claims/<id>.yaml, and never anywhere else, whatever the id holds."""
    from ..parsers.hygiene import reserved_name

    if reserved_name(claim_id):
        raise ContributeError(f"--id {claim_id!r} is a Windows device name (con, nul, aux, prn, com1, "
                              "lpt1...): contributors on Windows could not check it out; pick another", 2)
    claims = project.claims_dir.resolve()
    path = (claims / f"{claim_id}.yaml").resolve()
    if path.parent != claims:
        raise ContributeError(f"--id {claim_id!r} would write outside claims/", 1)
    return path


def _existing_statement(path: Path) -> str | None:
    from ..parsers.claim_yaml import load_claim_file

    doc, _ = load_claim_file(path, path.name)
    statement = doc.data.get("statement") if doc is not None else None
    return " ".join(statement.split()) if isinstance(statement, str) else None


def unique_id(project: Project, statement: str, info: SchemaInfo) -> str:
    """The statement's slug, with -2, -3... if another claim already has it.

    The same statement twice is refused: it is the same claim, not a new one.
    """
    base = slugify(statement)
    if not base:
        raise ContributeError("cannot make an id from this statement (no letters or digits): give one with "
                              "--id")
    taken = {p.stem for p in project.claim_files()}
    n, candidate = 1, base
    while candidate in taken:
        for suffix in (".yaml", ".yml"):
            existing = project.claims_dir / f"{candidate}{suffix}"
            if existing.exists() and _existing_statement(existing) == statement:
                raise ContributeError("a claim with this statement already exists: "
                                      f"{project.relative(existing)}")
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


def isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def is_interactive(no_input: bool) -> bool:
    return not no_input and isatty(sys.stdin)


