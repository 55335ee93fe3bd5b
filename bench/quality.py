"""Precision, recall and false-positive rate of the bundled packs on the labelled corpus.

Run: python bench/quality.py [--lang en] [--corpus DIR] [--min-severity low] [--mistakes]

Loads every ``tests/data/corpus/*.jsonl`` (or the files under --corpus), checks each post
with one default ``Checker()`` (``check_many``, no network, no trends) and prints, per
language and per category that occurs in the labels: support (posts labelled with the
category), negatives (posts not labelled with it), TP/FP/FN, precision, recall and the
false-positive rate (FP / negatives); then decision accuracy over the posts that give an
expected ``decision``. --mistakes lists every miss, false positive and wrong decision.

Labelling convention (see docs/quality.md): ``labels`` are the categories safepost should
report at any severity; a respectful condolence that mentions a death is labelled
``sensitive_topic`` with ``"decision": "publish"`` (a low finding that does not hold the post).
Always exits 0: this is a report, tests/test_corpus.py is the gate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from safepost import Checker
from safepost.models import SEVERITIES
from safepost.quality import load_corpus, score

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", help="score only this language's corpus file")
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "corpus",
                        help="folder of <lang>.jsonl files (default: tests/data/corpus)")
    parser.add_argument("--min-severity", choices=SEVERITIES, default="low",
                        help="count a category as predicted only at this severity or above")
    parser.add_argument("--mistakes", action="store_true",
                        help="list every missed label, false positive and wrong decision")
    args = parser.parse_args(argv)

    examples = load_corpus([args.corpus], lang=args.lang)
    if not examples:
        print(f"no corpus posts found under {args.corpus}", file=sys.stderr)
        return 0
    checker = Checker()
    started = time.perf_counter()
    report = score(checker, examples, min_severity=args.min_severity)
    elapsed = time.perf_counter() - started
    print(report.table())
    print(f"checked {len(examples)} posts in {elapsed:.2f}s "
          f"({1000 * elapsed / len(examples):.1f} ms/post, including pipeline warm-up)")
    if args.mistakes and report.mistakes:
        print()
        for mistake in report.mistakes:
            print(mistake.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
