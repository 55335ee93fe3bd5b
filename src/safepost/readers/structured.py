"""Readers for JSON and JSON Lines posts.

A ``.json`` file holds one Post object or a list of them. The json module gives
no line numbers, so the list is walked element by element with
``JSONDecoder.raw_decode``: each post's line is the line of its opening brace,
and a field error points at that line too. A ``.jsonl`` file holds one Post
object per line; blank lines are skipped. A ``safepost_ignore`` list of
``{"rule", "reason"}`` on a post moves into ``metadata["safepost_ignore"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Post
from ._base import build_post, line_locator

if TYPE_CHECKING:
    from . import ReadContext

_DECODER = json.JSONDecoder()
_TOO_DEEP = "not readable JSON: arrays or objects are nested too deeply"
_SPACE = re.compile(r"[ \t\n\r]*")


def read_json(text: str, ctx: ReadContext) -> Iterator[tuple[int, Post | InputError]]:
    """Read one post object, or a list of them, each at the line of its opening brace."""
    line_of = line_locator(text)
    start = _skip(text, 0)
    if not text.startswith("[", start):
        value, end = _decode(text, start)
        _decode_end(text, end)
        yield line_of(start), _post(value, line_of(start))
        return
    pos = _skip(text, start + 1)
    if text.startswith("]", pos):
        yield line_of(start), InputError("no posts in the list", line=line_of(start))
    while not text.startswith("]", pos):
        value, end = _decode(text, pos)
        yield line_of(pos), _post(value, line_of(pos))
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif not text.startswith("]", pos):
            raise _syntax_error(json.JSONDecodeError("Expecting ',' delimiter", text, pos))
    _decode_end(text, pos + 1)


def read_jsonl(text: str, ctx: ReadContext) -> Iterator[tuple[int, Post | InputError]]:
    """Read one post object per line; blank lines are skipped."""
    found = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=number)
            continue
        except RecursionError:
            yield number, InputError(_TOO_DEEP, line=number)
            continue
        yield number, _post(value, number)
    if not found:
        yield 1, InputError("no posts")


def _post(value: Any, line: int) -> Post | InputError:
    if not isinstance(value, dict):
        return InputError('a post must be a JSON object such as {"text": "..."}', line=line)
    return build_post(value, line=line)


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _decode(text: str, pos: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise _syntax_error(exc) from None
    except RecursionError:
        raise InputError(_TOO_DEEP, line=text.count("\n", 0, pos) + 1) from None


def _decode_end(text: str, pos: int) -> None:
    end = _skip(text, pos)
    if end < len(text):
        raise _syntax_error(json.JSONDecodeError("Extra data", text, end))


def _syntax_error(exc: json.JSONDecodeError) -> InputError:
    return InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)
