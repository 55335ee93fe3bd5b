"""`check --jobs N`: several processes report exactly what one process reports, in input order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

POSTS = 2000
SAYINGS = [
    ("en", "Fresh coffee, every morning. Come say hi at the new store #CoffeeTime"),
    ("en", "What the f*ck happened to our order page today"),
    ("en", "Flash sale: 30% off everything, shop now! https://example.com/sale"),
    ("en", "THIS IS THE BEST DEAL EVER!!! Don't miss it @friends"),
    ("en", "Join us tonight for #susanalbumparty 🎉"),
    ("nb", "Vi gleder oss til sommeren, kom innom butikken vår i dag ☕"),
    ("bg", "Нова колекция в магазина от днес, заповядайте! #лято"),
]
REPLY = "Thanks for telling us, we have passed this on to the team today."


def write_queue(path: Path) -> Path:
    """Write POSTS posts: the sayings in turn, and the same reply to complaints far apart."""
    with path.open("w", encoding="utf-8") as out:
        for index in range(POSTS):
            if index % 150 == 7:
                record = {"id": f"r{index}", "text": REPLY, "lang": "en",
                          "in_reply_to": f"My parcel {index} never arrived"}
            else:
                lang, text = SAYINGS[index % len(SAYINGS)]
                record = {"id": f"p{index}", "text": f"{text} ({index})", "lang": lang}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def check(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `safepost check queue.jsonl` with a fixed publication time."""
    return subprocess.run(
        [sys.executable, "-m", "safepost", "check", "queue.jsonl", "--format", "json",
         "--publish-at", "2026-03-02T10:00:00+00:00", *args],
        cwd=folder, capture_output=True, text=True, check=False)


def test_two_processes_report_exactly_what_one_reports(tmp_path: Path) -> None:
    write_queue(tmp_path / "queue.jsonl")
    one = check(tmp_path, "--jobs", "1")
    two = check(tmp_path, "--jobs", "2")
    assert one.returncode == 1, one.stderr
    assert (two.returncode, two.stderr) == (one.returncode, one.stderr)
    assert two.stdout == one.stdout
    records = json.loads(one.stdout)
    assert [r["line"] for r in records] == list(range(1, POSTS + 1))
    canned = [r["verdict"]["post_id"] for r in records
              if any(f["rule"] == "reply.canned" for f in r["verdict"]["findings"])]
    assert canned and "r7" not in canned  # the first reply is the original, the others repeat it


@pytest.mark.parametrize("jobs", ["-1", "two"])
def test_jobs_must_be_a_whole_number(tmp_path: Path, jobs: str) -> None:
    write_queue(tmp_path / "queue.jsonl")
    result = check(tmp_path, "--jobs", jobs)
    assert result.returncode == 2
    assert "--jobs" in result.stderr
