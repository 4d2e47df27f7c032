"""The graph explorer page (graph/): an HTML shell that graph.js brings to life.

Why it is built this way:
- The browser runs no force layout (a theme view only re-places its members around the
  theme). Positions come precomputed in the explorer's lean data
  (data/graph/*.json, site/graphparts.py, from export.site_graph), so the page is
  interactive quickly even at thousands of nodes.
- Everything the page says about the data (theme and relation titles, counts) comes from
  the base and its vocabularies; graph.js reads the same titles from a JSON block in the
  page, so no title is spelled twice.
- The canvas is not the only way in: a text alternative summarises the graph and links to
  the browse pages, which stay light at 10,000 claims because they summarise, not list.
- The body links its own scripts and stylesheet (relative to the page), so the 168 KB (40 KB
  gzipped) of vendored JavaScript loads on this page only, never site-wide.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..model import EvidenceBase
from .common import source_url, theme_url
from .markup import plural
from .templating import render

ASSETS = Path(__file__).resolve().parent / "assets"
#: Where the site puts this package's assets (relative to the site root).
ASSET_URL = "assets/evidencekb/"
#: graph.js comes first: it starts fetching the data at once, and uses the bundle's `Sigma`
#: and `graphology` globals only when the page has loaded (DOMContentLoaded).
SCRIPTS = ("graph.js", "vendor/sigma-graphology.min.js")
STYLESHEETS = ("graph.css",)
#: Shipped with the scripts because the MIT licences require the notices to travel with them.
NOTICES = (
    "vendor/README.md",
    "vendor/LICENSE-sigma.txt",
    "vendor/LICENSE-graphology.txt",
    "vendor/LICENSE-graphology-utils.txt",
    "vendor/LICENSE-events.txt",
)

#: Node kinds: colours chosen for >= 4.5:1 contrast on the white canvas (WCAG 1.4.11 needs 3:1).
KINDS = (
    ("theme", "Theme", "#6a1b9a"),
    ("claim", "Claim", "#0d47a1"),
    ("source", "Source", "#a84300"),
    ("author", "Author", "#1b5e20"),
    ("scheme", "Scheme", "#4e342e"),
)

#: Relation styles: never colour alone. Each relation also has its own line shape (sigma edge
#: program), drawn the same way in the legend, and its name appears as an edge label when a
#: node is highlighted and in the hover summary.
#: Keyed by the relation's x-polarity in the schema, so a new relation gets its polarity's style.
RELATION_STYLES = {
    "for": {"color": "#1b5e20", "shape": "arrow", "size": 2.0},
    "neutral": {"color": "#8a5a00", "shape": "line", "size": 1.5},
    "against": {"color": "#b71c1c", "shape": "triangle", "size": 3.0},
}
OTHER_RELATION_STYLES = (
    {"color": "#37474f", "shape": "line", "size": 1.0},
    {"color": "#4a148c", "shape": "line", "size": 1.0},
    {"color": "#004d40", "shape": "line", "size": 1.0},
)
#: Structural edges (claim -> theme, source -> author, ... -> scheme): present but quiet.
STRUCTURE_STYLE = {"color": "#bdbdbd", "shape": "line", "size": 0.5}


@dataclass(frozen=True)
class GraphPage:
    """What the site needs to publish the explorer.

    html:        the page body under its H1 (`markdown` adds the H1 in Markdown). It already
                 contains the <link> and <script> tags, relative to the page, so nothing has
                 to be added to mkdocs.yml `extra_javascript`.
    scripts, stylesheets: those same assets as site-root-relative paths, in load order.
    files:       every (source file, site path) pair to copy into the build: the scripts, the
                 stylesheet and the vendored licence notices. Copying the whole package
                 `site/assets/` folder to `assets/evidencekb/` covers them all.
    data_url:    where graph.js fetches the whole graph (site-root-relative): the lean
                 data/graph/all.json that site/graphparts.py makes from export.site_graph
                 (data/graph.json, the download, is not read by the page).
    """

    html: str
    scripts: tuple[str, ...]
    stylesheets: tuple[str, ...]
    files: tuple[tuple[Path, str], ...]
    data_url: str = "data/graph/all.json"

    @property
    def markdown(self) -> str:
        return "# Graph explorer\n\n" + self.html


def _relations(base: EvidenceBase) -> list[dict]:
    """Relations with titles from the vocabularies; evidence relations first, then claim-to-claim."""
    out = []
    others = iter(OTHER_RELATION_STYLES * 10)
    for vocab_name, group in (("relation", "evidence"), ("claim_relation", "related")):
        vocab = base.vocabularies.get(vocab_name)
        if vocab is None:
            continue
        for term in vocab.terms:
            style = RELATION_STYLES.get(term.meta.get("x-polarity", "")) if group == "evidence" else None
            style = style or next(others)
            out.append(
                {"id": term.id, "title": term.title, "description": term.description, "group": group, **style}
            )
    return out


def _themes(base: EvidenceBase) -> list[dict]:
    vocab = base.vocabularies.get("theme")
    return [{"id": t.id, "title": t.title} for t in (vocab.terms if vocab else ())]


def render_graph_page(
    base: EvidenceBase,
    site_graph: Mapping | None = None,
    *,
    site_root: str = "../",
    asset_url: str = ASSET_URL,
    labels: Mapping[str, str] | None = None,
) -> GraphPage:
    """Build the graph explorer page body and list the assets it needs.

    base:       the checked evidence base (themes, relations and counts come from it).
    site_graph: export.site_graph(...) output, if at hand; used only for the author count
                in the text alternative. The page itself fetches its data at run time.
    site_root:  the page's relative path back to the site root ("../" for graph/).
    asset_url:  where the assets live, relative to the site root.
    labels:     key -> Harvard label of each source, if at hand (made here otherwise).
    """
    themes = _themes(base)
    relations = _relations(base)
    kinds = [{"id": k, "title": t, "color": c} for k, t, c in KINDS]
    assets = site_root + asset_url
    config = _config(base, site_root, kinds, relations, themes)
    counts = _counts(base, site_graph, len(themes))
    html = render(
        "graph.html",
        root=site_root,
        stylesheets=[assets + css for css in STYLESHEETS],
        scripts=[assets + js for js in SCRIPTS],
        themes=themes,
        relations=relations,
        kinds=kinds,
        structure=STRUCTURE_STYLE,
        config=config,
        counts_but_last=", ".join(counts[:-1]),
        counts_last=counts[-1],
        theme_counts=_theme_counts(base, themes, site_root),
        relation_counts=_relation_counts(base, relations),
        top_sources=_top_sources(base, site_root, labels),
    )
    files = tuple((ASSETS / rel, asset_url + rel) for rel in (*SCRIPTS, *STYLESHEETS, *NOTICES))
    return GraphPage(
        html=html,
        scripts=tuple(asset_url + s for s in SCRIPTS),
        stylesheets=tuple(asset_url + s for s in STYLESHEETS),
        files=files,
    )


def _config(base: EvidenceBase, site_root: str, kinds: list, relations: list, themes: list) -> dict:
    """What graph.js reads from the page's JSON block: where the data is and every title."""
    from .graphparts import CLAIMS_MAP, WHOLE, part_name

    start = next(
        (t.id for t in base.vocabularies["theme"].terms if t.meta.get("x-graph-start")),
        themes[0]["id"] if themes else "",
    )
    parts = {t["id"]: site_root + "data/" + part_name(i) for i, t in enumerate(themes)}
    whole = site_root + "data/" + WHOLE
    return {
        "data": whole,
        # one theme's part is fetched on opening; the whole graph only to widen
        "parts": parts,
        "claims_map": site_root + "data/" + CLAIMS_MAP,
        "preload": parts.get(start, whole),
        "root": site_root,
        "kinds": kinds,
        "relations": relations,
        "structure": STRUCTURE_STYLE,
        "themes": themes,
        # The explorer opens on one theme (the one marked x-graph-start, else the first), not a hairball.
        "start_theme": start,
    }


