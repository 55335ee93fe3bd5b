"""Sensitive dates: promotion on days of mourning and remembrance, and selling the day itself.

Each rule is one calendar entry. A promotional post published inside the entry's
window, in the local time of the post's region, is flagged; a promotional post
that names the day ("9/11 deals") is flagged at any time. A post with no region
meets only the entries that apply everywhere (`regions: []` or `elsewhere:`),
and then the day counts wherever on Earth it is that date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..analysis import Analysis
from ..hookspecs import hookimpl
from ..matcher import PhraseCompiler
from ..models import Finding, Severity
from ..rule import Rule, RuleSpec, covers
from .terms import _overlaps_any

# The first and the last time zones to see a date begin and end: UTC+14 and UTC-12.
EARLIEST = timedelta(hours=14)
LATEST = timedelta(hours=12)

_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_WEEKDAYS = [name.lower() for name in calendar.day_name]
_MONTHS = [name.lower() for name in calendar.month_name]
_FIXED = re.compile(r"(\d{2})-(\d{2})")
_FLOATING = re.compile(r"(first|second|third|fourth|last) ([a-z]+) of ([a-z]+)")
_DURATION = re.compile(r"(\d+)\s*([dh])")
_SLOT = re.compile(r"{(\w*)}")


@dataclass(frozen=True)
class DayRule:
    """When a day falls each year: a fixed month and day, or the nth weekday of a month."""

    month: int
    day: int = 0
    weekday: int = 0
    nth: int = 0

    @classmethod
    def parse(cls, text: str) -> DayRule:
        """Read `MM-DD` or `<first…fourth|last> <weekday> of <month>`."""
        spec = text.strip().lower()
        if fixed := _FIXED.fullmatch(spec):
            month, day = int(fixed.group(1)), int(fixed.group(2))
            try:
                date(2001, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a day that every year has") from None
            return cls(month, day)
        floating = _FLOATING.fullmatch(spec)
        if floating and floating.group(2) in _WEEKDAYS and floating.group(3) in _MONTHS[1:]:
            return cls(_MONTHS.index(floating.group(3)), weekday=_WEEKDAYS.index(floating.group(2)),
                       nth=_NTH[floating.group(1)])
        raise ValueError(f"{text!r} is not a date; write MM-DD (09-11) or a rule such as "
                         "'last Monday of May'")

    def on(self, year: int) -> date:
        """Return the day in `year`."""
        if not self.nth:
            return date(year, self.month, self.day)
        days = [d for d in calendar.Calendar().itermonthdates(year, self.month)
                if d.month == self.month and d.weekday() == self.weekday]
        return days[self.nth - 1] if self.nth > 0 else days[-1]


def _duration(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    found = _DURATION.fullmatch(value.strip())
    if found is None:
        raise ValueError(f"{value!r} is not a duration; write hours or days, e.g. 12h or 2d")
    amount = int(found.group(1))
    return timedelta(days=amount) if found.group(2) == "d" else timedelta(hours=amount)


class Window(BaseModel):
    """How long before the day starts and after it ends a post still counts (`12h`, `1d`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)

    @field_validator("before", "after", mode="before")
    @classmethod
    def _read(cls, value: Any) -> Any:
        return _duration(value)


class SensitiveDateSpec(RuleSpec):
    """One calendar entry: the day, where it is observed, its names, what is flagged."""

    title: str
    date: str
    regions: list[str] = Field(default_factory=list)
    elsewhere: Severity | None = None
    window: Window = Field(default_factory=Window)
    names: list[str] = Field(default_factory=list)
    selling: Severity | None = "critical"
    selling_message: str = "“{matched}” uses {term} to sell; that reads as profiting from it."
    promo_in_window: bool = True
    wording: list[str] = Field(default_factory=list)
    wording_severity: Severity = "critical"
    wording_message: str = "“{matched}” on {term} will be read as a statement about the day."
    promo: str = "lexicon.promo"
    timezones: dict[str, str] = Field(default_factory=dict)

    @field_validator("date")
    @classmethod
    def _parses(cls, value: str) -> str:
        DayRule.parse(value)
        return value

    @field_validator("regions")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        wrong = [code for code in value if not re.fullmatch(r"[A-Z]{2}", code)]
        if wrong:
            raise ValueError(f"{wrong[0]!r} is not an ISO 3166-1 alpha-2 code such as US or NO")
        return value

    @field_validator("timezones")
    @classmethod
    def _zones(cls, value: dict[str, str]) -> dict[str, str]:
        for region, name in value.items():
            try:
                _zone(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{region}: unknown time zone {name!r}; use an IANA name "
                                 "such as America/New_York") from None
        return value

    @field_validator("selling_message", "wording_message")
    @classmethod
    def _slots(cls, value: str) -> str:
        unknown = set(_SLOT.findall(value)) - {"matched", "suggestion", "term"}
        if unknown:
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use "
                             "{matched}, {suggestion} or {term}")
        return value


