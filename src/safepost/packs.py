"""Find and load rule packs: YAML files validated into rule specs, errors with file:line."""

from __future__ import annotations

import threading
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
BUNDLED = "rules"  # the display prefix of the packs shipped with safepost


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


@dataclass(frozen=True)
class _Pending:
    """A pack file of one language, read when that language is first needed."""

    lang: str
    display: str
    file: Traversable | Path


class PackSet:
    """The packs of a Checker, in load order; rule ids are unique within a language.

    Packs below the roots named in `deferred` (the bundled ones) are read language by
    language, when a language is first checked: a post in English never pays for reading
    the Norwegian and Bulgarian packs. Every other pack is read, and its errors raised, at
    once. Safe to share between threads.
    """

    def __init__(self, roots: Iterable[tuple[Traversable | Path, str]],
                 families: Mapping[str, type[Rule]], *, deferred: Iterable[str] = ()) -> None:
        self._families = families
        self._owners: dict[str, str] = {}
        self._slots: list[Pack | _Pending] = []
        self._lock = threading.Lock()
        later = set(deferred)
        for root, prefix in roots:
            for lang, relative, file in pack_files(root):
                display = f"{prefix}/{relative}" if relative else prefix
                if prefix in later and lang is not None:
                    self._slots.append(_Pending(lang, display, file))
                else:
                    self._slots.append(self._load(file, lang, display))

    def add(self, packs: Iterable[Pack]) -> None:
        """Append packs built elsewhere (crisis windows, say)."""
        with self._lock:
            self._slots.extend(self._claimed(pack) for pack in packs)

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the languages some pack is written for, sorted."""
        return tuple(sorted({slot.lang for slot in self._slots if slot.lang}))

    def for_language(self, lang: str) -> list[Pack]:
        """Return the packs that serve `lang`, its own and the common ones, reading any unread."""
        return [p for p in self._read(lambda slot: slot.lang == lang) if p.lang in (lang, None)]

    def all(self) -> list[Pack]:
        """Return every pack, reading any not read yet."""
        return self._read(lambda slot: True)

    def _read(self, wanted: Callable[[_Pending], bool]) -> list[Pack]:
        with self._lock:
            for i, slot in enumerate(self._slots):
                if isinstance(slot, _Pending) and wanted(slot):
                    self._slots[i] = self._load(slot.file, slot.lang, slot.display)
            return [slot for slot in self._slots if isinstance(slot, Pack)]

    def _load(self, file: Traversable | Path, lang: str | None, display: str) -> Pack:
        return self._claimed(load_pack(file, self._families, lang=lang, display=display))

    def _claimed(self, pack: Pack) -> Pack:
        """Record the pack's rule ids, or raise for the first one taken (recording none)."""
        keys = {f"{pack.lang}:{spec.id}": spec.id for spec in pack.specs}
        for key, rule_id in keys.items():
            if key in self._owners:
                raise PackError(
                    f"duplicate rule id {rule_id!r}, also defined in {self._owners[key]}",
                    path=pack.path, key="id")
        self._owners.update(dict.fromkeys(keys, pack.path))
        return pack


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
