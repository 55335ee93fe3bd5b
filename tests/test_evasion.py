"""Disguised terms and examples are still caught by their own rule, with spans into the text.

The shares are measured with ``python bench/evasion.py`` (see bench/README.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from safepost import Checker, Verdict
from safepost.evasion import (
    TECHNIQUES,
    Case,
    caught,
    example_cases,
    obfuscate,
    pass_cases,
    shares,
    term_cases,
    unflagged,
    variants,
)

TERM_PACKS = {f"rules/{lang}/{name}.yml" for lang in ("en", "nb", "bg")
              for name in ("profanity", "insensitive")}
TERM_FLOOR = 0.95
PASS_FLOOR = 0.99
# Measured shares of obfuscated flag examples still caught, rounded down to 0.05. The
# profanity and wording packs match with `evasion: true`; the other packs match ordinary
# words ("hurricane", "election", "per my last email") that nobody disguises, so only
# the normalization (homoglyphs, zero-width, fullwidth) applies to them.
EXAMPLE_FLOORS = {
    "rules/en/profanity.yml": 0.90, "rules/nb/profanity.yml": 0.90, "rules/bg/profanity.yml": 0.90,
    "rules/en/insensitive.yml": 0.95, "rules/nb/insensitive.yml": 0.95,
    "rules/bg/insensitive.yml": 0.95, "rules/en/insensitive-patterns.yml": 0.35,
    "rules/en/sensitive-topics.yml": 0.35, "rules/nb/sensitive-topics.yml": 0.45,
    "rules/bg/sensitive-topics.yml": 0.35, "rules/en/politics.yml": 0.40,
    "rules/nb/politics.yml": 0.40, "rules/bg/politics.yml": 0.35, "rules/en/hostile.yml": 0.35,
    "rules/nb/hostile.yml": 0.35, "rules/bg/hostile.yml": 0.30, "rules/en/replies.yml": 0.25,
    "rules/nb/replies.yml": 0.35, "rules/bg/replies.yml": 0.30, "rules/en/campaign.yml": 0.45,
}

Checked = tuple[list[Case], list[Verdict], list[bool]]


def _checked(checker: Checker, cases: list[Case]) -> Checked:
    verdicts = list(checker.check_many(c.post for c in cases))
    return cases, verdicts, caught(cases, verdicts)


@pytest.fixture(scope="module")
def terms(checker: Checker) -> Checked:
    return _checked(checker, list(term_cases(checker)))


@pytest.fixture(scope="module")
def examples(checker: Checker) -> Checked:
    return _checked(checker, list(example_cases(checker)))


# ----------------------------------------------------------------------------- generator


@pytest.mark.parametrize(
    ("technique", "text", "expected"),
    [
        pytest.param("fullwidth", "fuck", "ｆｕｃｋ", id="fullwidth widens every ASCII letter"),
        pytest.param("spacing", "holy shit", "h o l y  s h i t", id="spacing spells every word"),
        pytest.param("spacing", "af", None, id="spacing needs three letters"),
        pytest.param("mask", "af", None, id="masking needs an inner letter"),
        pytest.param("fullwidth", "курва", None, id="Cyrillic has no fullwidth forms"),
        pytest.param("leet", "xyz", None, id="leet needs a letter with a natural digit"),
        pytest.param("homoglyph", "ff", None, id="homoglyphs need a letter with a look-alike"),
    ],
)
def test_transform_output(technique: str, text: str, expected: str | None) -> None:
    variant = obfuscate(text, technique)
    assert (variant.text if variant else None) == expected


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_transform_changes_only_the_target(technique: str) -> None:
    text = "No bullshit, just coffee"
    variant = obfuscate(text, technique, span=(3, 11))
    assert variant is not None and variant.technique == technique
    start, end = variant.span
    assert variant.text[:start] == "No " and variant.text[end:] == ", just coffee"
    assert variant.text[start:end] != "bullshit"
    assert obfuscate(text, technique, span=(3, 11)) == variant  # seeded: the same every run


@pytest.mark.parametrize(
    ("technique", "text", "check"),
    [
        pytest.param("homoglyph", "bitch", lambda t: any(not c.isascii() for c in t)
                     and sum(c.isascii() for c in t) > len(t) / 2, id="homoglyphs stay a minority"),
        pytest.param("homoglyph", "курва",
                     lambda t: any(c.isascii() or "\u0370" <= c <= "\u03ff" for c in t),
                     id="Latin or Greek in Cyrillic"),
        pytest.param("zero-width", "bitch", lambda t: t.replace("\u200b", "").replace(
            "\u200c", "").replace("\u200d", "").replace("\u2060", "") == "bitch",
                     id="zero-width only adds invisible characters"),
        pytest.param("mask", "bitch", lambda t: t[0] == "b" and t[-1] == "h" and "*" in t,
                     id="masking keeps the first and last letters"),
        pytest.param("repeat", "bitch", lambda t: len(t) >= 7 and sorted(set(t)) == sorted(
            set("bitch")), id="repeating stretches one letter"),
        pytest.param("emoji", "bitch", lambda t: len(t) > 5 and t[0] == "b" and t[-1] == "h",
                     id="an emoji sits between two letters"),
        pytest.param("leet", "ass", lambda t: not t.isdigit() and t != "ass",
                     id="leet never makes a plain number"),
        pytest.param("leet", "idiot", lambda t: t[0] != "!" and t[-1] != "!",
                     id="leet never reads as punctuation"),
    ],
)
def test_transform_shape(technique: str, text: str, check) -> None:
    for seed in range(10):
        variant = obfuscate(text, technique, seed=seed)
        assert variant is not None and check(variant.text), variant


def test_every_term_has_five_forms(terms: Checked) -> None:
    forms = Counter((c.pack, c.rule, c.source) for c in terms[0])
    assert {pack for pack, _, _ in forms} == TERM_PACKS
    assert min(forms.values()) >= 5, [key for key, n in forms.items() if n < 5]
    assert all(len(variants(term, minimum=5)) >= 5 for _, _, term in forms)


# ------------------------------------------------------------------------------- suites


@pytest.mark.parametrize("pack", sorted(TERM_PACKS))
def test_terms_are_caught_by_their_rule(terms: Checked, pack: str) -> None:
    cases, _, hits = terms
    total, hit = shares(cases, hits)[(pack, "all")]
    misses = [c.variant.text for c, ok in zip(cases, hits, strict=True)
              if c.pack == pack and not ok]
    assert hit / total >= TERM_FLOOR, misses[:20]


@pytest.mark.parametrize("suite", ["terms", "examples"])
def test_spans_point_into_the_obfuscated_text(suite: str, request: pytest.FixtureRequest) -> None:
    cases, verdicts, _ = request.getfixturevalue(suite)
    for case, verdict in zip(cases, verdicts, strict=True):
        for finding in verdict.findings:
            if finding.span is not None:
                start, end = finding.span
                assert 0 <= start < end <= len(case.post.text)
                assert finding.matched == case.post.text[start:end], (case.post.text, finding)


def test_caught_spans_cover_the_disguised_words(terms: Checked) -> None:
    cases, verdicts, hits = terms
    whole = sum(
        any(f.rule == c.rule and f.span == c.variant.span for f in v.findings)
        for c, v, ok in zip(cases, verdicts, hits, strict=True) if ok)
    assert whole / sum(hits) >= 0.9  # the rest are a shorter phrase of the same rule


def test_example_suite_covers_every_word_pack(examples: Checked) -> None:
    assert {c.pack for c in examples[0]} == set(EXAMPLE_FLOORS)


@pytest.mark.parametrize("pack", sorted(EXAMPLE_FLOORS))
def test_examples_are_caught_by_their_rule(examples: Checked, pack: str) -> None:
    total, hit = shares(examples[0], examples[2])[(pack, "all")]
    assert hit / total >= EXAMPLE_FLOORS[pack]


def test_disguised_pass_examples_stay_unflagged(checker: Checker) -> None:
    cases, verdicts, _ = _checked(checker, list(pass_cases(checker)))
    for (pack, technique), (total, good) in shares(cases, unflagged(cases, verdicts)).items():
        if technique == "all":
            assert good / total >= PASS_FLOOR, pack
