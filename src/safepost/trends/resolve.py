"""Find the trending items a post's hashtags and key phrases refer to.

The policy, measured in research/trends.md §3: exact compact keys first; then token
containment at word boundaries between any reading of a tag and an item's words, so
#aurora meets "Aurora shooting" but "ai" never meets "maine"; then typo tolerance with
plain `fuzz.ratio` on long, digit-free keys only. `partial_ratio` and `WRatio` score any
short tag inside a longer string at 90–100, so they are never used.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from ..models import TrendItem, TrendSnapshot
from . import hashtags
from .hashtags import Reading, norm_key

# Words that carry no topic on their own: a run made only of these never matches.
# fmt: off
_STOPWORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "not", "no", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that",
    "these", "those", "my", "your", "our", "their", "his", "her", "we", "you", "they", "i", "me",
    "us", "s", "rt", "all", "new", "now", "today", "day", "days", "night", "week", "year", "time",
})
# fmt: on
_FUZZY_CUTOFF = 90.0
_TOKEN_SET_CUTOFF = 90.0
_MIN_FUZZY_KEY = 6
_MAX_EXACT_ONLY_KEY = 4
_WORD_BREAK = re.compile(r"[\s_]+")
_STAGES = {"exact": 0, "segmented": 1, "fuzzy": 2}
_MAX_REMEMBERED = 8192

How = Literal["exact", "segmented", "fuzzy"]


@dataclass(frozen=True)
class TrendMatch:
    """A trending item a tag or phrase of the post refers to, and how it was found."""

    item: TrendItem
    how: How
    score: float
    query: str
    reading: Reading | None = None


@dataclass(frozen=True)
class _Entry:
    key: str
    tokens: tuple[str, ...]


class TrendIndex:
    """The items of one snapshot, keyed for exact, word-level and fuzzy lookup."""

    def __init__(self, snapshot: TrendSnapshot) -> None:
        """Precompute every item's key and words, and the word → items index."""
        self.snapshot = snapshot
        self._entries = tuple(_entry(item) for item in snapshot.items)
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        by_token: defaultdict[str, list[int]] = defaultdict(list)
        by_run: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, entry in enumerate(self._entries):
            by_key[entry.key].append(i)
            for token in set(entry.tokens) - _STOPWORDS:
                by_token[token].append(i)
            if _is_phrase(entry.tokens):
                by_run[entry.tokens].append(i)
        self._by_key, self._by_token, self._by_run = dict(by_key), dict(by_token), dict(by_run)
        by_first: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
        for run in self._by_run:
            by_first[run[0]].append(run)
        self._runs_by_first = dict(by_first)
        self._words = _trie(self._by_token)
        self._fuzzy_keys = sorted((key for key in self._by_key if _fuzzy_ok(key)), key=len)
        self._fuzzy_lengths = [len(key) for key in self._fuzzy_keys]
        self._found: dict[tuple[object, ...], list[TrendMatch]] = {}

    def __len__(self) -> int:
        """Return the number of items."""
        return len(self._entries)

    def match_tag(self, tag: str, readings: Sequence[Reading] | None = None) -> list[TrendMatch]:
        """Return the items a hashtag refers to, best first.

        :param tag: the tag as written, with or without ``#``.
        :param readings: the tag's readings; any of them may match an item's words, and the
            match records which one did. None: `hashtags.readings(tag)`, worked out only
            when some item could match one of them.

        A tag of four characters or fewer, or one with digits, matches exactly or not at all.
        """
        key = norm_key(tag)
        runs = None if readings is None else tuple(readings)

        def token_runs() -> list[tuple[Reading | None, tuple[str, ...]]]:
            found = runs
            if found is None:
                found = hashtags.readings(tag) if self._may_meet_an_item(key) else ()
            return [(reading, _tokens(reading.words)) for reading in found]

        return self._remembered(("tag", tag, runs), lambda: self._match(tag, key, token_runs))

    def match_phrase(self, words: Sequence[str]) -> list[TrendMatch]:
        """Return the items a word or short run of words of the post refers to, best first.

        "Boston" finds "Boston Marathon explosions" and #BostonMarathon; "ai" finds only an
        item that is "AI" itself.
        """
        query = " ".join(words)
        return self._remembered(("phrase", query), lambda: self._match_phrase(query))

    def find_phrases(self, words: Sequence[str]) -> Iterator[tuple[int, int, TrendMatch]]:
        """Yield (first, end, match) for each run of the post's words that is a whole item.

        Only items of two or more words count, and not only capitalised ones: "boots on
        the ground" in running text is the trending phrase. `words` are the post's words
        as `norm_key` keys, with "" where punctuation breaks a run.
        """
        items, runs_by_first = self.snapshot.items, self._runs_by_first
        found = [(first, run) for first, word in enumerate(words)
                 for run in runs_by_first.get(word, ())
                 if tuple(words[first : first + len(run)]) == run]
        for first, run in sorted(found, key=lambda pair: len(pair[1])):
            for i in self._by_run[run]:
                yield first, first + len(run), TrendMatch(items[i], "exact", 100.0, " ".join(run))

    def _match_phrase(self, query: str) -> list[TrendMatch]:
        tokens = _tokens(_WORD_BREAK.split(query))
        return self._match(query, "".join(tokens), lambda: [(None, tokens)])

    def _may_meet_an_item(self, key: str) -> bool:
        """Tell whether some reading of a compact tag could meet an item's words.

        A necessary condition, checked without splitting the tag: an item that shares a word
        with the tag, and either holds the whole tag or has at least as many of its letters
        inside the tag as outside (token_set_ratio stays below the cutoff otherwise).
        """
        if not key.isascii():
            return True
        by_token = self._by_token
        candidates = {i for token in _words_inside(key, self._words) for i in by_token[token]}
        for i in candidates:
            entry = self._entries[i]
            if key in entry.key:
                return True
            shared = sum(len(word) for word in entry.tokens if word in key)
            if 2 * shared >= sum(map(len, entry.tokens)):
                return True
        return False

    def _remembered(
        self, key: tuple[object, ...], find: Callable[[], list[TrendMatch]]
    ) -> list[TrendMatch]:
        """Return `find()`, computed once per key: posts repeat the same tags and names."""
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= _MAX_REMEMBERED:
                self._found.clear()
            found = self._found[key] = find()
        return list(found)

    def _match(
        self, query: str, key: str,
        token_runs: Callable[[], Iterable[tuple[Reading | None, tuple[str, ...]]]],
    ) -> list[TrendMatch]:
        if not key:
            return []
        items = self.snapshot.items
        found = {i: TrendMatch(items[i], "exact", 100.0, query) for i in self._by_key.get(key, ())}
        if len(key) > _MAX_EXACT_ONLY_KEY and not _has_digit(key):
            for reading, tokens in token_runs():
                for i, score in self._contained(tokens):
                    if i not in found or score > found[i].score:
                        found[i] = TrendMatch(items[i], "segmented", score, query, reading)
            for i, score in self._fuzzy(key):
                found.setdefault(i, TrendMatch(items[i], "fuzzy", score, query))
        return sorted(found.values(), key=_order)

    def _contained(self, tokens: tuple[str, ...]) -> list[tuple[int, float]]:
        if all(token in _STOPWORDS for token in tokens):
            return []
        by_token = self._by_token
        candidates = {i for token in set(tokens) - _STOPWORDS for i in by_token.get(token, ())}
        text = " ".join(tokens)
        hits = []
        for i in sorted(candidates):
            other = self._entries[i].tokens
            if _is_run(tokens, other) or _is_run(other, tokens):
                hits.append((i, 100.0))  # token_set_ratio of a contained run
            elif min(len(tokens), len(other)) >= 2:
                score = fuzz.token_set_ratio(text, " ".join(other), processor=None)
                if score >= _TOKEN_SET_CUTOFF:
                    hits.append((i, score))
        return hits

    def _fuzzy(self, key: str) -> list[tuple[int, float]]:
        if not _fuzzy_ok(key):
            return []
        # ratio >= 90 needs 9 * longer <= 11 * shorter, so only a band of lengths can match.
        size = len(key)
        low = bisect_left(self._fuzzy_lengths, (9 * size + 10) // 11)
        high = bisect_right(self._fuzzy_lengths, 11 * size // 9)
        near = process.extract(
            key,
            self._fuzzy_keys[low:high],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=_FUZZY_CUTOFF,
            limit=None,
        )
        return [(i, score) for other, score, _ in near for i in self._by_key[other]]


def _entry(item: TrendItem) -> _Entry:
    if item.kind == "phrase" or _WORD_BREAK.search(item.term):
        words: Sequence[str] = _WORD_BREAK.split(item.term)
    else:
        found = hashtags.readings(item.term, limit=1)
        # The author's capitals are the item's words, even names the dictionary does not
        # know (#KotaRamu is "kota ramu", never "ko ta ra mu").
        words = next((r.words for r in found if r.source == "camel"), found[0].words)
    return _Entry(norm_key(item.term), _tokens(words))


def _tokens(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(key for word in words if (key := norm_key(word)))


def _is_phrase(tokens: tuple[str, ...]) -> bool:
    """Tell whether an item's words are a phrase that running text may contain as it is."""
    return len(tokens) >= 2 and any(len(t) >= 3 and t not in _STOPWORDS for t in tokens)


def _is_run(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    """Return whether `inner` occurs in `outer` as a contiguous run of whole words."""
    size = len(inner)
    starts = range(len(outer) - size + 1)
    return size > 0 and any(outer[i : i + size] == inner for i in starts)


def _trie(words: Iterable[str]) -> dict[str, dict]:
    """Return the words as nested dicts by letter; the key "" holds the word that ends there."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = word  # type: ignore[assignment]
    return root


def _words_inside(text: str, trie: dict[str, dict]) -> set[str]:
    """Return the words of a `_trie` that occur anywhere inside `text`."""
    found = set()
    size = len(text)
    for start in range(size):
        node, position = trie, start
        while position < size:
            node = node.get(text[position])
            if node is None:
                break
            position += 1
            word = node.get("")
            if word is not None:
                found.add(word)
    return found


def _has_digit(key: str) -> bool:
    return not key.isalpha() and any(char.isdigit() for char in key)  # letters only: no digit


def _fuzzy_ok(key: str) -> bool:
    return len(key) >= _MIN_FUZZY_KEY and not _has_digit(key)


def _order(match: TrendMatch) -> tuple[int, float, float, int]:
    rank = match.item.rank
    delta = match.reading.delta if match.reading else 0.0
    return _STAGES[match.how], -match.score, delta, rank if rank is not None else 1 << 30


_CACHE_SIZE = 8
_cache: OrderedDict[int, TrendIndex] = OrderedDict()
_cache_lock = threading.Lock()


def index_for(snapshot: TrendSnapshot) -> TrendIndex:
    """Return the index of a snapshot, reusing the one built for the same snapshot object.

    The last few indexes are kept; each holds its snapshot, so an id is never reused while
    its entry lives.
    """
    with _cache_lock:
        index = _cache.get(id(snapshot))
        if index is not None and index.snapshot is snapshot:
            _cache.move_to_end(id(snapshot))
            return index
    index = TrendIndex(snapshot)
    with _cache_lock:
        _cache[id(snapshot)] = index
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index
