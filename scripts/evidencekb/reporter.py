"""Problems out: for people, for GitHub's annotations, and for tools."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable, TextIO

from .model import EvidenceBase, Problem
from .vocabulary import meaning


def _escape_github(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_text(p: Problem) -> str:
    return f"{p.position.path}:{p.position.line}:{p.position.col}: {p.severity}: {p.message} [{p.rule}]"


def format_github(p: Problem) -> str:
    pos = p.position
    props = (f"file={_escape_github(pos.path, True)},line={pos.line},col={pos.col},"
             f"title={_escape_github(p.rule, True)}")
    return f"::{p.severity} {props}::{_escape_github(p.message)}"


def summary_line(problems: Iterable[Problem], base: EvidenceBase | None) -> str:
    counts = Counter(p.severity for p in problems)
    e, w = counts.get("error", 0), counts.get("warning", 0)
    what = f"{len(base.claims)} claims, {len(base.sources)} sources" if base else "nothing loaded"
    return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} ({what} checked)"


def stats(base: EvidenceBase) -> dict:
    claims = base.claims
    links = [e for c in claims for e in c.evidence]
    return {
        "claims": len(claims),
        "sources": len(base.sources),
        "evidence_links": len(links),
        "incomplete_sources": sum(1 for s in base.sources.values() if s.incomplete),
        "relations": dict(sorted(Counter(e.relation for e in links).items())),
        "confidence": {lvl: n for lvl in meaning(base.vocabularies, base.schema).descending()
                       if (n := sum(1 for c in claims if c.confidence.level == lvl))},
        "claim_types": dict(sorted(Counter(c.claim_type for c in claims).items())),
        "themes": {t: sum(1 for c in claims if t in c.themes) for t in base.vocabularies["theme"].ids()},
    }


def write_report(problems: tuple[Problem, ...], base: EvidenceBase | None, fmt: str, out: TextIO,
                 show_stats: bool = False) -> None:
    if fmt == "json":
        doc = {
            "problems": [{"path": p.position.path, "line": p.position.line, "col": p.position.col,
                          "severity": p.severity, "rule": p.rule, "message": p.message} for p in problems],
            "errors": sum(p.is_error for p in problems),
            "warnings": sum(not p.is_error for p in problems),
        }
        if show_stats and base:
            doc["stats"] = stats(base)
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    fmt_one = format_github if fmt == "github" else format_text
    for p in problems:
        out.write(fmt_one(p) + "\n")
    if show_stats and base:
        s = stats(base)
        out.write(f"claims: {s['claims']}\nsources: {s['sources']} ({s['incomplete_sources']} incomplete)\n"
                  f"evidence links: {s['evidence_links']} "
                  f"({', '.join(f'{k} {v}' for k, v in s['relations'].items())})\n"
                  f"confidence: {', '.join(f'{k} {v}' for k, v in s['confidence'].items())}\n"
                  f"claim types: {', '.join(f'{k} {v}' for k, v in s['claim_types'].items())}\n"
                  f"themes: {', '.join(f'{k} {v}' for k, v in s['themes'].items())}\n")
    if fmt == "text":
        out.write(summary_line(problems, base) + "\n")
