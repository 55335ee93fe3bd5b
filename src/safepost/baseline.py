"""Baselines: findings already known (a saved `--format json` run) do not fail CI again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError
from .models import Post

REASON = "in the baseline"


def load_baseline(path: str | Path) -> dict[tuple[str, str], set[str]]:
    """Read a saved JSON report and return the known rule ids per (path, post key)."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", path=path, key="--baseline") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a safepost JSON report: {exc}",
                         path=path, key="--baseline") from None
    if not isinstance(records, list):
        raise InputError("not a safepost JSON report: expected a list", path=path, key="--baseline")
    known: dict[tuple[str, str], set[str]] = {}
    for index, record in enumerate(records):
        try:
            verdict = record["verdict"]
            key = (record["path"], verdict.get("post_id") or f"line {record['line']}")
            known.setdefault(key, set()).update(f["rule"] for f in verdict["findings"])
        except (KeyError, TypeError, AttributeError):
            raise InputError(f"record {index} is not a {{path, line, verdict}} object",
                             path=path, key="--baseline") from None
    return known


def apply_baseline(
    known: dict[tuple[str, str], set[str]], path: str, line: int, post: Post
) -> Post:
    """Return the post with its baseline findings added to its suppressions."""
    rules = known.get((path, post.id or f"line {line}"))
    if not rules:
        return post
    ignores: list[dict[str, Any]] = list(post.metadata.get("safepost_ignore") or [])
    ignores += [{"rule": rule, "reason": REASON} for rule in sorted(rules)]
    return post.model_copy(update={"metadata": {**post.metadata, "safepost_ignore": ignores}})
