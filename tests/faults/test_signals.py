"""Interrupted builds and exports: SIGTERM, SIGHUP or a double Ctrl-C at several moments
leave the previous site byte for byte, no temporary folder, and no traceback."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ENV, SITE_MARKER, evidence_proc, no_litter, tree_hash

SIGNALS = {
    "SIGTERM": [signal.SIGTERM],
    "SIGHUP": [signal.SIGHUP],
    "double Ctrl-C": [signal.SIGINT, signal.SIGINT],
}


@pytest.fixture(scope="module")
def _built_once(tmp_path_factory):
    """One site of the tiny project, built once for the module (a build costs seconds)."""
    from .conftest import Kb

    where = tmp_path_factory.mktemp("template")
    kb = Kb(where / "kb")
    proc = evidence_proc("build", "--root", kb.root, "--site-dir", where / "site")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return where / "site"


@pytest.fixture
def old_site(_built_once, tmp_path):
    site = tmp_path / "out" / "site"
    shutil.copytree(_built_once, site, symlinks=True)
    assert (site / SITE_MARKER).is_file()
    return site


def _wait_for(proc, folder, moment: str, deadline: float = 60.0) -> bool:
    """Poll until the build reaches `moment`; False if it finished first."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and proc.poll() is None:
        staged = [p for p in folder.iterdir() if ".building-" in p.name and ".data-" not in p.name]
        if moment == "start":
            return True
        if moment == "staged" and staged:
            return True
        try:  # the build may delete what is being listed
            if moment == "pages" and staged and any(staged[0].rglob("*.html")):
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("moment", ["start", "staged", "pages"])
@pytest.mark.parametrize("name", list(SIGNALS))
def test_an_interrupted_build_leaves_the_old_site(kb, old_site, moment, name):
    before, project = tree_hash(old_site), kb.hash()
    proc = evidence_proc("build", "--root", kb.root, "--site-dir", old_site)
    reached = _wait_for(proc, old_site.parent, moment)
    if moment == "start":
        time.sleep(0.3)
    for sig in SIGNALS[name]:
        if proc.poll() is None:
            proc.send_signal(sig)
            time.sleep(0.05)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in out + err, err
    if reached and proc.returncode != 0:
        assert tree_hash(old_site) == before
    else:  # the build won the race: then it must have finished cleanly
        assert proc.returncode == 0, err
        assert (old_site / SITE_MARKER).is_file()
    assert no_litter(old_site.parent) == [], "a temporary folder was left behind"
    assert kb.hash() == project


def test_plain_mkdocs_build_failing_late_leaves_the_old_site(kb, old_site):
    """An unknown <!-- evidence:x --> marker fails after pages are written: site/ stays."""
    (kb.root / "docs" / "index.md").write_text("# Home\n\n<!-- evidence:no-such-block -->\n")
    before = tree_hash(old_site)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(old_site)],
        cwd=kb.root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "no-such-block" in proc.stderr
    assert tree_hash(old_site) == before
    assert no_litter(old_site.parent) == []


def test_plain_mkdocs_build_interrupted_leaves_the_old_site(kb, old_site):
    before = tree_hash(old_site)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(old_site)],
        cwd=kb.root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reached = _wait_for(proc, old_site.parent, "pages")
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    if reached and proc.returncode != 0:
        assert tree_hash(old_site) == before
    assert no_litter(old_site.parent) == []


def test_plain_mkdocs_build_swaps_in_a_marked_site(kb, tmp_path):
    site = tmp_path / "s"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
        cwd=kb.root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (site / SITE_MARKER).is_file() and no_litter(tmp_path) == []


@pytest.mark.parametrize("name", list(SIGNALS))
def test_an_interrupted_graph_export_leaves_nothing_half_written(kb, run, tmp_path, name):
    out = tmp_path / "g"
    assert run("graph", "--root", kb.root, "--out", out, "--quiet").code == 0
    before = tree_hash(out)
    proc = evidence_proc("graph", "--root", kb.root, "--out", out)
    time.sleep(0.6)
    for sig in SIGNALS[name]:
        if proc.poll() is None:
            proc.send_signal(sig)
            time.sleep(0.05)
    out_text, err = proc.communicate(timeout=60)
    assert "Traceback" not in out_text + err
    assert tree_hash(out) == before  # same bytes whether it finished or not
    assert no_litter(tmp_path) == []
