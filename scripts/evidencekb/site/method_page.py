"""The method page's generated reference, read from the schema: each rating method with its
components and their values, every claim field with what it means, every vocabulary's terms,
and the challenge-a-rating block. Generated so the page can never disagree with the validator.
"""

from __future__ import annotations

from ..model import EvidenceBase
from ..vocabulary import method_components
from .claim_page import component_name
from .common import Settings
from .templating import block


def block_methods(base: EvidenceBase, root: str) -> str:
    methods = []
    comps = method_components(base.schema)
    for term in base.vocabularies["method"].terms:
        components = []
        for name, vocab in comps.get(term.id, {}).items():
            v = base.vocabularies.get(vocab)
            components.append(
                {
                    "id": name,
                    "name": component_name(name),
                    "terms": [
                        {"title": t.title, "description": t.description} for t in (v.terms if v else ())
                    ],
                }
            )
        methods.append(
            {
                "anchor": term.id.lower(),
                "title": term.title,
                "description": term.description,
                "components": components,
            }
        )
    return block("methods", methods=methods)


def _resolve(schema, node: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target = dict(schema.get("$defs", {}).get(ref.rsplit("/", 1)[1], {}))
        target.update({k: v for k, v in node.items() if k != "$ref"})
        return target
    return node


def _vocab_of(node: dict) -> str:
    ref = node.get("$ref") or node.get("items", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else ""


def _field(base: EvidenceBase, name: str, node: dict, required: bool) -> dict:
    """One row of the claim-fields table: what the schema says of the field."""
    full = _resolve(base.schema, node)
    vocab = _vocab_of(node)
    desc = (
        node.get("description")
        or full.get("description")
        or (base.vocabularies[vocab].description if vocab in base.vocabularies else "")
    )
    known = vocab in base.vocabularies
    return {
        "name": name,
        "required": required,
        "description": desc,
        "vocab": vocab if known else "",
        "vocab_name": vocab.replace("_", " "),
        "list": node.get("type") == "array",
        "max_length": full.get("maxLength") or "",
    }


def block_fields(base: EvidenceBase, root: str) -> str:
    """Every claim field: name, whether required, what it means, allowed values."""
    schema = base.schema
    required = set(schema.get("required", ()))
    fields = []
    for name, node in schema.get("properties", {}).items():
        fields.append(_field(base, name, node, name in required))
        full = _resolve(schema, node)
        sub = full.get("items", {})
        sub = _resolve(schema, sub) if sub else full
        if sub.get("type") == "object" and sub.get("properties"):
            sub_req = set(sub.get("required", ()))
            for sname, snode in sub["properties"].items():
                full_name = f"{name}.{sname}" if full.get("type") != "array" else f"{name}[].{sname}"
                fields.append(_field(base, full_name, snode, sname in sub_req))
    source_fields = [
        {
            "name": f,
            "vocab": v,
            "description": base.vocabularies[v].description,
            "comma": f in ("setting", "schemes"),
        }
        for f, v in (
            ("design", "design"),
            ("country", "country"),
            ("setting", "setting"),
            ("schemes", "scheme"),
        )
        if v in base.vocabularies
    ]
    return block("fields", fields=fields, source_fields=source_fields)


def block_vocabularies(base: EvidenceBase, root: str) -> str:
    vocabularies = [
        {
            "id": name,
            "name": name.replace("_", " "),
            "description": vocab.description,
            "terms": [{"id": t.id, "title": t.title, "description": t.description} for t in vocab.terms],
        }
        for name, vocab in base.vocabularies.items()
    ]
    return block("vocabularies", vocabularies=vocabularies)


def block_challenge(settings: Settings, root: str) -> str:
    return block("challenge", issue_url=settings.new_issue("challenge-rating.yml"), root=root)
