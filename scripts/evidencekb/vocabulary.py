"""Vocabularies come from the claim schema, never from code.

The schema's `$defs` entries that are a `oneOf` of `const` terms (each with a
title and description) are the single source of truth that validation, the
site and editor hints all read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from .model import Term, Vocabulary

# Names the engine relies on; a project's schema must define them.
REQUIRED = ("claim_type", "theme", "relation", "claim_relation", "level", "method", "design", "country", "setting")
LEVEL_ORDER = ("very-low", "low", "moderate", "high")


class SchemaError(Exception):
    pass


def load_schema(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            schema = json.load(fh)
    except FileNotFoundError as exc:
        raise SchemaError(f"{path}: claim schema not found") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(schema, dict):
        raise SchemaError(f"{path}: the schema must be a JSON object")
    return schema


def vocabularies(schema: Mapping) -> dict[str, Vocabulary]:
    out: dict[str, Vocabulary] = {}
    for name, definition in (schema.get("$defs") or {}).items():
        options = definition.get("oneOf") if isinstance(definition, dict) else None
        if not options or not all(isinstance(o, dict) and "const" in o for o in options):
            continue
        terms = tuple(Term(str(o["const"]), o.get("title", str(o["const"])), o.get("description", "")) for o in options)
        out[name] = Vocabulary(name, definition.get("description", ""), terms)
    missing = [n for n in REQUIRED if n not in out]
    if missing:
        raise SchemaError("the claim schema lacks vocabularies: " + ", ".join(missing))
    return out


def method_components(schema: Mapping) -> dict[str, dict[str, str]]:
    """Each confidence method's components, in order, and the vocabulary their judgements come
    from, read from the schema's if/then branches: the validator, the method page, claim pages
    and `evidence new` all use this one reading."""
    out: dict[str, dict[str, str]] = {}
    for branch in (schema.get("$defs") or {}).get("confidence", {}).get("allOf", []):
        method = branch.get("if", {}).get("properties", {}).get("method", {}).get("const")
        comp = branch.get("then", {}).get("properties", {}).get("components", {})
        if not method:
            continue
        props = comp.get("properties") or {}
        out[method] = {name: def_name((props.get(name) or {}).get("$ref")) or ""
                       for name in (comp.get("required") or props)}
    return out


def def_name(ref: str | None) -> str | None:
    """`#/$defs/theme` -> `theme`: the vocabulary a field's `$ref` points to, if it is one."""
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) and ref.startswith("#/$defs/") else None
