"""Which lines changed since a git ref, so CI checks only the posts a change touched."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def changed_lines(ref: str, paths: Iterable[str]) -> dict[str, set[int]]:
    """Return, per file (as git names it relative to the working directory), the changed lines."""
    args = ["git", "diff", "--unified=0", "--no-color", "--relative", ref, "--", *paths]
    try:
        result = subprocess.run(args, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise InputError("--diff needs git, which is not installed", key="--diff") from None
    if result.returncode != 0:
        raise InputError(f"git diff {ref} failed: {result.stderr.strip()}", key="--diff")
    changed: dict[str, set[int]] = {}
    for section in result.stdout.split("\ndiff --git ")[0:]:
        target = re.search(r"^\+\+\+ b/(.+)$", section, re.MULTILINE)
        if target is None:
            continue
        lines = changed.setdefault(str(Path(target.group(1))), set())
        for start, count in _HUNK.findall(section):
            lines.update(range(int(start), int(start) + int(count or 1)))
    return changed


def touches(changed: dict[str, set[int]], path: str, line: int, text: str) -> bool:
    """Return whether a post starting at `line` of `path` overlaps a changed line."""
    lines = changed.get(str(Path(path)))
    if not lines:
        return False
    return any(n in lines for n in range(line, line + text.count("\n") + 1))
