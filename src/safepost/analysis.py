"""A post analysed once and shared by every rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from spacy.tokens import Doc

from .matcher import Hit
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
    def link_spans(self) -> tuple[tuple[int, int], ...]:
        """Return the spans of links, e-mail addresses and mentions in the original text."""
        return tuple(self.to_original(start, end) for start, end in self.links)

    def _inside_link(self, norm_index: int) -> bool:
        return any(start <= norm_index < end for start, end in self.links)

    def in_link(self, span: tuple[int, int]) -> bool:
        """Return whether a span of the original text lies inside a link or address."""
        return any(start <= span[0] and span[1] <= end for start, end in self.link_spans)
