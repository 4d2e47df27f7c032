import random

import pytest

from evidencekb.cite.harvard import HtmlBackend, Reference, format_bibliography, format_reference
from evidencekb.model import Person, Position, Source
from evidencekb.parsers.bibtex import parse_bibtex_text


def parse(text):
    sources, problems = parse_bibtex_text(text, "references.bib")
    assert problems == []
    return sources


def one(text) -> Reference:
    sources = parse(text)
    assert len(sources) == 1
    return next(iter(format_bibliography(sources).values()))


# --- entry types ---------------------------------------------------------------

BUCK_2018 = r"""@article{buck2018core,
  author = {Buck, Gillian}, title = {The core conditions of peer mentoring},
  journal = {Criminology \& Criminal Justice}, year = {2018}, volume = {18}, number = {2}, pages = {190--206},
  doi = {10.1177/1748895817699659}, url = {https://chesterrep.openrepository.com/handle/10034/620483},
  design = {qualitative}, note = {Internal note never printed.}}"""


def test_article_with_doi():
    ref = one(BUCK_2018)
    assert ref.text == (
        "Buck, G. (2018) 'The core conditions of peer mentoring', Criminology & Criminal Justice, 18(2), "
        "pp. 190–206. Available at: https://doi.org/10.1177/1748895817699659"
    )
    assert ref.html == (
        "Buck, G. (2018) &#x27;The core conditions of peer mentoring&#x27;, <i>Criminology &amp; Criminal "
        "Justice</i>, "
        "18(2), pp. 190–206. Available at: <a href=\"https://doi.org/10.1177/1748895817699659\">"
        "https://doi.org/10.1177/1748895817699659</a>"
    )
    assert ref.label == "Buck (2018)" and ref.parenthetical == "(Buck, 2018)" and ref.key == "buck2018core"


def test_doi_preferred_over_url_and_prefix_tolerated():
    ref = one(r"@article{a, author={Smith, Ann}, title={T}, journal={J}, year={2020}, "
              r"doi={https://doi.org/10.1000/XYZ}, url={https://example.org/a}}")
    assert "https://doi.org/10.1000/XYZ" in ref.text and "example.org" not in ref.text


def test_url_when_no_doi_and_accessed_date():
    ref = one(r"@article{a, author={Smith, Ann}, title={T}, journal={J}, year={2020}, "
              r"url={https://example.org/a_b}}")
    assert ref.text.endswith("Available at: https://example.org/a_b")
    assert '<a href="https://example.org/a_b">https://example.org/a_b</a>' in ref.html
    ref = one(r"@misc{a, author={Smith, Ann}, title={T}, year={2020}, url={https://example.org/}, "
              r"urldate={2021-06-01}}")
    assert ref.text.endswith("Available at: https://example.org/ (Accessed: 1 June 2021).")


def test_book():
    ref = one("@book{lee2019book, author={Lee, Chris}, year={2019}, title={An ethnography of mentoring}, "
              "publisher={Routledge}, address={Oxon}, edition={2}}")
    assert ref.text == "Lee, C. (2019) An ethnography of mentoring. 2nd edn. Oxon: Routledge."
    assert ref.html == "Lee, C. (2019) <i>An ethnography of mentoring</i>. 2nd edn. Oxon: Routledge."


def test_chapter_in_edited_book():
    ref = one(r"""@incollection{c, author={Buck, Gillian}, title={All Our Justice}, booktitle={The Routledge Handbook},
        editor={McLaughlin, Hugh and Duffy, Joe}, year={2020}, publisher={Routledge}, address={Oxon}, pages={1-20}}""")  # noqa: E501 (verbatim test data)
    assert ref.text == ("Buck, G. (2020) 'All Our Justice', in McLaughlin, H. and Duffy, J. (eds) "
                        "The Routledge Handbook. Oxon: Routledge, pp. 1–20.")
    assert "<i>The Routledge Handbook</i>" in ref.html
    ref = one("@incollection{c, author={Buck, G.}, title={Ch}, booktitle={Book}, editor={Smith, Ann}, "
              "year={2020}, pages={7}}")
    assert ref.text == "Buck, G. (2020) 'Ch', in Smith, A. (ed.) Book. p. 7."


