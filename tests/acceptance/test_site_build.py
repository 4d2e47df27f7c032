"""The site, built end to end: from the real base, and from tiny hostile ones.

The real site is built once (through `evidence build`, as CI does) and then inspected
as files: every page is there, claim and source pages stay out of the navigation, every
internal link and anchor resolves, nothing is loaded from another site, no page is over
500 KB. Tiny projects prove escaping through MkDocs itself, and that a failed or
interrupted build leaves the previous site untouched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.site_paths import source_slug

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO / "scripts"))
MAX_PAGE_BYTES = 500_000
SITE_PATH = "/explorer/"  # the path of mkdocs.yml's site_url
DATA_FILES = (
    "graph.json",
    "claims.json",
    "claims.csv",
    "references.bib",
    "references.ris",
    "references.json",
    "graph.graphml",
    "graph.gexf",
    "cytoscape.json",
    "nodes.csv",
    "edges.csv",
)


def evidence(*args, cwd=REPO, **kw):
    return subprocess.run(
        [sys.executable, "-m", "evidencekb", *args], cwd=cwd, env=ENV, capture_output=True, text=True, **kw
    )


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "site"
    started = time.monotonic()
    proc = evidence("build", "--site-dir", str(out))
    if proc.returncode != 0:
        pytest.fail(f"evidence build failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    assert "WARNING" not in proc.stderr, proc.stderr
    print(f"real site built in {time.monotonic() - started:.1f} s")
    return out


@pytest.fixture(scope="module")
def real_base():
    result = check_project(Project(REPO))
    assert result.ok, "the real base has errors"
    return result.base


class Links(HTMLParser):
    """hrefs/srcs, ids, and the hrefs inside Material's primary navigation."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.nav_links: list[str] = []
        self._nav_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        in_primary = tag == "nav" and "md-nav--primary" in (a.get("class") or "")
        if tag not in (
            "input",
            "img",
            "meta",
            "link",
            "br",
            "hr",
            "source",
            "area",
            "col",
            "embed",
            "wbr",
            "base",
        ):
            self._stack.append(in_primary)
            if in_primary:
                self._nav_depth += 1
        for attr in ("href", "src"):
            if a.get(attr):
                self.links.append((tag, a[attr]))
                if attr == "href" and tag == "a" and self._nav_depth:
                    self.nav_links.append(a[attr])

    def handle_endtag(self, tag):
        if self._stack and tag not in ("input", "img", "meta", "link", "br", "hr"):
            if self._stack.pop():
                self._nav_depth -= 1


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


# --- the real site -------------------------------------------------------------------------


def test_every_page_and_data_file_exists(real_site, real_base):
    for rel in (
        "index.html",
        "method/index.html",
        "themes/index.html",
        "browse/claims/index.html",
        "browse/sources/index.html",
        "browse/authors/index.html",
        "map/index.html",
        "gaps/index.html",
        "graph/index.html",
        "downloads/index.html",
        "contributing/index.html",
        "pagefind/pagefind-entry.json",
    ):
        assert (real_site / rel).is_file(), rel
    for claim in real_base.claims:
        assert (real_site / "claims" / claim.id / "index.html").is_file(), claim.id
    for key in real_base.sources:
        slug = source_slug(key)
        for name in ("index.html", f"{slug}.bib", f"{slug}.ris", f"{slug}.json"):
            assert (real_site / "sources" / slug / name).is_file(), (key, name)
    for term in real_base.vocabularies["theme"].terms:
        assert (real_site / "themes" / term.id / "index.html").is_file(), term.id
    for name in DATA_FILES:
        assert (real_site / "data" / name).stat().st_size > 0, name
    graph = json.loads((real_site / "data" / "graph.json").read_text(encoding="utf-8"))
    assert any(n["kind"] == "claim" for n in graph["nodes"])


def test_claim_and_source_pages_stay_out_of_the_navigation(real_site):
    for page in (
        "index.html",
        "browse/claims/index.html",
        "claims/core-conditions-of-peer-mentoring/index.html",
    ):
        nav = [
            urlsplit(urljoin("http://site/" + page, h)).path.lstrip("/")
            for h in parse(real_site / page).nav_links
        ]
        assert nav, f"no navigation found in {page}"
        assert not [h for h in nav if h.startswith(("claims/", "sources/", "themes/")) and h != "themes/"], (
            page,
            nav,
        )
        assert len(nav) < 40, f"{page}: {len(nav)} navigation links"


