"""`evidence add-source --doi` against a local resolver on 127.0.0.1 serving recorded answers."""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest

from evidencekb.cli import main
from evidencekb.contribute.common import ContributeError
from evidencekb.contribute.doi import bibtex_from_csl, normalise_doi
from evidencekb.parsers.bibtex import parse_bibtex_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "doi"
ANSWERS = {
    "/10.5555/peer.2020.001": (200, (FIXTURES / "journal-article.json").read_bytes()),
    "/10.5555/handbook.2021.ch7": (200, (FIXTURES / "book-chapter.json").read_bytes()),
    "/10.5555/bad": (200, b"<html>not json</html>"),
    "/10.5555/notitle": (200, b'{"type": "journal-article"}'),
}


class _Resolver(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        if self.path == "/10.5555/slow":
            time.sleep(2)
        status, body = ANSWERS.get(self.path, (404, b"not found"))
        type(self).accepts.append(self.headers.get("Accept"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.citationstyles.csl+json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the timeout case)

    accepts: list = []

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def resolver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Resolver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def add(project, resolver, doi, *extra):
    return main(["add-source", "--root", str(project.root), "--doi", doi, "--resolver", resolver,
                 "--timeout", "0.5", *extra])


def test_a_journal_article_becomes_a_normalised_entry_with_its_doi(project, resolver, capsys):
    before = project.root.joinpath("references.bib").read_text(encoding="utf-8")
    assert add(project, resolver, "https://doi.org/10.5555/peer.2020.001") == 0
    out = capsys.readouterr()
    key = out.out.strip()
    text = project.root.joinpath("references.bib").read_text(encoding="utf-8")
    assert text.startswith(before)
    entries, problems = parse_bibtex_text(text, "references.bib")
    assert not problems
    src = entries[key]
    assert src.entry_type == "article" and src.year == "2020"
    assert src.title == "Peer mentoring and desistance: a trial & its limits"
    assert src.fields["journal"] == "Journal of Offender Rehabilitation"
    assert (src.fields["volume"], src.fields["number"]) == ("59", "4")
    assert src.fields["doi"] == "10.5555/peer.2020.001"
    assert "DOI record" in src.fields["provenance"]
    assert [p.family for p in src.authors][:2] == ["Ní Bhriain", "O'Brien"]
    assert _Resolver.accepts[-1] == "application/vnd.citationstyles.csl+json"


def test_a_book_chapter_keeps_its_book_editors_and_place(project, resolver, capsys):
    assert add(project, resolver, "10.5555/handbook.2021.ch7") == 0
    key = capsys.readouterr().out.strip()
    entries, _ = parse_bibtex_text(project.root.joinpath("references.bib").read_text(encoding="utf-8"), "x")
    src = entries[key]
    assert src.entry_type == "incollection"
    assert src.fields["booktitle"] == "The Handbook of Peer Support"
    assert src.title == "Lived experience in criminal justice: 100% of the story?"
    assert (src.fields["publisher"], src.fields["address"]) == ("Policy Press", "Bristol")
    assert [p.family for p in src.editors] == ["Lindqvist", "Centre for Justice Studies"]


def test_the_same_doi_twice_is_refused_and_nothing_is_written(project, resolver, capsys):
    assert add(project, resolver, "10.5555/peer.2020.001") == 0
    once = project.root.joinpath("references.bib").read_bytes()
    capsys.readouterr()
    assert add(project, resolver, "doi:10.5555/peer.2020.001") == 1
    err = capsys.readouterr().err
    assert "already in references.bib" in err
    assert project.root.joinpath("references.bib").read_bytes() == once


@pytest.mark.parametrize("doi, words", [
    ("10.5555/missing", "not found"),
    ("10.5555/slow", "no answer"),
    ("10.5555/bad", "not CSL-JSON"),
    ("10.5555/notitle", "not a CSL-JSON record"),
])
def test_resolver_failures_are_one_line_and_exit_1(project, resolver, capsys, doi, words):
    before = project.root.joinpath("references.bib").read_bytes()
    assert add(project, resolver, doi) == 1
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert project.root.joinpath("references.bib").read_bytes() == before


def test_offline_is_one_line(project, capsys):
    # a port nothing listens on stands in for no network
    assert main(["add-source", "--root", str(project.root), "--doi", "10.5555/x",
                 "--resolver", "http://127.0.0.1:9/"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("text", ["", "10.1/x", "javascript:alert(1)", "10.5555/a{b}", "10.5555/a\nb"])
def test_what_is_not_a_doi_is_refused_as_usage(text):
    with pytest.raises(ContributeError) as exc:
        normalise_doi(text)
    assert exc.value.code == 2


def test_latex_specials_and_tags_in_a_record_read_back_as_text():
    record = json.loads((FIXTURES / "journal-article.json").read_text(encoding="utf-8"))
    record["title"] = "Costs: 50% of $ & #1 \\ savings_total <sub>2</sub> \u202eevil ~ ^"
    entries, problems = parse_bibtex_text(bibtex_from_csl(record, "10.5555/peer.2020.001"), "x")
    assert not problems
    assert entries["fromdoi"].title == "Costs: 50% of $ & #1 \\ savings_total 2 evil ~ ^"