def test_edited_book_has_editors_first():
    ref = one("@book{b, editor={Smith, Ann and Jones, Bob}, title={Collected}, year={2010}, publisher={P}}")
    assert ref.text == "Smith, A. and Jones, B. (eds) (2010) Collected. P."
    assert ref.label == "Smith and Jones (2010)"


def test_report_corporate_author_and_number():
    ref = one(r"""@techreport{h, author={{Her Majesty's Inspectorate of Probation}}, year={2016},
        title={An inspection of through the gate resettlement services}, institution={HMI Probation},
        address={Manchester}, url={https://www.justiceinspectorates.gov.uk/x.pdf}}""")
    assert ref.text == ("Her Majesty's Inspectorate of Probation (2016) An inspection of through the gate "
                        "resettlement "
                        "services. Manchester: HMI Probation. Available at: "
                        "https://www.justiceinspectorates.gov.uk/x.pdf")
    assert ref.label == "Her Majesty's Inspectorate of Probation (2016)"
    ref = one("@techreport{r, author={{Ministry of Justice}}, title={T}, year={2013}, institution={MoJ}, "
              "type={Research Report}, number={12}}")
    assert ref.text == "Ministry of Justice (2013) T. Research Report 12. MoJ."


def test_report_type_without_number_not_printed():
    ref = one("@techreport{r, author={{Clinks}}, title={T}, year={2012}, institution={Clinks}, type={ebook}}")
    assert "ebook" not in ref.text


def test_misc_web_page():
    """Cite Them Right's web page: Author (Year) Title. Site. Available at: URL (Accessed: date)."""
    ref = one("@misc{m, author={{Crossroads Trust}}, title={Mentoring: Peer Mentoring}, year={2014}, "
              "howpublished={Medium}, url={https://example.org/m}, urldate={2026-12-01}}")
    assert ref.text == ("Crossroads Trust (2014) Mentoring: Peer Mentoring. Medium. "
                        "Available at: https://example.org/m (Accessed: 1 December 2026).")


def test_curation_notes_are_never_printed():
    ref = one("@misc{w, author={Buck, Gillian}, title={Peer mentoring workbook}, year={2020}, "
              "note={Seed 002 lists it.}, provenance={URL seen 2026-12-01}, organization={Keele University}, "
              "url={https://example.org/w}, urldate={2026-12-01}}")
    assert ref.text == ("Buck, G. (2020) Peer mentoring workbook. Keele University. "
                        "Available at: https://example.org/w (Accessed: 1 December 2026).")
    assert "Seed" not in ref.html and "seen" not in ref.html


def test_every_url_reference_gives_its_accessed_date():
    for entry in ("@techreport{r, author={{Clinks}}, title={T}, year={2012}, institution={Clinks}, ",
                  "@book{b, author={Lee, Chris}, title={T}, year={2019}, publisher={P}, ",
                  "@article{a, author={Lee, Chris}, title={T}, journal={J}, year={2019}, "):
        ref = one(entry + "url={https://example.org/x}, urldate={2026-12-01}}")
        assert ref.text.endswith("Available at: https://example.org/x (Accessed: 1 December 2026).")
        assert ref.html.endswith('<a href="https://example.org/x">https://example.org/x</a> '
                                 '(Accessed: 1 December 2026).')


def test_journal_article_gives_journal_volume_issue_and_pages():
    ref = one("@article{a, author={Buck, Gillian}, title={The core conditions of peer mentoring}, "
              "journal={Criminology and Criminal Justice}, volume={18}, number={2}, pages={190--206}, "
              "year={2018}}")
    assert ref.text == ("Buck, G. (2018) 'The core conditions of peer mentoring', "
                        "Criminology and Criminal Justice, "
                        "18(2), pp. 190–206.")
    assert "<i>Criminology and Criminal Justice</i>" in ref.html


def test_thesis():
    ref = one("@phdthesis{t, author={Buck, Gillian}, title={Peer mentoring}, year={2016}, school={University "
              "of Keele}}")
    assert ref.text == "Buck, G. (2016) Peer mentoring. PhD thesis. University of Keele."