def test_every_internal_link_and_anchor_resolves(real_site):
    pages = sorted(real_site.rglob("*.html"))
    parsed = {p: parse(p) for p in pages}
    ids = {p: parsed[p].ids for p in pages}
    broken = []
    for page, links in parsed.items():
        base_url = "http://site/" + page.relative_to(real_site).as_posix()
        for tag, href in links.links:
            if href.startswith(("http:", "https:", "mailto:", "data:")) or href.startswith("//"):
                continue
            if href.startswith(SITE_PATH):  # 404.html links absolutely, under site_url's path
                href = "/" + href[len(SITE_PATH) :]
            url = urlsplit(urljoin(base_url, href))
            assert url.netloc == "site", (page, href)
            target = real_site / unquote(url.path.lstrip("/"))
            if target.is_dir() or url.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(real_site)}: {href}")
                continue
            if url.fragment and target.suffix == ".html" and tag == "a":
                target_ids = ids.get(target) or parse(target).ids
                if unquote(url.fragment) not in target_ids:
                    broken.append(f"{page.relative_to(real_site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


def test_nothing_is_loaded_from_another_site(real_site):
    for page in real_site.rglob("*.html"):
        for tag, href in parse(page).links:
            if tag in ("script", "img", "link", "iframe", "source", "video", "audio"):
                if tag == "link" and re.search(r"""rel=["']?canonical""", ""):
                    continue
                external = href.startswith(("http:", "https:", "//"))
                if external:
                    # the canonical link and the sitemap are addresses, not loads
                    text = page.read_text(encoding="utf-8")
                    assert re.search(rf'<link[^>]+rel="canonical"[^>]+href="{re.escape(href)}"', text), (
                        page,
                        href,
                    )
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
    for css in real_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_no_page_is_over_500_kb(real_site):
    sizes = sorted(((p.stat().st_size, p) for p in real_site.rglob("*.html")), reverse=True)
    heaviest = sizes[0]
    print(f"heaviest page: {heaviest[1].relative_to(real_site)} {heaviest[0] / 1000:.0f} KB")
    assert heaviest[0] < MAX_PAGE_BYTES, heaviest


def test_claim_page_has_what_a_commissioner_needs(real_site):
    html = (real_site / "claims/core-conditions-of-peer-mentoring/index.html").read_text(encoding="utf-8")
    site = "https://peer-mentoring-evidence.github.io/explorer/"
    assert site + "claims/core-conditions-of-peer-mentoring/" in html
    assert "Cite this finding" in html and 'data-ev-copy="text"' in html and 'data-ev-copy="html"' in html
    assert "Buck, G. (2018)" in html
    repo = "https://github.com/peer-mentoring-evidence/explorer/"
    assert f'href="{repo}edit/main/claims/core-conditions-of-peer-mentoring.yaml"' in html
    assert "Challenge this rating" in html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)
    # words, not colour alone
    assert 'class="ev-level ev-level--moderate"' in html and "Moderate confidence" in html


