"""Tone that needs no words: shouting in capitals and piled-up punctuation.

Both checks are one step more severe in a reply, where the reader is a customer
who wrote to the brand and reads the answer as aimed at them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Literal

from pydantic import Field

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import SEVERITIES, Finding, Severity
from ..rule import Rule, RuleSpec
from .replies import is_reply

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_MARKS = "!?！？‼⁉⁈⁇"


class ToneSpec(RuleSpec):
    """A tone rule: `kind` picks the check, the other fields tune it."""

    kind: Literal["shouting", "punctuation"]
    threshold: float = Field(0.6, gt=0, lt=1)
    min_letters: int = Field(12, ge=1)
    max_acronym: int = Field(4, ge=0)
    caps_run: int = Field(3, ge=2)
    run: int = Field(3, ge=2)


class ToneRule(Rule):
    """Flags a post written mostly in capitals, or runs of `!` and `?`."""

    family = "tone"
    Spec = ToneSpec
    spec: ToneSpec

    def __init__(self, spec: ToneSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._piles = re.compile(f"[{re.escape(_MARKS)}]{{{spec.run},}}")

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield the findings of this rule's check, one step more severe in a reply."""
        severity = step_up(self.spec.severity) if is_reply(analysis.post) else self.spec.severity
        check = self._shouting if self.spec.kind == "shouting" else self._punctuation
        yield from check(analysis, severity)

    def _shouting(self, analysis: Analysis, severity: Severity) -> Iterator[Finding]:
        capitals = sum(map(str.isupper, analysis.text))
        if capitals <= self.spec.threshold * self.spec.min_letters:
            return  # too few capitals in the whole post to pass both limits
        if not _may_shout(analysis, capitals, self.spec.threshold):
            return
        words = counted_words(analysis, max_acronym=self.spec.max_acronym,
                              caps_run=self.spec.caps_run)
        letters = sum(_cased(w) for _, w in words)
        capitals = sum(sum(map(str.isupper, w)) for _, w in words)
        if letters < self.spec.min_letters or capitals / letters <= self.spec.threshold:
            return
        span = _longest_caps_run(words)
        yield self.finding(analysis, span=span, severity=severity,
                           evidence=[f"{capitals / letters:.0%} of {letters} letters are capitals"])

    def _punctuation(self, analysis: Analysis, severity: Severity) -> Iterator[Finding]:
        for match in self._piles.finditer(analysis.text):
            if not analysis.in_link(match.span()):
                yield self.finding(analysis, span=match.span(), severity=severity)


def _may_shout(analysis: Analysis, capitals: int, threshold: float) -> bool:
    """Tell whether the counted words could pass the threshold, from counts over the whole text.

    Leaving words out removes at most the letters of hashtags and links and one lower-case
    letter per short word, and there are fewer words than characters that are no letters.
    """
    text = analysis.text
    lower = sum(map(str.islower, text))
    skipped = sum(end - start for start, end in analysis.link_spans)
    skipped += sum(end - start for start, end in (tag.span for tag in analysis.hashtags))
    words = len(text) - capitals - lower + 1
    return capitals * (1 - threshold) > threshold * (lower - skipped - words)


def step_up(severity: Severity) -> Severity:
    """Return the next more severe level (critical stays critical)."""
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def counted_words(analysis: Analysis, *, max_acronym: int,
                  caps_run: int) -> list[tuple[int, str]]:
    """Return (offset, word) of the words that count towards shouting.

    Words of fewer than two cased letters, words in hashtags, mentions and links,
    and short all-caps words outside a run of `caps_run` all-caps words (acronyms
    such as USA or NEW) do not count.
    """
    words = _words(analysis)
    short_runs = {i for first, last in _caps_runs(words) if last - first < caps_run
                  for i in range(first, last)}
    return [word for index, word in enumerate(words)
            if not (index in short_runs and _cased(word[1]) <= max_acronym)]


def _words(analysis: Analysis) -> list[tuple[int, str]]:
    skip = sorted([h.span for h in analysis.hashtags] + list(analysis.link_spans))
    starts = [start for start, _ in skip]
    reach = list(accumulate((end for _, end in skip), max))  # furthest end so far
    words = []
    for match in _WORD.finditer(analysis.text):
        start = match.start()
        inside = bisect_right(starts, start) - 1
        if (inside < 0 or reach[inside] <= start) and _cased(match.group()) >= 2:
            words.append((start, match.group()))
    return words


def _caps_runs(words: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Return the [first, last) index ranges of consecutive all-caps words."""
    runs: list[tuple[int, int]] = []
    for index, (_, word) in enumerate(words):
        if not word.isupper():
            continue
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _longest_caps_run(words: list[tuple[int, str]]) -> tuple[int, int] | None:
    spans = [(words[first][0], words[last - 1][0] + len(words[last - 1][1]))
             for first, last in _caps_runs(words)]
    return max(spans, key=lambda span: span[1] - span[0], default=None)


def _cased(word: str) -> int:
    if word.isascii():
        return len(word) - word.count("'")  # ASCII letters are all cased
    return sum(map(str.isupper, word)) + sum(map(str.islower, word))


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the tone family."""
    register(ToneRule)
