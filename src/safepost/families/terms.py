"""Term rules: words and phrases matched on surface form, lemma and de-obfuscated form."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import Hit, PhraseCompiler
from ..models import Category, Finding, Severity
from ..rule import Rule, RuleSpec

HEADLINE = "headline:"


class Context(BaseModel):
    """A change of severity when other words appear anywhere in the post."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    near: list[str] = Field(default_factory=list)
    lexicon: str | None = None
    severity: Severity
    message: str | None = None

    @model_validator(mode="after")
    def _needs_a_trigger(self) -> Context:
        if not self.near and not self.lexicon:
            raise ValueError("a context needs `near:` phrases or a `lexicon:` id")
        return self


class TermSpec(RuleSpec):
    """A term rule: phrases to flag, phrases that cancel them, context that changes severity."""

    match: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)
    evasion: bool = False
    context: list[Context] = Field(default_factory=list)
    headline_match: list[str] = Field(default_factory=list)


class TermRule(Rule):
    """Flags the rule's phrases unless an `unless` phrase overlaps the match."""

    family = "terms"
    Spec = TermSpec
    spec: TermSpec

    def __init__(self, spec: TermSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        phrases.add(spec.id, spec.match, evasion=spec.evasion)
        # A disguised innocent phrase (Sp0tted dick) cancels as the plain one does.
        phrases.add(f"unless:{spec.id}", spec.unless, evasion=spec.evasion)
        phrases.add(f"{HEADLINE}{spec.id}", spec.headline_match)
        for index, context in enumerate(spec.context):
            phrases.add(f"near:{spec.id}:{index}", context.near)
        if type(self).check is TermRule.check:  # a subclass's own check may need no hits
            self.needs = (spec.id,)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield one finding per matched phrase that no `unless` phrase cancels."""
        matched = analysis.hits.get(self.spec.id)
        if not matched:
            return
        blockers = analysis.hits.get(f"unless:{self.spec.id}", [])
        hits = [h for h in matched if not _overlaps_any(h, blockers)]
        severity, message = self._context(analysis)
        for hit in _longest_first(hits):
            span = analysis.span(hit)
            if analysis.in_link(span):
                continue
            yield self.finding(analysis, span=span, term=hit.phrase.text,
                               severity=severity, message=message)

    def _context(self, analysis: Analysis) -> tuple[Severity | None, str | None]:
        for index, context in enumerate(self.spec.context):
            near = analysis.has(f"near:{self.spec.id}:{index}")
            if near or (context.lexicon and analysis.has(context.lexicon)):
                return context.severity, context.message
        return None, None


class LexiconSpec(TermSpec):
    """A named word list other rules refer to (promotional wording, condolences); no findings."""

    category: Category = "policy"
    severity: Severity = "low"
    message: str = ""


class LexiconRule(TermRule):
    """Matches like a term rule, but only tells other rules whether it matched."""

    family = "lexicon"
    Spec = LexiconSpec
    reports = False

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield nothing: a lexicon informs other rules."""
        return iter(())

    def fires(self, analysis: Analysis) -> bool:
        """Return whether any of the lexicon's phrases matched."""
        return bool(list(super().check(analysis)))


def _overlaps_any(hit: Hit, others: list[Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)


def _longest_first(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if not _overlaps_any(hit, kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the term and lexicon families."""
    register(TermRule)
    register(LexiconRule)
