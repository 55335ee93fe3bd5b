"""Trend context: hashtags and names in a post resolved against what is trending, and why."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import Field

from ..analysis import Analysis, Hashtag
from ..hookspecs import hookimpl
from ..matcher import Hit, PhraseCompiler, Word
from ..models import Finding, Severity, TrendItem
from ..rule import Rule, RuleSpec, covers
from ..trends.hashtags import Reading, readings
from ..trends.resolve import TrendIndex, TrendMatch, index_for
from .terms import HEADLINE, _overlaps_any

MAX_EVIDENCE = 3
MAX_ITEMS = 10_000  # classified trend items kept per rule

_Why = tuple[tuple[str, ...], tuple[str, ...]]  # the topics a trend's news is about, the headlines


class TrendSpec(RuleSpec):
    """Which topic rules make a trend sensitive, and which lexicons show intent."""

    topics: list[str] = Field(min_length=1)
    promo: str = "lexicon.promo"
    sympathy: str = "lexicon.condolence"
    sympathy_severity: Severity = "low"


@dataclass(frozen=True)
class SensitiveMatch:
    """A trend the post refers to, with the headlines that make it sensitive."""

    match: TrendMatch
    span: tuple[int, int]
    topics: tuple[str, ...]
    headlines: tuple[str, ...]


class _TrendRule(Rule):
    Spec = TrendSpec
    spec: TrendSpec

    def __init__(self, spec: TrendSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._classified: dict[int, tuple[TrendItem, _Why | None]] = {}

    def sensitive_matches(self, analysis: Analysis) -> list[SensitiveMatch]:
        """Return the sensitive trends the post's hashtags and names refer to."""
        if analysis.trends is None or not analysis.trends.items:
            return []
        index = index_for(analysis.trends)
        found: list[SensitiveMatch] = []
        seen: set[str] = set()
        for match, span in _references(analysis, index):
            if match.item.term in seen:
                continue
            sensitive = self._why(analysis, match.item)
            if sensitive is not None:
                seen.add(match.item.term)
                found.append(SensitiveMatch(match, span, *sensitive))
        return found

    def _why(self, analysis: Analysis, item: TrendItem) -> _Why | None:
        """Return `_classify(item)`, worked out once per item: posts meet the same trends."""
        known = self._classified.get(id(item))
        if known is not None and known[0] is item:
            return known[1]
        why = self._classify(analysis, item)
        if len(self._classified) >= MAX_ITEMS:
            self._classified.clear()
        self._classified[id(item)] = (item, why)
        return why

    def _classify(self, analysis: Analysis, item: TrendItem) -> _Why | None:
        topics: dict[str, None] = {}
        headlines: list[str] = []
        texts = [c.title for c in item.context] + [c.summary for c in item.context if c.summary]
        term = item.term
        if item.kind == "hashtag":  # its best reading; the trend index asked the same, so cached
            term = " ".join(readings(item.term, limit=1)[0].words)
        texts.append(term)
        for text in texts:
            named = self._topics(analysis.annotate(text))
            if named:
                topics.update(dict.fromkeys(named))
                if text in (c.title for c in item.context) and len(headlines) < MAX_EVIDENCE:
                    headlines.append(text)
        return (tuple(topics), tuple(headlines)) if topics else None

    def _topics(self, hits: dict[str, list[Hit]]) -> list[str]:
        named = []
        for owner, owner_hits in hits.items():
            rule_id = owner.removeprefix(HEADLINE)
            if not any(covers(t, rule_id) for t in self.spec.topics):
                continue
            blockers = hits.get(f"unless:{rule_id}", [])
            if any(not _overlaps_any(h, blockers) for h in owner_hits):
                named.append(rule_id)
        return named

    def message_for(self, item: SensitiveMatch) -> str:
        """Fill the rule's message with the trend and why it is sensitive."""
        term = item.match.item.term
        topics = ", ".join(dict.fromkeys(t.split(".")[-1].replace("-", " ") for t in item.topics))
        message = self.spec.message.format(matched=item.match.query, term=term,
                                           suggestion=self.spec.suggestion or "")
        return f"{message} (news about {topics})."


