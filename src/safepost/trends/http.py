"""Careful HTTP for trend providers: hard timeouts, a deadline, a size cap, few redirects.

Every failure leaves this module as a `TrendError` that names the provider and the URL.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from ..errors import TrendError
from .settings import TrendSettings

MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_TRANSPORT_ERRORS = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


@dataclass(frozen=True)
class Validators:
    """The ETag and Last-Modified a server sent, replayed to revalidate a cached snapshot."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """Return the conditional request headers these validators call for."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class NotModified(TrendError):
    """The server answered 304: the cached snapshot is still current."""


class RateLimited(TrendError):
    """The server answered 429; `retry_after` is the wait it asked for, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None, **where: Any) -> None:
        super().__init__(message, **where)
        self.retry_after = retry_after


class Fetcher:
    """Fetch URLs for one provider within the settings' limits and a shared deadline."""

    def __init__(
        self,
        settings: TrendSettings,
        provider: str,
        *,
        deadline: float | None = None,
        validators: Validators | None = None,
        session: requests.Session | None = None,
    ) -> None:
        """Prepare to fetch for `provider` until `deadline` (a `time.monotonic()` value).

        :param validators: sent with requests made with ``conditional=True``.
        :param session: a session to use (and leave open) instead of a fresh one.
        """
        self.settings = settings
        self.provider = provider
        self.deadline = deadline if deadline is not None else time.monotonic() + settings.deadline
        self.validators = validators
        self.received: Validators | None = None
        self._own_session = session is None
        self.session = session or requests.Session()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session if this fetcher opened it."""
        if self._own_session:
            self.session.close()

    def error(self, message: str, url: str | None = None) -> TrendError:
        """Return a `TrendError` naming this provider and `url`."""
        return TrendError(message, path=url, key=self.provider)

    def get(self, url: str, *, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None, conditional: bool = False) -> bytes:
        """Return the body of a GET; with `conditional`, a 304 raises `NotModified`."""
        return self.request("GET", url, params=params, headers=headers, conditional=conditional)

    def get_json(self, url: str, *, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, conditional: bool = False) -> Any:
        """Return the decoded JSON body of a GET."""
        headers = {"Accept": "application/json", **(headers or {})}
        body = self.get(url, params=params, headers=headers, conditional=conditional)
        return self.decode_json(body, url)

    def post_json(self, url: str, *, data: dict[str, str], auth: tuple[str, str]) -> Any:
        """Return the decoded JSON answer to a form POST with HTTP basic auth."""
        body = self.request("POST", url, data=data, auth=auth,
                            headers={"Accept": "application/json"})
        return self.decode_json(body, url)

    def decode_json(self, body: bytes, url: str) -> Any:
        """Decode a UTF-8 JSON body, naming what came instead when it is not JSON."""
        try:
            return json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise self.error(f"the answer is not valid UTF-8 (byte {exc.start})", url) from None
        except json.JSONDecodeError as exc:
            if body.lstrip()[:1] == b"<":
                raise self.error("expected JSON but got an HTML or XML page", url) from None
            raise self.error(f"the answer is not valid JSON: {exc.msg} at line {exc.lineno} "
                             f"column {exc.colno}", url) from None

    def request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None, data: dict[str, str] | None = None,
                auth: tuple[str, str] | None = None, conditional: bool = False) -> bytes:
        """Send a request, following at most three http(s) redirects, and return the body."""
        if self.settings.offline:
            raise self.error("offline: trend providers may not use the network", url)
        headers = {"User-Agent": self.settings.user_agent, **(headers or {})}
        if conditional and self.validators:
            headers.update(self.validators.headers())
        try:
            return self._follow(method, url, params, headers, data, auth, conditional)
        except TrendError:
            raise
        except (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError):
            raise self.error(f"no answer within {self.settings.timeout:g} s", url) from None
        except _TRANSPORT_ERRORS as exc:
            raise self.error(f"the request failed: {_reason(exc)}", url) from None

    def _follow(self, method: str, url: str, params: dict[str, Any] | None,
                headers: dict[str, str], data: dict[str, str] | None,
                auth: tuple[str, str] | None, conditional: bool) -> bytes:
        origin, hops = urlsplit(url).netloc, 0
        while True:
            response = self._send(method, url, params, headers, data, auth)
            if not response.is_redirect:
                with response:
                    return self._read(response, url, conditional)
            response.close()
            target = urljoin(url, response.headers["Location"])
            if urlsplit(target).scheme not in ("http", "https"):
                raise self.error(f"refused a redirect to a non-HTTP URL: {target}", url)
            if hops == MAX_REDIRECTS:
                raise self.error(f"more than {MAX_REDIRECTS} redirects", url)
            hops += 1
            if response.status_code == 303 or (response.status_code in (301, 302)
                                               and method == "POST"):
                method, data = "GET", None
            if urlsplit(target).netloc != origin:
                auth = None
                headers.pop("Authorization", None)
            url, params = target, None

    def _send(self, method: str, url: str, params: dict[str, Any] | None,
              headers: dict[str, str], data: dict[str, str] | None,
              auth: tuple[str, str] | None) -> requests.Response:
        wait = min(self.settings.timeout, self._remaining(url))
        return self.session.request(method, url, params=params, headers=headers, data=data,
                                    auth=auth, timeout=(wait, wait), stream=True,
                                    allow_redirects=False)

    def _remaining(self, url: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self.error(f"gave up: the {self.settings.deadline:g} s trend deadline passed",
                             url)
        return left

    def _read(self, response: requests.Response, url: str, conditional: bool) -> bytes:
        status = response.status_code
        if status == 304 and conditional and self.validators:
            raise NotModified("not modified", path=url, key=self.provider)
        if status == 429:
            retry = _retry_after(response.headers.get("Retry-After"))
            hint = f"; the server asks to retry after {retry:g} s" if retry is not None else ""
            raise RateLimited(f"rate limited (HTTP 429){hint}", retry_after=retry, path=url,
                              key=self.provider)
        if not 200 <= status < 300:
            raise self.error(f"the server answered HTTP {status} {response.reason or ''}".rstrip(),
                             url)
        limit = self.settings.max_bytes
        announced = response.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > limit:
            raise self.error(f"the answer announces {int(announced)} bytes, more than the "
                             f"{limit} byte limit", url)
        body = self._stream(response, url, limit)
        if conditional:
            self.received = Validators(response.headers.get("ETag"),
                                       response.headers.get("Last-Modified"))
        return body

    def _stream(self, response: requests.Response, url: str, limit: int) -> bytes:
        # read1 returns what has arrived, so a slow drip cannot outlast the deadline.
        read = getattr(response.raw, "read1", response.raw.read)
        chunks, size = [], 0
        while chunk := read(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise self.error(f"the answer is larger than the {limit} byte limit", url)
            chunks.append(chunk)
            self._remaining(url)
        return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Read a Retry-After header: delta seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(exc: BaseException) -> str:
    """Return the innermost operating-system reason behind a transport error, plainly."""
    seen: set[int] = set()
    current: BaseException | None = exc
    reason = str(exc)
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            reason = current.strerror.lower()
        inner = getattr(current, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in current.args if isinstance(a, BaseException)), None)
        current = inner or current.__cause__ or current.__context__
    return reason
