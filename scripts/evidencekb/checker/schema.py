"""Schema validation of claim documents, with messages a contributor can act on.

A compiled fastjsonschema validator answers the common case (a valid file); only a file it
refuses goes to jsonschema, whose errors are rewritten here into one message each, at the
line of the offending key or value.
"""

from __future__ import annotations

import difflib
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..model import Problem
from ..parsers.claim_yaml import ClaimDocument

if TYPE_CHECKING:
    import jsonschema


def _jsonschema():
    """jsonschema, imported only when a file is invalid (or fastjsonschema is missing): its
    import alone costs about 0.2 s, a tenth of checking 1,000 valid claims."""
    import jsonschema

    return jsonschema


def _dotted(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping (key: value)",
               "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


class SchemaChecker:
    """Validates claim documents against the project's schema, with friendly messages."""

    def __init__(self, schema: dict):
        self.schema = schema
        self._validator = None
        self.vocab_by_consts: dict[tuple, str] = {}
        for name, definition in schema.get("$defs", {}).items():
            options = definition.get("oneOf") if isinstance(definition, dict) else None
            if options and all(isinstance(o, dict) and "const" in o for o in options):
                self.vocab_by_consts[tuple(o["const"] for o in options)] = name

    @cached_property
    def fast(self):
        """Compiled when the first file is checked: a warm check, every file from the cache,
        never needs it (compiling is 0.08 s)."""
        return _compiled_fast(self.schema)

    @property
    def validator(self):
        if self._validator is None:
            self._validator = _jsonschema().Draft202012Validator(self.schema)
        return self._validator

    def check(self, doc: ClaimDocument) -> list[Problem]:
        if self.fast is not None:
            try:
                self.fast(doc.data)
                return []
            except Exception:  # invalid, or the fast validator could not decide: ask jsonschema
                pass
        problems = []
        for error in self.validator.iter_errors(doc.data):
            problems.extend(self._explain(doc, error))
        return problems

    def _explain(self, doc: ClaimDocument, error: jsonschema.ValidationError) -> list[Problem]:
        path = tuple(error.absolute_path)
        explain = _EXPLAIN.get(str(error.validator))
        found = explain(self, doc, error, path) if explain else None
        if found is not None:
            return found
        return [Problem(doc.where(path), "error", f"{_dotted(path)}: {error.message}",
                        f"schema-{error.validator}")]


# One function per JSON Schema keyword: (checker, doc, error, path) -> problems, or None for
# the generic message. Each says what is wrong in the contributor's words.
_Explain = Callable[[SchemaChecker, ClaimDocument, Any, tuple], "list[Problem] | None"]


def _unknown_field(checker, doc, error, path):
    inst = error.instance
    if not isinstance(inst, dict):
        return None
    allowed = list(error.schema.get("properties", {}))
    place = f" in {_dotted(path)}" if path else ""
    out = []
    for key in inst:
        if key not in allowed:
            guess = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean {guess[0]!r}?" if guess else f"; allowed here: {', '.join(allowed)}"
            out.append(Problem(doc.where(path + (key,), key=True), "error",
                               f"unknown field {key!r}{place}{hint}", "schema-unknown-field"))
    return out


def _required(checker, doc, error, path):
    missing = error.message.split("'")[1] if "'" in error.message else error.message
    place = f" in {_dotted(path)}" if path else ""
    message = f"missing required field {missing!r}{place}"
    return [Problem(doc.where(path), "error", message, "schema-required")]


def _vocabulary(checker, doc, error, path):
    consts = tuple(o.get("const") for o in error.schema.get("oneOf", []) if isinstance(o, dict))
    name = checker.vocab_by_consts.get(consts)
    if not name:
        return None
    inst, what_list = error.instance, name.replace("_", " ")
    if inst is None:
        what, hint = "is empty", f"; expected a {what_list}: {', '.join(map(str, consts))}"
    else:
        guess = difflib.get_close_matches(str(inst), [str(c) for c in consts], n=1)
        what = f"{inst!r} is not a known {what_list}"
        hint = (f"; did you mean {guess[0]!r}?" if guess
                else f"; expected one of: {', '.join(map(str, consts))}")
    return [Problem(doc.where(path), "error", f"{_dotted(path)}: {what}{hint}", "schema-vocabulary")]


def _type(checker, doc, error, path):
    want = error.validator_value
    words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in (want if isinstance(want, list) else [want]))
    found = _kind(error.instance)
    message = f"{_dotted(path)}: expected {words}, found {found}"
    return [Problem(doc.where(path), "error", message, "schema-type")]


