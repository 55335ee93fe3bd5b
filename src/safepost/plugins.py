"""The plugin manager: built-ins and third-party plugins register through the same hooks."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

import pluggy

from . import hookspecs
from .errors import ConfigError
from .packs import BUNDLED
from .rule import Rule

ENTRY_POINT_GROUP = "safepost"

DEFAULT_PLUGINS = (
    "safepost.packs",
    "safepost.nlp",
    "safepost.verdict",
    "safepost.families.terms",
    "safepost.families.regex",
    "safepost.families.pattern",
    "safepost.families.trends",
    "safepost.families.tone",
    "safepost.families.disclosure",
    "safepost.families.dates",
    "safepost.families.compliance",
    "safepost.families.replies",
    "safepost.readers",
    "safepost.formats",
    "safepost.trends.providers",
)


def plugin_manager(
    plugins: Iterable[object] = (), *, entry_points: bool = True
) -> pluggy.PluginManager:
    """Return a fresh manager with the built-ins, installed plugins and `plugins` registered."""
    pm = pluggy.PluginManager("safepost")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    return pm


@dataclass
class Registry:
    """What the plugins registered, each item tagged with the plugin that registered it."""

    families: dict[str, type[Rule]] = field(default_factory=dict)
    pack_roots: list[tuple[Traversable, str]] = field(default_factory=list)
    providers: dict[str, Any] = field(default_factory=dict)
    readers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    formats: dict[str, Callable[..., Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    @classmethod
    def collect(cls, pm: pluggy.PluginManager) -> Registry:
        """Call every collection hook and validate what comes back."""
        registry = cls()
        for hook, sink in (
            ("register_rule_families", registry._family),
            ("register_rule_packs", registry._pack_root),
            ("register_trend_providers", registry._provider),
            ("register_readers", registry._reader),
            ("register_formats", registry._format),
        ):
            for impl in reversed(getattr(pm.hook, hook).get_hookimpls()):
                impl.function(
                    register=lambda *args, _sink=sink, _by=impl.plugin_name: _sink(_by, *args)
                )
        return registry

    def _claim(self, kind: str, name: str, plugin: str) -> None:
        key = f"{kind}:{name}"
        if key in self.owners:
            raise ConfigError(
                f"the {kind} {name!r} is registered by both {self.owners[key]!r} and {plugin!r}; "
                "uninstall or disable one of them")
        self.owners[key] = plugin

    def _family(self, plugin: str, rule_class: type[Rule]) -> None:
        if not (isinstance(rule_class, type) and issubclass(rule_class, Rule)):
            raise ConfigError(f"plugin {plugin!r} registered {rule_class!r}, which is not a Rule")
        self._claim("rule family", rule_class.family, plugin)
        self.families[rule_class.family] = rule_class

    def _pack_root(self, plugin: str, root: Traversable) -> None:
        prefix = BUNDLED if plugin == "safepost.packs" else f"{plugin}:{root.name}"
        self.pack_roots.append((root, prefix))

    def _provider(self, plugin: str, provider: Any) -> None:
        self._claim("trend provider", provider.name, plugin)
        self.providers[provider.name] = provider

    def _reader(self, plugin: str, suffix: str, reader: Callable[..., Any]) -> None:
        self._claim("reader", suffix, plugin)
        self.readers[suffix.lower()] = reader

    def _format(self, plugin: str, name: str, formatter: Callable[..., Any]) -> None:
        self._claim("format", name, plugin)
        self.formats[name] = formatter
