from evidencekb.parsers.bibtex import decode_latex, parse_bibtex_text


def parse(text):
    return parse_bibtex_text(text, "references.bib")


def test_latex_accents_to_unicode():
    sources, problems = parse(r"""@article{a, author = {L{\'o}pez, Jos{\'e} and M{\"u}ller, J{\"o}rg}, title = {Caf{\'e} \& {\c c}a}, year = {2020}}""")  # noqa: E501 (verbatim test data)
    assert problems == []
    a = sources["a"]
    assert [p.family for p in a.authors] == ["López", "Müller"]
    assert a.authors[0].given == "José"
    assert a.title == "Café & ça"


def test_corporate_author_kept_whole():
    sources, _ = parse("@techreport{h, author = {{Her Majesty's Inspectorate of Probation} and Smith, Ann}, "
                       "title={T}, year={2016}}")
    corp, person = sources["h"].authors
    assert corp.corporate and corp.family == "Her Majesty's Inspectorate of Probation" and corp.given == ""
    assert not person.corporate and person.family == "Smith"


def test_string_macros_expand():
    sources, problems = parse('@string{psj = "Prison Service Journal"}\n@article{b, journal = psj # " '
                              '(214)", title={T}, year={2014}}\n')
    assert problems == []
    assert sources["b"].get("journal") == "Prison Service Journal (214)"


def test_duplicate_keys_reported_with_lines():
    text = "@article{a, title={One}, year={2000}}\n\n@book{A, title={Two}, year={2001}}\n"
    sources, problems = parse(text)
    assert len(problems) == 1
    p = problems[0]
    assert p.rule == "bib-duplicate-key" and p.position.line == 3 and "line 1" in p.message
    assert sources["a"].title == "One"


def test_unbalanced_braces_reported_and_later_entries_survive():
    text = "@article{ok, title={Fine}, year={2000}}\n@article{bad,\n  title = {Broken {brace,\n  year = {2001}\n}\n@book{after, title={After}, year={2002}}\n"  # noqa: E501 (verbatim test data)
    sources, problems = parse(text)
    assert [p.rule for p in problems] == ["bib-braces"]
    assert problems[0].position.line == 2 and "'bad'" in problems[0].message
    assert set(sources) == {"ok", "after"}


def test_syntax_error_line_is_absolute():
    text = "@article{ok, title={Fine}, year={2000}}\n\n@book{syn,\n  title={x}\n  year={2001}}\n"
    sources, problems = parse(text)
    assert problems and problems[0].rule == "bib-syntax"
    assert problems[0].position.line >= 3
    assert "syn" not in sources


def test_url_verbatim_and_unescaped():
    sources, _ = parse(r"@misc{u, title={T}, year={2020}, url={https://example.org/a\%20b_c}}")
    assert sources["u"].url == "https://example.org/a%20b_c"


def test_field_lines_known():
    sources, _ = parse("@article{a,\n  title = {T},\n  year = {2020},\n  design = {rct}\n}\n")
    assert sources["a"].field_lines["design"] == 4
    assert sources["a"].position.line == 1


def test_custom_fields_and_lists():
    sources, _ = parse("@article{a, title={T}, year={2020}, setting={prison, community}, citedin={x}, "
                       "incomplete={journal unknown}}")
    a = sources["a"]
    assert a.settings == ("prison", "community") and a.cited_in == ("x",)
    assert a.incomplete == "journal unknown"


def test_decode_latex_dashes_and_braces():
    assert decode_latex("190--206") == "190–206"
    assert decode_latex("{UK} policy") == "UK policy"


def test_decode_latex_dotless_i_in_braces_and_font_commands():
    # Zotero writes Garc\'{\i}a and \textit{...}; the page must show neither backslashes nor braces.
    assert decode_latex(r"Garc\'{\i}a") == "García"
    assert decode_latex(r"Garc{\'\i}a") == "García"
    assert decode_latex(r"\textit{Mentoring} and \emph{peer} \textsc{NOMS}") == "Mentoring and peer NOMS"
    assert decode_latex(r"Costs of 50\% and \$5") == "Costs of 50% and $5"
    assert "\\" not in decode_latex(r"\unknowncommand{x} y")


def test_empty_and_garbage_do_not_raise():
    for text in ["", "just words", "@", "@article{", "@article{x,", "}}}}", "@string{a = }"]:
        sources, problems = parse(text)
        assert isinstance(sources, dict)
