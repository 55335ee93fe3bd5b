"""Trend providers against recorded payloads served on 127.0.0.1, the snapshot cache, and
`open_trends`. The real client code runs end to end; only the server is a stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from safepost import ConfigError, TrendError, TrendSnapshot
from safepost.plugins import Registry, plugin_manager
from safepost.trends.cache import CacheEntry, SnapshotCache
from safepost.trends.providers import (
    BlueskyTrends,
    GoogleTrends,
    MastodonTrends,
    RedditNews,
    SnapshotFile,
    SnapshotURL,
    TrendSource,
    WikimediaFeed,
    merge,
    open_trends,
)
from safepost.trends.settings import ProviderOptions, TrendSettings

DATA = Path(__file__).parent / "data" / "trends"
FEATURED = re.compile(r"^/api/rest_v1/feed/featured/\d{4}/\d{2}/\d{2}$")


def payload(name: str) -> str:
    return (DATA / name).read_text("utf-8")


@pytest.fixture(scope="module")
def threaded_server() -> Iterator[HTTPServer]:
    """Serve on 127.0.0.1 from a threaded server, so concurrent providers do not queue."""
    httpserver = HTTPServer(host="127.0.0.1", threaded=True)
    httpserver.start()
    yield httpserver
    httpserver.stop()


@pytest.fixture
def server(threaded_server: HTTPServer) -> Iterator[HTTPServer]:
    """Give each test the shared server with no handlers and an empty log."""
    threaded_server.clear()
    yield threaded_server
    threaded_server.clear()


def settings(server: HTTPServer | None = None, *names: str, **fields) -> TrendSettings:
    """Return fast settings pointing the named providers at `server`, with no disk cache."""
    options = {name: ProviderOptions(base_url=server.url_for("")) for name in names}
    fields.setdefault("cache_dir", None)
    return TrendSettings(timeout=1, deadline=3, options={**options, **fields.pop("options", {})},
                         **fields)


def run(provider, config: TrendSettings, **kwargs) -> tuple[TrendSnapshot | None, str]:
    return TrendSource([provider], config, **kwargs).snapshot()


def titles(item) -> list[str]:
    return [context.title for context in item.context]


# --- each provider parses its real payload shape --------------------------------------------

def test_google_reads_phrases_traffic_and_headlines(server: HTTPServer) -> None:
    server.expect_request("/trending/rss", query_string={"geo": "US"}).respond_with_data(
        payload("google_trending.xml"), content_type="application/rss+xml; charset=UTF-8")
    snapshot, status = run(GoogleTrends(), settings(server, "google"))
    assert status == "used"
    assert (snapshot.source, snapshot.region) == ("google", "US")
    assert [(i.term, i.kind, i.rank, i.volume) for i in snapshot.items] == [
        ("aurora", "phrase", 1, 2_000_000),
        ("national ice cream day", "phrase", 2, 50_000),
        ("dark knight rises reviews", "phrase", 3, 500),
    ]
    aurora = snapshot.items[0]
    assert titles(aurora)[0] == "Gunman kills 12 at Aurora, Colorado cinema during Batman premiere"
    assert len(aurora.context) == 3
    first = aurora.context[0]
    assert first.url == "https://news.example.org/2012/07/20/aurora-cinema-shooting"
    assert first.published_at == datetime(2012, 7, 20, 13, 0, tzinfo=UTC)
    assert snapshot.items[2].context == []


def test_google_parses_by_local_name_whatever_the_namespace(server: HTTPServer) -> None:
    old_namespace = payload("google_trending.xml").replace(
        "https://trends.google.com/trending/rss", "https://trends.google.com/trends/trendingsearches/daily")
    server.expect_request("/trending/rss").respond_with_data(old_namespace, content_type="text/xml")
    snapshot, _ = run(GoogleTrends(), settings(server, "google"))
    assert snapshot.items[0].volume == 2_000_000
    assert len(snapshot.items[0].context) == 3


def test_google_sends_the_configured_geo_and_user_agent(server: HTTPServer) -> None:
    server.expect_request(
        "/trending/rss", query_string={"geo": "NO"},
        headers={"User-Agent": "acme-social/2.0 (+https://acme.example/contact)"},
    ).respond_with_data(payload("google_trending.xml"), content_type="text/xml")
    config = settings(user_agent="acme-social/2.0 (+https://acme.example/contact)", options={
        "google": ProviderOptions(base_url=server.url_for(""), geo="no")})
    snapshot, status = run(GoogleTrends(), config)
    assert (status, snapshot.region) == ("used", "NO")


def test_mastodon_reads_tags_and_links(server: HTTPServer) -> None:
    server.expect_request("/api/v1/trends/tags", headers={"Accept-Language": "en"}
                          ).respond_with_data(payload("mastodon_tags.json"),
                                              content_type="application/json")
    server.expect_request("/api/v1/trends/links").respond_with_data(
        payload("mastodon_links.json"), content_type="application/json")
    config = settings(options={"mastodon": ProviderOptions(base_url=server.url_for(""), lang="en")})
    snapshot, status = run(MastodonTrends(), config)
    assert status == "used"
    assert [(i.term, i.kind, i.rank, i.volume) for i in snapshot.items] == [
        ("notguilty", "hashtag", 1, 1204),
        ("CaseyAnthony", "hashtag", 2, 880),
        ("FourthOfJuly", "hashtag", 3, None),
        ("Jury finds Casey Anthony not guilty of murdering her daughter", "phrase", 1, 530),
        ("Heat wave grips the Midwest", "phrase", 2, 95),
    ]
    verdict = snapshot.items[3].context[0]
    assert verdict.url == "https://news.example.org/2011/07/05/anthony-verdict"
    assert verdict.summary.startswith("After 11 hours of deliberation")
    assert verdict.published_at == datetime(2011, 7, 5, 18, 30, tzinfo=UTC)
    assert snapshot.items[4].context[0].summary is None


def test_mastodon_with_trends_switched_off_gives_an_empty_snapshot(server: HTTPServer) -> None:
    server.expect_request("/api/v1/trends/tags").respond_with_json([])
    server.expect_request("/api/v1/trends/links").respond_with_json([])
    snapshot, status = run(MastodonTrends(), settings(server, "mastodon"))
    assert (status, snapshot.items) == ("used", [])


def test_wikimedia_turns_stories_and_most_read_into_phrases(server: HTTPServer) -> None:
    server.expect_request(FEATURED).respond_with_data(payload("wikimedia_featured.json"),
                                                      content_type="application/json")
    snapshot, status = run(WikimediaFeed(), settings(server, "wikimedia"))
    assert status == "used"
    by_term = {item.term: item for item in snapshot.items}
    assert list(by_term) == ["2012 Aurora theater shooting", "Aurora, Colorado",
                             "2012 Summer Olympics", "The Dark Knight Rises"]
    story = ("A gunman kills 12 people at a cinema in Aurora, Colorado, United States & injures "
             "58 others.")
    assert titles(by_term["2012 Aurora theater shooting"]) == [story]
    aurora = by_term["Aurora, Colorado"]
    assert (aurora.rank, aurora.volume) == (3, 912345)
    assert titles(aurora) == [story, "City in Colorado, United States"]
    assert aurora.context[1].summary.startswith("Aurora is a home rule municipality")
    assert aurora.context[1].url == "https://en.wikipedia.org/wiki/Aurora,_Colorado"
    requested = server.log[0][0].path
    assert requested == f"/api/rest_v1/feed/featured/{datetime.now(UTC):%Y/%m/%d}"


def test_bluesky_reads_topics_counts_and_categories(server: HTTPServer) -> None:
    server.expect_request("/xrpc/app.bsky.unspecced.getTrends").respond_with_data(
        payload("bluesky_trends.json"), content_type="application/json")
    snapshot, status = run(BlueskyTrends(), settings(server, "bluesky"))
    assert status == "used"
    assert [(i.term, i.kind, i.rank, i.volume) for i in snapshot.items] == [
        ("Aurora Shooting", "phrase", 1, 48210),
        ("The Dark Knight Rises", "phrase", 2, 12004),
        ("heatwave", "phrase", 3, 950),
    ]
    assert snapshot.items[0].context[0].summary == "category: news"
    assert snapshot.items[2].context == []
    assert BlueskyTrends.experimental


def test_reddit_gets_an_app_token_then_reads_news_titles(server: HTTPServer) -> None:
    server.expect_request(
        "/api/v1/access_token", method="POST", data="grant_type=client_credentials",
        headers={"Authorization": "Basic YXBwLWlkOmFwcC1zZWNyZXQ="},  # app-id:app-secret
    ).respond_with_data(payload("reddit_token.json"), content_type="application/json")
    token = json.loads(payload("reddit_token.json"))["access_token"]
    server.expect_request("/r/news/hot", headers={"Authorization": f"bearer {token}"}
                          ).respond_with_data(payload("reddit_news_hot.json"),
                                              content_type="application/json")
    config = settings(options={"reddit": ProviderOptions(
        base_url=server.url_for(""), client_id="app-id", client_secret="app-secret")})
    snapshot, status = run(RedditNews(), config)
    assert status == "used"
    assert [(i.term, i.rank, i.volume) for i in snapshot.items] == [
        ("12 killed, dozens injured in shooting at Aurora, Colorado movie theater", 1, 56895),
        ("Heat & drought push US corn prices to record high", 2, 3120),
    ]
    context = snapshot.items[0].context[0]
    assert context.url == "https://news.example.org/2012/07/20/aurora-cinema-shooting"
    assert context.published_at == datetime(2012, 7, 20, 8, 20, tzinfo=UTC)


def test_reddit_refuses_to_run_without_credentials(server: HTTPServer) -> None:
    source = TrendSource([RedditNews()], settings(server, "reddit"))
    assert source.snapshot() == (None, "unavailable")
    assert "set client_id and client_secret under [trends.options.reddit]" in str(
        source.last_errors[0])
    assert server.log == []


def test_a_snapshot_url_is_read_in_the_contract_shape(server: HTTPServer) -> None:
    server.expect_request("/snap.json").respond_with_data(payload("snapshot.json"),
                                                          content_type="application/json")
    source = open_trends(server.url_for("/snap.json"), {}, settings())
    snapshot, status = source.snapshot()
    assert status == "used"
    assert (snapshot.source, snapshot.items[0].term) == ("newsroom", "notguilty")


def test_a_snapshot_file_is_read_in_the_contract_shape() -> None:
    snapshot, status = run(SnapshotFile(DATA / "snapshot.json"), settings())
    assert status == "used"
    assert [item.term for item in snapshot.items] == ["notguilty", "Casey Anthony verdict"]


def test_a_bad_snapshot_file_names_the_path_and_the_key() -> None:
    source = TrendSource([SnapshotFile(DATA / "snapshot_bad.json")], settings())
    assert source.snapshot() == (None, "unavailable")
    assert str(source.last_errors[0]) == (
        f"{DATA / 'snapshot_bad.json'}: items[1].term: Field required; "
        "expected a trend snapshot (see the contract)")


def test_several_providers_merge_into_one_snapshot(server: HTTPServer) -> None:
    server.expect_request("/xrpc/app.bsky.unspecced.getTrends").respond_with_data(
        payload("bluesky_trends.json"), content_type="application/json")
    source = TrendSource([BlueskyTrends(), SnapshotFile(DATA / "snapshot.json")],
                         settings(server, "bluesky"))
    snapshot, status = source.snapshot()
    assert status == "used"
    assert snapshot.source == "bluesky+newsroom"
    assert snapshot.fetched_at == datetime(2011, 7, 5, 20, tzinfo=UTC)
    assert snapshot.find("#notguilty") is not None and snapshot.find("heatwave") is not None


def test_merge_keeps_the_oldest_time_a_shared_region_and_staleness() -> None:
    old = TrendSnapshot(source="a", fetched_at=datetime(2020, 1, 1, tzinfo=UTC), region="US",
                        items=[{"term": "one"}])
    new = TrendSnapshot(source="b", fetched_at=datetime(2021, 1, 1, tzinfo=UTC), region="US",
                        items=[{"term": "two"}], stale=True)
    merged = merge([old, new])
    assert (merged.source, merged.fetched_at, merged.region, merged.stale) == (
        "a+b", old.fetched_at, "US", True)
    assert [item.term for item in merged.items] == ["one", "two"]
    assert merge([old, new.model_copy(update={"region": "NO"})]).region is None


def test_the_plugin_registers_the_built_in_providers() -> None:
    registry = Registry.collect(plugin_manager(entry_points=False))
    built_in = {"google", "mastodon", "wikimedia", "bluesky", "reddit", "url"}
    assert built_in <= set(registry.providers)


# --- open_trends and settings ------------------------------------------------------------

PROVIDERS = {"google": GoogleTrends(), "mastodon": MastodonTrends()}


def test_open_trends_resolves_files_urls_and_names() -> None:
    assert isinstance(open_trends(str(DATA / "snapshot.json"), PROVIDERS, settings()).providers[0],
                      SnapshotFile)
    source = open_trends("https://trends.example.org/now.json", PROVIDERS, settings())
    assert isinstance(source.providers[0], SnapshotURL)
    assert source.settings.options["url"].base_url == "https://trends.example.org/now.json"
    names = open_trends("google, mastodon", PROVIDERS, settings()).providers
    assert [provider.name for provider in names] == ["google", "mastodon"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param("google,twitter", "trends: unknown trend provider 'twitter'; known providers: "
                     "google, mastodon", id="an unknown provider lists the known ones"),
        pytest.param("missing/trends.json",
                     "missing/trends.json: trends: no such trend snapshot file",
                     id="a missing file is named"),
        pytest.param(" ", "trends: name a trend provider, a snapshot file or a URL; providers: "
                     "google, mastodon", id="an empty spec"),
    ],
)
def test_open_trends_rejects_what_it_cannot_resolve(spec: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        open_trends(spec, PROVIDERS, settings())
    assert str(caught.value) == message


def test_settings_name_an_unknown_key() -> None:
    with pytest.raises(ValueError, match=r"options\.google\.instanse\n  Extra inputs"):
        TrendSettings.model_validate({"options": {"google": {"instanse": "x"}}})


def test_settings_read_durations_and_the_geo_spelling() -> None:
    config = TrendSettings.model_validate(
        {"max_stale": "2h", "cache_dir": "~/trends",
         "options": {"google": {"geo": "gb", "ttl": "15m"}}})
    assert config.max_stale == timedelta(hours=2)
    assert config.cache_dir == Path.home() / "trends"
    assert config.options["google"].region == "GB"
    assert config.options["google"].ttl == timedelta(minutes=15)
    assert TrendSettings().user_agent.startswith("safepost/")


# --- the snapshot cache --------------------------------------------------------------------

class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2012, 7, 20, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def serve_snapshot(server: HTTPServer, **headers: str) -> None:
    server.expect_request("/snap.json").respond_with_data(
        payload("snapshot.json"), content_type="application/json", headers=headers)


def url_source(server: HTTPServer, cache: SnapshotCache, **fields) -> TrendSource:
    config = settings(options={"url": ProviderOptions(base_url=server.url_for("/snap.json"))},
                      **fields)
    return TrendSource([SnapshotURL()], config, cache=cache)


def test_a_fresh_cache_entry_is_used_without_asking_again(server, tmp_path, clock) -> None:
    serve_snapshot(server)
    source = url_source(server, SnapshotCache(tmp_path, clock=clock))
    first = source.snapshot()
    clock.advance(minutes=9)
    assert source.snapshot() == first
    assert len(server.log) == 1
    files = list(tmp_path.glob("url/*.json"))
    assert len(files) == 1 and re.fullmatch(r"[0-9a-f]{64}\.json", files[0].name)
    stored = json.loads(files[0].read_text())
    assert set(stored) == {"snapshot", "etag", "last_modified", "stored_at"}


def test_without_a_cache_dir_snapshots_are_reused_in_memory(server: HTTPServer) -> None:
    serve_snapshot(server)
    source = url_source(server, None)
    assert source.snapshot()[1] == source.snapshot()[1] == "used"
    assert len(server.log) == 1


def test_an_expired_entry_is_revalidated_with_its_etag(server, tmp_path, clock) -> None:
    server.expect_ordered_request("/snap.json").respond_with_data(
        payload("snapshot.json"), content_type="application/json", headers={"ETag": '"v1"'})
    server.expect_ordered_request("/snap.json", headers={"If-None-Match": '"v1"'}
                                  ).respond_with_data(b"", status=304)
    source = url_source(server, SnapshotCache(tmp_path, clock=clock))
    first, _ = source.snapshot()
    clock.advance(minutes=11)
    again, status = source.snapshot()
    assert (again, status) == (first, "used")
    assert [request.headers.get("If-None-Match") for request, _ in server.log] == [None, '"v1"']
    stored = CacheEntry.model_validate_json(next(tmp_path.glob("url/*.json")).read_bytes())
    assert (stored.stored_at, stored.etag) == (clock.now, '"v1"')


def test_revalidation_uses_last_modified_when_there_is_no_etag(server, tmp_path, clock) -> None:
    stamp = "Fri, 20 Jul 2012 11:00:00 GMT"
    server.expect_ordered_request("/trending/rss").respond_with_data(
        payload("google_trending.xml"), content_type="text/xml", headers={"Last-Modified": stamp})
    server.expect_ordered_request("/trending/rss", headers={"If-Modified-Since": stamp}
                                  ).respond_with_data(b"", status=304)
    source = TrendSource([GoogleTrends()], settings(server, "google"),
                         cache=SnapshotCache(tmp_path, clock=clock))
    first, _ = source.snapshot()
    clock.advance(hours=1)
    assert source.snapshot() == (first, "used")
    assert len(server.log) == 2


def test_a_failing_provider_falls_back_to_a_stale_entry(server, tmp_path, clock) -> None:
    server.expect_ordered_request("/snap.json").respond_with_data(
        payload("snapshot.json"), content_type="application/json")
    server.expect_request("/snap.json").respond_with_data("down", status=503)
    source = url_source(server, SnapshotCache(tmp_path, clock=clock, max_stale=timedelta(hours=24)))
    first, _ = source.snapshot()
    clock.advance(hours=3)
    stale, status = source.snapshot()
    assert status == "stale"
    assert stale == first.model_copy(update={"stale": True})
    clock.advance(hours=22)
    assert source.snapshot() == (None, "unavailable")


def test_a_corrupt_cache_file_is_ignored_and_replaced(server, tmp_path, clock) -> None:
    serve_snapshot(server)
    cache = SnapshotCache(tmp_path, clock=clock)
    source = url_source(server, cache)
    path = cache.path("url", source.cache_key(source.providers[0]))
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"snapshot": {"source": "x", "fetch')
    assert source.snapshot()[1] == "used"
    assert CacheEntry.model_validate_json(path.read_bytes()).snapshot.source == "newsroom"


def test_an_unreadable_cache_path_is_never_fatal(server, tmp_path, clock) -> None:
    serve_snapshot(server)
    cache = SnapshotCache(tmp_path, clock=clock)
    source = url_source(server, cache)
    # A folder where the file should be: reading and writing both fail.
    cache.path("url", source.cache_key(source.providers[0])).mkdir(parents=True)
    assert source.snapshot()[1] == "used"
    assert source.snapshot()[1] == "used"


def test_cache_writes_are_atomic_and_leave_no_temp_files(server, tmp_path, clock,
                                                          monkeypatch) -> None:
    serve_snapshot(server)
    cache = SnapshotCache(tmp_path, clock=clock)
    assert url_source(server, cache).snapshot()[1] == "used"
    assert [p.name for p in (tmp_path / "url").iterdir() if p.name.startswith(".")] == []

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("safepost.trends.cache.os.replace", failing_replace)
    clock.advance(hours=1)
    assert url_source(server, cache).snapshot()[1] == "used"
    assert sorted(p.suffix for p in (tmp_path / "url").iterdir()) == [".json"]


def test_offline_uses_the_cache_and_never_the_network(server, tmp_path, clock) -> None:
    serve_snapshot(server)
    cache = SnapshotCache(tmp_path, clock=clock)
    assert url_source(server, cache).snapshot()[1] == "used"
    offline = url_source(server, cache, offline=True)
    assert offline.snapshot()[1] == "used"
    clock.advance(hours=2)
    assert offline.snapshot()[1] == "stale"
    assert url_source(server, SnapshotCache(tmp_path / "empty"), offline=True).snapshot() == (
        None, "unavailable")
    assert len(server.log) == 1


def test_offline_still_reads_a_snapshot_file() -> None:
    snapshot, status = run(SnapshotFile(DATA / "snapshot.json"), settings(offline=True))
    assert status == "used" and snapshot.source == "newsroom"


def test_a_stored_snapshot_is_handed_back_verbatim(tmp_path, clock) -> None:
    cache = SnapshotCache(tmp_path, clock=clock)
    snapshot = TrendSnapshot.model_validate_json(payload("snapshot.json"))
    cache.store("file", "k", CacheEntry(snapshot=snapshot, etag='"x"', stored_at=clock.now))
    assert cache.load("file", "k").snapshot == snapshot
    assert cache.stale("file", "k") == snapshot.model_copy(update={"stale": True})


def test_three_redirects_are_followed(server: HTTPServer) -> None:
    for hop in range(3):
        server.expect_request(f"/r{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/r{hop + 1}"})
    server.expect_request("/r3").respond_with_data(payload("snapshot.json"),
                                                   content_type="application/json")
    snapshot, status = open_trends(server.url_for("/r0"), {}, settings()).snapshot()
    assert (status, snapshot.source) == ("used", "newsroom")


def test_a_snapshot_url_error_names_the_url_and_the_key(server: HTTPServer) -> None:
    server.expect_request("/bad.json").respond_with_data(payload("snapshot_bad.json"),
                                                         content_type="application/json")
    source = open_trends(server.url_for("/bad.json"), {}, settings())
    assert source.snapshot() == (None, "unavailable")
    assert isinstance(source.last_errors[0], TrendError)
    assert str(source.last_errors[0]).startswith(f"{server.url_for('/bad.json')}: items[1].term: ")
