"""Bulk-scheduler CSV: read rows as posts, write verdicts back beside them.

Columns. When the first row names a column the layout asks for, or one of the
known names (case-insensitive) — date: ``date``, ``date & time``, ``date and
time``, ``date/time``, ``datetime``, ``publish_at``, ``publish at``,
``scheduled at``; time: ``time``, ``publish time``; message: ``message``,
``text``, ``post``, ``content``, ``caption``; link: ``link``, ``url``; id:
``id``, ``post id`` — it is a header and columns are found by name. A separate
time column is joined to the date column; a time column alone is the date.
Otherwise the file has no header and columns are positional: date, message,
link (Hootsuite's classic bulk composer). Column numbers are 0-based.

Dates. With ``date_format`` every date is read with that ``strptime`` format.
Without it the file's format is the first of these that reads the most date
cells: ISO 8601 (``datetime.fromisoformat``), ``mm/dd/yyyy``, ``dd/mm/yyyy``,
``dd.mm.yyyy``, ``yyyy/mm/dd`` — each followed by ``%H:%M``, ``%H:%M:%S``,
``%I:%M %p`` or ``%I:%M:%S %p``. So a file whose days never pass 12 reads as
``mm/dd/yyyy``, Hootsuite's default; set ``date_format`` for anything else.
Dates without an offset are in ``timezone`` (an IANA name, default UTC).

Posts. The link is appended to the message after a space. ``metadata["csv"]``
holds ``row`` (the spreadsheet row number, header included), ``cells`` (the row
as read) and ``extra`` (the cells of columns the layout does not use, by
header name or ``column N``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import ConfigError, InputError, SafepostError
from ..models import Post, Verdict
from ._base import build_post

if TYPE_CHECKING:
    from . import ReadContext

VERDICT_COLUMNS = (
    "safepost_decision",
    "safepost_risk",
    "safepost_top_rule",
    "safepost_top_message",
)
_ROLES = ("date", "time", "message", "link", "id")
_KNOWN = {
    "date": (
        "date", "date & time", "date and time", "date/time", "datetime",
        "publish_at", "publish at", "scheduled at",
    ),
    "time": ("time", "publish time"),
    "message": ("message", "text", "post", "content", "caption"),
    "link": ("link", "url"),
    "id": ("id", "post id"),
}  # fmt: skip
_ALL_KNOWN = frozenset(name for names in _KNOWN.values() for name in names)
_TIMES = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")


class CsvSettings(BaseModel):
    """How scheduler CSV files are laid out (column names or 0-based numbers, date format)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date_column: str | int | None = None
    message_column: str | int | None = None
    link_column: str | int | None = None
    time_column: str | int | None = None
    id_column: str | int | None = None
    date_format: str | None = None
    timezone: str = "UTC"
    header: bool | None = None
    delimiter: str = Field(",", min_length=1, max_length=1)


class CsvLayout(CsvSettings):
    """Where a scheduler CSV keeps each post's date, message and link.

    A column is a header name, a 0-based number, or None to find it: by known
    header names, else at its classic position (date 0, message 1, link 2).
    ``header`` None detects a header row; ``date_format`` None detects the
    date format (see the module docstring). Unlike `CsvSettings` (the config's
    ``[csv]`` table as written), a layout is checked to be usable: building one
    raises `ConfigError` naming the bad key.
    """

    @model_validator(mode="after")
    def _usable(self) -> CsvLayout:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"unknown time zone {self.timezone!r}; use an IANA name such as Europe/Oslo",
                key="timezone",
            ) from None
        named = [role for role in _ROLES if isinstance(self.column(role), str)]
        if self.header is False and named:
            raise ConfigError(
                "names a column but the layout has no header; give a 0-based column number",
                key=f"{named[0]}_column",
            )
        return self

    def column(self, role: str) -> str | int | None:
        """Return the configured column for `role` ("date", "time", "message", "link", "id")."""
        return getattr(self, f"{role}_column")


CLASSIC_LAYOUT = CsvLayout(header=False)
"""Hootsuite's classic bulk composer: no header; date, message, optional link."""


