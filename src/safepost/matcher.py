"""One pass over a post's tokens finds every phrase of every term rule.

Phrases are compiled once per language into dictionaries keyed by their first
token, so the cost per post grows with its length, not with the number of terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from spacy.attrs import IDX, LEMMA, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Token

from .text import evasion_keys, mask_pattern
from .trends.hashtags import norm_key

_COMPACT = re.compile(r"[\W_]+")
_ATTRS = [ORTH, LEMMA, IDX, SPACY]
_PLAIN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
_MAX_LEXES = 10_000


@dataclass(frozen=True)
class Phrase:
    """A phrase as compiled: token keys, each an exact key or a stem (``word*``)."""

    owner: str
    text: str
    keys: tuple[tuple[str, bool], ...]
    evasion: bool


@dataclass(frozen=True)
class Hit:
    """Where a phrase matched: token range and character span in the normalized text."""

    phrase: Phrase
    start: int
    end: int
    char_start: int
    char_end: int


def is_url_like(token: Token) -> bool:
    """Return whether a token is a link, e-mail address or @mention, never matched as words."""
    text = token.text
    return bool(token.like_url or token.like_email or (text.startswith("@") and len(text) > 1))


def token_keys(token: Token) -> tuple[str, ...]:
    """Return the surface and lemma keys of a token (a hashtag also by its body)."""
    lower = token.lower_
    keys = [lower]
    lemma = token.lemma_
    if lemma and lemma.lower() != lower:
        keys.append(lemma.lower())
    if lower[:1] in "#＃" and len(lower) > 1:
        keys.append(lower[1:])
    return tuple(keys)


class PhraseCompiler:
    """Collects the phrases of all term rules of one language, then builds a matcher."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._phrases: list[Phrase] = []
        self._special_cases = nlp.tokenizer.rules or {}

    def add(self, owner: str, phrases: Iterable[str], *, evasion: bool = False) -> list[Phrase]:
        """Register phrases under an owner (a rule id, or a derived name such as ``unless:ID``)."""
        added = []
        for text in phrases:
            keys = tuple(self._keys(text))
            if not keys:
                raise ValueError(f"the phrase {text!r} has no words")
            phrase = Phrase(owner, text, keys, evasion)
            self._phrases.append(phrase)
            added.append(phrase)
        return added

    def _tokenize(self, text: str) -> Doc:
        """Tokenize a term without keeping it in the tokenizer's cache.

        spaCy caches the first 10,000 chunks it tokenizes and no more: a brand policy of
        thousands of terms would otherwise fill that cache before the first post is read.
        """
        tokenizer = self.nlp.tokenizer
        size, tokenizer.max_cache_size = tokenizer.max_cache_size, 0
        try:
            return self.nlp.make_doc(text)
        finally:
            tokenizer.max_cache_size = size

    def _keys(self, text: str) -> Iterator[tuple[str, bool]]:
        text = text.strip()
        words = text.split(" ")
        if _PLAIN.fullmatch(text) and not any(w in self._special_cases for w in words):
            # Letters split at single spaces are what the tokenizer would make of them.
            yield from ((word.lower(), False) for word in words)
            return
        for token in self._tokenize(text):
            if token.is_space:
                continue
            word = token.lower_
            if word.endswith("*") and len(word) > 1:
                yield word.rstrip("*"), True
            elif word != "*":
                yield word, False

    def build(self) -> PhraseMatcher:
        """Index the registered phrases for matching."""
        return PhraseMatcher(self._phrases)


@dataclass(frozen=True, slots=True)
class Word:
    """What rules need of a token: the same wherever the token occurs, so computed once."""

    text: str
    lower: str
    keys: tuple[str, ...]
    evasive: tuple[str, ...]
    starts: tuple[Phrase, ...]  # phrases that begin here and need `_extend` to tell
    pairs: Mapping[str, tuple[Phrase, ...]]  # phrases that begin here, by the word they need next
    whole: tuple[Phrase, ...]
    link: bool
    space: bool
    name: bool  # capitalised letters, not a stop word: part of a name such as "Hurricane Sandy"
    compact: str  # `norm_key` of a word or number; "" for punctuation, symbols, links, spaces
    mask: re.Pattern[str] | None = None
    emoji: bool = False
    letter: bool = False  # a single letter, as words spelled apart (``f u c k``) are written
    notable: bool = False  # a phrase may begin here, or a letter, emoji or link: looked at again


