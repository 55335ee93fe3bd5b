"""The Checker: built once (packs loaded, matchers compiled), then cheap per post."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from spacy.language import Language

from .analysis import Analysis
from .config import Config, find_config, read_config
from .crisis import crisis_packs
from .errors import InputError, PackError, RuleError, SafepostError
from .matcher import Hit, PhraseCompiler, PhraseMatcher
from .models import Finding, Post, Suppression, TrendSnapshot, TrendStatus, Verdict
from .nlp import build_pipeline
from .packs import BUNDLED, Pack, PackSet
from .plugins import Registry, plugin_manager
from .rule import Rule, RuleSpec, covers
from .text import NormalizedText, normalize
from .verdict import assemble

BATCH_SIZE = 64
FALLBACK_LANG = "xx"
CYRILLIC_LANGS = frozenset({"bg", "ru", "uk", "sr", "mk"})


@cache
def version() -> str:
    """Return the installed safepost version."""
    from importlib.metadata import version

    return version("safepost")


@dataclass(frozen=True, eq=False)
class _Language:
    nlp: Language
    rules: tuple[Rule, ...]
    matcher: PhraseMatcher
    prefer_script: str

    def normalize(self, text: str) -> NormalizedText:
        """Return the normalized view of a text in this language."""
        return normalize(text, prefer_script=self.prefer_script)

    @cached_property
    def _dispatch(self) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
        """Return the rules that run on every post, and the rules each phrase owner gates."""
        reporting = [i for i, rule in enumerate(self.rules) if rule.reports]
        needed: dict[str, list[int]] = {}
        for index in reporting:
            for need in self.rules[index].needs:
                needed.setdefault(need, []).append(index)
        gated: dict[str, tuple[int, ...]] = {}
        for owner in self.matcher.owners:
            indexes = tuple(i for need, found in needed.items() if covers(need, owner)
                            for i in found)
            if indexes:
                gated[owner] = indexes
        always = tuple(i for i in reporting if not self.rules[i].needs)
        return always, gated

    def rules_for(self, hits: Mapping[str, list[Hit]]) -> list[Rule]:
        """Return, in pack order, the rules that may find something given a post's hits."""
        always, gated = self._dispatch
        chosen = set(always)
        for owner, found in hits.items():
            if found:
                chosen.update(gated.get(owner, ()))
        return [self.rules[i] for i in sorted(chosen)]

    @lru_cache(maxsize=4096)  # noqa: B019 - one cache per compiled language, kept as long as it
    def annotate(self, text: str) -> dict[str, list[Hit]]:
        """Return the phrase hits of any text (a headline, say), cached."""
        return self.matcher.match(self.nlp(self.normalize(text).text))


