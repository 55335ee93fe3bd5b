"""Hostile and broken trend sources on 127.0.0.1: every fault ends within the deadline as
"unavailable" (or "stale" from the cache) and never spoils a healthy provider beside it."""

from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from safepost import Checker, TrendError, TrendItem, TrendSnapshot
from safepost.trends.cache import CacheEntry, SnapshotCache
from safepost.trends.http import Fetcher, RateLimited
from safepost.trends.providers import (
    BlueskyTrends,
    GoogleTrends,
    MastodonTrends,
    RedditNews,
    SnapshotURL,
    TrendProvider,
    TrendSource,
    WikimediaFeed,
)
from safepost.trends.settings import ProviderOptions, TrendSettings

DATA = Path(__file__).parent / "data" / "trends"
TIMEOUT, DEADLINE, MARGIN = 0.3, 1.0, 0.5
MB = 1024 * 1024


@dataclass
class Rig:
    """What a fault needs: the shared server, a silent and a closed port, a release switch."""

    server: HTTPServer
    silent_port: int
    closed_port: int
    release: threading.Event
    monkeypatch: pytest.MonkeyPatch

    def json_handler(self, uri: str, handler: Callable[[Request], Response]) -> None:
        self.server.expect_request(uri).respond_with_handler(handler)


@pytest.fixture(scope="module")
def threaded_server() -> Iterator[HTTPServer]:
    httpserver = HTTPServer(host="127.0.0.1", threaded=True)
    httpserver.start()
    yield httpserver
    httpserver.stop()


