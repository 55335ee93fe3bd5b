"""Check N unseen posts after a warm-up, for counting instructions under callgrind.

Run, once with N and once with 0:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/instructions.py 400

The difference between the two "Collected" counts is what N posts cost, in instructions:
a figure a busy machine does not blur, where wall-clock times of the same code differ by a
fifth from one run to the next. The collector stays off, so a full collection falling in
one run and not in the other cannot tip the comparison; hash seeds are fixed for the same
reason. What still moves with address-space randomization leaves about 1 % of noise.
"""

from __future__ import annotations

import argparse
import gc

import corpus

from safepost import Checker

WARM_UP = 600
UNSEEN = 1000  # posts generated in every run, so generating them is no part of the difference


def _count(value: str) -> int:
    if not value.isdigit() or int(value) > UNSEEN:
        raise argparse.ArgumentTypeError(f"a whole number from 0 to {UNSEEN}")
    return int(value)


def main() -> None:
    """Warm a Checker on one set of posts, then check the first N of another."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=_count, metavar="N",
                        help=f"unseen posts to check after the warm-up, at most {UNSEEN}")
    args = parser.parse_args()
    gc.disable()
    checker = Checker()
    snapshot = corpus.snapshot(500)
    warm_up, unseen = corpus.posts(WARM_UP, tag="throughput-0"), corpus.posts(
        UNSEEN, tag="throughput-1")
    list(checker.check_many(warm_up, trends=snapshot))
    list(checker.check_many(unseen[:args.posts], trends=snapshot))


if __name__ == "__main__":
    main()
