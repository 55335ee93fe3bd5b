"""Broken packs are refused with the file, line and key that are wrong."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from safepost import Checker, PackError
from safepost.config import Config
from safepost.errors import RuleError
from safepost.families.regex import MATCH_TIMEOUT, time_limit

GOOD_RULE = """\
family: terms
category: policy
rules:
  - id: policy.rival
    severity: medium
    message: "Do not name {matched}."
    match: [rivalcola]
    examples:
      flag: ["Better than RivalCola"]
      pass: ["Better than ever"]
"""


def load(tmp_path: Path, text: str, name: str = "brand.yml") -> Checker:
    pack = tmp_path / name
    pack.write_text(text, encoding="utf-8")
    return Checker(Config(packs=[pack]))


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(PackError) as caught:
        load(tmp_path, text)
    return str(caught.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(GOOD_RULE.replace("severity: medium", "severity: urgent"),
                     "brand.yml:5: rules[0].severity: Input should be 'low', 'medium', 'high' "
                     "or 'critical'", id="a bad severity names its line and key"),
        pytest.param(GOOD_RULE.replace("match: [rivalcola]", "match: [rivalcola"),
                     "brand.yml:8: invalid YAML: expected ',' or ']', but got ':'",
                     id="a YAML syntax error names its line"),
        pytest.param(GOOD_RULE.replace("family: terms", "family: words"),
                     "brand.yml:1: family: unknown family 'words'; must be one of compliance, "
                     "dates, disclosure, hashtag-readings, lexicon, pattern, regex, reply, terms, "
                     "tone, tragedy-promo, trend-hijack",
                     id="an unknown family lists the known ones"),
        pytest.param(GOOD_RULE.replace('      pass: ["Better than ever"]\n', ""),
                     "brand.yml:9: rules[0].examples.pass: Field required",
                     id="a rule without pass examples is refused"),
        pytest.param(GOOD_RULE.replace("    severity: medium\n",
                                       "    severity: medium\n    colour: red\n"),
                     "brand.yml:6: rules[0].colour: Extra inputs are not permitted",
                     id="an unknown key is refused"),
        pytest.param(GOOD_RULE.replace("Do not name {matched}.", "Do not name {brand}."),
                     "brand.yml:6: rules[0].message: Value error, unknown placeholder {brand}; "
                     "use {matched}, {suggestion} or {term}",
                     id="an unknown placeholder is refused"),
        pytest.param(GOOD_RULE.replace("match: [rivalcola]", "patterns: ['(a']").replace(
            "family: terms", "family: regex"),
                     "brand.yml:7: rules[0].patterns: Value error, invalid regular expression "
                     "'(a': missing ) at position 2",
                     id="a regex that does not compile is refused"),
        pytest.param("- just\n- a list\n", "brand.yml:1: a pack is a mapping with `family:` and "
                     "`rules:`", id="a pack that is not a mapping is refused"),
        pytest.param("family: !!python/object:os.system {}\nrules: []\n",
                     "brand.yml:1: invalid YAML: could not determine a constructor for the tag "
                     "'tag:yaml.org,2002:python/object:os.system'",
                     id="YAML tags that build objects are refused"),
    ],
)
def test_broken_pack_is_refused_with_its_location(tmp_path: Path, text: str, message: str) -> None:
    assert error_for(tmp_path, text) == message


def test_duplicate_rule_ids_name_both_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(GOOD_RULE, encoding="utf-8")
    (tmp_path / "b.yml").write_text(GOOD_RULE, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        Checker(Config(packs=[tmp_path]))
    assert str(caught.value) == (
        f"{tmp_path}/b.yml: id: duplicate rule id 'policy.rival', also defined in {tmp_path}/a.yml")


def test_oversized_pack_is_refused(tmp_path: Path) -> None:
    text = GOOD_RULE + "# " + "x" * 5_000_000 + "\n"
    assert error_for(tmp_path, text) == (
        "brand.yml: the pack is 5,000,229 bytes; packs are limited to 5,000,000 bytes, "
        "split it into several files")


def test_missing_pack_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        Checker(Config(packs=[tmp_path / "nowhere.yml"]))
    assert str(caught.value) == f"{tmp_path}/nowhere.yml: no such pack file or folder"


def test_brand_pack_flags_its_terms(tmp_path: Path) -> None:
    checker = load(tmp_path, GOOD_RULE)
    verdict = checker.check("Honestly better than RivalCola.", lang="en")
    assert [(f.rule, f.matched, f.message) for f in verdict.findings] == [
        ("policy.rival", "RivalCola", "Do not name RivalCola.")]
    assert verdict.decision == "review"


BACKTRACKING = """\
family: regex
category: policy
rules:
  - id: policy.runaway
    severity: medium
    message: "{matched} is a run of a's."
    patterns: ['(a+)+$']
    examples:
      flag: ["aaaa"]
      pass: ["bbbb"]
