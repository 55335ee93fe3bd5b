"""Pattern rules: spaCy token patterns, for wording that a word list cannot express."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import Field
from spacy.matcher import Matcher

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec


class PatternSpec(RuleSpec):
    """A pattern rule: one or more spaCy `Matcher` token patterns."""

    patterns: list[list[dict[str, Any]]] = Field(min_length=1)


class PatternRule(Rule):
    """Flags each longest match of the rule's token patterns."""

    family = "pattern"
    Spec = PatternSpec
    spec: PatternSpec

    def __init__(self, spec: PatternSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._matcher = Matcher(phrases.nlp.vocab, validate=True)
        self._matcher.add(spec.id, spec.patterns, greedy="LONGEST")

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield a finding per pattern match."""
        for _, start, end in self._matcher(analysis.doc):
            span = analysis.doc[start:end]
            original = analysis.to_original(span.start_char, span.end_char)
            if not analysis.in_link(original):
                yield self.finding(analysis, span=original)


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the pattern family."""
    register(PatternRule)