class Scan(NamedTuple):
    """What one pass over a doc finds."""

    hits: dict[str, list[Hit]]  # by the phrases' owners
    links: tuple[tuple[int, int], ...]  # spans of links, e-mail addresses and mentions
    tokens: list[Word]  # every token, spaces too
    starts: list[int]  # the offset of each token in the text


class PhraseMatcher:
    """Finds registered phrases in a Doc in one pass."""

    def __init__(self, phrases: list[Phrase]) -> None:
        self.owners = frozenset(phrase.owner for phrase in phrases)
        self._exact: dict[str, list[Phrase]] = defaultdict(list)
        self._stems: dict[str, list[Phrase]] = defaultdict(list)
        self._compact: dict[str, list[Phrase]] = defaultdict(list)
        self._masked: dict[int, list[Phrase]] = defaultdict(list)
        self._masked_first: dict[int, list[Phrase]] = defaultdict(list)
        self._joined: dict[str, list[Phrase]] = defaultdict(list)
        # Words by `orth << 64 | lemma`: a token's text and lemma in one int key.
        self._lexes: dict[int, Word] = {}
        self._older_lexes: dict[int, Word] = {}  # the generation before, when full
        for phrase in phrases:
            key, is_stem = phrase.keys[0]
            (self._stems[key[:2]] if is_stem else self._exact[key]).append(phrase)
            if len(phrase.keys) > 1 and not any(stem for _, stem in phrase.keys):
                self._compact["".join(_COMPACT.sub("", k) for k, _ in phrase.keys)].append(phrase)
            if phrase.evasion and not is_stem:
                masked = self._masked if len(phrase.keys) == 1 else self._masked_first
                masked[len(key)].append(phrase)
            if phrase.evasion and not any(stem for _, stem in phrase.keys):
                self._add_spelled(phrase)

    def _add_spelled(self, phrase: Phrase) -> None:
        """Index the readings of a phrase that is more than one plain word.

        Spelled out letter by letter (``s o n  o f  a  b i t c h``, ``a - h o l e``) it is
        found under its letters joined by single spaces, a key no token has; written as one
        disguised token (``h4lf-4553d``) a hyphenated phrase is found under its letters.
        """
        letters = "".join(_COMPACT.sub("", k) for k, _ in phrase.keys)
        if len(phrase.keys) == 1 and letters == phrase.keys[0][0]:
            return  # one plain word: its spelled-out letters are the word itself
        self._exact[" ".join(letters)].append(Phrase(phrase.owner, phrase.text,
                                                     ((" ".join(letters), False),), True))
        if " " not in phrase.text.strip():
            self._joined[letters].append(phrase)

    def match(self, doc: Doc) -> dict[str, list[Hit]]:
        """Return the hits in `doc`, grouped by the phrases' owners."""
        return self.scan(doc).hits

    def scan(self, doc: Doc) -> Scan:
        """Return the hits in `doc` grouped by owner, its links and mentions, and its tokens."""
        tokens: list[Word] = []
        token_starts: list[int] = []
        words: list[Word] = []
        offsets: list[int] = []
        attached: list[bool] = []  # no whitespace after the word
        notable: list[int] = []  # the words where a phrase may begin, pieces, links
        lexes = self._lexes
        columns = doc.to_array(_ATTRS).T.tolist()  # lists of ints: no object per token
        for i, (orth, lemma, idx, spaced) in enumerate(zip(*columns, strict=True)):
            key = orth << 64 | lemma
            lex = lexes.get(key) or self._lex(doc[i], key)
            tokens.append(lex)
            token_starts.append(idx)
            if lex.space:
                continue
            if lex.notable:
                notable.append(len(words))
            words.append(lex)
            offsets.append(idx)
            attached.append(not spaced)
        hits: dict[str, list[Hit]] = defaultdict(list)
        seen: set[tuple[int, int, int]] = set()

        def record(phrase: Phrase, start: int, end: int) -> None:
            marker = (id(phrase), start, end)
            if marker not in seen:
                seen.add(marker)
                last = offsets[end - 1] + len(words[end - 1].text)
                hits[phrase.owner].append(Hit(phrase, start, end, offsets[start], last))

        for i in notable:
            lex = words[i]
            starts: Iterable[Phrase] = lex.starts
            if lex.pairs and i + 1 < len(words):
                pairs = lex.pairs
                starts = [*starts, *(p for key in words[i + 1].keys for p in pairs.get(key, ()))]
            for phrase in starts:
                end = self._extend(phrase, words, i)
                if end is not None:
                    record(phrase, i, end)
            for phrase in lex.whole:
                record(phrase, i, i + 1)
        spelled = any(words[i].letter or words[i].emoji for i in notable)
        for start, end, joined in _spaced_runs(words, attached) if spelled else ():
            for key in (joined, *evasion_keys(joined)):
                for phrase in self._exact.get(key, ()):
                    if phrase.evasion and len(phrase.keys) == 1:
                        record(phrase, start, end)
        links = tuple((offsets[i], offsets[i] + len(words[i].text)) for i in notable
                      if words[i].link)
        return Scan(hits, links, tokens, token_starts)

    def _lex(self, token: Token, key: int) -> Word:
        """Return the word of a token not seen lately, kept for the posts to come.

        When the cache is full it becomes the older generation, so the words posts use
        often move over to the new one instead of being worked out again.
        """
        lex = self._older_lexes.get(key) or self._new_lex(token)
        if len(self._lexes) >= _MAX_LEXES:
            self._older_lexes, self._lexes = self._lexes, {}
        self._lexes[key] = lex
        return lex

    def _new_lex(self, token: Token) -> Word:
        link = is_url_like(token)
        keys = () if link else token_keys(token)
        evasive = evasion_keys(token.text) if keys else ()
        starts: list[Phrase] = []
        pairs: dict[str, list[Phrase]] = {}
        for phrase in self._candidates(keys, evasive) if keys else ():
            second = _second_key(phrase)
            if second is None:
                starts.append(phrase)
            else:
                pairs.setdefault(second, []).append(phrase)
        whole: list[Phrase] = []
        if keys and token.text[:1] in "#＃":
            whole.extend(self._compact.get(keys[-1], ()))
        for key in evasive:
            whole.extend(self._joined.get(key, ()))
        pattern = mask_pattern(keys[0]) if keys else None
        if pattern is not None:
            whole.extend(phrase for phrase in self._masked.get(len(keys[0]), ())
                         if pattern.fullmatch(phrase.keys[0][0]))
            starts += [phrase for phrase in self._masked_first.get(len(keys[0]), ())
                       if pattern.fullmatch(phrase.keys[0][0])]
        text = token.text
        wordlike = not link and (token.is_alpha or token.like_num)
        emoji = bool(text) and all(unicodedata.category(c) in ("So", "Sk") for c in text)
        begins, letter = bool(starts or pairs or whole), len(text) == 1 and text.isalpha()
        return Word(text, keys[0] if keys else token.lower_, keys, evasive, tuple(starts),
                    {key: tuple(found) for key, found in pairs.items()}, tuple(whole),
                    link, token.is_space,
                    token.is_alpha and text[:1].isupper() and not token.is_stop,
                    norm_key(text) if wordlike else "", pattern, emoji, letter,
                    notable=begins or letter or emoji or link)

    def _candidates(self, keys: tuple[str, ...], evasive: tuple[str, ...]) -> Iterator[Phrase]:
        for key in keys:
            yield from self._exact.get(key, ())
            for phrase in self._stems.get(key[:2], ()):
                if key.startswith(phrase.keys[0][0]):
                    yield phrase
        for key in evasive:
            for phrase in (*self._exact.get(key, ()), *self._stems.get(key[:2], ())):
                if phrase.evasion and (not phrase.keys[0][1] or key.startswith(phrase.keys[0][0])):
                    yield phrase

    @staticmethod
    def _extend(phrase: Phrase, words: list[Word], start: int) -> int | None:
        position = start + 1
        for key, is_stem in phrase.keys[1:]:
            if position >= len(words) or not words[position].keys:
                return None
            word = words[position]
            candidates = (*word.keys, *word.evasive) if phrase.evasion else word.keys
            if not any(k.startswith(key) if is_stem else k == key for k in candidates) and not (
                    phrase.evasion and not is_stem and word.mask and word.mask.fullmatch(key)):
                return None
            position += 1
        return position