class _SpecsById(Mapping[str, RuleSpec]):
    """The specs of every pack by rule id, gathered on first use."""

    def __init__(self, packs: PackSet) -> None:
        self._packs = packs

    @cached_property
    def _specs(self) -> dict[str, RuleSpec]:
        return {spec.id: spec for pack in self._packs.all() for spec in pack.specs}

    def __getitem__(self, rule_id: str) -> RuleSpec:
        return self._specs[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


class Change(BaseModel):
    """A scheduled post whose decision changed: the post, its old and its new verdict."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    post: Post
    previous: Verdict
    verdict: Verdict


class Checker:
    """Checks posts against the bundled packs, the user's packs and the trending context.

    A Checker is reusable and safe to share between threads.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        plugins: Iterable[object] = (),
        trends: Any = None,
        entry_points: bool = True,
    ) -> None:
        self.config = config or Config()
        self._pm = plugin_manager(plugins, entry_points=entry_points)
        self.registry = Registry.collect(self._pm)
        roots = list(self.registry.pack_roots) if self.config.bundled_packs else [
            r for r in self.registry.pack_roots if r[1] != BUNDLED]
        roots += [(Path(p), str(p)) for p in self.config.packs]
        for path in self.config.packs:
            if not path.exists():
                raise PackError("no such pack file or folder", path=path)
        self._packs = PackSet(roots, self.registry.families, deferred=[BUNDLED])
        self._packs.add(crisis_packs(self.config))
        self.languages: tuple[str, ...] = self._packs.languages
        self._compiled: dict[str, _Language] = {}
        self._lock = threading.Lock()
        self._trend_source = trends if trends is not None else self._configured_trends()

    @property
    def packs(self) -> list[Pack]:
        """Return every pack, in load order."""
        return self._packs.all()

    @cached_property
    def specs(self) -> Mapping[str, RuleSpec]:
        """Return every rule's spec by id, read from the packs when first looked up."""
        return _SpecsById(self._packs)

    @classmethod
    def from_config(cls, path: str | Path | None = None, **kwargs: Any) -> Checker:
        """Build a Checker from a config file, or the nearest one above the working directory."""
        found = Path(path) if path is not None else find_config(Path.cwd())
        return cls(read_config(found) if found else Config(), **kwargs)

    def _configured_trends(self) -> Any:
        settings = self.config.trends
        if not settings.providers:
            return None
        from .trends.providers import open_trends

        return open_trends(",".join(settings.providers), self.registry.providers, settings)

    def rules(self, lang: str | None = None) -> list[Rule]:
        """Return the enabled rules of a language (all languages if None), in pack order."""
        langs = [lang] if lang else list(self.languages)
        seen: dict[str, Rule] = {}
        for code in langs:
            for rule in self._language(code).rules:
                seen.setdefault(rule.id, rule)
        return list(seen.values())

    def _language(self, lang: str) -> _Language:
        compiled = self._compiled.get(lang)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(lang)
                if compiled is None:
                    compiled = self._compiled[lang] = self._compile(lang)
        return compiled

    def _compile(self, lang: str) -> _Language:
        try:
            nlp = build_pipeline(lang)
        except ImportError:
            nlp = build_pipeline(FALLBACK_LANG)
        self._pm.hook.prepare_pipeline(nlp=nlp, lang=lang)
        phrases = PhraseCompiler(nlp)
        rules = []
        for pack in self._packs.for_language(lang):
            for spec in pack.specs:
                if not self.config.is_enabled(spec.id, default=spec.enabled):
                    continue
                try:
                    rules.append(pack.family(spec, lang, phrases))
                except (ValueError, TypeError) as exc:
                    raise PackError(f"rule {spec.id}: {exc}", path=pack.path, key="id") from exc
        prefer = "CYRILLIC" if lang in CYRILLIC_LANGS else "LATIN"
        return _Language(nlp, tuple(rules), phrases.build(), prefer)

    def check(
        self, post: str | Post, *, trends: TrendSnapshot | None = None, **fields: Any
    ) -> Verdict:
        """Check one post; keyword fields fill or override `Post` fields."""
        return next(self.check_many([as_post(post, fields)], trends=trends))

    def check_many(
        self, posts: Iterable[str | Post], *, trends: TrendSnapshot | None = None
    ) -> Iterator[Verdict]:
        """Check posts in batches, yielding verdicts in input order."""
        snapshot, status = self._trends(trends)
        batch: list[Post] = []
        for post in posts:
            batch.append(as_post(post, {}))
            if len(batch) >= BATCH_SIZE:
                yield from self._check_batch(batch, snapshot, status)
                batch = []
        if batch:
            yield from self._check_batch(batch, snapshot, status)

    def recheck(
        self,
        posts: Iterable[Post],
        *,
        trends: TrendSnapshot | None,
        previous: Sequence[Verdict] | Mapping[str, Verdict] | None = None,
    ) -> Iterator[Change]:
        """Re-judge scheduled posts against a new snapshot; yield those whose decision changed.

        The old verdict of a post is, in order: `previous[post.id]` (a mapping),
        `previous[i]` (a sequence in the order of `posts`), or a check without trends.
        """
        queue = list(posts)
        if previous is None:
            before: list[Verdict] = list(self.check_many(queue))
        elif isinstance(previous, Mapping):
            missing = [p for p in queue if p.id not in previous]
            computed = iter(self.check_many(missing))
            before = [previous[p.id] if p.id in previous else next(computed) for p in queue]
        else:
            before = list(previous)
            if len(before) != len(queue):
                raise InputError(f"{len(queue)} posts but {len(before)} previous verdicts")
        after = self.check_many(queue, trends=trends)
        for post, old, new in zip(queue, before, after, strict=True):
            if old.decision != new.decision:
                yield Change(post=post, previous=old, verdict=new)

    def analyse(self, post: Post, *, trends: TrendSnapshot | None = None) -> Analysis:
        """Return the analysis of one post (what rules see)."""
        snapshot, status = self._trends(trends)
        lang = self._language_of(post)
        return self._analyses([post], lang, snapshot, status)[0]

    def _trends(self, trends: TrendSnapshot | None) -> tuple[TrendSnapshot | None, TrendStatus]:
        if trends is not None:
            return trends, "stale" if trends.stale else "used"
        if self._trend_source is None:
            return None, "none"
        return self._trend_source.snapshot()

    def _language_of(self, post: Post) -> str:
        if post.lang:
            return post.lang
        candidates = self.languages or (self.config.lang,)
        found = self._pm.hook.detect_language(text=post.text, candidates=candidates)
        return found or self.config.lang

    def _check_batch(
        self, posts: list[Post], snapshot: TrendSnapshot | None, status: TrendStatus
    ) -> list[Verdict]:
        langs = [self._language_of(p) for p in posts]
        verdicts: list[Verdict | None] = [None] * len(posts)
        for lang in dict.fromkeys(langs):
            indexes = [i for i, code in enumerate(langs) if code == lang]
            analyses = self._analyses([posts[i] for i in indexes], lang, snapshot, status)
            for i, analysis in zip(indexes, analyses, strict=True):
                verdicts[i] = self._judge(analysis)
        return verdicts  # type: ignore[return-value]

    def _analyses(
        self, posts: list[Post], lang: str, snapshot: TrendSnapshot | None, status: TrendStatus
    ) -> list[Analysis]:
        compiled = self._language(lang)
        norms = [compiled.normalize(p.text) for p in posts]
        docs = compiled.nlp.pipe(n.text for n in norms)
        now = datetime.now(UTC)
        analyses = []
        for post, norm, doc in zip(posts, norms, docs, strict=True):
            hits, links, tokens, starts = compiled.matcher.scan(doc)
            analyses.append(Analysis(
                post=post,
                lang=lang,
                publish_at=post.publish_at or now,
                norm=norm,
                doc=doc,
                hits=hits,
                links=links,
                tokens=tokens,
                token_starts=starts,
                trends=snapshot,
                trend_status=status,
                annotate=compiled.annotate,
            ))
        return analyses

    def _judge(self, analysis: Analysis) -> Verdict:
        findings: list[Finding] = []
        try:
            for rule in self._language(analysis.lang).rules_for(analysis.hits):
                findings.extend(rule.check(analysis))
        except SafepostError:
            raise
        except Exception as exc:
            raise RuleError(f"rule {rule.id} failed: {type(exc).__name__}: {exc}",
                            key=rule.id) from exc
        if self.config.require_trends and analysis.trend_status == "unavailable":
            findings.append(_trends_required())
        findings = [self._override(f) for f in findings]
        kept, suppressed = _suppress(findings, analysis.post)
        decision = self._pm.hook.decide(findings=kept, post=analysis.post, config=self.config)
        return assemble(kept, decision=decision, post=analysis.post, lang=analysis.lang,
                        trend_status=analysis.trend_status, version=version(),
                        suppressed=suppressed)

    def _override(self, finding: Finding) -> Finding:
        severity = self.config.severity_for(finding.rule, finding.severity)
        if severity == finding.severity:
            return finding
        return finding.model_copy(update={"severity": severity})


