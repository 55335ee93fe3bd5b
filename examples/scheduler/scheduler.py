"""How a scheduling tool embeds safepost: one Checker, a check per draft, a recheck per snapshot.

Run it: python examples/scheduler/scheduler.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from safepost import Checker, Post, TrendSnapshot, Verdict


@dataclass
class ScheduledPost:
    """A post in the queue, with the verdict stored beside it as JSON."""

    post: Post
    verdict_json: str
    paused: bool = False


@dataclass
class Scheduler:
    """A scheduler's publishing queue, guarded by safepost."""

    checker: Checker = field(default_factory=Checker)  # built once, at start-up
    trends: TrendSnapshot | None = None
    queue: dict[str, ScheduledPost] = field(default_factory=dict)

    def draft_changed(self, text: str, **fields) -> Verdict:
        """Check a draft as the author types (called on every keystroke pause)."""
        return self.checker.check(text, trends=self.trends, **fields)

    def schedule(self, post_id: str, text: str, publish_at: datetime, **fields) -> ScheduledPost:
        """Queue a post with its verdict; held posts are queued paused."""
        post = Post(id=post_id, text=text, publish_at=publish_at, **fields)
        verdict = self.checker.check(post, trends=self.trends)
        item = ScheduledPost(post, verdict.model_dump_json(), paused=verdict.decision == "hold")
        self.queue[post_id] = item
        return item

    def trends_changed(self, snapshot: TrendSnapshot) -> list[str]:
        """Re-judge the queue against new trends; pause or release posts whose decision changed."""
        self.trends = snapshot
        items = list(self.queue.values())
        previous = {i.post.id: Verdict.model_validate_json(i.verdict_json) for i in items}
        changed = []
        for change in self.checker.recheck([i.post for i in items], trends=snapshot,
                                           previous=previous):
            item = self.queue[change.post.id]
            item.verdict_json = change.verdict.model_dump_json()
            item.paused = change.verdict.decision == "hold"
            changed.append(change.post.id)
        return changed


def main() -> None:
    """Walk through a day in the scheduler."""
    scheduler = Scheduler()
    print(scheduler.draft_changed("Who's #notguilty about eating all the tasty treats?",
                                  lang="en").decision)
    scheduler.schedule("treats", "Who's #notguilty about eating all the tasty treats?",
                       datetime.fromisoformat("2011-07-05T20:00:00+00:00"), lang="en")
    snapshot_path = Path(__file__).parent.parent / "trends.json"
    snapshot = TrendSnapshot.model_validate_json(snapshot_path.read_text(encoding="utf-8"))
    print("paused:", scheduler.trends_changed(snapshot))
    print(json.loads(scheduler.queue["treats"].verdict_json)["decision"])


if __name__ == "__main__":
    main()