def _second_key(phrase: Phrase) -> str | None:
    """Return the word a phrase needs next, when one plain comparison settles it."""
    if len(phrase.keys) < 2 or phrase.evasion or phrase.keys[1][1]:
        return None
    return phrase.keys[1][0]


def _spaced_runs(words: list[Word], attached: list[bool]) -> Iterator[tuple[int, int, str]]:
    """Yield words spelled apart: letter by letter, or in pieces with emoji between them."""
    yield from _letter_runs(words)
    yield from _emoji_runs(words, attached)


def _letter_runs(words: list[Word]) -> Iterator[tuple[int, int, str]]:
    """Yield runs of single letters spelled apart (``f u c k``, ``f🔥u🔥c🔥k``), spaced.

    A single-letter word may sit at either end (``a b i t c h``), so the run is also
    tried without its first and its last letter.
    """
    i, n = 0, len(words)
    while i < n:
        if not words[i].letter:
            i += 1
            continue
        found, j = [i], i + 1
        while j < n:
            if words[j].letter:
                found.append(j)
            elif not _separator(words[j]):
                break
            j += 1
        m = len(found)
        for a, b in dict.fromkeys(((0, m), (1, m), (0, m - 1), (1, m - 1))):
            if b - a >= 3:
                yield found[a], found[b - 1] + 1, " ".join(words[k].lower for k in found[a:b])
        i = found[-1] + 1


