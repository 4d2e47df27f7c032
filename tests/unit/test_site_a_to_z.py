"""site/a_to_z.py and site/claims_table.py on a base bigger than their page limits.

The real base is too small to split its lists, so these tests lower the limits: the sources
A-Z and the author index become an index plus letter pages, the claims table several pages,
and nothing is lost or listed twice on the way.
"""

from __future__ import annotations

import re

import pytest

from evidencekb.project import Project
from evidencekb.site import a_to_z, claims_table
from evidencekb.site.common import source_url
from evidencekb.site.data import load
from evidencekb.synthetic import generate

from ..conftest import REPO


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = generate(tmp_path_factory.mktemp("az") / "kb", 60, 120, REPO / "claims" / "claim.schema.json")
    return load(Project(root))


def _html(page) -> str:
    return "".join(page.chunks())


def test_past_the_limit_sources_get_an_index_and_letter_pages_of_bounded_size(data, monkeypatch):
    monkeypatch.setattr(a_to_z, "SPLIT_LIMIT", 10)
    monkeypatch.setattr(a_to_z, "PER_LETTER_PAGE", 7)
    index, *letters = a_to_z.render_sources_az(data.base, data.analysis, data.references)
    assert index.src_uri == "browse/sources/index.md" and letters
    listed = []
    for page in letters:
        folder = page.src_uri.removeprefix("browse/sources/").removesuffix("/index.md")
        assert f'href="{folder}/"' in _html(index)  # the index links every letter page
        found = re.findall(r'href="\.\./\.\./\.\./([^"]+)"', _html(page))
        assert 0 < len(found) <= 7
        listed += found
    assert sorted(listed) == sorted(source_url(k) for k in data.base.sources)  # each once


def test_every_author_is_on_the_letter_page_author_pages_names(data, monkeypatch):
    monkeypatch.setattr(a_to_z, "SPLIT_LIMIT", 10)
    monkeypatch.setattr(a_to_z, "PER_LETTER_PAGE", 7)
    _index, *letters = a_to_z.render_authors(data.base, data.analysis, data.references)
    where = a_to_z.author_pages(data.analysis)
    assert where is not None and set(where) == {a.slug for a in data.analysis.authors.values()}
    for slug, folder in where.items():
        page = next(p for p in letters if p.src_uri == f"browse/authors/{folder}index.md")
        assert f'id="{slug}"' in _html(page)


def test_under_the_limit_there_is_one_page_and_no_author_map(data):
    assert len(a_to_z.render_sources_az(data.base, data.analysis, data.references)) == 1
    assert a_to_z.author_pages(data.analysis) is None


def test_the_claims_table_pages_hold_every_claim_once(data, monkeypatch):
    monkeypatch.setattr(claims_table, "CLAIMS_PER_PAGE", 25)
    pages = claims_table.render_claims_table(data.base, data.analysis)
    assert [p.src_uri for p in pages] == ["browse/claims/index.md", "browse/claims/2/index.md",
                                          "browse/claims/3/index.md"]
    rows = [re.findall(r'href="[./]*claims/([^/"]+)/"', _html(p)) for p in pages]
    assert [len(r) for r in rows] == [25, 25, 10]
    assert sorted(sum(rows, [])) == sorted(c.id for c in data.base.claims)
    assert "Claims 26 to 50 of 60" in _html(pages[1])
