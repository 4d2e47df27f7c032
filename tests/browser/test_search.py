"""Site search (Pagefind in Material's box) in headless Chromium: it finds claims by their
statement and quotes and sources by their authors, filters narrow it, a result opens its page,
every request stays on the site, titles are text, and axe finds nothing serious in it.

Search words are taken from the data, so the tests follow the evidence base as it grows."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.site.common import claim_heading
from evidencekb.site_paths import source_slug

pytestmark = pytest.mark.browser

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
CLAIM = "core-conditions-of-peer-mentoring"


@pytest.fixture(scope="module")
def base():
    result = check_project(Project(REPO_ROOT))
    assert result.ok
    return result.base


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


def search(page, server, query: str, path: str = ""):
    """Open the search from the header button at any width, type, wait for the status."""
    page.goto(server + path)
    if page.locator(".ev-search-open").is_visible():
        page.locator(".ev-search-open").click()
    else:
        page.locator("#ev-search-input").click()
    page.locator("#ev-search-input").fill(query)
    page.wait_for_function(
        "q => document.getElementById('ev-search-status').textContent.includes(q)", arg=query, timeout=15000
    )


def result_hrefs(page, until: str | None = None, pages: int = 5) -> list[str]:
    """The hrefs shown; with `until`, press "Show more" until one contains it."""
    for _ in range(pages):
        page.wait_for_timeout(50)
        hrefs = page.eval_on_selector_all(
            ".ev-search__results a", "els => els.map(a => a.getAttribute('href'))"
        )
        if (
            until is None
            or any(until in h for h in hrefs)
            or not page.locator(".ev-search__more").is_visible()
        ):
            return hrefs
        page.locator(".ev-search__more").click()
        page.wait_for_function(
            "n => document.querySelectorAll('.ev-search__results a').length > n", arg=len(hrefs)
        )
    return hrefs


def test_finds_a_claim_by_a_word_of_its_statement_and_opens_it(page, server, base):
    claim = base.claim(CLAIM)
    counts = Counter(w.lower() for c in base.claims for w in words(c.statement))
    word = min(words(claim.statement), key=lambda w: (counts[w.lower()], w))  # its rarest word
    search(page, server, word)
    hrefs = result_hrefs(page, until=f"claims/{CLAIM}/")
    assert any(f"claims/{CLAIM}/" in h for h in hrefs), (word, hrefs)
    link = page.locator(f".ev-search__results a[href*='claims/{CLAIM}/']").first
    assert claim_heading(claim) == link.locator("h3").inner_text()
    assert link.locator(".ev-level").inner_text().endswith("confidence")
    link.click()
    page.wait_for_url(f"**/claims/{CLAIM}/")
    assert claim_heading(claim) in page.locator("h1").inner_text()
    assert page.console_errors == []


def test_finds_a_claim_by_its_quote(page, server, base):
    claim = base.claim(CLAIM)
    quote = next(link.quote for link in claim.evidence if link.quote)
    query = " ".join(words(quote)[:5])
    search(page, server, query)
    assert any(f"claims/{CLAIM}/" in h for h in result_hrefs(page, until=f"claims/{CLAIM}/")), query


def test_finds_a_source_by_its_author(page, server, base):
    by_family = Counter(p.family for s in base.sources.values() for p in s.authors)
    key, person = next(
        (k, p)
        for k, s in sorted(base.sources.items())
        for p in s.authors
        if by_family[p.family] == 1 and not p.corporate and len(p.family) > 3
    )
    search(page, server, person.family)
    hrefs = result_hrefs(page, until=f"sources/{source_slug(key)}/")
    assert any(f"sources/{source_slug(key)}/" in h for h in hrefs), (person.family, hrefs)


def test_result_titles_are_text_not_entities(page, server, base):
    claim = next(c for c in sorted(base.claims, key=lambda c: c.id) if "'" in claim_heading(c))
    query = " ".join(words(claim_heading(claim))[:4])
    search(page, server, query)
    hrefs = result_hrefs(page, until=f"claims/{claim.id}/")
    titles = page.eval_on_selector_all(".ev-search__results h3", "els => els.map(h => h.textContent)")
    assert claim_heading(claim) in titles, (hrefs, titles)
    assert not any("&#" in t or "&amp;" in t or "&quot;" in t for t in titles)


def test_a_filter_narrows_the_results(page, server):
    search(page, server, "mentoring")
    total = int(re.match(r"(\d+)", page.locator("#ev-search-status").inner_text()).group(1))
    select = page.locator("#ev-search-f-confidence")
    option = select.locator("option").nth(1)
    level = option.get_attribute("value")
    select.select_option(level)
    page.wait_for_function(
        "() => document.getElementById('ev-search-status').textContent.includes('filtered')"
    )
    narrowed = int(re.match(r"(\d+)", page.locator("#ev-search-status").inner_text()).group(1))
    assert 0 < narrowed < total
    badges = page.eval_on_selector_all(".ev-search__results .ev-level", "els => els.map(e => e.textContent)")
    assert badges and all(b.startswith(level) for b in badges), (level, badges)


def test_keyboard_opens_moves_through_results_and_closes(page, server):
    page.goto(server + f"claims/{CLAIM}/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "ev-search-input"
    page.keyboard.type("mentoring")
    page.wait_for_selector(".ev-search__results a")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") not in (None, first)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "ev-search-input"
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False


def test_no_request_leaves_the_site(page, server):
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    search(page, server, "mentoring")
    page.wait_for_selector(".ev-search__results a")
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in u for u in seen), seen
    outside = [u for u in seen if not u.startswith(server) and not u.startswith("data:")]
    assert outside == []


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_axe_finds_nothing_serious_in_the_search(browser, server, axe, serious, describe, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.console_errors = []
        search(page, server, "mentoring")
        page.wait_for_selector(".ev-search__results a")
        page.wait_for_selector(".ev-search__filters select")
        bad = serious(axe(page))
        assert not bad, describe(bad)
    finally:
        context.close()


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_the_dialogs_text_is_drawn_in_a_colour_of_its_own(browser, server, width, height):
    """Every piece of text in the search dialog (filters, status, results) differs in colour
    from what it is drawn on. The dialog sits in the header, whose text is white: axe took
    the header's blue for the filter labels' background and passed white labels on white."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        search(page, server, "mentoring")
        page.wait_for_selector(".ev-search__filter label")
        colours = page.evaluate(
            """() => {
              const fg = el => getComputedStyle(el).color;
              const bg = el => {
                for (; el; el = el.parentElement) {
                  const c = getComputedStyle(el).backgroundColor;
                  if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
                }
                return 'none';
              };
              const own = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
              const shown = el =>
                el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible';
              return [...document.querySelectorAll('#ev-search *')].filter(el => own(el) && shown(el))
                .map(l => [l.textContent.trim().slice(0, 40), fg(l), bg(l)]);
            }"""
        )
        assert colours
        for text, fg, bg in colours:
            assert fg != bg, (text, fg, bg)
            assert fg not in ("rgb(255, 255, 255)", "rgba(255, 255, 255, 1)"), (text, fg, bg)
    finally:
        context.close()


def test_without_javascript_no_dead_search_box(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server)
        assert not page.locator(".ev-search-open").is_visible()
        assert not page.locator("#ev-search-input").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width,height,button,box", [(390, 844, True, False), (1366, 900, False, True)])
def test_the_header_shows_one_search_control(browser, server, width, height, button, box):
    """A phone gets the icon button (the box opens over the page); a laptop gets the box
    itself, with no second magnifier beside it."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server)
        page.wait_for_load_state("networkidle")
        assert page.locator(".ev-search-open").is_visible() is button
        if box:
            assert page.locator("#ev-search-input").is_visible()
    finally:
        context.close()


def test_pagefind_starts_when_a_reader_points_at_the_box(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(server)
        page.wait_for_load_state("networkidle")
        assert not [u for u in seen if "/pagefind/" in u], "nothing of the search loads before it is wanted"
        page.hover("#ev-search-input")
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(e => /pagefind\\.js/.test(e.name))"
        )
    finally:
        context.close()
