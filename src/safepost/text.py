"""Normalization that defeats cheap evasion while keeping a map back to the original text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Look-alike letters, folded toward the script that dominates the word they sit in.
_CYRILLIC_TO_LATIN = dict(zip("аеорсухіјѕԁӏкАВЕКМНОРСТХУІЈЅ", "aeopcyxijsdlkABEKMHOPCTXYIJS",
                              strict=True))
_GREEK_TO_LATIN = dict(zip("αορνικτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aopviktuxABEZHIKMNOPTYX", strict=True))
_LATIN_TO_CYRILLIC = {latin: cyr for cyr, latin in _CYRILLIC_TO_LATIN.items()
                      if cyr not in "іјѕԁӏІЈЅ"}
_GREEK_TO_CYRILLIC = dict(zip("αοπρκτχΑΒΕΗΚΜΟΡΤΧ", "аопрктхАВЕНКМОРТХ", strict=True))
_TO_LATIN = {**_GREEK_TO_LATIN, **_CYRILLIC_TO_LATIN}
_TO_CYRILLIC = {**_GREEK_TO_CYRILLIC, **_LATIN_TO_CYRILLIC}
_PUNCTUATION = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "l", "€": "e"})
# In a Cyrillic word the same signs stand for Cyrillic letters; 3 is е or з.
_LEET_CYRILLIC = (str.maketrans({"0": "о", "3": "е", "4": "а", "@": "а", "6": "б"}),
                  str.maketrans({"0": "о", "3": "з", "4": "а", "@": "а", "6": "б"}))
_LEET_SIGNS = frozenset("@$!|€")
_REPEATS = re.compile(r"(.)\1{2,}")
_MASK_CHARS = frozenset("*#_%")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_KEPT = frozenset(map(chr, range(32, 127))) | frozenset("\n\t\r")
_FOLDED = frozenset({"LATIN", "CYRILLIC", "GREEK"})


@dataclass(frozen=True)
class NormalizedText:
    """A normalized view of a text; `starts[i]`/`ends[i]` locate char i in the original."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the original text."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=8192)
def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return "OTHER"


@lru_cache(maxsize=65536)
def _fold_word(word: str, prefer: str) -> str:
    """Write a word that mixes scripts in one script: the language's, if every stray letter
    has a look-alike in it, otherwise the script of most of its letters."""
    if word.isascii() or len(_FOLDED.intersection(map(_script, word))) < 2:
        return word
    counts: dict[str | None, int] = {}
    for char in word:
        script = _script(char)
        counts[script] = counts.get(script, 0) + 1
    latin, cyrillic, greek = (counts.get(s, 0) for s in ("LATIN", "CYRILLIC", "GREEK"))
    if sum(1 for n in (latin, cyrillic, greek) if n) < 2 or greek > max(latin, cyrillic):
        return word
    table = _TO_CYRILLIC if prefer == "CYRILLIC" else _TO_LATIN
    stray = [c for c in word if _script(c) in _FOLDED and _script(c) != prefer]
    if not all(c in table for c in stray):
        table = _TO_CYRILLIC if cyrillic > latin else _TO_LATIN
    return "".join(table.get(c, c) for c in word)


def normalize(text: str, *, prefer_script: str = "LATIN") -> NormalizedText:
    """Apply NFKC, drop invisible and stray combining marks, fold homoglyphs; keep case."""
    # The chars beyond printable ASCII, found once: what normalization changes is among
    # them, and so are the scripts besides Latin.
    beyond = None if text.isascii() else set(text).difference(_ASCII_KEPT)
    changed = _changed_chars(text, beyond)
    starts: Sequence[int]
    ends: Sequence[int]
    if not changed:
        out, starts, ends = [text], range(len(text)), range(1, len(text) + 1)
    else:
        out, starts, ends = _normalize_clusters(text, changed)
    folded = "".join(out)
    if changed and beyond is not None:
        beyond = set(folded).difference(_ASCII_KEPT)
    if beyond and _mixed_scripts(folded, beyond):
        folded = _fold_words(folded, prefer_script)
    return NormalizedText(text, folded, starts, ends)


