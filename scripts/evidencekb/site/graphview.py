"""The graph explorer page (graph/): an HTML shell that graph.js brings to life.

Why it is built this way:
- The browser runs no layout. Positions come precomputed in data/graph.json
  (export.site_graph), so the page is interactive quickly even at thousands of nodes.
- Everything the page says about the data (theme and relation titles, counts) comes from
  the base and its vocabularies; graph.js reads the same titles from a JSON block in the
  page, so no title is spelled twice.
- The canvas is not the only way in: a text alternative summarises the graph and links to
  the browse pages, which stay light at 10,000 claims because they summarise, not list.
- The body links its own scripts and stylesheet (relative to the page), so the 260 KB of
  vendored JavaScript loads on this page only, never site-wide.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import quote

from ..model import EvidenceBase

ASSETS = Path(__file__).resolve().parent / "assets"
#: Where the site puts this package's assets (relative to the site root).
ASSET_URL = "assets/evidencekb/"
#: Load order matters: sigma and graph.js expect the `graphology` global.
SCRIPTS = ("vendor/graphology.umd.min.js", "vendor/sigma.min.js", "graph.js")
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

    markdown:    the page body for graph/index.md (a Markdown H1 then raw HTML). It already
                 contains the <link> and <script> tags, relative to the page, so nothing has
                 to be added to mkdocs.yml `extra_javascript`.
    scripts, stylesheets: those same assets as site-root-relative paths, in load order.
    files:       every (source file, site path) pair to copy into the build: the scripts, the
                 stylesheet and the vendored licence notices. Copying the whole package
                 `site/assets/` folder to `assets/evidencekb/` covers them all.
    data_url:    where graph.js fetches the graph (site-root-relative): data/graph.json,
                 which must hold export.site_graph(base, analysis).
    """

    markdown: str
    scripts: tuple[str, ...]
    stylesheets: tuple[str, ...]
    files: tuple[tuple[Path, str], ...]
    data_url: str = "data/graph.json"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _seg(segment: str) -> str:
    """One URL path segment: an id can never climb out of its folder or start a scheme."""
    return quote(str(segment), safe="")