def _trends_required() -> Finding:
    return Finding(
        rule="trend.unavailable",
        category="trend_hijack",
        severity="medium",
        message="Trending topics could not be checked, and this team requires that check.",
        suggestion="Look at what is trending and in the news before you publish.",
    )


def _suppress(findings: list[Finding], post: Post) -> tuple[list[Finding], list[Suppression]]:
    ignores = post.metadata.get("safepost_ignore") or []
    kept, suppressed = [], []
    for finding in findings:
        reason = next((i["reason"] for i in ignores if covers(i["rule"], finding.rule)), None)
        if reason is None:
            kept.append(finding)
        else:
            suppressed.append(Suppression(rule=finding.rule, reason=reason, finding=finding))
    return kept, suppressed


def as_post(post: str | Post, fields: Mapping[str, Any]) -> Post:
    """Return `post` as a Post with `fields` filled in or overridden."""
    try:
        if isinstance(post, str):
            return Post(text=post, **fields)
        if fields:
            return Post.model_validate({**post.model_dump(), **fields})
        return post
    except ValidationError as exc:
        error = exc.errors()[0]
        raise InputError(error["msg"], key=".".join(map(str, error["loc"]))) from None


_default: Checker | None = None
_default_lock = threading.Lock()


def default_checker() -> Checker:
    """Return the shared default Checker, building it on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Checker()
        return _default
