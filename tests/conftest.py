"""Shared fixtures: a small, valid project built in a temporary folder.

Tests copy the real claim schema, so vocabularies under test are the ones
contributors use, and mutate one thing at a time.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The check cache (evidencekb.cache) of every test, and of every command a test runs, goes to
# a folder of this session's own, never the user's ~/.cache; it is removed at the end.
_CACHE = tempfile.mkdtemp(prefix="evidence-test-cache-")
os.environ["EVIDENCE_CACHE_DIR"] = _CACHE
os.environ.pop("EVIDENCE_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, True)

BIB = r"""
@article{smith2020trial,
  author = {Smith, Anna and Jones, Bob},
  year = {2020},
  title = {A trial of peer mentoring},
  journal = {Journal of Trials},
  volume = {3}, number = {2}, pages = {10--20},
  doi = {10.1000/xyz123},
  design = {rct}, country = {usa}, setting = {community},
}
@book{lee2019book,
  author = {Lee, Chris},
  year = {2019},
  title = {An ethnography of mentoring},
  publisher = {Routledge}, address = {Oxon},
  design = {ethnography}, country = {uk}, setting = {prison, community},
}
@techreport{hmip2016inspection,
  author = {{Her Majesty's Inspectorate of Probation}},
  year = {2016},
  title = {An inspection of through the gate resettlement services},
  institution = {HMI Probation}, address = {Manchester},
  url = {https://www.justiceinspectorates.gov.uk/x.pdf}, urldate = {2026-12-01},
  design = {inspection}, country = {uk}, setting = {through-the-gate},
}
"""

CLAIM = """\
# yaml-language-server: $schema=claim.schema.json
id: {id}
statement: >-
  Peer mentors help people {id}.
claim_type: mechanism
themes: [how-mentoring-works]
settings: [community]
evidence:
  - source: lee2019book
    relation: supports
    locator: pp. 10-12
    quote: "mentors genuinely care"
  - source: smith2020trial
    relation: supports
    locator: p. 15
confidence:
  level: moderate
  method: CERQual
  components:
    methodological_limitations: minor
    coherence: no-or-very-minor
    adequacy: moderate
    relevance: no-or-very-minor
  rationale: Two studies agree.
  caveat: Small samples.
added: 2026-11-01
"""


class ProjectFactory:
    def __init__(self, root: Path):
        self.root = root
        (root / "claims").mkdir(parents=True)
        shutil.copy(REPO / "claims" / "claim.schema.json", root / "claims" / "claim.schema.json")
        self.bib(BIB)
        self.claim("alpha", CLAIM.format(id="alpha"))
        hmip_claim = CLAIM.format(id="beta").replace("lee2019book", "hmip2016inspection")
        self.claim("beta", hmip_claim)

    def bib(self, text: str) -> Path:
        path = self.root / "references.bib"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def claim(self, name: str, text: str | bytes) -> Path:
        path = self.root / "claims" / f"{name}.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def edit(self, name: str, old: str, new: str) -> Path:
        path = self.root / "claims" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path) -> ProjectFactory:
    return ProjectFactory(tmp_path / "kb")


@pytest.fixture
def check(project):
    """Run the checker on the fixture project; return (result, messages as text lines)."""
    from evidencekb.checker import check_project
    from evidencekb.project import Project
    from evidencekb.reporter import format_text

    def run():
        result = check_project(Project(project.root))
        return result, [format_text(p) for p in result.problems]

    return run
