import html
import json
import random

import pytest

from evidencekb.cite.formats import (
    csl_json_text,
    highwire_html,
    highwire_meta,
    latex_escape,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from evidencekb.parsers.bibtex import decode_latex, parse_bibtex_text


def parse(text):
    sources, problems = parse_bibtex_text(text, "references.bib")
    assert problems == []
    return sources


def one(text):
    sources = parse(text)
    assert len(sources) == 1
    return sources


@pytest.fixture
def fixture_bib(project):
    """The shared fixture project's references.bib, as text."""
    return (project.root / "references.bib").read_text(encoding="utf-8")


TRICKY = r"""
@article{buck2018core,
  author = {Buck, Gillian and van Lenthe, F. J. and Reingle Gonzalez, J. M. and {Her Majesty's Inspectorate of Probation} and others},
  title = {The ``core'' conditions -- of {UK} peer mentoring: 50\% \& \#1 a\_b \textasciitilde{} x\textbackslash{}y L{\'o}pez},
  journal = {Criminology \& Criminal Justice},
  year = {2018}, volume = {18}, number = {2}, pages = {190--206},
  doi = {10.1177/1748895817699659},
  url = {https://example.org/a\%20b_c?x=1&y=2},
  design = {qualitative}, country = {uk}, setting = {prison, community}, citedin = {x, y},
  incomplete = {Pages unknown; it's "quoted" and 'single'}, note = {Two ''apostrophes'' and ?` and ,, kept},
}
@incollection{chapter, author = {Smith, Ann}, editor = {Jones, Bob and {An Organisation}}, title = {Ch},
  booktitle = {Book}, year = {2020}, publisher = {Routledge}, address = {Oxon}, pages = {1--2}}
@misc{nodate, title = {[Description; title not given]}, year = {n.d.}, howpublished = {Blog}}
"""  # noqa: E501 (verbatim test data)


# --- BibTeX ------------------------------------------------------------------------

def _same(a, b):
    assert set(a) == set(b)
    for key in a:
        x, y = a[key], b[key]
        assert (x.entry_type, dict(x.fields), x.authors, x.editors) == (y.entry_type, dict(y.fields),
                                                                        y.authors, y.editors), key


@pytest.mark.parametrize("which", ["fixture", "tricky"])
def test_bibtex_round_trip(which, fixture_bib):
    sources = parse(fixture_bib if which == "fixture" else TRICKY)
    exported = to_bibtex(sources)
    back = parse(exported)
    _same(sources, back)
    assert to_bibtex(back) == exported  # a fixed point


def test_bibtex_keeps_custom_fields_and_special_characters():
    sources = parse(TRICKY)
    s = sources["buck2018core"]
    assert s.title == "The “core” conditions – of UK peer mentoring: 50% & #1 a_b ~ x\\y López"
    out = to_bibtex(sources)
    assert "design = {qualitative}" in out and "citedin = {x, y}" in out
    assert "setting = {prison, community}" in out
    assert r"journal = {Criminology \& Criminal Justice}" in out
    assert r"url = {https://example.org/a%20b_c?x=1&y=2}" in out
    assert "{Her Majesty's Inspectorate of Probation} and others}" in out
    assert "van Lenthe, F. J." in out and "Reingle Gonzalez, J. M." in out


@pytest.mark.parametrize("names", [
    "Reingle Gonzalez,", "de la Cruz, Ann", "{de Souza}, Ann", "van der Berg, J. and Smith, Jr, John",
    r"M{\"u}ller", r"{Clinks \& Partners} and others", "Jean-Paul Sartre",
])
def test_bibtex_round_trip_names(names):
    sources = parse(f"@book{{a, author={{{names}}}, editor={{{names}}}, title={{T}}}}")
    _same(sources, parse(to_bibtex(sources)))


@pytest.mark.parametrize("text", [
    "50% & #1 a_b ~ x\\y", "Two '' and `` and -- and ,, and ?` and !`", "it's 'quoted' and \"double\"",
    "Café – ‘x’ “y” ü", "a\u00a0b", "$x^2$ <script>",
])
def test_latex_escape_inverts_our_decoder(text):
    assert decode_latex(latex_escape(text)) == text


def test_bibtex_deterministic_order():
    sources = parse(TRICKY)
    items = list(sources.items())
    random.Random(3).shuffle(items)
    out = to_bibtex(dict(items))
    assert out == to_bibtex(sources)
    keys = [line.split("{")[1].rstrip(",") for line in out.splitlines() if line.startswith("@")]
    assert keys == ["buck2018core", "chapter", "nodate"]
    fields = [line.split("=")[0].strip() for line in out.split("\n\n")[0].splitlines()[1:-1]]
    assert fields == ["author", "title", "journal", "year", "volume", "number", "pages", "doi", "url", "note",
                      "incomplete", "design", "country", "setting", "citedin"]


# --- RIS ------------------------------------------------------------------------------

def _ris_tags(record):
    return [(line[:2], line[6:]) for line in record.strip().splitlines()]


def test_ris_article():
    out = to_ris(parse(TRICKY))
    first = out.split("\n\n")[0]
    tags = _ris_tags(first)
    assert tags[0] == ("TY", "JOUR") and tags[-1] == ("ER", "")
    assert [v for t, v in tags if t == "AU"] == [
        "Buck, Gillian", "van Lenthe, F. J.", "Reingle Gonzalez, J. M.",
        "Her Majesty's Inspectorate of Probation"]
    d = dict(tags)
    assert d["ID"] == "buck2018core" and d["PY"] == "2018" and d["T2"] == "Criminology & Criminal Justice"
    assert (d["VL"], d["IS"], d["SP"], d["EP"]) == ("18", "2", "190", "206")
    assert d["DO"] == "10.1177/1748895817699659" and d["UR"] == "https://example.org/a%20b_c?x=1&y=2"
    assert all(line[2:6] == "  - " for line in first.splitlines())


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\n\t  "])
def test_no_ris_field_starts_a_line_of_its_own(brk):
    """A title from a pull request cannot add a tag (or end the record) with a line break."""
    out = to_ris(one(f"@misc{{k, author = {{Smith, Anna}}, year = {{2020}},\n"
                     f"  title = {{Peer{brk}ER  - {brk}TY  - JOUR{brk}mentoring}}}}\n"))
    lines = out.splitlines()  # splitlines breaks at every one of them
    assert [line[:2] for line in lines if line[:2] in ("TY", "ER")] == ["TY", "ER"]
    assert all(line[2:6] == "  - " for line in lines if line)
    assert ("TI", "Peer ER - TY - JOUR mentoring") in _ris_tags(out)


def test_every_kind_of_line_break_is_one_space_in_a_ris_field():
    """The bibliography check already refuses the rarer ones (bib-character); RIS does not rely on it."""
    from evidencekb.cite.formats import _one_line

    for brk in ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]:
        assert _one_line(f" a{brk}b ") == "a b"
    assert _one_line("a\u00a0b") == "a\u00a0b"  # a no-break space is meant