def test_no_author_title_takes_author_place():
    ref = one("@misc{m, title={Mentoring and peer mentoring}, year={2021}, howpublished={Blog post}, "
              "url={https://blog.example/x}}")
    assert ref.text == "Mentoring and peer mentoring (2021) Blog post. Available at: https://blog.example/x"
    assert ref.html.startswith("<i>Mentoring and peer mentoring</i> (2021) Blog post.")
    assert ref.label == "Mentoring and peer mentoring (2021)"
    assert ref.parenthetical == "(Mentoring and peer mentoring, 2021)"
    # Only a web address after the year: no full stop between them.
    ref = one("@misc{m, title={Page}, year={2021}, url={https://x.example/}}")
    assert ref.text == "Page (2021) Available at: https://x.example/"


def test_no_date():
    ref = one("@misc{m, author={{International Mentoring Association}}, title={T}, year={n.d.}}")
    assert ref.text == "International Mentoring Association (n.d.) T."
    assert ref.label == "International Mentoring Association (n.d.)"
    assert one("@misc{m, author={Smith, Ann}, title={T}}").parenthetical == "(Smith, n.d.)"


def test_supplied_description_in_brackets_is_not_italic():
    ref = one("@misc{f, author={Farrall}, title={[Work cited on desistance; title not given]}, year={2013}}")
    assert ref.text == "Farrall (2013) [Work cited on desistance; title not given]."
    assert "<i>" not in ref.html


def test_quotes_inside_a_quoted_title_become_double():
    ref = one(r"""@article{t, author={Buck, Gillian}, title={'It's a tug of war': the limits of prisoners' hopes}, journal={J}, year={2019}}""")  # noqa: E501 (verbatim test data)
    assert "'\"It's a tug of war\": the limits of prisoners' hopes'" in ref.text


# --- pages, volume, issue ------------------------------------------------------

@pytest.mark.parametrize("fields, expected", [
    ("volume={18}, number={2}, pages={190--206}", "J, 18(2), pp. 190–206."),
    ("volume={18}, pages={190-206}", "J, 18, pp. 190–206."),
    ("number={214}", "J, (214)."),
    ("volume={43}, number={02}, pages={9}", "J, 43(2), p. 9."),
    ("", "J."),
])
def test_journal_details(fields, expected):
    ref = one(f"@article{{a, author={{Smith, Ann}}, title={{T}}, journal={{J}}, year={{2020}}, {fields}}}")
    assert ref.text.endswith("'T', " + expected)


# --- names -----------------------------------------------------------------------

def _authors(names):
    return one(f"@article{{a, author={{{names}}}, title={{T}}, journal={{J}}, year={{2019}}}}")


@pytest.mark.parametrize("names, reference, label", [
    ("Buck, Gillian", "Buck, G.", "Buck"),
    ("Buck, Gillian and Tomczak, Philippa", "Buck, G. and Tomczak, P.", "Buck and Tomczak"),
    ("Boyce, I. and Hunter, G. and Hough, M.", "Boyce, I., Hunter, G. and Hough, M.",
     "Boyce, Hunter and Hough"),
    ("Duvnjak, A. and Stewart, V. and Young, P. and Turvey, L.",
     "Duvnjak, A., Stewart, V., Young, P. and Turvey, L.", "Duvnjak et al."),
    ("Lenkens, M. and van Lenthe, F. J. and others", "Lenkens, M., van Lenthe, F.J. et al.",
     "Lenkens et al."),
    ("Buck, Gillian and others", "Buck, G. et al.", "Buck et al."),
    ("van Lenthe, F. J.", "van Lenthe, F.J.", "van Lenthe"),
    ("Reingle Gonzalez, J. M.", "Reingle Gonzalez, J.M.", "Reingle Gonzalez"),
    ("Barrenger, Stacey Lynn", "Barrenger, S.L.", "Barrenger"),
    ("Smith, J.M.", "Smith, J.M.", "Smith"),
    ("{Clinks} and {Mentoring and Befriending Foundation}", "Clinks and Mentoring and Befriending Foundation",
     "Clinks and Mentoring and Befriending Foundation"),
    ("Nellis", "Nellis", "Nellis"),
])
def test_names_in_reference_and_label(names, reference, label):
    ref = _authors(names)
    assert ref.text.startswith(reference + " (2019) 'T'")
    assert ref.label == f"{label} (2019)"
    assert ref.parenthetical == f"({label}, 2019)"


