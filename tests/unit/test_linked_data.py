"""Linked data: JSON-LD expands as a harvester reads it, Turtle and TriG parse with rdflib and
hold the base's counts, the API documents match their schemas, and every output is deterministic."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from evidencekb.api import SCHEMA_FILES, api_documents, schema_text
from evidencekb.checker import check_project
from evidencekb.cite.harvard import format_bibliography
from evidencekb.linked_data import (
    Addresses,
    claim_jsonld,
    dataset_jsonld,
    nanopublications,
    script_json,
    source_jsonld,
    turtle,
)
from evidencekb.project import Project

SITE = "https://example.org/kb/"


@pytest.fixture
def base(project):
    project.edit("alpha", "    locator: p. 15\n",
                 "    locator: p. 15\n    via: lee2019book\n    source_locator: p. 3\n")
    project.edit("alpha", "added: 2026-11-01",
                 "related:\n  - claim: beta\n    relation: elaborates\nadded: 2026-11-01")
    result = check_project(Project(project.root))
    assert result.ok, [p.message for p in result.problems]
    return result.base


def labels(base):
    refs = format_bibliography(base.sources)
    return lambda key: refs[key].label


def test_claim_jsonld_expands_and_gives_back_statement_sources_and_stances(base):
    pyld = pytest.importorskip("pyld")
    addr = Addresses(SITE)
    claim = base.claim("alpha")
    doc = json.loads(script_json(claim_jsonld(claim, base, addr, {"number": 2}, labels(base))))
    expanded = pyld.jsonld.expand(doc)
    node = expanded[0]
    assert node["@type"] == ["https://schema.org/Claim"]
    assert node["https://schema.org/text"][0]["@value"] == claim.statement
    links = node[addr.vocab + "evidence"]
    sources = {link[addr.vocab + "source"][0]["@id"] for link in links}
    assert sources == {addr.source("lee2019book"), addr.source("smith2020trial")}
    relations = {link[addr.vocab + "relation"][0]["@id"] for link in links}
    assert relations == {addr.term("relation", "supports")}
    via = [link[addr.vocab + "via"][0]["@id"] for link in links if addr.vocab + "via" in link]
    assert via == [addr.source("lee2019book")]
    assert node[addr.vocab + "elaborates"][0]["@id"] == addr.claim("beta")
    appearance = {a["@id"] for a in node["https://schema.org/appearance"]}
    assert appearance == sources


def test_source_and_dataset_jsonld_expand(base):
    pyld = pytest.importorskip("pyld")
    addr = Addresses(SITE)
    src = source_jsonld(base.sources["smith2020trial"], addr)
    src["@context"] = {"@vocab": "https://schema.org/", "ekb": addr.vocab}
    node = pyld.jsonld.expand(src)[0]
    assert node["@type"] == ["https://schema.org/ScholarlyArticle"]
    assert node["https://schema.org/sameAs"][0]["@id"] == "https://doi.org/10.1000/xyz123"
    ds = dataset_jsonld(base, addr, name="KB", description="d", version="1.0",
                        downloads={"claims.csv": "text/csv", "references.bib": "application/x-bibtex"})
    node = pyld.jsonld.expand(ds)[0]
    assert node["@type"] == ["https://schema.org/Dataset"]
    assert len(node["https://schema.org/distribution"]) == 2


@pytest.mark.parametrize("hostile", ["</script><script>alert(1)</script>", "<!-- x", "a & b", "\u2028"])
def test_script_json_never_closes_the_element_and_keeps_the_text(hostile):
    text = script_json({"name": hostile})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == hostile


def test_turtle_and_trig_parse_with_the_base_counts(base):
    from rdflib import Dataset, Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    addr = Addresses(SITE)
    ekb, schema = Namespace(addr.vocab), Namespace("https://schema.org/")
    n_links = sum(len(c.evidence) for c in base.claims)
    g = Graph().parse(data=turtle(base, addr), format="turtle")
    assert len(set(g.subjects(RDF.type, schema.Claim))) == len(base.claims)
    assert len(set(g.subjects(RDF.type, ekb.EvidenceLink))) == n_links
    works = {s for s in g.subjects(RDF.type, None) if str(s).startswith(addr.site + "sources/")}
    assert len(works) == len(base.sources)
    ds = Dataset().parse(data=nanopublications(base, addr), format="trig")
    np = Namespace("http://www.nanopub.org/nschema#")
    pubs = {s for s, _p, _o, _g in ds.quads((None, RDF.type, np.Nanopublication, None))}
    assert len(pubs) == len(base.claims)
    prov = ds.graph(URIRef(addr.nanopub("alpha") + "#provenance"))
    assert len(set(prov.subjects(RDF.type, ekb.EvidenceLink))) == len(base.claim("alpha").evidence)


def test_rdf_is_byte_identical_across_processes(project, base):
    code = ("import sys; from evidencekb.checker import check_project;"
            "from evidencekb.project import Project;"
            "from evidencekb.linked_data import Addresses, turtle, nanopublications;"
            f"b = check_project(Project({str(project.root)!r})).base; a = Addresses({SITE!r});"
            "sys.stdout.write(turtle(b, a) + nanopublications(b, a))")
    env = {"PATH": "/usr/bin:/bin", "EVIDENCE_NO_CACHE": "1"}  # else its cache is the real ~/.cache
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**env, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0]


def test_api_documents_match_their_schemas_and_link_up(base):
    addr = Addresses(SITE)
    docs = api_documents(base, addr, labels(base), {"alpha": {"number": 3, "date": "2027-01-02",
                                                             "commit": "a" * 40}})
    schemas = {name: json.loads(schema_text(name)) for name in SCHEMA_FILES}
    for path, text in docs.items():
        if path.startswith("schemas/"):
            continue
        name = "index.schema.json" if path == "index.json" else f"{path.split('/')[0][:-1]}.schema.json"
        jsonschema.validate(json.loads(text), schemas[name])
    alpha = json.loads(docs["claims/alpha.json"])
    assert alpha["version"]["number"] == 3 and alpha["evidence"][1]["via"] == "lee2019book"
    assert json.loads(docs["claims/beta.json"])["version"] is None
    lee = json.loads(docs["sources/lee2019book.json"])
    assert [c["id"] for c in lee["claims"]] == ["alpha"]  # cited directly and as the work read
    index = json.loads(docs["index.json"])
    for entry in index["claims"] + index["sources"]:
        assert entry["api"] in docs
    assert docs == api_documents(base, addr, labels(base), {"alpha": {"number": 3, "date": "2027-01-02",
                                                                      "commit": "a" * 40}})
