"""Shared fixtures: one default Checker per session, and helpers for CLI runs."""

from __future__ import annotations

import pytest

from safepost import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    """Return the default Checker: bundled packs, no network."""
    return Checker()


def rule_ids(verdict) -> list[str]:
    """Return the rule ids of a verdict's findings, in verdict order."""
    return [f.rule for f in verdict.findings]
