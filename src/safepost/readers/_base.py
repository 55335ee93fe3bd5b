"""What every reader shares: a mapping validated as a Post, errors turned into InputErrors."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from ..errors import InputError
from ..models import Post

SUPPRESSION_HINT = "<!-- safepost: ignore RULE -- why -->"
_FIELDS = sorted({*Post.model_fields, "safepost_ignore"})
_PATTERN_HINTS = {
    "lang": "not an ISO 639-1 language code such as en or nb",
    "region": "not an ISO 3166-1 country code such as US or NO",
}

_NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Suppression(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: _NonBlank
    reason: _NonBlank


_SUPPRESSIONS = TypeAdapter(list[_Suppression])


def line_locator(text: str) -> Callable[[int], int]:
    """Return a function that maps a character offset in `text` to its 1-based line."""
    breaks = [match.start() for match in re.finditer("\n", text)]
    return lambda offset: bisect.bisect_left(breaks, offset) + 1


def build_post(
    fields: Mapping[str, Any],
    *,
    line: int,
    key_lines: Mapping[str, int] | None = None,
    suppressions: Sequence[dict[str, str]] = (),
) -> Post | InputError:
    """Validate `fields` as a Post, or return an InputError naming the key and its line.

    A `safepost_ignore` list (top level or inside `metadata`) is validated and moved,
    together with `suppressions`, into `metadata["safepost_ignore"]`.
    """
    fields = dict(fields)
    key_lines = key_lines or {}
    sources: list[tuple[tuple[str, ...], Any]] = []
    metadata = fields.get("metadata")
    if isinstance(metadata, dict) and "safepost_ignore" in metadata:
        sources.append((("metadata", "safepost_ignore"), metadata["safepost_ignore"]))
        fields["metadata"] = {k: v for k, v in metadata.items() if k != "safepost_ignore"}
    if "safepost_ignore" in fields:
        sources.append((("safepost_ignore",), fields.pop("safepost_ignore")))
    ignores: list[dict[str, str]] = []
    for prefix, value in sources:
        try:
            ignores += [entry.model_dump() for entry in _SUPPRESSIONS.validate_python(value)]
        except ValidationError as exc:
            return _input_error(exc, line, key_lines, prefix)
    try:
        post = Post.model_validate(fields)
    except ValidationError as exc:
        return _input_error(exc, line, key_lines)
    if not post.text.strip():
        return InputError("no post text", line=key_lines.get("text", line), key="text")
    ignores += suppressions
    if not ignores:
        return post
    return post.model_copy(update={"metadata": {**post.metadata, "safepost_ignore": ignores}})


def _input_error(
    exc: ValidationError, line: int, key_lines: Mapping[str, int], prefix: tuple[str, ...] = ()
) -> InputError:
    error = exc.errors(include_url=False)[0]
    loc = (*prefix, *error["loc"])
    key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return InputError(
        _explain(error, loc, bool(prefix)),
        line=key_lines.get(str(loc[0]), line) if loc else line,
        key=key.lstrip(".") or None,
    )


def _explain(error: Any, loc: tuple[Any, ...], in_suppression: bool) -> str:
    kind: str = error["type"]
    field = str(loc[-1]) if loc else ""
    if in_suppression and kind == "extra_forbidden":
        return "unknown field; a suppression has only rule and reason"
    if in_suppression and field == "reason" and kind in ("missing", "string_too_short"):
        return "a suppression needs a reason: give each entry a rule and a reason"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field, _FIELDS, n=1)
        if close:
            return f"unknown field; did you mean {close[0]}?"
        return f"unknown field; use one of: {', '.join(_FIELDS)}"
    if kind == "missing":
        return "required field is missing"
    if kind.startswith(("datetime", "date_", "timezone")):
        return "not a date and time with a time zone; write it like 2024-05-01T09:00:00+02:00"
    if kind == "string_pattern_mismatch" and field in _PATTERN_HINTS:
        return _PATTERN_HINTS[field]
    if kind.startswith("bool"):
        return "not true or false"
    return str(error["msg"])
