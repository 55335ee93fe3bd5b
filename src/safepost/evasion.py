"""Obfuscated variants of a text: one seeded transform per evasion technique.

A transform changes only the target words (a span of the text, the whole text by
default) and says where they ended up, so a test can check that a finding points at
them. A transform that cannot apply (no letter to mask, no ASCII to widen) returns None
and is not counted.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .checker import Checker, as_post
from .models import Post, Verdict
from .rule import RuleSpec

Span = tuple[int, int]

# Look-alikes in the other scripts: Latin letters → Cyrillic/Greek, Cyrillic → Latin/Greek.
_CONFUSABLES = {
    "a": "аα", "c": "с", "e": "е", "i": "іι", "j": "ј", "k": "κ", "o": "оο", "p": "рρ",
    "s": "ѕ", "u": "υ", "v": "ν", "x": "хχ", "y": "у",
    "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "K": "КΚ", "M": "МΜ",
    "O": "ОΟ", "P": "РΡ", "T": "ТΤ", "X": "ХΧ", "Y": "УΥ",
    "а": "aα", "е": "e", "к": "kκ", "о": "oο", "п": "π", "р": "pρ", "с": "c", "т": "τ",
    "у": "y", "х": "xχ",
    "А": "AΑ", "В": "BΒ", "Е": "EΕ", "К": "KΚ", "М": "MΜ", "Н": "HΗ", "О": "OΟ", "Р": "PΡ",
    "С": "C", "Т": "TΤ", "Х": "XΧ",
}
_LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$",
         "а": "4@", "б": "6", "е": "3", "з": "3", "о": "0"}
_INVISIBLE = "\u200b\u200c\u200d\u2060"
_EMOJI = ("🔥", "💥", "✨", "😂", "👉", "❤️", "💩", "🙈")
_MASK = "*"
_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


@dataclass(frozen=True)
class Variant:
    """An obfuscated text: the technique, the new text and where the target words are in it."""

    technique: str
    text: str
    span: Span


def _letters(target: str) -> list[int]:
    return [i for i, char in enumerate(target) if char.isalpha()]


def _words(target: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(target)]


def _replace(target: str, positions: list[int], pick: Callable[[str], str]) -> str:
    chars = list(target)
    for i in positions:
        chars[i] = pick(chars[i])
    return "".join(chars)


def _some(rng: random.Random, positions: list[int], most: int) -> list[int]:
    return rng.sample(positions, rng.randint(1, max(1, min(most, len(positions)))))


def homoglyph(target: str, rng: random.Random) -> str | None:
    """Swap letters of some words for look-alikes from another script (``fuсk``).

    Each word keeps most of its letters, so it stays a word of its own script with a
    stray letter in it; a word written wholly in another script is another word.
    """
    words = [(s, e) for s, e in _words(target) if e - s >= 2
             and any(target[i] in _CONFUSABLES for i in range(s, e))]
    if not words:
        return None
    chosen: list[int] = []
    for start, end in _some(rng, words, len(words)):
        eligible = [i for i in range(start, end) if target[i] in _CONFUSABLES]
        chosen.extend(_some(rng, eligible, max(1, (end - start - 1) // 2)))
    return _replace(target, chosen, lambda c: rng.choice(_CONFUSABLES[c]))


def zero_width(target: str, rng: random.Random) -> str | None:
    """Put zero-width spaces, joiners and non-joiners between letters (``fu\u200bck``)."""
    gaps = [i for i in range(1, len(target)) if target[i - 1].isalpha() and target[i].isalpha()]
    if not gaps:
        return None
    chosen = set(_some(rng, gaps, len(gaps)))
    return "".join((rng.choice(_INVISIBLE) if i in chosen else "") + char
                   for i, char in enumerate(target))


def leet(target: str, rng: random.Random) -> str | None:
    """Write some letters as digits or signs (``sh1t``, ``a$$``).

    Readings that are something else are avoided: ``@ss`` is a mention, ``!n`` and
    ``naz!`` are punctuation, and a word of digits alone (``455``, ``4``) is a number.
    """
    eligible = [i for i in _letters(target) if target[i].lower() in _LEET]
    if not eligible:
        return None
    chosen = _some(rng, eligible, len(eligible))
    out = list(_replace(target, chosen, lambda c: rng.choice(_LEET[c.lower()])))
    for i in chosen:
        at_start = i == 0 or not target[i - 1].isalpha()
        at_end = i == len(target) - 1 or not target[i + 1].isalpha()
        if (out[i] == "@" and at_start) or (out[i] == "!" and (at_start or at_end)):
            out[i] = _LEET[target[i].lower()][0]
    for start, end in _words(target):
        word = out[start:end]
        if not any(c.isalpha() for c in word) and (len(word) == 1 or "".join(word).isdigit()):
            out[start] = target[start]
    return "".join(out)


def mask(target: str, rng: random.Random) -> str | None:
    """Hide inner letters of one word behind asterisks (``f*ck``, ``f**k``)."""
    words = [(s, e) for s, e in _words(target) if e - s >= 3 and target[s:e].isalpha()]
    if not words:
        return None
    start, end = rng.choice(words)
    first = rng.randrange(start + 1, end - 1)
    last = rng.randrange(first + 1, end)
    return target[:first] + _MASK * (last - first) + target[last:]


def spacing(target: str, rng: random.Random) -> str | None:
    """Spell every word out letter by letter (``f u c k``); needs three letters."""
    if len(_letters(target)) < 3:
        return None
    return "  ".join(" ".join(word) for word in target.split())


def repeat(target: str, rng: random.Random) -> str | None:
    """Stretch one letter (``fuuuck``)."""
    letters = _letters(target)
    if not letters:
        return None
    i = rng.choice(letters)
    return target[:i] + target[i] * rng.randint(3, 5) + target[i + 1:]


def emoji(target: str, rng: random.Random) -> str | None:
    """Put an emoji between two letters of one word (``fu🔥ck``)."""
    gaps = [i for i in range(1, len(target)) if target[i - 1].isalpha() and target[i].isalpha()]
    if not gaps:
        return None
    i = rng.choice(gaps)
    return target[:i] + rng.choice(_EMOJI) + target[i:]


def fullwidth(target: str, rng: random.Random) -> str | None:
    """Write ASCII letters and signs in their fullwidth forms (``ｆｕｃｋ``)."""
    if not any(c.isascii() and c.isalpha() for c in target):
        return None
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in target)


TRANSFORMS: dict[str, Callable[[str, random.Random], str | None]] = {
    "homoglyph": homoglyph,
    "zero-width": zero_width,
    "leet": leet,
    "mask": mask,
    "spacing": spacing,
    "repeat": repeat,
    "emoji": emoji,
    "fullwidth": fullwidth,
}
TECHNIQUES = tuple(TRANSFORMS)


def obfuscate(text: str, technique: str, *, span: Span | None = None,
              seed: int = 0) -> Variant | None:
    """Return `text` with the words at `span` obfuscated by one technique, or None."""
    start, end = span or (0, len(text))
    target = text[start:end]
    rng = random.Random(f"{seed}:{technique}:{start}:{end}:{text}")
    changed = TRANSFORMS[technique](target, rng)
    if changed is None or changed == target:
        return None
    return Variant(technique, text[:start] + changed + text[end:], (start, start + len(changed)))


def variants(text: str, *, span: Span | None = None, seed: int = 0, minimum: int = 0,
             techniques: tuple[str, ...] = TECHNIQUES) -> list[Variant]:
    """Return one variant per technique that applies, and more draws until `minimum` differ."""
    found = [v for t in techniques if (v := obfuscate(text, t, span=span, seed=seed))]
    texts = {v.text for v in found}
    extra = seed + 1
    while found and len(texts) < minimum and extra <= seed + 8 * minimum:
        for technique in dict.fromkeys(v.technique for v in found):
            variant = obfuscate(text, technique, span=span, seed=extra)
            if variant and variant.text not in texts and len(texts) < minimum:
                found.append(variant)
                texts.add(variant.text)
        extra += 1
    return found


# Families whose findings point at words; the others judge context (a trend, a date,
# a missing disclosure) or style, which obfuscating words does not test.
WORD_FAMILIES = ("terms", "pattern", "reply")
TERM_CATEGORIES = ("profanity", "insensitive_wording")


@dataclass(frozen=True)
class Case:
    """One obfuscated post, the rule that must still flag it and where its target words are."""

    pack: str
    rule: str
    source: str
    variant: Variant
    post: Post


def term_cases(checker: Checker, *, minimum: int = 5, seed: int = 0) -> Iterator[Case]:
    """Yield obfuscated forms of every `match` term of the profanity and wording packs.

    Stems (``word*``) are left out: they are not words, and their written-out forms are
    listed beside them.
    """
    for pack in checker.packs:
        if pack.family.family != "terms" or pack.lang is None:
            continue
        for spec in pack.specs:
            if spec.category not in TERM_CATEGORIES or not checker.config.is_enabled(
                    spec.id, default=spec.enabled):
                continue
            for term in spec.match:
                if "*" in term:
                    continue
                for variant in variants(term, seed=seed, minimum=minimum):
                    yield Case(pack.path, spec.id, term, variant,
                               Post(text=variant.text, lang=pack.lang))


def example_cases(checker: Checker, *, seed: int = 0) -> Iterator[Case]:
    """Yield obfuscated forms of every flag example of the word-based packs.

    The target is the span the rule reports on the example as written; an example whose
    finding has no span (a missing apology) is left out.
    """
    for pack, spec, post in _flag_examples(checker):
        verdict = checker.check(post)
        span = next((f.span for f in verdict.findings if f.rule == spec.id and f.span), None)
        if span is None:
            continue
        for variant in variants(post.text, span=(span[0], span[1]), seed=seed):
            yield Case(pack, spec.id, post.text, variant,
                       post.model_copy(update={"text": variant.text}))


def _flag_examples(checker: Checker) -> Iterator[tuple[str, RuleSpec, Post]]:
    for pack in checker.packs:
        if pack.family.family not in WORD_FAMILIES:
            continue
        for spec in pack.specs:
            if not checker.config.is_enabled(spec.id, default=spec.enabled):
                continue
            for example in spec.examples.flag:
                fields: dict[str, Any] = (
                    {"text": example} if isinstance(example, str) else dict(example))
                if "trends" in fields:
                    continue
                fields.setdefault("lang", pack.lang or checker.config.lang)
                yield pack.path, spec, as_post(fields.pop("text"), fields)


def pass_cases(checker: Checker, *, seed: int = 0) -> Iterator[Case]:
    """Yield obfuscated forms of the pass examples of the profanity and wording packs.

    The whole text is the target: a disguise must not turn an innocent post into a finding.
    """
    for pack in checker.packs:
        if pack.family.family != "terms" or pack.lang is None:
            continue
        for spec in pack.specs:
            if spec.category not in TERM_CATEGORIES:
                continue
            for example in spec.examples.ok:
                if isinstance(example, str):
                    for variant in variants(example, seed=seed):
                        yield Case(pack.path, spec.id, example, variant,
                                   Post(text=variant.text, lang=pack.lang))


def caught(cases: list[Case], verdicts: list[Verdict]) -> list[bool]:
    """Return, per case, whether its rule flagged words inside the obfuscated target."""
    results = []
    for case, verdict in zip(cases, verdicts, strict=True):
        start, end = case.variant.span
        results.append(any(
            f.rule == case.rule and f.span is not None and start <= f.span[0] < f.span[1] <= end
            and f.matched == case.post.text[f.span[0]:f.span[1]]
            for f in verdict.findings))
    return results


def unflagged(cases: list[Case], verdicts: list[Verdict]) -> list[bool]:
    """Return, per case, whether its rule stayed silent (for the pass examples)."""
    return [not any(f.rule == case.rule for f in verdict.findings)
            for case, verdict in zip(cases, verdicts, strict=True)]


def shares(cases: list[Case], results: list[bool]) -> dict[tuple[str, str], tuple[int, int]]:
    """Return (variants, caught) per (pack, technique), and per pack under technique "all"."""
    table: dict[tuple[str, str], list[int]] = {}
    for case, hit in zip(cases, results, strict=True):
        for key in ((case.pack, case.variant.technique), (case.pack, "all")):
            counts = table.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += hit
    return {key: (n, k) for key, (n, k) in sorted(table.items())}
