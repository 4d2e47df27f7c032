"""Sources: BibTeX read with pybtex, decoded to Unicode, with line numbers.

pybtex stops at the first error in strict mode; a contributor wants every
problem at once, so errors are collected instead of raised, and each entry's
line is found in the text so messages can point at it.
"""

from __future__ import annotations

import bisect
import codecs
import re
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import LowLevelParser, Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from ..model import Person, Position, Problem, Source
from .hygiene import key_problem, unsafe_characters

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.M)
_FIELD_START = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9_:+-]*)[ \t]*=", re.M)
# Fields whose text is verbatim (no LaTeX decoding).
VERBATIM = {"url", "doi", "eprint", "file"}
_URL_ESCAPES = re.compile(r"\\([%&$#_{}~])")


# An @string bomb (`@string{b = a # a}`, `@string{c = b # b}` ...) doubles at every step: a
# 688-byte file once made a 1 GB title. Every value is bounded as it is assembled, before
# any join, like the alias bomb that claim files refuse outright.
MAX_VALUE_CHARS = 20_000
MAX_MACRO_DEPTH = 8
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class _BoundedLowLevelParser(LowLevelParser):
    """pybtex's scanner with a ceiling on the size of every value and on @string nesting."""

    def parse_value(self):
        start = True
        parts: list[str] = []
        size = 0
        depth = 0
        while True:
            if not start and not self.optional([self.HASH]):
                break
            part = self.parse_value_part()
            depth = max(depth, self._last_depth)
            size += len(part)
            if size > MAX_VALUE_CHARS:
                raise PybtexSyntaxError(
                    f"value over {MAX_VALUE_CHARS} characters once @string macros are expanded "
                    "(an expansion bomb?); write the text out", self)
            parts.append(part)
            start = False
        if depth > MAX_MACRO_DEPTH:
            raise PybtexSyntaxError(
                f"@string macros nested more than {MAX_MACRO_DEPTH} deep; write the text out", self)
        self.current_value = parts
        self._value_depth = depth

    _last_depth = 0
    _value_depth = 0

    def parse_value_part(self):
        self._last_depth = 0
        return super().parse_value_part()

    def substitute_macro(self, name):
        depths = self.__dict__.setdefault("_depths", {})
        self._last_depth = depths.get(name.lower(), 0) + 1
        return super().substitute_macro(name)

    def parse_string_body(self, body_end):
        try:
            super().parse_string_body(body_end)
        except PybtexSyntaxError:
            if self.current_field_name:  # defined as empty: one error, not one per later use
                self.macros[self.current_field_name] = ""
            raise
        self.__dict__.setdefault("_depths", {})[self.current_field_name.lower()] = self._value_depth


class _CollectingParser(Parser):
    """pybtex's parser, but errors are kept, and a repeated key is a problem, not a crash."""

    def __init__(self):
        super().__init__(encoding="UTF-8")
        self.errors: list[tuple[int | None, str]] = []
        self.duplicates: list[str] = []

    def handle_error(self, error):
        self.errors.append((getattr(error, "lineno", None), _error_text(error)))

    def parse_string(self, text):
        """pybtex's own, with the bounded scanner; macro depths persist between calls."""
        self.unnamed_entry_counter = 1
        self.command_start = 0
        scanner = _BoundedLowLevelParser(text, keyless_entries=self.keyless_entries,
                                         handle_error=self.handle_error, want_entry=self.data.want_entry,
                                         filename=self.filename, macros=self.macros)
        scanner._depths = self.__dict__.setdefault("_macro_depths", {})
        for entry in scanner:
            kind = entry[0].lower()
            if kind == "string":
                pass
            elif kind == "preamble":
                self.process_preamble(*entry[1])
            else:
                self.process_entry(entry[0], *entry[1])
        return self.data

    def process_entry(self, entry_type, key, fields):
        if key is not None and key in self.data.entries:
            self.duplicates.append(key)
            return
        try:
            super().process_entry(entry_type, key, fields)
        except PybtexError as exc:  # e.g. a malformed name list
            self.errors.append((None, f"entry {key!r}: {_error_text(exc)}"))


def _error_text(error) -> str:
    msg = str(error)
    msg = re.sub(r"^syntax error in line \d+: ", "", msg)
    return msg


