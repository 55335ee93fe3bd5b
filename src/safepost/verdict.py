"""From findings to a verdict: the default decision, risk, score and order."""

from __future__ import annotations

from collections.abc import Sequence

from .config import Config
from .hookspecs import hookimpl
from .models import Decision, Finding, Post, Risk, Suppression, TrendStatus, Verdict, severity_rank

_WEIGHT = {"low": 15, "medium": 40, "high": 75, "critical": 95}


@hookimpl(trylast=True)
def decide(findings: Sequence[Finding], post: Post, config: Config) -> Decision:
    """Hold at the configured `hold` severity, review at `review`, else publish."""
    highest = max((severity_rank(f.severity) for f in findings), default=0)
    if highest and highest >= severity_rank(config.decision.hold):
        return "hold"
    if highest and highest >= severity_rank(config.decision.review):
        return "review"
    return "publish"


def risk_of(findings: Sequence[Finding]) -> Risk:
    """Return the highest severity found, or "none"."""
    return max((f.severity for f in findings), key=severity_rank, default="none")


def score_of(findings: Sequence[Finding]) -> int:
    """Score 0–100: the weight of the worst finding plus a little for each further one."""
    if not findings:
        return 0
    weights = sorted((_WEIGHT[f.severity] for f in findings), reverse=True)
    return min(100, weights[0] + sum(w // 10 for w in weights[1:]))


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Sort findings most severe first, then by position, then by rule id."""
    return sorted(
        findings,
        key=lambda f: (-severity_rank(f.severity), f.span[0] if f.span else -1, f.rule),
    )


def assemble(
    findings: Sequence[Finding],
    *,
    decision: Decision,
    post: Post,
    lang: str,
    trend_status: TrendStatus,
    version: str,
    suppressed: Sequence[Suppression] = (),
) -> Verdict:
    """Build the verdict of one post."""
    return Verdict(
        decision=decision,
        risk=risk_of(findings),
        score=score_of(findings),
        findings=ordered(findings),
        post_id=post.id,
        lang=lang,
        trend_status=trend_status,
        version=version,
        suppressed=list(suppressed),
    )
