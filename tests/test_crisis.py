"""Crisis windows: edges and time zones, hold versus review, recheck, config and the command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from safepost import Checker, ConfigError, Post
from safepost.config import Config, read_config
from safepost.crisis import CrisisWindow
from safepost.examples import run_examples

OSLO = ZoneInfo("Europe/Oslo")
SOFIA = ZoneInfo("Europe/Sofia")
CEST = timezone(timedelta(hours=2))
PROMO = "Flash sale: 30% off all raincoats!"
MENTION = "Our Ingrid playlist is live: songs for a cosy night in."
PLAIN = "New on the blog: how we roast our coffee."

STORM = CrisisWindow(name="Storm Ingrid", start=datetime(2026, 1, 10, 6, tzinfo=OSLO),
                     end=datetime(2026, 1, 11, tzinfo=UTC), terms=["Ingrid", "flood"])


def checker_with(*windows: CrisisWindow, **config) -> Checker:
    """Return a Checker whose config declares `windows` (the API way)."""
    return Checker(Config(**config).model_copy(update={"crisis": list(windows)}))


@pytest.fixture(scope="module")
def storm() -> Checker:
    return checker_with(STORM)


def crisis_rules(verdict) -> list[str]:
    """Return the crisis rule ids of a verdict."""
    return [f.rule for f in verdict.findings if f.rule.startswith("crisis.")]


@pytest.mark.parametrize(
    ("publish_at", "inside"),
    [
        (datetime(2026, 1, 10, 6, tzinfo=OSLO), True),
        (datetime(2026, 1, 10, 5, 59, 59, tzinfo=OSLO), False),
        (datetime(2026, 1, 10, 5, tzinfo=UTC), True),
        (datetime(2026, 1, 10, 23, 59, 59, tzinfo=OSLO), True),
        (datetime(2026, 1, 11, 0, 59, 59, tzinfo=OSLO), True),
        (datetime(2026, 1, 11, 1, 0, tzinfo=OSLO), False),
        (datetime(2026, 1, 11, tzinfo=UTC), False),
        (datetime(2026, 1, 10, 23, 59, 59, tzinfo=UTC), True),
        (datetime(2026, 1, 11, 1, 59, 59, tzinfo=SOFIA), True),
        (datetime(2026, 1, 11, 2, 0, tzinfo=SOFIA), False),
    ],
    ids=[
        "start is inclusive",
        "a second before the start",
        "the start given in UTC is the same instant",
        "23:59:59 Oslo time is an hour before the UTC midnight end",
        "00:59:59 Oslo time on the next day is still inside",
        "01:00 Oslo time is the UTC midnight end, which is exclusive",
        "end is exclusive",
        "23:59:59 UTC is inside",
        "01:59:59 Sofia time is inside",
        "02:00 Sofia time is the end",
    ],
)
def test_window_edges_across_time_zones(storm: Checker, publish_at: datetime, inside: bool) -> None:
    assert STORM.covers(publish_at, None) is inside
    verdict = storm.check(PROMO, lang="en", publish_at=publish_at)
    assert (verdict.decision == "hold") is inside


def test_summer_time_is_handled_by_aware_datetimes() -> None:
    summer = CrisisWindow(name="Heatwave", start=datetime(2026, 7, 1, tzinfo=OSLO),
                          end=datetime(2026, 7, 2, tzinfo=OSLO))
    assert summer.start == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert not summer.covers(datetime(2026, 6, 30, 23, 59, tzinfo=CEST), None)
    assert summer.covers(datetime(2026, 7, 1, 0, 0, tzinfo=CEST), None)


INSIDE = datetime(2026, 1, 10, 12, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("policy", "text", "rules", "decision"),
    [
        ({}, PROMO, ["crisis.promotion-paused"], "hold"),
        ({}, MENTION, ["crisis.topic-mention"], "review"),
        ({}, "Ingrid sale: 30% off!", ["crisis.promotion-paused", "crisis.topic-mention"], "hold"),
        ({}, PLAIN, [], "publish"),
        ({"hold_promotions": False}, PROMO, [], "publish"),
        ({"review_mentions": False}, MENTION, [], "publish"),
        ({"regions": ["NO"]}, PROMO, ["crisis.promotion-paused"], "hold"),
    ],
    ids=["a promotion is held", "a topic mention goes to review", "both: held",
         "an unrelated post publishes", "promotions allowed by the policy",
         "mentions allowed by the policy", "a regional window holds a post without a region"],
)
def test_hold_versus_review(policy: dict, text: str, rules: list[str], decision: str) -> None:
    checker = checker_with(STORM.model_copy(update=policy))
    verdict = checker.check(text, lang="en", publish_at=INSIDE)
    assert sorted(crisis_rules(verdict)) == rules
    assert verdict.decision == decision


@pytest.mark.parametrize(
    ("post_region", "config_region", "held"),
    [("NO", None, True), ("SE", None, False), (None, "SE", False), (None, "NO", True),
     ("no", "SE", True)],
    ids=["the post's region is in the window", "another region", "the config's region",
         "the config's region matches", "the post's region wins over the config's"],
)
def test_regional_windows(post_region: str | None, config_region: str | None, held: bool) -> None:
    checker = checker_with(STORM.model_copy(update={"regions": ["NO"]}), region=config_region)
    verdict = checker.check(PROMO, lang="en", publish_at=INSIDE, region=post_region)
    assert (verdict.decision == "hold") is held


def test_a_finding_names_its_window(storm: Checker) -> None:
    finding = storm.check(MENTION, lang="en", publish_at=INSIDE).findings[0]
    assert finding.matched == "Ingrid"
    assert finding.evidence[0] == "Storm Ingrid"
    assert "Storm Ingrid" in finding.message


def test_crisis_rules_follow_disable_and_severity() -> None:
    quiet = checker_with(STORM, disable=["crisis.promotion-paused"])
    assert quiet.check(PROMO, lang="en", publish_at=INSIDE).decision == "publish"
    milder = checker_with(STORM, severity={"crisis": "medium"})
    assert milder.check(PROMO, lang="en", publish_at=INSIDE).decision == "review"


def test_no_windows_no_crisis_rules(checker: Checker) -> None:
    assert not [r for r in checker.rules("en") if r.id.startswith("crisis.")]


def test_the_generated_examples_hold(storm: Checker) -> None:
    outcomes = [o for o in run_examples(storm) if o.rule.startswith("crisis.")]
    assert len(outcomes) == 4 and all(o.ok for o in outcomes)


def test_recheck_pauses_a_queue_when_a_window_is_declared() -> None:
    queue = [Post(id="sale", text=PROMO, lang="en", publish_at=INSIDE),
             Post(id="storm", text=MENTION, lang="en", publish_at=INSIDE),
             Post(id="later", text=PROMO, lang="en", publish_at=INSIDE + timedelta(days=2)),
             Post(id="blog", text=PLAIN, lang="en", publish_at=INSIDE)]
    before = list(Checker().check_many(queue))
    changes = list(checker_with(STORM).recheck(queue, trends=None, previous=before))
    assert [(c.post.id, c.previous.decision, c.verdict.decision) for c in changes] == [
        ("sale", "publish", "hold"), ("storm", "publish", "review")]


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"name": "x", "start": "2026-01-10T00:00:00+01:00", "end": "2026-01-10T00:00:00+01:00"},
         "`end` must be after `start`"),
        ({"name": "x", "start": "2026-01-10T00:00:00", "end": "2026-01-11T00:00:00+01:00"},
         "Input should have timezone info"),
        ({"name": "x", "start": "2026-01-10T00:00:00Z", "end": "2026-01-11T00:00:00Z",
          "regions": ["Norway"]}, "ISO 3166-1 alpha-2"),
    ],
    ids=["empty window", "naive start", "bad region"],
)
def test_invalid_windows(window: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CrisisWindow.model_validate(window)


TOML = """\
[[crisis]]
name = "Storm Ingrid"
start = 2026-01-10T06:00:00+01:00
end = 2026-01-11T00:00:00Z
terms = ["storm", "flood"]
regions = ["no"]

