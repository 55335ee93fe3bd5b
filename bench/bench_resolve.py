"""Time resolving post hashtags and phrases against small and large trend snapshots.

Run: python bench/bench_resolve.py [--sizes 50 5000] [--queries 200] [--repeat 20] [--seed 7]

Snapshots mix a fixed core of real trend terms with distinct terms drawn (weight 1/rank**0.5,
seeded random) from wordsegment's frequent words, so word overlap grows with size as it
does in real snapshots. Readings are computed once per query, outside the timed loop: they
depend on the post, not on the snapshot. The last line is the per-query cost ratio between
the largest and the smallest snapshot.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime
from pathlib import Path

from wordsegment import Segmenter

from safepost.models import TrendItem, TrendSnapshot
from safepost.trends.hashtags import Reading, readings
from safepost.trends.resolve import TrendIndex

CORE_TERMS = [
    ("notguilty", "hashtag"), ("AuroraShooting", "hashtag"), ("WhyIStayed", "hashtag"),
    ("Boston Marathon explosions", "phrase"), ("Hurricane Sandy", "phrase"), ("Cairo", "phrase"),
    ("9/11", "phrase"), ("Mother's Day", "phrase"), ("Thatcher", "phrase"), ("Maine", "phrase"),
    ("porsche911", "hashtag"), ("rapist", "hashtag"),
]
CORE_QUERIES = [
    "#notguilty", "#WhyIStayed", "#susanalbumparty", "#nowthatchersdead", "#nowthatcherisdead",
    "#expertsexchange", "#therapistfinder", "#penisland", "#choosespain", "#powergenitalia",
    "#whorepresents", "#kidsexchange", "#Aurora", "#911", "Boston", "Sandy", "Cairo", "ai",
]
Query = tuple[str, tuple[Reading, ...] | None]


def vocabulary(size: int, skip: int) -> list[str]:
    """Return `size` frequent words of three letters or more, most frequent first.

    The `skip` most frequent ones (and, for, this, have, more…) are left out: trends are names
    and nouns, not function words.
    """
    words = []
    with Path(Segmenter.UNIGRAMS_FILENAME).open(encoding="utf-8") as lines:
        for line in lines:
            word = line.split("\t", 1)[0]
            if len(word) >= 3:
                words.append(word)
                if len(words) == skip + size:
                    break
    return words[skip:]


def draw(rng: random.Random, vocab: list[str], weights: list[float], count: int) -> list[str]:
    """Return `count` words drawn with the given weights."""
    return rng.choices(vocab, weights=weights, k=count)


def make_term(rng: random.Random, vocab: list[str], weights: list[float]) -> tuple[str, str]:
    """Return one synthetic trend term: a compact, camelCase or numbered tag, or a phrase."""
    words = draw(rng, vocab, weights, rng.choice((1, 2, 2, 3)))
    style = rng.random()
    if style < 0.35:
        return "".join(words), "hashtag"
    if style < 0.6:
        return "".join(word.capitalize() for word in words), "hashtag"
    if style < 0.7:
        return "".join(words) + str(rng.randint(1, 2030)), "hashtag"
    return " ".join(word.capitalize() for word in [*words, *draw(rng, vocab, weights, 1)]), "phrase"


def make_snapshot(size: int, seed: int, vocab: list[str], weights: list[float]) -> TrendSnapshot:
    """Return a snapshot of `size` distinct terms: the core terms, then synthetic ones."""
    rng = random.Random(seed * 100_003 + size)
    terms = dict(CORE_TERMS)
    while len(terms) < size:
        term, kind = make_term(rng, vocab, weights)
        terms.setdefault(term, kind)
    items = [TrendItem(term=t, kind=k, rank=r) for r, (t, k) in enumerate(terms.items(), 1)]
    return TrendSnapshot(source="bench", fetched_at=datetime(2011, 7, 5, tzinfo=UTC), items=items)


def make_queries(count: int, seed: int, vocab: list[str], weights: list[float]) -> list[Query]:
    """Return the post hashtags (with their readings) and phrases (readings None)."""
    rng = random.Random(seed)
    texts = list(CORE_QUERIES)
    while len(texts) < count:
        term, kind = make_term(rng, vocab, weights)
        texts.append("#" + term.replace(" ", "") if kind == "hashtag" else term.split()[0])
    return [(text, readings(text) if text.startswith("#") else None) for text in texts]


def resolve_all(index: TrendIndex, queries: list[Query]) -> int:
    """Resolve every query and return the number of matches."""
    found = 0
    for text, tag_readings in queries:
        if tag_readings is None:
            found += len(index.match_phrase(text.split()))
        else:
            found += len(index.match_tag(text, tag_readings))
    return found


def main() -> None:
    """Build the snapshots, time the queries against each, and print µs per query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 5000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocabulary", type=int, default=30_000)
    parser.add_argument("--skip", type=int, default=300, help="most frequent words to leave out")
    parser.add_argument("--zipf", type=float, default=0.5, help="word weight = 1 / rank ** zipf")
    args = parser.parse_args()

    vocab = vocabulary(args.vocabulary, args.skip)
    weights = [1 / rank**args.zipf for rank in range(1, len(vocab) + 1)]
    started = time.perf_counter()
    readings("#warmup")
    print(f"wordsegment model loaded in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    queries = make_queries(args.queries, args.seed, vocab, weights)
    read_us = (time.perf_counter() - started) / len(queries) * 1e6
    print(f"{len(queries)} queries; readings took {read_us:,.0f} µs per query (not timed below)")

    per_query = {}
    for size in args.sizes:
        snapshot = make_snapshot(size, args.seed, vocab, weights)
        started = time.perf_counter()
        index = TrendIndex(snapshot)
        build_ms = (time.perf_counter() - started) * 1e3
        best = float("inf")
        for _ in range(args.repeat):
            index = TrendIndex(snapshot)  # a fresh index: it remembers the queries it answered
            started = time.perf_counter()
            matches = resolve_all(index, queries)
            best = min(best, time.perf_counter() - started)
        per_query[size] = best / len(queries) * 1e6
        print(f"{size:>6} items: index built in {build_ms:,.1f} ms; "
              f"{per_query[size]:,.1f} µs per query; {matches} matches")
    smallest, largest = min(per_query), max(per_query)
    print(f"ratio {largest}/{smallest} items: {per_query[largest] / per_query[smallest]:.2f}×")


if __name__ == "__main__":
    main()
