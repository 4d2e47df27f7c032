"""A static JSON API: one document per claim and per source, and an index, for tools that
reuse the base without parsing YAML or BibTeX.

Each document carries its claim's version (from git, when the build has the history) so a
client can tell that what it cached has changed; its shape is fixed by the JSON Schemas in
api_schemas/, published beside the documents and checked in the tests. Paths are made only
from ids and keys the checker has already held to the slug and key patterns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from .linked_data import Addresses
from .model import Claim, EvidenceBase, Source

API_VERSION = "1"
SCHEMA_FILES = ("claim.schema.json", "source.schema.json", "index.schema.json")


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _version(versions: Mapping[str, Mapping[str, Any]] | None, claim_id: str) -> dict[str, Any] | None:
    v = (versions or {}).get(claim_id)
    return {"number": v["number"], "date": v["date"], "commit": v["commit"]} if v else None


def claim_document(claim: Claim, addr: Addresses, version: dict[str, Any] | None,
                   label: Callable[[str], str]) -> dict[str, Any]:
    conf = claim.confidence
    doc: dict[str, Any] = {
        "api_version": API_VERSION, "id": claim.id, "url": addr.claim(claim.id), "statement": claim.statement,
        "summary": claim.summary, "claim_type": claim.claim_type, "themes": list(claim.themes),
        "settings": list(claim.settings), "populations": list(claim.populations),
        "outcomes": list(claim.outcomes),
        "schemes": list(claim.schemes), "evidence_basis": claim.evidence_basis,
        "confidence": {"level": conf.level, "method": conf.method,
                       "components": dict(sorted(conf.components.items())),
                       "rationale": conf.rationale, "caveat": conf.caveat},
        "evidence": [{"source": e.source, "label": label(e.source), "relation": e.relation,
                      "locator": e.locator,
                      "quote": e.quote, "note": e.note, "via": e.via, "source_locator": e.source_locator,
                      "api": f"../sources/{e.source}.json"} for e in claim.evidence],
        "related": [{"claim": r.claim, "relation": r.relation, "note": r.note, "api": f"{r.claim}.json"}
                    for r in claim.related],
        "added": claim.added, "updated": claim.updated, "contributors": list(claim.contributors),
        "reviewed": ({"date": claim.reviewed.date, "by": claim.reviewed.by, "against": claim.reviewed.against,
                      "note": claim.reviewed.note} if claim.reviewed else None),
        "version": version,
    }
    return doc


def source_document(src: Source, addr: Addresses, cited_by: list[str], label: str) -> dict[str, Any]:
    return {
        "api_version": API_VERSION, "key": src.key, "url": addr.source(src.key), "label": label,
        "entry_type": src.entry_type, "title": src.title, "year": src.year,
        "authors": [p.display for p in src.authors], "editors": [p.display for p in src.editors],
        "doi": src.doi or None, "web": src.url or None, "design": src.design, "country": src.country,
        "settings": list(src.settings), "incomplete": src.incomplete,
        "claims": [{"id": c, "api": f"../claims/{c}.json"} for c in cited_by],
    }


def api_documents(base: EvidenceBase, addr: Addresses, label: Callable[[str], str],
                  versions: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, str]:
    """Every API file as path (under api/) -> text, the schemas included."""
    out: dict[str, str] = {}
    cited_by: dict[str, set[str]] = {k: set() for k in base.sources}
    for claim in base.claims:
        version = _version(versions, claim.id)
        out[f"claims/{claim.id}.json"] = _dump(claim_document(claim, addr, version, label))
        for e in claim.evidence:
            for key in (e.source, e.via):
                if key in cited_by:
                    cited_by[key].add(claim.id)
    for key in sorted(base.sources):
        out[f"sources/{key}.json"] = _dump(source_document(base.sources[key], addr, sorted(cited_by[key]),
                                                           label(key)))
    index = {
        "api_version": API_VERSION,
        "claims": [{"id": c.id, "summary": c.title, "level": c.confidence.level, "claim_type": c.claim_type,
                    "version": (_version(versions, c.id) or {}).get("number"), "api": f"claims/{c.id}.json"}
                   for c in sorted(base.claims, key=lambda c: c.id)],
        "sources": [{"key": k, "label": label(k), "api": f"sources/{k}.json"} for k in sorted(base.sources)],
        "schemas": {name.split(".")[0]: f"schemas/{name}" for name in SCHEMA_FILES},
    }
    out["index.json"] = _dump(index)
    for name in SCHEMA_FILES:
        out[f"schemas/{name}"] = schema_text(name)
    return out


def schema_text(name: str) -> str:
    return resources.files(__package__).joinpath("api_schemas").joinpath(name).read_text(encoding="utf-8")
