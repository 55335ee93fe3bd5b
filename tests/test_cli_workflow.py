"""CI workflows: verdict columns written back to a scheduler CSV, baselines, checking a diff."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_cli import run

CSV_DATA = Path(__file__).parent / "data" / "csv"


@pytest.mark.parametrize("name", ["hootsuite_classic.csv", "scheduler_header.csv"])
def test_write_verdicts_keeps_every_row_and_adds_columns(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    shutil.copy(CSV_DATA / name, source)
    result = run("check", name, "--lang", "en", "--write-verdicts", "out.csv", "--exit-zero",
                 "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    original = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    written = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"),
                                          newline="")))
    assert len(written) == len(original)
    report = json.loads(result.stdout)
    decisions = [r["verdict"]["decision"] for r in report]
    data_rows = [row for row in written if row and row[-4] in ("publish", "review", "hold")]
    assert [row[-4] for row in data_rows] == decisions
    for before, after in zip(original, written, strict=True):
        assert after[:len(before)] == before


def test_csv_layout_comes_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "queue.csv").write_text(
        "when;copy\n2026-11-24 09:00;What the f*ck\n2026-11-24 10:00;Lovely day\n",
        encoding="utf-8")
    (tmp_path / "safepost.toml").write_text(
        '[csv]\ndate_column = "when"\nmessage_column = "copy"\ndelimiter = ";"\n'
        'timezone = "Europe/Oslo"\n', encoding="utf-8")
    result = run("check", "queue.csv", "--lang", "en", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(r["line"], r["verdict"]["decision"]) for r in report] == [(2, "hold"), (3, "publish")]


def test_bad_csv_layout_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "queue.csv").write_text("2026-11-24 09:00,Hello\n", encoding="utf-8")
    (tmp_path / "safepost.toml").write_text('[csv]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    result = run("check", "queue.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("safepost: csv.timezone: unknown time zone 'Mars/Olympus'; "
                             "use an IANA name such as Europe/Oslo\n")


def test_baseline_fails_only_on_new_findings(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("What the f*ck", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Lovely day", encoding="utf-8")
    saved = run("check", "a.txt", "b.txt", "--lang", "en", "--format", "json", cwd=tmp_path)
    (tmp_path / "baseline.json").write_text(saved.stdout, encoding="utf-8")
    again = run("check", "a.txt", "b.txt", "--lang", "en", "--baseline", "baseline.json",
                "--format", "json", cwd=tmp_path)
    assert again.returncode == 0
    suppressed = json.loads(again.stdout)[0]["verdict"]["suppressed"]
    reasons = [(s["rule"], s["reason"]) for s in suppressed]
    assert reasons == [("profanity.fuck", "in the baseline")]
    (tmp_path / "b.txt").write_text("Lovely shitty day", encoding="utf-8")
    new = run("check", "a.txt", "b.txt", "--lang", "en", "--baseline", "baseline.json",
              cwd=tmp_path)
    assert new.returncode == 1


def test_diff_checks_only_changed_posts(tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "old.txt").write_text("What the f*ck, an old post", encoding="utf-8")
    (tmp_path / "queue.jsonl").write_text('{"text": "Lovely day", "lang": "en"}\n',
                                          encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "first")
    with (tmp_path / "queue.jsonl").open("a", encoding="utf-8") as queue:
        queue.write('{"text": "Shitty news", "lang": "en"}\n')
    result = run("check", "old.txt", "queue.jsonl", "--diff", "HEAD", "--format", "json",
                 cwd=tmp_path)
    assert [(r["path"], r["line"]) for r in json.loads(result.stdout)] == [("queue.jsonl", 2)]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("post.md", "---\nlang: en\n---\nWhat the f*ck, said the review.\n"
                     "<!-- safepost: ignore profanity.fuck -- a customer's words, quoted -->\n",
                     id="a Markdown comment"),
        pytest.param("posts.jsonl", json.dumps({
            "text": "What the f*ck, said the review.", "lang": "en",
            "safepost_ignore": [{"rule": "profanity.fuck",
                                 "reason": "a customer's words, quoted"}]}) + "\n",
                     id="a safepost_ignore field"),
    ],
)
def test_a_suppression_and_its_reason_show_in_json(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("check", name, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert record["verdict"]["findings"] == []
    assert record["verdict"]["decision"] == "publish"
    assert [(s["rule"], s["reason"]) for s in record["verdict"]["suppressed"]] == [
        ("profanity.fuck", "a customer's words, quoted")]


def test_a_suppression_without_a_reason_is_refused(tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text(
        "What the f*ck\n<!-- safepost: ignore profanity.fuck -->\n", encoding="utf-8")
    result = run("check", "post.md", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("safepost: post.md:2: a suppression needs a reason: "
                             "<!-- safepost: ignore RULE -- why -->\n")
