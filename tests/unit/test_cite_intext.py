"""In-text citations from keys: secondary citations, [@key] in claim text, one author's works
grouped; and what the claim page, the citation block, the profile and the downloads make of them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from evidencekb.analysis import claim_profile
from evidencekb.checker import check_project
from evidencekb.cite import intext
from evidencekb.cite.intext import Cite
from evidencekb.project import Project
from evidencekb.site.common import Settings
from evidencekb.site.data import derive
from evidencekb.site.downloads import claims_csv, claims_records
from evidencekb.site.render import render_pages

LABELS = {
    "buck2021a": ("Buck", "2021a"),
    "buck2021b": ("Buck", "2021b"),
    "buck2020": ("Buck", "2020"),
    "lenkens": ("Lenkens et al.", "2019"),
}


@pytest.mark.parametrize(
    "text, shown",
    [
        ("as reported in [@buck2021b], section 'X'", "as reported in (Buck, 2021b), section 'X'"),
        ("@buck2021b found it.", "Buck (2021b) found it."),
        ("see @buck2020 [p. 4].", "see Buck (2020, p. 4)."),
        ("[@buck2021a; @buck2021b; @lenkens, p. 9]", "(Buck, 2021a, 2021b; Lenkens et al., 2019, p. 9)"),
        ("write to info@buck2021b.org", "write to info@buck2021b.org"),
        ("[@unknown] stays", "[@unknown] stays"),
        ("no citation at all", "no citation at all"),
    ],
)
def test_render_replaces_keys_by_harvard_labels(text, shown):
    assert intext.render(text, LABELS) == shown


def test_secondary_citation_in_cite_them_right_form():
    cite = Cite("buck2020", via="buck2021b")
    assert intext.narrative(cite, LABELS) == "Buck (2020, cited in Buck, 2021b)"
    assert intext.parenthetical([cite], LABELS) == "(Buck, 2020, cited in Buck, 2021b)"


def test_one_author_works_cited_together_share_the_name():
    cites = [Cite("buck2020", via="buck2021b"), Cite("buck2021a"), Cite("buck2021b"), Cite("lenkens")]
    assert (
        intext.parenthetical(cites, LABELS)
        == "(Buck, 2020, cited in Buck, 2021b; Buck, 2021a, 2021b; Lenkens et al., 2019)"
    )


def test_cited_keys_give_each_key_its_offset():
    text = "[@buck2021a; @buck2021b] and @lenkens."
    assert [(k, text[at : at + len(k) + 1]) for k, at in intext.cited_keys(text)] == [
        ("buck2021a", "@buck2021a"),
        ("buck2021b", "@buck2021b"),
        ("lenkens", "@lenkens"),
    ]


# --- on the site -------------------------------------------------------------------------

BUCK = r"""
@techreport{buck2021review, author = {Buck, Gillian}, year = {2021}, title = {Peer mentoring: a review},
  institution = {Clinks}, url = {https://example.org/clinks}, urldate = {2026-12-01},
  design = {scoping-review}, country = {uk}}
@article{buck2021insight, author = {Buck, Gillian}, year = {2021}, title = {Mentoring: an academic insight},
  journal = {Insights}, design = {scoping-review}, country = {uk}}
"""

VIA = """  - source: smith2020trial
    relation: supports
    via: buck2021review
    locator: section 'Overcoming problems'
    source_locator: p. 45
  - source: buck2021insight
    relation: supports
    locator: p. 3
"""

REVIEWED = """reviewed:
  date: 2026-12-01
  by: second review (evidence team)
  against: seed 001, section 'Overcoming problems'
  note: Converted to via.
"""


@pytest.fixture
def site(project):
    project.bib((project.root / "references.bib").read_text() + BUCK)
    project.edit("alpha", "evidence:\n", "evidence:\n" + VIA)
    project.edit(
        "alpha",
        "rationale: Two studies agree.",
        "rationale: Two studies agree, and so does [@buck2021review; @buck2021insight].",
    )
    project.edit("alpha", "added: 2026-11-01\n", "added: 2026-11-01\n" + REVIEWED)
    result = check_project(Project(project.root))
    assert result.ok, [p.message for p in result.errors]
    data = derive(Project(project.root), result.base)
    settings = Settings(site_name="Test Explorer", site_url="https://example.org/kb/")
    pages = {p.src_uri: p for p in render_pages(data, settings, contributing=False)}
    return data, settings, pages


def page_html(page) -> str:
    return "\n".join(page.chunks())


def test_claim_page_names_secondary_citation_and_where_it_was_read(site):
    _, _, pages = site
    html = page_html(pages["claims/alpha/index.md"])
    assert (
        '<a href="../../sources/smith2020trial/">Smith and Jones</a> (2020, cited in '
        '<a href="../../sources/buck2021review/">Buck, 2021b</a>)'
    ) in html
    assert "In Buck (2021b): section &#x27;Overcoming problems&#x27;" in html
    assert "In Smith and Jones (2020): p. 45" in html


def test_key_citations_in_claim_text_are_rendered_with_their_letters(site):
    _, _, pages = site
    html = page_html(pages["claims/alpha/index.md"])
    assert "Two studies agree, and so does (Buck, 2021a, 2021b)." in html
    assert "@buck2021" not in html


def test_citation_block_cites_secondary_form_and_lists_only_the_works_read(site):
    _, _, pages = site
    html = page_html(pages["claims/alpha/index.md"])
    template = html.split("<template data-ev-cite-text>")[1].split("</template>")[0]
    finding = template.split("\n")[0]
    assert (
        "(Buck, 2021a; Lee, 2019; Smith and Jones, 2020; Smith and Jones, 2020, cited in Buck, 2021b)"
        in finding
    )
    refs = template.split("References:")[1]
    assert "Buck, G. (2021b) Peer mentoring: a review" in refs  # the work read
    assert "Smith, A. and Jones, B. (2020)" in refs  # read at first hand by the other link
    assert "(Accessed: 1 December 2026)" in refs


def test_reference_list_leaves_out_a_primary_known_only_at_second_hand(project):
    project.bib((project.root / "references.bib").read_text() + BUCK)
    project.edit(
        "alpha",
        "  - source: smith2020trial\n    relation: supports\n    locator: p. 15\n",
        "  - source: smith2020trial\n    relation: supports\n    via: buck2021review\n    locator: p. 15\n",
    )
    project.edit(
        "alpha",
        "evidence:\n",
        "evidence:\n  - source: buck2021insight\n    relation: supports\n    locator: p. 3\n",
    )
    result = check_project(Project(project.root))
    assert result.ok, [p.message for p in result.errors]
    data = derive(Project(project.root), result.base)
    pages = {p.src_uri: p for p in render_pages(data, Settings(), contributing=False)}
    template = page_html(pages["claims/alpha/index.md"]).split("<template data-ev-cite-text>")[1]
    refs = template.split("References:")[1].split("</template>")[0]
    assert "Buck, G. (2021b)" in refs and "Smith, A." not in refs


def test_profile_counts_first_and_second_hand_links(site):
    data, _, pages = site
    profile = data.analysis.claims["alpha"]
    assert (profile.n_first_hand, profile.n_second_hand) == (3, 1)
    html = page_html(pages["claims/alpha/index.md"])
    assert (
        "<dt>Read at first hand</dt><dd>3 of 4 links; 1 read only in another work (secondary citation)</dd>"
        in html
    )


def test_profile_of_claim_with_no_via_is_all_first_hand(project):
    from evidencekb.confidence import of as meaning_of

    base = check_project(Project(project.root)).base
    p = claim_profile(base.claim("alpha"), base.sources, meaning_of(base))
    assert (p.n_first_hand, p.n_second_hand) == (2, 0)


def test_claim_page_shows_the_second_review(site):
    _, _, pages = site
    html = page_html(pages["claims/alpha/index.md"])
    assert (
        '<strong>Second review:</strong> checked on <time datetime="2026-12-01">1 December 2026</time> by '
        "second review (evidence team), against seed 001, section &#x27;Overcoming problems&#x27;. "
        "Converted to via."
    ) in html
    assert "Not yet checked by a second reviewer." in page_html(pages["claims/beta/index.md"])


def test_claims_downloads_carry_via_source_locator_and_review(site):
    data, settings, _ = site
    records = claims_records(data.base, settings)
    alpha = next(r for r in records if r["id"] == "alpha")
    assert alpha["evidence"][0] == {
        "source": "smith2020trial",
        "via": "buck2021review",
        "relation": "supports",
        "locator": "section 'Overcoming problems'",
        "source_locator": "p. 45",
    }
    assert alpha["reviewed"]["by"] == "second review (evidence team)"
    assert alpha["confidence"]["rationale"].endswith("(Buck, 2021a, 2021b).")
    json.dumps(records)
    text = claims_csv(records, data.base.vocabularies["relation"].ids())
    rows = {
        r["id"]: r for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    }  # the BOM Excel needs
    assert rows["alpha"]["read_via"] == "buck2021review"
    assert rows["alpha"]["reviewed"] == "2026-12-01"
    assert rows["alpha"]["reviewed_against"] == "seed 001, section 'Overcoming problems'"
    assert rows["beta"]["reviewed"] == ""


def test_graph_exports_name_the_work_read_and_show_labels_not_keys(project, tmp_path):
    import subprocess
    import sys

    project.bib((project.root / "references.bib").read_text() + BUCK)
    project.edit(
        "alpha",
        "evidence:\n",
        "evidence:\n"
        + VIA.replace(
            "locator: section 'Overcoming problems'", "locator: section 'X', as [@buck2021insight] notes"
        ),
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "evidencekb", "graph", "--root", str(project.root), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    edges = list(csv.DictReader(io.StringIO((out / "edges.csv").read_text(encoding="utf-8"))))
    [secondary] = [e for e in edges if e["via"]]
    assert (secondary["target"], secondary["via"], secondary["source_locator"]) == (
        "source:smith2020trial",
        "buck2021review",
        "p. 45",
    )
    assert secondary["locator"] == "section 'X', as (Buck, 2021a) notes"
    profiles = json.loads((out / "profiles.json").read_text(encoding="utf-8"))
    assert profiles["claims"]["alpha"]["n_second_hand"] == 1


def test_the_work_read_lists_the_findings_read_in_it(site):
    _, _, pages = site
    html = page_html(pages["sources/buck2021review/index.md"])
    assert "Findings of other works read here (1)" in html
    assert (
        '<a href="../../claims/alpha/">Peer mentors help people alpha.</a>' in html
        and "(supports: Smith and Jones (2020), read here at section &#x27;Overcoming problems&#x27;)" in html
    )


def _one_field_citing(claim):
    """The claim once for each of its text fields (and its records' text fields) set to a
    citation, every other field as it was."""
    import dataclasses

    from evidencekb.model import EvidenceLink, RelatedLink, Review

    cite = "as @buck2021b found"

    def texts(record):
        return [f.name for f in dataclasses.fields(record)
                if f.type in ("str", "str | None") and f.name not in ("id", "path")]

    link = EvidenceLink("buck2021b", "supports", "p. 1", "a quote", "a note", None, "buck2020", "p. 2")
    rel = RelatedLink("other", "extends", "a note")
    review = Review("2026-01-01", "someone", "the seed", "a note")
    whole = dataclasses.replace(claim, evidence=(link,), related=(rel,), reviewed=review, summary="a summary")
    yield whole
    for name in texts(whole):
        yield dataclasses.replace(whole, **{name: cite})
    for name in texts(whole.confidence):
        yield dataclasses.replace(whole, confidence=dataclasses.replace(whole.confidence, **{name: cite}))
    for field, record in (("evidence", link), ("related", rel)):
        for name in texts(record):
            yield dataclasses.replace(whole, **{field: (dataclasses.replace(record, **{name: cite}),)})
    for name in texts(review):
        yield dataclasses.replace(whole, reviewed=dataclasses.replace(review, **{name: cite}))


def test_a_claim_is_kept_as_it_is_only_when_no_field_rendered_cites(project, monkeypatch):
    """render_claim's quick look (_prose) covers every field it renders: with any one text
    field citing, the claim renders as it does when every field is rendered."""
    claim = check_project(Project(project.root)).base.claims[0]
    variants = list(_one_field_citing(claim))
    quick = [intext.render_claim(c, LABELS) for c in variants]
    monkeypatch.setattr(intext, "_prose", lambda c: ("@",))  # every field rendered, always
    full = [intext.render_claim(c, LABELS) for c in variants]
    assert quick == full
    assert sum(q != c for q, c in zip(quick, variants, strict=True)) >= 8  # the citing fields did change
    assert quick[0] is variants[0]  # nothing cites: the very record
