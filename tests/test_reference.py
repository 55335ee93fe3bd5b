"""Generated documentation is up to date."""

from __future__ import annotations

import json
from pathlib import Path

from safepost import Checker, Verdict
from safepost.reference import rule_reference

DOCS = Path(__file__).parent.parent / "docs"


def test_rule_reference_is_current(checker: Checker) -> None:
    expected = rule_reference(checker)
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `safepost rules --markdown > docs/rules.md`")


def test_every_reporting_rule_is_in_the_reference(checker: Checker) -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for pack in checker.packs:
        if pack.family.reports:
            for spec in pack.specs:
                assert f"| `{spec.id}` |" in text


def test_verdict_schema_page_is_current() -> None:
    page = (DOCS / "verdict.md").read_text(encoding="utf-8")
    schema = page.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(schema) == Verdict.model_json_schema(), (
        "docs/verdict.md is stale: paste the output of `safepost schema`")
