"""The records' plain-value forms (what the check cache keeps) give back equal records."""

from __future__ import annotations

from dataclasses import fields

from evidencekb.model import Person, Position, Source, source_of, source_values


def test_a_source_round_trips_through_its_plain_values():
    source = Source(
        key="k", entry_type="article", fields={"title": "T", "year": "2020"},
        authors=(Person("Buck", "G.", "van", "Jr", False), Person("Home Office", corporate=True)),
        editors=(Person("Ed", "A."),), position=Position("references.bib", 7, 1),
        bibtex="@article{k,\n}", field_lines={"title": 8, "year": 9},
    )
    again = source_of(source_values(source))
    assert again == source
    assert again.authors[1].corporate and again.field_lines == {"title": 8, "year": 9}


def test_the_plain_form_knows_every_field():
    """A field added to Source or Person must be added to source_values too: this fails first."""
    assert [f.name for f in fields(Source)] == ["key", "entry_type", "fields", "authors", "editors",
                                                "position", "bibtex", "field_lines"]
    assert [f.name for f in fields(Person)] == ["family", "given", "particle", "suffix", "corporate"]
    assert [f.name for f in fields(Position)] == ["path", "line", "col"]
