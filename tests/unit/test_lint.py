"""Lint and types as habits: ruff (pyflakes, import order, bugbear, 110 columns) on the code
and the tests, and mypy on the package, both configured in pyproject.toml. A failure prints
what the tool said, so fixing it starts from the test output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", *argv], cwd=REPO, capture_output=True, text=True,
                          timeout=600,
                          env=env)


def _installed(module: str) -> None:
    r = _run(module, "--version")
    if r.returncode != 0:
        pytest.fail(f"{module} is not installed: pip install -e '.[test]' ({r.stderr.strip()[:200]})")


def test_ruff_is_clean():
    _installed("ruff")
    r = _run("ruff", "check", "--no-cache", "--output-format", "concise", "scripts", "tests")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_is_clean():
    _installed("mypy")
    r = _run("mypy")  # files and settings from [tool.mypy] in pyproject.toml
    assert r.returncode == 0, r.stdout + r.stderr
