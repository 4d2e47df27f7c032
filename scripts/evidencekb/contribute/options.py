"""What `evidence new` and `evidence add-source` are asked to do, as typed records.

The CLI fills these from its arguments; the stages never see argparse, so a test, a
script or another front end can call them with the same records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NewClaimOptions:
    """Every value is checked against the schema and the bibliography by `new_claim`; an
    empty value means "ask, or leave it to the template"."""

    statement: str | None = None
    id: str | None = None
    summary: str | None = None
    claim_type: str | None = None
    themes: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    locators: tuple[str, ...] = ()  # one per source, in order
    relations: tuple[str, ...] = ()  # one for all sources, or one per source
    level: str | None = None
    method: str | None = None
    components: tuple[str, ...] = ()  # NAME=VALUE
    rationale: str | None = None
    caveat: str | None = None
    contributor: str | None = None
    dry_run: bool = False  # print the file instead of writing it
    no_input: bool = False  # never prompt


@dataclass(frozen=True)
class AddSourceOptions:
    file: str = "-"  # a .bib file, or - for standard input
    doi: str | None = None  # instead of a file: fetch the work's record by its DOI
    resolver: str | None = None  # the DOI resolver's address (None: the default)
    timeout: float = 15.0  # seconds to wait for the resolver
    key: str | None = None
    design: str | None = None
    country: str | None = None
    setting: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    dry_run: bool = False
    no_input: bool = False