def test_ris_chapter_and_undated():
    out = to_ris(parse(TRICKY))
    chapter = dict(_ris_tags(out.split("\n\n")[1]))
    assert chapter["TY"] == "CHAP" and chapter["T2"] == "Book"
    assert chapter["PB"] == "Routledge" and chapter["CY"] == "Oxon"
    assert [v for t, v in _ris_tags(out.split("\n\n")[1]) if t == "ED"] == ["Jones, Bob", "An Organisation"]
    nodate = dict(_ris_tags(out.split("\n\n")[2]))
    assert nodate["TY"] == "GEN" and "PY" not in nodate


@pytest.mark.parametrize("entry, ris, csl", [
    ("@article{k, title={T}}", "JOUR", "article-journal"),
    ("@book{k, title={T}}", "BOOK", "book"),
    ("@incollection{k, title={T}}", "CHAP", "chapter"),
    ("@techreport{k, title={T}, institution={I}, number={7}}", "RPRT", "report"),
    ("@misc{k, title={T}, url={https://example.org/}}", "ELEC", "webpage"),
    ("@misc{k, title={T}}", "GEN", "document"),
    ("@misc{k, title={T}, url={javascript:alert(1)}}", "GEN", "document"),
    ("@phdthesis{k, title={T}, school={S}}", "THES", "thesis"),
])
def test_types(entry, ris, csl):
    sources = one(entry)
    assert to_ris(sources).startswith(f"TY  - {ris}\n")
    assert to_csl_json(sources)[0]["type"] == csl


def test_non_http_url_not_exported_as_link():
    sources = one("@misc{k, title={T}, url={javascript:alert(1)}}")
    assert "UR  -" not in to_ris(sources)
    assert "URL" not in to_csl_json(sources)[0]
    assert not [n for n, _ in highwire_meta(sources["k"]) if "url" in n]


# --- CSL-JSON ------------------------------------------------------------------------

def test_csl_json_article():
    item = to_csl_json(parse(TRICKY))[0]
    assert item["id"] == "buck2018core" and item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Buck", "given": "Gillian"},
        {"family": "Lenthe", "given": "F. J.", "non-dropping-particle": "van"},
        {"family": "Reingle Gonzalez", "given": "J. M."},
        {"literal": "Her Majesty's Inspectorate of Probation"},
    ]
    assert item["issued"] == {"date-parts": [[2018]]}
    assert item["container-title"] == "Criminology & Criminal Justice"
    assert (item["volume"], item["issue"], item["page"]) == ("18", "2", "190-206")
    assert item["DOI"] == "10.1177/1748895817699659" and item["URL"] == "https://example.org/a%20b_c?x=1&y=2"
    assert "design" not in item and "note" not in item


