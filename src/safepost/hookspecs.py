"""Every hook a safepost plugin can implement.

Plugins implement hooks with ``@safepost.hookimpl`` and are found through the
``safepost`` entry-point group. Collection hooks receive a ``register``
callable; decision hooks are ``firstresult``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from spacy.language import Language

    from .config import Config
    from .formats import Formatter
    from .models import Decision, Finding, Post
    from .readers import Reader
    from .rule import Rule
    from .trends.providers import TrendProvider

hookspec = pluggy.HookspecMarker("safepost")
hookimpl = pluggy.HookimplMarker("safepost")


@hookspec
def register_rule_families(register: Callable[[type[Rule]], None]) -> None:
    """Register rule classes, each named by its ``family`` class attribute.

    Called once when a ``Checker`` is built. A pack's ``family:`` key selects
    the class that compiles its entries.
    """


@hookspec
def register_rule_packs(register: Callable[[Traversable], None]) -> None:
    """Register folders of rule packs laid out as ``<lang>/<pack>.yml``.

    Called once when a ``Checker`` is built; the packs load with the bundled
    ones and obey the same configuration (``disable``, ``severity``).
    """


@hookspec
def register_trend_providers(register: Callable[[TrendProvider], None]) -> None:
    """Register trend providers, each named by its ``name`` attribute.

    Called when trend sources are resolved by name (``--trends mastodon``).
    """


@hookspec
def register_readers(register: Callable[[str, Reader], None]) -> None:
    """Register an input reader for a file suffix such as ``".csv"``.

    A reader takes a file's text and a ``ReadContext`` and yields
    ``(line, Post | InputError)`` pairs: an ``InputError`` (naming the line) for
    a post it cannot read, then it goes on; it raises only when nothing after
    the problem can be read.
    """


@hookspec
def register_formats(register: Callable[[str, Formatter], None]) -> None:
    """Register an output format by name, as ``--format NAME`` selects it."""


@hookspec
def prepare_pipeline(nlp: Language, lang: str) -> None:
    """Adjust the spaCy pipeline for ``lang`` once, after safepost built it.

    Add components or tokenizer exceptions here; the pipeline is cached and
    shared by all rules.
    """


@hookspec(firstresult=True)
def detect_language(text: str, candidates: Sequence[str]) -> str | None:
    """Return the ISO 639-1 code of ``text`` among ``candidates``, or None if unsure.

    The first non-None result wins; the built-in detector runs last.
    """


@hookspec(firstresult=True)
def decide(findings: Sequence[Finding], post: Post, config: Config) -> Decision | None:
    """Return the decision for a post's findings, or None to leave it to others.

    The first non-None result wins; the built-in thresholds from the
    configuration run last.
    """
