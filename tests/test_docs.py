"""The docs keep up with the code: hooks, config keys, commands and examples."""

from __future__ import annotations

import ast
import inspect
import re
import shlex
from pathlib import Path

import pytest

from safepost import hookspecs
from safepost.cli import build_parser
from safepost.config import Config, CsvSettings, DecisionThresholds
from safepost.crisis import CrisisWindow
from safepost.trends.settings import ProviderOptions, TrendSettings

DOCS = Path(__file__).parent.parent / "docs"
HOOKS = [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(fn, "safepost_spec")]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    assert f"## {hook}\n" in (DOCS / "plugins.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_docstring(hook: str) -> None:
    assert getattr(hookspecs, hook).__doc__.strip()


def test_there_are_hooks() -> None:
    assert len(HOOKS) == 8


def _section(page: str, heading: str) -> str:
    """Return the text of a `## heading` section of a docs page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _blocks(text: str, lang: str) -> list[str]:
    """Return the fenced code blocks of one language in a piece of Markdown."""
    return [block.split("\n```", 1)[0] for block in text.split(f"```{lang}\n")[1:]]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_an_example_with_its_signature(hook: str) -> None:
    spec = inspect.signature(getattr(hookspecs, hook)).parameters
    examples = [node for block in _blocks(_section("plugins.md", hook), "python")
                for node in ast.walk(ast.parse(block))
                if isinstance(node, ast.FunctionDef) and node.name == hook]
    assert examples, f"docs/plugins.md: the {hook} section has no example implementing it"
    for example in examples:
        assert any(getattr(d, "id", None) == "hookimpl" for d in example.decorator_list)
        assert {a.arg for a in example.args.args} <= set(spec)


@pytest.mark.parametrize("model", [Config, CsvSettings, DecisionThresholds, TrendSettings,
                                   ProviderOptions], ids=lambda m: m.__name__)
def test_config_reference_names_every_key(model) -> None:
    page = (DOCS / "config.md").read_text(encoding="utf-8")
    forms = ("`{}`", "`{}.", "[{}]", ".{}.", "\n{} =")
    missing = [key for key in model.model_fields
               if not any(form.format(key) in page for form in forms)]
    assert missing == [], f"docs/config.md does not describe {missing}"


def test_crisis_page_names_every_window_key() -> None:
    page = (DOCS / "crisis.md").read_text(encoding="utf-8")
    assert [key for key in CrisisWindow.model_fields if f"`{key}`" not in page] == []


def _commands() -> list[tuple[str, str]]:
    """Return every `safepost …` command line in the docs' shell and YAML blocks."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in _blocks(text, "sh") + _blocks(text, "yaml"):
            for line in block.splitlines():
                command = re.split(r"\s(?:>|\|\||\||#)\s?", line.split("&&")[-1], maxsplit=1)[0]
                words = shlex.split(command)
                if words and words[0].endswith("safepost"):
                    found.append((page.name, command.strip()))
    return found


COMMANDS = _commands()


def test_docs_show_commands() -> None:
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize(("page", "command"), COMMANDS, ids=[c for _, c in COMMANDS])
def test_every_documented_command_parses(page: str, command: str) -> None:
    try:
        build_parser().parse_args(shlex.split(command)[1:])
    except SystemExit as exc:
        raise AssertionError(f"docs/{page}: `{command}` is not a valid command line") from exc


def test_the_getting_started_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DOCS.parent)
    [example] = _blocks((DOCS / "getting-started.md").read_text(encoding="utf-8"), "python")
    namespace: dict = {}
    exec(compile(example, "docs/getting-started.md", "exec"), namespace)
    assert '"decision":"hold"' in namespace["stored"]