# Font and markup commands whose argument is plain text for our purposes (Zotero and
# publishers' exports use them in titles); latexcodec leaves them alone.
_TEXT_COMMANDS = re.compile(
    r"\\(?:textit|textbf|textsc|textrm|texttt|textsf|textup|textsl|textmd|textnormal|emph|mbox|url|"
    r"enquote|mkbibquote|mkbibemph|mkbibitalic|mkbibbold|NoCaseChange)\s*\{")
# An accent on a dotless i or j written `\'{\i}` or `\' \i`: forms latexcodec misses.
_ACCENT_ON_DOTLESS = re.compile(r"\\([`'^\"~=.])\s*(?:\{\s*\\([ij])\s*\}|\\([ij])(?![A-Za-z]) ?)")
_LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")


def decode_latex(text: str) -> str:
    """LaTeX accents and escapes to Unicode; protective braces and font commands dropped,
    so a title reads the same on the page as in the PDF it came from."""
    if "\\" in text or "{" in text or "~" in text or "--" in text:
        text = _ACCENT_ON_DOTLESS.sub(lambda m: f"{{\\{m.group(1)}\\{m.group(2) or m.group(3)}}}", text)
        text = _TEXT_COMMANDS.sub("{", text)
        try:
            text = codecs.decode(text, "ulatex")  # type: ignore[call-overload]  # latexcodec registers it
        except Exception:  # latexcodec is lenient; this is belt and braces
            pass
        if "\\" in text:
            text = text.replace("\\$", "$")
            text = _LEFTOVER_COMMAND.sub("", text)
    return text.replace("{", "").replace("}", "").strip()


def decode_verbatim(text: str) -> str:
    text = _URL_ESCAPES.sub(r"\1", text).strip()
    # a URI scheme is case-insensitive (RFC 3986); HTTPS:// is written https://
    return _URL_SCHEME.sub(lambda m: m.group(1).lower() + "://", text, count=1)


def _person(p) -> Person:
    last = p.last_names
    raw_last = " ".join(last)
    braced = raw_last.startswith("{") and raw_last.endswith("}")
    if len(last) == 1 and not p.first_names and not p.middle_names and braced:
        return Person(family=decode_latex(raw_last), corporate=True)
    return Person(
        family=decode_latex(raw_last),
        given=decode_latex(" ".join(p.first_names + p.middle_names)),
        particle=decode_latex(" ".join(p.prelast_names)),
        suffix=decode_latex(" ".join(p.lineage_names)),
    )


def _brace_depth(chunk: str) -> int:
    depth = 0
    for m in re.finditer(r"(?<!\\)[{}]", chunk):
        depth += 1 if m.group() == "{" else -1
    return depth


class _Lines:
    """Line numbers by binary search over newline offsets: O(log n) a lookup."""

    def __init__(self, text: str):
        self.offsets = [m.start() for m in re.finditer("\n", text)]

    def line_of(self, index: int) -> int:
        return bisect.bisect_left(self.offsets, index) + 1


def parse_bibtex_text(text: str, rel: str) -> tuple[dict[str, Source], list[Problem]]:
    """Every source in the text and every problem with it, each at its line: an entry that
    cannot be read is left out and reported, never allowed to spoil the entries around it."""
    problems: list[Problem] = [Problem(Position(rel, line, col), "error", msg, "bib-character")
                               for line, col, msg in unsafe_characters(text)]
    starts, first_line, chunks = _locate_entries(text, rel, problems)
    data = _parse_entries(text, rel, starts, first_line, problems)
    sources = {key: _source(key, entry, chunks.get(key, (1, "")), rel) for key, entry in data.entries.items()}
    return sources, problems


_Start = tuple[int, str, str, int]  # an entry's (line, type, key, index in the text)


