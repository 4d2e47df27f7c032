"""In-text labels and reference-list order: "Buck (2019a)", "(Lenkens et al., 2020)".

Labels list at most three surnames; the same names and year twice or more get a, b, c...
in title order, decided across the whole bibliography. `harvard_labels` gives just these
labels, without formatting whole references, for the graph and anywhere else a source is named.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle

from .names import ET_AL, and_list, creator_role, is_others, surname

NO_DATE = "n.d."
# In-text labels list at most three surnames; more become "First et al.".
MAX_LABEL_NAMES = 3


def entry_title(entry) -> str:
    return entry.fields.get("title", "").strip() or "[Untitled]"


# --------------------------------------------------------------------------
# Dates and suffix letters.

_NO_DATE_WORDS = {"", "n.d.", "n.d", "nd", "no date", "undated", "s.d."}


def _year(entry) -> str:
    year = entry.fields.get("year", "").strip()
    if not year:  # biblatex writes a date instead
        year = entry.fields.get("date", "").strip()[:4]
    return NO_DATE if year.casefold() in _NO_DATE_WORDS else year


def year_key(year: str) -> tuple:
    """Undated works first (they are treated as the oldest), then by year."""
    if year == NO_DATE:
        return (0, 0, "")
    m = re.match(r"\d+", year)
    return (1, int(m.group()), year) if m else (2, 0, year)


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def _title_key(title: str) -> str:
    t = re.sub(r"^\W+", "", _fold(title))
    return re.sub(r"^(?:the|a|an)\s+", "", t)


@dataclass(frozen=True, slots=True)
class HarvardLabel:
    """What the in-text citation says, and where the entry sorts."""

    names: str  # "Buck", "Buck and Tomczak", "Lenkens et al.", or the title when there is no creator
    year: str  # "2019" or "n.d."
    by_title: bool
    names_key: tuple
    title_key: str
    key: str
    suffix: str = ""

    @property
    def year_text(self) -> str:
        if not self.suffix:
            return self.year
        return f"{self.year}-{self.suffix}" if self.year == NO_DATE else self.year + self.suffix

    @property
    def narrative(self) -> str:
        return f"{self.names} ({self.year_text})"

    @property
    def parenthetical(self) -> str:
        return f"({self.names}, {self.year_text})"

    @property
    def sort_key(self) -> tuple:
        return (self.names_key, year_key(self.year), self.suffix, self.title_key, self.key)


def base_label(entry) -> HarvardLabel:
    """The label before letters: names by the in-text rule (1, 2, 3 names; 4+ or "and others": et al.).

    Kept on the entry: sorting and labelling both ask for it.
    """
    cached = entry.__dict__.get("_harvard_label")
    if cached is None:
        cached = entry.__dict__["_harvard_label"] = _base_label(entry)
    return cached


def _base_label(entry) -> HarvardLabel:
    title = entry_title(entry)
    role = creator_role(entry)
    if role:
        persons = entry.persons[role]
        surnames = [surname(p) for p in persons if not is_others(p)]
        if is_others(persons[-1]) or len(surnames) > MAX_LABEL_NAMES:
            names = f"{surnames[0]} {ET_AL}"
            names_key = (_fold(surnames[0]), "\U0010ffff")  # after every named co-author list
        else:
            names = and_list(surnames)
            names_key = tuple(_fold(s) for s in surnames)
    else:
        names, names_key = title, (_title_key(title),)
    return HarvardLabel(names=names, year=_year(entry), by_title=not role, names_key=names_key,
                        title_key=_title_key(title), key=entry.key)


class HarvardLabelStyle(BaseLabelStyle):
    """Author-date labels; the same names and year twice or more get a, b, c... in title order."""

    def format_labels(self, sorted_entries):
        labels = [base_label(e) for e in sorted_entries]
        groups = defaultdict(list)
        for i, label in enumerate(labels):
            groups[(label.names.casefold(), label.year)].append(i)
        for members in groups.values():
            if len(members) > 1:
                members.sort(key=lambda i: (labels[i].title_key, labels[i].key))
                for n, i in enumerate(members):
                    old = labels[i]
                    labels[i] = HarvardLabel(old.names, old.year, old.by_title, old.names_key,
                                             old.title_key, old.key, _letters(n))
        return labels


class HarvardSortingStyle(BaseSortingStyle):
    """Reference-list order: by in-text names, then year, then title (which is also letter order)."""

    def sorting_key(self, entry):
        label = base_label(entry)
        return (label.names_key, year_key(label.year), label.title_key, label.key)
