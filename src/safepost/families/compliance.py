"""Compliance groups as compliance teams write them: must have any, must have all, must not have.

The groups follow the lexicon policies of archive-supervision tools (MUSTANY,
MUSTALL, MUSTNOT), with a `when` condition that says which posts a rule is for:
"every promotional post must include 'T&Cs apply'".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding
from ..rule import Rule, RuleSpec
from .terms import _longest_first, _overlaps_any


class When(BaseModel):
    """Which posts a compliance rule is for; every condition given must hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sponsored: bool | None = None
    channel: list[str] = Field(default_factory=list)
    lexicon: str | None = None
    mentions: list[str] = Field(default_factory=list)


class ComplianceSpec(RuleSpec):
    """A compliance rule: phrase groups, the posts they apply to, and their exceptions.

    `unless` phrases cancel a forbidden phrase they overlap ("money-back guarantee"
    for "guarantee"); `exempt` phrases anywhere in the post exempt it from the rule
    ("source:" for "clinically proven").
    """

    require_any: list[str] = Field(default_factory=list)
    require_all: list[str] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    exempt: list[str] = Field(default_factory=list)
    evasion: bool = False
    when: When = Field(default_factory=When)

    @model_validator(mode="after")
    def _has_a_group(self) -> ComplianceSpec:
        if not (self.require_any or self.require_all or self.forbid):
            raise ValueError("a compliance rule needs `require_any:`, `require_all:` or `forbid:`")
        return self


class ComplianceRule(Rule):
    """Flags a missing required phrase, a missing one of a set, or a forbidden phrase."""

    family = "compliance"
    Spec = ComplianceSpec
    spec: ComplianceSpec

    def __init__(self, spec: ComplianceSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        phrases.add(f"any:{spec.id}", spec.require_any)
        phrases.add(f"all:{spec.id}", spec.require_all)
        phrases.add(f"forbid:{spec.id}", spec.forbid, evasion=spec.evasion)
        phrases.add(f"unless:{spec.id}", spec.unless)
        phrases.add(f"exempt:{spec.id}", spec.exempt)
        phrases.add(f"when:{spec.id}", spec.when.mentions)
        self._channels = {c.casefold() for c in spec.when.channel}

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield the findings of each group when the rule applies to the post."""
        if not self.applies(analysis) or analysis.has(f"exempt:{self.spec.id}"):
            return
        spec = self.spec
        if spec.require_any and not analysis.has(f"any:{spec.id}"):
            yield self.finding(analysis, term=_listing(spec.require_any, "or"),
                               evidence=[f"needs one of: {', '.join(spec.require_any)}"])
        if spec.require_all:
            found = {h.phrase.text for h in analysis.hits.get(f"all:{spec.id}", [])}
            missing = [p for p in spec.require_all if p not in found]
            if missing:
                yield self.finding(analysis, term=_listing(missing, "and"),
                                   evidence=[f"missing: {', '.join(missing)}"])
        blockers = analysis.hits.get(f"unless:{spec.id}", [])
        forbidden = [h for h in analysis.hits.get(f"forbid:{spec.id}", [])
                     if not _overlaps_any(h, blockers)]
        for hit in _longest_first(forbidden):
            span = analysis.span(hit)
            if not analysis.in_link(span):
                yield self.finding(analysis, span=span, term=hit.phrase.text)

    def applies(self, analysis: Analysis) -> bool:
        """Return whether the post meets every condition of the rule's `when`."""
        when, post = self.spec.when, analysis.post
        if when.sponsored is not None and post.sponsored != when.sponsored:
            return False
        if self._channels and (post.channel or "").casefold() not in self._channels:
            return False
        if when.lexicon and not analysis.has(when.lexicon):
            return False
        return not when.mentions or analysis.has(f"when:{self.spec.id}")


def _listing(phrases: list[str], conjunction: str) -> str:
    quoted = [f"“{p}”" for p in phrases]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the compliance family."""
    register(ComplianceRule)
