"""safepost: check a social-media post before it is published."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, InputError, PackError, RuleError, SafepostError, TrendError
from .hookspecs import hookimpl
from .models import Finding, Post, TrendContext, TrendItem, TrendSnapshot, Verdict

if TYPE_CHECKING:
    from .checker import Checker

logging.getLogger("safepost").addHandler(logging.NullHandler())

__all__ = [
    "Checker",
    "ConfigError",
    "Finding",
    "InputError",
    "PackError",
    "Post",
    "RuleError",
    "SafepostError",
    "TrendContext",
    "TrendError",
    "TrendItem",
    "TrendSnapshot",
    "Verdict",
    "__version__",
    "check",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("safepost")
    if name == "Checker":
        from .checker import Checker

        return Checker
    raise AttributeError(f"module 'safepost' has no attribute {name!r}")


def check(post: str | Post, **fields: Any) -> Verdict:
    """Check one post with a shared default `Checker` (bundled packs, no network)."""
    from .checker import default_checker

    return default_checker().check(post, **fields)
