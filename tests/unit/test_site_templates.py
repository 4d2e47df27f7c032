"""Every template the site renders with is loaded with autoescaping on, and none turns it off."""

from __future__ import annotations

import re

from evidencekb.site import templating


def test_every_template_is_loaded_with_autoescape_on():
    env = templating.environment()
    names = env.list_templates(extensions=["html"])
    assert names, "no templates found"
    for name in names:
        template = env.get_template(name)
        # Jinja decides per template name when autoescape is a function; ours is always on
        on = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert on is True, name
        assert template.environment is env, name


def test_no_template_switches_escaping_off_or_marks_text_safe():
    for path in templating.TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", text), path.name


def test_values_are_escaped_and_control_characters_dropped():
    env = templating.environment()
    out = env.from_string('<a title="{{ x }}">{{ x }}</a>').render(x="<b>\"it's\"</b>\x02")
    assert out == '<a title="&lt;b&gt;&quot;it&#x27;s&quot;&lt;/b&gt;">&lt;b&gt;&quot;it&#x27;s&quot;&lt;/b&gt;</a>'


def test_only_a_formatted_reference_is_trusted_as_markup():
    ref = templating.reference_html("<i>Title</i>\x03")
    assert templating.environment().from_string("{{ r }}").render(r=ref) == "<i>Title</i>"
