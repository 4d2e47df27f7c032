"""What's new: the changes a reader who cites findings needs to hear of, as records and as Atom.

Cochrane's "What's new" tables and living-guideline alerts tell readers when a finding they rely
on has changed; here the entries come from the claims' git history (new claims, rating changes,
restated findings, changed caveats), newest first. The Atom document depends only on the data:
its `updated` is the newest entry's date, never the time of the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .history import Change, HistoryResult

# The changes a citation would notice, and how a reader is told of them.
NEWS_KINDS = ("added", "level", "statement", "caveat")


@dataclass(frozen=True, slots=True)
class NewsItem:
    date: str
    claim_id: str
    version: int
    kind: str  # one of NEWS_KINDS
    before: str | None
    after: str | None
    reason: str  # the commit message


def news(history: HistoryResult) -> list[NewsItem]:
    """Every newsworthy change, newest first (ties by claim id, then version)."""
    items = []
    for cid, h in history.claims.items():
        for v in h.versions:
            for c in v.changes:
                if c.kind in NEWS_KINDS:
                    items.append(NewsItem(v.date, cid, v.number, c.kind, c.before, c.after, v.message))
    # newest day first; within a day claims in id order, their newest version first, and a
    # version's changes in NEWS_KINDS order (stable sorts, least significant key first)
    items.sort(key=lambda i: NEWS_KINDS.index(i.kind))
    items.sort(key=lambda i: i.version, reverse=True)
    items.sort(key=lambda i: i.claim_id)
    items.sort(key=lambda i: i.date, reverse=True)
    return items


def headline(item: NewsItem, title: str, level_title=lambda level: level) -> str:
    """One line for a list or a feed entry, in plain words."""
    if item.kind == "added":
        return f"New finding: {title}"
    if item.kind == "level":
        return (f"Confidence changed from {level_title(item.before or '')} to "
                f"{level_title(item.after or '')}: {title}")
    if item.kind == "statement":
        return f"Finding restated: {title}"
    return f"Caveat changed: {title}"


def change_phrase(item: NewsItem, level_title=lambda level: level) -> str:
    """What changed, without the finding's title: for a page that lists a version's changes
    together under the finding's name."""
    if item.kind == "added":
        return "new finding"
    if item.kind == "level":
        return f"confidence changed from {level_title(item.before or '')} to {level_title(item.after or '')}"
    return "finding restated" if item.kind == "statement" else "caveat changed"


def by_version(items: list[NewsItem]) -> list[list[NewsItem]]:
    """News items grouped by (claim, version), in the order `news` gave them: one version of
    one finding is one entry for a reader, however many of its parts changed."""
    groups: dict[tuple[str, int], list[NewsItem]] = {}
    for item in items:
        groups.setdefault((item.claim_id, item.version), []).append(item)
    return list(groups.values())


def _text(s: str) -> str:
    """XML text with every control character except tab and newline removed (XML 1.0 forbids them)."""
    return escape("".join(ch for ch in s if ch in "\t\n" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def atom(items: list[NewsItem], *, feed_id: str, title: str, site_url: str, self_url: str,
         claim_url, claim_title, level_title=lambda level: level, limit: int = 100) -> str:
    """An Atom 1.0 feed of the newest `limit` items. `claim_url(id, version)` gives an entry's link."""
    shown = items[:limit]
    updated = (shown[0].date if shown else "1970-01-01") + "T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"  <id>{_text(feed_id)}</id>",
           f"  <title>{_text(title)}</title>",
           f"  <updated>{updated}</updated>",
           f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url)}/>",
           f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(self_url)}/>",
           "  <author><name>" + _text(title) + "</name></author>"]
    for item in shown:
        name = claim_title(item.claim_id)
        link = claim_url(item.claim_id, item.version)
        summary = headline(item, name, level_title)
        if item.reason:
            summary += f" ({item.reason})"
        out += ["  <entry>",
                f"    <id>{_text(link)}#{item.kind}</id>",
                f"    <title>{_text(headline(item, name, level_title))}</title>",
                f"    <updated>{item.date}T00:00:00Z</updated>",
                f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
                f"    <summary>{_text(summary)}</summary>",
                "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


__all__ = ["Change", "NEWS_KINDS", "NewsItem", "atom", "headline", "news"]
