"""Pattern rules: spaCy token patterns, for wording that a word list cannot express."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


class _Regexes:
    """The regexes a rule's patterns need on one attribute, each value tried once for all.

    The values tried and those each regex matched are replaced, never emptied, when full,
    so a thread still holding the old sets sees them agree.
    """

    def __init__(self, strings: StringStore) -> None:
        self.strings = strings
        self.patterns: list[re.Pattern[str]] = []
        self.memo: tuple[set[int], list[set[int]]] = (set(), [])

    def add(self, regex: re.Pattern[str]) -> int:
        """Register a regex and return its index."""
        self.patterns.append(regex)
        self.memo[1].append(set())
        return len(self.patterns) - 1

    def matching(self, present: frozenset[int]) -> list[set[int]]:
        """Return, per regex, the values it matched, trying first those of `present` not seen."""
        tested, matching = self.memo
        unseen = present.difference(tested)
        if unseen:
            if len(tested) >= _MAX_TESTED:
                tested, matching = self.memo = (set(), [set() for _ in self.patterns])
                unseen = present
            strings = self.strings
            for value in unseen:
                text = strings[value]
                for regex, found in zip(self.patterns, matching, strict=True):
                    if regex.search(text):
                        found.add(value)
            tested.update(unseen)
        return matching


@dataclass(frozen=True)
class _Need:
    """A token a pattern cannot match without: an attribute's value in a set, or a regex on it."""

    attr: int
    values: frozenset[int] | None = None
    regex: int = -1  # the index of its regex in the rule's `_Regexes` of `attr`


class PatternRule(Rule):
    """Flags each longest match of the rule's token patterns."""

    family = "pattern"
    Spec = PatternSpec
    spec: PatternSpec

    def __init__(self, spec: PatternSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._matcher = Matcher(phrases.nlp.vocab, validate=True)
        self._matcher.add(spec.id, spec.patterns, greedy="LONGEST")
        self._regexes: dict[int, _Regexes] = {}
        strings = phrases.nlp.vocab.strings
        self._needs = [sorted(self._needs_of(pattern, strings), key=lambda n: n.values is None)
                       for pattern in spec.patterns]

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
        """Return whether every required token of some pattern occurs in the doc.

        Value needs come first in each pattern, so the regexes run only for a pattern whose
        listed words are all there, and then once per value for all the rule's regexes.
        """
        matched: dict[int, list[set[int]]] = {}
        for needs in self._needs:
            for need in needs:
                values = present[need.attr]
                if need.values is not None:
                    if need.values.isdisjoint(values):
                        break
                    continue
                found = matched.get(need.attr)
                if found is None:
                    found = matched[need.attr] = self._regexes[need.attr].matching(values)
                if found[need.regex].isdisjoint(values):
                    break
            else:
                return True
        return False

    def _needs_of(self, pattern: list[dict[str, Any]], strings: StringStore) -> Iterator[_Need]:
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
                    yield _Need(attr, values=frozenset({get_string_id(value)}))
                    continue
                if not isinstance(value, dict):
                    continue
                listed = value.get("IN")
                if isinstance(listed, list) and all(isinstance(v, str) for v in listed):
                    yield _Need(attr, values=frozenset(map(get_string_id, listed)))
                if isinstance(value.get("REGEX"), str):
                    regexes = self._regexes.setdefault(attr, _Regexes(strings))
                    yield _Need(attr, regex=regexes.add(re.compile(value["REGEX"])))


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the pattern family."""
    register(PatternRule)
