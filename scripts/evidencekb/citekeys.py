"""The citation syntax of claim text, `[@key]` and `@key` (as Pandoc writes them), read.

Kept at the bottom of the pipeline, beside the model: the checker reads it to report unknown
keys, and cite.intext to replace each citation with its Harvard label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

#: Source fields whose prose the site shows (an incomplete reference says why).
SOURCE_TEXT_FIELDS = ("incomplete",)

# A BibTeX key as the schema allows it; inner punctuation only when a letter or digit follows,
# so "see @buck2021peer." keeps its full stop.
_KEY = r"[A-Za-z0-9](?:[A-Za-z0-9_]|[:.+-](?=[A-Za-z0-9_]))*"
_ITEM = rf"@{_KEY}(?:\s*,[^;\]\[]*)?"
CITATION = re.compile(
    rf"\[\s*(?P<group>{_ITEM}(?:\s*;\s*{_ITEM})*)\s*\]"  # [@a; @b, p. 4]
    # @a or @a [p. 4]; the look-behind comes after the '@' so the regex engine can skip to each '@'
    rf"|@(?<![\w@\[]@)(?P<key>{_KEY})(?:\s*\[(?P<suffix>[^\[\]@]+)\])?"
)
_GROUP_ITEM = re.compile(rf"@(?P<key>{_KEY})(?:\s*,(?P<suffix>[^;]*))?")


@dataclass(frozen=True, slots=True)
class Cite:
    """One work cited: its key, the work it was read in (if any) and a page or section."""

    key: str
    via: str | None = None
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Found:
    """A citation written in text: where it is, what it cites, and in which form."""

    start: int
    end: int
    cites: tuple[Cite, ...]
    narrative: bool


def find(text: str) -> Iterator[Found]:
    """Every `[@key...]` and `@key` citation in the text, in order."""
    if not text or "@" not in text:
        return
    for m in CITATION.finditer(text):
        if m.group("group") is not None:
            cites = tuple(
                Cite(g.group("key"), suffix=(g.group("suffix") or "").strip())
                for g in _GROUP_ITEM.finditer(m.group("group"))
            )
            yield Found(m.start(), m.end(), cites, False)
        else:
            yield Found(
                m.start(), m.end(), (Cite(m.group("key"), suffix=(m.group("suffix") or "").strip()),), True
            )


def cited_keys(text: str) -> Iterator[tuple[str, int]]:
    """(key, offset of its '@') for every key cited in the text."""
    for found in find(text):
        at = found.start
        for cite in found.cites:
            at = text.index("@" + cite.key, at)
            yield cite.key, at
            at += 1
