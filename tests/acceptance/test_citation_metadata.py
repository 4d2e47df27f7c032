"""The dataset is citable: CITATION.cff passes the Citation File Format schema, and the archive
metadata (.zenodo.json) agrees with it and with the package version, so a release cites one
version everywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

import evidencekb

from .test_workflows import tool

REPO = Path(__file__).resolve().parents[2]


def test_citation_cff_matches_the_citation_file_format_schema():
    r = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.citation-file-format",
                        str(REPO / "CITATION.cff")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_archive_metadata_agrees_with_the_citation_file_and_the_package():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
    assert cff["version"] == zenodo["version"] == evidencekb.__version__
    assert cff["title"] == zenodo["title"]
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in zenodo["creators"]]
    assert zenodo["upload_type"] == "dataset" and cff["type"] == "dataset"
    assert zenodo["license"].upper() == cff["license"][0].upper()
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"site_url: {cff['url']}" in mkdocs and f"repo_url: {cff['repository-code']}" in mkdocs
