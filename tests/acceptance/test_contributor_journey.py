"""A researcher's first contribution, end to end, in a copy of the repository:
add the paper (as Zotero exports it), scaffold the claim, check, build the site,
and the pre-commit hook that guards each commit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Not copied: history, build output, installed tools and caches.
SKIP = {".git", "site", "node_modules", ".venv", ".hypothesis", ".pytest_cache", ".benchmarks", "graph-out",
        "out",
        "build", ".cache", "test-results"}

ZOTERO_EXPORT = r"""
@article{marsh_lived_2023,
	title = {Lived {Experience} and {Trust}: {How} {Peer} {Mentors} {Engage} {Men} {Leaving} {Prison}},
	volume = {23},
	issn = {1748-8958},
	shorttitle = {Lived experience and trust},
	url = {https://doi.org/10.1177/17488958231234567},
	doi = {10.1177/17488958231234567},
	abstract = {Drawing on interviews with 24 mentees, this article explores trust. Copyrighted abstract text.},
	language = {en},
	number = {4},
	urldate = {2024-02-01},
	journal = {Criminology \& Criminal Justice},
	author = {Marsh, Siân and N{\'{\i}}{\~n}ez, Pablo},
	month = aug,
	year = {2023},
	keywords = {desistance, peer mentoring, trust},
	pages = {601-619},
	file = {Marsh et al. - 2023.pdf:/home/r/Zotero/storage/QW12ER34/Marsh et al. - 2023.pdf:application/pdf},
}
"""  # noqa: E501 (verbatim test data)


def env() -> dict:
    e = dict(os.environ, PYTHONPATH=str(REPO / "scripts"), NO_MKDOCS_2_WARNING="1")
    # the `evidence` script of this interpreter's environment first (pre-commit runs it by name)
    e["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), e.get("PATH", "")])
    return e


def evidence(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evidencekb", *args], cwd=root, env=env(), input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("journey") / "explorer"

    def ignore(folder, names):
        return [n for n in names if (Path(folder) == REPO and n in SKIP) or n == "__pycache__" or
                n.startswith("site.")]

    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def journey(repo_copy):
    """The contributor's steps, once; each test below looks at one outcome."""
    root = repo_copy
    bib_before = (root / "references.bib").read_bytes()
    export = root.parent / "zotero-export.bib"
    export.write_text(ZOTERO_EXPORT, encoding="utf-8")
    added = evidence(root, "add-source", str(export))
    key = added.stdout.strip()
    new = evidence(root, "new", "--no-input",
                   "--statement", "Men leaving prison say they trust peer mentors sooner than staff, "
                                  "because the mentors have lived through the same things.",
                   "--summary", "Lived experience builds trust quickly",
                   "--type", "experience", "--theme", "how-mentoring-works",
                   "--setting", "through-the-gate", "--population", "people-leaving-prison",
                   "--outcome", "relationship-quality",
                   "--source", key or "missing", "--locator", "pp. 605-607",
                   "--method", "CERQual",
                   "--component", "methodological_limitations=minor", "--component",
                   "coherence=no-or-very-minor",
                   "--component", "adequacy=moderate", "--component", "relevance=no-or-very-minor",
                   "--level", "moderate", "--rationale",
                   "One interview study; its accounts agree with each other.",
                   "--caveat", "Based on one study of 24 men in one region.",
                   "--contributor", "A. Researcher")
    m = re.search(r"Wrote claims/([a-z0-9-]+)\.yaml", new.stdout)
    return {"root": root, "bib_before": bib_before, "added": added, "key": key, "new": new,
            "claim_id": m.group(1) if m else None, "export": export}


def test_add_source_normalises_the_zotero_entry(journey):
    r = journey["added"]
    assert r.returncode == 0, r.stderr
    assert journey["key"] == "marsh2023lived"
    bib = (journey["root"] / "references.bib").read_bytes()
    assert bib.startswith(journey["bib_before"])
    entry = bib[len(journey["bib_before"]):].decode("utf-8")
    assert "@article{marsh2023lived," in entry and "author = {Marsh, Siân and Níñez, Pablo}" in entry
    assert "pages = {601--619}" in entry and "abstract" not in entry and "file =" not in entry
    assert "design = {unknown}" in entry and "design = {unknown}" in r.stderr  # and the contributor is told


def test_new_writes_the_claim(journey):
    r = journey["new"]
    assert r.returncode == 0, r.stdout + r.stderr
    cid = journey["claim_id"]
    assert cid and len(cid) <= 60
    text = (journey["root"] / "claims" / f"{cid}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=claim.schema.json\n")
    assert "source: marsh2023lived" in text and "It passes `evidence check`" in r.stdout


def test_check_passes(journey):
    r = evidence(journey["root"], "check")
    assert r.returncode == 0, r.stdout[-3000:]
    assert "0 errors" in r.stdout


def test_duplicate_source_is_refused(journey):
    bib = (journey["root"] / "references.bib").read_bytes()
    r = evidence(journey["root"], "add-source", "-",
                 stdin=ZOTERO_EXPORT.replace("marsh_lived_2023", "marsh2023again"))
    assert r.returncode == 1
    assert "already in references.bib as 'marsh2023lived'" in r.stderr and "DOI" in r.stderr
    assert "Traceback" not in r.stderr
    assert (journey["root"] / "references.bib").read_bytes() == bib


def test_bad_field_is_refused(journey):
    claims = sorted(p.name for p in (journey["root"] / "claims").iterdir())
    r = evidence(journey["root"], "new", "--no-input", "--statement", "Mentors help.", "--type", "experience",
                 "--theme", "how-mentoring-work", "--source", "marsh2023lived", "--locator", "p. 1")
    assert r.returncode == 1
    assert ("--theme: 'how-mentoring-work' is not a known theme; did you mean 'how-mentoring-works'?"
            in r.stderr)
    r = evidence(journey["root"], "new", "--no-input", "--statement", "Mentors help.", "--type", "experience",
                 "--theme", "how-mentoring-works", "--source", "marsh2023live", "--locator", "p. 1")
    assert r.returncode == 1 and "the nearest key is 'marsh2023lived'" in r.stderr
    r = evidence(journey["root"], "add-source", "-",
                 stdin="@article{a, title = {T}, year = {2020}, design = {trial}}")
    assert r.returncode == 1 and "'trial' is not a known design" in r.stderr
    assert sorted(p.name for p in (journey["root"] / "claims").iterdir()) == claims
    assert "Traceback" not in r.stderr


def test_existing_claim_is_never_overwritten(journey):
    cid = journey["claim_id"]
    path = journey["root"] / "claims" / f"{cid}.yaml"
    before = path.read_bytes()
    r = evidence(journey["root"], "new", "--no-input", "--id", cid, "--statement", "Something else.",
                 "--type", "experience", "--theme", "how-mentoring-works", "--source", "marsh2023lived",
                 "--locator", "p. 1")
    assert r.returncode == 1 and "already exists" in r.stderr and path.read_bytes() == before


@pytest.mark.slow
def test_site_builds_with_the_new_claim_page(journey):
    root = journey["root"]
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    page = root / "site" / "claims" / journey["claim_id"] / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "trust peer mentors sooner than staff" in html
    contributing = root / "site" / "contributing" / "index.html"
    assert contributing.is_file() and "evidence new" in contributing.read_text(encoding="utf-8")


# --- the pre-commit hook --------------------------------------------------------------------------


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=60, check=True,
                          env=dict(env(), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org"))


@pytest.fixture
def git_copy(tmp_path) -> Path:
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "claims").mkdir(parents=True)
    shutil.copy(REPO / ".pre-commit-config.yaml", root)
    shutil.copy(REPO / "references.bib", root)
    for path in (REPO / "claims").iterdir():
        if path.is_file():
            shutil.copy(path, root / "claims")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def pre_commit(root: Path, *files: str) -> subprocess.CompletedProcess:
    exe = shutil.which("pre-commit", path=env()["PATH"])
    cmd = [exe] if exe else [sys.executable, "-m", "pre_commit"]
    e = dict(env(), PRE_COMMIT_HOME=str(root.parent / "pre-commit-home"), PRE_COMMIT_COLOR="never")
    return subprocess.run([*cmd, "run", "--files", *files], cwd=root, env=e, capture_output=True, text=True,
                          timeout=300)


def test_pre_commit_hook_fails_on_a_bad_claim_and_passes_on_a_good_one(git_copy):
    pytest.importorskip("pre_commit")
    root = git_copy
    good = "claims/core-conditions-of-peer-mentoring.yaml"
    r = pre_commit(root, good)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "evidence check" in r.stdout and "Passed" in r.stdout

    path = root / good
    path.write_text(path.read_text(encoding="utf-8").replace("themes: [how-mentoring-works]",
                                                             "themes: [how-it-works]"),
                    encoding="utf-8")
    git(root, "add", good)
    r = pre_commit(root, good)
    assert r.returncode == 1
    assert "Failed" in r.stdout and f"{good}:" in r.stdout
    assert "'how-it-works' is not a known theme" in r.stdout

    # files the hook does not watch are not checked
    (root / "notes.txt").write_text("anything")
    git(root, "add", "notes.txt")
    r = pre_commit(root, "notes.txt")
    assert r.returncode == 0 and "no files to check" in r.stdout.lower()


def test_pre_commit_hook_checks_the_bibliography(git_copy):
    pytest.importorskip("pre_commit")
    root = git_copy
    bib = root / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@article{broken2020x, title = {Unbalanced, year = "
                   "{2020}\n",
                   encoding="utf-8")
    git(root, "add", "references.bib")
    r = pre_commit(root, "references.bib")
    assert r.returncode == 1 and "references.bib:" in r.stdout


# --- the guide ------------------------------------------------------------------------------------

GUIDE = REPO / "CONTRIBUTING.md"


def test_the_guides_example_claim_passes_check(journey):
    text = GUIDE.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    assert example.startswith("# yaml-language-server: $schema=claim.schema.json\n")
    path = journey["root"] / "claims" / "contributing-example.yaml"
    path.write_text(re.sub(r"^id: .*$", "id: contributing-example", example, count=1, flags=re.M),
                    encoding="utf-8")
    try:
        r = evidence(journey["root"], "check", "claims/contributing-example.yaml")
        assert r.returncode == 0 and "0 errors" in r.stdout, r.stdout
    finally:
        path.unlink()


def _slug(heading: str) -> str:
    """The anchor both GitHub and MkDocs give a plain heading."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", text))


def test_the_guides_links_work_from_github_and_from_the_site():
    text = GUIDE.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", prose, re.M)}
    targets = re.findall(r"\]\(([^)\s]+)\)", prose)
    assert targets
    for target in targets:
        if target.startswith("#"):
            assert target[1:] in anchors, target
        else:  # a relative link would point somewhere else once the site publishes the page
            assert target.startswith("https://"), target
    for cmd in ("evidence new", "evidence add-source", "evidence check", "pre-commit install",
                "pip install -e"):
        assert cmd in text
    for words in ("GRADE", "CERQual", "escriptive", "ceiling", "What reviewers check", "Disputing a claim",
                  "relation: disputes", "Files changed"):
        assert words in text
