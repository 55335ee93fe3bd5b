"""Read a run-together hashtag as words: its camelCase, its likely splits, its hidden words.

A tag can be read several ways (#therapistfinder: "therapist finder", "the rapist finder"),
and the unlucky reading is the one that embarrasses a brand, so `readings` returns every
plausible one with its provenance and its log10 gap to the best. Dictionary readings come
from a k-best search over wordsegment's unigram/bigram model (Google Web Trillion Word
Corpus subset, shipped in its wheel), loaded lazily and once per process.
"""

from __future__ import annotations

import heapq
import math
import threading
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import regex

if TYPE_CHECKING:
    from wordsegment import Segmenter

# Latin letters that NFD does not decompose, folded as Mastodon's HashtagNormalizer
# (Lucene ASCII folding) does, so a snapshot's keys and a draft's tags agree.
_LATIN_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "đ": "d", "þ": "th", "ł": "l", "ħ": "h", "ı": "i"}
)
_CAMEL = regex.compile(
    r"\p{Lu}+\p{M}*(?=\p{Lu}\p{Ll})|\p{Lu}?\p{M}*(?:\p{Ll}\p{M}*)+|(?:\p{Lu}\p{M}*)+"
    r"|\p{Nd}+|(?:\p{L}\p{M}*)+"
)
_SEGMENTABLE = regex.compile(r"[a-z0-9]+")
_ASCII_SIGNS = str.maketrans("", "", "".join(
    chr(c) for c in range(128) if not chr(c).isalnum()))  # what an ASCII key drops
_SINGLE_LETTER_WORDS = frozenset("ai")
_MAX_WORD = 24  # wordsegment's own limit on the length of one word
_MAX_SPLIT = 140  # longer than any real hashtag; the search costs ~0.1 ms per character

Source = Literal["camel", "dictionary", "lexicon"]
_Path = tuple[float, tuple[str, ...]]


@dataclass(frozen=True)
class Reading:
    """One way to read a tag: its words, where the split came from, its log10 gap to the best."""

    words: tuple[str, ...]
    source: Source
    delta: float

    @property
    def text(self) -> str:
        """Return the words joined by spaces."""
        return " ".join(self.words)


@lru_cache(maxsize=16384)
def norm_key(s: str) -> str:
    """Return the compact matching key of a tag or phrase.

    NFKC, casefold, drop combining marks on Latin letters (``pokémon`` → ``pokemon``,
    ``blåmandag`` → ``blamandag``) and fold the Latin letters NFD leaves whole
    (``Ødegaard`` → ``odegaard``, ``Æ`` → ``ae``), then keep letters and digits only
    (``9/11`` → ``911``, ``mother's day`` → ``mothersday``). Other scripts keep their
    marks: Cyrillic ``й`` stays ``й``.
    """
    text = unicodedata.normalize("NFKC", s).casefold()
    if text.isascii():
        return text.translate(_ASCII_SIGNS)
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", _strip_latin_marks(text)).translate(_LATIN_FOLD):
        if char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif char.isalnum() or (kept and unicodedata.category(char).startswith("M")):
            kept.append(char)
    return "".join(kept)


def _strip_latin_marks(text: str) -> str:
    out: list[str] = []
    latin_base = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not latin_base:
                out.append(char)
            continue
        latin_base = char.isascii() or _is_latin(char)
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=4096)
def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")


def readings(
    tag: str,
    *,
    hidden_words: Collection[str] = (),
    max_delta: float = 4.0,
    limit: int = 6,
) -> tuple[Reading, ...]:
    """Return the plausible readings of a hashtag, deduplicated, best first.

    :param tag: the tag, with or without its ``#``.
    :param hidden_words: sensitive words to look for inside the tag; each one found whose
        remainder splits into known words (a stray possessive ``s`` allowed) adds a
        ``lexicon`` reading whatever its gap.
    :param max_delta: keep dictionary readings at most this many log10 units below the best.
    :param limit: at most this many dictionary readings; camel and lexicon readings come on top.

    A mixed-case tag adds its camelCase split. A tag with letters outside a–z (Cyrillic,
    æøå, accents) is not English, so it gets its camel split or whole-tag reading only, as
    does one of more than 140 characters. A tag nothing splits into known words gets its
    whole-tag reading, so the result is empty only for a tag without letters or digits.
    Best first means the author's own camelCase split when all its parts are known words
    (#NowThatChersDead), then by gap.
    """
    return _readings(tag, tuple(hidden_words), max_delta, limit)


