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
        for _ in range(100):  # the worker fetches it, so the page's own resource timing has no entry
            if any(u.endswith("/pagefind/pagefind.js") for u in seen):
                break
            page.wait_for_timeout(50)
        assert any(u.endswith("/pagefind/pagefind.js") for u in seen), seen
    finally:
        context.close()


def test_typed_at_a_readers_pace_the_list_answers_the_whole_word(page, server):
    """Each letter on the way starts a search; the newest wins, and the list ends on the word."""
    page.goto(server)
    page.locator("#ev-search-input").click()
    page.keyboard.type("mentoring", delay=120)
    page.wait_for_function(
        "() => document.getElementById('ev-search-status').textContent.includes('\u201cmentoring\u201d')",
        timeout=15000,
    )
    assert page.locator(".ev-search__results").get_attribute("data-ev-query") == "mentoring"
    page.wait_for_timeout(500)  # an answer to a letter on the way arriving late would show here
    assert page.locator(".ev-search__results").get_attribute("data-ev-query") == "mentoring"
    assert "mentoring" in page.locator("#ev-search-status").inner_text()
    assert page.locator(".ev-search__results a").count() > 0
    # Pagefind's own worker is not started
    assert [w.url.rsplit("/", 1)[-1] for w in page.workers] == ["search-worker.js"]
    assert page.console_errors == []


def test_without_module_workers_the_search_runs_in_the_page(browser, server):
    """Browsers without module workers (or a worker that fails to start) get the same engine
    in the page: the same results, the filters, and Show more."""
    def hrefs_for(page):
        page.goto(server)
        page.locator("#ev-search-input").click()
        page.locator("#ev-search-input").fill("mentoring")
        page.wait_for_function(
            "() => document.getElementById('ev-search-status').textContent.includes('mentoring')",
            timeout=15000,
        )
        return result_hrefs(page), page.locator("#ev-search-status").inner_text()

    plain, no_worker = browser.new_context(), browser.new_context()
    no_worker.add_init_script(
        "const W = window.Worker; window.Worker = function (url, opts) {"
        " if (opts && opts.type === 'module') throw new TypeError('no module workers');"
        " return new W(url, opts); };"
    )
    try:
        with_worker = hrefs_for(plain.new_page())
        page = no_worker.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        in_page = hrefs_for(page)
        assert in_page == with_worker and in_page[0]
        # Pagefind's own worker, started by Pagefind in the page
        assert [w.url.rsplit("/", 1)[-1] for w in page.workers] == ["pagefind-worker.js"]
        page.wait_for_selector("#ev-search-f-confidence")
        if page.locator(".ev-search__more").is_visible():
            n = page.locator(".ev-search__results a").count()
            page.locator(".ev-search__more").click()
            page.wait_for_function(
                "n => document.querySelectorAll('.ev-search__results a').length > n", arg=n
            )
        assert errors == []
    finally:
        plain.close()
        no_worker.close()


def test_show_more_adds_the_next_results_and_moves_focus_to_the_first_new_one(page, server):
    search(page, server, "mentoring")
    first = page.eval_on_selector_all(".ev-search__results a", "els => els.map(a => a.getAttribute('href'))")
    assert len(first) == 10 and page.locator(".ev-search__more").is_visible()
    page.locator(".ev-search__more").click()
    page.wait_for_function("() => document.querySelectorAll('.ev-search__results a').length > 10")
    page.wait_for_function("() => document.activeElement.closest('.ev-search__results') !== null")
    after = page.eval_on_selector_all(".ev-search__results a", "els => els.map(a => a.getAttribute('href'))")
    assert after[:10] == first and len(set(after)) == len(after)
    assert page.evaluate("document.activeElement.getAttribute('href')") == after[10]


def test_a_site_without_its_index_says_so(browser, server):
    context = browser.new_context()
    context.route("**/pagefind/**", lambda route: route.fulfill(status=404, body="not found"))
    try:
        page = context.new_page()
        page.goto(server)
        page.locator("#ev-search-input").click()
        page.locator("#ev-search-input").fill("mentoring")
        page.wait_for_function(
            "() => document.getElementById('ev-search-status').textContent"
            ".startsWith('Search is not available')",
            timeout=15000,
        )
        assert page.locator(".ev-search__results a").count() == 0
    finally:
        context.close()


def test_a_search_stuck_on_an_overtaken_query_does_not_hold_up_the_newest(browser, server):
    """Pagefind's scoring cannot be interrupted; a query the reader has typed past that keeps
    the worker busy gets its worker stopped, and a fresh one answers the newest query. Here
    Pagefind is wrapped so that scoring "mentori" blocks its thread for 20 s."""
    wrapper = (
        'import * as real from "./pagefind.js?real";\n'
        "export const options = real.options, init = real.init;\n"
        "export const preload = real.preload, filters = real.filters;\n"
        "export async function search(term, opts) {\n"
        '  if (term === "mentori") { const end = Date.now() + 20000; while (Date.now() < end) {} }\n'
        "  return real.search(term, opts);\n"
        "}\n"
    )

    def pagefind(route):
        if route.request.url.endswith("?real"):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/javascript", body=wrapper)

    context = browser.new_context()
    context.route("**/pagefind/pagefind.js*", pagefind)
    try:
        page = context.new_page()
        started: list[str] = []
        page.on("worker", lambda w: started.append(w.url.rsplit("/", 1)[-1]))
        page.goto(server)
        page.locator("#ev-search-input").click()
        page.keyboard.type("mentori")
        page.wait_for_timeout(600)  # its scoring has begun, and blocks
        page.keyboard.type("ng")
        page.wait_for_function(
            "() => document.getElementById('ev-search-status')"
            ".textContent.includes('\\u201cmentoring\\u201d')",
            timeout=10000,  # half the blocked scoring: only a fresh worker can answer in time
        )
        assert started == ["search-worker.js", "search-worker.js"]
        assert page.locator(".ev-search__results a").count() > 0
    finally:
        context.close()
