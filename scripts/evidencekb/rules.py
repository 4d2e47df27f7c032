"""Rules the schema cannot express: references across files, text limits,
and whether a confidence rating is consistent with the evidence behind it.

Each rule is a small generator of problems, so a new one is a function and a
line in RULES, and each can be tested alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from typing import Iterator

from . import citation_rules, confidence
from .model import EvidenceBase, Position, Problem, Source, split_list
from .parsers.claim_yaml import ClaimDocument
from .project import Project

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
QUOTE_WORD_LIMIT = 40
# Any URI scheme other than http(s) in free text is refused: javascript:, data:, file:, vbscript:, ftp:// ...
_BAD_SCHEME = re.compile(r"(?i)\b(?!https?://)([a-z][a-z0-9+.-]{1,20})://")
_BAD_SCHEME_EXPLICIT = re.compile(r"(?i)\b(javascript|vbscript|data|file)\s*:")
TEXT_FIELDS = ("statement", "summary")


def _p(pos: Position, message: str, rule: str, severity: str = "error") -> Problem:
    return Problem(pos, severity, message, rule)


def _suggest(word: str, options) -> str:
    guess = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {guess[0]!r}?" if guess else ""


# --- claim rules -------------------------------------------------------------------------

def rule_ids(base: EvidenceBase, docs: list[ClaimDocument], by_path, project: Project) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for doc in docs:
        stem = os.path.splitext(os.path.basename(doc.path))[0]  # a Path a file cost 0.1 s at 10,000
        if not SLUG.match(stem):
            yield _p(Position(doc.path),
                     f"file name {stem!r} is not a slug: use lowercase letters, digits and hyphens",
                     "file-name")
        cid = doc.data.get("id")
        if not isinstance(cid, str):
            continue
        if cid != stem and SLUG.match(cid):
            yield _p(doc.where(("id",)), f"id {cid!r} must equal the file name {stem!r}", "id-file-name")
        if cid in seen:
            yield _p(doc.where(("id",)), f"duplicate id {cid!r} (also in {seen[cid]})", "duplicate-id")
        else:
            seen[cid] = doc.path


def rule_references(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    known_ids = {d.data.get("id") for d in docs if isinstance(d.data.get("id"), str)}
    # A claim file that exists but does not parse has its own error; links to it are not
    # "unknown" as well, or one typo would be reported once per claim that cites it.
    known_ids |= {stem for stem, ext in map(os.path.splitext, project.claim_names()) if ext == ".yaml"}
    for claim in base.claims:
        doc = by_path[claim.path]
        for i, link in enumerate(claim.evidence):
            if link.source not in base.sources:
                yield _p(doc.where(("evidence", i, "source")),
                         f"unknown source {link.source!r}: no entry with that key in "
                         f"references.bib{_suggest(link.source, base.sources)}",
                         "unknown-source")
        seen_links = set()
        for i, link in enumerate(claim.evidence):
            k = (link.source, link.locator.strip().lower())
            if k in seen_links:
                yield _p(doc.where(("evidence", i)),
                         f"source {link.source!r} is linked twice with the same locator", "duplicate-link",
                         "warning")
            seen_links.add(k)
        for i, rel in enumerate(claim.related):
            if rel.claim == claim.id:
                yield _p(doc.where(("related", i, "claim")), "a claim cannot be related to itself",
                         "self-related")
            elif rel.claim not in known_ids:
                yield _p(doc.where(("related", i, "claim")),
                         f"unknown claim {rel.claim!r}: no "
                         f"claims/{rel.claim}.yaml{_suggest(rel.claim, known_ids)}",
                         "unknown-claim")


def _word_count(text: str) -> int:
    return len(re.findall(r"\S+", text))


def rule_text(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    for claim in base.claims:
        doc = by_path[claim.path]
        texts: list[tuple[tuple, str]] = [
            (("statement",), claim.statement), (("summary",), claim.summary or ""),
            (("confidence", "rationale"), claim.confidence.rationale),
            (("confidence", "caveat"), claim.confidence.caveat or "")]
        for i, link in enumerate(claim.evidence):
            texts += [(("evidence", i, "quote"), link.quote or ""),
                      (("evidence", i, "note"), link.note or ""),
                      (("evidence", i, "locator"), link.locator)]
            if link.quote and _word_count(link.quote) > QUOTE_WORD_LIMIT:
                yield _p(doc.where(("evidence", i, "quote")),
                         f"quote has {_word_count(link.quote)} words; quote at most {QUOTE_WORD_LIMIT} and "
                         "paraphrase the rest",
                         "quote-length")
        for i, rel in enumerate(claim.related):
            texts.append((("related", i, "note"), rel.note or ""))
        for path, text in texts:
            if ":" not in text:
                continue
            m = _BAD_SCHEME_EXPLICIT.search(text) or _BAD_SCHEME.search(text)
            if m:
                yield _p(doc.where(path),
                         f"{m.group(1)}: link in {'.'.join(map(str, path))}: only http(s) and DOI links are "
                         "allowed",
                         "link-scheme")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def rule_dates(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    today = dt.date.today()
    for claim in base.claims:
        doc = by_path[claim.path]
        added, updated = _date(claim.added), _date(claim.updated)
        for name, raw, value in (("added", claim.added, added), ("updated", claim.updated, updated)):
            if raw and value is None:
                yield _p(doc.where((name,)), f"{name}: {raw!r} is not a real date", "date")
            elif value and value > today + dt.timedelta(days=1):
                yield _p(doc.where((name,)), f"{name}: {raw} is in the future", "date")
        if added and updated and updated < added:
            yield _p(doc.where(("updated",)), f"updated ({claim.updated}) is before added ({claim.added})",
                     "date-order")


def rule_confidence(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    """The rating policy's findings (`confidence.rating_findings`), placed at their lines."""
    m = confidence.of(base)
    for claim in base.claims:
        doc = by_path[claim.path]
        for f in confidence.rating_findings(claim, base.sources, m):
            yield _p(doc.where(f.path), f.message, f.rule, f.severity)


