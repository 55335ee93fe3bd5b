"""Run the examples every rule carries: flag examples must fire, pass examples must not."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .checker import Checker, as_post
from .models import TrendSnapshot
from .rule import Example


@dataclass(frozen=True)
class Outcome:
    """The result of one example: which rule, which kind, and whether it behaved."""

    rule: str
    lang: str
    kind: Literal["flag", "pass"]
    text: str
    ok: bool
    pack: str


def run_examples(checker: Checker, only: Sequence[str] | None = None) -> Iterator[Outcome]:
    """Check every example of every loaded pack (or of packs whose path starts with `only`)."""
    for pack in checker.packs:
        if only and not any(pack.path.startswith(prefix) for prefix in only):
            continue
        for spec in pack.specs:
            if not checker.config.is_enabled(spec.id, default=spec.enabled):
                continue
            for kind, examples in (("flag", spec.examples.flag), ("pass", spec.examples.ok)):
                for example in examples:
                    yield _run(checker, pack.path, pack.lang, spec.id, kind, example)


def _run(checker: Checker, pack: str, lang: str | None, rule_id: str,
         kind: Literal["flag", "pass"], example: Example) -> Outcome:
    fields: dict[str, Any] = {"text": example} if isinstance(example, str) else dict(example)
    trends = fields.pop("trends", None)
    snapshot = TrendSnapshot.model_validate(trends) if trends is not None else None
    fields.setdefault("lang", lang or checker.config.lang)
    post = as_post(fields.pop("text"), fields)
    rule = next(r for r in checker.rules(post.lang) if r.id == rule_id)
    fired = rule.fires(checker.analyse(post, trends=snapshot))
    return Outcome(rule_id, post.lang or "", kind, post.text, fired == (kind == "flag"), pack)