@pytest.fixture
def rig(threaded_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:
    """Give a test the server, a port that accepts and never answers, and a refused port."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    release = threading.Event()
    threaded_server.clear()
    threaded_server.expect_request("/healthy/api/v1/trends/tags").respond_with_data(
        (DATA / "mastodon_tags.json").read_bytes(), content_type="application/json")
    threaded_server.expect_request("/healthy/api/v1/trends/links").respond_with_json([])
    yield Rig(threaded_server, silent.getsockname()[1], closed_port, release, monkeypatch)
    release.set()
    silent.close()
    threaded_server.clear()


class Hanging:
    """A third-party provider stuck in a call that ignores every timeout."""

    name, ttl, experimental = "hanging", timedelta(minutes=10), False

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def fetch(self, fetcher, options) -> TrendSnapshot:
        self.release.wait(10)
        raise TrendError("released at teardown")


class Buggy:
    """A third-party provider with a bug."""

    name, ttl, experimental = "buggy", timedelta(minutes=10), False

    def fetch(self, fetcher, options) -> TrendSnapshot:
        return {"items": 1 / 0}


Fault = tuple[TrendProvider, str | None, str]


def slow_answer(rig: Rig) -> Fault:
    def handler(request: Request) -> Response:
        rig.release.wait(5)
        return Response("{}", content_type="application/json")

    rig.json_handler("/snap.json", handler)
    return SnapshotURL(), rig.server.url_for("/snap.json"), "no answer within 0.3 s"


def server_error(rig: Rig) -> Fault:
    rig.server.expect_request(_featured()).respond_with_data("oops", status=500)
    return WikimediaFeed(), rig.server.url_for(""), "the server answered HTTP 500"


def _featured() -> str:
    return f"/api/rest_v1/feed/featured/{datetime.now(UTC):%Y/%m/%d}"


def html_instead_of_json(rig: Rig) -> Fault:
    rig.server.expect_request("/xrpc/app.bsky.unspecced.getTrends").respond_with_data(
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        content_type="text/html")
    return BlueskyTrends(), rig.server.url_for(""), "expected JSON but got an HTML or XML page"


def html_instead_of_rss(rig: Rig) -> Fault:
    rig.server.expect_request("/trending/rss").respond_with_data(
        "<!DOCTYPE html>\n<html><head><title>Error 404 (Not Found)</title></head></html>",
        content_type="text/html; charset=UTF-8", status=200)
    return GoogleTrends(), rig.server.url_for(""), "refused the XML: got an HTML page, not a feed"


def fifty_megabytes(rig: Rig) -> Fault:
    def handler(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(50):
                if rig.release.is_set():
                    return
                yield b"[" + b" " * (MB - 1)

        return Response(body(), content_type="application/json")

    rig.json_handler("/huge.json", handler)
    return SnapshotURL(), rig.server.url_for("/huge.json"), "larger than the 5242880 byte limit"


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b" " * (50 * MB), compresslevel=9)


def gzip_bomb(rig: Rig) -> Fault:
    rig.server.expect_request("/bomb.json").respond_with_data(
        _bomb(), content_type="application/json", headers={"Content-Encoding": "gzip"})
    return SnapshotURL(), rig.server.url_for("/bomb.json"), "larger than the 5242880 byte limit"


def gigabyte_announced(rig: Rig) -> Fault:
    def handler(request: Request) -> Response:
        response = Response(b"{}", content_type="application/json")
        response.headers["Content-Length"] = str(1024 * MB)
        return response

    rig.json_handler("/liar.json", handler)
    return (SnapshotURL(), rig.server.url_for("/liar.json"),
            "the answer announces 1073741824 bytes, more than the 5242880 byte limit")


def never_answers(rig: Rig) -> Fault:
    return SnapshotURL(), f"http://127.0.0.1:{rig.silent_port}/snap.json", "no answer within 0.3 s"


def refused(rig: Rig) -> Fault:
    return (GoogleTrends(), f"http://127.0.0.1:{rig.closed_port}",
            "the request failed: connection refused")


def unknown_host(rig: Rig) -> Fault:
    # The resolver here is a remote name server, so a real lookup would leave the machine:
    # the failure is injected where the HTTP stack asks for the address, and only for
    # names under the reserved .invalid TLD; every other lookup goes through.
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    rig.monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return (SnapshotURL(), "http://trends.nonexistent.invalid/snap.json",
            "the request failed: name or service not known")


def truncated_json(rig: Rig) -> Fault:
    whole = (DATA / "snapshot.json").read_bytes()
    rig.server.expect_request("/snap.json").respond_with_data(whole[:120],
                                                              content_type="application/json")
    return SnapshotURL(), rig.server.url_for("/snap.json"), "Invalid JSON: EOF while parsing"


def truncated_xml(rig: Rig) -> Fault:
    whole = (DATA / "google_trending.xml").read_bytes()
    rig.server.expect_request("/trending/rss").respond_with_data(whole[: len(whole) // 2],
                                                                 content_type="text/xml")
    return GoogleTrends(), rig.server.url_for(""), "the answer is not well-formed XML"


def invalid_utf8(rig: Rig) -> Fault:
    rig.server.expect_request("/xrpc/app.bsky.unspecced.getTrends").respond_with_data(
        b'{"trends": [{"topic": "caf\xe9", "postCount": 3}]}', content_type="application/json")
    return BlueskyTrends(), rig.server.url_for(""), "the answer is not valid UTF-8 (byte 26)"


def rate_limited(rig: Rig) -> Fault:
    rig.server.expect_request(_featured()).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"})
    return (WikimediaFeed(), rig.server.url_for(""),
            "rate limited (HTTP 429); the server asks to retry after 120 s")


def redirect_loop(rig: Rig) -> Fault:
    rig.server.expect_request("/loop").respond_with_data("", status=302,
                                                         headers={"Location": "/loop"})
    return SnapshotURL(), rig.server.url_for("/loop"), "more than 3 redirects"


def redirect_to_a_file(rig: Rig) -> Fault:
    rig.server.expect_request("/snap.json").respond_with_data(
        "", status=301, headers={"Location": "file:///etc/passwd"})
    return (SnapshotURL(), rig.server.url_for("/snap.json"),
            "refused a redirect to a non-HTTP URL: file:///etc/passwd")


def slow_drip(rig: Rig) -> Fault:
    def handler(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(100):
                if rig.release.wait(0.05):
                    return
                yield b" "

        return Response(body(), content_type="application/json")

    rig.json_handler("/drip.json", handler)
    return SnapshotURL(), rig.server.url_for("/drip.json"), "deadline"


def entity_expansion(rig: Rig) -> Fault:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b"<rss><channel><item><title>&lol2;</title></item></channel></rss>")
    rig.server.expect_request("/trending/rss").respond_with_data(laughs, content_type="text/xml")
    return (GoogleTrends(), rig.server.url_for(""),
            "refused the XML: DTDs and entity declarations are not accepted")


def wrong_shape(rig: Rig) -> Fault:
    rig.server.expect_request("/xrpc/app.bsky.unspecced.getTrends").respond_with_json(
        {"error": "MethodNotImplemented", "message": "Method Not Implemented"})
    return BlueskyTrends(), rig.server.url_for(""), "unexpected payload: no 'trends' in it"


def bad_credentials(rig: Rig) -> Fault:
    rig.server.expect_request("/api/v1/access_token", method="POST").respond_with_json(
        {"message": "Unauthorized", "error": 401}, status=401)
    return RedditNews(), rig.server.url_for(""), "the server answered HTTP 401 UNAUTHORIZED"


def hanging_provider(rig: Rig) -> Fault:
    return Hanging(rig.release), None, "no answer within the 1 s trend deadline"


def buggy_provider(rig: Rig) -> Fault:
    return Buggy(), None, "the provider failed: ZeroDivisionError: division by zero"


FAULTS = {
    "timeout": slow_answer,
    "HTTP 500": server_error,
    "HTML page instead of JSON": html_instead_of_json,
    "HTML page instead of RSS": html_instead_of_rss,
    "50 MB body": fifty_megabytes,
    "gzip bomb": gzip_bomb,
    "Content-Length of a gigabyte": gigabyte_announced,
    "server never answers": never_answers,
    "connection refused": refused,
    "DNS name that does not resolve": unknown_host,
    "truncated JSON": truncated_json,
    "truncated XML": truncated_xml,
    "invalid UTF-8": invalid_utf8,
    "429 with Retry-After": rate_limited,
    "redirect loop": redirect_loop,
    "redirect to a non-HTTP URL": redirect_to_a_file,
    "slow drip past the deadline": slow_drip,
    "XML entity expansion": entity_expansion,
    "JSON of the wrong shape": wrong_shape,
    "rejected credentials": bad_credentials,
    "provider hangs forever": hanging_provider,
    "provider raises a bug": buggy_provider,
}
each_fault = pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())


def configure(rig: Rig, victim: TrendProvider, base_url: str | None) -> TrendSettings:
    options = {"mastodon": ProviderOptions(base_url=rig.server.url_for("/healthy"))}
    options[victim.name] = ProviderOptions(base_url=base_url, client_id="app",
                                           client_secret="secret")
    return TrendSettings(timeout=TIMEOUT, deadline=DEADLINE, cache_dir=None, options=options)


def timed(source: TrendSource) -> tuple[TrendSnapshot | None, str, float]:
    start = time.monotonic()
    snapshot, status = source.snapshot()
    return snapshot, status, time.monotonic() - start


@each_fault
def test_a_fault_does_not_spoil_a_healthy_provider(rig: Rig, fault: Callable[[Rig], Fault]) -> None:
    victim, base_url, expected = fault(rig)
    source = TrendSource([victim, MastodonTrends()], configure(rig, victim, base_url))
    snapshot, status, elapsed = timed(source)
    assert elapsed < DEADLINE + MARGIN
    assert status == "used"
    assert [item.term for item in snapshot.items] == ["notguilty", "CaseyAnthony", "FourthOfJuly"]
    [error] = source.last_errors
    assert isinstance(error, TrendError)
    assert expected in str(error)
    assert error.key == victim.name or error.path == base_url


@each_fault
def test_a_fault_alone_leaves_trends_unavailable(rig: Rig, fault: Callable[[Rig], Fault]) -> None:
    victim, base_url, _ = fault(rig)
    snapshot, status, elapsed = timed(TrendSource([victim], configure(rig, victim, base_url)))
    assert elapsed < DEADLINE + MARGIN
    assert (snapshot, status) == (None, "unavailable")


@each_fault
def test_a_fault_falls_back_to_the_stale_cache(rig: Rig, fault: Callable[[Rig], Fault],
                                               tmp_path: Path) -> None:
    victim, base_url, _ = fault(rig)
    cache = SnapshotCache(tmp_path, max_stale=timedelta(hours=24))
    source = TrendSource([victim], configure(rig, victim, base_url), cache=cache)
    cached = TrendSnapshot(source=victim.name, fetched_at=datetime(2012, 7, 20, 9, tzinfo=UTC),
                           items=[TrendItem(term="cachedterm")])
    cache.store(victim.name, source.cache_key(victim),
                CacheEntry(snapshot=cached, stored_at=datetime.now(UTC) - timedelta(hours=2)))
    snapshot, status, elapsed = timed(source)
    assert elapsed < DEADLINE + MARGIN
    assert status == "stale"
    assert snapshot == cached.model_copy(update={"stale": True})


def test_429_reports_retry_after_without_waiting(rig: Rig) -> None:
    victim, base_url, _ = rate_limited(rig)
    source = TrendSource([victim], configure(rig, victim, base_url))
    _, status, elapsed = timed(source)
    [error] = source.last_errors
    assert isinstance(error, RateLimited) and error.retry_after == 120
    assert (status, elapsed < TIMEOUT) == ("unavailable", True)


def test_a_redirect_drops_credentials_when_it_leaves_the_host(rig: Rig) -> None:
    elsewhere = f"http://localhost:{rig.server.port}/r/news/hot"
    rig.server.expect_request("/api/v1/access_token", method="POST").respond_with_json(
        {"access_token": "t0k3n", "token_type": "bearer"})
    rig.server.expect_request("/r/news/hot", headers={"Authorization": "bearer t0k3n"}
                              ).respond_with_data("", status=302, headers={"Location": elsewhere})
    rig.server.expect_request("/r/news/hot").respond_with_json({"data": {"children": []}})
    victim = RedditNews()
    config = configure(rig, victim, rig.server.url_for(""))
    snapshot, status, _ = timed(TrendSource([victim], config))
    assert (status, snapshot.items) == ("used", [])
    followed = rig.server.log[-1][0]
    assert followed.host.startswith("localhost") and "Authorization" not in followed.headers


def test_a_slow_drip_is_cut_by_the_fetcher_itself(rig: Rig) -> None:
    victim, url, _ = slow_drip(rig)
    settings = configure(rig, victim, url)
    start = time.monotonic()
    with pytest.raises(TrendError, match="the 1 s trend deadline passed"), \
            Fetcher(settings, victim.name) as fetcher:
        fetcher.get(url)
    assert time.monotonic() - start < DEADLINE + TIMEOUT


TREATS = "Who's #notguilty about eating all the tasty treats they want?!"


@each_fault
def test_a_fault_still_gives_a_verdict_in_time(rig: Rig, fault: Callable[[Rig], Fault]) -> None:
    rig.server.clear()  # the healthy instance now also serves the news behind its tags
    for endpoint in ("tags", "links"):
        rig.server.expect_request(f"/healthy/api/v1/trends/{endpoint}").respond_with_data(
            (DATA / f"mastodon_{endpoint}.json").read_bytes(), content_type="application/json")
    victim, base_url, _ = fault(rig)
    settings = configure(rig, victim, base_url)
    beside = Checker(trends=TrendSource([victim, MastodonTrends()], settings))
    alone = Checker(trends=TrendSource([victim], settings))
    for checker in (beside, alone):
        checker.rules("en")  # compile the packs first: the deadline is for the trends
    start = time.monotonic()
    verdict = beside.check(TREATS, lang="en")
    assert time.monotonic() - start < DEADLINE + MARGIN
    assert (verdict.trend_status, verdict.decision) == ("used", "hold")
    assert [f.rule for f in verdict.findings] == ["trend.hijack"]
    start = time.monotonic()
    verdict = alone.check(TREATS, lang="en")
    assert time.monotonic() - start < DEADLINE + MARGIN
    assert (verdict.trend_status, verdict.decision, verdict.findings) == ("unavailable",
                                                                           "publish", [])
