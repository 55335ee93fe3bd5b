"""Quality figures for the rule packs, measured on a labelled corpus.

A corpus is a folder of JSON Lines files named after their language
(``tests/data/corpus/en.jsonl``). Each line is one post::

    {"text": "...", "labels": ["sensitive_topic"], "decision": "publish",
     "in_reply_to": "...", "channel": "x", "sponsored": false, "publish_at": "..."}

``labels`` lists the categories safepost should report for the post, at any severity
(``[]`` for a benign post); ``decision``, when given, is the verdict's expected decision.
Any other key is a `Post` field. A post without ``lang`` takes the file's language; a
post without ``publish_at`` is checked as if published at `DEFAULT_PUBLISH_AT`, so the
figures do not depend on the day the corpus is run.

For every language and every category that occurs in that language's labels, `score`
counts true and false positives: a category is *predicted* for a post when the verdict
has at least one finding of that category at `min_severity` or above (default: any).
`python bench/quality.py` prints the table; ``tests/test_corpus.py`` asserts on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import InputError
from .models import CATEGORIES, DECISIONS, Post, Verdict, severity_rank

if TYPE_CHECKING:
    from .checker import Checker

DEFAULT_PUBLISH_AT = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)
"""A plain Wednesday afternoon: no holiday or anniversary near it."""

_META_KEYS = ("labels", "decision", "note")


@dataclass(frozen=True)
class Example:
    """One labelled post of a corpus."""

    post: Post
    labels: frozenset[str]
    decision: str | None
    source: str
    note: str | None = None


@dataclass(frozen=True)
class CategoryScore:
    """Confusion counts of one category in one language."""

    lang: str
    category: str
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def support(self) -> int:
        """Return the number of posts labelled with the category."""
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        """Return the number of posts not labelled with the category."""
        return self.fp + self.tn

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), or 1.0 when nothing was predicted."""
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), or 1.0 when no post carries the label."""
        return self.tp / self.support if self.support else 1.0

    @property
    def fpr(self) -> float:
        """Return FP / posts not labelled with the category (the false-positive rate)."""
        return self.fp / self.negatives if self.negatives else 0.0


@dataclass(frozen=True)
class DecisionScore:
    """How often the verdict's decision matched the expected one, in one language."""

    lang: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Return correct / total, or 1.0 when no post gives a decision."""
        return self.correct / self.total if self.total else 1.0


@dataclass(frozen=True)
class Mistake:
    """A post the packs got wrong: a missed label, a false positive or a wrong decision."""

    kind: str  # "missed", "false positive" or "decision"
    category: str | None
    example: Example
    verdict: Verdict

    def describe(self) -> str:
        """Return one line naming the post, what went wrong and the findings."""
        found = ", ".join(f"{f.rule}/{f.severity}:{f.matched!r}" for f in self.verdict.findings)
        what = self.category or f"expected {self.example.decision}, got {self.verdict.decision}"
        text = self.example.post.text
        return f"{self.example.source} {self.kind} [{what}] {text!r} -> {found or '-'}"


@dataclass
class QualityReport:
    """Per-language, per-category scores, decision accuracy and the mistakes behind them."""

    categories: list[CategoryScore] = field(default_factory=list)
    decisions: list[DecisionScore] = field(default_factory=list)
    mistakes: list[Mistake] = field(default_factory=list)
    posts: dict[str, int] = field(default_factory=dict)

    def table(self) -> str:
        """Return the scores as an aligned text table."""
        header = ("lang", "category", "support", "negatives", "TP", "FP", "FN",
                  "precision", "recall", "FPR")
        rows = [header]
        for s in self.categories:
            rows.append((s.lang, s.category, str(s.support), str(s.negatives), str(s.tp),
                         str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}",
                         f"{s.fpr:.3f}"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = []
        for n, row in enumerate(rows):
            cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
                     for i, cell in enumerate(row)]
            lines.append("  ".join(cells).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        for d in self.decisions:
            lines.append("")
            lines.append(f"{d.lang}: decision accuracy {d.accuracy:.3f} "
                         f"({d.correct}/{d.total} posts with an expected decision)")
        for lang, count in sorted(self.posts.items()):
            lines.append(f"{lang}: {count} posts")
        return "\n".join(lines)


def load_corpus(paths: Iterable[str | Path], *, lang: str | None = None) -> list[Example]:
    """Read every ``*.jsonl`` file under `paths` (files or folders), optionally one language."""
    examples: list[Example] = []
    for path in map(Path, paths):
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            if lang is not None and file.stem != lang:
                continue
            examples.extend(_read_file(file))
    return examples


def _read_file(file: Path) -> Iterable[Example]:
    default_lang = file.stem if len(file.stem) == 2 else None
    for number, line in enumerate(file.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{file.name}:{number}"
        try:
            record: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=file, line=number) from None
        if not isinstance(record, dict):
            raise InputError("a corpus line is a JSON object", path=file, line=number)
        labels = record.get("labels")
        if not isinstance(labels, list) or any(label not in CATEGORIES for label in labels):
            raise InputError(f"`labels` must be a list of categories ({', '.join(CATEGORIES)})",
                             path=file, line=number, key="labels")
        decision = record.get("decision")
        if decision is not None and decision not in DECISIONS:
            raise InputError(f"`decision` must be one of {', '.join(DECISIONS)}",
                             path=file, line=number, key="decision")
        fields = {k: v for k, v in record.items() if k not in _META_KEYS}
        fields.setdefault("lang", default_lang)
        fields.setdefault("publish_at", DEFAULT_PUBLISH_AT)
        try:
            post = Post.model_validate(fields)
        except ValidationError as exc:
            error = exc.errors()[0]
            raise InputError(error["msg"], path=file, line=number,
                             key=".".join(map(str, error["loc"]))) from None
        yield Example(post, frozenset(labels), decision, source, record.get("note"))


def score(checker: Checker, examples: Sequence[Example], *,
          min_severity: str = "low") -> QualityReport:
    """Check every example with `checker` (one `check_many` pass) and score the verdicts."""
    verdicts = list(checker.check_many([e.post for e in examples]))
    floor = severity_rank(min_severity)
    report = QualityReport()
    langs = sorted({v.lang for v in verdicts})
    for lang in langs:
        pairs = [(e, v) for e, v in zip(examples, verdicts, strict=True) if v.lang == lang]
        report.posts[lang] = len(pairs)
        labelled = sorted({c for e, _ in pairs for c in e.labels}, key=CATEGORIES.index)
        predicted = [{f.category for f in v.findings if severity_rank(f.severity) >= floor}
                     for _, v in pairs]
        for category in labelled:
            tp = fp = fn = tn = 0
            for (example, verdict), found in zip(pairs, predicted, strict=True):
                expected, got = category in example.labels, category in found
                if expected and got:
                    tp += 1
                elif got:
                    fp += 1
                    report.mistakes.append(Mistake("false positive", category, example, verdict))
                elif expected:
                    fn += 1
                    report.mistakes.append(Mistake("missed", category, example, verdict))
                else:
                    tn += 1
            report.categories.append(CategoryScore(lang, category, tp, fp, fn, tn))
        judged = [(e, v) for e, v in pairs if e.decision is not None]
        if judged:
            correct = sum(e.decision == v.decision for e, v in judged)
            report.decisions.append(DecisionScore(lang, correct, len(judged)))
            report.mistakes.extend(Mistake("decision", None, e, v)
                                   for e, v in judged if e.decision != v.decision)
    return report