def _emoji_runs(words: list[Word], attached: list[bool]) -> Iterator[tuple[int, int, str]]:
    """Yield a word split by emoji (``fu🔥ck``), alone and with the words around it.

    Alone it is joined into one key; with up to four neighbouring words it is spelled
    out like a spaced run, so a phrase with one split word (``spirit anim🔥al``) is found.
    An emoji with a space on either side stands between words, not inside one.
    """
    n = len(words)
    for i in range(n - 2):
        if not (words[i + 1].emoji and attached[i] and attached[i + 1]
                and _piece(words[i]) and _piece(words[i + 2])):
            continue
        end = i + 5 if (i + 4 < n and words[i + 3].emoji and attached[i + 2] and attached[i + 3]
                        and _piece(words[i + 4])) else i + 3
        word = "".join(words[k].lower for k in range(i, end, 2))
        yield i, end, word
        before = _neighbours(words, range(i - 1, max(i - 5, -1), -1))
        after = _neighbours(words, range(end, min(end + 4, n)))
        for left in range(len(before) + 1):
            for right in range(min(len(after), 4 - left) + 1):
                if left or right:
                    letters = "".join(before[:left][::-1]) + word + "".join(after[:right])
                    yield i - left, end + right, " ".join(letters)


def _neighbours(words: list[Word], positions: range) -> list[str]:
    """Return the letters of the words at `positions`, up to the first that is not a word."""
    found = []
    for k in positions:
        letters = _COMPACT.sub("", words[k].lower)
        if not words[k].keys or words[k].emoji or not letters:
            break
        found.append(letters)
    return found


def _piece(word: Word) -> bool:
    return word.text.isalpha()


def _separator(word: Word) -> bool:
    return len(word.text) <= 2 and not any(c.isalnum() for c in word.text)
