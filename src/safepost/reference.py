"""The rule reference (docs/rules.md), generated from the loaded packs."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checker import Checker

HEADER = """# Rule reference

Generated from the bundled packs by `safepost rules --markdown > docs/rules.md`;
a test fails when this page is stale. `safepost explain RULE` prints one rule in full.
"""


def rule_reference(checker: Checker) -> str:
    """Return the Markdown rule reference: a section per category, a row per rule."""
    languages: dict[str, set[str]] = defaultdict(set)
    specs = {}
    for pack in checker.packs:
        if not pack.family.reports:
            continue
        for spec in pack.specs:
            specs.setdefault(spec.id, spec)
            languages[spec.id].add(pack.lang or "all")
    by_category = defaultdict(list)
    for rule_id in sorted(specs):
        by_category[specs[rule_id].category].append(specs[rule_id])
    parts = [HEADER]
    for category in sorted(by_category):
        parts.append(f"\n## {category}\n\n"
                     "| rule | severity | languages | what it catches | instead |\n"
                     "|---|---|---|---|---|\n")
        for spec in by_category[category]:
            what = spec.explain.what if spec.explain else (spec.description or "")
            instead = spec.explain.instead if spec.explain else (spec.suggestion or "")
            langs = ", ".join(sorted(languages[spec.id]))
            parts.append(f"| `{spec.id}` | {spec.severity} | {langs} "
                         f"| {_cell(what)} | {_cell(instead)} |\n")
    return "".join(parts)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