def read_csv(text: str, ctx: ReadContext) -> Iterator[tuple[int, Post | InputError]]:
    """Read each non-blank row as a post, laid out as `ctx.csv` says."""
    records = _records(text, ctx.csv.delimiter)
    yield from _posts(records, _resolve(records[0][1] if records else [], ctx.csv), ctx.csv)


def write_verdicts_csv(
    source_text: str,
    layout: CsvLayout,
    results: Iterable[tuple[int, Verdict | SafepostError]],
    out: TextIO,
) -> None:
    """Write the source rows back with the verdict columns added; open `out` with newline="".

    `results` pairs each row's line (as `read_csv` yields it) with its verdict or
    error. Rows that could not be read, or got no verdict, say `error` and why;
    blank rows stay blank. Existing verdict columns in a header are overwritten.
    """
    records = _records(source_text, layout.delimiter)
    columns = _resolve(records[0][1] if records else [], layout)
    outcomes: dict[int, Post | Verdict | SafepostError] = dict(_posts(records, columns, layout))
    outcomes.update(results)
    width = max((len(cells) for _, cells in records), default=0)
    targets = _targets(columns.header, width)
    newline = re.search(r"\r?\n", source_text)
    writer = csv.writer(
        out, delimiter=layout.delimiter, lineterminator=newline[0] if newline else "\n"
    )
    for number, (line, cells) in enumerate(records, start=1):
        if not cells:
            writer.writerow([])
            continue
        row = cells + [""] * (max(targets) + 1 - len(cells))
        is_header = number == 1 and columns.header is not None
        values = VERDICT_COLUMNS if is_header else _outcome(outcomes.get(line))
        for index, value in zip(targets, values, strict=True):
            row[index] = value
        writer.writerow(row)


@dataclass(frozen=True)
class _Columns:
    roles: dict[str, int]
    header: list[str] | None

    def cell(self, cells: list[str], role: str) -> str:
        index = self.roles.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    def name(self, index: int, role: str | None = None) -> str:
        if self.header and index < len(self.header) and self.header[index].strip():
            return self.header[index].strip()
        return f"{role} (column {index + 1})" if role else f"column {index + 1}"

    def key(self, role: str) -> str:
        key = self.name(self.roles[role], role)
        if role == "date" and "time" in self.roles:
            key += " + " + self.name(self.roles["time"], "time")
        return key

    def extra(self, cells: list[str]) -> dict[str, str]:
        used = set(self.roles.values())
        return {self.name(i): value for i, value in enumerate(cells) if i not in used}


@dataclass(frozen=True)
class _Dates:
    parse: Callable[[str], datetime | None]
    expected: str
    zone: ZoneInfo


def _posts(
    records: list[tuple[int, list[str]]], columns: _Columns, layout: CsvLayout
) -> Iterator[tuple[int, Post | InputError]]:
    skip = 1 if columns.header is not None else 0
    rows = [
        (number, line, cells)
        for number, (line, cells) in enumerate(records, start=1)
        if number > skip and any(cell.strip() for cell in cells)
    ]
    if not rows:
        yield 1, InputError("no rows below the header" if skip else "no rows")
        return
    dates = _dates(layout, [_when(columns, cells) for _, _, cells in rows])
    for number, line, cells in rows:
        yield line, _row_post(columns, dates, number, line, cells)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = "a quoted cell is never closed" if "end of data" in str(exc) else str(exc)
        raise InputError(f"not valid CSV: {problem}", line=start) from None
    return records


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _resolve(first: list[str], layout: CsvLayout) -> _Columns:
    seen = [_norm(cell) for cell in first]
    wanted = {role: layout.column(role) for role in _ROLES}
    named = [value for value in wanted.values() if isinstance(value, str)]
    header = layout.header
    if header is None:
        header = any(name in _ALL_KNOWN or name in map(_norm, named) for name in seen)
    if not header:
        if named:
            raise InputError(f"no header row naming the column {named[0]!r}", line=1)
        classic = {"date": 0, "message": 1, "link": 2}
        numbered = {role: value for role, value in wanted.items() if isinstance(value, int)}
        return _Columns({**classic, **numbered}, None)
    roles: dict[str, int] = {}
    for role, value in wanted.items():
        if isinstance(value, int):
            roles[role] = value
        elif isinstance(value, str):
            if _norm(value) not in seen:
                listed = ", ".join(first)
                raise InputError(f"no column named {value!r}; the header has: {listed}", line=1)
            roles[role] = seen.index(_norm(value))
        else:
            found = next((i for i, name in enumerate(seen) if name in _KNOWN[role]), None)
            if found is not None:
                roles[role] = found
    if "date" not in roles and "time" in roles:
        roles["date"] = roles.pop("time")
    for role, example in (("message", "Message"), ("date", "Date")):
        if role not in roles:
            raise InputError(f"no {role} column; name one {example} or set {role}_column", line=1)
    return _Columns(roles, first)


