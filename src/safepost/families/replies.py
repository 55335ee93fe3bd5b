"""Replies to complaints: what a good reply says, what it must not say, and how fast it comes.

A post is a reply when `Post.in_reply_to` holds the customer's message or
`Post.metadata["kind"]` is `"reply"`. Checks that depend on what the customer wrote
(`complaint:` phrases, personal data) need `in_reply_to`; the others apply to every reply.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field, model_validator

from ..analysis import Analysis
from ..errors import InputError
from ..hookspecs import hookimpl
from ..matcher import Hit, PhraseCompiler
from ..models import Finding, Post
from ..rule import Rule, RuleSpec
from .terms import _overlaps_any

MEMORY_SIZE = 4096
ReplyKind = Literal["require", "avoid", "canned", "personal-data", "slow"]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Order and account numbers (#4821, ORD-48213, 48213) and phone numbers (+47 912 34 567).
_NUMBER = re.compile(
    r"(?<![\w#+@])(?:#\d{3,}|[^\W\d_]{1,4}-?\d{4,}|\+?\d[\d ()-]{5,}\d|\d{5,})(?![\w@])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_MENTION = re.compile(r"(?<!\w)@\w+")
_WORD = re.compile(r"\w+")


class ReplySpec(RuleSpec):
    """A reply rule: what a reply must say, must not say, must not copy or repeat, or how late."""

    kind: ReplyKind
    match: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    complaint: list[str] = Field(default_factory=list)
    complaint_data: bool = False
    contact: bool = False
    templates: list[str] = Field(default_factory=list)
    min_words: int = Field(6, ge=1)
    target: timedelta = Field(timedelta(hours=2), gt=timedelta(0))

    @model_validator(mode="after")
    def _needs_phrases(self) -> ReplySpec:
        if self.kind in ("require", "avoid") and not self.match:
            raise ValueError(f"a `{self.kind}` reply rule needs `match:` phrases")
        return self


def is_reply(post: Post) -> bool:
    """Return whether a post answers someone: `in_reply_to` is set or its kind is "reply"."""
    return bool(post.in_reply_to) or post.metadata.get("kind") == "reply"


def personal_data(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Return (comparison key, span) of each e-mail address, phone or order number in `text`."""
    found = [(m.group().casefold(), m.span()) for m in _EMAIL.finditer(text)]
    for match in _NUMBER.finditer(text):
        if any(s <= match.start() < e for _, (s, e) in found):
            continue
        key = re.sub(r"[\W_]", "", match.group()).casefold()
        if match.group().startswith("#") or sum(c.isdigit() for c in key) >= 5:
            found.append((key, match.span()))
    return found


def canonical(text: str) -> str:
    """Return a text's words, case-folded, without @mentions: what "word for word" compares."""
    return " ".join(_WORD.findall(_MENTION.sub(" ", text).casefold()))


def _sentences(text: str) -> list[str]:
    return [key for key in (canonical(s) for s in _SENTENCE_END.split(text)) if key]


