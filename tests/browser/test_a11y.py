"""Accessibility (WCAG 2.1 AA) with axe-core on every kind of page, at desktop and phone
widths, plus what axe cannot see: the skip link, focus, and confidence shown in words."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "claim": "claims/core-conditions-of-peer-mentoring/",
    "contested claim": "claims/peer-mentoring-may-reduce-reoffending/",
    "source": "sources/buck2018core/",
    "theme": "themes/how-mentoring-works/",
    "themes": "themes/",
    "map": "map/",
    "graph": "graph/",
    "method": "method/",
    "claims table": "browse/claims/",
    "sources a-z": "browse/sources/",
    "authors": "browse/authors/",
    "gaps": "gaps/",
    "downloads": "downloads/",
    "contributing": "contributing/",
    "incomplete source": "sources/buck2021mentoring/",
    "effectiveness theme": "themes/effectiveness/",
    "performance": "performance/",
    "not found": "404.html",
    "pack": "pack/",
    "checklist": "commissioning/",
    "whats new": "whats-new/",
    "vocab": "vocab/",
    "frozen version": "claims/peer-mentoring-may-reduce-reoffending/v1/",
}


def site_base_to_local(pg, server):
    """404.html links its assets from the site_url path (/explorer/), as a 404 page must; the
    local server serves the site at /, so those requests are answered from there."""
    pg.route("**/explorer/**", lambda route: route.continue_(url=route.request.url.replace("/explorer/", "/", 1)))  # noqa: E501 (verbatim browser script or data)


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_violations_on_desktop(page, server, axe, serious, describe, kind):
    site_base_to_local(page, server)
    page.goto(server + PAGES[kind])
    page.wait_for_load_state("networkidle")
    bad = serious(axe(page))
    assert not bad, f"{kind}:\n{describe(bad)}"


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_violations_on_a_phone(browser, server, axe, serious, describe, kind):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        site_base_to_local(pg, server)
        pg.goto(server + PAGES[kind])
        pg.wait_for_load_state("networkidle")
        bad = serious(axe(pg))
        assert not bad, f"{kind} (phone):\n{describe(bad)}"
    finally:
        context.close()


def test_the_claims_table_stays_accessible_when_filtered(page, server, axe, serious, describe):
    page.goto(server + "browse/claims/?theme=desistance&level=very-low")
    page.wait_for_function("() => document.getElementById('ev-count').textContent.includes(' of ')")
    bad = serious(axe(page))
    assert not bad, describe(bad)


def test_the_skip_link_is_first_and_moves_focus_to_the_content(page, server):
    page.goto(server + "claims/core-conditions-of-peer-mentoring/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), "
                            "document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to content", "#ev-main"]
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none' || "
                         "getComputedStyle(document.activeElement).boxShadow !== 'none' || "
                         "document.activeElement.getBoundingClientRect().width > 1")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "ev-main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#ev-main')")


def test_focus_is_visible_on_content_links(page, server):
    page.goto(server + "claims/core-conditions-of-peer-mentoring/")
    link = page.locator(".ev-evidence a").first
    link.focus()
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return "
                          "[s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and style[1] != "0px", style


def test_confidence_is_never_colour_alone(page, server):
    page.goto(server + "browse/claims/")
    texts = page.evaluate("() => [...document.querySelectorAll('.ev-level')].map(b => b.textContent.trim())")
    assert texts and all(t in ("High", "Moderate", "Low", "Very low") for t in texts), set(texts)


def test_headings_are_in_order(page, server):
    for path in PAGES.values():
        page.goto(server + path)
        # MkDocs pages keep their text in <article>; frozen versions are plain pages with <main>
        levels = page.evaluate("() => [...(document.querySelector('article') || "
                               "document.querySelector('main')).querySelectorAll('h1, h2, h3, h4')]"
                               ".map(h => +h.tagName[1])")
        assert levels and levels[0] == 1 and levels.count(1) == 1, (path, levels)
        for a, b in zip(levels, levels[1:], strict=False):
            assert b <= a + 1, (path, levels)
