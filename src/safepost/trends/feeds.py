"""The built-in trend providers: each turns one public source into a `TrendSnapshot`.

Shapes follow research/trends.md §1. Every base URL can be changed with
``[trends.options.<name>] base_url``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import TrendError
from ..models import TrendContext, TrendItem, TrendSnapshot
from .http import Fetcher
from .parsing import count, epoch, iso, now, parse_xml, payload, read_snapshot, rfc822, strip_html
from .settings import ProviderOptions


def _language(options: ProviderOptions) -> dict[str, str]:
    return {"Accept-Language": options.lang} if options.lang else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _listed(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON list, got {type(value).__name__}")
    return value


class GoogleTrends:
    """Google Trends "Trending now" RSS: search phrases with up to three headlines each."""

    name = "google"
    ttl = timedelta(minutes=30)
    experimental = False

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch the feed for `options.region` (default US)."""
        geo = options.region or "US"
        url = f"{options.base_url or 'https://trends.google.com'}/trending/rss"
        body = fetcher.get(url, params={"geo": geo}, conditional=True,
                           headers={"Accept": "application/rss+xml, application/xml, text/xml"})
        root = parse_xml(body, fetcher, url)
        if root.tag != "rss":
            raise fetcher.error(f"expected an RSS feed but the document is <{root.tag}>", url)
        items: list[TrendItem] = []
        for entry in root.iter("item"):
            term = _text(entry.findtext("title"))
            if term:
                published = rfc822(entry.findtext("pubDate"))
                items.append(TrendItem(term=term, kind="phrase", rank=len(items) + 1,
                                       volume=count(entry.findtext("approx_traffic")),
                                       context=self._news(entry, published)))
        return TrendSnapshot(source=self.name, fetched_at=now(), region=geo, items=items)

    @staticmethod
    def _news(entry: ET.Element, published: datetime | None) -> list[TrendContext]:
        context = []
        for news in entry.iter("news_item"):
            title = _text(news.findtext("news_item_title"))
            if title:
                context.append(TrendContext(
                    title=title, url=_text(news.findtext("news_item_url")) or None,
                    published_at=published,
                    summary=_text(news.findtext("news_item_snippet")) or None))
        return context


class MastodonTrends:
    """Mastodon's trending tags and links; link titles and descriptions give the why."""

    name = "mastodon"
    ttl = timedelta(minutes=10)
    experimental = False

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch `/api/v1/trends/tags` and `/api/v1/trends/links` from the instance."""
        base = options.base_url or f"https://{options.instance or 'mastodon.social'}"
        headers = _language(options)
        tags_url, links_url = f"{base}/api/v1/trends/tags", f"{base}/api/v1/trends/links"
        tags = fetcher.get_json(tags_url, params={"limit": 20}, headers=headers)
        links = fetcher.get_json(links_url, params={"limit": 20}, headers=headers)
        with payload(fetcher, tags_url):
            items = [TrendItem(term=tag["name"], kind="hashtag", rank=rank,
                               volume=self._uses(tag))
                     for rank, tag in enumerate(_listed(tags), 1)]
        with payload(fetcher, links_url):
            titled = [link for link in _listed(links) if _text(link.get("title"))]
            items += [self._link(link, rank) for rank, link in enumerate(titled, 1)]
        return TrendSnapshot(source=self.name, fetched_at=now(), items=items)

    def _link(self, link: dict[str, Any], rank: int) -> TrendItem:
        title = _text(link["title"])
        context = TrendContext(title=title, url=link.get("url"),
                               published_at=iso(link.get("published_at")),
                               summary=_text(link.get("description")) or None)
        return TrendItem(term=title, kind="phrase", rank=rank, volume=self._uses(link),
                         context=[context])

    @staticmethod
    def _uses(entry: dict[str, Any]) -> int | None:
        history = entry.get("history") or []
        return count(history[0].get("uses")) if history else None


class WikimediaFeed:
    """Wikipedia's featured feed: "In the news" stories and the most-read articles."""

    name = "wikimedia"
    ttl = timedelta(hours=1)
    experimental = False

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch today's (UTC) featured feed of the `options.lang` Wikipedia (default en)."""
        base = options.base_url or f"https://{options.lang or 'en'}.wikipedia.org"
        fetched_at = now()
        url = f"{base}/api/rest_v1/feed/featured/{fetched_at:%Y/%m/%d}"
        feed = fetcher.get_json(url, conditional=True)
        with payload(fetcher, url):
            found: dict[str, dict[str, Any]] = {}
            for story in feed.get("news") or []:
                headline = strip_html(story["story"])
                for article in story.get("links") or []:
                    self._entry(found, article)["context"].append(
                        TrendContext(title=headline, url=_page(article)))
            for article in (feed.get("mostread") or {}).get("articles") or []:
                entry = self._entry(found, article)
                entry.update(rank=count(article.get("rank")), volume=count(article.get("views")))
                entry["context"].append(TrendContext(
                    title=_text(article.get("description")) or self._term(article),
                    url=_page(article), summary=_text(article.get("extract")) or None))
            items = [TrendItem(term=term, kind="phrase", **fields)
                     for term, fields in found.items()]
        return TrendSnapshot(source=self.name, fetched_at=fetched_at, items=items)

    @staticmethod
    def _term(article: dict[str, Any]) -> str:
        return article["title"].replace("_", " ").strip()

    def _entry(self, found: dict[str, dict[str, Any]], article: dict[str, Any]) -> dict[str, Any]:
        return found.setdefault(self._term(article), {"context": []})


