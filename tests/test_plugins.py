"""A third-party plugin found through the `safepost` entry-point group adds a rule and a format."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN_DIR = Path(__file__).parent / "plugins" / "acme"


@pytest.fixture
def acme_installed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    import importlib.metadata

    importlib.invalidate_caches()
    assert any(ep.name == "acme" for ep in importlib.metadata.entry_points(group="safepost"))
    yield


def test_entry_point_plugin_adds_a_rule(acme_installed) -> None:
    from safepost import Checker

    checker = Checker()
    verdict = checker.check("Big news!!", lang="en")
    assert [(f.rule, f.category, f.matched) for f in verdict.findings] == [
        ("acme.double-exclaim", "tone", "!!")]
    assert "acme-ids" in checker.registry.formats
    assert checker.registry.owners["rule family:acme-exclaim"] == "acme"


def test_plugins_can_be_left_out(acme_installed) -> None:
    from safepost import Checker

    checker = Checker(entry_points=False)
    assert checker.check("Big news!!", lang="en").findings == []


def test_entry_point_plugin_adds_a_format_to_the_cli(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text("Big news!!\n", encoding="utf-8")
    pythonpath = os.pathsep.join([str(PLUGIN_DIR), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": pythonpath}
    result = subprocess.run(
        [sys.executable, "-m", "safepost", "check", str(post), "--format", "acme-ids",
         "--lang", "en"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.stdout == f"{post}\treview\tacme.double-exclaim\n"
    assert result.returncode == 0


def test_two_plugins_claiming_one_name_are_both_named() -> None:
    from safepost import Checker, ConfigError, hookimpl
    from safepost.formats import write_json

    class Copycat:
        @hookimpl
        def register_formats(self, register):
            register("json", write_json)

    with pytest.raises(ConfigError, match="the format 'json' is registered by both"):
        Checker(plugins=[Copycat()])
