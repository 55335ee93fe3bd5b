"""The documented scheduler example works as the docs say."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from safepost import TrendSnapshot, Verdict

EXAMPLE = Path(__file__).parent.parent / "examples" / "scheduler" / "scheduler.py"
spec = importlib.util.spec_from_file_location("scheduler_example", EXAMPLE)
scheduler_example = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = scheduler_example
spec.loader.exec_module(scheduler_example)

NOTGUILTY = TrendSnapshot.model_validate({
    "source": "test", "fetched_at": "2011-07-05T20:00:00Z",
    "items": [{"term": "notguilty", "context": [
        {"title": "Jury finds Casey Anthony not guilty of murdering her daughter"}]}]})
QUIET = TrendSnapshot.model_validate({"source": "test", "fetched_at": "2011-07-06T20:00:00Z",
                                      "items": []})


def test_queue_is_paused_and_released_as_the_news_changes(checker) -> None:
    scheduler = scheduler_example.Scheduler(checker=checker)
    at = datetime(2011, 7, 5, 20, tzinfo=UTC)
    scheduler.schedule("treats", "Who's #notguilty about eating all the tasty treats?", at,
                       lang="en")
    scheduler.schedule("coffee", "Fresh coffee, every morning.", at, lang="en")
    assert not scheduler.queue["treats"].paused

    assert scheduler.trends_changed(NOTGUILTY) == ["treats"]
    stored = Verdict.model_validate_json(scheduler.queue["treats"].verdict_json)
    assert (scheduler.queue["treats"].paused, stored.decision) == (True, "hold")
    assert "trend.hijack" in [f.rule for f in stored.findings]

    assert scheduler.trends_changed(QUIET) == ["treats"]
    assert not scheduler.queue["treats"].paused
    assert scheduler.trends_changed(QUIET) == []


def test_each_keystroke_pause_gets_a_verdict(checker) -> None:
    scheduler = scheduler_example.Scheduler(checker=checker, trends=NOTGUILTY)
    draft = "Who's #notguilty about eating all the tasty treats they want?!"
    verdicts = [scheduler.draft_changed(draft[:n], lang="en") for n in range(5, len(draft) + 1)]
    assert [v.decision for v in verdicts[:2]] == ["publish", "publish"]
    assert verdicts[-1].decision == "hold"
    assert json.loads(verdicts[-1].model_dump_json())["findings"][0]["rule"] == "trend.hijack"
