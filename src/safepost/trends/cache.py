"""A small cache of normalized trend snapshots, one JSON file per provider and parameters.

Entries live at ``<cache_dir>/<provider>/<sha256>.json`` as ``{snapshot, etag,
last_modified, stored_at}``. A fresh entry is used as is; an expired one is revalidated
with its ETag / Last-Modified; when the provider fails, an entry up to `max_stale` old is
returned marked ``stale``. A cache file that cannot be read is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from ..errors import TrendError
from ..models import TrendSnapshot
from .http import NotModified, Validators

log = logging.getLogger(__name__)

Fetch = Callable[[Validators | None], tuple[TrendSnapshot, Validators | None]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CacheEntry(BaseModel):
    """One cached snapshot with the validators that revalidate it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    snapshot: TrendSnapshot
    etag: str | None = None
    last_modified: str | None = None
    stored_at: AwareDatetime

    @property
    def validators(self) -> Validators | None:
        """Return the stored validators, or None when the server sent none."""
        if self.etag or self.last_modified:
            return Validators(self.etag, self.last_modified)
        return None


class SnapshotCache:
    """Keep trend snapshots in `root` (or in memory when `root` is None)."""

    def __init__(self, root: Path | None, *, max_stale: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = _utcnow) -> None:
        """Cache under `root`; serve stale entries up to `max_stale` old when a fetch fails."""
        self.root = root
        self.max_stale = max_stale
        self.clock = clock
        self._memory: dict[tuple[str, str], CacheEntry] = {}

    @staticmethod
    def key(provider: str, params: Mapping[str, Any]) -> str:
        """Return the cache key of a provider called with `params` (JSON-serialisable)."""
        canonical = json.dumps({"provider": provider, "params": params}, sort_keys=True,
                               separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def path(self, provider: str, key: str) -> Path | None:
        """Return the file that holds an entry, or None for a memory cache."""
        if self.root is None:
            return None
        return self.root / re.sub(r"[^a-z0-9_-]", "_", provider.lower()) / f"{key}.json"

    def load(self, provider: str, key: str) -> CacheEntry | None:
        """Return the stored entry, or None if there is none or it cannot be read."""
        path = self.path(provider, key)
        if path is None:
            return self._memory.get((provider, key))
        try:
            return CacheEntry.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as exc:
            log.warning("ignoring unreadable trend cache file %s: %s", path, exc)
            return None

    def store(self, provider: str, key: str, entry: CacheEntry) -> None:
        """Write an entry atomically; a cache that cannot be written is skipped."""
        path = self.path(provider, key)
        if path is None:
            self._memory[(provider, key)] = entry
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError as exc:
            log.warning("could not write the trend cache in %s: %s", path.parent, exc)
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(entry.model_dump_json().encode("utf-8"))
            os.replace(temp, path)
        except OSError as exc:
            log.warning("could not write the trend cache file %s: %s", path, exc)
            Path(temp).unlink(missing_ok=True)

    def fetch(self, provider: str, key: str, *, ttl: timedelta, fetch: Fetch) -> TrendSnapshot:
        """Return a fresh cached snapshot, else fetch (revalidating), else a stale one.

        :param fetch: called with the stored validators (or None); returns the snapshot and
            the validators the server sent, or raises `NotModified` or `TrendError`.
        """
        entry = self.load(provider, key)
        if entry is not None and self._age(entry) < ttl:
            return entry.snapshot
        try:
            snapshot, validators = fetch(entry.validators if entry else None)
        except NotModified:
            if entry is None:
                raise
            self.store(provider, key, entry.model_copy(update={"stored_at": self.clock()}))
            return entry.snapshot
        except TrendError as error:
            if entry is not None and self._age(entry) <= self.max_stale:
                log.warning("%s; using the snapshot cached %s ago", error, self._age(entry))
                return entry.snapshot.model_copy(update={"stale": True})
            raise
        validators = validators or Validators()
        self.store(provider, key, CacheEntry(snapshot=snapshot, etag=validators.etag,
                                             last_modified=validators.last_modified,
                                             stored_at=self.clock()))
        return snapshot

    def stale(self, provider: str, key: str) -> TrendSnapshot | None:
        """Return the stored snapshot marked stale if it is at most `max_stale` old."""
        entry = self.load(provider, key)
        if entry is None or self._age(entry) > self.max_stale:
            return None
        return entry.snapshot.model_copy(update={"stale": True})

    def _age(self, entry: CacheEntry) -> timedelta:
        age = self.clock() - entry.stored_at
        # An entry from the future (a clock that jumped back) is treated as too old to trust.
        return age if age >= timedelta(0) else timedelta.max
