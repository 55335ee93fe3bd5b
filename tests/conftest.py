"""Shared fixtures: one default Checker per session, and helpers for CLI runs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from safepost import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    """Return the default Checker: bundled packs, no network."""
    return Checker()


def rule_ids(verdict) -> list[str]:
    """Return the rule ids of a verdict's findings, in verdict order."""
    return [f.rule for f in verdict.findings]


def bench_corpus() -> ModuleType:
    """Import bench/corpus.py (a script, not part of the package), once."""
    module = sys.modules.get("bench_corpus")
    if module is None:
        path = Path(__file__).parent.parent / "bench" / "corpus.py"
        spec = importlib.util.spec_from_file_location("bench_corpus", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module
