"""`evidence new` and `evidence add-source`: the contributor's side of the base.

A researcher with a paper in hand should get from "I read this" to a file that
passes `evidence check` without learning the schema first. So `new` writes a
claim with every value it was given checked against the schema's vocabularies
and the bibliography, and a commented template (allowed values read from the
schema) for everything else; `add-source` turns whatever a reference manager
exports into an entry in our conventions, and refuses a work we already hold.

Both refuse rather than guess: an unknown theme, a key that is not in
references.bib, an id that would escape claims/, an existing file, a
duplicate work. Nothing is written unless the result reads back through the
project's own parsers to exactly what was meant.
"""

from __future__ import annotations

from .add_source import add_sources, make_key
from .common import ContributeError, Prompter, claim_path, slugify
from .new_claim import new_claim
from .options import AddSourceOptions, NewClaimOptions

__all__ = ["AddSourceOptions", "ContributeError", "NewClaimOptions", "Prompter", "add_sources", "claim_path",
           "make_key", "new_claim", "slugify"]