def test_source_page_has_highwire_tags_in_its_head(real_site):
    html = (real_site / "sources/buck2018core/index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    assert '<meta name="citation_title" content="The core conditions of peer mentoring">' in head
    assert '<meta name="citation_author" content="Buck, Gillian">' in head or 'name="citation_author"' in head
    assert 'name="citation_journal_title"' in head
    bib = (real_site / "sources/buck2018core/buck2018core.bib").read_text(encoding="utf-8")
    assert bib.lstrip().startswith("@article{buck2018core")


def pagefind_docs(site) -> list[dict]:
    """Pagefind's per-page fragments (gzipped JSON after a 12-byte signature): what each
    indexed page contributes to the search."""
    import gzip

    docs = []
    for f in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        docs.append(json.loads(raw[raw.index(b"{") :]))
    return docs


def test_search_index_holds_statements_rationales_quotes_and_source_titles(real_site, real_base):
    docs = pagefind_docs(real_site)
    text = " ".join(d["meta"].get("title", "") + " " + d["content"] for d in docs)
    claim = real_base.claim("core-conditions-of-peer-mentoring")
    assert claim.statement.split(":")[0] in text
    assert claim.confidence.rationale[:40] in text
    assert claim.confidence.caveat[:40] in text
    assert "encouraging small steps" in text  # a quote
    assert "The core conditions of peer mentoring" in text  # a source title
    assert "By Gillian Buck." in text  # a source's authors
    urls = {d["url"] for d in docs}
    assert "/claims/core-conditions-of-peer-mentoring/" in urls
    for unsearched in (
        "/browse/claims/",
        "/downloads/",
        "/map/",
        "/gaps/",
        "/browse/sources/",
        "/browse/authors/",
    ):
        assert unsearched not in urls, unsearched
    page = next(d for d in docs if d["url"] == "/claims/core-conditions-of-peer-mentoring/")
    # only findings: no navigation, rating line, judgements, citation or edit links
    for chrome in ("Skip to content", "Cite this finding", "Edit this claim", "Component", "rated with"):
        assert chrome not in page["content"], chrome
    assert page["filters"]["kind"] == ["Claim"] and page["filters"]["theme"]
    assert page["meta"]["confidence"].endswith("confidence") and page["meta"]["type"]


def test_search_terms_never_run_across_table_cells(real_site, real_base):
    # A quote must reach the index as words of its own: not glued to the text of the cell
    # before or after it ("stepsEthnographic" would be one unsearchable term).
    blob = "\n".join(d["content"] for d in pagefind_docs(real_site) if d["url"].startswith("/claims/"))
    quotes = [link.quote for c in real_base.claims for link in c.evidence if link.quote]
    assert quotes
    for quote in quotes:
        assert re.search(r"(?<!\w)" + re.escape(" ".join(quote.split())) + r"(?!\w)", blob), quote


def test_result_titles_are_text(real_site):
    titles = [d["meta"].get("title", "") for d in pagefind_docs(real_site)]
    assert any("'" in t for t in titles)
    assert not any(re.search(r"&(#x?[0-9a-f]+|amp|quot|lt|gt);", t, re.I) for t in titles)


class _Text(HTMLParser):
    """A page's text as a reader sees or copies it (the plain-text copy in <template> too),
    without verbatim quotes (<q>, <blockquote>: the source's own words), scripts, and what
    the base said before (`data-ev-as-cited`: frozen versions, History, commit messages),
    which must stay as it was cited."""

    SKIP = {"q", "blockquote", "script", "style"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._as_cited = 0  # open elements inside a data-ev-as-cited region (0: not inside)

    def handle_starttag(self, tag, attrs):
        self._skip += tag in self.SKIP
        if tag in self.VOID:
            return
        if self._as_cited or any(name == "data-ev-as-cited" for name, _ in attrs):
            self._as_cited += 1

    def handle_endtag(self, tag):
        self._skip -= tag in self.SKIP and self._skip > 0
        if self._as_cited and tag not in self.VOID:
            self._as_cited -= 1

    def handle_data(self, data):
        if not self._skip and not self._as_cited:
            self.parts.append(data)


def ambiguous_label_patterns(base) -> list[re.Pattern]:
    """For each author and year the bibliography tells apart with letters (Buck 2021a, 2021b):
    the label without its letter, narrative "Buck (2021" or parenthetical "Buck, 2021" or
    grouped "Buck, 2020, 2021" / "Buck, 2021a, 2021"."""
    from evidencekb.cite.harvard import format_bibliography
    from evidencekb.cite.intext import labels

    lettered = {
        (names, year[:-1])
        for names, year in labels(format_bibliography(base.sources)).values()
        if re.fullmatch(r"\d{4}[a-z]", year)
    }
    earlier_years = r"(?:(?:\d{4}[a-z]?|n\.d\.), )*"
    start = r"(?<!\w)(?<!and )(?<!& )"  # not the last of several names ("Atherton and Buck (2021)")
    return [
        re.compile(rf"{start}{re.escape(names)}(?: \(|, {earlier_years}){year}(?![a-z0-9])")
        for names, year in sorted(lettered)
    ]


def ambiguous_labels(site: Path, base) -> list[str]:
    """'page: text' for every author-year label on the built site that lacks the letter the
    bibliography gives it."""
    patterns = ambiguous_label_patterns(base)
    found = []
    files = sorted(site.rglob("*.html")) + [site / "data/claims.csv", site / "data/claims.json"]
    for path in files:
        raw = path.read_text(encoding="utf-8")
        if path.name == "claims.json":  # every field but the verbatim quotes
            raw = json.dumps(
                [
                    {
                        **c,
                        "evidence": [
                            {k: v for k, v in link.items() if k != "quote"} for link in c["evidence"]
                        ],
                    }
                    for c in json.loads(raw)
                ],
                ensure_ascii=False,
            )
        elif path.suffix == ".html":
            parser = _Text()
            parser.feed(raw)
            raw = " ".join(parser.parts)
        text = re.sub(r"\s+", " ", raw)
        for pattern in patterns:
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(site)}: ...{text[max(0, m.start() - 40) : m.end() + 20]}...")
    return found


def test_ambiguous_label_scan_finds_a_label_without_its_letter(tmp_path, project):
    project.bib(
        open(project.root / "references.bib").read()
        + (
            "@book{buck2021a, author={Buck, Gillian}, title={A}, year={2021}, publisher={P}}\n"
            "@book{buck2021b, author={Buck, Gillian}, title={B}, year={2021}, publisher={P}}\n"
        )
    )
    base = check_project(Project(project.root)).base
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data/claims.csv").write_text("id,note\nx,fine (Buck, 2021a)\n", encoding="utf-8")
    (site / "data/claims.json").write_text(
        '[{"note": "Buck (2021b) and (Buck, 2021a, 2021b)", "evidence": [{"quote": "as Buck (2021) says"}]}]',
        encoding="utf-8",
    )
    (site / "ok.html").write_text(
        "<p>Buck (2021a); (Lee, 2019)</p><q>as Buck (2021) says</q>", encoding="utf-8"
    )
    (site / "bad.html").write_text(
        "<td>as reported in Buck\n(2021), section X</td>"
        "<template>(Buck, 2020, cited in Buck, 2021)</template>"
        "<p>(Buck, 2021a, 2021)</p>",
        encoding="utf-8",
    )
    found = ambiguous_labels(site, base)
    assert [f.split(":")[0] for f in found] == ["bad.html"] * 3, found


def test_no_page_prints_an_author_year_label_without_its_letter(real_site, real_base):
    """Issue 13: "Buck (2021)" is ambiguous where the bibliography has Buck 2021a and 2021b."""
    found = ambiguous_labels(real_site, real_base)
    assert not found, f"{len(found)} ambiguous labels, e.g.\n" + "\n".join(found[:20])


def test_the_build_is_deterministic(real_site, tmp_path):
    again = tmp_path / "again"
    proc = evidence("build", "--site-dir", str(again))
    assert proc.returncode == 0, proc.stderr
    for rel in (
        "claims/core-conditions-of-peer-mentoring/index.html",
        "data/claims.json",
        "data/graph.json",
        "browse/claims/index.html",
        "map/index.html",
    ):
        assert (real_site / rel).read_bytes() == (again / rel).read_bytes(), rel


# --- tiny projects ---------------------------------------------------------------------------


def site_project(factory) -> Path:
    """The fixture project plus this repo's mkdocs.yml and docs/, with the hooks path absolute."""
    root = factory.root
    cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("- scripts/mkdocs_hooks.py", f"- {REPO / 'scripts' / 'mkdocs_hooks.py'}")
    (root / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


def test_script_in_a_statement_is_text_on_the_built_page(project, tmp_path):
    root = site_project(project)
    evil = "<script>alert(1)</script> *em* [x](https://example.org) `tick` {{ config.site_name }}"
    project.edit("alpha", "Peer mentors help people alpha.", evil)
    project.edit("alpha", "Two studies agree.", "<img src=x onerror=alert(2)>")
    proc = evidence("build", "--root", str(root), "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (tmp_path / "site/claims/alpha/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<em>em</em>" not in html and "<code>tick</code>" not in html
    assert "{{ config.site_name }}" in html
    assert "<title>&lt;script&gt;" in html
    for page in (tmp_path / "site").rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page
    # the search index holds it as words; search.js puts index text in as text, never as HTML
    page = next(d for d in pagefind_docs(tmp_path / "site") if d["url"] == "/claims/alpha/")
    assert "alert(1)" in page["content"] and "onerror" in page["content"]


def test_a_javascript_url_stops_the_build_with_its_position(project, tmp_path):
    root = site_project(project)
    bib = (root / "references.bib").read_text(encoding="utf-8")
    (root / "references.bib").write_text(
        bib.replace("url = {https://www.justiceinspectorates.gov.uk/x.pdf}", "url = {javascript:alert(1)}"),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / ".evidencekb-site").write_text("", encoding="utf-8")  # made by the tool: only those are replaced
    (site / "index.html").write_text("previous site", encoding="utf-8")
    proc = evidence("build", "--root", str(root), "--site-dir", str(site))
    assert proc.returncode == 1
    assert re.search(r"references\.bib:\d+:\d+: error: url 'javascript:alert\(1\)'", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"


def test_plain_mkdocs_build_refuses_a_broken_base_without_a_traceback(project, tmp_path):
    root = site_project(project)
    project.edit("alpha", "source: lee2019book", "source: nobody2020none")
    project.edit("beta", "level: moderate", "level: sky-high")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert re.search(r"claims/alpha\.yaml:\d+:\d+: error: unknown source 'nobody2020none'", out), out
    assert re.search(r"claims/beta\.yaml:\d+:\d+: error:", out), out
    assert "Traceback" not in out


def test_a_build_that_fails_inside_mkdocs_leaves_the_old_site(project, tmp_path):
    root = site_project(project)
    site = tmp_path / "site"
    ok = evidence("build", "--root", str(root), "--site-dir", str(site))
    assert ok.returncode == 0, ok.stderr
    before = (site / "claims/alpha/index.html").read_bytes()
    with open(root / "docs/index.md", "a", encoding="utf-8") as fh:
        fh.write("\n<!-- evidence:no-such-block -->\n")
    project.edit("alpha", "Two studies agree.", "Changed, but never published.")
    proc = evidence("build", "--root", str(root), "--site-dir", str(site))
    assert proc.returncode == 1
    assert "no-such-block" in proc.stderr and "Traceback" not in proc.stderr
    assert (site / "claims/alpha/index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_ctrl_c_mid_build_leaves_the_old_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / ".evidencekb-site").write_text("", encoding="utf-8")  # made by the tool: only those are replaced
    (site / "index.html").write_text("previous site", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidencekb", "build", "--site-dir", str(site)],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    building = []
    while time.monotonic() < deadline and proc.poll() is None:
        building = list(tmp_path.glob(".site.building-*"))
        if building and any(building[0].rglob("*.html")):
            break
        time.sleep(0.02)
    assert building, "the build never started writing"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0, out + err
    assert "Traceback" not in err, err
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not list(tmp_path.glob(".site.*")), list(tmp_path.iterdir())


_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_every_jsonld_block_expands_and_gives_back_the_claims(real_site, real_base):
    """Harvesters read the pages' JSON-LD: each block expands (pyld), no field breaks out of its
    script element, and every claim's statement, sources and stances come back out."""
    pyld = pytest.importorskip("pyld")
    claims_seen, kinds = {}, set()
    for path in sorted(real_site.rglob("*.html")):
        for block in _JSONLD.findall(path.read_text(encoding="utf-8")):
            assert "<" not in block and ">" not in block, path
            for node in pyld.jsonld.expand(json.loads(block)):
                kinds.update(node.get("@type", []))
                if node.get("@type") == ["https://schema.org/Claim"]:
                    claims_seen[node["@id"]] = node
    assert {
        "https://schema.org/Claim",
        "https://schema.org/Dataset",
        "https://schema.org/ScholarlyArticle",
    } <= kinds
    assert len(claims_seen) == len(real_base.claims)
    for claim in real_base.claims:
        node = next(n for i, n in claims_seen.items() if i.endswith(f"/claims/{claim.id}/"))
        assert node["https://schema.org/text"][0]["@value"] == claim.statement
        links = next(v for k, v in node.items() if k.endswith("vocab#evidence"))
        got = sorted(
            (link_[k][0]["@id"].rsplit("/", 2)[-2], link_[r][0]["@id"].rsplit("-", 1)[-1])
            for link_ in links
            for k in link_
            if k.endswith("vocab#source")
            for r in link_
            if r.endswith("vocab#relation")
        )
        assert got == sorted((e.source, e.relation) for e in claim.evidence), claim.id


def test_api_documents_match_their_schemas(real_site, real_base):
    import jsonschema

    api = real_site / "api"
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (api / "schemas").glob("*.json")}
    index = json.loads((api / "index.json").read_text(encoding="utf-8"))
    jsonschema.validate(index, schemas["index.schema.json"])
    assert len(index["claims"]) == len(real_base.claims) and len(index["sources"]) == len(real_base.sources)
    for entry in index["claims"]:
        jsonschema.validate(
            json.loads((api / entry["api"]).read_text(encoding="utf-8")), schemas["claim.schema.json"]
        )
    for entry in index["sources"]:
        jsonschema.validate(
            json.loads((api / entry["api"]).read_text(encoding="utf-8")), schemas["source.schema.json"]
        )


def test_rdf_downloads_hold_the_base(real_site, real_base):
    from rdflib import Dataset, Graph, Namespace
    from rdflib.namespace import RDF

    g = Graph().parse(real_site / "data" / "graph.ttl", format="turtle")
    assert len(set(g.subjects(RDF.type, Namespace("https://schema.org/").Claim))) == len(real_base.claims)
    ds = Dataset().parse(real_site / "data" / "nanopubs.trig", format="trig")
    np_ = Namespace("http://www.nanopub.org/nschema#")
    assert len({s for s, *_ in ds.quads((None, RDF.type, np_.Nanopublication, None))}) == len(
        real_base.claims
    )


def test_the_not_found_page_says_where_to_go_next(real_site):
    links = {href for _, href in parse(real_site / "404.html").links}
    for target in ("browse/claims/", "themes/", "whats-new/"):
        assert SITE_PATH + target in links, target
    assert SITE_PATH in links  # the home page