"""


def test_a_backtracking_pattern_fails_cleanly_naming_its_rule(tmp_path: Path) -> None:
    checker = load(tmp_path, BACKTRACKING)
    assert [f.rule for f in checker.check("aaaa", lang="en").findings] == ["policy.runaway"]
    start = time.monotonic()
    with pytest.raises(RuleError) as caught:
        checker.check("a" * 5_000 + "b", lang="en")
    assert time.monotonic() - start < 10
    assert str(caught.value).startswith(
        "rule policy.runaway: a pattern took longer than 0.28 s; simplify it")


def test_the_time_limit_grows_with_the_text_not_with_backtracking() -> None:
    assert time_limit("") == MATCH_TIMEOUT
    assert time_limit("x" * 1_000_000) == pytest.approx(MATCH_TIMEOUT + 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("family: terms\nrules: " + "[" * 5_000 + "]" * 5_000 + "\n",
                     "brand.yml: the pack is nested too deeply to read",
                     id="nesting deep enough to exhaust the parser"),
        pytest.param(GOOD_RULE.replace("family: terms", "family: !!python/name:os.system"),
                     "brand.yml:1: invalid YAML: could not determine a constructor for the tag "
                     "'tag:yaml.org,2002:python/name:os.system'", id="a python/name tag"),
        pytest.param(GOOD_RULE + "extra: !!python/object/apply:os.system [echo pwned]\n",
                     "brand.yml:11: invalid YAML: could not determine a constructor for the tag "
                     "'tag:yaml.org,2002:python/object/apply:os.system'",
                     id="a python/object/apply tag"),
    ],
)
def test_hostile_pack_is_refused(tmp_path: Path, text: str, message: str) -> None:
    assert error_for(tmp_path, text) == message


def _language_folders(tmp_path: Path) -> Path:
    root = tmp_path / "packs"
    for lang in ("en", "nb"):
        (root / lang).mkdir(parents=True)
        (root / lang / "brand.yml").write_text(
            GOOD_RULE.replace("policy.rival", f"policy.rival-{lang}"), encoding="utf-8")
    (root / "common").mkdir()
    (root / "common" / "brand.yml").write_text(GOOD_RULE, encoding="utf-8")
    return root


def test_deferred_packs_are_read_when_their_language_is_needed(tmp_path: Path) -> None:
    from safepost.packs import PackSet
    from safepost.plugins import Registry, plugin_manager

    root = _language_folders(tmp_path)
    (root / "nb" / "brand.yml").write_text(GOOD_RULE.replace("severity: medium", "severity: x"),
                                           encoding="utf-8")
    packs = PackSet([(root, "mine")], Registry.collect(plugin_manager()).families,
                    deferred=["mine"])
    assert packs.languages == ("en", "nb")
    assert [p.name for p in packs.for_language("en")] == ["common/brand", "en/brand"]
    with pytest.raises(PackError) as caught:
        packs.for_language("nb")
    assert str(caught.value) == (
        "mine/nb/brand.yml:5: rules[0].severity: Input should be 'low', 'medium', 'high' "
        "or 'critical'")


def test_packs_keep_their_order_however_they_were_read(tmp_path: Path) -> None:
    root = _language_folders(tmp_path)
    checker = Checker(Config(packs=[root]))
    assert checker.check("RivalCola is here", lang="nb").findings[0].rule == "policy.rival"
    bundled = [p.path for p in checker.packs if p.path.startswith("rules/")]
    assert bundled == sorted(bundled)  # folder by folder, file by file, as on disk
    assert [p.path for p in checker.packs if not p.path.startswith("rules/")] == [
        f"{root}/common/brand.yml", f"{root}/en/brand.yml", f"{root}/nb/brand.yml"]


def test_a_deferred_duplicate_is_refused_the_same_way_every_time(tmp_path: Path) -> None:
    from safepost.packs import PackSet
    from safepost.plugins import Registry, plugin_manager

    root = _language_folders(tmp_path)
    rule = GOOD_RULE.split("rules:\n", 1)[1]
    (root / "nb" / "extra.yml").write_text(
        "family: terms\ncategory: policy\nrules:\n" + rule.replace("policy.rival", "policy.extra")
        + rule.replace("policy.rival", "policy.rival-nb"), encoding="utf-8")
    packs = PackSet([(root, "mine")], Registry.collect(plugin_manager()).families,
                    deferred=["mine"])
    messages = []
    for _ in range(2):
        with pytest.raises(PackError) as caught:
            packs.for_language("nb")
        messages.append(str(caught.value))
    assert messages == ["mine/nb/extra.yml: id: duplicate rule id 'policy.rival-nb', also "
                        "defined in mine/nb/brand.yml"] * 2