def _when(columns: _Columns, cells: list[str]) -> str:
    return " ".join(
        columns.cell(cells, role).strip() for role in ("date", "time") if role in columns.roles
    ).strip()


def _dates(layout: CsvLayout, values: list[str]) -> _Dates:
    zone = ZoneInfo(layout.timezone)
    if layout.date_format:
        parse = _strptime((layout.date_format,))
        return _Dates(parse, f"{layout.date_format} (the date_format)", zone)
    formats = [("yyyy-mm-dd hh:mm (ISO 8601)", _iso)] + [
        (f"{order} hh:mm", _strptime(tuple(f"{pattern} {time}" for time in _TIMES)))
        for order, pattern in (
            ("mm/dd/yyyy", "%m/%d/%Y"),
            ("dd/mm/yyyy", "%d/%m/%Y"),
            ("dd.mm.yyyy", "%d.%m.%Y"),
            ("yyyy/mm/dd", "%Y/%m/%d"),
        )
    ]
    counts = [sum(parse(value) is not None for value in values if value) for _, parse in formats]
    best = counts.index(max(counts))
    label, parse = formats[best]
    if counts[best]:
        return _Dates(parse, f"{label}, the date format of the other rows", zone)
    return _Dates(parse, "a date and time; write it as yyyy-mm-dd hh:mm or set date_format", zone)


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _strptime(formats: tuple[str, ...]) -> Callable[[str], datetime | None]:
    def parse(value: str) -> datetime | None:
        for pattern in formats:
            try:
                return datetime.strptime(value, pattern)
            except ValueError:
                continue
        return None

    return parse


def _row_post(
    columns: _Columns, dates: _Dates, number: int, line: int, cells: list[str]
) -> Post | InputError:
    message = columns.cell(cells, "message")
    if not message.strip():
        return InputError("empty; every row needs a message", line=line, key=columns.key("message"))
    when = _when(columns, cells)
    if not when:
        return InputError(
            "empty; every row needs a date and time", line=line, key=columns.key("date")
        )
    publish_at = dates.parse(when)
    if publish_at is None:
        return InputError(
            f'cannot read "{when}" as {dates.expected}', line=line, key=columns.key("date")
        )
    if publish_at.tzinfo is None:
        publish_at = publish_at.replace(tzinfo=dates.zone)
    link = columns.cell(cells, "link").strip()
    fields = {
        "text": f"{message} {link}" if link else message,
        "publish_at": publish_at,
        "id": columns.cell(cells, "id").strip() or None,
        "metadata": {"csv": {"row": number, "cells": cells, "extra": columns.extra(cells)}},
    }
    return build_post(fields, line=line)


def _targets(header: list[str] | None, width: int) -> list[int]:
    existing = [_norm(name) for name in header or []]
    added = iter(range(width, width + len(VERDICT_COLUMNS)))
    return [existing.index(name) if name in existing else next(added) for name in VERDICT_COLUMNS]


def _outcome(item: Post | Verdict | SafepostError | None) -> tuple[str, str, str, str]:
    if isinstance(item, Verdict):
        top = item.findings[0] if item.findings else None
        return item.decision, item.risk, top.rule if top else "", top.message if top else ""
    if isinstance(item, SafepostError):
        return "error", "", "", f"{item.key}: {item.message}" if item.key else item.message
    if isinstance(item, Post):
        return "error", "", "", "no verdict for this row"
    return "", "", "", ""
