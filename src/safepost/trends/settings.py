"""Trend settings: which providers to ask, how patiently, and where to cache their snapshots."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, field_validator

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(value: Any) -> Any:
    """Read "90s", "10m", "6h" or "1d" as seconds; leave anything else to pydantic."""
    if isinstance(value, str) and (found := _DURATION.match(value)):
        return float(found.group(1)) * _UNIT_SECONDS[found.group(2)]
    return value


def default_user_agent() -> str:
    """Return the User-Agent safepost sends: name, version and a contact URL."""
    return f"safepost/{version('safepost')} (+https://github.com/safepost/safepost)"


def default_cache_dir() -> Path:
    """Return `$XDG_CACHE_HOME/safepost`, or `~/.cache/safepost`."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "safepost"


class ProviderOptions(BaseModel):
    """Options for one provider; each provider reads the ones that apply to it."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    base_url: str | None = Field(None, pattern=r"^https?://")
    ttl: timedelta | None = Field(None, ge=timedelta(0))
    instance: str | None = Field(None, pattern=r"^[A-Za-z0-9.-]+(:\d+)?$")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    token_url: str | None = Field(None, pattern=r"^https?://")
    region: str | None = Field(None, pattern=r"^[A-Z]{2}$",
                               validation_alias=AliasChoices("region", "geo"))
    lang: str | None = Field(None, pattern=r"^[a-z]{2,3}$")

    @field_validator("ttl", mode="before")
    @classmethod
    def _read_ttl(cls, value: Any) -> Any:
        return _duration(value)

    @field_validator("region", mode="before")
    @classmethod
    def _upper_region(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("base_url", "token_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value


class TrendSettings(BaseModel):
    """How trend snapshots are fetched: the `[trends]` table of the configuration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    providers: list[str] = Field(default_factory=list)
    offline: bool = False
    timeout: float = Field(3.0, gt=0, description="connect and read timeout, seconds")
    deadline: float = Field(8.0, gt=0, description="total time for all providers, seconds")
    max_bytes: int = Field(5 * 1024 * 1024, gt=0)
    user_agent: str = Field(default_factory=default_user_agent, min_length=1)
    cache_dir: Path | None = Field(default_factory=default_cache_dir)
    max_stale: timedelta = Field(timedelta(hours=24), ge=timedelta(0))
    options: dict[str, ProviderOptions] = Field(default_factory=dict)

    @field_validator("max_stale", mode="before")
    @classmethod
    def _read_max_stale(cls, value: Any) -> Any:
        return _duration(value)

    @field_validator("cache_dir")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def options_for(self, provider: str) -> ProviderOptions:
        """Return the options configured for `provider`, or the defaults."""
        return self.options.get(provider) or ProviderOptions()
