"""Output formats: each writes checked posts to a stream as they arrive."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from .hookspecs import hookimpl
from .models import Finding, Post, Verdict


@dataclass(frozen=True)
class Checked:
    """One checked post: where it came from, the post, and its verdict."""

    path: str
    line: int
    post: Post
    verdict: Verdict

    def line_of(self, finding: Finding) -> int:
        """Return the file line on which a finding starts."""
        if finding.span is None:
            return self.line
        return self.line + self.post.text.count("\n", 0, finding.span[0])


Formatter = Callable[[Iterable[Checked], TextIO], None]

_COLOURS = {"critical": "1;31", "high": "31", "medium": "33", "low": "36",
            "hold": "1;31", "review": "1;33", "publish": "1;32"}


def _painter(out: TextIO) -> Callable[[str, str], str]:
    use = out.isatty() and "NO_COLOR" not in os.environ

    def paint(text: str, key: str) -> str:
        return f"\033[{_COLOURS[key]}m{text}\033[0m" if use and key in _COLOURS else text

    return paint


def write_text(results: Iterable[Checked], out: TextIO) -> None:
    """Write each post's decision, then each finding under its line with the words marked."""
    paint = _painter(out)
    decisions: Counter[str] = Counter()
    for item in results:
        verdict = item.verdict
        decisions[verdict.decision] += 1
        header = f"{item.path}:{item.line}: {paint(verdict.decision, verdict.decision)}"
        detail = f"risk {verdict.risk}, score {verdict.score}, trends {verdict.trend_status}"
        out.write(f"{header} ({detail})\n")
        for finding in verdict.findings:
            _write_finding(item, finding, out, paint)
        for kept in verdict.suppressed:
            out.write(f"    suppressed {kept.rule}: {kept.reason}\n")
    total = sum(decisions.values())
    summary = ", ".join(f"{decisions[d]} {d}" for d in ("hold", "review", "publish") if decisions[d])
    out.write(f"{total} post{'s' if total != 1 else ''} checked: {summary or 'none'}\n")


def _write_finding(item: Checked, finding: Finding, out: TextIO,
                   paint: Callable[[str, str], str]) -> None:
    if finding.span is not None:
        text = item.post.text
        start, end = finding.span
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        number = str(item.line_of(finding))
        marks = "^" * max(1, min(end, line_end) - start)
        out.write(f"  {number} | {text[line_start:line_end]}\n")
        out.write(f"  {' ' * len(number)} | {' ' * (start - line_start)}{paint(marks, finding.severity)}\n")
    out.write(f"    {paint(finding.severity, finding.severity)} {finding.rule}: {finding.message}\n")
    for line in finding.evidence:
        out.write(f"      because: {line}\n")
    if finding.suggestion:
        out.write(f"      try: {finding.suggestion}\n")


def write_json(results: Iterable[Checked], out: TextIO) -> None:
    """Write a JSON list of {"path", "line", "verdict"}, one element per post, streamed."""
    out.write("[")
    for index, item in enumerate(results):
        record = {"path": item.path, "line": item.line,
                  "verdict": json.loads(item.verdict.model_dump_json())}
        out.write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")


@hookimpl
def register_formats(register: Callable[[str, Formatter], None]) -> None:
    """Register the text and json formats."""
    register("text", write_text)
    register("json", write_json)