@cache
def _zone(name: str) -> ZoneInfo:
    """Return a time zone, read from disk once."""
    # ZoneInfo itself keeps only its last eight zones; the date rules name dozens, repeatedly.
    return ZoneInfo(name)


@dataclass(frozen=True)
class Scope:
    """How an entry applies to a post's region: the severity and the clock to read the day by."""

    severity: Severity
    zone: tzinfo | None


class SensitiveDateRule(Rule):
    """Flags promotion in an entry's window, selling with its names, and wording on the day."""

    family = "dates"
    Spec = SensitiveDateSpec
    spec: SensitiveDateSpec

    def __init__(self, spec: SensitiveDateSpec, lang: str, phrases: PhraseCompiler) -> None:
        super().__init__(spec, lang, phrases)
        phrases.add(f"name:{spec.id}", spec.names)
        self._day = DayRule.parse(spec.date)
        self.needs = (spec.promo, *spec.wording)  # without promotion or wording, nothing to say
        self._zones = {region: _zone(name) for region, name in spec.timezones.items()}

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        """Yield at most one finding: selling with the day's name, wording, or promotion."""
        spec = self.spec
        promo = sorted(analysis.span(h) for h in analysis.hits.get(spec.promo, []))
        names = sorted(analysis.span(h) for h in analysis.hits.get(f"name:{spec.id}", []))
        if promo and names and spec.selling:
            yield self.finding(analysis, span=names[0], term=spec.title, severity=spec.selling,
                               message=spec.selling_message,
                               evidence=[f"{spec.title} ({spec.date})"])
            return
        wording = self._wording(analysis) if spec.wording else []
        scope = self.scope(analysis.post.region)
        if scope is None or not (promo or wording):
            return
        day = self.day_in_window(analysis.publish_at, scope.zone)
        if day is None:
            return
        where = getattr(scope.zone, "key", None) or "somewhere on Earth"
        evidence = [f"{spec.title}: {day.isoformat()} ({where}), published "
                    f"{analysis.publish_at.astimezone(scope.zone or UTC):%Y-%m-%d %H:%M}"]
        if wording:
            yield self.finding(analysis, span=wording[0], term=spec.title,
                               severity=spec.wording_severity, message=spec.wording_message,
                               evidence=evidence)
        elif promo and spec.promo_in_window:
            yield self.finding(analysis, span=promo[0], term=spec.title, severity=scope.severity,
                               evidence=evidence)

    def scope(self, region: str | None) -> Scope | None:
        """Return how the entry applies in `region` (None: no region given), or None if not."""
        if not self.spec.regions or region in self.spec.regions:
            severity = self.spec.severity
        elif self.spec.elsewhere is not None:
            severity = self.spec.elsewhere
        else:
            return None
        return Scope(severity, self._zones.get(region) if region else None)

    def day_in_window(self, moment: datetime, zone: tzinfo | None) -> date | None:
        """Return the day whose window holds `moment`, reading the day by `zone`'s clock.

        Without a zone the day lasts from its start at UTC+14 to its end at UTC-12.
        """
        for year in (moment.year - 1, moment.year, moment.year + 1):
            day = self._day.on(year)
            start = datetime.combine(day, time(), zone or UTC)
            end = datetime.combine(day + timedelta(days=1), time(), zone or UTC)
            if zone is None:
                start, end = start - EARLIEST, end + LATEST
            if start - self.spec.window.before <= moment < end + self.spec.window.after:
                return day
        return None

    def _wording(self, analysis: Analysis) -> list[tuple[int, int]]:
        spans = []
        for owner, hits in analysis.hits.items():
            if not any(covers(p, owner) for p in self.spec.wording):
                continue
            blockers = analysis.hits.get(f"unless:{owner}", [])
            spans += [analysis.span(h) for h in hits if not _overlaps_any(h, blockers)]
        return sorted(s for s in spans if not analysis.in_link(s))


@hookimpl
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register the sensitive-date family."""
    register(SensitiveDateRule)
