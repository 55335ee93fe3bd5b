"""Fail closed: with `require_trends`, a post whose trend source is down goes to review.

The source is a snapshot URL on a refused 127.0.0.1 port, so it fails at once and nothing
leaves the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from safepost import Checker, TrendSnapshot
from safepost.config import Config
from safepost.trends.providers import SnapshotURL, TrendSource
from safepost.trends.settings import ProviderOptions, TrendSettings

CLEAN = "Fresh coffee, every morning. Come say hi at the new store."
PROFANE = "What the f*ck happened to our order page today"


@pytest.fixture(scope="module")
def dead_url() -> str:
    """Return a snapshot URL on a 127.0.0.1 port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/snapshot.json"


def dead_source(url: str) -> TrendSource:
    settings = TrendSettings(timeout=0.5, deadline=1, cache_dir=None,
                             options={"url": ProviderOptions(base_url=url)})
    return TrendSource([SnapshotURL()], settings)


def outcome(verdict) -> tuple[str, str, list[str]]:
    return verdict.decision, verdict.trend_status, [f.rule for f in verdict.findings]


@pytest.mark.parametrize(
    ("required", "text", "expected"),
    [
        pytest.param(True, CLEAN, ("review", "unavailable", ["trend.unavailable"]),
                     id="required: a clean post goes to review"),
        pytest.param(False, CLEAN, ("publish", "unavailable", []),
                     id="not required: a clean post is published, its status says unavailable"),
        pytest.param(True, PROFANE,
                     ("hold", "unavailable", ["profanity.fuck", "trend.unavailable"]),
                     id="required: a held post stays held"),
    ],
)
def test_the_api_fails_closed_only_when_asked(dead_url: str, required: bool, text: str,
                                              expected: tuple) -> None:
    checker = Checker(Config(require_trends=required), trends=dead_source(dead_url))
    assert outcome(checker.check(text, lang="en")) == expected


def test_a_snapshot_in_hand_needs_no_source(dead_url: str) -> None:
    checker = Checker(Config(require_trends=True), trends=dead_source(dead_url))
    snapshot = TrendSnapshot(source="desk", fetched_at="2024-05-01T12:00:00Z")
    assert outcome(checker.check(CLEAN, lang="en", trends=snapshot)) == ("publish", "used", [])


def test_the_finding_says_what_to_do(dead_url: str) -> None:
    checker = Checker(Config(require_trends=True), trends=dead_source(dead_url))
    [finding] = checker.check(CLEAN, lang="en").findings
    assert (finding.category, finding.severity, finding.span) == ("trend_hijack", "medium", None)
    assert finding.suggestion == "Look at what is trending and in the news before you publish."


def write_config(folder: Path, url: str, *, required: bool) -> Path:
    path = folder / "safepost.toml"
    path.write_text(
        f"require_trends = {str(required).lower()}\n"
        "[trends]\nproviders = [\"url\"]\ntimeout = 0.5\ndeadline = 1\n"
        f"cache_dir = \"{folder / 'cache'}\"\n"
        f"[trends.options.url]\nbase_url = \"{url}\"\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("required", [True, False], ids=["required", "not required"])
def test_the_config_file_fails_closed(tmp_path: Path, dead_url: str, required: bool) -> None:
    checker = Checker.from_config(write_config(tmp_path, dead_url, required=required))
    expected = ("review", "unavailable", ["trend.unavailable"]) if required else (
        "publish", "unavailable", [])
    assert outcome(checker.check(CLEAN, lang="en")) == expected


def run_check(folder: Path, *args: str) -> tuple[int, list[tuple]]:
    """Run `safepost check post.txt` in `folder`; return the exit status and each outcome."""
    (folder / "post.txt").write_text(CLEAN, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "safepost", "check", "post.txt", "--lang", "en",
         "--format", "json", *args],
        cwd=folder, capture_output=True, text=True, check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(folder / "cache")})
    assert result.returncode in (0, 1), result.stderr
    verdicts = [record["verdict"] for record in json.loads(result.stdout)]
    return result.returncode, [
        (v["decision"], v["trend_status"], [f["rule"] for f in v["findings"]]) for v in verdicts]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--require-trends"], (0, [("review", "unavailable", ["trend.unavailable"])]),
                     id="--require-trends sends the post to review"),
        pytest.param(["--require-trends", "--fail-on", "review"],
                     (1, [("review", "unavailable", ["trend.unavailable"])]),
                     id="and fails the run with --fail-on review"),
        pytest.param([], (0, [("publish", "unavailable", [])]),
                     id="without it the post is published"),
    ],
)
def test_the_command_line_fails_closed(tmp_path: Path, dead_url: str, args: list[str],
                                       expected: tuple) -> None:
    assert run_check(tmp_path, "--trends", dead_url, *args) == expected


def test_the_command_line_reads_require_trends_from_the_config(tmp_path: Path,
                                                               dead_url: str) -> None:
    write_config(tmp_path, dead_url, required=True)
    assert run_check(tmp_path, "--fail-on", "review") == (
        1, [("review", "unavailable", ["trend.unavailable"])])