def _pattern(checker, doc, error, path):
    where, inst = _dotted(path), error.instance
    last = path[-1] if path else ""
    if last in ("added", "updated"):
        msg = f"{where}: {inst!r} is not a date written YYYY-MM-DD"
    elif last in ("id", "claim") or (len(path) >= 2 and path[-2] in ("themes",)):
        msg = (f"{where}: {inst!r} is not a slug (lowercase letters, digits and single hyphens, "
               "e.g. 'core-conditions')")
    elif last == "source":
        msg = f"{where}: {inst!r} is not a BibTeX key (letters, digits and _:.+- only)"
    elif isinstance(inst, str) and not inst.strip():
        msg = f"{where}: must contain text"
    else:
        msg = f"{where}: {inst!r} is not in the expected form"
    return [Problem(doc.where(path), "error", msg, "schema-pattern")]


def _simple(rule: str, says: Callable[[Any], str]) -> _Explain:
    def explain(checker, doc, error, path):
        return [Problem(doc.where(path), "error", f"{_dotted(path)}: {says(error)}", rule)]

    return explain


_EXPLAIN: dict[str, _Explain] = {
    "additionalProperties": _unknown_field,
    "required": _required,
    "oneOf": _vocabulary,
    "type": _type,
    "pattern": _pattern,
    "minItems": _simple("schema-min-items", lambda e: f"needs at least {e.validator_value} item(s)"),
    "minLength": _simple("schema-empty", lambda e: "must not be empty"),
    "maxLength": _simple("schema-max-length",
                         lambda e: f"too long ({len(e.instance)} characters; at most {e.validator_value})"),
    "uniqueItems": _simple("schema-unique", lambda e: "lists the same value twice"),
}


_FAST_CACHE: dict[str, object] = {}


def _compiled_fast(schema: dict):
    """Compiled once per schema text in a process (serve rebuilds, tests): compiling costs
    0.3 s, validating a file microseconds."""
    import json

    key = json.dumps(schema, sort_keys=True)
    if key not in _FAST_CACHE:
        if len(_FAST_CACHE) > 8:
            _FAST_CACHE.clear()
        _FAST_CACHE[key] = _compile_fast(schema)
    return _FAST_CACHE[key]


def _compile_fast(schema: dict):
    """A compiled validator for the common case (a valid file) — ten times faster than
    jsonschema, whose richer errors are only needed when something is wrong."""
    try:
        import fastjsonschema
    except ImportError:
        return None
    if _uses_newer_keywords(schema):
        return None  # draft-07 would ignore them: a fast "valid" could be a false green
    # Draft 2020-12 applies keywords beside a $ref (a text with its own maxLength); draft-07
    # ignores them. Wrapping the $ref in an allOf keeps both meanings the same.
    schema = _ref_siblings_as_all_of(schema)
    draft7 = dict(schema, **{"$schema": "http://json-schema.org/draft-07/schema#"})
    draft7.pop("$id", None)
    # A oneOf of consts means the same as an enum, and an enum compiles to one set lookup.
    defs = {}
    for name, d in schema.get("$defs", {}).items():
        options = d.get("oneOf") if isinstance(d, dict) else None
        if options and all(isinstance(o, dict) and "const" in o for o in options):
            defs[name] = {"enum": [o["const"] for o in options]}
        else:
            defs[name] = d
    draft7["$defs"] = defs
    draft7 = _inlined(draft7, defs, ())
    try:
        return fastjsonschema.compile(draft7, formats={"date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
    except Exception:
        return None


def _inlined(node, defs: dict, seen: tuple):
    """Every local `{"$ref": "#/$defs/x"}` replaced by x itself (a ref seen on its own way
    down is left: a cycle). A compiled ref is a function call that formats its path's name
    for an error message, valid or not: at 10,000 claims, a third of validating."""
    if isinstance(node, list):
        return [_inlined(v, defs, seen) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs and ref not in seen \
            and all(k in ("$ref", "description", "title", "$comment") for k in node):
        return _inlined(defs[ref[8:]], defs, (*seen, ref))
    return {k: (v if k in ("const", "enum", "default", "examples") else _inlined(v, defs, seen))
            for k, v in node.items()}


# Keywords of drafts 2019-09 / 2020-12 that a draft-07 compiler would silently skip.
_NEWER = {"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
          "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "minContains", "maxContains", "$anchor"}


def _uses_newer_keywords(node) -> bool:
    if isinstance(node, dict):
        return any(k in _NEWER for k in node) or any(_uses_newer_keywords(v) for k, v in node.items()
                                                    if k not in ("const", "enum", "default", "examples"))
    if isinstance(node, list):
        return any(_uses_newer_keywords(v) for v in node)
    return False


def _ref_siblings_as_all_of(node):
    if isinstance(node, list):
        return [_ref_siblings_as_all_of(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("const", "enum", "default", "examples") else _ref_siblings_as_all_of(v))
           for k, v in node.items()}
    if "$ref" in out and any(k not in ("$ref", "description", "title", "$comment") for k in out):
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    return out