def _normalize_clusters(text: str, changed: str) -> tuple[list[str], list[int], list[int]]:
    """Normalize the clusters (a char and its combining marks) that hold a changed char.

    Text between them is copied as it is: most posts change one or two chars (an emoji's
    variation selector, a curly apostrophe), so the per-char work stays small.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done, n = 0, len(text)
    for found in re.finditer(f"[{re.escape(changed)}]", text):
        i = found.start()
        if i < done:
            continue
        if i > done and unicodedata.category(text[i]) in ("Mn", "Me"):
            i -= 1  # a mark belongs to the cluster of the char before it
        out.append(text[done:i])
        starts.extend(range(done, i))
        ends.extend(range(done + 1, i + 1))
        j = i + 1
        while j < n and unicodedata.category(text[j]) in ("Mn", "Me"):
            j += 1
        for char in unicodedata.normalize("NFKC", text[i:j]):
            category = unicodedata.category(char)
            if category in ("Cf", "Mn", "Me", "Cs") or (category == "Cc" and char not in "\n\t\r"):
                continue
            out.append(_PUNCTUATION.get(char, char))
            starts.append(i)
            ends.append(j)
        done = j
    out.append(text[done:])
    starts.extend(range(done, n))
    ends.extend(range(done + 1, n + 1))
    return out, starts, ends


def _changed_chars(text: str, beyond: set[str] | None) -> str:
    """Return the distinct chars of `text` that normalization does not keep as they are."""
    if beyond is None:
        return "".join(sorted(set(_ASCII_CONTROL.findall(text))))
    return "".join(sorted(c for c in beyond if not _keeps(c)))


@lru_cache(maxsize=8192)
def _keeps(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me", "Cs") or (category == "Cc" and char not in "\n\t\r"):
        return False
    return char not in _PUNCTUATION and unicodedata.normalize("NFKC", char) == char


def _mixed_scripts(text: str, beyond: set[str]) -> bool:
    """Return whether letters of two foldable scripts occur, so some word may mix them.

    `beyond` holds the chars of `text` beyond printable ASCII; ASCII letters are Latin.
    """
    scripts = _FOLDED.intersection(map(_script, beyond))
    if len(scripts) != 1:
        return len(scripts) > 1
    return "LATIN" not in scripts and _ASCII_LETTER.search(text) is not None


_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


def _fold_words(text: str, prefer: str) -> str:
    # Folding maps one letter to one letter, so offsets stay valid.
    return _WORD.sub(lambda m: _fold_word(m.group(), prefer), text)


def fold_key(token: str) -> str:
    """Return the comparison key of a token: case-folded, apostrophes unified."""
    return token.casefold()


@lru_cache(maxsize=16384)
def evasion_keys(token: str) -> tuple[str, ...]:
    """Return readings of a token that undo leetspeak, separators and stretched letters."""
    key = token.casefold()
    keys: list[str] = []
    bare = _without_latin_marks(key)
    if bare != key:
        keys.append(bare)  # fućk, fûck: a mark on a Latin letter that the word does not have
    if _disguised(key):
        for decoded in _decodings(key):
            letters = "".join(c for c in decoded if c.isalpha() or c in _MASK_CHARS)
            keys.extend(k for k in (decoded, letters) if k != key)
    for base in [key, *keys]:
        if _REPEATS.search(base):
            keys.append(_REPEATS.sub(r"\1", base))
            keys.append(_REPEATS.sub(r"\1\1", base))
    return tuple(dict.fromkeys(k for k in keys if k))


def _without_latin_marks(key: str) -> str:
    """Return `key` with the accents of its Latin letters taken off (ø, æ and Cyrillic stay)."""
    if key.isascii():
        return key
    kept = []
    for char in unicodedata.normalize("NFD", key):
        if unicodedata.combining(char) and kept and _script(kept[-1]) == "LATIN":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _disguised(key: str) -> bool:
    """Return whether a token may hide a word: letters among other signs, or leet signs alone."""
    if key.isalpha():
        return False
    if any(c.isalpha() for c in key):
        return True
    return any(c.isdigit() for c in key) and not _LEET_SIGNS.isdisjoint(key)  # "4$$", not "455"


def _decodings(key: str) -> tuple[str, ...]:
    """Return the readings of a token's leet signs in the script of its letters."""
    if any(_script(c) == "CYRILLIC" for c in key) and not any(_script(c) == "LATIN" for c in key):
        return tuple(dict.fromkeys(key.translate(table) for table in _LEET_CYRILLIC))
    return (key.translate(_LEET),)


def mask_pattern(key: str) -> re.Pattern[str] | None:
    """Return a pattern for a masked word such as ``f*ck`` or ``sh__t``, or None if unmasked."""
    if not key[:1].isalpha() or _MASK_CHARS.isdisjoint(key):
        return None
    if sum(c.isalpha() for c in key) < 2:
        return None
    body = "".join("[^\\W\\d_]" if c in _MASK_CHARS else re.escape(c) for c in key)
    return re.compile(body)
