"""Disclosure of sponsored posts: present, clear, and where readers see it.

Follows the FTC's guidance for endorsements on social media: a clear word
(#ad, "Paid partnership"), above the platform's "more" cut, and not lost in a
string of hashtags at the end. Only posts with `Post.sponsored` set are checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import Hit, PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec
from .terms import _longest_first


class DisclosureSpec(RuleSpec):
    """A disclosure rule: the clear and the weak wording, and each channel's fold."""

    kind: Literal["missing", "weak", "buried"]
    match: list[str] = Field(min_length=1)
    weak: list[str] = Field(default_factory=list)
    thanks: list[str] = Field(default_factory=list)
    folds: dict[str, int | None] = Field(default_factory=dict)
    default_fold: int | None = Field(None, ge=1)
    cluster: int = Field(3, ge=2)


class DisclosureRule(Rule):
    """One check of a sponsored post's disclosure, chosen by the spec's `kind`.

    The kinds split the cases: `missing` when neither clear nor weak wording is
    there, `weak` when only weak wording is, `buried` when clear wording is there
    but nowhere a reader sees it first.
    """

    family = "disclosure"
    Spec = DisclosureSpec
    spec: DisclosureSpec

    def __init__(self, spec: DisclosureSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        phrases.add(f"clear:{spec.id}", spec.match)
        phrases.add(f"weak:{spec.id}", spec.weak)
        phrases.add(f"thanks:{spec.id}", spec.thanks)
        self._folds = {channel.casefold(): fold for channel, fold in spec.folds.items()}

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield the finding of this rule's case when the post is sponsored."""
        if not analysis.post.sponsored:
            return
        clear = self._spans(analysis, "clear")
        weak = sorted(self._spans(analysis, "weak") + self._thanks(analysis))
        if self.spec.kind == "missing" and not clear and not weak:
            yield self.finding(analysis)
        elif self.spec.kind == "weak" and not clear:
            for span in weak:
                yield self.finding(analysis, span=span)
        elif self.spec.kind == "buried" and clear:
            yield from self._buried(analysis, clear)

    def _buried(self, analysis: Analysis, clear: list[tuple[int, int]]) -> Iterator[Finding]:
        fold = self.fold(analysis.post.channel)
        start, count = trailing_cluster(analysis) or (len(analysis.text), 0)
        if count < self.spec.cluster:
            start = len(analysis.text)
        places = [(span, fold is not None and span[1] > fold, span[0] >= start) for span in clear]
        if any(not late and not tucked for _, late, tucked in places):
            return
        span, late, tucked = places[0]
        evidence = []
        if late:
            evidence.append(f"after the first {fold} characters shown on "
                            f"{analysis.post.channel or 'most feeds'} before “more”")
        if tucked:
            evidence.append(f"inside a closing group of {count} hashtags, mentions or links")
        yield self.finding(analysis, span=span, evidence=evidence)

    def fold(self, channel: str | None) -> int | None:
        """Return how many characters `channel` shows before "more" (None: the whole post)."""
        if channel is None:
            return self.spec.default_fold
        return self._folds.get(channel.casefold(), self.spec.default_fold)

    def _spans(self, analysis: Analysis, group: str) -> list[tuple[int, int]]:
        hits = analysis.hits.get(f"{group}:{self.spec.id}", [])
        return sorted(analysis.span(hit) for hit in hits)

    def _thanks(self, analysis: Analysis) -> list[tuple[int, int]]:
        """Return the spans of a thank-you followed by an @mention ("Thanks @brand")."""
        mentions = {t.i: t for t in analysis.doc if t.text.startswith("@") and len(t.text) > 1}
        spans = []
        for hit in _longest_first(analysis.hits.get(f"thanks:{self.spec.id}", [])):
            mention = _next_word(analysis, hit)
            if mention is not None and mention in mentions:
                token = mentions[mention]
                spans.append(analysis.to_original(hit.char_start, token.idx + len(token.text)))
        return spans


def _next_word(analysis: Analysis, hit: Hit) -> int | None:
    """Return the doc index of the word after a hit, past one punctuation mark ("Thanks, @x")."""
    words = [t for t in analysis.doc if not t.is_space]
    if hit.end >= len(words):
        return None
    following = words[hit.end]
    if following.is_punct and hit.end + 1 < len(words):
        following = words[hit.end + 1]
    return following.i


def trailing_cluster(analysis: Analysis) -> tuple[int, int] | None:
    """Return (start, count) of the hashtags, mentions and links that close the post.

    Items count as one group when only spaces, punctuation or emoji stand between
    them and the end of the post; None when the post does not end with one.
    """
    items = sorted([h.span for h in analysis.hashtags] + list(analysis.link_spans), reverse=True)
    text = analysis.text
    end, start, count = len(text), None, 0
    for item_start, item_end in items:
        if item_end > end or any(c.isalnum() for c in text[item_end:end]):
            break
        start, end, count = item_start, item_start, count + 1
    return (start, count) if start is not None else None


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the disclosure family."""
    register(DisclosureRule)
