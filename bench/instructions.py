"""Check N unseen posts after a warm-up, for counting instructions under callgrind.

Run, once with N and once with 0:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/instructions.py 400

The difference between the two "Collected" counts is what N posts cost, in instructions:
a figure a busy machine does not blur, where wall-clock times of the same code differ by a
fifth from one run to the next. The collector stays off, so a full collection falling in
one run and not in the other cannot tip the comparison; hash seeds are fixed for the same
reason.
"""

from __future__ import annotations

import argparse
import gc

import corpus

from safepost import Checker

WARM_UP = 600


def main() -> None:
    """Warm a Checker on one set of posts, then check the first N of another."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=int, help="unseen posts to check after the warm-up")
    args = parser.parse_args()
    gc.disable()
    checker = Checker()
    snapshot = corpus.snapshot(500)
    list(checker.check_many(corpus.posts(WARM_UP, tag="throughput-0"), trends=snapshot))
    list(checker.check_many(corpus.posts(args.posts, tag="throughput-1"), trends=snapshot))


if __name__ == "__main__":
    main()
