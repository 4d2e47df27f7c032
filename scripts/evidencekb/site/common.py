"""Pieces every page uses: the site settings, generated-page records, vocabulary titles,
the confidence badge and a claim's one-line entry.

Titles and descriptions always come from the base's vocabularies, so renaming a theme
in the schema renames it everywhere on the site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from ..model import Claim, EvidenceBase
from ..site_paths import claim_slug, source_slug
from ..vocabulary import meaning
from .markup import e


@dataclass(frozen=True)
class Settings:
    """What the pages need from mkdocs.yml."""

    site_name: str = "Evidence Explorer"
    site_url: str = ""  # ends with '/' when set
    repo_url: str = ""  # no trailing '/'
    branch: str = "main"

    @classmethod
    def from_config(cls, config) -> "Settings":
        site_url = (config.get("site_url") or "").strip()
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        repo = (config.get("repo_url") or "").strip().rstrip("/")
        extra = config.get("extra") or {}
        return cls(
            site_name=config.get("site_name") or cls.site_name,
            site_url=site_url,
            repo_url=repo,
            branch=str(extra.get("branch", "main")) if isinstance(extra, dict) else "main",
        )

    def permalink(self, path: str) -> str:
        return (self.site_url + path) if self.site_url else "/" + path

    def repo_file(self, path: str, action: str = "blob") -> str:
        return f"{self.repo_url}/{action}/{quote(self.branch)}/{quote(path)}" if self.repo_url else ""

    def new_issue(self, template: str, **params: str) -> str:
        if not self.repo_url:
            return ""
        query = "&".join(
            f"{quote(k)}={quote(v, safe='')}" for k, v in [("template", template), *params.items()]
        )
        return f"{self.repo_url}/issues/new?{query}"


class Raw(str):
    """A block of finished, escaped HTML in a generated page's body.

    A generated page body is a list of Heading records (which make the table of contents) and
    Raw blocks; none of it passes through Python-Markdown (hooks hand MkDocs the HTML and the
    table of contents directly). Each Raw block stands in the page as a placeholder comment
    until it is put back: `search` blocks before Material's search plugin reads the page, the
    others into the finished HTML, so the index holds only what is worth finding and the
    indexer never parses the rest.
    """

    search: bool = True


def raw(html: str, search: bool = True) -> Raw:
    block = Raw(html)
    block.search = search
    return block


@dataclass(frozen=True)
class Heading:
    """A heading of a generated page, listed in its table of contents.

    `anchor`: the id; '' makes one from the text the way Python-Markdown's toc extension
    does, so the ids did not change when generated pages stopped going through Markdown.
    `search=False` marks it `data-search-exclude`."""

    level: int
    text: str
    anchor: str = ""
    search: bool = True


def heading(level: int, text: str, anchor: str = "", search: bool = True) -> Heading:
    return Heading(level, text, anchor, search)


PLACEHOLDER = "<!--ev:{}-->"
PLACEHOLDER_RE = re.compile(r"<!--ev:(\d+)-->")


def _slug(text: str) -> str:
    from markdown.extensions.toc import slugify  # the same ids Markdown gave these headings

    return slugify(text, "-")


@dataclass
class GeneratedPage:
    """A page made at build time: `src_uri` as if it were in docs/, front matter, body."""

    src_uri: str
    title: str  # plain text; escaped when written (Material prints titles as HTML)
    body: str | list  # Markdown (the contributing page), or a list of Heading and Raw blocks
    meta: dict = field(default_factory=dict)

    def _parts(self) -> list:
        return self.body if isinstance(self.body, list) else [self.body]

    @property
    def is_html(self) -> bool:
        """True when the body is made here (Headings and Raw blocks), not Markdown."""
        return isinstance(self.body, list)

    def chunks(self) -> list[Raw]:
        return [p for p in self._parts() if isinstance(p, Raw)]

    def markdown(self) -> str:
        """What MkDocs reads: the front matter, and the body only when it is Markdown."""
        meta = {"title": e(self.title), **self.meta}
        # JSON is YAML: every value is a quoted scalar, whatever the text holds.
        head = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return f"---\n{head}\n---\n\n" + (self.body + "\n" if isinstance(self.body, str) else "")

    def _anchors(self) -> list[str]:
        """Each heading's id, made unique as Markdown's toc extension does (x, x_1, x_2 ...)."""
        seen: set[str] = set()
        out = []
        for part in self._parts():
            if isinstance(part, Heading):
                anchor = base = part.anchor or _slug(part.text)
                n = 0
                while anchor in seen:
                    n += 1
                    anchor = f"{base}_{n}"
                seen.add(anchor)
                out.append(anchor)
        return out

    def html(self) -> str:
        """The body as HTML, Raw blocks as placeholders (hooks fill them in), laid out as
        Python-Markdown laid out the same page (a blank line after each raw block)."""
        anchors = iter(self._anchors())
        out: list[str] = []
        n, after_raw = 0, False
        for part in self._parts():
            if isinstance(part, Raw):
                text = PLACEHOLDER.format(n)
                n += 1
            elif isinstance(part, Heading):
                attrs = "" if part.search else " data-search-exclude"
                text = f'<h{part.level}{attrs} id="{e(next(anchors))}">{e(part.text)}</h{part.level}>'
            else:
                raise TypeError(f"{self.src_uri}: a generated page body holds Headings and Raw blocks")
            if out:
                out.append("\n\n" if after_raw else "\n")
            out.append(text)
            after_raw = isinstance(part, Raw)
        return "".join(out)

    def toc(self) -> list[dict]:
        """The table of contents as Python-Markdown's toc tokens (what mkdocs.structure.toc.get_toc reads)."""
        tokens: list[dict] = []
        stack: list[dict] = []
        headings = [p for p in self._parts() if isinstance(p, Heading)]
        for h, anchor in zip(headings, self._anchors(), strict=False):
            token = {"level": h.level, "id": anchor, "name": e(h.text), "children": []}
            while stack and stack[-1]["level"] >= h.level:
                stack.pop()
            (stack[-1]["children"] if stack else tokens).append(token)
            stack.append(token)
        return tokens


