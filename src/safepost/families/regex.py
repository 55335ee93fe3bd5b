"""Regex rules: patterns run with a time limit so a user's pattern cannot hang a check."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import regex
from pydantic import Field, field_validator

from ..analysis import Analysis
from ..errors import RuleError
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec

MATCH_TIMEOUT = 0.25
MATCH_TIME_PER_CHAR = 5e-6
MAX_TRIES = 8
MAX_PATTERN_LENGTH = 2_000
# VERSION1 turns on full case folding with IGNORECASE, which makes every pattern about ten
# times slower; simple folding (what `re` does) is enough for the words these rules match.
_SIMPLE_CASE = "(?-f)"
_T = TypeVar("_T")


def time_limit(text: str) -> float:
    """Return the seconds a rule's patterns may take on `text`: a floor plus a per-character share.

    Linear work on a long post stays within the limit; catastrophic backtracking does not.
    """
    return MATCH_TIMEOUT + len(text) * MATCH_TIME_PER_CHAR


class RegexSpec(RuleSpec):
    """A regex rule: patterns searched in the original text, case-insensitive by default."""

    patterns: list[str] = Field(min_length=1)
    ignore_case: bool = True
    unless: list[str] = Field(default_factory=list)
    #: Also report matches inside links, e-mail addresses and mentions: for rules whose
    #: subject is the address itself (privacy.email); every other rule leaves links alone.
    match_in_links: bool = False
    #: A short pattern that every match of `patterns` contains (say `\d{4}`): a post without
    #: it skips the rule, which saves running long patterns over every post.
    requires: str | None = None

    @field_validator("patterns", "unless")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            _check_pattern(pattern)
        return patterns

    @field_validator("requires")
    @classmethod
    def _compiles_one(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            _check_pattern(pattern)
        return pattern


def _check_pattern(pattern: str) -> None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"a pattern is limited to {MAX_PATTERN_LENGTH} characters")
    try:
        _compile(pattern, ignore_case=True)  # as most rules run it, so the rule reuses it
    except regex.error as exc:
        where = "" if exc.pos is None else f" at position {exc.pos - len(_SIMPLE_CASE)}"
        raise ValueError(f"invalid regular expression {pattern!r}: {exc.msg}{where}") from None


def _compile(pattern: str, *, ignore_case: bool) -> regex.Pattern[str]:
    """Compile a pattern as rules run it; `regex` keeps recent patterns, so twice is cheap."""
    return regex.compile(_SIMPLE_CASE + pattern,
                         regex.VERSION1 | (regex.IGNORECASE if ignore_case else 0))


class RegexRule(Rule):
    """Flags every match of the rule's patterns outside links (unless a link is the point)."""

    family = "regex"
    Spec = RegexSpec
    spec: RegexSpec

    def __init__(self, spec: RegexSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        case = spec.ignore_case
        self._patterns = [_compile(p, ignore_case=case) for p in spec.patterns]
        self._unless = [_compile(p, ignore_case=case) for p in spec.unless]
        self._requires = _compile(spec.requires, ignore_case=case) if spec.requires else None

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield a finding per match, bounded in time."""
        text = analysis.text if self.spec.match_in_links else analysis.text_without_links
        limit = time_limit(text)
        try:
            if self._requires is not None and not _search(self._requires, text, limit):
                return
            if any(_search(p, analysis.text, limit) for p in self._unless):
                return
            spans = [span for pattern in self._patterns for span in _spans(pattern, text, limit)]
        except TimeoutError as exc:
            raise RuleError(
                f"rule {self.id}: a pattern took longer than {limit:.2g} s; "
                "simplify it (nested repeats such as (a+)+ backtrack without end)"
            ) from exc
        for span in spans:
            if span[0] == span[1] or (not self.spec.match_in_links and analysis.in_link(span)):
                continue
            yield self.finding(analysis, span=span)


def _search(pattern: regex.Pattern[str], text: str, limit: float) -> bool:
    return _timed(lambda timeout: pattern.search(text, timeout=timeout) is not None, limit)


def _spans(pattern: regex.Pattern[str], text: str, limit: float) -> list[tuple[int, int]]:
    return _timed(lambda timeout: [m.span() for m in pattern.finditer(text, timeout=timeout)],
                  limit)


def _timed(run: Callable[[float], _T], limit: float) -> _T:
    """Return `run(limit)`; retry when the time went to other threads, not to this match.

    The `regex` timeout counts wall-clock time, and a thread of a shared Checker may wait
    for the interpreter while its match runs. Only a timeout in which this thread itself
    computed for half the limit is final, so a busy machine never costs a verdict.
    """
    for _ in range(MAX_TRIES - 1):
        spent = time.thread_time()
        try:
            return run(limit)
        except TimeoutError:
            if time.thread_time() - spent >= limit / 2:
                raise
    return run(limit)


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the regex family."""
    register(RegexRule)
