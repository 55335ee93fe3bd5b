"""One exception family; every error names the file, line or key that is wrong."""

from __future__ import annotations

from pathlib import Path


class SafepostError(Exception):
    """Base class: something safepost was given cannot be used."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [p for p in (where, self.key) if p]
        return ": ".join([*parts, self.message])


class ConfigError(SafepostError):
    """The configuration file or the arguments are invalid."""


class PackError(SafepostError):
    """A rule pack cannot be loaded."""


class InputError(SafepostError):
    """A post, or the file holding it, cannot be read."""


class TrendError(SafepostError):
    """A trend source failed; `check` turns this into `trend_status`, never a crash."""


class RuleError(SafepostError):
    """A rule raised while checking a post: the check fails loudly, naming the rule."""
