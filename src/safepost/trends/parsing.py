"""Defensive readers for what trend sources send: XML without DTDs, counts, dates, HTML."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from pydantic import ValidationError

from ..errors import TrendError
from ..models import TrendSnapshot
from .http import Fetcher

_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_COUNT = re.compile(r"^\s*([\d.,]+)\s*([kKmM]?)\+?\s*$")


class _Refused(ValueError):
    """The document declares a DTD or entities, which trend feeds never need."""


def _refuse(*_: Any) -> None:
    raise _Refused("DTDs and entity declarations are not accepted")


def _refuse_doctype(name: str, *_: Any) -> None:
    if name.lower() == "html":
        raise _Refused("got an HTML page, not a feed")
    _refuse()


def parse_xml(body: bytes, fetcher: Fetcher, url: str) -> ET.Element:
    """Parse XML into elements named by their local names (``ht:picture`` → ``picture``).

    Namespace prefixes are dropped, not resolved, so a feed that changes its namespace
    URI still parses; any DTD or entity declaration is refused.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(_local(tag), attrs)
    parser.EndElementHandler = lambda tag: builder.end(_local(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(body, True)
        return builder.close()
    except _Refused as exc:
        raise fetcher.error(f"refused the XML: {exc}", url) from None
    except expat.ExpatError as exc:
        raise fetcher.error(f"the answer is not well-formed XML: {exc}", url) from None


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


@contextmanager
def payload(fetcher: Fetcher, url: str) -> Iterator[None]:
    """Turn a payload of an unexpected shape into a `TrendError` naming the provider."""
    try:
        yield
    except ValidationError as exc:
        error = exc.errors()[0]
        where = _dotted(error["loc"]) or "the top level"
        raise fetcher.error(f"unexpected payload: {error['msg']} at {where}", url) from None
    except (KeyError, IndexError) as exc:
        raise fetcher.error(f"unexpected payload: no {exc} in it", url) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise fetcher.error(f"unexpected payload: {exc}", url) from None


def read_snapshot(data: bytes, where: str | Path) -> TrendSnapshot:
    """Validate a snapshot in the contract's JSON shape, naming the key that is wrong."""
    try:
        return TrendSnapshot.model_validate_json(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise TrendError(f"{first['msg']}{more}; expected a trend snapshot (see the contract)",
                         path=where, key=_dotted(first["loc"]) or None) from None


def _dotted(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as ``items[0].term``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def count(value: Any) -> int | None:
    """Read a count such as ``1200``, ``"9"``, ``"1,000+"`` or ``"20K+"``; None if absent."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value)
    found = _COUNT.match(str(value))
    if not found:
        return None
    number = float(found.group(1).replace(",", ""))
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2).lower()])


def strip_html(text: str) -> str:
    """Return the plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAG_OR_COMMENT.sub("", text)).split())


def rfc822(value: str | None) -> datetime | None:
    """Read an RSS date such as ``Tue, 11 Aug 2026 05:30:00 -0700``; None if unreadable."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iso(value: Any) -> datetime | None:
    """Read an ISO 8601 timestamp; None if absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def epoch(value: Any) -> datetime | None:
    """Read seconds since the epoch; None if absent or unreadable."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)
