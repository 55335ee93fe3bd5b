"""Output formats: each writes checked posts to a stream as they arrive."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

from .hookspecs import hookimpl
from .models import Finding, Post, Verdict
from .rule import RuleSpec


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

    def column_of(self, offset: int) -> int:
        """Return the 1-based column of a character offset of the post's text."""
        return offset - self.post.text.rfind("\n", 0, offset)


Formatter = Callable[[Iterable[Checked], TextIO, Mapping[str, RuleSpec]], None]

_COLOURS = {"critical": "1;31", "high": "31", "medium": "33", "low": "36",
            "hold": "1;31", "review": "1;33", "publish": "1;32"}


def _painter(out: TextIO) -> Callable[[str, str], str]:
    use = out.isatty() and "NO_COLOR" not in os.environ

    def paint(text: str, key: str) -> str:
        return f"\033[{_COLOURS[key]}m{text}\033[0m" if use and key in _COLOURS else text

    return paint


def write_text(results: Iterable[Checked], out: TextIO, rules: Mapping[str, RuleSpec]) -> None:
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
    summary = ", ".join(
        f"{decisions[d]} {d}" for d in ("hold", "review", "publish") if decisions[d]
    )
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
        gutter, indent = " " * len(number), " " * (start - line_start)
        out.write(f"  {gutter} | {indent}{paint(marks, finding.severity)}\n")
    severity = paint(finding.severity, finding.severity)
    out.write(f"    {severity} {finding.rule}: {finding.message}\n")
    for line in finding.evidence:
        out.write(f"      because: {line}\n")
    if finding.suggestion:
        out.write(f"      try: {finding.suggestion}\n")


def write_json(results: Iterable[Checked], out: TextIO, rules: Mapping[str, RuleSpec]) -> None:
    """Write a JSON list of {"path", "line", "verdict"}, one element per post, streamed."""
    out.write("[")
    for index, item in enumerate(results):
        record = {"path": item.path, "line": item.line,
                  "verdict": json.loads(item.verdict.model_dump_json())}
        out.write(("," if index else "") + "\n  " + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")


_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}


def write_github(results: Iterable[Checked], out: TextIO, rules: Mapping[str, RuleSpec]) -> None:
    """Write GitHub Actions workflow commands: one annotation per finding."""
    for item in results:
        for finding in item.verdict.findings:
            column = item.column_of(finding.span[0]) if finding.span else 1
            title = f"safepost {finding.rule} ({item.verdict.decision})"
            text = finding.message + (f" Try: {finding.suggestion}" if finding.suggestion else "")
            out.write(f"::{_LEVELS[finding.severity]} file={_escape(item.path, True)},"
                      f"line={item.line_of(finding)},col={column},"
                      f"title={_escape(title, True)}::{_escape(text, False)}\n")


def _escape(value: str, in_property: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if in_property else value


def write_sarif(results: Iterable[Checked], out: TextIO, rules: Mapping[str, RuleSpec]) -> None:
    """Write a SARIF 2.1.0 log with rule metadata and help, for code-scanning tools."""
    from .checker import version

    sarif_results: list[dict] = []
    used: dict[str, int] = {}
    for item in results:
        for finding in item.verdict.findings:
            index = used.setdefault(finding.rule, len(used))
            sarif_results.append(_sarif_result(item, finding, index))
    driver = {
        "name": "safepost",
        "version": version(),
        "informationUri": "https://github.com/safepost/safepost",
        "rules": [_sarif_rule(rule_id, rules.get(rule_id)) for rule_id in used],
    }
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": sarif_results,
                  "columnKind": "unicodeCodePoints"}],
    }
    out.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")


def _sarif_rule(rule_id: str, spec: RuleSpec | None) -> dict:
    if spec is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    what = spec.explain.what if spec.explain else (spec.description or spec.message)
    help_lines = [what]
    if spec.explain:
        help_lines += [f"Why it matters: {spec.explain.why}", f"Instead: {spec.explain.instead}"]
    return {
        "id": rule_id,
        "name": rule_id.replace(".", "-"),
        "shortDescription": {"text": what},
        "fullDescription": {"text": " ".join(help_lines)},
        "help": {"text": "\n".join(help_lines),
                 "markdown": "\n\n".join(help_lines)},
        "defaultConfiguration": {"level": _LEVELS[spec.severity]},
        "properties": {"category": spec.category, "tags": [spec.category]},
    }


def _sarif_result(item: Checked, finding: Finding, index: int) -> dict:
    region: dict = {"startLine": item.line_of(finding)}
    if finding.span:
        start, end = finding.span
        end_line = item.line + item.post.text.count("\n", 0, max(start, end - 1))
        region.update(startColumn=item.column_of(start), endLine=end_line,
                      endColumn=item.column_of(end), snippet={"text": finding.matched or ""})
    properties = {"decision": item.verdict.decision, "severity": finding.severity,
                  "category": finding.category}
    if finding.evidence:
        properties["evidence"] = finding.evidence
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    if item.post.id:
        properties["post_id"] = item.post.id
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": item.path.replace("\\", "/")},
            "region": region,
        }}],
        "properties": properties,
    }


@hookimpl
def register_formats(register: Callable[[str, Formatter], None]) -> None:
    """Register the text, json, sarif and github formats."""
    register("text", write_text)
    register("json", write_json)
    register("sarif", write_sarif)
    register("github", write_github)
