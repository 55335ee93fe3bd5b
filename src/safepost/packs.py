"""Find and load rule packs: YAML files validated into rule specs, errors with file:line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import PackError
from .hookspecs import hookimpl
from .rule import Rule, RuleSpec

MAX_PACK_BYTES = 5_000_000
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
COMMON = "common"


class PackFile(BaseModel):
    """The envelope of a pack file; each entry of `rules` is validated by its family."""

    model_config = ConfigDict(extra="forbid")

    family: str
    description: str | None = None
    lang: str | None = Field(None, pattern=r"^[a-z]{2}$")
    category: str | None = None
    severity: str | None = None
    defaults: dict[str, Any] = Field(default_factory=dict)
    rules: list[dict[str, Any]] = Field(min_length=1)


@dataclass(frozen=True)
class Pack:
    """A validated pack: where it came from, which languages it serves, its rule specs."""

    name: str
    path: str
    lang: str | None
    family: type[Rule]
    specs: tuple[RuleSpec, ...]


def bundled_root() -> Traversable:
    """Return the folder of packs shipped with safepost."""
    return files("safepost") / "packs"


@hookimpl
def register_rule_packs(register: Callable[[Traversable], None]) -> None:
    """Register the bundled packs."""
    register(bundled_root())


def pack_files(root: Traversable | Path) -> Iterator[tuple[str | None, str, Traversable | Path]]:
    """Yield (language or None, relative name, file) for every pack: `<lang>/*.yml`, `common/`."""
    if root.is_file():
        yield None, "", root
        return
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            lang = None if entry.name == COMMON else entry.name
            for file in sorted(entry.iterdir(), key=lambda e: e.name):
                if file.name.endswith((".yml", ".yaml")):
                    yield lang, f"{entry.name}/{file.name}", file
        elif entry.name.endswith((".yml", ".yaml")):
            yield None, entry.name, entry


def load_pack(
    source: Traversable | Path,
    families: Mapping[str, type[Rule]],
    *,
    lang: str | None = None,
    display: str | None = None,
) -> Pack:
    """Read and validate one pack file."""
    path = display or str(source)
    raw = source.read_bytes()
    if len(raw) > MAX_PACK_BYTES:
        raise PackError(
            f"the pack is {len(raw):,} bytes; packs are limited to {MAX_PACK_BYTES:,} bytes, "
            "split it into several files", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError("the pack is not UTF-8 text", path=path) from exc
    data = _parse(text, path)
    if not isinstance(data, dict):
        raise PackError("a pack is a mapping with `family:` and `rules:`", path=path, line=1)
    try:
        envelope = PackFile.model_validate(data)
    except ValidationError as exc:
        raise _located(exc, _compose(text), path) from None
    family = families.get(envelope.family)
    if family is None:
        raise PackError(
            f"unknown family {envelope.family!r}; must be one of {', '.join(sorted(families))}",
            path=path, line=_line(_compose(text), ("family",)), key="family")
    defaults = {k: v for k, v in (("category", envelope.category),
                                  ("severity", envelope.severity)) if v is not None}
    defaults.update(envelope.defaults)
    specs = []
    for index, entry in enumerate(envelope.rules):
        try:
            specs.append(family.Spec.model_validate({**defaults, **entry}))
        except ValidationError as exc:
            raise _located(exc, _compose(text), path, prefix=("rules", index)) from None
    name = f"{lang or envelope.lang or COMMON}/{Path(source.name).stem}"
    return Pack(name, path, envelope.lang or lang, family, tuple(specs))


def _parse(text: str, path: str) -> Any:
    """Parse a pack with libyaml when installed; word errors as the Python parser does."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(f"invalid YAML: {problem}", path=path,
                        line=mark.line + 1 if mark else None) from exc
    except RecursionError:
        raise PackError("the pack is nested too deeply to read", path=path) from None


def _compose(text: str) -> yaml.Node | None:
    """Return the pack's node tree, whose marks give the line of a wrong value (None: too deep)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        return None


def load_packs(
    roots: Iterable[tuple[Traversable | Path, str]], families: Mapping[str, type[Rule]]
) -> list[Pack]:
    """Load every pack below the given (folder, display prefix) roots; reject duplicate ids."""
    packs: list[Pack] = []
    owners: dict[str, str] = {}
    for root, prefix in roots:
        for lang, relative, file in pack_files(root):
            display = f"{prefix}/{relative}" if relative else prefix
            pack = load_pack(file, families, lang=lang, display=display)
            for spec in pack.specs:
                key = f"{pack.lang}:{spec.id}"
                if key in owners:
                    raise PackError(f"duplicate rule id {spec.id!r}, also defined in {owners[key]}",
                                    path=pack.path, key="id")
                owners[key] = pack.path
            packs.append(pack)
    return packs


def _located(exc: ValidationError, node: yaml.Node | None, path: str,
             prefix: tuple[str | int, ...] = ()) -> PackError:
    error = exc.errors()[0]
    loc = (*prefix, *error["loc"])
    line = _line(node, loc[:-1] if error["type"] == "missing" else loc)
    return PackError(error["msg"], path=path, line=line, key=_dotted(loc))


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line(node: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """Walk a composed YAML node along a pydantic location and return its line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
              and part < len(node.value)):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
