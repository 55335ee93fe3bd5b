"""The default decision table, risk and score."""

from __future__ import annotations

import pytest

from safepost import Finding, Post
from safepost.config import Config, DecisionThresholds
from safepost.verdict import decide, risk_of, score_of


def finding(severity: str) -> Finding:
    return Finding(rule="x.y", category="policy", severity=severity, message="m")


@pytest.mark.parametrize(
    ("severities", "decision", "risk"),
    [
        pytest.param([], "publish", "none", id="no finding publishes"),
        pytest.param(["low"], "publish", "low", id="a low finding publishes"),
        pytest.param(["low", "medium"], "review", "medium", id="a medium finding asks for review"),
        pytest.param(["medium", "high"], "hold", "high", id="a high finding holds"),
        pytest.param(["critical"], "hold", "critical", id="a critical finding holds"),
    ],
)
def test_default_mapping(severities: list[str], decision: str, risk: str) -> None:
    findings = [finding(s) for s in severities]
    assert decide(findings, Post(text="t"), Config()) == decision
    assert risk_of(findings) == risk


def test_thresholds_can_be_tuned() -> None:
    strict = Config(decision=DecisionThresholds(hold="medium", review="low"))
    assert decide([finding("medium")], Post(text="t"), strict) == "hold"
    assert decide([finding("low")], Post(text="t"), strict) == "review"


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="`review` must not be more severe than `hold`"):
        DecisionThresholds(hold="medium", review="high")


@pytest.mark.parametrize(
    ("severities", "score"),
    [([], 0), (["low"], 15), (["medium"], 40), (["high"], 75), (["critical"], 95),
     (["critical", "high", "high"], 100), (["medium", "low"], 41)],
)
def test_score_grows_with_severity_and_count(severities: list[str], score: int) -> None:
    assert score_of([finding(s) for s in severities]) == score
