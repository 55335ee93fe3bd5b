"""Regex rules: patterns run with a time limit so a user's pattern cannot hang a check."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex
from pydantic import Field, field_validator

from ..analysis import Analysis
from ..errors import RuleError
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec

MATCH_TIMEOUT = 0.25
MAX_PATTERN_LENGTH = 2_000


class RegexSpec(RuleSpec):
    """A regex rule: patterns searched in the original text, case-insensitive by default."""

    patterns: list[str] = Field(min_length=1)
    ignore_case: bool = True
    unless: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if len(pattern) > MAX_PATTERN_LENGTH:
                raise ValueError(f"a pattern is limited to {MAX_PATTERN_LENGTH} characters")
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return patterns


class RegexRule(Rule):
    """Flags every match of the rule's patterns outside links (unless a link is the point)."""

    family = "regex"
    Spec = RegexSpec
    spec: RegexSpec

    def __init__(self, spec: RegexSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        flags = regex.IGNORECASE if spec.ignore_case else 0
        self._patterns = [regex.compile(p, flags | regex.VERSION1) for p in spec.patterns]
        self._unless = [regex.compile(p, flags | regex.VERSION1) for p in spec.unless]

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield a finding per match, bounded in time."""
        text = analysis.text
        try:
            if any(p.search(text, timeout=MATCH_TIMEOUT) for p in self._unless):
                return
            for pattern in self._patterns:
                for match in pattern.finditer(text, timeout=MATCH_TIMEOUT):
                    span = match.span()
                    if span[0] == span[1] or analysis.in_link(span):
                        continue
                    yield self.finding(analysis, span=span)
        except TimeoutError as exc:
            raise RuleError(
                f"rule {self.id}: a pattern took longer than {MATCH_TIMEOUT}s; "
                "simplify it (nested repeats such as (a+)+ backtrack without end)"
            ) from exc


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the regex family."""
    register(RegexRule)
