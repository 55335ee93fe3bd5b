"""`safepost trends [PROVIDER]` and `--offline`, with a provider served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from safepost import TrendSnapshot

DATA = Path(__file__).parent / "data" / "trends"
BUNDLED = Path(__file__).parent.parent / "src" / "safepost" / "data" / "example_trends.json"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m safepost` and capture its output."""
    return subprocess.run([sys.executable, "-m", "safepost", *args], cwd=cwd, capture_output=True,
                          text=True, check=False)


@pytest.fixture
def google(httpserver: HTTPServer, tmp_path: Path) -> Path:
    """Serve the recorded Google Trends feed and write a config that points `google` at it."""
    httpserver.expect_request("/trending/rss", query_string={"geo": "US"}).respond_with_data(
        (DATA / "google_trending.xml").read_text("utf-8"), content_type="application/rss+xml")
    (tmp_path / "safepost.toml").write_text(
        f'[trends]\ncache_dir = "{(tmp_path / "cache").as_posix()}"\ntimeout = 2\ndeadline = 4\n'
        f'[trends.options.google]\nbase_url = "{httpserver.url_for("").rstrip("/")}"\n',
        encoding="utf-8")
    (tmp_path / "post.txt").write_text("Aurora dress, now in three colours. Shop now!\n",
                                       encoding="utf-8")
    return tmp_path


def test_trends_prints_the_bundled_example_snapshot(tmp_path: Path) -> None:
    result = run("trends", "example", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = TrendSnapshot.model_validate_json(result.stdout)
    assert printed == TrendSnapshot.model_validate_json(BUNDLED.read_text("utf-8"))
    assert printed.items[0].term == "notguilty"


def test_trends_fetches_a_provider_and_prints_the_contract_shape(google: Path,
                                                                httpserver: HTTPServer) -> None:
    result = run("trends", "google", "--config", "safepost.toml", cwd=google)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["source"], document["region"]) == ("google", "US")
    assert [item["term"] for item in document["items"]] == [
        "aurora", "national ice cream day", "dark knight rises reviews"]
    assert document["items"][0]["context"][0]["title"].startswith("Gunman kills 12")
    assert len(httpserver.log) == 1


def test_trends_offline_uses_only_the_cache(google: Path, httpserver: HTTPServer) -> None:
    empty = run("trends", "google", "--config", "safepost.toml", "--offline", cwd=google)
    assert empty.returncode == 2
    assert empty.stdout == ""
    assert empty.stderr.startswith("safepost: PROVIDER: no trend snapshot could be had from google")
    assert httpserver.log == []

    online = run("trends", "google", "--config", "safepost.toml", cwd=google)
    assert online.returncode == 0, online.stderr
    cached = run("trends", "google", "--config", "safepost.toml", "--offline", cwd=google)
    assert cached.returncode == 0, cached.stderr
    assert json.loads(cached.stdout)["items"] == json.loads(online.stdout)["items"]
    assert len(httpserver.log) == 1


def test_trends_without_a_provider_names_the_choices(tmp_path: Path) -> None:
    result = run("trends", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("safepost: PROVIDER: name a provider: ")
    assert "example" in result.stderr and "google" in result.stderr


def test_check_offline_never_asks_the_provider(google: Path, httpserver: HTTPServer) -> None:
    args = ("check", "post.txt", "--trends", "google", "--config", "safepost.toml", "--lang", "en",
            "--format", "json", "--offline")
    result = run(*args, cwd=google)
    [record] = json.loads(result.stdout)
    assert record["verdict"]["trend_status"] == "unavailable"
    assert httpserver.log == []

    assert run("trends", "google", "--config", "safepost.toml", cwd=google).returncode == 0
    result = run(*args, cwd=google)
    [record] = json.loads(result.stdout)
    assert record["verdict"]["trend_status"] == "used"
    assert [f["rule"] for f in record["verdict"]["findings"]] == ["trend.tragedy-promo"]
    assert result.returncode == 1
    assert len(httpserver.log) == 1
