"""The bundled packs meet their quality bar on the labelled corpus (tests/data/corpus/).

Same computation as `python bench/quality.py` (both use `safepost.quality`): for every
language and every category that occurs in its labels, recall >= 0.95 and the
false-positive rate (FP / posts not labelled with the category) <= 0.03.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from safepost import Checker
from safepost.quality import CategoryScore, QualityReport, load_corpus, score

CORPUS = Path(__file__).parent / "data" / "corpus"
MIN_RECALL = 0.95
MAX_FPR = 0.03
# Categories the content packs (sensitive topics, politics, insensitive wording, profanity,
# hostile tone) own; trends, dates, disclosure and privacy are measured elsewhere.
SCORED = {"sensitive_topic", "politics", "insensitive_wording", "profanity", "tone"}
MIN_POSTS = {"en": 320}


@pytest.fixture(scope="module")
def report(checker: Checker) -> QualityReport:
    return score(checker, load_corpus([CORPUS]))


def _mistakes(report: QualityReport, row: CategoryScore, kind: str) -> str:
    lines = [m.describe() for m in report.mistakes
             if m.category == row.category and m.example.post.lang == row.lang and m.kind == kind]
    return "\n".join(lines)


def test_corpus_labels_only_content_categories() -> None:
    examples = load_corpus([CORPUS])
    assert examples
    for example in examples:
        assert example.labels <= SCORED, f"{example.source}: {sorted(example.labels - SCORED)}"


@pytest.mark.parametrize(("lang", "minimum"), sorted(MIN_POSTS.items()))
def test_corpus_is_large_and_balanced(lang: str, minimum: int) -> None:
    examples = load_corpus([CORPUS], lang=lang)
    benign = sum(1 for e in examples if not e.labels)
    assert len(examples) >= minimum
    assert 0.4 <= benign / len(examples) <= 0.6, "about half of the posts should be benign"
    assert {c for e in examples for c in e.labels} == SCORED
    texts = [e.post.text for e in examples]
    assert len(texts) == len(set(texts)), "a post appears twice"


def test_every_category_meets_the_bar(report: QualityReport) -> None:
    failures = []
    for row in report.categories:
        if row.recall < MIN_RECALL:
            failures.append(f"{row.lang} {row.category}: recall {row.recall:.3f} < {MIN_RECALL}\n"
                            + _mistakes(report, row, "missed"))
        if row.fpr > MAX_FPR:
            failures.append(f"{row.lang} {row.category}: FPR {row.fpr:.3f} > {MAX_FPR}\n"
                            + _mistakes(report, row, "false positive"))
    assert not failures, "\n\n".join(failures) + "\n\n" + report.table()


def test_the_table_lists_every_scored_category(report: QualityReport) -> None:
    table = report.table()
    for category in SCORED:
        assert category in table
    assert "decision accuracy" in table