def _json_for_script(data: object) -> str:
    """JSON safe inside <script type="application/json">: no '</script>' or comment breakout."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
            out.append({"id": term.id, "title": term.title, "description": term.description,
                        "group": group, **style})
    return out


def _themes(base: EvidenceBase) -> list[dict]:
    vocab = base.vocabularies.get("theme")
    return [{"id": t.id, "title": t.title} for t in (vocab.terms if vocab else ())]


def _legend_line(style: Mapping) -> str:
    """A small SVG drawn like the canvas edge, so shape carries meaning as well as colour."""
    c = _e(style["color"])
    shape = style["shape"]
    if shape == "triangle":
        body = f'<polygon points="2,3 2,11 30,7" fill="{c}"/>'
    elif shape == "arrow":
        body = f'<line x1="2" y1="7" x2="24" y2="7" stroke="{c}" stroke-width="2"/><polygon points="22,2 32,7 22,12" fill="{c}"/>'
    else:
        body = f'<line x1="2" y1="7" x2="32" y2="7" stroke="{c}" stroke-width="{1.5 if style["size"] >= 1.5 else 1}"/>'
    return f'<svg class="evg-swatch-line" width="34" height="14" viewBox="0 0 34 14" aria-hidden="true" focusable="false">{body}</svg>'


def render_graph_page(
    base: EvidenceBase,
    site_graph: Mapping | None = None,
    *,
    site_root: str = "../",
    asset_url: str = ASSET_URL,
) -> GraphPage:
    """Build the graph explorer page body and list the assets it needs.

    base:       the checked evidence base (themes, relations and counts come from it).
    site_graph: export.site_graph(...) output, if at hand; used only for the author count
                in the text alternative. The page itself fetches data/graph.json at run time.
    site_root:  the page's relative path back to the site root ("../" for graph/).
    asset_url:  where the assets live, relative to the site root.
    """
    themes = _themes(base)
    relations = _relations(base)
    kinds = [{"id": k, "title": t, "color": c} for k, t, c in KINDS]
    assets = site_root + asset_url
    config = {
        "data": site_root + "data/graph.json",
        "root": site_root,
        "kinds": kinds,
        "relations": relations,
        "structure": STRUCTURE_STYLE,
        "themes": themes,
    }

    n_claims = len(base.claims)
    n_sources = len(base.sources)
    per_theme = Counter(t for c in base.claims for t in c.themes)
    per_relation = Counter(link.relation for c in base.claims for link in c.evidence)
    per_related = Counter(r.relation for c in base.claims for r in c.related)
    n_authors = None
    if site_graph is not None:
        n_authors = sum(1 for n in site_graph.get("nodes", ()) if n.get("kind") == "author")

    out: list[str] = ["# Graph explorer", ""]
    # Inside the first HTML block: a bare <link> line would be wrapped in <p> by Markdown.
    links = "".join(f'<link rel="stylesheet" href="{_e(assets + css)}">\n' for css in STYLESHEETS)

    # Controls -------------------------------------------------------------------------
    theme_options = "".join(f'<option value="{_e(t["id"])}">{_e(t["title"])}</option>' for t in themes)
    rel_boxes = []
    for r in relations:
        rel_boxes.append(
            f'<label class="evg-check"><input type="checkbox" name="relation" value="{_e(r["id"])}" checked> '
            f'{_legend_line(r)} {_e(r["title"])}</label>'
        )
    kind_items = "".join(
        f'<li><span class="evg-swatch" style="background:{_e(k["color"])}" aria-hidden="true"></span> {_e(k["title"])}s</li>'
        for k in kinds
    )
    rel_items = "".join(
        f'<li>{_legend_line(r)} <span><strong>{_e(r["title"])}</strong>'
        + (f': {_e(r["description"])}' if r["description"] else "")
        + "</span></li>"
        for r in relations
    )

    out.append(
        '<div class="evg" id="evg-app" data-config-id="evg-config">\n'
        + links +
        f'<p class="evg-intro">Every finding, the sources behind it, their authors and the themes they belong to, '
        f'as one network. Hover over a dot for a summary, click it to open its page, or find one by name. '
        f'With many nodes, themes and sources show first: zoom in to reveal the claims.</p>\n'
        f'<div class="evg-controls" role="group" aria-label="Graph controls">\n'
        f'<div class="evg-search">\n'
        f'<label for="evg-search-input">Find a claim, source, author or theme</label>\n'
        f'<input id="evg-search-input" type="text" role="combobox" autocomplete="off" spellcheck="false" '
        f'aria-autocomplete="list" aria-expanded="false" aria-controls="evg-search-list" '
        f'aria-describedby="evg-search-help" disabled>\n'
        f'<ul id="evg-search-list" role="listbox" aria-label="Matching nodes" hidden></ul>\n'
        f'<p id="evg-search-help" class="evg-help">Type a few letters, choose with the arrow keys and Enter to show '
        f'the node; press Enter again to open its page.</p>\n'
        f'</div>\n'
        f'<div class="evg-filter">\n'
        f'<label for="evg-theme">Theme</label>\n'
        f'<select id="evg-theme" disabled><option value="">All themes</option>{theme_options}</select>\n'
        f'</div>\n'
        f'<fieldset class="evg-relations"><legend>Relations shown</legend>\n'
        + "\n".join(rel_boxes)
        + "\n</fieldset>\n"
        f'<div class="evg-buttons">'
        f'<button type="button" id="evg-zoom-in" class="md-button" disabled>Zoom in</button> '
        f'<button type="button" id="evg-zoom-out" class="md-button" disabled>Zoom out</button> '
        f'<button type="button" id="evg-reset" class="md-button" disabled>Reset</button>'
        f'</div>\n'
        f'</div>\n'
        f'<p id="evg-status" class="evg-status" role="status">Loading the graph…</p>\n'
        f'<div id="evg-canvas" class="evg-canvas" role="img" '
        f'aria-label="Network of claims, sources, authors and themes. A text alternative follows the graph." '
        f'aria-describedby="evg-alt-intro"></div>\n'
        f'<div class="evg-summary"><h2 class="evg-summary-title">Selected</h2>'
        f'<div id="evg-live" class="evg-live" aria-live="polite" aria-atomic="true">'
        f'Hover over or find a node to see its summary here.</div>'
        f'<p><a id="evg-open" class="evg-open" href="{_e(site_root)}" hidden>Open</a></p></div>\n'
        f'<div class="evg-legend"><h2>Key</h2>\n'
        f'<ul class="evg-legend-kinds">{kind_items}</ul>\n'
        f'<ul class="evg-legend-relations">{rel_items}'
        f'<li>{_legend_line(STRUCTURE_STYLE)} <span>belongs to a theme, written by an author, part of a scheme</span></li></ul>\n'
        f'</div>\n'
        f'<noscript><p class="evg-status">The interactive graph needs JavaScript. '
        f'The text alternative below and the browse pages hold the same information.</p></noscript>\n'
        f'</div>'
    )
    out.append("")

    # Text alternative ---------------------------------------------------------------------
    root = _e(site_root)
    counts = [f"{n_claims} claims", f"{n_sources} sources"]
    if n_authors is not None:
        counts.append(f"{n_authors} authors")
    counts.append(f"{len(themes)} themes")
    theme_list = "".join(
        f'<li><a href="{root}themes/{_e(_seg(t["id"]))}/">{_e(t["title"])}</a>: '
        f'{per_theme.get(t["id"], 0)} claim{"" if per_theme.get(t["id"], 0) == 1 else "s"}</li>'
        for t in themes
    )
    rel_titles = {r["id"]: r["title"] for r in relations}
    rel_counts = "".join(
        f'<li>{_e(rel_titles.get(rid, rid))}: {n} link{"" if n == 1 else "s"}</li>'
        for rid, n in [*sorted(per_relation.items(), key=lambda kv: list(rel_titles).index(kv[0]) if kv[0] in rel_titles else 99),
                       *sorted(per_related.items())]
    )
    cited = Counter(link.source for c in base.claims for link in c.evidence if link.source in base.sources)
    top = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    top_list = ""
    if top:
        from ..graph import short_label
        from ..site_paths import source_slug

        top_list = (
            "<h3>Most-cited sources</h3><ol>"
            + "".join(
                f'<li><a href="{root}sources/{_e(_seg(source_slug(key)))}/">{_e(short_label(base.sources[key]))}</a>: '
                f'cited by {n} claim{"" if n == 1 else "s"}</li>'
                for key, n in top
            )
            + "</ol>"
        )
    out.append(
        f'<details class="evg-alt" id="evg-alt">\n'
        f'<summary>Text alternative: what the graph shows</summary>\n'
        f'<p id="evg-alt-intro">The graph links {_e(", ".join(counts[:-1]))} and {_e(counts[-1])}. '
        f'Each claim is joined to the sources that support, qualify or dispute it, to its themes and to '
        f'related claims; each source is joined to its authors.</p>\n'
        f'<h3>Claims by theme</h3><ul>{theme_list}</ul>\n'
        f'<h3>Links by relation</h3><ul>{rel_counts}</ul>\n'
        f'{top_list}\n'
        f'<h3>The same information as lists and tables</h3><ul>'
        f'<li><a href="{root}browse/claims/">Browse and filter all claims</a></li>'
        f'<li><a href="{root}browse/sources/">Sources A to Z</a></li>'
        f'<li><a href="{root}browse/authors/">Authors</a></li>'
        f'<li><a href="{root}map/">Evidence map</a></li>'
        f'<li><a href="{root}downloads/">Download the graph</a> (GraphML, GEXF, Cytoscape JSON, CSV)</li>'
        f'</ul>\n'
        f'</details>'
    )
    out.append("")
    out.append(f'<script type="application/json" id="evg-config">{_json_for_script(config)}</script>')
    for js in SCRIPTS:
        out.append(f'<script src="{_e(assets + js)}"></script>')
    out.append("")

    files = tuple((ASSETS / rel, asset_url + rel) for rel in (*SCRIPTS, *STYLESHEETS, *NOTICES))
    return GraphPage(
        markdown="\n".join(out),
        scripts=tuple(asset_url + s for s in SCRIPTS),
        stylesheets=tuple(asset_url + s for s in STYLESHEETS),
        files=files,
    )
