"""`evidence add-source --doi`: a work's metadata from its DOI, as Zotero's "add by identifier".

The DOI resolver answers content negotiation with CSL-JSON, the registration agency's own
record (Crossref, DataCite, ...), so the entry holds what the publisher deposited, not a guess.
That record becomes a BibTeX entry here and then goes through the same normalising, keying and
duplicate check as a file from a reference manager. The resolver's address is configurable
(`--resolver` or EVIDENCE_DOI_RESOLVER) so the tests can serve recorded answers on 127.0.0.1;
every failure (offline, not found, a timeout, an answer that is not CSL-JSON) is one line.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .common import ContributeError

DEFAULT_RESOLVER = "https://doi.org/"
RESOLVER_ENV = "EVIDENCE_DOI_RESOLVER"
ACCEPT = "application/vnd.citationstyles.csl+json"
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
MAX_BYTES = 2_000_000  # a CSL record is a few kilobytes; anything bigger is not one

# CSL item types and the BibTeX types our normaliser keeps.
CSL_TYPES = {
    "article-journal": "article", "journal-article": "article", "article": "article",
    "article-magazine": "article", "article-newspaper": "article", "review": "article",
    "chapter": "incollection", "book-chapter": "incollection", "paper-conference": "incollection",
    "entry-encyclopedia": "incollection", "entry-dictionary": "incollection",
    "book": "book", "monograph": "book", "edited-book": "book", "reference-book": "book",
    "report": "techreport", "thesis": "phdthesis", "dissertation": "phdthesis",
}
_TAG = re.compile(r"<[^>]{0,200}>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LATEX_SPECIAL = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%",
                                "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}"})


def normalise_doi(text: str) -> str:
    """A bare DOI from '10.x/y', 'doi:10.x/y' or a doi.org link; refuses anything else (exit 2)."""
    doi = _PREFIXES.sub("", text.strip())
    doi = urllib.parse.unquote(doi) if "%" in doi else doi
    if not _DOI.match(doi) or _CONTROL.search(doi) or any(c in doi for c in "{}\\"):
        raise ContributeError(f"--doi {text!r} is not a DOI (it looks like 10.1234/abc)", 2)
    return doi


def resolver_address(given: str | None = None) -> str:
    address = given or os.environ.get(RESOLVER_ENV) or DEFAULT_RESOLVER
    if not re.match(r"^https?://", address, re.IGNORECASE):
        raise ContributeError(f"--resolver {address!r} is not an http(s) address", 2)
    return address if address.endswith("/") else address + "/"


def fetch_csl(doi: str, resolver: str | None = None, timeout: float = 15.0) -> dict[str, Any]:
    """The resolver's CSL-JSON record for `doi`; one-line ContributeError on any failure."""
    base = resolver_address(resolver)
    url = base + urllib.parse.quote(doi, safe="/:;()")
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": "evidencekb add-source"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked)
            raw = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise ContributeError(f"DOI {doi} not found: the resolver at {base} answered 404") from None
        raise ContributeError(f"DOI {doi}: the resolver at {base} answered {exc.code} {exc.reason}") from None
    except (socket.timeout, TimeoutError):
        raise ContributeError(f"DOI {doi}: no answer from {base} within {timeout:g} s; "
                              "try again later") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise ContributeError(f"DOI {doi}: no answer from {base} within {timeout:g} s; "
                              "try again later") from None
        raise ContributeError(f"DOI {doi}: cannot reach {base} (offline?): {reason}") from None
    except OSError as exc:
        raise ContributeError(f"DOI {doi}: cannot reach {base} (offline?): {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise ContributeError(f"DOI {doi}: the resolver's answer is too large to be a CSL-JSON record")
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ContributeError(f"DOI {doi}: the resolver's answer is not CSL-JSON "
                              f"(asked for {ACCEPT})") from None
    if isinstance(record, list) and len(record) == 1:
        record = record[0]
    if not isinstance(record, dict) or not isinstance(record.get("title"), (str, list)):
        raise ContributeError(f"DOI {doi}: the resolver's answer is not a CSL-JSON record (no title)")
    return record


def _plain(value: Any) -> str:
    """CSL text as plain text: the first of a list, tags (<i>, <sub>) and entities undone,
    control and bidi characters dropped, white space collapsed."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, (str, int, float)):
        return ""
    text = html.unescape(_TAG.sub("", str(value)))
    return " ".join(_CONTROL.sub(" ", text).split())


def _tex(value: Any) -> str:
    return _plain(value).translate(_LATEX_SPECIAL)


def _names(people: Any) -> str:
    names = []
    for p in people if isinstance(people, list) else ():
        if not isinstance(p, dict):
            continue
        if p.get("literal") or (p.get("name") and not p.get("family")):
            names.append("{" + _tex(p.get("literal") or p.get("name")) + "}")  # an organisation, kept whole
        elif p.get("family"):
            given = _tex(p.get("given", ""))
            names.append(f"{_tex(p['family'])}, {given}" if given else _tex(p["family"]))
    return " and ".join(n for n in names if n.strip("{}, "))


def _year(record: dict[str, Any]) -> str:
    for name in ("issued", "published-print", "published-online", "published", "created"):
        parts = (record.get(name) or {}).get("date-parts") if isinstance(record.get(name), dict) else None
        if parts and isinstance(parts[0], list) and parts[0] and str(parts[0][0]).isdigit():
            return str(parts[0][0])
    return ""


def bibtex_from_csl(record: dict[str, Any], doi: str, today: dt.date | None = None) -> str:
    """One BibTeX entry (placeholder key: the normaliser gives it ours) from a CSL-JSON record."""
    kind = CSL_TYPES.get(str(record.get("type", "")), "misc")
    fields: list[tuple[str, str]] = []

    def put(name: str, value: str) -> None:
        if value:
            fields.append((name, value))

    put("author", _names(record.get("author")))
    put("editor", _names(record.get("editor")))
    put("title", _tex(record.get("title")))
    container = _tex(record.get("container-title"))
    if kind == "article":
        put("journal", container)
    elif kind == "incollection":
        put("booktitle", container)
    put("year", _year(record))
    put("volume", _tex(record.get("volume")))
    put("number", _tex(record.get("issue")))
    put("pages", _tex(record.get("page")).replace("-", "--") if record.get("page") else "")
    put("publisher", _tex(record.get("publisher")))
    put("address", _tex(record.get("publisher-place")))
    put("edition", _tex(record.get("edition")))
    isbn = record.get("ISBN")
    put("isbn", _tex(isbn[0] if isinstance(isbn, list) and isbn else isbn))
    put("doi", doi)
    when = (today or dt.date.today()).isoformat()
    put("provenance", f"Bibliographic details from the DOI record (CSL-JSON from the DOI resolver for "
                      f"{doi}), fetched {when} by evidence add-source --doi.")
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{fromdoi,\n{body}\n}}\n"