class TrendHijackRule(_TrendRule):
    """A post uses a hashtag or name that trends because of a tragedy or conflict."""

    family = "trend-hijack"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Flag sensitive trends the post refers to, unless it sells (that is tragedy-promo)."""
        if analysis.has(self.spec.promo):
            return
        sympathy = analysis.has(self.spec.sympathy)
        for item in self.sensitive_matches(analysis):
            yield self.finding(
                analysis, span=item.span, message=self.message_for(item),
                severity=self.spec.sympathy_severity if sympathy else None,
                evidence=list(item.headlines) or [f"trending: {item.match.item.term}"])


class TragedyPromoRule(_TrendRule):
    """A post sells something while it refers to a sensitive trend."""

    family = "tragedy-promo"

    def __init__(self, spec: TrendSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self.needs = (spec.promo,)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Flag promotional posts that refer to a sensitive trend."""
        if not analysis.has(self.spec.promo):
            return
        for item in self.sensitive_matches(analysis):
            yield self.finding(
                analysis, span=item.span, message=self.message_for(item),
                evidence=list(item.headlines) or [f"trending: {item.match.item.term}"])


def _references(analysis: Analysis,
                index: TrendIndex) -> Iterator[tuple[TrendMatch, tuple[int, int]]]:
    for tag in analysis.hashtags:
        for match in index.match_tag(tag.body):
            yield match, tag.span
    for first, end in _names(analysis.tokens):
        for match in index.match_phrase([word.lower for word in analysis.tokens[first:end]]):
            yield match, _span(analysis, first, end)
    for first, end, match in index.find_phrases([word.compact for word in analysis.tokens]):
        yield match, _span(analysis, first, end)


def _names(tokens: list[Word]) -> Iterator[tuple[int, int]]:
    """Yield the [first, end) token ranges of runs of capitalised words ("Hurricane Sandy")."""
    first = None
    for i, word in enumerate(tokens):
        if word.name:
            if first is None:
                first = i
        elif first is not None:
            yield first, i
            first = None
    if first is not None:
        yield first, len(tokens)


def _span(analysis: Analysis, first: int, end: int) -> tuple[int, int]:
    """Return the span in the original text of the tokens [first, end)."""
    starts = analysis.token_starts
    return analysis.to_original(starts[first], starts[end - 1] + len(analysis.tokens[end - 1].text))


class HashtagSpec(RuleSpec):
    """Words that make a reading of a run-together hashtag unfortunate."""

    words: list[str] = Field(min_length=1)


class AmbiguousHashtagRule(Rule):
    """A run-together hashtag that can also be read as something unfortunate."""

    family = "hashtag-readings"
    Spec = HashtagSpec
    spec: HashtagSpec

    def __init__(self, spec: HashtagSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        self._words = frozenset(w.casefold() for w in spec.words)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Flag tags with more than one plausible reading when one of them says a risky word."""
        for tag in analysis.hashtags:
            finding = self._judge(analysis, tag)
            if finding is not None:
                yield finding

    def _judge(self, analysis: Analysis, tag: Hashtag) -> Finding | None:
        if tag.body != tag.body.lower() or len(tag.body) < 6:
            return None  # camelCase (or a short tag) already tells the reader where words end
        if not any(word in tag.body for word in self._words):
            return None  # every reading's words lie inside the tag, so none can say a risky word
        found = readings(tag.body, hidden_words=self._words)
        risky = [r for r in found if self._words.intersection(r.words)]
        if len(found) < 2 or not _unfortunate(found[0], risky, self._words):
            return None
        texts = [" ".join(r.words) for r in found]
        return self.finding(analysis, span=tag.span, term=" ".join(risky[0].words),
                            evidence=[f"can be read as “{t}”" for t in texts])


def _unfortunate(best: Reading, risky: list[Reading], words: frozenset[str]) -> bool:
    """Tell whether the risky readings change what the tag says.

    A risky word that only the other readings contain (#susanalbumparty), or two readings that
    both say it of different subjects (#nowthatcherisdead), is unfortunate; a risky word the
    intended reading already has, which the alternatives merely break up
    (#thewalkingdead → "de ad"), is not.
    """
    intended = words.intersection(best.words)
    return len(risky) >= 2 or any(words.intersection(r.words) - intended for r in risky)


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the trend-context families."""
    register(TrendHijackRule)
    register(TragedyPromoRule)
    register(AmbiguousHashtagRule)