[[crisis]]
name = "Election night"
start = 2026-09-14T18:00:00+02:00
end = 2026-09-15T06:00:00+02:00
terms = ["election"]
hold_promotions = false
"""


def test_windows_are_read_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "safepost.toml"
    path.write_text(TOML, encoding="utf-8")
    windows = read_config(path).crisis
    assert [w.name for w in windows] == ["Storm Ingrid", "Election night"]
    assert windows[0].start == datetime(2026, 1, 10, 5, tzinfo=UTC)
    assert windows[0].regions == ["NO"]
    assert windows[1].hold_promotions is False


def test_a_naive_time_in_toml_names_its_key(tmp_path: Path) -> None:
    path = tmp_path / "safepost.toml"
    path.write_text(TOML.replace("2026-01-10T06:00:00+01:00", "2026-01-10T06:00:00"), "utf-8")
    with pytest.raises(ConfigError) as error:
        read_config(path)
    assert error.value.key == "crisis.0.start"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m safepost` in `cwd` and capture its output."""
    return subprocess.run([sys.executable, "-m", "safepost", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


QUEUE = "".join(
    json.dumps({"id": f"p{n}", "text": text, "lang": "en", "publish_at": at}) + "\n"
    for n, (text, at) in enumerate([
        ("Flash sale: 30% off all raincoats!", "2026-01-10T09:00:00+01:00"),
        ("Stay dry in the storm, friends.", "2026-01-10T23:59:59+01:00"),
        ("Flash sale: 30% off all raincoats!", "2026-01-11T01:00:00+01:00"),
        ("New on the blog: how we roast our coffee.", "2026-01-10T12:00:00+01:00"),
    ], start=1))


def test_the_crisis_command_lists_held_and_reviewed_posts(tmp_path: Path) -> None:
    (tmp_path / "safepost.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "queue.jsonl").write_text(QUEUE, encoding="utf-8")
    result = run("crisis", "queue.jsonl", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "crisis window “Storm Ingrid”: 2026-01-10T06:00:00+01:00 to 2026-01-11T00:00:00+00:00; "
        "holds promotions; reviews mentions of storm, flood; regions NO\n"
        "crisis window “Election night”: 2026-09-14T18:00:00+02:00 to 2026-09-15T06:00:00+02:00; "
        "reviews mentions of election\n"
        "queue.jsonl:1: hold: post p1 at 2026-01-10T09:00:00+01:00, "
        "window “Storm Ingrid” (crisis.promotion-paused)\n"
        "queue.jsonl:2: review: post p2 at 2026-01-10T23:59:59+01:00, "
        "window “Storm Ingrid” (crisis.topic-mention)\n"
        "4 posts checked: 1 hold, 1 review\n")


def test_the_crisis_command_exits_zero_when_nothing_is_held(tmp_path: Path) -> None:
    (tmp_path / "safepost.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "queue.jsonl").write_text(QUEUE.splitlines()[1] + "\n", encoding="utf-8")
    result = run("crisis", "queue.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("1 post checked: 0 hold, 1 review\n")


def test_the_crisis_command_without_windows(tmp_path: Path) -> None:
    (tmp_path / "safepost.toml").write_text('lang = "en"\n', encoding="utf-8")
    result = run("crisis", "queue.jsonl", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("no crisis windows are declared")


def test_the_crisis_command_reports_a_bad_config(tmp_path: Path) -> None:
    (tmp_path / "safepost.toml").write_text(TOML.replace("end = 2026-01-11", "end = 2025-01-11"),
                                            encoding="utf-8")
    result = run("crisis", "queue.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "crisis.0" in result.stderr


NORDIC_STORM = CrisisWindow(
    name="Storm Ingrid", start=datetime(2026, 1, 10, 6, tzinfo=OSLO),
    end=datetime(2026, 1, 11, 2, tzinfo=SOFIA),
    terms=["flom*", "strømbrudd*", "наводнени*", "спиран* на тока"])


@pytest.mark.parametrize(
    ("lang", "text", "rules"),
    [
        ("nb", "Salg: 30 % rabatt på alle regnjakker!", ["crisis.promotion-paused"]),
        ("nb", "Strømbruddet i Bergen: butikken er stengt i dag.", ["crisis.topic-mention"]),
        ("nb", "Nytt på bloggen: slik brenner vi kaffen.", []),
        ("bg", "Разпродажба: 30% отстъпка на всички дъждобрани!", ["crisis.promotion-paused"]),
        ("bg", "Заради спирането на тока магазинът е затворен днес.", ["crisis.topic-mention"]),
        ("bg", "Ново в блога: как печем кафето си.", []),
    ],
    ids=["nb: a promotion is held", "nb: an inflected topic term goes to review",
         "nb: an unrelated post publishes", "bg: a promotion is held",
         "bg: an inflected topic term goes to review", "bg: an unrelated post publishes"],
)
def test_windows_in_norwegian_and_bulgarian(lang: str, text: str, rules: list[str]) -> None:
    checker = checker_with(NORDIC_STORM)
    decision = {"crisis.promotion-paused": "hold", "crisis.topic-mention": "review"}
    last_second = datetime(2026, 1, 11, 1, 59, 59, tzinfo=SOFIA)
    for inside in (datetime(2026, 1, 10, 6, tzinfo=OSLO), last_second):
        verdict = checker.check(text, lang=lang, publish_at=inside)
        assert crisis_rules(verdict) == rules
        assert verdict.decision == (decision[rules[0]] if rules else "publish")
    for outside in (datetime(2026, 1, 10, 5, 59, 59, tzinfo=OSLO),
                    datetime(2026, 1, 11, 1, tzinfo=OSLO)):
        assert crisis_rules(checker.check(text, lang=lang, publish_at=outside)) == []
