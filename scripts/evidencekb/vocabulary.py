"""Vocabularies come from the claim schema, never from code.

The schema's `$defs` entries that are a `oneOf` of `const` terms (each with a
title and description) are the single source of truth that validation, the
site and editor hints all read. What the engine must know about a term beyond
its words (the order of levels, which designs compare groups, which relation
counts as support, the review's home country) is an `x-` annotation beside it,
read here once into a `Meaning`; the rating policy built on it is `confidence`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from .model import Term, Vocabulary

# Names the engine relies on; a project's schema must define them.
REQUIRED = ("claim_type", "theme", "relation", "claim_relation", "level", "method", "design", "country",
            "setting")
POLARITIES = ("for", "neutral", "against")


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


def _annotations(obj: Mapping) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if isinstance(k, str) and k.startswith("x-")}


def vocabularies(schema: Mapping) -> dict[str, Vocabulary]:
    out: dict[str, Vocabulary] = {}
    for name, definition in (schema.get("$defs") or {}).items():
        options = definition.get("oneOf") if isinstance(definition, dict) else None
        if not options or not all(isinstance(o, dict) and "const" in o for o in options):
            continue
        terms = tuple(Term(str(o["const"]), o.get("title", str(o["const"])), o.get("description", ""),
                           _annotations(o))
                      for o in options)
        out[name] = Vocabulary(name, definition.get("description", ""), terms, _annotations(definition))
    missing = [n for n in REQUIRED if n not in out]
    if missing:
        raise SchemaError("the claim schema lacks vocabularies: " + ", ".join(missing))
    _check_annotations(out)
    return out


def _check_annotations(vocab: Mapping[str, Vocabulary]) -> None:
    """The annotations the engine reads must be there and make sense: a schema edit that
    breaks them is an error in the schema file, not a wrong rating later."""
    levels = vocab["level"]
    ranks = [t.meta.get("x-rank") for t in levels.terms]
    numbers = all(isinstance(r, (int, float)) and not isinstance(r, bool) for r in ranks)
    if not numbers or len(set(ranks)) != len(ranks):
        raise SchemaError("every level needs a distinct number as its x-rank "
                          "(its place in the order of levels)")
    level_ids = set(levels.ids())

    def level_ref(value: Any, where: str) -> None:
        if value not in level_ids:
            raise SchemaError(f"{where}: {value!r} is not a level")

    for weakness, level in (levels.meta.get("x-caps") or {}).items():
        level_ref(level, f"level x-caps {weakness}")
    for t in vocab["relation"].terms:
        if t.meta.get("x-polarity", "neutral") not in POLARITIES:
            raise SchemaError(f"relation {t.id}: x-polarity must be one of {', '.join(POLARITIES)}")
    for t in vocab["method"].terms:
        if "x-start" in t.meta:
            level_ref(t.meta["x-start"], f"method {t.id} x-start")
    for t in vocab["design"].terms:
        for method, level in (t.meta.get("x-start") or {}).items():
            level_ref(level, f"design {t.id} x-start {method}")
    for v in vocab.values():
        for t in v.terms:
            for key in ("x-cap", "x-max-level"):
                if key in t.meta:
                    level_ref(t.meta[key], f"{v.name} {t.id} {key}")
    home = vocab["country"].meta.get("x-home")
    if home is not None and home not in vocab["country"].ids():
        raise SchemaError(f"country x-home: {home!r} is not a country")


def _flagged(v: Vocabulary | None, key: str) -> frozenset[str]:
    return frozenset(t.id for t in v.terms if t.meta.get(key)) if v else frozenset()


@dataclass(frozen=True)
class Meaning:
    """What the engine knows about the vocabularies, all of it from the schema's annotations."""

    vocab: Mapping[str, Vocabulary]
    levels: tuple[str, ...]  # lowest first, by x-rank
    caps: Mapping[str, str]  # weakness (a name the rating policy uses) -> the highest level it allows
    polarity: Mapping[str, str]  # relation -> for | neutral | against
    comparison_designs: frozenset[str]
    grey_designs: frozenset[str]
    effectiveness_types: frozenset[str]
    type_method: Mapping[str, str]  # claim type -> the rating method it must use
    basis_max: Mapping[str, str]  # evidence basis -> the highest level it allows
    home_country: str | None
    home_label: str  # "UK", as in "UK evidence"
    components: Mapping[str, Mapping[str, str]]  # method -> component -> the vocabulary of its judgements

    @cached_property
    def answers(self) -> dict:
        """The rating policy's answers already worked out under this meaning, by question
        (confidence.ceiling): they depend on the vocabularies, which do not change."""
        return {}

    @property
    def top(self) -> str:
        return self.levels[-1]

    @property
    def bottom(self) -> str:
        return self.levels[0]

    def rank(self, level: str) -> int:
        """A level's place in the order, lowest 0; an unknown level counts as the lowest."""
        return self.levels.index(level) if level in self.levels else 0

    def descending(self) -> tuple[str, ...]:
        return tuple(reversed(self.levels))

    def relations(self, polarity: str) -> tuple[str, ...]:
        return tuple(r for r in self.vocab["relation"].ids() if self.polarity[r] == polarity)

    def supports(self, relation: str) -> bool:
        return self.polarity.get(relation) == "for"

    def disputes(self, relation: str) -> bool:
        return self.polarity.get(relation) == "against"


def _meaning(vocab: Mapping[str, Vocabulary], schema: Mapping) -> Meaning:
    levels = vocab["level"]
    country = vocab["country"]
    home = country.meta.get("x-home")
    home_term = country.get(home) if home else None
    basis = vocab.get("evidence_basis")
    return Meaning(
        vocab=vocab,
        levels=tuple(t.id for t in sorted(levels.terms, key=lambda t: t.meta["x-rank"])),
        caps=dict(levels.meta.get("x-caps") or {}),
        polarity={t.id: t.meta.get("x-polarity", "neutral") for t in vocab["relation"].terms},
        comparison_designs=_flagged(vocab["design"], "x-comparison"),
        grey_designs=_flagged(vocab["design"], "x-grey-literature"),
        effectiveness_types=_flagged(vocab["claim_type"], "x-effectiveness"),
        type_method={t.id: t.meta["x-method"] for t in vocab["claim_type"].terms if t.meta.get("x-method")},
        basis_max={t.id: t.meta["x-max-level"] for t in (basis.terms if basis else ())
                   if t.meta.get("x-max-level")},
        home_country=home,
        home_label=(home_term.meta.get("x-adjective") or home_term.title) if home_term else "",
        components=method_components(schema),
    )


_meanings: dict[tuple[int, int], tuple[Mapping, Mapping, Meaning]] = {}


def meaning(vocab: Mapping[str, Vocabulary], schema: Mapping) -> Meaning:
    """The `Meaning` of a loaded schema and its vocabularies, read once per schema."""
    key = (id(vocab), id(schema))
    hit = _meanings.get(key)
    if hit is not None and hit[0] is vocab and hit[1] is schema:
        return hit[2]
    if len(_meanings) > 32:
        _meanings.clear()
    m = _meaning(vocab, schema)
    _meanings[key] = (vocab, schema, m)  # holding both keeps their ids from being reused
    return m


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
