"""Crisis mode: declared windows during which promotions pause and topic mentions need review.

Windows come from `[[crisis]]` tables in the config (or `Config(crisis=[...])`). The
Checker turns them into one extra pack of the `crisis` family, so `check`, `check_many`
and `recheck` apply them like any other rule; `disable` and `[severity]` work on their ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from .models import Finding
from .packs import Pack
from .rule import Examples, Explain, Rule, RuleSpec

if TYPE_CHECKING:
    from .analysis import Analysis
    from .config import Config
    from .matcher import PhraseCompiler

PROMOTION_PAUSED = "crisis.promotion-paused"
TOPIC_MENTION = "crisis.topic-mention"
PACK_PATH = "config:[[crisis]]"
# The promotion example is English: the bundled English pack defines `lexicon.promo`.
PROMO_EXAMPLE = "Flash sale: 30% off everything"


class CrisisWindow(BaseModel):
    """A period of crisis: from `start` (inclusive) to `end` (exclusive), with its policy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime
    terms: list[str] = Field(default_factory=list)
    hold_promotions: bool = True
    review_mentions: bool = True
    regions: list[str] | None = None

    @field_validator("regions")
    @classmethod
    def _upper_regions(cls, regions: list[str] | None) -> list[str] | None:
        if regions is None:
            return None
        codes = [r.upper() for r in regions]
        if not all(len(c) == 2 and c.isalpha() for c in codes):
            raise ValueError("regions are ISO 3166-1 alpha-2 codes, e.g. [\"NO\", \"BG\"]")
        return codes

    @model_validator(mode="after")
    def _ordered(self) -> CrisisWindow:
        if self.end <= self.start:
            raise ValueError("`end` must be after `start`")
        return self

    def covers(self, when: datetime, region: str | None) -> bool:
        """Return whether a post at `when` in `region` falls in the window.

        A post whose region is unknown falls in every regional window: crisis mode errs
        on the side of holding.
        """
        if not self.start <= when < self.end:
            return False
        return self.regions is None or region is None or region in self.regions

    def describe(self) -> str:
        """Return one line naming the window, its period and its policy."""
        policy = []
        if self.hold_promotions:
            policy.append("holds promotions")
        if self.review_mentions and self.terms:
            policy.append("reviews mentions of " + ", ".join(self.terms))
        where = f"; regions {', '.join(self.regions)}" if self.regions else ""
        return (f"crisis window “{self.name}”: {self.start.isoformat()} to {self.end.isoformat()}; "
                f"{'; '.join(policy) or 'no policy'}{where}")


class CrisisSpec(RuleSpec):
    """A crisis rule built from the config: the windows and what it checks in them."""

    kind: Literal["promotion", "mention"]
    windows: list[CrisisWindow] = Field(min_length=1)
    promo: str = "lexicon.promo"
    region: str | None = None


class CrisisRule(Rule):
    """During a window, hold promotional posts or review posts that mention its topic."""

    family = "crisis"
    Spec = CrisisSpec
    spec: CrisisSpec

    def __init__(self, spec: CrisisSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        if spec.kind == "mention":
            for index, window in enumerate(spec.windows):
                phrases.add(f"{spec.id}:{index}", window.terms)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield a finding per window the post falls in and offends against."""
        region = analysis.post.region or self.spec.region
        for index, window in enumerate(self.spec.windows):
            if not window.covers(analysis.publish_at, region):
                continue
            evidence = [window.name, f"{window.start.isoformat()} – {window.end.isoformat()}"]
            if self.spec.kind == "promotion":
                if window.hold_promotions and analysis.has(self.spec.promo):
                    yield self.finding(analysis, term=window.name, evidence=evidence)
            elif window.review_mentions:
                hits = analysis.hits.get(f"{self.spec.id}:{index}", [])
                spans = [s for s in map(analysis.span, hits) if not analysis.in_link(s)]
                if spans:
                    yield self.finding(analysis, span=min(spans), term=window.name,
                                       evidence=evidence)


def crisis_packs(config: Config) -> list[Pack]:
    """Return the pack that applies the config's crisis windows; none when none are declared."""
    windows = list(config.crisis)
    if not windows:
        return []
    before = (min(w.start for w in windows) - timedelta(seconds=1)).isoformat()
    specs: list[CrisisSpec] = []
    holding = [w for w in windows if w.hold_promotions]
    if holding:
        flag = _example(PROMO_EXAMPLE, holding[0], lang="en")
        specs.append(CrisisSpec(
            id=PROMOTION_PAUSED, kind="promotion", category="policy", severity="high",
            windows=windows, region=config.region,
            message="Promotions are paused during the crisis window “{term}”; "
                    "hold this post until the window ends.",
            suggestion="Reschedule the post after the window, or post useful information instead.",
            explain=Explain(
                what="A promotional post scheduled inside a declared crisis window.",
                why="Selling while people are hurting reads as tone-deaf or exploitative.",
                instead="Pause promotions until the window ends; post updates that help instead."),
            examples=Examples(flag=[flag], ok=[{**flag, "publish_at": before}])))
    mentioning = [w for w in windows if w.review_mentions and w.terms]
    if mentioning:
        flag = _example(mentioning[0].terms[0], mentioning[0])
        specs.append(CrisisSpec(
            id=TOPIC_MENTION, kind="mention", category="sensitive_topic", severity="medium",
            windows=windows, region=config.region,
            message="“{matched}” touches the topic of the crisis window “{term}”; "
                    "a person should read it before it goes out.",
            suggestion="Check the wording against the latest news, or wait until the window ends.",
            explain=Explain(
                what="A post that mentions a declared crisis's topic while the window is open.",
                why="Words that were harmless last week can read as mockery or opportunism now.",
                instead="Have someone who follows the news approve it, or reschedule it."),
            examples=Examples(flag=[flag], ok=[{**flag, "publish_at": before}])))
    return [Pack("config/crisis", PACK_PATH, None, CrisisRule, tuple(specs))] if specs else []


def _example(text: str, window: CrisisWindow, *, lang: str | None = None) -> dict[str, object]:
    """Return a post at the window's first instant (its pass twin moves it before every window)."""
    example: dict[str, object] = {"text": text, "publish_at": window.start.isoformat()}
    if lang:
        example["lang"] = lang
    if window.regions:
        example["region"] = window.regions[0]
    return example