def test_many_authors_all_listed_in_reference():
    names = " and ".join(f"Author{i}, A." for i in range(14))
    ref = _authors(names)
    assert ref.text.startswith("Author0, A., Author1, A.,")
    assert "Author12, A. and Author13, A. (2019)" in ref.text
    assert ref.label == "Author0 et al. (2019)"


# --- 2019a / 2019b ---------------------------------------------------------------

DISAMBIGUATION = r"""
@article{zz, author={Buck, Gillian}, title={Politicisation or professionalisation?}, journal={J}, year={2019}}
@article{aa, author={Buck, Gillian}, title={'It's a tug of war'}, journal={J}, year={2019}}
@article{other, author={Tomczak, P. and Buck, Gillian}, title={The penal voluntary sector}, journal={J}, year={2019}}
@article{coauthor, author={Buck, Gillian and Jaffe, M.}, title={Another}, journal={J}, year={2019}}
@article{diffyear, author={Buck, Gillian}, title={Core}, journal={J}, year={2018}}
@article{eta, author={Buck, G. and A, A. and B, B. and C, C.}, title={Beta}, journal={J}, year={2017}}
@article{etb, author={Buck, G. and X, X. and Y, Y. and Z, Z.}, title={Alpha}, journal={J}, year={2017}}
@misc{nd1, author={{Org}}, title={Second}}
@misc{nd2, author={{Org}}, title={First}, year={n.d.}}
"""  # noqa: E501 (verbatim test data)


def test_same_label_and_year_get_letters_in_title_order():
    bib = format_bibliography(parse(DISAMBIGUATION))
    assert bib["aa"].label == "Buck (2019a)" and bib["zz"].label == "Buck (2019b)"
    assert bib["aa"].parenthetical == "(Buck, 2019a)"
    assert bib["aa"].text.startswith("Buck, G. (2019a) '\"It's a tug of war\"'")
    assert "(2019b)" in bib["zz"].html
    # Same year, different in-text names: no letter.
    assert bib["other"].label == "Tomczak and Buck (2019)"
    assert bib["coauthor"].label == "Buck and Jaffe (2019)"
    assert bib["diffyear"].label == "Buck (2018)"
    # "Buck et al." twice in 2017, with different co-authors: letters by title.
    assert bib["etb"].label == "Buck et al. (2017a)" and bib["eta"].label == "Buck et al. (2017b)"
    # Undated works too.
    assert bib["nd2"].label == "Org (n.d.-a)" and bib["nd1"].label == "Org (n.d.-b)"


def test_letters_decided_across_whole_bibliography():
    sources = parse(DISAMBIGUATION)
    alone = format_bibliography({"zz": sources["zz"]})
    assert alone["zz"].label == "Buck (2019)"
    assert format_reference(sources["zz"], sources).label == "Buck (2019b)"
    assert format_reference(sources["zz"]).label == "Buck (2019)"
    assert format_reference(sources["zz"], sources) == format_bibliography(sources)["zz"]


def test_reference_list_order():
    bib = format_bibliography(parse(DISAMBIGUATION + r"""
@book{anon, title={Mentoring guide}, year={2015}}
@article{adams, author={Adams, Z.}, title={Z}, journal={J}, year={2000}}
"""))
    assert list(bib) == ["adams", "diffyear", "aa", "zz", "coauthor", "etb", "eta", "anon", "nd2", "nd1",
                         "other"]
    assert [r.sort_key for r in bib.values()] == sorted(r.sort_key for r in bib.values())
    assert bib["aa"].sort_key[:3] == (("buck",), (1, 2019, "2019"), "a")


# --- safety ------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/x", "//evil.example/x", "/relative/path", "https:no-host",
])
def test_only_http_links(url):
    ref = one(f"@misc{{m, author={{Smith, Ann}}, title={{T}}, year={{2020}}, url={{{url}}}}}")
    assert "<a" not in ref.html
    assert ref.text.endswith("Available at: " + url)
    assert "<script" not in ref.html


def test_bad_doi_is_not_linked_and_url_used_instead():
    ref = one("@misc{m, author={Smith, Ann}, title={T}, year={2020}, doi={javascript:alert(1)}, "
              "url={https://ok.example/}}")
    assert "javascript" not in ref.html and '<a href="https://ok.example/">' in ref.html


