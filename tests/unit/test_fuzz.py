"""Property-based tests: random and mutated input gives a clean result or clean
problems, never an exception. Seeded (derandomize) and bounded for CI."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidencekb.checker import SchemaChecker, check_project
from evidencekb.parsers.bibtex import parse_bibtex_text
from evidencekb.parsers.claim_yaml import parse_claim_bytes
from evidencekb.project import Project
from evidencekb.site_paths import claim_slug, source_slug

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

YAML_BITS = ["id: a", "statement: x", "\n", "  ", "\t", "- ", ": ", "&a ", "*a", "!!python/name:os.system",
             "[", "]",
             "{", "}", "'", '"', "#", "---", "...", "? ", "|", ">-", "é", "\x00", "\ufeff", "\r\n", "no",
             "2026-13-45",
             "evidence:", "  - source: k", "    relation: supports", "!!binary", "<<: *a", "%YAML 1.2"]
BIB_BITS = ["@article{", "@string{", "@comment{", "@preamble{", "key,", "title = {", "}", "{", '"', "#", ",",
            "=",
            "author = {A, B and {Corp}}", "year = 2020", "\\'e", "\\url{x}", "@", "\n", "(", ")", "%", "\\",
            "é"]


_PRISTINE: dict = {}


def _claim_text(project):
    """The fixture's claim as it was before any example mutated it (the fixture is shared by examples)."""
    path = project.root / "claims" / "alpha.yaml"
    return _PRISTINE.setdefault(str(path), path.read_text(encoding="utf-8"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw):
    doc, problems = parse_claim_bytes(raw, "claims/x.yaml")
    assert (doc is None) == bool(problems)
    for p in problems:
        assert p.position.line >= 1 and p.position.col >= 1 and p.message


@SETTINGS
@given(st.lists(st.sampled_from(YAML_BITS), max_size=40))
def test_yaml_fragments_never_raise(bits):
    doc, problems = parse_claim_bytes("".join(bits).encode("utf-8", "surrogatepass"), "claims/x.yaml")
    assert doc is not None or problems


@SETTINGS
@given(st.lists(st.sampled_from(BIB_BITS), max_size=60))
def test_bibtex_fragments_never_raise(bits):
    sources, problems = parse_bibtex_text("".join(bits), "references.bib")
    assert isinstance(sources, dict)
    for p in problems:
        assert p.position.line >= 1


@SETTINGS
@given(data=st.data())
def test_mutated_claims_check_cleanly(project, data):
    text = _claim_text(project)
    ops = data.draw(st.lists(st.tuples(st.sampled_from(["delete", "insert", "dup-line", "swap"]),
                                       st.integers(0, len(text)), st.sampled_from(YAML_BITS)), max_size=4))
    for op, i, bit in ops:
        i = min(i, len(text))
        if op == "delete":
            text = text[:i] + text[i + 3:]
        elif op == "insert":
            text = text[:i] + bit + text[i:]
        elif op == "dup-line":
            lines = text.splitlines(True)
            if lines:
                k = i % len(lines)
                lines.insert(k, lines[k])
                text = "".join(lines)
        else:
            text = text[i:] + text[:i]
    project.claim("alpha", text)
    result = check_project(Project(project.root))  # must not raise
    for p in result.problems:
        assert re.match(r"^(claims/[\w.-]+\.yaml|references\.bib)$", p.position.path)


@SETTINGS
@given(data=st.data())
def test_fast_and_full_validators_agree(project, data):
    import json
    schema = json.loads((project.root / "claims" / "claim.schema.json").read_text())
    checker = SchemaChecker(schema)
    doc, _ = parse_claim_bytes(_claim_text(project).encode(), "claims/alpha.yaml")
    d = doc.data
    field = data.draw(st.sampled_from(sorted(d)))
    value = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=10),
                                st.lists(st.text(max_size=5), max_size=3),
                                st.sampled_from(["how-mentoring-works", "supports", "high", "GRADE",
                                                 "2026-01-01", "a-b"])))
    d[field] = value
    full_valid = not list(checker.validator.iter_errors(d))
    if checker.fast is not None:
        try:
            checker.fast(d)
            fast_valid = True
        except Exception:
            fast_valid = False
        # the fast path may only ever be stricter: never let through what jsonschema rejects
        assert not (fast_valid and not full_valid)
    doc.data = d
    assert (checker.check(doc) == []) == full_valid


@SETTINGS
@given(st.text(min_size=1, max_size=40))
def test_no_key_escapes_the_output_folder(key):
    slug = source_slug(key)
    assert re.fullmatch(r"[a-z0-9_-]+", slug)
    assert slug not in (".", "..") and "/" not in slug and "\\" not in slug


@SETTINGS
@given(st.text(min_size=1, max_size=40))
def test_claim_paths_only_from_slugs(cid):
    try:
        slug = claim_slug(cid)
    except ValueError:
        return
    assert re.fullmatch(r"[a-z0-9-]+", slug)


def test_distinct_keys_stay_distinct():
    keys = ["Buck:2018", "buck-2018", "buck/2018", "buck.2018", "../../etc", "buck2018"]
    slugs = [source_slug(k) for k in keys]
    assert len(set(slugs)) == len(slugs)


# Untrusted text stays text: whatever a pull request puts in a field, the page gets no markup
# and no link that is not http(s) or a DOI.
URL_BITS = ["javascript:", "JaVaScRiPt:", "data:text/html,", "vbscript:", "http://", "https://", "//", "doi:",
            "10.1000/", "https://doi.org/", " ", "\t", "\n", "\x00", "<", ">", '"', "'", "&", "%0a",
            "x.example/",
            "alert(1)", "/path?q=1#f", "é", ":", "@"]


@SETTINGS
@given(st.text(max_size=60))
def test_escaped_text_never_carries_markup(text):
    from evidencekb.site.markup import e

    out = e(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out)


@SETTINGS
@given(st.lists(st.sampled_from(URL_BITS), max_size=8).map("".join) | st.text(max_size=40))
def test_only_http_and_doi_links_are_ever_made(raw):
    from evidencekb.cite.links import doi_url, http_url
    from evidencekb.site.markup import external_link

    for href in (http_url(raw), doi_url(raw)):
        assert href == "" or re.match(r"^https?://[^\s\"'<>]+$", href), href
    html = external_link(raw, "label")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("http://", "https://")) for h in hrefs), html
    assert "<script" not in html.lower()  # the label and any refused URL are escaped text