class _Memory:
    """Remember, for recent reply texts, the first conversation each was sent in (thread-safe)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._first: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, text: str, thread: str, label: str) -> tuple[str, str]:
        """Record `text` as sent in `thread` unless seen; return its first (thread, label)."""
        with self._lock:
            first = self._first.setdefault(text, (thread, label))
            self._first.move_to_end(text)
            while len(self._first) > self._size:
                self._first.popitem(last=False)
            return first


class ReplyRule(Rule):
    """One check of a reply, chosen by the spec's `kind`."""

    family = "reply"
    Spec = ReplySpec
    spec: ReplySpec

    def __init__(self, spec: ReplySpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        phrases.add(spec.id, spec.match)
        phrases.add(f"unless:{spec.id}", spec.unless)
        phrases.add(f"complaint:{spec.id}", spec.complaint)
        self._templates = frozenset(s for t in spec.templates for s in _sentences(t))
        self._memory = _Memory(MEMORY_SIZE)
        self._checks: dict[str, Callable[[Analysis], Iterator[Finding]]] = {
            "require": self._require, "avoid": self._avoid, "canned": self._canned,
            "personal-data": self._personal_data, "slow": self._slow,
        }

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield the findings of this check when the post is a reply."""
        if is_reply(analysis.post):
            yield from self._checks[self.spec.kind](analysis)

    def _hits(self, analysis: Analysis) -> list[Hit]:
        blockers = analysis.hits.get(f"unless:{self.spec.id}", [])
        kept: list[Hit] = []
        longest_first = sorted(analysis.hits.get(self.spec.id, []),
                               key=lambda h: (h.start - h.end, h.start))
        for hit in longest_first:
            if not _overlaps_any(hit, blockers + kept) and not analysis.in_link(analysis.span(hit)):
                kept.append(hit)
        return sorted(kept, key=lambda h: h.start)

    def _applies(self, analysis: Analysis) -> bool:
        if not self.spec.complaint and not self.spec.complaint_data:
            return True
        complaint = analysis.post.in_reply_to
        if not complaint:
            return False
        if analysis.annotate(complaint).get(f"complaint:{self.spec.id}"):
            return True
        return self.spec.complaint_data and bool(personal_data(complaint))

    def _require(self, analysis: Analysis) -> Iterator[Finding]:
        if not self._applies(analysis) or self._hits(analysis):
            return
        if self.spec.contact and _offers_contact(analysis):
            return
        yield self.finding(analysis)

    def _avoid(self, analysis: Analysis) -> Iterator[Finding]:
        if self._applies(analysis):
            for hit in self._hits(analysis):
                yield self.finding(analysis, span=analysis.span(hit), term=hit.phrase.text)

    def _canned(self, analysis: Analysis) -> Iterator[Finding]:
        text = analysis.post.text
        sentences = _sentences(text)
        if sentences and all(s in self._templates for s in sentences):
            yield self.finding(analysis, evidence=["stock wording, word for word"])
            return
        key = canonical(text)
        thread = _thread_of(analysis.post)
        if thread is None or len(key.split()) < self.spec.min_words:
            return
        label = analysis.post.id or _clip(analysis.post.in_reply_to or "")
        first_thread, first_label = self._memory.first(key, thread, label)
        if first_thread != thread:
            yield self.finding(analysis,
                               evidence=[f"already sent word for word in reply to: {first_label}"])

    def _personal_data(self, analysis: Analysis) -> Iterator[Finding]:
        complaint = analysis.post.in_reply_to
        if not complaint:
            return
        theirs = {key for key, _ in personal_data(complaint)}
        for key, span in personal_data(analysis.post.text):
            if key in theirs or any(_same_number(key, other) for other in theirs):
                yield self.finding(analysis, span=span)

    def _slow(self, analysis: Analysis) -> Iterator[Finding]:
        raw = analysis.post.metadata.get("complaint_at")
        if raw is None:
            return
        late = analysis.publish_at - _aware(raw)
        if late > self.spec.target:
            hours, minutes = divmod(int(late.total_seconds()) // 60, 60)
            target = int(self.spec.target.total_seconds()) // 60
            yield self.finding(analysis, term=f"{hours}:{minutes:02d}",
                               evidence=[f"answered {hours}:{minutes:02d} after the complaint; "
                                         f"target {target // 60}:{target % 60:02d}"])


def _offers_contact(analysis: Analysis) -> bool:
    """Return whether the reply gives a link, or an e-mail address or phone not the customer's."""
    if any(t.like_url and not t.like_email for t in analysis.doc):
        return True
    theirs = {key for key, _ in personal_data(analysis.post.in_reply_to or "")}
    return any(key not in theirs and ("@" in key or sum(c.isdigit() for c in key) >= 7)
               for key, _ in personal_data(analysis.post.text))


def _same_number(a: str, b: str) -> bool:
    """Return whether two phone-number keys differ only by a country code."""
    shorter, longer = sorted((a, b), key=len)
    return shorter.isdigit() and longer.isdigit() and len(shorter) >= 7 and longer.endswith(shorter)


def _thread_of(post: Post) -> str | None:
    """Return what tells one conversation from another: the post's id and the complaint."""
    if post.id is None and not post.in_reply_to:
        return None
    return f"{post.id}|{canonical(post.in_reply_to or '')}"


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _aware(value: object) -> datetime:
    """Read `metadata["complaint_at"]`: an ISO-8601 string or datetime with a time zone."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(f"{value!r} is not an ISO-8601 time with a time zone, "
                         "e.g. 2026-03-01T09:00:00+01:00", key="metadata.complaint_at")
    return moment


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the reply family."""
    register(ReplyRule)
