"""Claim files: YAML read safely, with YAML 1.2 meanings and positions kept.

PyYAML resolves plain scalars by YAML 1.1 rules (`no` -> False, a bare date ->
datetime.date). Claims are written by hand, so we compose the node tree with
no implicit resolvers at all and resolve plain scalars ourselves by the YAML
1.2 core schema. Composing never constructs Python objects, so `!!python/...`
tags are only names to reject, and an alias bomb never expands: aliases are
refused on sight.
"""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import Position, Problem
from .hygiene import UNSAFE, refused, unsafe_characters

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NodeLoader(_Base):  # type: ignore[misc, valid-type]
    """Composes nodes only; every untagged node comes back with its kind's default tag."""

    yaml_implicit_resolvers: dict = {}
    # The composer tells the resolver of every step down and up the tree (for path resolvers,
    # which this loader has none of): two Python calls a node, a tenth of composing a file.
    # Builtins called with the same arguments, doing nothing that is kept, answer at C speed.
    descend_resolver = slice  # called (parent, index): makes a slice, dropped
    ascend_resolver = tuple  # called (): the empty tuple

    def resolve(self, kind, value, implicit):
        """With no implicit or path resolvers, PyYAML's resolve always answers the default tag
        of the node's kind; answering it directly saves a fifth of composing a file."""
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ALLOWED_EXPLICIT = {_STR, _MAP, _SEQ, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                     "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

Path_ = tuple  # a path into the document: keys and list indexes


# Positions are kept for values and keys this many levels deep (a field, an evidence link,
# a confidence part): the ones every run needs. Deeper ones are found only when a problem
# asks, by composing the file again: a problem is rare, a node is not.
KEPT_DEPTH = 2
LINK_FIELDS = ("evidence", "related")  # a claim record keeps the position of each of these links


@dataclass
class ClaimDocument:
    """A parsed claim file: plain data plus where each value and key stands."""

    path: str
    data: Any
    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    text: str | None = None  # the file's text, to find deeper positions when asked
    _complete: bool = False
    # From the cache: `values` holds only the links' positions (what every claim record
    # reads) and the rest waits here, marshalled, until a problem asks for it. Decoding every
    # position of 10,000 files was most of the time of reading the cache.
    packed: bytes | None = None

    def where(self, path: tuple, key: bool = False) -> Position:
        """The nearest known position for a path (a key's own position if asked)."""
        p = tuple(path)
        if self.packed is not None and (key or p not in self.values):
            self.unpack()
        if len(p) > KEPT_DEPTH and not self._complete:
            self._all_positions()
        table = self.keys if key else self.values
        while p:
            if p in table:
                return Position(self.path, *table[p])
            if p in self.values:
                return Position(self.path, *self.values[p])
            p = p[:-1]
        return Position(self.path, *self.values.get((), (1, 1)))

    def link_position(self, name: str, i: int) -> Position:
        """Where the i-th link of `name` (one of LINK_FIELDS) stands: what every claim record
        reads, at hand in every document, so asked without where()'s search."""
        at = self.values.get((name, i))
        return Position(self.path, *at) if at is not None else self.where((name, i))

    def unpack(self) -> None:
        """Every kept position, decoded from `packed`."""
        if self.packed is not None:
            self.values, self.keys = marshal.loads(self.packed)
            self.packed = None

    def packed_positions(self) -> tuple[dict, bytes]:
        """(the links' positions, the rest marshalled): what the cache keeps of a document."""
        if self.packed is not None:
            return self.values, self.packed
        links = {p: v for p, v in self.values.items() if len(p) == 2 and p[0] in LINK_FIELDS}
        return links, marshal.dumps((self.values, self.keys))

    def _all_positions(self) -> None:
        """Every value's and key's position, from the text composed again (once)."""
        self.unpack()
        self._complete = True
        if self.text is None:
            return
        try:
            node = yaml.compose(self.text, Loader=_NodeLoader)
        except (yaml.YAMLError, RecursionError):  # cannot happen for a text that parsed once
            return
        if node is not None:
            _positions(node, (), self.values, self.keys)


def _positions(node, path: tuple, values: dict, keys: dict) -> None:
    mark = node.start_mark
    values.setdefault(path, (mark.line + 1, mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                sub = path + (key_node.value,)
                kmark = key_node.start_mark
                keys.setdefault(sub, (kmark.line + 1, kmark.column + 1))
                _positions(value_node, sub, values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, path + (i,), values, keys)


class _Reject(Exception):
    def __init__(self, position: Position, message: str, rule: str):
        super().__init__(message)
        self.position, self.message, self.rule = position, message, rule


def _pos(rel: str, mark) -> Position:
    return Position(rel, mark.line + 1, mark.column + 1)


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for plain scalars: anything else stays a string."""
    if text and text[0].isalpha() and text[0] not in "tTfFnN":
        return text  # fast path: prose cannot be null, a boolean or a number
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


def _alias(node) -> _Reject:
    return _Reject(_pos("", node.start_mark),
                   "YAML anchors and aliases (&name / *name) are not allowed in claim files; write the "
                   "value out", "yaml-alias")


def _bad_tag(node) -> _Reject:
    return _Reject(_pos("", node.start_mark), f"tag {node.tag!r} is not allowed; claim files use plain YAML",
                   "yaml-tag")


_UNSAFE_IN_VALUE = re.compile("\r|" + UNSAFE.pattern)  # and a carriage return (a line break is "\n")


def _escaped_unsafe(node, ch: str) -> _Reject:
    return _Reject(_pos("", node.start_mark),
                   f"{refused(ch)}, written as an escape in this quoted value, is not allowed: delete it or "
                   "type plain text", "text-character")


def _scalar(node) -> Any:
    tag = node.tag
    if tag == _STR:
        if node.style in (None, ""):
            return resolve_plain(node.value)
        # Only a double-quoted value has escapes ("\e", "\u202e", "\r"), which the check of the
        # file's characters cannot see: the same characters are refused here.
        if node.style == '"' and (bad := _UNSAFE_IN_VALUE.search(node.value)):
            raise _escaped_unsafe(node, bad.group())
        return node.value
    if tag not in _ALLOWED_EXPLICIT:
        raise _bad_tag(node)
    return resolve_plain(node.value)


def _build(node, doc: ClaimDocument, path: tuple | None, seen: set[int]) -> Any:
    """Plain data from a node, refusing aliases, tags and repeated keys. Positions are kept
    while `path` is given (the first KEPT_DEPTH levels); below, `path` is None."""
    if id(node) in seen:
        raise _alias(node)
    seen.add(id(node))
    if path is not None:
        mark = node.start_mark
        doc.values[path] = (mark.line + 1, mark.column + 1)
    cls = node.__class__
    if cls is _ScalarNode:
        return _scalar(node)
    deeper = path is not None and len(path) < KEPT_DEPTH
    if cls is _SequenceNode:
        if node.tag != _SEQ:
            raise _bad_tag(node)
        if deeper:
            return [_build(item, doc, path + (i,), seen)  # type: ignore[operator]
                    for i, item in enumerate(node.value)]
        return [_build(item, doc, None, seen) for item in node.value]
    if cls is not _MappingNode or node.tag != _MAP:
        raise _bad_tag(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.__class__ is not _ScalarNode:
            raise _Reject(_pos("", key_node.start_mark), "a mapping key must be a plain word", "yaml-key")
        key = key_node.value
        if key in out:
            first = next(k for k, _ in node.value if k.__class__ is _ScalarNode and k.value == key)
            raise _Reject(_pos("", key_node.start_mark),
                          f"duplicate key {key!r} (first given on line {first.start_mark.line + 1})",
                          "duplicate-key")
        if deeper:
            kmark = key_node.start_mark
            sub = path + (key,)  # type: ignore[operator]
            doc.keys[sub] = (kmark.line + 1, kmark.column + 1)
            out[key] = _build(value_node, doc, sub, seen)
        else:
            out[key] = _build(value_node, doc, None, seen)
    return out


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or str(exc)
    mark = exc.problem_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t" or "'\\t'" in problem:
        return "tab character: indent YAML with spaces, never tabs"
    if exc.context:
        return f"YAML syntax error: {problem} ({exc.context})"
    return f"YAML syntax error: {problem}"


def parse_claim_bytes(raw: bytes, rel: str) -> tuple[ClaimDocument | None, list[Problem]]:
    """Parse one claim file's bytes. Never raises on bad input."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(Position(rel, line, col), "error",
                              f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8", "encoding")]
    bad = unsafe_characters(text)
    if bad:  # each at its own line:col, before YAML's reader reports one of them at 1:1
        if "\x00" in text:
            i = text.index("\x00")
            line, col = text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1
            return None, [Problem(Position(rel, line, col), "error", "NUL character: this is not a text file",
                                  "encoding")]
        return None, [Problem(Position(rel, line, col), "error", msg, "text-character")
                      for line, col, msg in bad]
    doc = ClaimDocument(rel, None, text=text)
    try:
        node = yaml.compose(text, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(rel, mark) if mark else Position(rel)
        return None, [Problem(pos, "error", _describe_yaml_error(exc, text), "yaml-syntax")]
    except yaml.YAMLError as exc:  # e.g. reader errors for control characters
        mark = getattr(exc, "position", None)
        return None, [Problem(Position(rel), "error", f"YAML error: {exc}", "yaml-syntax")]
    except RecursionError:
        return None, [Problem(Position(rel), "error", "YAML nested too deeply", "yaml-syntax")]
    if node is None:
        return None, [Problem(Position(rel), "error",
                              "empty file: a claim file is a mapping of fields (id: ..., statement: ...)",
                              "empty-file")]
    try:
        data = _build(node, doc, (), set())
    except _Reject as rej:
        where = Position(rel, rej.position.line, rej.position.col)  # raised without the file's name
        return None, [Problem(where, "error", rej.message, rej.rule)]
    except RecursionError:
        return None, [Problem(Position(rel), "error", "YAML nested too deeply", "yaml-syntax")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return None, [Problem(doc.where(()), "error",
                              f"a claim file must be a mapping of fields (key: value), not {kind}",
                              "top-level")]
    doc.data = data
    return doc, []


def load_claim_file(path: Path, rel: str) -> tuple[ClaimDocument | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(Position(rel), "error", f"cannot read file: {exc.strerror}", "io")]
    return parse_claim_bytes(raw, rel)