def fill(html: str, chunks: list, search: bool | None = None) -> str:
    """Put Raw blocks back in place of their placeholders (only the search or non-search
    ones when `search` says which)."""

    def put(m):
        i = int(m.group(1))
        if i >= len(chunks) or (search is not None and chunks[i].search != search):
            return m.group(0)
        return chunks[i]

    return PLACEHOLDER_RE.sub(put, html)


_CELL_END = re.compile(r"(</t[dh]>|</caption>|</tr>|<br ?/?>|</d[td]>|</summary>)(?!\n)")


def separate_cells(html: str) -> str:
    """A newline after each table cell, line break and definition. Material's search indexer
    drops these tags, so without it the last word of one cell and the first of the next would
    become one search term ("stepsEthnographic"). Browsers ignore the whitespace there."""
    return _CELL_END.sub(r"\1\n", html)


def root_of(src_uri: str) -> str:
    """The relative path from a generated page (always <dir>/index.md) to the site root."""
    depth = src_uri.count("/")
    return "../" * depth


def depth_root(url: str) -> str:
    """The same for any page, from its directory URL ('' for home, 'method/' ...)."""
    return "../" * url.strip("/").count("/") + ("../" if url.strip("/") else "")


# --- URLs (site-root relative) ------------------------------------------------------------


def claim_url(claim_id: str) -> str:
    return f"claims/{claim_slug(claim_id)}/"


def source_url(key: str) -> str:
    return f"sources/{source_slug(key)}/"


def theme_url(theme_id: str) -> str:
    return f"themes/{quote(theme_id, safe='')}/"


def author_url(slug: str) -> str:
    return f"browse/authors/#{quote(slug, safe='')}"


# --- vocabularies -------------------------------------------------------------------------


def title(base: EvidenceBase, vocab: str, term_id: str) -> str:
    v = base.vocabularies.get(vocab)
    return v.title(term_id) if v else term_id


def description(base: EvidenceBase, vocab: str, term_id: str) -> str:
    v = base.vocabularies.get(vocab)
    term = v.get(term_id) if v else None
    return term.description if term else ""


def titles(base: EvidenceBase, vocab: str, ids) -> list[str]:
    return [title(base, vocab, i) for i in ids]


# --- confidence ---------------------------------------------------------------------------


def level_rank(base: EvidenceBase, level: str) -> int:
    """A level's place in the schema's order of levels (x-rank), lowest 0."""
    return meaning(base.vocabularies, base.schema).rank(level)


def levels_descending(base: EvidenceBase) -> tuple[str, ...]:
    return meaning(base.vocabularies, base.schema).descending()


def level_badge(base: EvidenceBase, level: str, suffix: str = " confidence") -> dict:
    """The record templates/macros.html `badge` draws: the rating in words; CSS draws a
    four-bar meter beside it (never colour alone), so a badge costs a few dozen bytes in a
    table of thousands."""
    return {"level": level, "text": title(base, "level", level) + suffix}


def _verb(relation: str, n: int) -> str:
    """A relation id is a verb in the singular ('supports', 'qualifies'); its plural form."""
    if n == 1:
        return relation
    if relation.endswith("ies"):
        return relation[:-3] + "y"
    return relation[:-1] if relation.endswith("s") else relation


def stance_counts(profile) -> list[str]:
    """How the evidence bears on a claim, as scite counts citations: '3 support', '1 qualifies',
    '1 disputes' (links, not sources; zero counts left out, except the first relation's)."""
    parts = []
    for i, (relation, n) in enumerate(profile.relations):
        if n or i == 0:
            parts.append(f"{n} {_verb(relation, n)}")
    return parts


def sources_cell(profile) -> str:
    """The claims table's Sources cell: the count, and any qualifying or disputing links."""
    if profile is None:
        return ""
    others = stance_counts(profile)[1:]
    return f"{profile.n_sources}" + (f" ({', '.join(others)})" if others else "")


def claim_heading(claim: Claim) -> str:
    """A claim's name in lists: its summary, else its statement."""
    return claim.summary or claim.statement


class OncePer:
    """`make(obj)` remembered for the object last asked about (by identity). Site data is made
    once per build, so work a page asks of it (every reference's label, an index of the base)
    is done once instead of once per page: per page it cost O(pages x sources)."""

    def __init__(self, make):
        self._make = make
        self._of: object = None
        self._value = None

    def __call__(self, obj):
        if self._of is not obj:
            self._of, self._value = obj, self._make(obj)
        return self._value

