"""The docs keep up with the code: every hook has its section."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from safepost import hookspecs

DOCS = Path(__file__).parent.parent / "docs"
HOOKS = [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(fn, "safepost_spec")]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    assert f"## {hook}\n" in (DOCS / "plugins.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring(hook: str) -> None:
    assert getattr(hookspecs, hook).__doc__.strip()


def test_there_are_hooks() -> None:
    assert len(HOOKS) == 8
