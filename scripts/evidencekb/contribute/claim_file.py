"""The claim being made (`Draft`, its evidence `Link`s) and the YAML file text written for it:
commented, with the schema's allowed values beside each field, verified by reading it back.

Split from new_claim.py, which fills the draft from flags and questions and writes the file.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Sequence

from .common import SCHEMA_LINE, WRAP, ContributeError, SchemaInfo


@dataclass
class Link:
    source: str
    relation: str
    locator: str


@dataclass
class Draft:
    """Everything `new` knows about the claim; None or empty means 'leave it to the template'."""

    id: str = ""
    statement: str = ""
    summary: str = ""
    claim_type: str = ""
    themes: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    evidence: list[Link] = field(default_factory=list)
    level: str = ""
    method: str = ""
    components: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    caveat: str = ""
    contributors: tuple[str, ...] = ()
    added: str = ""


def suggested_method(claim_type: str, info: SchemaInfo) -> str:
    """The method the claim type's own description names ("Rated with GRADE"), if it names one."""
    term = info.vocab["claim_type"].get(claim_type)
    text = term.description if term else ""
    for method in info.vocab["method"].ids():
        if re.search(rf"\b{re.escape(method)}\b", text):
            return method
    return ""


def yaml_scalar(value: str) -> str:
    """One value as YAML: plain when that reads back the same, quoted when it would not."""
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    text = text[:-len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")
    return text


def _folded(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines = textwrap.wrap(text, WRAP - indent - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{key}: >-"] + [f"{pad}  {line}" for line in lines]


def _long_text(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    one = f"{pad}{key}: {yaml_scalar(text)}"
    return [one] if len(one) <= WRAP else _folded(key, text, indent)


def _comment_list(values: Sequence[str], indent: int, lead: str = "#   ") -> list[str]:
    pad = " " * indent
    return [f"{pad}{lead}{line}" for line in textwrap.wrap(", ".join(values), WRAP - indent - len(lead),
                                                          break_long_words=False, break_on_hyphens=False)]


HINT_COLUMN = 34


def _hinted(code: str, hint: str) -> list[str]:
    """`code` with a comment beside it, wrapped onto comment lines under itself when long."""
    col = max(len(code) + 1, HINT_COLUMN)
    parts = textwrap.wrap(hint, max(WRAP - col - 2, 32), break_long_words=False,
                          break_on_hyphens=False) or [""]
    return [f"{code.ljust(col)}# {parts[0]}"] + [f"{' ' * col}# {part}" for part in parts[1:]]


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def render_claim(d: Draft, info: SchemaInfo) -> str:
    """The claim file: given values filled in, the rest a commented template from the schema."""
    v = info.vocab
    out = [SCHEMA_LINE,
           "# Lines starting with # are hints: fill in what you know, delete what does not apply,",
           "# then run `evidence check`.",
           f"id: {d.id}"]
    out += _folded("statement", d.statement, 0)
    if d.summary:
        out.append(f"summary: {yaml_scalar(d.summary)}")
    else:
        limit = info.max_length("summary")
        out += _hinted("# summary:", info.description("summary", "A short title.")
                       + (f" At most {limit} characters." if limit else ""))
    out.append(f"claim_type: {d.claim_type}")
    out.append(f"themes: {_flow(d.themes)}")
    for name in ("settings", "populations", "outcomes", "schemes"):
        vname = info.list_vocab(name)
        if vname is None or vname not in v:
            continue
        values = getattr(d, name)
        if values:
            out.append(f"{name}: {_flow(values)}")
        else:
            out += _hinted(f"# {name}: []", f"{info.description(name)} Any of:".strip())
            out += _comment_list(v[vname].ids(), 0)
    out.append("evidence:")
    for link in d.evidence:
        out.append(f"  - source: {yaml_scalar(link.source)}")
        out.append(f"    relation: {link.relation}")
        out += _long_text("locator", link.locator, 4)
        out += _hinted('    # quote: ""', info.link_description("quote"))
        out += _hinted("    # note:", info.link_description("note"))
    out += _render_confidence(d, info)
    rel_vocab = v.get("claim_relation")
    out += _hinted("# related:", info.description("related", "Links to other claims."))
    out.append("#   - claim: another-claim-id")
    if rel_vocab:
        out += _hinted(f"#     relation: {rel_vocab.ids()[0]}", " | ".join(rel_vocab.ids()))
    out.append(f"added: {d.added}")
    out += _hinted(f"# updated: {d.added}", info.description("updated", "When the claim was last changed."))
    if d.contributors:
        out.append("contributors:")
        out += [f"  - {yaml_scalar(c)}" for c in d.contributors]
    else:
        out += _hinted("# contributors: [Your Name]", info.description("contributors"))
    return "\n".join(out) + "\n"


def _render_confidence(d: Draft, info: SchemaInfo) -> list[str]:
    v = info.vocab
    out = ["confidence:"]
    out += [f"  level: {d.level}"] if d.level else _hinted(
        "  level:", f"{' | '.join(v['level'].ids())}: at most what the judgements below allow")
    if d.method:
        out.append(f"  method: {d.method}")
    else:
        term = v["claim_type"].get(d.claim_type)
        why = f" For {d.claim_type} claims: {term.description}" if term and suggested_method(d.claim_type,
                                                                                             info) else ""
        out += _hinted("  method:", f"{' | '.join(v['method'].ids())}.{why}")
    out.append("  components:")
    methods = [d.method] if d.method else list(info.components)
    if not d.method:
        out.append("    # Keep the block for your method (delete the # before its lines) and delete the "
                   "others.")
    for method in methods:
        comps = info.components.get(method, {})
        lead = "" if d.method else "# "
        if not d.method:
            term = v["method"].get(method)
            out += [f"    # {line}" for line in textwrap.wrap(f"{method}: {term.description if term else ''}",
                                                             WRAP - 6, break_on_hyphens=False)]
        for name, vname in comps.items():
            value = d.components.get(name, "")
            if value:
                out.append(f"    {lead}{name}: {value}")
            else:
                out += _hinted(f"    {lead}{name}:", " | ".join(v[vname].ids()) if vname in v else "")
    conf_props = info.defs("confidence").get("properties") or {}
    if d.rationale:
        out += _long_text("rationale", d.rationale, 2)
    else:
        out += _hinted("  rationale:",
                       (conf_props.get("rationale") or {}).get("description", "Why this level."))
    if d.caveat:
        out += _long_text("caveat", d.caveat, 2)
    else:
        out += _hinted("  # caveat:", (conf_props.get("caveat") or {}).get("description", ""))
    return out


def verify_claim_text(text: str, d: Draft) -> None:
    """The file must read back, through the checker's own parser, to exactly what was meant."""
    from ..parsers.claim_yaml import parse_claim_bytes

    doc, problems = parse_claim_bytes(text.encode("utf-8"), f"{d.id}.yaml")
    if doc is None:
        raise ContributeError("internal error: the new claim would not parse: " + problems[0].message)
    data = doc.data
    expected = {"id": d.id, "statement": d.statement, "claim_type": d.claim_type, "themes": list(d.themes),
                "added": d.added}
    for name in ("settings", "populations", "outcomes", "schemes"):
        if getattr(d, name):
            expected[name] = list(getattr(d, name))
    if d.summary:
        expected["summary"] = d.summary
    if d.contributors:
        expected["contributors"] = list(d.contributors)
    got = {k: data.get(k) for k in expected}
    links = [{"source": e.source, "relation": e.relation, "locator": e.locator} for e in d.evidence]
    conf = data.get("confidence") or {}
    ok = got == expected and data.get("evidence") == links
    for name in ("rationale", "caveat", "level", "method"):
        ok = ok and (not getattr(d, name) or conf.get(name) == getattr(d, name))
    ok = ok and all((conf.get("components") or {}).get(k) == val for k, val in d.components.items())
    if not ok:
        raise ContributeError("internal error: the new claim did not read back as written; "
                              "please report this")
