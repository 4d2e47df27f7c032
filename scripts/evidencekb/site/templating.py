"""The one Jinja2 environment every generated block and page is rendered with.

Why templates: claim and BibTeX text comes from pull requests, and HTML built in f-strings
needs a hand-called escape at every value; one forgotten call is a hole. Here autoescaping is
on for every template, so a value is escaped unless it is `Markup`, and the only values made
`Markup` in Python are formatted references (`reference_html`, below); everything else that
is HTML comes from a template or a macro, which Jinja marks safe itself.

Escaping is markupsafe's (its C speed-up), but spelt as the f-strings spelt it before, so
the pages did not change when the HTML moved into templates: `render` turns markupsafe's
`&#39;` and `&#34;` into html.escape's `&#x27;` and `&quot;`. That is exact, never a
rewrite of anyone's text: escaped text cannot contain `&#39;` (its `&` became `&amp;`), and
no template writes it. `finalize` drops control characters from every value first
(Python-Markdown marks its placeholders with \\x02/\\x03, and they are not HTML anyway) and
prints None as nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .markup import clean

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _finalize(value: object) -> object:
    if type(value) is str:
        return clean(value)
    return "" if value is None else value


class _Environment(Environment):
    """Records are plain dicts: `{{ row.title }}` looks the key up first (Jinja's default
    tries an attribute and fails with an exception on every dict access, a third of the
    rendering time on a large base)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = _Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, finalize=_finalize,
                      undefined=StrictUndefined, keep_trailing_newline=False, auto_reload=False)
    # `tojson` for JSON inside <script>: Jinja escapes <, >, & and ' there; compact and sorted
    # so the page is byte-identical for the same data.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


_loaded: dict = {}


def render(name: str, **record: object) -> str:
    """The template `name` (a path under templates/) filled with plain records."""
    template = _loaded.get(name)
    if template is None:
        template = _loaded[name] = environment().get_template(name)
    html = template.render(**record)
    return html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


def block(name: str, **record: object) -> str:
    """templates/blocks/NAME.html inside the block's own <div class="ev-block ev-block--NAME">
    (the blocks a hand-written page asks for with <!-- evidence:NAME -->)."""
    return render("blocks/wrap.html", block=name, template=f"blocks/{name}.html", **record)


def reference_html(html: str) -> Markup:
    """A formatted reference from cite.harvard (its title in <i>, its DOI a link, every
    value escaped there): the one kind of ready-made HTML a template is handed."""
    return Markup(clean(html))
