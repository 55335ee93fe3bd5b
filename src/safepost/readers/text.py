"""Readers for plain-text and Markdown posts.

A ``.txt`` file is one post starting on line 1.

A ``.md`` file is one post or several:

- Front matter — YAML between a ``---`` line and a ``---`` (or ``...``) line,
  read with ``yaml.SafeLoader`` — may set any Post field except ``text``: the
  body below it is the text. It may also hold a ``safepost_ignore`` list. YAML
  aliases (``*name``) are refused: a few of them can expand to billions of values.
- A line that is exactly ``+++`` separates posts, and each section may start
  with its own front matter. ``+++`` and not ``---``: ``---`` already opens and
  closes front matter and is a Markdown thematic break, so it cannot also
  separate posts. Blank sections (a trailing ``+++``) are skipped.
- Instead of a body, front matter may list ``posts:``, each a mapping of Post
  fields; the other front-matter keys are defaults for every listed post.
- Fenced code blocks and HTML comments are not checked: their characters become
  spaces (newlines stay), so offsets in ``Post.text`` and line numbers still
  point into the file. ``Post.text`` starts on the line after the front matter.
- ``<!-- safepost: ignore RULE -- reason -->`` in a body silences RULE for that
  post; it lands in ``metadata["safepost_ignore"]`` as ``{"rule", "reason"}``.
  A suppression without a reason, an unclosed fence and an unclosed comment
  are errors, because each would hide text from the check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import InputError
from ..models import Post
from ._base import SUPPRESSION_HINT, build_post

if TYPE_CHECKING:
    from . import ReadContext

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_SUPPRESSION = re.compile(
    r"\s*safepost:\s*ignore\s+(?P<rule>\w[\w.\-]*)\s*(?:--(?P<reason>.*))?", re.DOTALL
)


def read_txt(text: str, ctx: ReadContext) -> Iterator[tuple[int, Post | InputError]]:
    """Read the whole file as one post starting on line 1."""
    if not text.strip():
        yield 1, InputError("no post text")
        return
    yield 1, build_post({"text": text}, line=1)


def read_markdown(text: str, ctx: ReadContext) -> Iterator[tuple[int, Post | InputError]]:
    """Read Markdown posts: front matter sets fields, the body is the text."""
    found = False
    for section in _sections(text):
        if section.front is None and section.error is None and not section.has_content():
            continue
        found = True
        yield from _section_posts(section)
    if not found:
        yield 1, InputError("no post text")


@dataclass
class _Comment:
    line: int
    parts: list[str] = field(default_factory=list)


@dataclass
class _Section:
    front: str | None = None
    front_line: int = 0
    body_line: int = 1
    body: list[str] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)
    error: InputError | None = None

    def has_content(self) -> bool:
        return bool(self.comments) or bool("".join(self.body).strip())


def _sections(text: str) -> Iterator[_Section]:
    lines = _LINE.findall(text)
    index, more = 0, True
    while more:
        section = _Section()
        index = _front_matter(lines, index, section)
        section.body_line = index + 1
        index, more = _body(lines, index, section)
        yield section


def _front_matter(lines: list[str], index: int, section: _Section) -> int:
    start = index
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or lines[start].rstrip() != "---":
        return index
    for end in range(start + 1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            section.front, section.front_line = "".join(lines[start + 1 : end]), start + 1
            return end + 1
    raise InputError("front matter is never closed; end it with a line of ---", line=start + 1)


def _body(lines: list[str], index: int, section: _Section) -> tuple[int, bool]:
    fence: re.Pattern[str] | None = None
    fence_line, fence_marks = 0, ""
    comment: _Comment | None = None
    while index < len(lines):
        line = lines[index]
        index += 1
        if fence is not None:
            section.body.append(_blank(line))
            if fence.fullmatch(line):
                fence = None
        elif comment is None and line.strip() == "+++":
            return index, True
        elif comment is None and (opening := _FENCE.match(line)):
            marks = opening[1]
            fence = re.compile(rf" {{0,3}}{re.escape(marks[0])}{{{len(marks)},}}[ \t]*\r?\n?")
            fence_line, fence_marks = index, marks
            section.body.append(_blank(line))
        else:
            masked, comment = _mask_comments(line, index, comment, section.comments)
            section.body.append(masked)
    if fence is not None:
        section.error = InputError(
            f"code block is never closed; end it with a line of {fence_marks}", line=fence_line
        )
    elif comment is not None:
        section.error = InputError("comment is never closed; end it with -->", line=comment.line)
    return index, False


def _mask_comments(
    line: str, number: int, comment: _Comment | None, found: list[tuple[int, str]]
) -> tuple[str, _Comment | None]:
    out: list[str] = []
    pos = 0
    while True:
        if comment is None:
            start = line.find("<!--", pos)
            if start < 0:
                out.append(line[pos:])
                return "".join(out), None
            out.append(line[pos:start] + "    ")
            comment, pos = _Comment(number), start + 4
        end = line.find("-->", pos)
        if end < 0:
            comment.parts.append(line[pos:])
            out.append(_blank(line[pos:]))
            return "".join(out), comment
        comment.parts.append(line[pos:end])
        out.append(_blank(line[pos : end + 3]))
        found.append((comment.line, "".join(comment.parts)))
        comment, pos = None, end + 3


def _blank(text: str) -> str:
    return _NOT_NEWLINE.sub(" ", text)


def _section_posts(section: _Section) -> Iterator[tuple[int, Post | InputError]]:
    try:
        yield from _posts_of(section)
    except InputError as problem:
        yield problem.line or section.body_line, problem


def _posts_of(section: _Section) -> Iterator[tuple[int, Post | InputError]]:
    if section.error is not None:
        raise section.error
    fields, node = _parse_front(section)
    suppressions = _suppressions(section.comments)
    key_lines = _key_lines(node, section.front_line + 1)
    if "posts" in fields:
        yield from _listed(fields, node, section, suppressions)
        return
    if "text" in fields:
        raise InputError(
            "the post's text is the body below the front matter; remove this key",
            line=key_lines.get("text", section.front_line),
            key="text",
        )
    body = "".join(section.body)
    if not body.strip():
        raise InputError("no post text", line=section.body_line)
    fields["text"] = body
    line = section.body_line
    yield line, build_post(fields, line=line, key_lines=key_lines, suppressions=suppressions)


class _AliasRefused(yaml.MarkedYAMLError):
    """Front matter used a YAML alias."""


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without aliases: a few `*name` lines could otherwise expand a post's
    metadata to billions of values, and a post's few fields never need them."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        """Compose the next node, refusing an alias."""
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(problem_mark=self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _parse_front(section: _Section) -> tuple[dict[str, Any], yaml.Node | None]:
    if section.front is None:
        return {}, None
    try:
        loader = _FrontMatterLoader(section.front)  # it refuses control characters at once
    except yaml.reader.ReaderError as exc:
        line = section.front.count("\n", 0, exc.position)
        raise InputError(
            f"front matter is not valid YAML: {exc.reason} (U+{exc.character:04X})",
            line=section.front_line + 1 + line,
        ) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except _AliasRefused as exc:
        raise InputError(
            "front matter may not use YAML aliases (*name); write the value out",
            line=section.front_line + 1 + exc.problem_mark.line,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"front matter is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            line=section.front_line + 1 + (mark.line if mark else 0),
        ) from None
    except RecursionError:
        raise InputError("front matter is nested too deeply", line=section.front_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError(
            "front matter must be a mapping of post fields, such as lang: en",
            line=section.front_line,
        )
    return data, node


def _listed(
    fields: dict[str, Any],
    node: yaml.Node | None,
    section: _Section,
    suppressions: list[dict[str, str]],
) -> Iterator[tuple[int, Post | InputError]]:
    base = section.front_line + 1
    key_lines = _key_lines(node, base)
    entries = fields.pop("posts")
    items = _value(node, "posts")
    if suppressions:
        raise InputError(
            "front matter lists posts:, so give each listed post its own safepost_ignore",
            line=next(line for line, text in section.comments if "safepost:" in text),
        )
    if "".join(section.body).strip():
        raise InputError(
            "front matter lists posts:, so the body must be empty; move it into the list",
            line=section.body_line,
        )
    if not isinstance(entries, list) or not entries or not isinstance(items, yaml.SequenceNode):
        raise InputError(
            "must be a list of posts, each with a text",
            line=key_lines.get("posts", base),
            key="posts",
        )
    for number, (entry, item) in enumerate(zip(entries, items.value, strict=True)):
        line = base + item.start_mark.line
        if not isinstance(entry, dict):
            key = f"posts[{number}]"
            yield line, InputError("must be a mapping of post fields", line=line, key=key)
            continue
        text = _value(item, "text")
        if isinstance(text, yaml.ScalarNode):
            line = base + text.start_mark.line + (1 if text.style in ("|", ">") else 0)
        lines = {**key_lines, **_key_lines(item, base)}
        yield line, build_post({**fields, **entry}, line=line, key_lines=lines)


def _key_lines(node: yaml.Node | None, base: int) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): base + key.start_mark.line for key, _ in node.value}


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if name.value == key), None)


def _suppressions(comments: list[tuple[int, str]]) -> list[dict[str, str]]:
    found = []
    for line, content in comments:
        if not content.lstrip().startswith("safepost:"):
            continue
        match = _SUPPRESSION.fullmatch(content)
        if match is None:
            raise InputError(
                f"cannot read this safepost comment; write {SUPPRESSION_HINT}", line=line
            )
        reason = " ".join((match["reason"] or "").split())
        if not reason:
            raise InputError(f"a suppression needs a reason: {SUPPRESSION_HINT}", line=line)
        found.append({"rule": match["rule"], "reason": reason})
    return found