def _page(article: dict[str, Any]) -> str | None:
    return ((article.get("content_urls") or {}).get("desktop") or {}).get("page")


class BlueskyTrends:
    """Bluesky's trending topics (an `unspecced`, experimental API)."""

    name = "bluesky"
    ttl = timedelta(minutes=10)
    experimental = True

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch `app.bsky.unspecced.getTrends` from the public AppView."""
        base = options.base_url or "https://public.api.bsky.app"
        url = f"{base}/xrpc/app.bsky.unspecced.getTrends"
        answer = fetcher.get_json(url, params={"limit": 25}, headers=_language(options),
                                  conditional=True)
        with payload(fetcher, url):
            items = []
            for rank, trend in enumerate(_listed(answer["trends"]), 1):
                term = _text(trend.get("displayName")) or trend["topic"]
                category = _text(trend.get("category"))
                context = [TrendContext(title=term, summary=f"category: {category}")]
                items.append(TrendItem(term=term, kind="phrase", rank=rank,
                                       volume=count(trend.get("postCount")),
                                       context=context if category else []))
        return TrendSnapshot(source=self.name, fetched_at=now(), items=items)


class RedditNews:
    """Hot posts of r/news through the user's own app-only OAuth client (opt-in)."""

    name = "reddit"
    ttl = timedelta(minutes=10)
    experimental = False

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Get an app-only token, then read `/r/news/hot`; post titles become phrases."""
        if not (options.client_id and options.client_secret):
            raise fetcher.error("reddit needs your own OAuth app: set client_id and "
                                "client_secret under [trends.options.reddit] "
                                "(create one at https://www.reddit.com/prefs/apps)")
        base = options.base_url or "https://oauth.reddit.com"
        token_url = options.token_url or (f"{options.base_url}/api/v1/access_token"
                                          if options.base_url
                                          else "https://www.reddit.com/api/v1/access_token")
        token = fetcher.post_json(token_url, data={"grant_type": "client_credentials"},
                                  auth=(options.client_id,
                                        options.client_secret.get_secret_value()))
        if not isinstance(token, dict) or not _text(token.get("access_token")):
            reason = token.get("error") if isinstance(token, dict) else None
            raise fetcher.error("the token endpoint gave no access token "
                                f"({reason or 'no reason given'})", token_url)
        url = f"{base}/r/news/hot"
        listing = fetcher.get_json(url, params={"limit": 25, "raw_json": 1},
                                   headers={"Authorization": f"bearer {token['access_token']}"})
        with payload(fetcher, url):
            posts = [child["data"] for child in listing["data"]["children"]]
            items = []
            for post in posts:
                title = _text(post.get("title"))
                if title and not post.get("stickied"):
                    context = TrendContext(title=title, url=post.get("url"),
                                           published_at=epoch(post.get("created_utc")))
                    items.append(TrendItem(term=title, kind="phrase", rank=len(items) + 1,
                                           volume=count(post.get("score")), context=[context]))
        return TrendSnapshot(source=self.name, fetched_at=now(), items=items)


class SnapshotFile:
    """A snapshot JSON file in the contract's shape; read afresh each time, never cached."""

    name = "file"
    ttl = timedelta(0)
    experimental = False

    def __init__(self, path: str | Path) -> None:
        """Read snapshots from `path`."""
        self.path = Path(path)

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Read and validate the file."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise TrendError(f"cannot read the trend snapshot: {exc.strerror or exc}",
                             path=self.path) from None
        return read_snapshot(data, self.path)


class ExampleSnapshot(SnapshotFile):
    """The snapshot bundled with safepost (`--trends example`): the README's offline demo."""

    name = "example"

    def __init__(self) -> None:
        """Read the bundled example snapshot."""
        super().__init__(Path(str(files("safepost") / "data" / "example_trends.json")))


class SnapshotURL:
    """A snapshot JSON served at `options.base_url` (the full URL of the document)."""

    name = "url"
    ttl = timedelta(minutes=10)
    experimental = False

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch and validate the snapshot, revalidating with its ETag when cached."""
        if not options.base_url:
            raise fetcher.error("set base_url under [trends.options.url] to the snapshot's URL")
        body = fetcher.get(options.base_url, headers={"Accept": "application/json"},
                           conditional=True)
        return read_snapshot(body, options.base_url)
