"""The one Jinja2 environment every generated block and page is rendered with.

Why templates: claim and BibTeX text comes from pull requests, and HTML built in f-strings
needs a hand-called escape at every value; one forgotten call is a hole. Here autoescaping is
on for every template, so a value is escaped unless it is `Markup`, and the only values made
`Markup` in Python are formatted references (`reference_html`, below); everything else that
is HTML comes from a template or a macro, which Jinja marks safe itself.

`finalize` escapes with `markup.e` rather than Jinja's own escape: the same characters are
escaped, in the same spelling the f-strings used (`&#x27;`, `&quot;`), so the pages did not
change when the HTML moved into templates, and control characters are dropped (Python-Markdown
marks its placeholders with \\x02/\\x03).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .markup import clean, e

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _finalize(value: object) -> object:
    return value if isinstance(value, Markup) else Markup(e(value))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, finalize=_finalize,
                      undefined=StrictUndefined, keep_trailing_newline=False, auto_reload=False)
    # `tojson` for JSON inside <script>: Jinja escapes <, >, & and ' there; compact and sorted
    # so the page is byte-identical for the same data.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


def render(name: str, **record: object) -> str:
    """The template `name` (a path under templates/) filled with plain records."""
    return environment().get_template(name).render(**record)


def reference_html(html: str) -> Markup:
    """A formatted reference from cite.harvard (its title in <i>, its DOI a link, every
    value escaped there): the one kind of ready-made HTML a template is handed."""
    return Markup(clean(html))
