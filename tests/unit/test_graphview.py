"""graphview: the graph explorer's page shell. Titles come from the vocabularies, every
untrusted string is escaped, ids cannot steer links, and the page names every asset it needs."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from evidencekb.model import Person, Term
from evidencekb.site import graphview
from evidencekb.site.graphview import render_graph_page

EVIL = '<script>alert("x")</script>'


@pytest.fixture
def base(check):
    result, messages = check()
    assert result.ok, messages
    return result.base


def config_of(markdown: str) -> dict:
    m = re.search(r'<script type="application/json" id="evg-config">(.*?)</script>', markdown, re.S)
    assert m, "no config block"
    return json.loads(m.group(1))


def with_theme(base, term: Term):
    vocabs = dict(base.vocabularies)
    theme = vocabs["theme"]
    vocabs["theme"] = dataclasses.replace(theme, terms=(*theme.terms, term))
    return dataclasses.replace(base, vocabularies=vocabs)


def test_page_has_the_explorer_parts(base):
    md = render_graph_page(base).markdown
    assert md.startswith("# Graph explorer\n")
    for needle in ('id="evg-canvas"', 'id="evg-search-input"', 'role="combobox"', 'id="evg-theme"',
                   'name="relation"', 'id="evg-reset"', 'aria-live="polite"', 'role="status"',
                   '<details class="evg-alt"', "<noscript>"):
        assert needle in md, needle


def test_titles_come_from_the_vocabularies(base):
    md = render_graph_page(base).markdown
    cfg = config_of(md)
    themes = base.vocabularies["theme"].terms
    assert [t["id"] for t in cfg["themes"]] == [t.id for t in themes]
    assert [t["title"] for t in cfg["themes"]] == [t.title for t in themes]
    for t in themes:
        assert f'<option value="{t.id}">' in md
    relation_ids = [r["id"] for r in cfg["relations"]]
    expected = [*base.vocabularies["relation"].ids(), *base.vocabularies["claim_relation"].ids()]
    assert relation_ids == expected
    for term in base.vocabularies["relation"].terms:
        assert f'value="{term.id}" checked' in md


def test_relations_differ_by_more_than_colour(base):
    cfg = config_of(render_graph_page(base).markdown)
    evidence = [r for r in cfg["relations"] if r["group"] == "evidence"]
    assert len({r["shape"]
                for r in evidence}) == len(evidence), "each evidence relation needs its own line shape"
    assert len({r["color"] for r in evidence}) == len(evidence)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_node_and_relation_colours_contrast_with_the_white_canvas():
    colours = [c for _, _, c in graphview.KINDS] + [s["color"] for s in graphview.RELATION_STYLES.values()]
    for colour in colours:
        ratio = (1.0 + 0.05) / (_luminance(colour) + 0.05)
        assert ratio >= 3.0, f"{colour} has contrast {ratio:.2f} on white (WCAG 1.4.11 needs 3:1)"


def test_untrusted_titles_are_escaped(base):
    base = with_theme(base, Term(id="evil", title=EVIL, description=EVIL))
    md = render_graph_page(base).markdown
    assert "<script>alert" not in md
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in md
    # The JSON config cannot close its own <script> element early.
    block = re.search(r'<script type="application/json" id="evg-config">(.*?)</script>', md, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert config_of(md)["themes"][-1]["title"] == EVIL


def test_source_labels_are_escaped(base):
    key = sorted(base.sources)[0]
    src = dataclasses.replace(base.sources[key], authors=(Person(family=EVIL),))
    base = dataclasses.replace(base, sources={**base.sources, key: src})
    md = render_graph_page(base).markdown
    assert "<script>alert" not in md
    assert "&lt;script&gt;" in md


def test_ids_cannot_steer_links_out_of_their_folder(base):
    base = with_theme(base, Term(id="../../x", title="Odd", description=""))
    md = render_graph_page(base).markdown
    assert 'href="../themes/..%2F..%2Fx/"' in md
    hrefs = re.findall(r'href="([^"]*)"', md)
    assert hrefs
    for href in hrefs:
        assert not re.match(r"[a-z]+:", href), href  # relative links only
        assert "/../" not in href.replace("../", "", 1), href


def test_text_alternative_summarises_without_listing_every_claim(base):
    md = render_graph_page(base).markdown
    start = md.index('<details class="evg-alt"')
    alt = md[start:md.index("</details>", start)]
    assert f"{len(base.claims)} claims" in alt and f"{len(base.sources)} sources" in alt
    assert 'href="../browse/claims/"' in alt and 'href="../browse/sources/"' in alt
    for claim in base.claims:
        assert claim.statement not in alt
    assert 'href="../themes/how-mentoring-works/">' in alt
    assert "Most-cited sources" in alt


def test_author_count_comes_from_the_site_graph(base):
    graph = {"nodes": [{"id": "author:a", "kind": "author"}, {"id": "author:b", "kind": "author"}]}
    assert "2 authors" in render_graph_page(base, graph).markdown
    assert " authors" not in render_graph_page(base).markdown.split("evg-alt-intro")[1].split("</p>")[0]


def test_assets_are_listed_in_load_order_and_exist(base):
    page = render_graph_page(base)
    assert page.scripts == (
        "assets/evidencekb/graph.js",
        "assets/evidencekb/vendor/sigma-graphology.min.js",
    )
    assert page.stylesheets == ("assets/evidencekb/graph.css",)
    assert page.data_url == "data/graph/all.json"
    srcs = re.findall(r'<script src="([^"]+)"></script>', page.markdown)
    assert srcs == ["../" + s for s in page.scripts]
    assert '<link rel="stylesheet" href="../assets/evidencekb/graph.css">' in page.markdown
    dests = [d for _, d in page.files]
    for needed in (*page.scripts, *page.stylesheets):
        assert needed in dests
    assert any("LICENSE-sigma" in d for d in dests) and any("LICENSE-graphology" in d for d in dests)
    for src, _ in page.files:
        assert src.is_file(), src


def test_no_cdn_anywhere(base):
    md = render_graph_page(base).markdown
    assert "http://" not in md and "https://" not in md
    js = (graphview.ASSETS / "graph.js").read_text(encoding="utf-8")
    assert "https://" not in js and "http://" not in js


def test_output_is_deterministic(base):
    assert render_graph_page(base) == render_graph_page(base)


def test_other_locations_for_root_and_assets(base):
    page = render_graph_page(base, site_root="../../", asset_url="static/")
    assert '<script src="../../static/graph.js"></script>' in page.markdown
    assert config_of(page.markdown)["data"] == "../../data/graph/all.json"
    assert page.scripts[0] == "static/graph.js"  # first: it starts the data fetch
