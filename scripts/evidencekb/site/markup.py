"""The only way untrusted text reaches a page.

Claim and BibTeX text comes from pull requests. Every page body is raw HTML
inside Markdown, and Markdown never looks inside a raw HTML block, so text
escaped here cannot become markup: not `<script>`, not `*emphasis*`, not a
`[link](javascript:...)`, not `{{ template }}`. Control characters are dropped
as well, because Python-Markdown marks its own placeholders with \\x02/\\x03.
Links are made only from http(s) URLs and DOIs (cite.links decides).
"""

from __future__ import annotations

import html
import re
from typing import Iterable

from ..cite.links import doi_url, http_url

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """Text without control characters (tabs and newlines kept)."""
    text = "" if text is None else str(text)
    return text if text.isprintable() else _CONTROL.sub("", text)  # isprintable: a fast C check


def e(text: object) -> str:
    """Escape text for HTML content or a quoted attribute value."""
    return html.escape(clean(text), quote=True)


def external(url: str) -> str:
    """An href for an untrusted URL: http(s) only, percent-encoded; '' when refused."""
    return http_url(clean(url))


def doi_href(doi: str) -> str:
    return doi_url(clean(doi))


def a(href: str, text: str, *, cls: str = "", raw_text: bool = False, extra: str = "") -> str:
    """A link. `href` must already be safe (made by this module or from our own paths);
    `text` is escaped unless raw_text says it is already HTML."""
    body = text if raw_text else e(text)
    c = f' class="{e(cls)}"' if cls else ""
    return f'<a href="{e(href)}"{c}{extra}>{body}</a>'


def external_link(url: str, text: str | None = None) -> str:
    """A link to an untrusted URL, or the URL as plain text when it is not http(s)."""
    href = external(url)
    if not href:
        return e(text or url)
    return a(href, text or url)


def join(parts: Iterable[str], sep: str = "") -> str:
    return sep.join(p for p in parts if p)


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def ids(values: Iterable[str]) -> str:
    """Space-separated ids for a data- attribute (ids are checked slugs; escaped anyway)."""
    return e(" ".join(values))