def _counts(base: EvidenceBase, site_graph: Mapping | None, n_themes: int) -> list[str]:
    """The text alternative's opening counts; authors only when the site graph is at hand."""
    counts = [f"{len(base.claims)} claims", f"{len(base.sources)} sources"]
    if site_graph is not None:
        n_authors = sum(1 for n in site_graph.get("nodes", ()) if n.get("kind") == "author")
        counts.append(f"{n_authors} authors")
    counts.append(f"{n_themes} themes")
    return counts


def _theme_counts(base: EvidenceBase, themes: list[dict], root: str) -> list[dict]:
    per_theme = Counter(t for c in base.claims for t in c.themes)
    return [
        {
            "url": root + theme_url(t["id"]),
            "title": t["title"],
            "claims": plural(per_theme.get(t["id"], 0), "claim"),
        }
        for t in themes
    ]


def _relation_counts(base: EvidenceBase, relations: list[dict]) -> list[dict]:
    """Links per evidence relation in vocabulary order, then per claim-to-claim relation."""
    per_relation = Counter(link.relation for c in base.claims for link in c.evidence)
    per_related = Counter(r.relation for c in base.claims for r in c.related)
    rel_titles = {r["id"]: r["title"] for r in relations}
    order = list(rel_titles)
    ordered = [
        *sorted(per_relation.items(), key=lambda kv: order.index(kv[0]) if kv[0] in rel_titles else 99),
        *sorted(per_related.items()),
    ]
    return [{"title": rel_titles.get(rid, rid), "links": plural(n, "link")} for rid, n in ordered]


def _top_sources(base: EvidenceBase, root: str, labels: Mapping[str, str] | None) -> list[dict]:
    """The ten most-cited sources (a text alternative summarises; it never lists everything),
    by their Harvard labels."""
    cited = Counter(link.source for c in base.claims for link in c.evidence if link.source in base.sources)
    top = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    if top and labels is None:
        from ..cite.harvard import harvard_labels

        labels = harvard_labels(base.sources)
    named = labels or {}
    return [
        {"url": root + source_url(key), "label": named.get(key, key), "claims": plural(n, "claim")}
        for key, n in top
    ]
