"""Check rules for the citation model: secondary citations (`via`), `[@key]` citations in
claim text, and no author-year reference typed by hand.

A typed "Buck (2021)" is how errors got in: it cannot carry the 2021a/2021b letter, it
attaches to whichever work the writer had in mind, and no check can follow it. A key
can be checked and labelled, so prose cites with `[@key]` / `@key` and a finding read
in another work says so with `via`. Quotes are exempt: they are the source's words.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterator

from .citekeys import SOURCE_TEXT_FIELDS, cited_keys
from .model import EvidenceBase, Position, Problem
from .parsers.claim_yaml import ClaimDocument

# Name words: a capital then letters, apostrophes, hyphens ("O'Brien", "Buck's", "HMIP").
_CAP = r"[A-ZÀ-ÖØ-Þ]"
_NAME = rf"{_CAP}[\w'’\-]*"
# The first name word starts a name: no letter, digit or '@' just before it (checked after its
# capital, so the regex engine can skip from capital to capital).
_NAMES = (
    rf"{_CAP}(?<![\w@].)[\w'’\-]*(?:\s+(?:{_NAME}|and|&|of|for|the|de|van|von|der|du|la))*?(?:\s+et\s+al\.?)?"
)
_YEAR = r"(?:c\.\s*)?(?:1[6-9]|20)\d\d[a-z]?(?![\w-])"
# "Buck (2021)", "Buck et al. (2015)", "Crossroads Trust (2014, note 4)", "Buck's (2021: 45)"
_NARRATIVE = rf"(?P<n>{_NAMES})\s*\(\s*{_YEAR}[^()]*\)"
# "(Buck, 2021)", "(see Buck et al., 2015; ...)", "HMIP, 2016: 45"
_PAREN = rf"(?P<p>{_NAMES}),\s*{_YEAR}"
FREE_TEXT = re.compile(f"{_NARRATIVE}|{_PAREN}")
_MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Spring",
    "Summer",
    "Autumn",
    "Winter",
}
# A cheap test first: every hand-typed reference has "(" or "," before its year.
_HAS_YEAR = re.compile(r"[(,]\s*(?:c\.\s*)?(?:1[6-9]|20)\d\d")
# Quoted words are the source's own: "…", “…”, ‘…’ and '…' (not an apostrophe: no letter outside).
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|(?<![\w])\'[^\']*\'(?![\w])')

HOW_TO_CITE = '`[@key]` for "(Author, year)" or `@key` for "Author (year)"'

#: The prose fields of a claim, as paths into its document.
TEXT_PATHS = (
    ("statement",),
    ("summary",),
    ("confidence", "rationale"),
    ("confidence", "caveat"),
    ("reviewed", "against"),
    ("reviewed", "note"),
)
LINK_TEXT = ("locator", "source_locator", "note")


def _p(pos: Position, message: str, rule: str, severity: str = "error") -> Problem:
    return Problem(pos, severity, message, rule)


def _suggest(word: str, options) -> str:
    guess = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {guess[0]!r}?" if guess else ""


def _texts(doc: ClaimDocument) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every prose field in a claim document (quotes left out)."""
    data = doc.data
    for path in TEXT_PATHS:
        value = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            yield path, value
    for list_name, fields in (("evidence", LINK_TEXT), ("related", ("note",))):
        for i, item in enumerate(data.get(list_name) or ()):
            if isinstance(item, dict):
                for name in fields:
                    if isinstance(item.get(name), str):
                        yield (list_name, i, name), item[name]


