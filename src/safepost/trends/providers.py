"""Trend providers and the source that asks them all at once, on a deadline.

`TrendSource.snapshot()` runs every provider in its own thread, returns when the last
one answers or the deadline passes (whichever comes first), and never lets one failing
provider spoil the others. `open_trends` turns the CLI's ``--trends`` value into a source.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from ..errors import ConfigError, TrendError
from ..hookspecs import hookimpl
from ..models import TrendSnapshot, TrendStatus
from .cache import SnapshotCache
from .feeds import (
    BlueskyTrends,
    ExampleSnapshot,
    GoogleTrends,
    MastodonTrends,
    RedditNews,
    SnapshotFile,
    SnapshotURL,
    WikimediaFeed,
)
from .http import Fetcher, Validators
from .settings import ProviderOptions, TrendSettings

__all__ = [
    "BlueskyTrends",
    "ExampleSnapshot",
    "GoogleTrends",
    "MastodonTrends",
    "RedditNews",
    "SnapshotFile",
    "SnapshotURL",
    "TrendProvider",
    "TrendSource",
    "WikimediaFeed",
    "merge",
    "open_trends",
]

log = logging.getLogger(__name__)

_EXPERIMENTAL = " (an experimental provider: its API may have changed)"


class TrendProvider(Protocol):
    """What a trend provider is: a name, a freshness, and a way to fetch a snapshot.

    ``ttl`` is how long a fetched snapshot stays fresh in the cache (zero: never cached);
    ``experimental`` marks a source whose API may change without notice. ``fetch`` makes
    its requests through ``fetcher`` (which enforces timeouts, size and the deadline) and
    raises `TrendError`, never returning partial garbage.
    """

    name: str
    ttl: timedelta
    experimental: bool

    def fetch(self, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
        """Fetch and normalise the current trends."""
        ...


@hookimpl
def register_trend_providers(register: Callable[[TrendProvider], None]) -> None:
    """Register the built-in providers that can be named in `--trends` or the config."""
    for provider in (GoogleTrends(), MastodonTrends(), WikimediaFeed(), BlueskyTrends(),
                     RedditNews(), SnapshotURL(), ExampleSnapshot()):
        register(provider)


def merge(snapshots: Sequence[TrendSnapshot]) -> TrendSnapshot:
    """Combine snapshots into one: sources joined by "+", the oldest time, all items."""
    if not snapshots:
        raise ValueError("merge() needs at least one snapshot")
    if len(snapshots) == 1:
        return snapshots[0]
    regions = {snapshot.region for snapshot in snapshots}
    return TrendSnapshot(
        source="+".join(snapshot.source for snapshot in snapshots),
        fetched_at=min(snapshot.fetched_at for snapshot in snapshots),
        region=regions.pop() if len(regions) == 1 else None,
        items=[item for snapshot in snapshots for item in snapshot.items],
        stale=any(snapshot.stale for snapshot in snapshots),
    )


class TrendSource:
    """Ask several providers for trends at once, through the cache, within a deadline."""

    def __init__(self, providers: Sequence[TrendProvider], settings: TrendSettings, *,
                 cache: SnapshotCache | None = None) -> None:
        """Use `providers` with `settings`; `cache` defaults to one at `settings.cache_dir`.

        With ``cache_dir = None`` snapshots are still reused in memory for their TTL.
        """
        self.providers = list(providers)
        self.settings = settings
        if cache is None:
            cache = SnapshotCache(settings.cache_dir, max_stale=settings.max_stale)
        self.cache = cache
        self.last_errors: tuple[TrendError, ...] = ()

    def snapshot(self) -> tuple[TrendSnapshot | None, TrendStatus]:
        """Return the merged snapshot and its status: "used", "stale" or "unavailable".

        Failures are logged; those of providers that gave nothing, not even a stale
        snapshot, are kept in `last_errors`. This method never raises for them.
        """
        if not self.providers:
            return None, "none"
        budget = self.settings.deadline
        deadline = time.monotonic() + budget
        pool = ThreadPoolExecutor(max_workers=len(self.providers),
                                  thread_name_prefix="safepost-trends")
        try:
            futures = [pool.submit(self._fetch, provider, deadline) for provider in self.providers]
            wait(futures, timeout=budget)
        finally:
            # Never join: a provider stuck past the deadline is left to finish on its own.
            pool.shutdown(wait=False, cancel_futures=True)
        snapshots, errors = [], []
        for provider, future in zip(self.providers, futures, strict=True):
            snapshot, error = self._outcome(provider, future)
            if snapshot is not None:
                snapshots.append(snapshot)
            if error is not None:
                log.warning("%s%s", error, _EXPERIMENTAL if provider.experimental else "")
                errors.append(error)
        self.last_errors = tuple(errors)
        if not snapshots:
            return None, "unavailable"
        merged = merge(snapshots)
        return merged, "stale" if merged.stale else "used"

    def _outcome(self, provider: TrendProvider,
                 future: Future[TrendSnapshot]) -> tuple[TrendSnapshot | None, TrendError | None]:
        if future.done() and not future.cancelled():
            try:
                return future.result(), None
            except TrendError as error:
                return None, error
        error = TrendError(f"no answer within the {self.settings.deadline:g} s trend deadline",
                           key=provider.name)
        stale = None
        if self._ttl(provider) > timedelta(0):
            stale = self.cache.stale(provider.name, self.cache_key(provider))
        if stale is None:
            return None, error
        log.warning("%s; using a stale cached snapshot", error)
        return stale, None

    def _ttl(self, provider: TrendProvider) -> timedelta:
        ttl = self.settings.options_for(provider.name).ttl
        return ttl if ttl is not None else provider.ttl

    def _fetch(self, provider: TrendProvider, deadline: float) -> TrendSnapshot:
        options = self.settings.options_for(provider.name)
        ttl = self._ttl(provider)

        def attempt(validators: Validators | None) -> tuple[TrendSnapshot, Validators | None]:
            with Fetcher(self.settings, provider.name, deadline=deadline,
                         validators=validators) as fetcher:
                snapshot = _guarded(provider, fetcher, options)
                return snapshot, fetcher.received

        if ttl <= timedelta(0):
            return attempt(None)[0]
        return self.cache.fetch(provider.name, self.cache_key(provider), ttl=ttl, fetch=attempt)

    def cache_key(self, provider: TrendProvider) -> str:
        """Return the key under which `provider`'s snapshots are cached with these settings."""
        options = self.settings.options_for(provider.name)
        return SnapshotCache.key(provider.name, options.model_dump(mode="json", exclude={"ttl"}))


