"""The one thin bridge from MkDocs to the evidencekb package.

All logic lives in evidencekb.site so that a future static-site generator
(or Zensical, which ignores `hooks:`) needs only a new bridge, not new code.
"""

from evidencekb.site.hooks import (  # noqa: F401
    on_build_error,
    on_config,
    on_files,
    on_page_content,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
    on_serve,
    on_shutdown,
    on_startup,
)
