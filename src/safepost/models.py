"""The wire types of the public contract: posts in, verdicts and trend snapshots out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

Severity = Literal["low", "medium", "high", "critical"]
Risk = Literal["none", "low", "medium", "high", "critical"]
Decision = Literal["publish", "review", "hold"]
TrendStatus = Literal["used", "none", "stale", "unavailable"]
Category = Literal[
    "trend_hijack",
    "tragedy_promo",
    "sensitive_topic",
    "sensitive_date",
    "insensitive_wording",
    "profanity",
    "politics",
    "policy",
    "disclosure",
    "tone",
    "hashtag_ambiguity",
    "privacy",
]

SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
DECISIONS: tuple[Decision, ...] = ("publish", "review", "hold")
CATEGORIES: tuple[Category, ...] = Category.__args__  # type: ignore[attr-defined]


def severity_rank(severity: str) -> int:
    """Return 0 for "none" and 1–4 for low…critical."""
    return 0 if severity == "none" else SEVERITIES.index(severity) + 1  # type: ignore[arg-type]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Post(_Frozen):
    """A draft post as a scheduler or a file hands it over."""

    text: str
    lang: str | None = Field(None, pattern=r"^[a-z]{2}$")
    publish_at: AwareDatetime | None = None
    channel: str | None = None
    region: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    sponsored: bool = False
    in_reply_to: str | None = None
    id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text", "channel", "in_reply_to", "id")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        # A lone surrogate cannot be written as UTF-8, so the verdict could not be either.
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(f"contains a lone surrogate (U+{ord(value[exc.start]):04X}) at "
                                 f"character {exc.start}; text must be valid Unicode") from None
        return value

    @field_validator("lang", mode="before")
    @classmethod
    def _lower_lang(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("region", mode="before")
    @classmethod
    def _upper_region(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Finding(_Frozen):
    """One thing a rule found in a post."""

    rule: str
    category: Category
    severity: Severity
    message: str
    span: tuple[int, int] | None = None
    matched: str | None = None
    evidence: list[str] = Field(default_factory=list)
    suggestion: str | None = None


class Suppression(_Frozen):
    """A finding silenced on purpose, with the reason a person gave."""

    rule: str
    reason: str
    finding: Finding


class Verdict(_Frozen):
    """The structured answer for one post."""

    decision: Decision
    risk: Risk
    score: int = Field(ge=0, le=100)
    findings: list[Finding]
    post_id: str | None = None
    lang: str
    trend_status: TrendStatus
    version: str
    suppressed: list[Suppression] = Field(default_factory=list)


class TrendContext(_Frozen):
    """A headline, story or link title that explains why a term trends."""

    title: str
    url: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


class TrendItem(_Frozen):
    """One trending hashtag or phrase with the news behind it."""

    term: str
    kind: Literal["hashtag", "phrase"] = "hashtag"
    rank: int | None = None
    volume: int | None = None
    context: list[TrendContext] = Field(default_factory=list)

    @field_validator("term")
    @classmethod
    def _strip_hash(cls, value: str) -> str:
        term = value.strip().lstrip("#＃").strip()
        if not term:
            raise ValueError("a trend term must not be empty")
        return term


class TrendSnapshot(_Frozen):
    """A source-independent picture of what is trending, and why."""

    source: str
    fetched_at: AwareDatetime
    region: str | None = None
    items: list[TrendItem] = Field(default_factory=list)
    stale: bool = False

    def find(self, term: str) -> TrendItem | None:
        """Return the item whose term equals `term`, ignoring case and a leading `#`."""
        wanted = term.lstrip("#＃").casefold()
        return next((item for item in self.items if item.term.casefold() == wanted), None)
