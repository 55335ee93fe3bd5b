"""Split the time `check_many` takes per post into its stages, in µs per post.

Run: python bench/stages.py [--posts 3000]

Checks one set of bench/corpus.py's posts (bundled packs, 500-item snapshot) to fill every
cache, then times a second, unseen set with every stage wrapped in a timer: language
detection, normalization, the spaCy tokenizer and the lemmatizer, the phrase scan, each rule
family, the verdict and the cycle collector. Each stage counts its own time only: a trend
rule that reads a headline counts the tokenizer and the scan under their own names, and a
collection under the collector's. The bare `spacy.blank(lang).tokenizer` on the same texts
is the last line. The timers add a little to every figure; compare stages within one run.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import corpus
import spacy

import safepost.checker
from safepost import Checker
from safepost.matcher import PhraseMatcher
from safepost.nlp import LookupLemmatizer, guess_language

_spent: Counter[str] = Counter()
_inner: list[float] = []  # per running timer, the time of the timers and collections inside it


def timed(stage: str, run: Callable[..., Any]) -> Callable[..., Any]:
    """Return `run`, adding the time of each call, less what nested stages took, to `stage`."""

    def timer(*args: Any, **kwargs: Any) -> Any:
        _inner.append(0.0)
        started = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - started
            _spent[stage] += elapsed - _inner.pop()
            if _inner:
                _inner[-1] += elapsed

    return timer


def _collector(phase: str, info: dict[str, int]) -> None:
    """Count each collection as a stage of its own, taken out of the stage it interrupted."""
    if phase == "start":
        _collector.started = time.perf_counter()  # type: ignore[attr-defined]
        return
    elapsed = time.perf_counter() - _collector.started  # type: ignore[attr-defined]
    _spent["cycle collector"] += elapsed
    if _inner:
        _inner[-1] += elapsed


def timed_rule(stage: str, check: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    """Return a rule's `check` that gathers its findings, so its whole work is timed."""
    return timed(stage, lambda analysis: list(check(analysis)))


def instrument(checker: Checker, langs: list[str]) -> None:
    """Wrap every stage of the checker's languages in a timer."""
    PhraseMatcher.scan = timed("phrase scan", PhraseMatcher.scan)  # type: ignore[method-assign]
    LookupLemmatizer.__call__ = timed(  # type: ignore[method-assign]
        "spaCy lemmatizer", LookupLemmatizer.__call__)
    safepost.checker.assemble = timed("verdict", safepost.checker.assemble)
    safepost.checker.normalize = timed("normalize", safepost.checker.normalize)
    checker._pm.hook.detect_language = timed("language detection",
                                             checker._pm.hook.detect_language)
    for lang in langs:
        compiled = checker._language(lang)
        compiled.nlp.tokenizer = timed("spaCy tokenizer", compiled.nlp.tokenizer)
        for rule in compiled.rules:
            rule.check = timed_rule(f"rules: {rule.family}", rule.check)  # type: ignore[method-assign]


def main() -> None:
    """Warm a Checker, time an unseen set stage by stage, and print µs per post."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    args = parser.parse_args()
    checker = Checker()
    snapshot = corpus.snapshot(500)
    langs = sorted({v.lang for v in checker.check_many(
        corpus.posts(args.posts, tag="stages-warm"), trends=snapshot)})
    texts = corpus.posts(args.posts, tag="stages")
    instrument(checker, langs)
    gc.callbacks.append(_collector)
    started = time.perf_counter()
    list(checker.check_many(texts, trends=snapshot))
    total = time.perf_counter() - started
    gc.callbacks.remove(_collector)
    per_post = 1e6 / len(texts)
    width = max(map(len, _spent)) + 2
    for stage, seconds in _spent.most_common():
        print(f"{stage:<{width}}{seconds * per_post:8.1f} µs  {seconds / total:6.1%}")
    rest = total - sum(_spent.values())
    print(f"{'everything else':<{width}}{rest * per_post:8.1f} µs  {rest / total:6.1%}")
    print(f"{'check_many, in all':<{width}}{total * per_post:8.1f} µs")
    by_lang: dict[str, list[str]] = {}
    for text in texts:
        by_lang.setdefault(guess_language(text, langs) or "en", []).append(text)
    bare = {lang: spacy.blank(lang).tokenizer for lang in by_lang}
    for lang, group in by_lang.items():
        list(bare[lang].pipe(corpus.posts(len(group), tag="stages-warm")))
    started = time.perf_counter()
    for lang, group in by_lang.items():
        list(bare[lang].pipe(group))
    print(f"{'bare spaCy tokenizer':<{width}}{(time.perf_counter() - started) * per_post:8.1f} µs")


if __name__ == "__main__":
    main()
