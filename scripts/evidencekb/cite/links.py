"""Which links a reference may carry: http(s) URLs and https://doi.org/ DOIs, nothing else.

BibTeX fields are untrusted text. A `javascript:` or `data:` URL printed as a
link would run in the reader's browser, so both the Harvard style and the
exports ask here first; anything refused is shown as text, never linked.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

DOI_RESOLVER = "https://doi.org/"
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
# Reserved and unreserved URL characters, plus '%' so existing escapes survive;
# everything else (spaces, quotes, <, >, non-ASCII) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&()*+,;=-._~%"
_DOI_SAFE = "/:;()[]._-+,=@!$*~"


def bare_doi(value: str) -> str:
    """A DOI as `10.xxxx/...`, accepting the resolver and `doi:` prefixes people paste; '' if not a DOI."""
    doi = _DOI_PREFIX.sub("", (value or "").strip())
    return doi if _DOI.match(doi) else ""


def doi_url(value: str) -> str:
    """The https://doi.org/ link for a DOI, percent-encoded for use as an href; '' if not a DOI."""
    doi = bare_doi(value)
    return DOI_RESOLVER + quote(doi, safe=_DOI_SAFE) if doi else ""


def http_url(value: str) -> str:
    """The URL, percent-encoded for use as an href, if it is absolute http(s); '' otherwise."""
    url = (value or "").strip()
    if not url or re.search(r"[\x00-\x1f\x7f]", url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(url, safe=_URL_SAFE)


def is_pdf_url(value: str) -> bool:
    url = http_url(value)
    return bool(url) and urlsplit(url).path.lower().endswith(".pdf")
