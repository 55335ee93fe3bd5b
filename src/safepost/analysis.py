"""A post analysed once and shared by every rule."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc

from .matcher import Hit, Word
from .models import Post, TrendSnapshot, TrendStatus
from .text import NormalizedText

_HASHTAG = re.compile(r"(?<![\w&])[#＃]([^\W_][\w]*)")


@dataclass(frozen=True)
class Hashtag:
    """A hashtag of the post: its text with `#`, its body, and its span in `Post.text`."""

    text: str
    body: str
    span: tuple[int, int]


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything rules need about one post, computed once."""

    post: Post
    lang: str
    publish_at: datetime
    norm: NormalizedText
    doc: Doc
    hits: dict[str, list[Hit]]
    links: tuple[tuple[int, int], ...]
    tokens: list[Word]  # every token of `doc`, spaces too, as the phrase matcher saw it
    token_starts: list[int]  # the offset of each token in the normalized text
    annotate: Callable[[str], dict[str, list[Hit]]]
    trends: TrendSnapshot | None = None
    trend_status: TrendStatus = "none"

    @property
    def text(self) -> str:
        """Return the original text of the post."""
        return self.post.text

    def span(self, hit: Hit) -> tuple[int, int]:
        """Return the span of a hit in the original text."""
        return self.norm.to_original(hit.char_start, hit.char_end)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a character span of the normalized text to the original text."""
        return self.norm.to_original(start, end)

    def has(self, owner: str) -> bool:
        """Return whether any phrase registered under `owner` matched."""
        return bool(self.hits.get(owner))

    @cached_property
    def hashtags(self) -> tuple[Hashtag, ...]:
        """Return the post's hashtags in order of appearance."""
        found = []
        for match in _HASHTAG.finditer(self.norm.text):
            if self._inside_link(match.start()):
                continue
            start, end = self.to_original(match.start(), match.end())
            found.append(Hashtag(match.group(0), match.group(1), (start, end)))
        return tuple(found)

    @cached_property
    def token_values(self) -> dict[int, frozenset[int]]:
        """Return, for the ORTH and LOWER attributes, the set of values the doc's tokens have."""
        values = self.doc.to_array([ORTH, LOWER])
        return {ORTH: frozenset(values[:, 0].tolist()), LOWER: frozenset(values[:, 1].tolist())}

    @cached_property
    def link_spans(self) -> tuple[tuple[int, int], ...]:
        """Return the spans of links, e-mail addresses and mentions in the original text."""
        return tuple(self.to_original(start, end) for start, end in self.links)

    @cached_property
    def text_without_links(self) -> str:
        """Return the original text with links, e-mail addresses and mentions blanked out.

        Offsets are those of `text`: each blanked character becomes a space.
        """
        text = self.post.text
        pieces, done = [], 0
        for start, end in sorted(self.link_spans):
            start = max(start, done)  # a mention inside a link is blanked once
            if end > start:
                pieces += [text[done:start], " " * (end - start)]
                done = end
        pieces.append(text[done:])
        return "".join(pieces)

    def _inside_link(self, norm_index: int) -> bool:
        starts, reach = self._norm_link_index
        before = bisect.bisect_right(starts, norm_index)
        return before > 0 and reach[before - 1] > norm_index

    def in_link(self, span: tuple[int, int]) -> bool:
        """Return whether a span of the original text lies inside a link or address."""
        starts, reach = self._link_index
        before = bisect.bisect_right(starts, span[0])
        return before > 0 and reach[before - 1] >= span[1]

    @cached_property
    def _link_index(self) -> tuple[list[int], list[int]]:
        return _reach(self.link_spans)

    @cached_property
    def _norm_link_index(self) -> tuple[list[int], list[int]]:
        return _reach(self.links)


def _reach(spans: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Return the starts of `spans` in order, and the furthest end of the spans up to each.

    A span lies inside one of `spans` when one that starts before it reaches past its end:
    a bisection instead of a scan, so a post with thousands of links stays fast.
    """
    ordered = sorted(spans)
    return [start for start, _ in ordered], list(itertools.accumulate((e for _, e in ordered), max))
