"""The renderer on its own: untrusted claim and BibTeX text can never become markup.

The checker already refuses `javascript:` URLs, so these tests build records the checker
would refuse (dataclasses.replace on a checked base) and render them directly, then run
each page through Markdown with the site's own extensions, as MkDocs would.
"""

from __future__ import annotations

import dataclasses
import json
import re

import markdown
import pytest
import yaml

from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.site.common import GeneratedPage, Heading, Settings, fill, heading, raw
from evidencekb.site.data import derive
from evidencekb.site.render import BLOCKS, render_block, render_site

EVIL_TEXT = ("<script>alert(1)</script> *em* _under_ [link](javascript:alert(2)) `tick` {{ config.site_name "
             "}} "
             "<img src=x onerror=alert(3)> \x02wzxhzdk:0\x03 & \"quoted\" 'single'")
EVIL_URL = "javascript:alert(4)"
SETTINGS = Settings(site_name="Test Explorer", site_url="https://example.org/kb/",
                    repo_url="https://github.com/o/r")
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "def_list", "toc"]


def evil_base(project):
    base = check_project(Project(project.root)).base
    assert base is not None
    alpha = base.claim("alpha")
    link = dataclasses.replace(alpha.evidence[0], quote=EVIL_TEXT, note=EVIL_TEXT, locator=EVIL_TEXT)
    conf = dataclasses.replace(alpha.confidence, rationale=EVIL_TEXT, caveat=EVIL_TEXT)
    evil_claim = dataclasses.replace(alpha, statement=EVIL_TEXT, summary=EVIL_TEXT,
                                     evidence=(link, *alpha.evidence[1:]),
                                     confidence=conf, contributors=(EVIL_TEXT,))
    lee = base.sources["lee2019book"]
    evil_source = dataclasses.replace(lee, fields={**lee.fields, "title": EVIL_TEXT, "url": EVIL_URL,
                                                   "doi": "javascript:alert(5)", "publisher": EVIL_TEXT,
                                                   "incomplete": EVIL_TEXT})
    claims = tuple(evil_claim if c.id == "alpha" else c for c in base.claims)
    sources = {**base.sources, "lee2019book": evil_source}
    return dataclasses.replace(base, claims=claims, sources=sources)


@pytest.fixture
def rendered(project):
    base = evil_base(project)
    data = derive(Project(project.root), base)
    return data, render_site(data, SETTINGS)


def to_html(page: GeneratedPage) -> tuple[dict, str]:
    """The page's front matter and HTML body as MkDocs gets them: a generated page's HTML is
    made by the page itself, a Markdown page's (contributing/) by Markdown."""
    text = page.markdown()
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    meta = yaml.safe_load(m.group(1))
    html = page.html() if page.is_html else markdown.markdown(text[m.end():], extensions=EXTENSIONS)
    return meta, fill(html, page.chunks())  # as the hooks do


_JSONLD = re.compile(r'<script type="application/ld\+json">[^<>]*</script>')


def assert_harmless(html: str, where: str) -> None:
    # our own JSON-LD blocks are the one script allowed: linked_data.script_json keeps < and >
    # out of them, so no field can close the element (the [^<>] above holds that too)
    html = _JSONLD.sub("", html)
    assert "<script" not in html.lower(), where
    assert "<img" not in html.lower(), where
    assert not re.search(r"""href\s*=\s*["']?\s*(javascript|data|vbscript):""", html, re.I), where
    assert "<em>em</em>" not in html and "<em>under</em>" not in html, where
    assert "<code>tick</code>" not in html, where
    assert "onerror=" not in html.replace("onerror=alert(3)&gt;", ""), where
    assert "\x02" not in html and "\x03" not in html, where


def test_every_generated_page_renders_untrusted_text_as_text(rendered):
    _, site = rendered
    for page in site.pages:
        meta, html = to_html(page)
        assert_harmless(html, page.src_uri)
        for key, value in meta.items():
            if isinstance(value, str):
                assert "<" not in value and ">" not in value, (page.src_uri, key)


def test_the_evil_claim_shows_its_text_escaped(rendered):
    _, site = rendered
    page = next(p for p in site.pages if p.src_uri == "claims/alpha/index.md")
    meta, html = to_html(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ config.site_name }}" in html  # shown literally, never a template
    assert "[link](javascript:alert(2))" in html  # Markdown link syntax left as text
    assert "wzxhzdk:0" in html  # Markdown's own placeholder syntax cannot pull in stashed HTML
    assert meta["title"].startswith("&lt;script&gt;")  # Material prints titles as HTML
    assert "&lt;script&gt;" in meta["description"]


def test_a_javascript_url_is_never_a_link(rendered):
    _, site = rendered
    page = next(p for p in site.pages if p.src_uri == "sources/lee2019book/index.md")
    _, html = to_html(page)
    assert "javascript:alert(4)" in html  # shown as text, so a reviewer can see it
    assert not re.search(r'href="[^"]*javascript', html, re.I)
    assert "doi.org/javascript" not in html
    for pair in page.meta["highwire"]:  # head tags are escaped by the hook, not here
        assert isinstance(pair[1], str)


