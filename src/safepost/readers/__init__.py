"""Input readers: a file's text in, ``(line, post)`` pairs out, chosen by file suffix.

A reader takes the decoded text and a `ReadContext` and yields ``(line, item)``:
``line`` is the 1-based file line where the post's text starts, ``item`` a
`Post`, or an `InputError` for a record that cannot be read while the rest of
the file still can. A reader raises `InputError` only when nothing after the
problem can be read (broken JSON syntax, an unusable CSV header). Readers may
leave an error's ``path`` unset: `read_posts` fills it in, and raises the first
error unless the context says ``keep_going``.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..hookspecs import hookimpl
from ..models import Post
from .structured import read_json, read_jsonl
from .tabular import CLASSIC_LAYOUT, VERDICT_COLUMNS, CsvLayout, read_csv, write_verdicts_csv
from .text import read_markdown, read_txt

__all__ = [
    "CLASSIC_LAYOUT",
    "VERDICT_COLUMNS",
    "CsvLayout",
    "ReadContext",
    "Reader",
    "decode_text",
    "load_text",
    "read_csv",
    "read_json",
    "read_jsonl",
    "read_markdown",
    "read_posts",
    "read_txt",
    "register_readers",
    "write_verdicts_csv",
]


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs besides the text: the file's name and how to read it."""

    path: str
    csv: CsvLayout = field(default_factory=CsvLayout)
    keep_going: bool = False


Reader = Callable[[str, ReadContext], Iterator[tuple[int, Post | InputError]]]


def read_posts(
    text: str, ctx: ReadContext, reader: Reader
) -> Iterator[tuple[int, Post | InputError]]:
    """Yield `reader`'s posts; raise its first InputError unless `ctx.keep_going`.

    With `keep_going` every error comes through as an item and reading goes on;
    an error that stops the reader is the last item.
    """
    items = reader(text, ctx)
    while True:
        stop = False
        try:
            line, item = next(items)
        except StopIteration:
            return
        except InputError as error:
            line, item, stop = error.line or 1, error, True
        if isinstance(item, InputError):
            if item.path is None:
                item.path = ctx.path
            if not ctx.keep_going:
                raise item
        yield line, item
        if stop:
            return


def load_text(path: str | Path) -> str:
    """Read a file as UTF-8 text without a BOM; refuse directories and binary files."""
    file = Path(path)
    if file.is_dir():
        raise InputError("is a directory; name the files to check", path=path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from None
    return decode_text(data, path)


def decode_text(data: bytes, path: str | Path) -> str:
    """Decode a file's bytes (or standard input's) as UTF-8 without a BOM; refuse binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("is not a text file: it is UTF-16; save it as UTF-8", path=path)
    if b"\0" in data:
        raise InputError("is not a text file: it contains NUL bytes", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not a text file: byte 0x{data[exc.start]:02X} is not UTF-8; save it as UTF-8",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
        ) from None


@hookimpl
def register_readers(register: Callable[[str, Reader], None]) -> None:
    """Register the built-in readers by file suffix."""
    register(".txt", read_txt)
    register(".md", read_markdown)
    register(".markdown", read_markdown)
    register(".json", read_json)
    register(".jsonl", read_jsonl)
    register(".csv", read_csv)