class _Locator:
    """line:col of a piece of a field's text in the claim file, found from the value's start.

    Folded YAML text is one line in the data and several in the file, so the piece is found
    with its spaces matching any run of white space; when it cannot be found (an escape in a
    quoted string), the value's own position is given."""

    def __init__(self, root, doc: ClaimDocument):
        self.doc, self.root = doc, root
        self._read = False
        self._text: str | None = None  # the file, read when first asked
        self._starts: list[int] = []

    def _file(self) -> str | None:
        if not self._read:
            self._read = True
            try:
                self._text = (self.root / self.doc.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._text = None
            if self._text is not None:
                self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        return self._text

    def at(self, path: tuple, piece: str) -> Position:
        start = self.doc.where(path)
        text = self._file()
        if text is None or not piece.strip():
            return start
        lines = self._starts
        offset = lines[start.line - 1] + start.col - 1 if start.line <= len(lines) else len(text)
        m = re.compile(r"\s+".join(re.escape(w) for w in piece.split())).search(text, offset)
        if not m:
            return start
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        return Position(start.path, line, col)


def _unquoted(text: str) -> str:
    """The text with quoted passages blanked out, offsets kept."""
    if not any(q in text for q in "\"“‘'"):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def free_text_citations(text: str) -> Iterator[re.Match]:
    """Author-year references typed by hand, outside quotation marks."""
    if not text or not _HAS_YEAR.search(text):
        return
    for m in FREE_TEXT.finditer(_unquoted(text)):
        names = (m.group("n") or m.group("p") or "").split()
        if names and names[-1] in _MONTHS:
            continue
        yield m


def rule_via(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    """`via` names a known source, not the link's own; `source_locator` only with `via`."""
    for claim in base.claims:
        doc = by_path[claim.path]
        for i, link in enumerate(claim.evidence):
            if link.via is not None:
                if link.via not in base.sources:
                    yield _p(
                        doc.where(("evidence", i, "via")),
                        f"unknown source {link.via!r} in via: no entry with that key in references.bib"
                        f"{_suggest(link.via, base.sources)}",
                        "unknown-source",
                    )
                elif link.via == link.source:
                    yield _p(
                        doc.where(("evidence", i, "via")),
                        f"via {link.via!r} is the link's own source: drop `via` when you read the source "
                        "itself",
                        "via-self",
                    )
            elif link.source_locator is not None:
                yield _p(
                    doc.where(("evidence", i, "source_locator")),
                    "source_locator is the place in the primary work for a secondary citation: add `via` "
                    "(the work you read it in), or put the place in `locator`",
                    "source-locator-without-via",
                )


def _blob(claim) -> str:
    """All of a claim's prose in one string, for one cheap test before looking field by field."""
    conf, rv = claim.confidence, claim.reviewed
    parts = [claim.statement, claim.summary or "", conf.rationale, conf.caveat or ""]
    if rv:
        parts += [rv.against, rv.note or ""]
    for link in claim.evidence:
        parts += [link.locator, link.note or "", link.source_locator or ""]
    parts += [rel.note or "" for rel in claim.related]
    return "\n".join(parts)


def rule_claim_text(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    """In claim prose: every `[@key]` / `@key` names a source in references.bib, and no
    "Buck (2021)" or "(Buck, 2021)" is typed by hand outside quotes."""
    for claim in base.claims:
        blob = _blob(claim)
        keys, typed = "@" in blob, _HAS_YEAR.search(blob) is not None
        if not (keys or typed):
            continue  # the common case, at the cost of one search per claim
        doc = by_path[claim.path]
        locate = _Locator(project.root, doc)
        for path, text in _texts(doc):
            where = ".".join(map(str, path))
            for key, at in cited_keys(text) if keys and "@" in text else ():
                if key not in base.sources:
                    yield _p(
                        locate.at(path, text[at : at + len(key) + 1]),
                        f"unknown source {key!r} cited in {where}: no entry with that key in "
                        f"references.bib{_suggest(key, base.sources)}",
                        "unknown-cited-source",
                    )
            for m in free_text_citations(text) if typed else ():
                piece = m.group().strip()
                how = (
                    "`via: <key>` on the link (the work you read it in), with the place in it as the locator"
                    if path[-1] == "locator"
                    else HOW_TO_CITE
                )
                yield _p(
                    locate.at(path, piece),
                    f"author-year reference typed by hand in {where}: {piece!r}; "
                    f"write {how}, so the label comes from references.bib",
                    "free-text-citation",
                )


def rule_source_text(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    """The same two rules for the source fields the site shows as prose (`incomplete`)."""
    bib_text = None
    for key, src in base.sources.items():
        for name in SOURCE_TEXT_FIELDS:
            text = src.get(name)
            pieces = [
                (
                    f"@{k}",
                    f"unknown source {k!r} cited in {name} of "
                    f"{key!r}: no entry with that key in references.bib{_suggest(k, base.sources)}",
                    "unknown-cited-source",
                )
                for k, at in cited_keys(text)
                if k not in base.sources
            ]
            pieces += [
                (
                    m.group().strip(),
                    f"author-year reference typed by hand in {name} of {key!r}: "
                    f"{m.group().strip()!r}; write {HOW_TO_CITE}, so the label comes from references.bib",
                    "free-text-citation",
                )
                for m in free_text_citations(text)
            ]
            if not pieces:
                continue
            if bib_text is None:
                try:
                    bib_text = project.bib_path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    bib_text = ""
            line = src.field_lines.get(name, src.position.line)
            for piece, message, rule in pieces:
                yield _p(_in_file(src.position.path, bib_text, line, piece), message, rule)


_CURATION = re.compile(
    r"(?i)\b(?:available|download\w*|free|seeds?|summar\w*|see|cited|described|listed|"
    r"copy|our|we)\b"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def rule_reference_complete(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    """What Cite Them Right asks of a reference that our data can get wrong: the date a URL
    was accessed, and no curation prose in `howpublished`, which is printed in the reference."""
    for key, src in base.sources.items():
        urldate = src.get("urldate").strip()
        if src.url and not src.doi and not urldate:
            yield _p(
                src.position,
                f"source {key!r} gives a url but no urldate: add urldate = {{YYYY-MM-DD}}, the day "
                "the address was seen (printed as '(Accessed: ...)')",
                "url-accessed-date",
                "warning",
            )
        elif urldate and not _ISO_DATE.match(urldate):
            yield _p(
                _field_pos(src, "urldate"),
                f"urldate {urldate!r} is not a date written YYYY-MM-DD",
                "url-accessed-date",
            )
        how = src.get("howpublished")
        m = _CURATION.search(how)
        if m:
            yield _p(
                _field_pos(src, "howpublished"),
                f"howpublished of {key!r} reads like a curation note ({m.group()!r}): it is printed in the "
                "reference, so give only how the work was published (a site, series or medium); put the rest "
                "in note or provenance",
                "howpublished-prose",
            )


def _field_pos(src, name: str) -> Position:
    return Position(src.position.path, src.field_lines.get(name, src.position.line), 1)


def _in_file(path: str, text: str, line: int, piece: str) -> Position:
    """The position of `piece` at or after the start of `line` (white space matching any run of it)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return Position(path, line, 1)
    m = re.compile(r"\s+".join(re.escape(w) for w in piece.split())).search(text, start)
    if not m:
        return Position(path, line, 1)
    return Position(
        path, text.count("\n", 0, m.start()) + 1, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    )


RULES = (rule_via, rule_claim_text, rule_source_text, rule_reference_complete)