def test_head_tags_are_escaped(rendered):
    from evidencekb.site.hooks import on_page_context

    _, site = rendered
    page = next(p for p in site.pages if p.src_uri == "sources/lee2019book/index.md")

    class FakePage:  # what on_page_context reads of a MkDocs page
        meta = page.meta
        file = type("File", (), {"src_uri": page.src_uri})()

    context = on_page_context({}, FakePage(), None, None)
    head = context["ev_head"]
    assert '<meta name="citation_title" content="&lt;script&gt;' in head
    assert "<script" not in head and "<img" not in head


def test_hand_written_page_blocks_are_escaped(rendered):
    data, _ = rendered
    for name in BLOCKS:
        html = render_block(name, data, SETTINGS, "../")
        assert_harmless(html, name)


def test_downloads_and_data_files_keep_the_text_as_data(rendered):
    _, site = rendered
    claims = json.loads(site.files["data/claims.json"])
    alpha = next(c for c in claims if c["id"] == "alpha")
    assert alpha["statement"] == " ".join(EVIL_TEXT.split()) or alpha["statement"] == EVIL_TEXT
    assert alpha["url"] == "https://example.org/kb/claims/alpha/"


def test_paths_stay_inside_the_output(rendered):
    _, site = rendered
    for path in [p.src_uri for p in site.pages] + list(site.files):
        assert not path.startswith("/") and ".." not in path.split("/"), path
        assert re.fullmatch(r"[a-z0-9_./-]+", path), path


def test_hostile_source_keys_get_safe_slugs():
    from evidencekb.site_paths import source_slug

    for key in ("../../etc/passwd", "a/b", "..", ".", "CON", "x:y", "key with space", "ünï", "", "a" * 300):
        slug = source_slug(key)
        assert re.fullmatch(r"[a-z0-9_-]+", slug), (key, slug)
        assert slug not in (".", "..")
    assert source_slug("a/b") != source_slug("a-b")


def test_markdown_never_sees_generated_html(rendered):
    """Generated pages give MkDocs (and so Python-Markdown) only their front matter; their
    HTML holds one placeholder per block."""
    _, site = rendered
    for page in site.pages:
        if not page.is_html:
            continue
        assert page.markdown().endswith("---\n\n"), page.src_uri
        assert len(re.findall(r"<!--ev:\d+-->", page.html())) == len(page.chunks())


def as_markdown(page: GeneratedPage) -> str:
    """The body as it was written before pages skipped Markdown: headings, placeholders."""
    out, n = [], 0
    for part in page.body:
        if isinstance(part, Heading):
            attrs = ((f"#{part.anchor}" if part.anchor else "")
                     + ("" if part.search else " data-search-exclude")).strip()
            out.append("#" * part.level + " " + part.text + (f" {{{attrs}}}" if attrs else ""))
        else:
            out.append(f"<!--ev:{n}-->")
            n += 1
    return "\n\n".join(out) + "\n"


def test_generated_html_and_contents_are_what_markdown_made_of_them(rendered):
    """Skipping Markdown changed nothing: the same HTML, ids and table of contents."""
    _, site = rendered
    pages = [p for p in site.pages if p.is_html]
    pages.append(GeneratedPage("x/index.md", "x", [
        heading(1, "Sources: A & B"), raw("<p>x</p>"), heading(2, "Twice"), heading(2, "Twice"),
        heading(2, "Kept", "kept", search=False)]))
    for page in pages:
        md = markdown.Markdown(extensions=EXTENSIONS)
        assert page.html() == md.convert(as_markdown(page)), page.src_uri
        assert page.toc() == _strip(md.toc_tokens), page.src_uri


def _strip(tokens: list) -> list:
    """Markdown's toc tokens, only the keys MkDocs reads."""
    return [{"level": t["level"], "id": t["id"], "name": t["name"], "children": _strip(t["children"])}
            for t in tokens]


def test_rendering_is_deterministic(project):
    base = check_project(Project(project.root)).base
    one = render_site(derive(Project(project.root), base), SETTINGS)
    two = render_site(derive(Project(project.root), base), SETTINGS)
    assert [p.markdown() for p in one.pages] == [p.markdown() for p in two.pages]
    assert [p.html() for p in one.pages if p.is_html] == [p.html() for p in two.pages if p.is_html]
    assert one.files == two.files


def test_separate_cells_keeps_words_apart_for_the_search_indexer():
    from evidencekb.site.common import separate_cells

    html = ("<table><tr><td>small steps</td><td>Ethnographic</td></tr></table>"
            "<p>a<br>b</p><dl><dt>x</dt><dd>y</dd></dl>")
    out = separate_cells(html)
    assert "steps</td>\n<td>Ethnographic" in out and "a<br>\nb" in out and "</dt>\n<dd>" in out
    assert separate_cells(out) == out  # idempotent: no blank lines pile up on a rebuild


def test_claims_table_shows_qualifying_and_disputing_links_at_a_glance():
    from types import SimpleNamespace

    from evidencekb.site.common import sources_cell, stance_counts

    only_support = SimpleNamespace(n_sources=3,
                                   relations=(("supports", 3), ("qualifies", 0), ("disputes", 0)))
    mixed = SimpleNamespace(n_sources=3, relations=(("supports", 1), ("qualifies", 2), ("disputes", 1)))
    assert sources_cell(only_support) == "3" and sources_cell(None) == ""
    assert sources_cell(mixed) == "3 (2 qualify, 1 disputes)"
    assert stance_counts(mixed) == ["1 supports", "2 qualify", "1 disputes"]
