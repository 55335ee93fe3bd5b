"""How much obfuscation the bundled packs see through, per pack and technique.

Run: python bench/evasion.py [--suite terms|examples|pass|all] [--seed N] [--misses]

Builds the cases of ``safepost.evasion`` with one default ``Checker()``: every ``match``
term of the profanity and wording packs in at least five obfuscated forms (``terms``),
every flag example of the word-based packs with the matched words obfuscated
(``examples``), and the pass examples of the profanity and wording packs obfuscated as a
whole (``pass``). Checks them with ``check_many`` and prints a table per suite: pack,
technique, variants and the share caught by the same rule with a span inside the
obfuscated words (for ``pass``, the share that stayed unflagged). --misses lists every
miss (every false alarm for ``pass``). Always exits 0: tests/test_evasion.py is the gate.
"""

from __future__ import annotations

import argparse
import time

from safepost import Checker
from safepost.evasion import (
    Case,
    caught,
    example_cases,
    pass_cases,
    shares,
    term_cases,
    unflagged,
)

SUITES = {"terms": term_cases, "examples": example_cases, "pass": pass_cases}


def _report(name: str, checker: Checker, cases: list[Case], misses: bool) -> None:
    started = time.perf_counter()
    verdicts = list(checker.check_many(c.post for c in cases))
    hits = (unflagged if name == "pass" else caught)(cases, verdicts)
    elapsed = time.perf_counter() - started
    label = "unflagged" if name == "pass" else "caught"
    print(f"\n{name}: {len(cases)} variants in {elapsed:.1f}s")
    print(f"{'pack':34} {'technique':11} {'variants':>8} {label:>9}")
    for (pack, technique), (total, good) in shares(cases, hits).items():
        print(f"{pack:34} {technique:11} {total:8} {good / total:9.3f}")
    if misses:
        for case, hit in zip(cases, hits, strict=True):
            if not hit:
                print(f"  {case.rule} [{case.variant.technique}] {case.variant.text!r}")


def main() -> None:
    """Print the evasion tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    checker = Checker()
    for name, build in SUITES.items():
        if args.suite in (name, "all"):
            _report(name, checker, list(build(checker, seed=args.seed)), args.misses)


if __name__ == "__main__":
    main()