def test_csl_json_report_chapter_and_no_date():
    items = {i["id"]: i
             for i in to_csl_json(parse(TRICKY + "@techreport{r, author={{MoJ}}, title={T}, "
                                        "institution={Ministry of Justice}, address={London}, type={Research "
                                        "Report}, number={12}, year={2013}}"))}
    assert items["r"]["publisher"] == "Ministry of Justice" and items["r"]["publisher-place"] == "London"
    assert items["r"]["number"] == "12" and items["r"]["genre"] == "Research Report"
    assert "issue" not in items["r"]
    assert items["chapter"]["editor"] == [{"family": "Jones", "given": "Bob"}, {"literal": "An Organisation"}]
    assert items["chapter"]["container-title"] == "Book"
    assert "issued" not in items["nodate"] and "author" not in items["nodate"]


def test_csl_json_text_deterministic_and_valid():
    sources = parse(TRICKY)
    text = csl_json_text(sources)
    assert json.loads(text) == to_csl_json(sources)
    items = list(sources.items())
    random.Random(5).shuffle(items)
    assert csl_json_text(dict(items)) == text
    assert "“core”" in text  # UTF-8, not \u escapes


# --- Highwire meta tags --------------------------------------------------------------

def test_highwire_article(fixture_bib):
    meta = highwire_meta(parse(fixture_bib)["smith2020trial"])
    assert meta == [
        ("citation_title", "A trial of peer mentoring"),
        ("citation_author", "Smith, Anna"),
        ("citation_author", "Jones, Bob"),
        ("citation_publication_date", "2020"),
        ("citation_journal_title", "Journal of Trials"),
        ("citation_volume", "3"),
        ("citation_issue", "2"),
        ("citation_firstpage", "10"),
        ("citation_lastpage", "20"),
        ("citation_doi", "10.1000/xyz123"),
    ]


def test_highwire_report_pdf_and_book(fixture_bib):
    sources = parse(fixture_bib)
    report = dict(highwire_meta(sources["hmip2016inspection"]))
    assert report["citation_author"] == "Her Majesty's Inspectorate of Probation"
    assert report["citation_technical_report_institution"] == "HMI Probation"
    assert report["citation_pdf_url"] == "https://www.justiceinspectorates.gov.uk/x.pdf"
    assert "citation_abstract_html_url" not in report
    book = dict(highwire_meta(sources["lee2019book"]))
    assert book["citation_publisher"] == "Routledge" and "citation_pdf_url" not in book


def test_highwire_chapter_and_landing_page():
    sources = parse(TRICKY + "@misc{web, title={W}, url={https://example.org/page.pdf.html}, "
                    "onlinedate={2019-09-04}}")
    chapter = dict(highwire_meta(sources["chapter"]))
    assert chapter["citation_book_title"] == "Book" and chapter["citation_publisher"] == "Routledge"
    web = highwire_meta(sources["web"])
    assert ("citation_abstract_html_url", "https://example.org/page.pdf.html") in web
    assert ("citation_online_date", "2019/09/04") in web
    assert not [n for n, _ in web if n == "citation_pdf_url"]
    assert not [n for n, _ in highwire_meta(sources["buck2018core"]) if n == "citation_pdf_url"]
    assert [v for n, v in highwire_meta(sources["buck2018core"]) if n == "citation_author"][-1] == (
        "Her Majesty's Inspectorate of Probation")


def test_highwire_html_escaped():
    sources = one(r"""@article{x, author={O'Brien, Sean}, title={<script>alert("x")</script> \& more}, year={2020}}""")  # noqa: E501 (verbatim test data)
    out = highwire_html(sources["x"])
    assert "<script" not in out
    assert f'<meta name="citation_title" content="{html.escape(sources["x"].title)}">' in out
    assert 'content="O&#x27;Brien, Sean"' in out


def test_the_downloaded_bibtex_has_standard_fields_only(fixture_bib):
    from pybtex.database import parse_string

    from evidencekb.cite.formats import STANDARD_BIBTEX, to_clean_bibtex

    sources = parse(fixture_bib)
    assert any(set(s.fields) - STANDARD_BIBTEX for s in sources.values())  # the fixture has curation fields
    db = parse_string(to_clean_bibtex(sources), "bibtex")
    assert set(db.entries) == set(sources)
    assert {f.lower() for e in db.entries.values() for f in e.fields} <= STANDARD_BIBTEX
    for key, src in sources.items():  # nothing standard is lost
        assert {k for k in src.fields if k in STANDARD_BIBTEX} <= {f.lower() for f in db.entries[key].fields}