# --- source rules ------------------------------------------------------------------------

def _field_pos(src: Source, name: str) -> Position:
    return Position(src.position.path, src.field_lines.get(name, src.position.line), 1)


def rule_sources(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    vocab = base.vocabularies
    for key, src in base.sources.items():
        if not src.title:
            yield _p(src.position, f"source {key!r} has no title", "source-title")
        if "year" not in src.fields:
            yield _p(src.position, f"source {key!r} has no year (use year = {{n.d.}} if unknown)",
                     "source-year")
        if not src.creators and not src.incomplete:
            yield _p(src.position,
                     f"source {key!r} has no author or editor; add one or say why in an incomplete field",
                     "source-author", "warning")
        for name, vname in (("design", "design"), ("country", "country")):
            value = src.get(name)
            if not value:
                yield _p(src.position,
                         f"source {key!r} has no {name} field (use {name} = {{unknown}} if not known)",
                         f"source-{name}", "warning")
            elif value not in vocab[vname].ids():
                yield _p(_field_pos(src, name),
                         f"{name} {value!r} is not a known {vname}{_suggest(value, vocab[vname].ids())}",
                         "source-vocabulary")
        for name, vname in (("setting", "setting"), ("schemes", "scheme")):
            if vname not in vocab:
                continue
            for value in split_list(src.get(name)):
                if value not in vocab[vname].ids():
                    yield _p(_field_pos(src, name),
                             f"{name} {value!r} is not a known {vname}{_suggest(value, vocab[vname].ids())}",
                             "source-vocabulary")
        url = src.url
        if url and not re.match(r"^https?://[^\s\"'<>]+$", url):
            yield _p(_field_pos(src, "url"), f"url {url!r}: only http(s) links are allowed", "link-scheme")
        if src.doi and not DOI.match(src.doi):
            yield _p(_field_pos(src, "doi"),
                     f"doi {src.doi!r} is not a DOI (10.xxxx/...; no https://doi.org/ prefix)", "doi")
        for cited in src.cited_in:
            if cited not in base.sources:
                yield _p(_field_pos(src, "citedin"),
                         f"citedin: unknown source {cited!r}{_suggest(cited, base.sources)}",
                         "unknown-source")


def rule_uncited(base: EvidenceBase, docs, by_path, project) -> Iterator[Problem]:
    cited = {k for c in base.claims for e in c.evidence for k in (e.source, e.via) if k}
    for key, src in base.sources.items():
        if key not in cited:
            yield _p(src.position, f"source {key!r} is not cited by any claim", "uncited-source", "warning")




RULES = (rule_ids, rule_references, rule_text, rule_dates, rule_confidence, rule_sources, rule_uncited,
         *citation_rules.RULES)


def check_rules(base: EvidenceBase, docs: list[ClaimDocument], by_path: dict[str, ClaimDocument],
                project: Project) -> list[Problem]:
    out: list[Problem] = []
    for rule in RULES:
        out.extend(rule(base, docs, by_path, project))
    return out
