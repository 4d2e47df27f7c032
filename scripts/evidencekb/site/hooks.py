"""MkDocs event handlers. Placeholder until the site issue: checks the base and
refuses to build on errors, so a broken base never publishes."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from ..checker import check_project
from ..project import Project
from ..reporter import format_text

_state: dict = {}


def on_config(config, **kwargs):
    root = Path(config["config_file_path"]).resolve().parent
    _state["project"] = Project(root)
    return config


def on_pre_build(config, **kwargs):
    result = check_project(_state["project"])
    if not result.ok:
        raise PluginError("the evidence base has errors:\n" + "\n".join(format_text(p) for p in result.errors))
    _state["base"] = result.base


def on_files(files, config, **kwargs):
    return files


def on_page_context(context, page, config, nav, **kwargs):
    return context


def on_post_build(config, **kwargs):
    return None