@lru_cache(maxsize=4096)
def _readings(
    tag: str, hidden_words: tuple[str, ...], max_delta: float, limit: int
) -> tuple[Reading, ...]:
    parts = tuple(part.casefold() for part in _CAMEL.findall(unicodedata.normalize("NFKC", tag)))
    if not parts:
        return ()
    compact = "".join(parts)
    if len(compact) > _MAX_SPLIT or not _SEGMENTABLE.fullmatch(compact):
        return (Reading(parts, "camel", 0.0),)
    model = _segmenter()
    scored: dict[tuple[str, ...], tuple[float, Source]] = {}
    if len(parts) > 1:
        scored[parts] = (_score(parts), "camel")
    split = _k_best(compact, limit)
    for score, words in split:
        if split[0][0] - score <= max_delta:
            scored.setdefault(words, (score, "dictionary"))
    for words in _hidden_readings(compact, hidden_words):
        scored.setdefault(words, (_score(words), "lexicon"))
    if not scored:
        scored[(compact,)] = (_score((compact,)), "camel")
    best = max(score for score, _ in scored.values())
    found = (Reading(words, src, round(best - score, 2)) for words, (score, src) in scored.items())
    trusted = parts if all(_known(model, part, allow_s=False) for part in parts) else None
    return tuple(sorted(found, key=lambda reading: (reading.words != trusted, reading.delta)))


def _hidden_readings(compact: str, hidden_words: Collection[str]) -> Iterator[tuple[str, ...]]:
    for hidden in hidden_words:
        tokens = tuple(key for part in hidden.split() if (key := norm_key(part)))
        needle = "".join(tokens)
        start = compact.find(needle) if needle else -1
        while start >= 0:
            left = _best_split(compact[:start])
            right = _best_split(compact[start + len(needle) :])
            if left is not None and right is not None:
                yield left + tokens + right
            start = compact.find(needle, start + 1)


def _best_split(text: str) -> tuple[str, ...] | None:
    if not text:
        return ()
    best = _k_best(text, 1, allow_s=True)
    return best[0][1] if best else None


@lru_cache(maxsize=4096)
def _k_best(text: str, k: int, *, allow_s: bool = False) -> tuple[_Path, ...]:
    """Return the k best splits of `text` into known words as (log10 score, words), best first.

    The state is (end position, last word) because the bigram score of the next word depends
    on the last one; keeping the k best paths per state makes the result exact. A word that
    no state's last word forms a bigram with scores the same after each of them, so it
    extends only the k best paths into its position. A digit run is one word, never split.
    """
    model = _segmenter()
    bigrams = model.bigrams
    n = len(text)
    beams: list[dict[str | None, list[_Path]]] = [{} for _ in range(n + 1)]
    beams[0][None] = [(0.0, ())]
    for i in range(n):
        states = beams[i]
        if not states or _inside_number(text, i):
            continue
        best = heapq.nlargest(k, (path for paths in states.values() for path in paths))
        for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
            word = text[i:j]
            if _inside_number(text, j) or not _known(model, word, allow_s):
                continue
            paired = [last for last in states if last is not None and f"{last} {word}" in bigrams]
            plain = best if not paired else heapq.nlargest(
                k, (path for last, paths in states.items() if last not in paired for path in paths))
            step = _log_score(word, None)
            found = [(score + step, words + (word,)) for score, words in plain]
            for last in paired:
                step = _log_score(word, last)
                found += [(score + step, words + (word,)) for score, words in states[last]]
            beams[j][word] = heapq.nlargest(k, found) if len(found) > k else found
    return tuple(heapq.nlargest(k, (path for paths in beams[n].values() for path in paths)))


def _inside_number(text: str, i: int) -> bool:
    return 0 < i < len(text) and text[i - 1].isdigit() and text[i].isdigit()


def _known(model: Segmenter, word: str, allow_s: bool) -> bool:
    if word.isdigit():
        return True
    if len(word) == 1:
        return word in _SINGLE_LETTER_WORDS or (allow_s and word == "s")
    return word in model.unigrams


def _score(words: tuple[str, ...]) -> float:
    previous: str | None = None
    total = 0.0
    for word in words:
        total += _log_score(word, previous)
        previous = word
    return total


@lru_cache(maxsize=65536)
def _log_score(word: str, previous: str | None) -> float:
    """Return the log10 probability of `word` after `previous`, as the model scores it."""
    return math.log10(_segmenter().score(word, previous))


_LOAD_LOCK = threading.Lock()
_model: Segmenter | None = None


def _segmenter() -> Segmenter:
    """Return the loaded wordsegment model, loading it on first use (about 0.7 s, 95 MB)."""
    global _model
    if _model is None:
        with _LOAD_LOCK:
            if _model is None:
                from wordsegment import Segmenter

                model = Segmenter()
                model.load()
                _model = model
    return _model
