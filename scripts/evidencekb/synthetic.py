"""Synthetic evidence bases for benchmarks and scale tests.

Realistic shapes (a short summary, as every real claim has; statement and rationale
lengths, 2-4 links a claim, quotes on some links, related claims, many authors shared
across sources) drawn from a seeded generator, so every run measures the same base.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

WORDS = ("mentor mentee peer support desistance prison probation community trust hope change service housing "
         "employment relationship supervision training volunteer lived experience scheme evidence outcome "
         "reoffending women young people recovery engagement listening caring steps encouragement "
         "identity").split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


@dataclass(frozen=True)
class _Terms:
    """The schema's terms a synthetic claim or source is drawn from."""

    vocab: dict[str, list[str]]
    designs: list[str]  # every design but the schema's "unknown"
    support: str  # the first relation 'for' the claim
    qualify: str  # the first neutral relation
    types: list[str]  # claim types a CERQual rating fits


def _terms(schema: dict) -> _Terms:
    vocab = {k: [o["const"] for o in v["oneOf"]] for k,
             v in schema["$defs"].items() if isinstance(v, dict) and "oneOf" in v}
    defs = schema["$defs"]
    designs = [d for d in vocab["design"] if d != defs["design"].get("x-unknown")]

    def polar(polarity: str) -> str:
        return next(o["const"] for o in defs["relation"]["oneOf"] if o.get("x-polarity") == polarity)

    # claim types a CERQual rating fits: any not about effects (those must be rated by their own method)
    types = [o["const"] for o in defs["claim_type"]["oneOf"] if not o.get("x-effectiveness")][:3]
    return _Terms(vocab, designs, polar("for"), polar("neutral"), types)


def generate(root: Path, n_claims: int, n_sources: int, schema_path: Path, seed: int = 7) -> Path:
    """A base of n_claims claims citing n_sources sources under root (claims/ with the schema,
    and references.bib), the same files for the same arguments."""
    rng = random.Random(seed)
    root = Path(root)
    claims_dir = root / "claims"
    claims_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(schema_path, claims_dir / "claim.schema.json")
    terms = _terms(json.loads(schema_path.read_text(encoding="utf-8")))
    keys = [f"src{i:05d}" for i in range(n_sources)]
    (root / "references.bib").write_text(_bibliography(rng, keys, terms), encoding="utf-8")
    ids = [f"synthetic-claim-{i:05d}" for i in range(n_claims)]
    cited: set[str] = set()
    for i, cid in enumerate(ids):
        (claims_dir / f"{cid}.yaml").write_text(_claim(rng, i, ids, keys, cited, terms), encoding="utf-8")
    return root


def _bibliography(rng: random.Random, keys: list[str], terms: _Terms) -> str:
    """references.bib: one journal article a key, its authors drawn from a shared pool of
    surnames so that authors recur across sources."""
    vocab = terms.vocab
    surnames = [f"Author{i:04d}" for i in range(max(50, len(keys) // 3))]
    bib = []
    for i, key in enumerate(keys):
        authors = " and ".join(f"{rng.choice(surnames)}, {chr(65 + rng.randrange(26))}."
                               for _ in range(rng.randint(1, 4)))
        bib.append(
            f"@article{{{key},\n  author = {{{authors}}},\n  year = {{{rng.randint(1995, 2024)}}},\n"
            f"  title = {{{_sentence(rng, rng.randint(6, 14))[:-1]}}},\n  journal = {{Journal of "
            f"{rng.choice(WORDS).title()} Studies}},\n"
            f"  volume = {{{rng.randint(1, 60)}}}, number = {{{rng.randint(1, 6)}}}, pages = "
            f"{{{rng.randint(1, 300)}--{rng.randint(301, 600)}}},\n"
            f"  doi = {{10.{rng.randint(1000, 9999)}/syn.{i}}},\n"
            f"  design = {{{rng.choice(terms.designs)}}}, country = {{{rng.choice(vocab['country'])}}},\n"
            f"  setting = {{{rng.choice(vocab['setting'])}}},\n}}\n")
    return "\n".join(bib)


def _claim(
    rng: random.Random, i: int, ids: list[str], keys: list[str], cited: set[str], terms: _Terms
) -> str:
    """Claim i's file: 2-4 links (every source cited once before any is reused, at least one
    supporting), sometimes a related earlier claim."""
    vocab, support, qualify = terms.vocab, terms.support, terms.qualify
    links = []
    for j in range(rng.randint(2, 4)):
        # make sure every source is cited once before reusing
        key = keys[(i * 3 + j) % len(keys)] if len(cited) < len(keys) else rng.choice(keys)
        cited.add(key)
        quote = f'\n    quote: "{_sentence(rng, rng.randint(8, 25))}"' if rng.random() < 0.4 else ""
        links.append(f"  - source: {key}\n    relation: "
                     f"{rng.choice([support, support, support, qualify])}\n"
                     f"    locator: p. {rng.randint(1, 400)}{quote}\n    note: "
                     f"{_sentence(rng, rng.randint(6, 16))}")
    if not any(f"relation: {support}" in link for link in links):
        links[0] = links[0].replace(f"relation: {qualify}", f"relation: {support}")
    related = ""
    if i > 0 and rng.random() < 0.5:
        related = (f"related:\n  - claim: {ids[rng.randrange(i)]}\n"
                   f"    relation: {rng.choice(vocab['claim_relation'])}\n")
    themes = sorted(set(rng.sample(vocab["theme"], rng.randint(1, 2))))
    return (
        "# yaml-language-server: $schema=claim.schema.json\n"
        f"id: {ids[i]}\nsummary: {_sentence(rng, rng.randint(5, 10))[:-1]}\n"
        f"statement: >-\n  {_sentence(rng, rng.randint(18, 45))}\n"
        f"claim_type: {rng.choice(terms.types)}\n"
        f"themes: [{', '.join(themes)}]\nsettings: [{rng.choice(vocab['setting'])}]\n"
        f"populations: [{rng.choice(vocab['population'])}]\noutcomes: [{rng.choice(vocab['outcome'])}]\n"
        "evidence:\n" + "\n".join(links) + "\n"
        "confidence:\n  level: low\n  method: CERQual\n  components:\n    methodological_limitations: "
        "moderate\n"
        "    coherence: minor\n    adequacy: moderate\n    relevance: no-or-very-minor\n"
        f"  rationale: >-\n    {_sentence(rng, rng.randint(20, 50))}\n  caveat: "
        f"{_sentence(rng, rng.randint(8, 20))}\n"
        f"{related}added: 2026-01-{rng.randint(10, 28)}\n")