def _locate_entries(
    text: str, rel: str, problems: list[Problem]
) -> tuple[list[_Start], dict[str, int], dict[str, tuple[int, str]]]:
    """Where each entry starts and where its fields are, from the text itself (pybtex keeps no
    positions): the starts as (line, type, key, index), each key's first line, and each
    entry's own text; duplicate and unsafe keys are reported into `problems`."""
    starts: list[_Start] = []
    lines = _Lines(text)
    for m in _ENTRY_START.finditer(text):
        starts.append((lines.line_of(m.start()), m.group(1).lower(), m.group(2), m.start()))
    first_line: dict[str, int] = {}
    chunks: dict[str, tuple[int, str]] = {}
    for i, (line, etype, key, idx) in enumerate(starts):
        end = starts[i + 1][3] if i + 1 < len(starts) else len(text)
        if etype in ("comment", "preamble", "string"):
            continue
        low = key.lower()
        if low in first_line:
            problems.append(Problem(Position(rel, line, 1), "error",
                                    f"duplicate key {key!r} (first defined on line {first_line[low]})",
                                    "bib-duplicate-key"))
            continue
        first_line[low] = line
        chunks[key] = (line, text[idx:end].rstrip() + "\n")
        why = key_problem(key)
        if why:
            problems.append(Problem(Position(rel, line, text.find(key, idx, end) - idx + 1 if key else 1),
                                    "error", f"key {key[:80]!r}{'…' if len(key) > 80 else ''}: {why}",
                                    "bib-key"))
    return starts, first_line, chunks


def _parse_entries(text: str, rel: str, starts: list[_Start], first_line: dict[str, int],
                   problems: list[Problem]) -> BibliographyData:
    """One pass over the whole file is fastest; only when it reports an error do we parse
    entry by entry, so that one unbalanced brace spoils one entry, not the rest."""
    parser = _CollectingParser()
    try:
        parser.parse_string(text)
        clean = not parser.errors
    except (PybtexError, RecursionError):
        clean = False
    if clean:
        return parser.data
    parser = _CollectingParser()
    for i, (line, etype, key, idx) in enumerate(starts):
        end = starts[i + 1][3] if i + 1 < len(starts) else len(text)
        chunk = text[idx:end]
        depth = _brace_depth(chunk)
        before = len(parser.errors)
        try:
            parser.parse_string(chunk)
        except PybtexError as exc:
            parser.errors.append((getattr(exc, "lineno", None), _error_text(exc)))
        except RecursionError:
            parser.errors.append((1, "nested too deeply"))
        new_errors = parser.errors[before:]
        del parser.errors[before:]
        if new_errors and key and key.lower() in first_line and first_line[key.lower()] == line:
            parser.data.entries.pop(key, None)  # a half-read entry is worse than none
        if depth != 0 and new_errors:
            what = f"{depth} more '{{' than '}}'" if depth > 0 else f"{-depth} more '}}' than '{{'"
            problems.append(Problem(Position(rel, line, 1), "error",
                                    f"unbalanced braces in entry {key or etype!r}: {what}", "bib-braces"))
            continue
        for lineno, msg in new_errors:
            problems.append(Problem(Position(rel, line + (lineno or 1) - 1, 1), "error", f"BibTeX: {msg}",
                                    "bib-syntax"))
    return parser.data


def _source(key: str, entry, located: tuple[int, str], rel: str) -> Source:
    """One parsed entry as a Source: fields decoded (LaTeX to text, URLs kept verbatim), with
    the entry's line, its own text and the line of each field."""
    line, chunk = located
    field_lines: dict[str, int] = {}
    for fm in _FIELD_START.finditer(chunk):
        field_lines.setdefault(fm.group(1).lower(), line + chunk.count("\n", 0, fm.start()))
    fields = {}
    for name, value in entry.fields.items():
        lname = name.lower()
        fields[lname] = decode_verbatim(value) if lname in VERBATIM else decode_latex(value)
    return Source(
        key=key,
        entry_type=entry.type.lower(),
        fields=fields,
        authors=tuple(_person(p) for p in entry.persons.get("author", ())),
        editors=tuple(_person(p) for p in entry.persons.get("editor", ())),
        position=Position(rel, line, 1),
        bibtex=chunk,
        field_lines=field_lines,
    )


def load_sources(path: Path, rel: str, raw: bytes | None = None) -> tuple[dict[str, Source], list[Problem]]:
    """The sources in the bibliography at `path` (its bytes if already read) and every problem."""
    try:
        if raw is None:
            raw = path.read_bytes()
    except FileNotFoundError:
        return {}, [Problem(Position(rel), "error", "bibliography not found", "io")]
    except OSError as exc:
        return {}, [Problem(Position(rel), "error", f"cannot read file: {exc.strerror}", "io")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return {}, [Problem(Position(rel, line, col), "error",
                            f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8", "encoding")]
    return parse_bibtex_text(text.replace("\r\n", "\n"), rel)