def test_html_escaped_exactly_once():
    ref = one(r"""@article{x, author={O'Brien, Se{\'a}n and {Smith <b> \& Sons}}, year={2020},
        title={<script>alert("x")</script> \& 'quoted'}, journal={A \& B <i>},
        url={https://example.org/?a=1&b="><script>}}""")
    h = ref.html
    assert "<script" not in h and "<b>" not in h and "<i>A &amp; B <i>" not in h
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; " in h
    assert "O&#x27;Brien, S. and Smith &lt;b&gt; &amp; Sons (2020)" in h
    assert "<i>A &amp; B &lt;i&gt;</i>" in h
    assert "&amp;amp;" not in h and "&amp;lt;" not in h and "&amp;quot;" not in h
    assert 'href="https://example.org/?a=1&amp;b=%22%3E%3Cscript%3E"' in h
    # Plain text is not escaped at all.
    assert ref.text.startswith("O'Brien, S. and Smith <b> & Sons (2020) '<script>alert(\"x\")</script> & "
                               "\"quoted\"'")


def test_no_pybtex_latex_artefacts():
    ref = one(r"@article{x, author={Smith, Ann}, title={{UK} policy and \url{x} 100\% {\"u}}, journal={J}, "
              r"year={2020}}")
    assert "bibtex-protected" not in ref.html and "{" not in ref.text
    assert "UK policy" in ref.text and "100%" in ref.text and "ü" in ref.text


def test_html_backend_escapes_link_target():
    from pybtex.richtext import HRef
    assert HRef('https://x.example/"><x',
                "t").render(HtmlBackend()) == '<a href="https://x.example/&quot;&gt;&lt;x">t</a>'


# --- determinism and speed ---------------------------------------------------------

def test_deterministic_whatever_the_input_order():
    sources = parse(DISAMBIGUATION)
    items = list(sources.items())
    random.Random(1).shuffle(items)
    assert format_bibliography(dict(items)) == format_bibliography(sources)
    assert list(format_bibliography(dict(items))) == list(format_bibliography(sources))


def _synthetic(n):
    kinds = ["article", "book", "incollection", "techreport", "misc"]
    out = {}
    for i in range(n):
        key = f"k{i}"
        fields = {"title": f"Title {i} on peer mentoring", "year": str(1990 + i % 30), "journal": "Journal",
                  "volume": "3", "number": "2", "pages": "10–20", "publisher": "Routledge",
                  "address": "London",
                  "booktitle": "Book", "institution": "Inst", "url": f"https://example.org/{i}"}
        authors = tuple(Person(family=f"Surname{(i + j) % 700}", given="Ann B.") for j in range(1 + i % 5))
        out[key] = Source(key=key, entry_type=kinds[i % 5], fields=fields, authors=authors,
                          editors=(Person(family="Ed", given="E."),), position=Position("r.bib", i + 1))
    return out


def test_five_thousand_sources_all_formatted_with_unique_labels():
    # Speed is the benchmark's job (evidence bench); here, that a large base formats whole.
    sources = _synthetic(5000)
    bib = format_bibliography(sources)
    assert len(bib) == 5000
    assert set(bib) == set(sources) and all(r.text and r.parenthetical for r in bib.values())


def test_the_labels_alone_are_the_references_labels():
    """`evidence graph` labels source nodes and renders `[@key]` from the labels alone
    (in_text_labels), without formatting references: they must agree with the references'
    own labels, year letters and all."""
    from evidencekb.cite import intext
    from evidencekb.cite.harvard import harvard_labels, in_text_labels

    sources = _synthetic(400)
    for i in range(0, 400, 40):  # a second work by the same authors in the same year: 2001a, 2001b
        first = sources[f"k{i}"]
        sources[f"k{i}-again"] = Source(key=f"k{i}-again", entry_type=first.entry_type,
                                        fields={**first.fields, "title": "Another title"},
                                        authors=first.authors, editors=(),
                                        position=Position("r.bib", 1000 + i))
    references = format_bibliography(sources)
    assert harvard_labels(sources) == {key: ref.label for key, ref in references.items()}
    assert in_text_labels(sources) == (harvard_labels(sources), intext.labels(references))
    assert sum(label.endswith(("a)", "b)")) for label in harvard_labels(sources).values()) == 20
