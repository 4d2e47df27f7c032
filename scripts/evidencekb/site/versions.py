"""Claim versions on the site: the version line, the History section, a frozen page per
superseded version, the What's new page and its Atom feed.

A citation names a version ("version 3, 14 March 2027") and links to that version's
permalink, claims/<id>/v<n>/. While the version is current the permalink forwards to the
claim page; once the claim changes the build writes a frozen page there that still shows the
text as cited, with a notice that the finding has changed. Frozen pages are plain files (not
MkDocs pages) made only for superseded versions, so 10,000 claims cost one small file each
and no git process: history.load_history read everything in two.
"""

from __future__ import annotations

from ..feed import atom, by_version, change_phrase, news
from ..history import ClaimVersion, HistoryResult, version_text
from .common import GeneratedPage, Settings, claim_heading, claim_url, raw, title
from .templating import render

FEED_PATH = "whats-new.xml"
WHATS_NEW_LIMIT = 200  # entries on the page; the feed carries the newest 100


def version_url(claim_id: str, number: int) -> str:
    return f"{claim_url(claim_id)}v{number}/"


def current_version(history: HistoryResult | None, claim_id: str) -> ClaimVersion | None:
    h = history.of(claim_id) if history is not None and history.available else None
    return h.current if h is not None else None


def version_record(history: HistoryResult | None, claim_id: str, settings: Settings) -> dict | None:
    """What a citation says of the claim's version, or None when the build has no history."""
    v = current_version(history, claim_id)
    if v is None:
        return None
    return {"number": v.number, "date": v.date, "commit": v.commit, "text": version_text(v),
            "permalink": settings.permalink(version_url(claim_id, v.number))}


def _change_lines(base, change, labels) -> str:
    level = lambda lv: title(base, "level", lv or "")  # noqa: E731
    src = labels.get(change.subject, change.subject or "")
    k = change.kind
    if k == "added":
        return "Finding added"
    if k == "statement":
        return "Finding restated"
    if k == "level":
        return f"Confidence changed from {level(change.before)} to {level(change.after)}"
    if k == "caveat":
        if not change.before:
            return "Caveat added"
        return "Caveat removed" if not change.after else "Caveat changed"
    if k == "source-added":
        return f"Source added: {src} ({title(base, 'relation', change.after or '').lower()})"
    if k == "source-removed":
        return f"Source removed: {src}"
    if k == "relation":
        return (f"{src} now {title(base, 'relation', change.after or '').lower()} the finding "
                f"(was: {title(base, 'relation', change.before or '').lower()})")
    return "Removed"


def history_block(base, history: HistoryResult | None, claim_id: str, refs) -> str:
    """The claim page's History section, newest version first ('' when there is none)."""
    h = history.of(claim_id) if history is not None and history.available else None
    if h is None or not h.versions:
        return ""
    labels = {k: r.label for k, r in refs.items()}
    current = h.versions[-1].number
    rows = []
    for v in reversed(h.versions):
        restated = next((c for c in v.changes if c.kind == "statement"), None)
        rows.append({"text": "V" + version_text(v)[1:],
                     "changes": [_change_lines(base, c, labels) for c in v.changes],
                     "reason": v.message, "url": "" if v.number == current else f"v{v.number}/",
                     "before": restated.before if restated else ""})
    return render("claim/history.html", rows=rows, modified=h.modified)


def frozen_files(data, settings: Settings) -> dict[str, str]:
    """claims/<id>/v<n>/index.html for every version: a frozen page for a superseded one, a
    forwarding page for the current one (so a permalink cited today keeps working)."""
    history = data.history
    if history is None or not history.available:
        return {}
    base = data.base
    out: dict[str, str] = {}
    for claim in base.claims:
        h = history.of(claim.id)
        if h is None or not h.versions:
            continue
        now = h.versions[-1]
        heading = claim_heading(claim)
        for v in h.versions:
            path = f"{version_url(claim.id, v.number)}index.html"
            if v is now:
                out[path] = render("versions/current.html", heading=heading, version=version_text(v))
                continue
            out[path] = render("versions/frozen.html", root="../../../", site_name=settings.site_name,
                               heading=heading, version=version_text(v), statement=v.statement or "",
                               level=title(base, "level", v.level or "") if v.level else "",
                               caveat=v.caveat or "", message=v.message, commit=v.commit[:12],
                               current=version_text(now), current_url="../")
    return out


def _level_title(base):
    return lambda lv: title(base, "level", lv).lower() if lv else "none"


def render_whats_new(data) -> GeneratedPage:
    base, history = data.base, data.history
    src_uri = "whats-new/index.md"
    items, reason = [], ""
    if history is None or not history.available:
        reason = (history.reason if history is not None else "no history was read") or ""
    else:
        claims = {c.id: c for c in base.claims}
        level_title = _level_title(base)
        for group in by_version(news(history))[:WHATS_NEW_LIMIT]:
            item = group[0]
            claim = claims.get(item.claim_id)
            if claim is None:
                continue
            h = history.of(item.claim_id)
            current = h is not None and h.versions[-1].number == item.version
            changes = "; ".join(change_phrase(i, level_title) for i in group)
            items.append({"date": item.date, "title": claim_heading(claim),
                          "changes": changes[:1].upper() + changes[1:], "reason": item.reason,
                          "url": "../" + (claim_url(item.claim_id) if current
                                          else version_url(item.claim_id, item.version)),
                          "current": "../" + claim_url(item.claim_id)})
    body = render("versions/whats_new.html", items=items, reason=reason, feed="../" + FEED_PATH)
    return GeneratedPage(src_uri, "What's new", [raw(body)], {"ev_kind": "whats-new"})


def feed_files(data, settings: Settings) -> dict[str, str]:
    """whats-new.xml: the Atom feed (empty of entries when the build has no history)."""
    base, history = data.base, data.history
    items = news(history) if history is not None and history.available else []
    claims = {c.id: c for c in base.claims}
    items = [i for i in items if i.claim_id in claims]
    site = settings.site_url or "/"

    def link(cid: str, number: int) -> str:
        return settings.permalink(version_url(cid, number))

    text = atom(items, feed_id=settings.permalink(FEED_PATH), title=f"{settings.site_name}: what's new",
                site_url=settings.permalink("whats-new/") if settings.site_url else site,
                self_url=settings.permalink(FEED_PATH), claim_url=link,
                claim_title=lambda cid: claim_heading(claims[cid]), level_title=_level_title(base))
    return {FEED_PATH: text}
