"""Pattern rules: spaCy token patterns, for wording that a word list cannot express."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field
from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher
from spacy.strings import StringStore, get_string_id

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec

_ATTRS = {"LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH}
_MAX_TESTED = 10_000


class PatternSpec(RuleSpec):
    """A pattern rule: one or more spaCy `Matcher` token patterns."""

    patterns: list[list[dict[str, Any]]] = Field(min_length=1)


@dataclass
class _Need:
    """A token a pattern cannot match without: an attribute's value in a set, or a regex on it."""

    attr: int
    strings: StringStore
    values: frozenset[int] | None = None
    regex: re.Pattern[str] | None = None
    # The values the regex was tried on, and those it matched: replaced, never emptied, when
    # full, so a thread still holding the old pair sees the two sets agree.
    memo: tuple[set[int], set[int]] = field(default_factory=lambda: (set(), set()))

    def met(self, present: frozenset[int]) -> bool:
        """Return whether a value of the attribute present in a doc satisfies the need."""
        if self.values is not None:
            return not self.values.isdisjoint(present)
        tested, matching = self.memo
        unseen = present.difference(tested)
        if unseen:
            if len(tested) >= _MAX_TESTED:
                tested, matching = self.memo = (set(), set())
                unseen = present
            strings, regex = self.strings, self.regex
            matching.update(value for value in unseen if regex.search(strings[value]))
            tested.update(unseen)
        return not matching.isdisjoint(present)


class PatternRule(Rule):
    """Flags each longest match of the rule's token patterns."""

    family = "pattern"
    Spec = PatternSpec
    spec: PatternSpec

    def __init__(self, spec: PatternSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._matcher = Matcher(phrases.nlp.vocab, validate=True)
        self._matcher.add(spec.id, spec.patterns, greedy="LONGEST")
        strings = phrases.nlp.vocab.strings
        self._needs = [list(_needs(pattern, strings)) for pattern in spec.patterns]

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield a finding per pattern match."""
        if not self._may_match(analysis.token_values):
            return
        for _, start, end in self._matcher(analysis.doc):
            span = analysis.doc[start:end]
            original = analysis.to_original(span.start_char, span.end_char)
            if not analysis.in_link(original):
                yield self.finding(analysis, span=original)

    def _may_match(self, present: dict[int, frozenset[int]]) -> bool:
        """Return whether every required token of some pattern occurs in the doc."""
        return any(all(need.met(present[need.attr]) for need in needs) for needs in self._needs)


def _needs(pattern: list[dict[str, Any]], strings: StringStore) -> Iterator[_Need]:
    """Yield the needs of the tokens a pattern requires (no `OP`, or `OP` "1" or "+")."""
    for token in pattern:
        spec = {key.upper(): value for key, value in token.items()}
        if spec.get("OP") not in (None, "1", "+"):
            continue
        for key, value in spec.items():
            attr = _ATTRS.get(key)
            if attr is None:
                continue
            if isinstance(value, str):
                yield _Need(attr, strings, values=frozenset({get_string_id(value)}))
                continue
            if not isinstance(value, dict):
                continue
            listed = value.get("IN")
            if isinstance(listed, list) and all(isinstance(v, str) for v in listed):
                yield _Need(attr, strings, values=frozenset(map(get_string_id, listed)))
            if isinstance(value.get("REGEX"), str):
                yield _Need(attr, strings, regex=re.compile(value["REGEX"]))


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the pattern family."""
    register(PatternRule)
