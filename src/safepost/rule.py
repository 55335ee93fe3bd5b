"""What every rule family implements: a spec read from a pack and a compiled rule."""

from __future__ import annotations

import string
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import Category, Finding, Severity

if TYPE_CHECKING:
    from .analysis import Analysis
    from .matcher import PhraseCompiler

Example = str | dict[str, Any]


def covers(prefix: str, rule_id: str) -> bool:
    """Return whether a rule id, or a prefix of ids ("insensitive"), covers `rule_id`."""
    return rule_id == prefix or rule_id.startswith(prefix + ".")


class Examples(BaseModel):
    """Posts a rule must flag and posts it must let pass; both kinds are required."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    flag: list[Example] = Field(min_length=1)
    ok: list[Example] = Field(alias="pass", min_length=1)


class Explain(BaseModel):
    """The fixed sections `safepost explain` prints."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    why: str
    instead: str


class RuleSpec(BaseModel):
    """One rule as written in a pack; families subclass it with their own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)+$")
    category: Category
    severity: Severity
    message: str
    suggestion: str | None = None
    explain: Explain | None = None
    description: str | None = None
    source: str | None = None
    enabled: bool = True
    examples: Examples

    @field_validator("message")
    @classmethod
    def _known_slots(cls, value: str) -> str:
        slots = {name for _, name, _, _ in string.Formatter().parse(value) if name}
        unknown = slots - {"matched", "suggestion", "term"}
        if unknown:
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use "
                             "{matched}, {suggestion} or {term}")
        return value


class Rule(ABC):
    """A compiled rule: built once per language, then asked about each analysed post."""

    family: ClassVar[str]
    Spec: ClassVar[type[RuleSpec]] = RuleSpec
    #: False for a family whose rules never yield findings (lexicons, which only tell other
    #: rules what matched): the Checker never calls their `check`.
    reports: ClassVar[bool] = True
    #: Phrase owners this rule cannot find anything without: when none of them matched a
    #: post, the Checker does not call `check`. A need also covers the owners below it
    #: ("sensitive" covers "sensitive.violence"). Empty: `check` runs on every post.
    needs: tuple[str, ...] = ()

    def __init__(self, spec: RuleSpec, lang: str, phrases: PhraseCompiler) -> None:
        self.spec = spec
        self.lang = lang

    @property
    def id(self) -> str:
        """Return the rule's stable id."""
        return self.spec.id

    @abstractmethod
    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield the findings of this rule in an analysed post."""

    def fires(self, analysis: Analysis) -> bool:
        """Return whether the rule reacts to the post (what pack examples are tested on)."""
        return any(True for _ in self.check(analysis))

    def finding(
        self,
        analysis: Analysis,
        *,
        span: tuple[int, int] | None = None,
        term: str | None = None,
        severity: Severity | None = None,
        evidence: list[str] | None = None,
        message: str | None = None,
        suggestion: str | None = None,
    ) -> Finding:
        """Build a finding of this rule, filling the message's placeholders."""
        matched = analysis.post.text[span[0]:span[1]] if span else None
        suggestion = suggestion if suggestion is not None else self.spec.suggestion
        text = (message or self.spec.message).format(
            matched=matched or term or "", suggestion=suggestion or "", term=term or matched or ""
        )
        return Finding(
            rule=self.spec.id,
            category=self.spec.category,
            severity=severity or self.spec.severity,
            message=text,
            span=span,
            matched=matched,
            evidence=evidence or [],
            suggestion=suggestion,
        )