def _guarded(provider: TrendProvider, fetcher: Fetcher, options: ProviderOptions) -> TrendSnapshot:
    """Call a provider, turning anything it raises or returns amiss into a `TrendError`."""
    try:
        snapshot = provider.fetch(fetcher, options)
    except TrendError:
        raise
    except Exception as exc:  # a plugin's bug must not break the other providers
        raise TrendError(f"the provider failed: {type(exc).__name__}: {exc}",
                         key=provider.name) from exc
    if not isinstance(snapshot, TrendSnapshot):
        raise TrendError(f"the provider returned {type(snapshot).__name__}, not a TrendSnapshot",
                         key=provider.name)
    return snapshot


def open_trends(spec: str, providers: Mapping[str, TrendProvider],
                settings: TrendSettings) -> TrendSource:
    """Resolve ``--trends FILE|URL|PROVIDER[,PROVIDER...]`` into a `TrendSource`.

    An existing path reads a snapshot file, an http(s) URL fetches a snapshot document,
    anything else is a comma-separated list of registered provider names.
    """
    spec = spec.strip()
    if spec.startswith(("http://", "https://")):
        options = settings.options_for("url").model_copy(update={"base_url": spec})
        settings = settings.model_copy(update={"options": {**settings.options, "url": options}})
        return TrendSource([SnapshotURL()], settings)
    if spec and Path(spec).is_file():
        return TrendSource([SnapshotFile(spec)], settings)
    names = [name.strip() for name in spec.split(",") if name.strip()]
    known = ", ".join(sorted(providers)) or "none installed"
    if not names:
        raise ConfigError(f"name a trend provider, a snapshot file or a URL; providers: {known}",
                          key="trends")
    for name in names:
        if name not in providers:
            if Path(name).suffix or "/" in name or "\\" in name:
                raise ConfigError("no such trend snapshot file", path=name, key="trends")
            raise ConfigError(f"unknown trend provider {name!r}; known providers: {known}",
                              key="trends")
    return TrendSource([providers[name] for name in names], settings)
