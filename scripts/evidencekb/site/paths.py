"""Page paths for ids and keys: the one place the site's URL scheme is spelled.

The functions live in evidencekb.site_paths so the export stage can build the
same URLs for the graph explorer without importing MkDocs.
"""

from ..site_paths import claim_slug, source_slug  # noqa: F401
