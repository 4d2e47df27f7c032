"""Browser harness: build the real site once, serve it locally, drive Debian's Chromium.

Why these choices:
- The site is built from the real evidence base with `mkdocs build --strict`, exactly as CI
  publishes it, so a browser test never passes against a page the build would refuse.
- Chromium comes from Debian (`/usr/bin/chromium`, installed by `.ci/run`); Playwright's own
  browser download is never used, so the tests run offline and on a pinned, patched browser.
- axe-core comes from the repo's test-only `node_modules`, injected as a file: no CDN.

Environment knobs (all optional):
- EVIDENCE_SITE_ROOT: build another MkDocs project root instead of the repo (harness self-tests).
- EVIDENCE_SITE_DIR: reuse an already built site folder instead of building (fast local loops).
- CI: when set, a missing Chromium or axe-core is a failure rather than a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidencekb.bench import CHROMIUM_FLAGS, serve

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = CHROMIUM_FLAGS  # one list for the tests and the benchmark


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is a browser test, whether or not it says so."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but missing", pytrace=False)
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The real site, built once per session with --strict (warnings fail the session)."""
    reuse = os.environ.get("EVIDENCE_SITE_DIR")
    if reuse:
        path = Path(reuse)
        if not (path / "index.html").is_file():
            pytest.fail(f"EVIDENCE_SITE_DIR={reuse} holds no built site", pytrace=False)
        return path
    root = Path(os.environ.get("EVIDENCE_SITE_ROOT", REPO))
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.exit(
            f"mkdocs build --strict failed (exit {proc.returncode}) in {root}:\n{proc.stdout}\n{proc.stderr}",
            returncode=1,
        )
    return out


@pytest.fixture(scope="session")
def server(site_dir):
    """Serve the built site on an ephemeral localhost port; yield its base URL (ends with '/')."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never `playwright install`)."""
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (python)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page with clipboard access for the site origin.

    `page.console_errors` collects console errors and uncaught page errors, so a test can
    end with `assert page.console_errors == []`.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    pg = context.new_page()
    errors: list[str] = []
    pg.console_errors = errors
    pg.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text} @ {msg.location}")
          if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    try:
        yield pg
    finally:
        context.close()


def run_axe(page, tags=AXE_TAGS) -> list[dict]:
    """Run axe-core on the current page; return its violations (each a dict with id, impact, nodes)."""
    if not AXE.is_file():
        _missing(f"axe-core ({AXE}; run `npm ci` in the repo)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']})",
        list(tags),
    )
    return result["violations"]


def serious_only(violations: list[dict]) -> list[dict]:
    """Only the violations the site must never ship: impact serious or critical."""
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def describe_violations(violations: list[dict]) -> str:
    """A readable summary of violations for assertion messages."""
    lines = []
    for v in violations:
        targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:5])
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} -> {targets}")
    return "\n".join(lines)


# The helpers are handed out as fixtures because two conftest.py files exist (tests/ and
# tests/browser/), so `from conftest import ...` would be ambiguous.  Usage:
#     def test_home(page, server, axe, serious, describe):
#         page.goto(server); bad = serious(axe(page)); assert not bad, describe(bad)


@pytest.fixture(scope="session")
def axe():
    """`axe(page, tags=...) -> violations` (WCAG 2.0/2.1 A and AA by default)."""
    return run_axe


@pytest.fixture(scope="session")
def serious():
    """`serious(violations) -> violations` keeping impact serious/critical only."""
    return serious_only


@pytest.fixture(scope="session")
def describe():
    """`describe(violations) -> str` for assertion messages."""
    return describe_violations
