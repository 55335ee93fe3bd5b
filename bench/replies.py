"""Precision and recall of the reply rules on the labelled replies in tests/data/replies/.

Run: python bench/replies.py [--data DIR]

Each line of `<lang>.jsonl` is a reply with the complaint it answers and the reply rule ids
a person expects (`labels`). Every language is checked in file order by one fresh Checker,
so a reply pasted into a later thread counts as canned. A rule with no expected and no
reported finding in a language has no row for it.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from safepost import Checker, Post

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "replies"
PREFIX = "reply."


@dataclass(frozen=True)
class Score:
    """Counts of one rule in one language, and the rates they give."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Return the share of reported findings a person expected (1.0 when none reported)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return the share of expected findings reported (1.0 when none expected)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load(path: Path) -> list[tuple[Post, frozenset[str]]]:
    """Read a labelled file into posts and the rule ids expected for each."""
    cases = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels = frozenset(row.pop("labels"))
            cases.append((Post.model_validate(row), labels))
    return cases


def evaluate(data: Path = DATA) -> dict[tuple[str, str], Score]:
    """Return the score of every reply rule in every language of `data`."""
    scores: dict[tuple[str, str], Score] = {}
    for path in sorted(data.glob("*.jsonl")):
        cases = load(path)
        counts: Counter[tuple[str, str]] = Counter()
        verdicts = Checker().check_many(post for post, _ in cases)
        for (_, expected), verdict in zip(cases, verdicts, strict=True):
            found = {f.rule for f in verdict.findings if f.rule.startswith(PREFIX)}
            for rule in found & expected:
                counts[rule, "tp"] += 1
            for rule in found - expected:
                counts[rule, "fp"] += 1
            for rule in expected - found:
                counts[rule, "fn"] += 1
        for rule in sorted({rule for rule, _ in counts}):
            scores[path.stem, rule] = Score(*(counts[rule, k] for k in ("tp", "fp", "fn")))
    return scores


def main() -> None:
    """Print a table of precision and recall per rule and language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    scores = evaluate(parser.parse_args().data)
    print(f"{'lang':4}  {'rule':30}  {'tp':>3}  {'fp':>3}  {'fn':>3}  precision  recall")
    for (lang, rule), s in scores.items():
        counts = f"{s.tp:3}  {s.fp:3}  {s.fn:3}"
        print(f"{lang:4}  {rule:30}  {counts}  {s.precision:9.2f}  {s.recall:6.2f}")


if __name__ == "__main__":
    main()
