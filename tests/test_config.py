"""Configuration files: every unknown key or bad value is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from safepost import Checker, ConfigError
from safepost.config import find_config, read_config


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("safepost.toml", 'lang = "en"\ncolour = "red"\n',
                     "safepost.toml: colour: unknown key; see docs/config.md for the keys safepost reads",
                     id="an unknown key"),
        pytest.param("safepost.toml", '[decision]\nhold = "urgent"\n',
                     "safepost.toml: decision.hold: Input should be 'low', 'medium', 'high' or 'critical'",
                     id="a bad severity"),
        pytest.param("safepost.toml", 'lang = "english"\n',
                     "safepost.toml: lang: String should match pattern '^[a-z]{2}$'",
                     id="a language that is not an ISO code"),
        pytest.param("safepost.toml", 'lang = "en\n',
                     "safepost.toml:1: invalid TOML: Illegal character '\\n'", id="broken TOML"),
        pytest.param("pyproject.toml", '[tool.safepost]\nseverity = {"tone" = "loud"}\n',
                     "pyproject.toml: tool.safepost.severity.tone: Input should be 'low', 'medium', "
                     "'high' or 'critical'", id="a bad value in pyproject.toml"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, name: str, text: str, message: str) -> None:
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
    config_path = write(tmp_path, "safepost.toml", 'packs = ["policy"]\n[decision]\nhold = "critical"\n')
    checker = Checker.from_config(config_path)
    verdict = checker.check("Better than RivalCola", lang="en")
    assert [f.rule for f in verdict.findings] == ["policy.rival"]
    assert verdict.decision == "review"
