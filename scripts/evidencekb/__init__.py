"""evidencekb: a claim–evidence knowledge base engine.

The engine knows nothing of any topic: vocabularies live in the project's
claim schema, claims in YAML files and sources in BibTeX. The pipeline runs one
way: parsers (load) -> checker (check) -> graph -> render -> export.
"""

__version__ = "0.1.0"
