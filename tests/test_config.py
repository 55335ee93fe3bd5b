"""Configuration files: every unknown key or bad value is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from safepost import Checker, ConfigError
from safepost.config import find_config, read_config


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("safepost.toml", 'lang = "en"\ncolour = "red"\n',
                     "safepost.toml: colour: unknown key; "
                     "see docs/config.md for the keys safepost reads",
                     id="an unknown key"),
        pytest.param("safepost.toml", '[decision]\nhold = "urgent"\n',
                     "safepost.toml: decision.hold: Input should be 'low', 'medium', "
                     "'high' or 'critical'",
                     id="a bad severity"),
        pytest.param("safepost.toml", 'lang = "english"\n',
                     "safepost.toml: lang: String should match pattern '^[a-z]{2}$'",
                     id="a language that is not an ISO code"),
        pytest.param("safepost.toml", 'lang = "en\n',
                     "safepost.toml:1: invalid TOML: Illegal character '\\n'", id="broken TOML"),
        pytest.param("pyproject.toml", '[tool.safepost]\nseverity = {"tone" = "loud"}\n',
                     "pyproject.toml: tool.safepost.severity.tone: Input should be 'low', "
                     "'medium', 'high' or 'critical'", id="a bad value in pyproject.toml"),
        pytest.param("safepost.toml", '[trends]\ntimeout = "fast"\n',
                     "safepost.toml: trends.timeout: Input should be a valid number, unable to "
                     "parse string as a number", id="a nested value of the wrong type"),
        pytest.param("safepost.toml", "[trends.options.google]\ncolour = 1\n",
                     "safepost.toml: trends.options.google.colour: unknown key; see "
                     "docs/config.md for the keys safepost reads",
                     id="a deeply nested unknown key"),
        pytest.param("safepost.toml", 'lang = "en"\nlang = "nb"\n',
                     "safepost.toml:2: invalid TOML: Cannot overwrite a value",
                     id="a repeated key"),
        pytest.param("safepost.toml", "packs = " + "[" * 5_000 + "]" * 5_000 + "\n",
                     "safepost.toml: invalid TOML: arrays or tables are nested too deeply",
                     id="nesting deep enough to exhaust the parser"),
        pytest.param("safepost.toml", "# " + "x" * 1_000_000 + '\nlang = "en"\n',
                     "safepost.toml: the file is 1,000,015 bytes; a config is limited to "
                     "1,000,000 bytes", id="an oversized file"),
        pytest.param("safepost.toml", b'lang = "en"\n# caf\xe9\n',
                     "safepost.toml:2: byte 0xE9 is not UTF-8; save the file as UTF-8",
                     id="a file that is not UTF-8"),
        pytest.param("pyproject.toml", "tool = 3\n",
                     "pyproject.toml: tool: must be a table such as [tool.safepost]",
                     id="a pyproject.toml whose tool is not a table"),
        pytest.param("pyproject.toml", "[tool]\nsafepost = [1, 2]\n",
                     "pyproject.toml: tool.safepost: Input should be a valid dictionary or "
                     "instance of Config", id="a [tool.safepost] that is not a table"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, name: str, text: str | bytes,
                                  message: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value).replace(f"{tmp_path}/", "") == message


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.safepost]\nlang = "nb"\n')
    (tmp_path / "posts").mkdir()
    found = find_config(tmp_path / "posts")
    assert found == tmp_path / "pyproject.toml"
    assert read_config(found).lang == "nb"


def test_a_pyproject_without_the_table_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path) is None or find_config(tmp_path) != tmp_path / "pyproject.toml"


def test_pack_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    policy.mkdir()
    write(policy, "brand.yml", """\
family: terms
category: policy
rules:
  - id: policy.rival
    severity: high
    message: "Do not name {matched}."
    match: [rivalcola]
    examples: {flag: ["RivalCola"], pass: ["Cola"]}
""")
    config_path = write(tmp_path, "safepost.toml",
                        'packs = ["policy"]\n[decision]\nhold = "critical"\n')
    checker = Checker.from_config(config_path)
    verdict = checker.check("Better than RivalCola", lang="en")
    assert [f.rule for f in verdict.findings] == ["policy.rival"]
    assert verdict.decision == "review"


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "safepost.toml", '\ufefflang = "nb"\n')
    assert read_config(path).lang == "nb"


@pytest.mark.parametrize("text", ["tool = 3\n", 'tool = "safepost"\n',
                                  "a = " + "[" * 5_000 + "]" * 5_000 + "\n"])
def test_a_pyproject_without_a_usable_table_is_passed_over(tmp_path: Path, text: str) -> None:
    write(tmp_path, "pyproject.toml", text)
    assert find_config(tmp_path) != tmp_path / "pyproject.toml"
