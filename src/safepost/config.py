"""Configuration: `safepost.toml` or `[tool.safepost]` in `pyproject.toml`."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .crisis import CrisisWindow
from .errors import ConfigError
from .models import Severity, severity_rank
from .readers.tabular import CsvSettings
from .rule import covers
from .trends.settings import TrendSettings

CONFIG_NAMES = ("safepost.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 1_000_000


class DecisionThresholds(BaseModel):
    """The least severity that makes a post `hold`, and the least that makes it `review`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hold: Severity = "high"
    review: Severity = "medium"

    @model_validator(mode="after")
    def _ordered(self) -> DecisionThresholds:
        if severity_rank(self.review) > severity_rank(self.hold):
            raise ValueError("`review` must not be more severe than `hold`")
        return self


class Config(BaseModel):
    """Everything a team can set; defaults are the bundled behaviour."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: str = Field("en", pattern=r"^[a-z]{2}$")
    region: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    bundled_packs: bool = True
    packs: list[Path] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    enable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    decision: DecisionThresholds = Field(default_factory=DecisionThresholds)
    require_trends: bool = False
    trends: TrendSettings = Field(default_factory=TrendSettings)
    crisis: list[CrisisWindow] = Field(default_factory=list)
    csv: CsvSettings = Field(default_factory=CsvSettings)

    def is_enabled(self, rule_id: str, *, default: bool = True) -> bool:
        """Return whether a rule is on: the most specific `enable`/`disable` prefix wins."""
        best, result = -1, default
        for prefixes, value in ((self.disable, False), (self.enable, True)):
            for prefix in prefixes:
                if covers(prefix, rule_id) and len(prefix) >= best:
                    best, result = len(prefix), value
        return result

    def severity_for(self, rule_id: str, severity: Severity) -> Severity:
        """Return the severity a rule's finding gets after the configured overrides."""
        matches = [p for p in self.severity if covers(p, rule_id)]
        return self.severity[max(matches, key=len)] if matches else severity


def find_config(start: Path) -> Path | None:
    """Return the nearest `safepost.toml`, or `pyproject.toml` with `[tool.safepost]`."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name == "safepost.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        tool = tomllib.loads(path.read_text("utf-8-sig")).get("tool")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return isinstance(tool, dict) and "safepost" in tool


def read_config(path: str | Path) -> Config:
    """Read and validate a config file; relative pack paths resolve against its folder."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"the file is {len(raw):,} bytes; a config is limited to "
                              f"{MAX_CONFIG_BYTES:,} bytes", path=path)
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError("no such file", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc}", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"byte 0x{raw[exc.start]:02X} is not UTF-8; save the file as UTF-8",
                          path=path, line=raw.count(b"\n", 0, exc.start) + 1) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at')[0]}", path=path,
                          line=int(found.group(1)) if found else None) from None
    except RecursionError:
        raise ConfigError("invalid TOML: arrays or tables are nested too deeply",
                          path=path) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError("must be a table such as [tool.safepost]", path=path, key="tool")
        data = tool.get("safepost", {})
        prefix = "tool.safepost."
    else:
        prefix = ""
    return config_from_mapping(data, path=path, key_prefix=prefix)


def config_from_mapping(data: Mapping[str, Any], *, path: Path | None = None,
                        key_prefix: str = "") -> Config:
    """Validate a config mapping, naming the key that is wrong."""
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = (key_prefix + ".".join(str(part) for part in error["loc"])).rstrip(".")
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key; see docs/config.md for the keys safepost reads"
        raise ConfigError(message, path=path, key=key or None) from None
    if path is not None:
        base = path.parent
        config = config.model_copy(update={"packs": [base / p for p in config.packs]})
    return config
