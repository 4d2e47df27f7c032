"""Subcommands beyond `check`, each a thin wrapper over one pipeline stage."""

from __future__ import annotations


def register(sub, common) -> None:
    """Add the other subcommands to the `evidence` parser."""
    return None
