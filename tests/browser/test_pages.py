"""The built site in headless Chromium: search, citation copying, the claims table, print
and phone layouts, and no console errors on any kind of page."""

from __future__ import annotations

import json

import pytest

from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.site.citation import ACCESSED_SLOT, claim_citation
from evidencekb.site.common import Settings

pytestmark = pytest.mark.browser

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
CLAIM = "core-conditions-of-peer-mentoring"
SOURCE = "buck2018core"

PAGES = {  # one of every kind of page
    "home": "",
    "claim": f"claims/{CLAIM}/",
    "source": f"sources/{SOURCE}/",
    "themes": "themes/",
    "theme": "themes/how-mentoring-works/",
    "claims table": "browse/claims/",
    "sources a-z": "browse/sources/",
    "authors": "browse/authors/",
    "map": "map/",
    "gaps": "gaps/",
    "graph": "graph/",
    "method": "method/",
    "downloads": "downloads/",
    "contributing": "contributing/",
}


@pytest.fixture(scope="module")
def base():
    result = check_project(Project(REPO_ROOT))
    assert result.ok
    return result.base


def claims_json(site_dir):
    return json.loads((site_dir / "data" / "claims.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_console_errors(page, server, kind):
    page.goto(server + PAGES[kind])
    page.wait_for_load_state("networkidle")
    assert page.console_errors == [], f"{kind}: {page.console_errors}"


def test_copy_as_plain_text_puts_the_citation_on_the_clipboard(page, server, base):
    page.goto(server + f"claims/{CLAIM}/")
    today = page.evaluate("() => document.querySelector('.ev-accessed').textContent")
    assert today[0].isdigit() and today.split()[-1].isdigit(), today  # "23 November 2026", filled by site.js
    claim = base.claim(CLAIM)
    from evidencekb.site.data import load

    data = load(Project(REPO_ROOT))
    settings = Settings(site_name="Peer Mentoring Evidence Explorer",
                        site_url="https://peer-mentoring-evidence.github.io/explorer/")
    from evidencekb.site.versions import version_record

    version = version_record(data.history, CLAIM, settings)  # None when built without git history
    plain, _ = claim_citation(base, claim, data.references, settings, data.dates[CLAIM][1], version)
    expected = plain.replace(ACCESSED_SLOT, today)

    page.get_by_role("button", name="Copy citation as plain text").click()
    status = page.locator("#cite-finding .ev-cite__status")
    status.filter(has_text="Copied").wait_for()
    assert status.get_attribute("role") == "status"
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == expected
    assert copied.startswith("Finding: Peer mentoring relationships rest on three core conditions")
    assert "(Buck, 2018;" in copied
    site = "https://peer-mentoring-evidence.github.io/explorer/"
    cited = f"claims/{CLAIM}/v{version['number']}/" if version else f"claims/{CLAIM}/"
    assert f"Available at: {site}{cited} (Accessed: {today})." in copied
    if version:
        assert f"({version['text']}). Available at:" in copied
    assert "Buck, G. (2018) 'The core conditions of peer mentoring', Criminology & Criminal Justice" in copied
    assert "Caveat: " in copied
    assert page.console_errors == []


def test_copy_as_rich_text_puts_html_and_text_on_the_clipboard(page, server):
    page.goto(server + f"claims/{CLAIM}/")
    page.get_by_role("button", name="Copy citation as rich text").click()
    page.locator("#cite-finding .ev-cite__status").filter(has_text="Copied").wait_for()
    items = page.evaluate("""async () => {
        const out = {};
        for (const item of await navigator.clipboard.read()) {
            for (const type of item.types) out[type] = await (await item.getType(type)).text();
        }
        return out;
    }""")
    assert "<i>Criminology &amp; Criminal Justice</i>" in items["text/html"]
    assert "<strong>Finding:</strong>" in items["text/html"]
    assert "Accessed:" in items["text/html"] and "add the date" not in items["text/html"]
    assert items["text/plain"].startswith("Finding: ")
    assert page.console_errors == []


def test_source_page_copies_its_harvard_reference(page, server):
    page.goto(server + f"sources/{SOURCE}/")
    page.get_by_role("button", name="Copy reference as plain text").click()
    page.locator("#cite-source .ev-cite__status").filter(has_text="Copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("Buck, G. (2018) 'The core conditions of peer mentoring'")
    assert "In-text: (Buck, 2018) or Buck (2018)" in copied


def visible_rows(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('#ev-claims tbody tr')].filter(r => "
                         "!r.hidden).length")


def test_the_claims_table_filters(page, server, site_dir):
    claims = claims_json(site_dir)
    page.goto(server + "browse/claims/")
    assert page.locator("#ev-filters").is_visible()
    assert visible_rows(page) == len(claims)

    page.select_option("#ev-f-theme", "effectiveness")
    want = [c for c in claims if "effectiveness" in c["themes"]]
    page.wait_for_function(f"() => document.getElementById('ev-count').textContent.startsWith('{len(want)} "
                           "of')")
    assert visible_rows(page) == len(want)
    assert "theme=effectiveness" in page.url

    page.select_option("#ev-f-level", "moderate")
    want = [c for c in want if c["confidence"]["level"] == "moderate"]
    page.wait_for_function(f"() => document.getElementById('ev-count').textContent.startsWith('{len(want)} "
                           "of')")
    assert visible_rows(page) == len(want)

    page.locator("#ev-f-q").fill("zzzz-no-such-word")
    page.locator("#ev-empty").wait_for(state="visible")
    assert visible_rows(page) == 0

    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function(
        f"() => document.getElementById('ev-count').textContent === '{len(claims)} claims'")
    assert visible_rows(page) == len(claims)
    assert "?" not in page.url
    assert page.console_errors == []


def test_a_filtered_link_opens_the_table_filtered(page, server, site_dir):
    claims = claims_json(site_dir)
    want = [c for c in claims if "desistance" in c["themes"] and c["claim_type"] == "mechanism"]
    page.goto(server + "browse/claims/?theme=desistance&type=mechanism")
    page.wait_for_function("() => document.getElementById('ev-count').textContent.includes(' of ')")
    assert visible_rows(page) == len(want)
    assert page.locator("#ev-f-theme").input_value() == "desistance"


def test_an_evidence_map_cell_opens_its_claims(page, server):
    page.goto(server + "map/")
    cell = page.locator("table.ev-map td a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_url("**/browse/claims/?**")
    page.wait_for_function("() => document.getElementById('ev-count').textContent.includes(' of ')")
    assert visible_rows(page) == count
    assert page.console_errors == []


def test_a_claim_page_prints_as_a_clean_brief(page, server):
    page.goto(server + f"claims/{CLAIM}/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.ev-cite__actions']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    # a link inside the site prints as its text only; an outside link whose text is its address prints once
    inside = page.evaluate("() => getComputedStyle(document.querySelector('.ev-evidence a'), '::after').content")  # noqa: E501 (verbatim browser script or data)
    assert inside in ("none", "normal", "")
    doubled = page.evaluate("""() => Array.from(document.querySelectorAll('.md-content a[href^="http"]'))
        .filter(a => a.textContent.trim().replace(/^https?:\\/\\//, '').replace(/\\/$/, '') ===
                     a.href.replace(/^https?:\\/\\//, '').replace(/\\/$/, ''))
        .map(a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none' && c !== 'normal')""")
    assert doubled == []


def test_a_claim_page_fits_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        for path in (f"claims/{CLAIM}/", f"sources/{SOURCE}/", "browse/claims/",
                     "themes/how-mentoring-works/", ""):
            pg.goto(server + path)
            overflow = pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    finally:
        context.close()
