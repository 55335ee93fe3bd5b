"""Input readers: every file type, every bad input's whole message, CSV round trips."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pluggy
import pytest

from safepost import hookspecs, readers
from safepost.errors import ConfigError, InputError, RuleError
from safepost.models import Finding, Post, Verdict
from safepost.readers import (
    CLASSIC_LAYOUT,
    VERDICT_COLUMNS,
    CsvLayout,
    ReadContext,
    Reader,
    decode_text,
    load_text,
    read_csv,
    read_json,
    read_jsonl,
    read_markdown,
    read_posts,
    read_txt,
    write_verdicts_csv,
)

CSV_DATA = Path(__file__).parent / "data" / "csv"
OSLO = ZoneInfo("Europe/Oslo")


def read(
    reader: Reader, text: str, path: str = "posts/in", **context: object
) -> list[tuple[int, Post]]:
    """Read every post, raising the first error."""
    return list(read_posts(text, ReadContext(path=path, **context), reader))  # type: ignore[arg-type]


def first_error(reader: Reader, text: str, path: str = "posts/in", **context: object) -> str:
    """Return the rendered error that reading `text` raises."""
    with pytest.raises(InputError) as caught:
        read(reader, text, path, **context)
    return str(caught.value)


def file_line(text: str, needle: str) -> int:
    """Return the 1-based line of `needle` in the file text."""
    return text[: text.index(needle)].count("\n") + 1


def summary(items: list[tuple[int, Post | InputError]]) -> list[tuple[int, str]]:
    """Show each item as its line and its text, or its rendered error."""
    return [
        (line, str(item) if isinstance(item, InputError) else item.text) for line, item in items
    ]


def verdict(decision: str, risk: str, findings: list[Finding] | None = None) -> Verdict:
    """Build a verdict as the checker would."""
    return Verdict(
        decision=decision,
        risk=risk,
        score={"none": 0, "medium": 50, "high": 80}[risk],
        findings=findings or [],
        lang="en",
        trend_status="none",
        version="0.1.0",
    )


HIJACK = Finding(
    rule="trend.hijack",
    category="trend_hijack",
    severity="high",
    message="#notguilty trends because of a murder trial verdict.",
    span=(4, 15),
    matched="#notguilty",
)


# --- load_text ---------------------------------------------------------------


def test_load_text_strips_a_utf8_bom(tmp_path: Path) -> None:
    file = tmp_path / "post.txt"
    file.write_bytes("\ufeffHej på deg 👋\n".encode())
    assert load_text(file) == "Hej på deg 👋\n"


def test_standard_input_gets_the_same_checks() -> None:
    assert decode_text("\ufeff---\nlang: nb\n---\nHei!\n".encode(), "-").startswith("---\n")
    with pytest.raises(InputError) as caught:
        decode_text(b"\x00\x01", "<stdin>")
    assert str(caught.value) == "<stdin>: is not a text file: it contains NUL bytes"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("missing.md", None, "no such file", id="a missing file"),
        pytest.param("folder", "dir", "is a directory; name the files to check", id="a directory"),
        pytest.param(
            "photo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is not a text file: it contains NUL bytes",
            id="a binary file",
        ),
        pytest.param(
            "latin1.csv",
            "Date,Message\n05/01/2024 09:00,Café\n".encode("latin-1"),
            "2: is not a text file: byte 0xE9 is not UTF-8; save it as UTF-8",
            id="a Latin-1 file names the line of the first bad byte",
        ),
        pytest.param(
            "excel.txt",
            "\ufeffHello".encode("utf-16-le"),
            "is not a text file: it is UTF-16; save it as UTF-8",
            id="a UTF-16 file",
        ),
    ],
)
def test_load_text_refuses(
    tmp_path: Path, name: str, content: bytes | str | None, message: str
) -> None:
    file = tmp_path / name
    if content == "dir":
        file.mkdir()
    elif isinstance(content, bytes):
        file.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_text(file)
    separator = ":" if message[0].isdigit() else ": "
    assert str(caught.value) == f"{file}{separator}{message}"


# --- .txt ----------------------------------------------------------------------


def test_txt_is_one_post_on_line_one() -> None:
    text = "Summer sale! ☀️\nEverything 20% off, today only.\n"
    assert read(read_txt, text) == [(1, Post(text=text))]


def test_empty_txt_has_no_post_text() -> None:
    assert first_error(read_txt, " \n\n", "posts/empty.txt") == "posts/empty.txt: no post text"


# --- .md -----------------------------------------------------------------------

MARKDOWN = """\
---
lang: en
channel: instagram
publish_at: 2024-05-17T10:00:00+02:00
sponsored: true
id: may-17
---
Happy 17th of May! 🇳🇴 #ad #partner
<!-- internal note: check the flag emoji renders -->
Use code FJORD for 20% off.
```text
draft: the damn jacket ships Monday
```
Order now at example.no
"""


def test_markdown_front_matter_sets_fields_and_the_body_is_the_text() -> None:
    [(line, post)] = read(read_markdown, MARKDOWN)
    assert line == 8
    assert (post.lang, post.channel, post.sponsored, post.id) == ("en", "instagram", True, "may-17")
    assert post.publish_at == datetime(2024, 5, 17, 8, tzinfo=UTC)
    assert post.text.startswith("Happy 17th of May! 🇳🇴 #ad #partner\n")


def test_markdown_blanks_code_and_comments_but_keeps_offsets_and_lines() -> None:
    [(line, post)] = read(read_markdown, MARKDOWN)
    body = MARKDOWN[MARKDOWN.index("Happy") :]
    assert len(post.text) == len(body)
    assert post.text.count("\n") == body.count("\n")
    for needle in ("Use code FJORD", "Order now", "#partner"):
        offset = post.text.index(needle)
        assert post.text[offset : offset + len(needle)] == body[offset : offset + len(needle)]
        assert line + post.text[:offset].count("\n") == file_line(MARKDOWN, needle)
    assert "damn" not in post.text and "```" not in post.text
    assert "internal note" not in post.text and "<!--" not in post.text
    assert post.text.splitlines()[1] == " " * len(
        "<!-- internal note: check the flag emoji renders -->"
    )


def test_markdown_multiline_comment_is_blanked_line_by_line() -> None:
    text = "Launch day!\n<!-- do not publish\nbefore legal signs off -->Go #team\n"
    [(_, post)] = read(read_markdown, text)
    assert post.text == "Launch day!\n" + " " * 19 + "\n" + " " * 26 + "Go #team\n"


MULTI = """\
---
lang: en
channel: x
---
First post: our spring sale starts today! 🌷
+++
---
channel: linkedin
lang: en
---
We are hiring three engineers in Oslo.

```
+++ not a separator inside code +++
+++
```
Apply by Friday.
+++

Third post, no front matter.
+++
"""


def test_plus_lines_separate_posts_each_with_its_own_front_matter() -> None:
    posts = read(read_markdown, MULTI)
    assert [(line, post.channel) for line, post in posts] == [
        (5, "x"),
        (11, "linkedin"),
        (19, None),
    ]
    assert posts[0][1].text == "First post: our spring sale starts today! 🌷\n"
    second_line, second = posts[1]
    assert "Apply by Friday." in second.text
    offset = second.text.index("Apply")
    assert second_line + second.text[:offset].count("\n") == file_line(MULTI, "Apply")
    assert posts[2][1].text == "\nThird post, no front matter.\n"


def test_front_matter_posts_list_with_shared_defaults() -> None:
    text = """\
---
channel: x
lang: en
posts:
  - text: Doors open at nine. ☕
    id: a
  - id: b
    sponsored: true
    text: |
      Thanks to our partner #ad
      for the coffee.
---
"""
    posts = read(read_markdown, text)
    assert [(line, post.id, post.channel, post.sponsored) for line, post in posts] == [
        (5, "a", "x", False),
        (10, "b", "x", True),
    ]
    assert posts[1][1].text == "Thanks to our partner #ad\nfor the coffee.\n"


def test_suppression_comments_go_into_metadata() -> None:
    text = (
        "We stand with the victims. #prayfor\n"
        "<!-- safepost: ignore trend.hijack -- this is our condolence post, not a promo -->\n"
        "<!-- safepost: ignore tone.shouting\n   -- the brand name is all caps -->\n"
    )
    [(_, post)] = read(read_markdown, text)
    assert post.metadata["safepost_ignore"] == [
        {"rule": "trend.hijack", "reason": "this is our condolence post, not a promo"},
        {"rule": "tone.shouting", "reason": "the brand name is all caps"},
    ]
    assert post.text.strip() == "We stand with the victims. #prayfor"


def test_front_matter_and_inline_suppressions_are_merged() -> None:
    text = (
        "---\nsafepost_ignore:\n  - rule: disclosure.missing\n    reason: organic post\n---\n"
        "Hi <!-- safepost: ignore tone -- playful -->\n"
    )
    [(_, post)] = read(read_markdown, text)
    assert post.metadata == {
        "safepost_ignore": [
            {"rule": "disclosure.missing", "reason": "organic post"},
            {"rule": "tone", "reason": "playful"},
        ]
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "---\nlang: en\npublish_at: tomorrow\n---\nSee you soon!\n",
            "posts/bad.md:3: publish_at: not a date and time with a time zone; "
            "write it like 2024-05-01T09:00:00+02:00",
            id="a bad publish_at names its line",
        ),
        pytest.param(
            "---\nlang: en\npublish_at: 2024-05-01 09:00\n---\nSee you soon!\n",
            "posts/bad.md:3: publish_at: not a date and time with a time zone; "
            "write it like 2024-05-01T09:00:00+02:00",
            id="a publish_at without a time zone",
        ),
        pytest.param(
            "---\nlang: en\nchanel: x\n---\nHi\n",
            "posts/bad.md:3: chanel: unknown field; did you mean channel?",
            id="a misspelt key",
        ),
        pytest.param(
            "---\nmood: upbeat\n---\nHi\n",
            "posts/bad.md:2: mood: unknown field; use one of: channel, id, in_reply_to, lang, "
            "metadata, publish_at, region, safepost_ignore, sponsored, text",
            id="an unknown key",
        ),
        pytest.param(
            "---\nlang: english\n---\nHi\n",
            "posts/bad.md:2: lang: not an ISO 639-1 language code such as en or nb",
            id="a bad language code",
        ),
        pytest.param(
            "---\nlang: en\nchannel: [x, instagram\n---\nHi\n",
            "posts/bad.md:4: front matter is not valid YAML: "
            "expected ',' or ']', but got '<stream end>'",
            id="bad YAML",
        ),
        pytest.param(
            "---\nlang: en\n  region: NO\n---\nHi\n",
            "posts/bad.md:3: front matter is not valid YAML: mapping values are not allowed here",
            id="bad YAML indentation",
        ),
        pytest.param(
            "---\n- en\n---\nHi\n",
            "posts/bad.md:1: front matter must be a mapping of post fields, such as lang: en",
            id="front matter that is a list",
        ),
        pytest.param(
            "---\nlang: en\nHi there\n",
            "posts/bad.md:1: front matter is never closed; end it with a line of ---",
            id="front matter never closed",
        ),
        pytest.param(
            "---\ntext: Hello\n---\n",
            "posts/bad.md:2: text: the post's text is the body below the front matter; "
            "remove this key",
            id="text in front matter",
        ),
        pytest.param(
            "---\nlang: en\n---\n\n",
            "posts/bad.md:4: no post text",
            id="front matter without a body",
        ),
        pytest.param("", "posts/bad.md: no post text", id="an empty file"),
        pytest.param(
            "Hi\n<!-- safepost: ignore trend.hijack -->\n",
            "posts/bad.md:2: a suppression needs a reason: <!-- safepost: ignore RULE -- why -->",
            id="a suppression without a reason",
        ),
        pytest.param(
            "Hi\n\n<!-- safepost: ignore trend.hijack --   -->\n",
            "posts/bad.md:3: a suppression needs a reason: <!-- safepost: ignore RULE -- why -->",
            id="a suppression with a blank reason",
        ),
        pytest.param(
            "Hi <!-- safepost: skip everything -->\n",
            "posts/bad.md:1: cannot read this safepost comment; "
            "write <!-- safepost: ignore RULE -- why -->",
            id="a safepost comment that is not a suppression",
        ),
        pytest.param(
            "Hi\n<!-- todo: fix the link\nBuy now!\n",
            "posts/bad.md:2: comment is never closed; end it with -->",
            id="a comment never closed",
        ),
        pytest.param(
            "Hi\n\n~~~~\ncode\n~~~\nBuy now!\n",
            "posts/bad.md:3: code block is never closed; end it with a line of ~~~~",
            id="a fence never closed",
        ),
        pytest.param(
            "---\nposts: [{text: a}]\n---\nStray body text\n",
            "posts/bad.md:4: front matter lists posts:, so the body must be empty; "
            "move it into the list",
            id="posts list with a body",
        ),
        pytest.param(
            "---\nposts: none\n---\n",
            "posts/bad.md:2: posts: must be a list of posts, each with a text",
            id="posts that is not a list",
        ),
        pytest.param(
            "---\nposts:\n  - text: a\n    sponsored: maybe\n---\n",
            "posts/bad.md:4: sponsored: not true or false",
            id="a bad field in a listed post",
        ),
        pytest.param(
            "---\nsafepost_ignore:\n  - rule: tone\n---\nHi\n",
            "posts/bad.md:2: safepost_ignore[0].reason: a suppression needs a reason: "
            "give each entry a rule and a reason",
            id="a front-matter suppression without a reason",
        ),
        pytest.param(
            "---\nlang: en\nid: a\x1fb\n---\nHi\n",
            "posts/bad.md:3: front matter is not valid YAML: special characters are not allowed "
            "(U+001F)",
            id="a control character in front matter",
        ),
    ],
)
def test_bad_markdown(text: str, message: str) -> None:
    assert first_error(read_markdown, text, "posts/bad.md") == message


# --- .json / .jsonl -------------------------------------------------------------

JSON_LIST = """\
[
  {"text": "Spring collection is live 🌷", "lang": "en", "publish_at": "2024-04-02T09:00:00Z"},
  {
    "text": "Partner post #ad",
    "sponsored": true,
    "safepost_ignore": [{"rule": "disclosure.weak", "reason": "legal approved the wording"}]
  },
  {"text": "Replying to a customer", "in_reply_to": "Where is my order?!", "id": "r-7"}
]
"""


def test_json_list_gives_each_post_the_line_of_its_brace() -> None:
    posts = read(read_json, JSON_LIST)
    assert [line for line, _ in posts] == [2, 3, 8]
    assert posts[0][1].publish_at == datetime(2024, 4, 2, 9, tzinfo=UTC)
    assert posts[1][1].metadata == {
        "safepost_ignore": [{"rule": "disclosure.weak", "reason": "legal approved the wording"}]
    }
    assert posts[2][1].in_reply_to == "Where is my order?!"


def test_json_single_object() -> None:
    assert read(read_json, '\n {"text": "Hello", "region": "no"}') == [
        (2, Post(text="Hello", region="NO"))
    ]


def test_jsonl_reads_one_post_per_line_and_skips_blank_lines() -> None:
    text = '{"text": "one"}\n\n{"text": "two", "channel": "x"}\n'
    assert read(read_jsonl, text) == [(1, Post(text="one")), (3, Post(text="two", channel="x"))]


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        pytest.param(
            read_json,
            '[\n  {"text": "ok"},\n  {"text": "Buy now", "sponsored": "maybe"}\n]',
            "posts/bad.json:3: sponsored: not true or false",
            id="json: a bad field",
        ),
        pytest.param(
            read_json,
            '[\n  {"txt": "Hello"}\n]',
            "posts/bad.json:2: text: required field is missing",
            id="json: no text",
        ),
        pytest.param(
            read_json,
            '{"text": "   "}',
            "posts/bad.json:1: text: no post text",
            id="json: blank text",
        ),
        pytest.param(
            read_json,
            '["Hello"]',
            'posts/bad.json:1: a post must be a JSON object such as {"text": "..."}',
            id="json: a string, not an object",
        ),
        pytest.param(
            read_json,
            '[\n  {"text": "a"},\n  {"text": "b",}\n]',
            "posts/bad.json:3: not valid JSON: Expecting property name enclosed in double quotes "
            "(column 16)",
            id="json: a trailing comma",
        ),
        pytest.param(
            read_json,
            '[\n  {"text": "a"}\n  {"text": "b"}\n]',
            "posts/bad.json:3: not valid JSON: Expecting ',' delimiter (column 3)",
            id="json: a missing comma",
        ),
        pytest.param(
            read_json,
            '{"text": "a"}\n{"text": "b"}\n',
            "posts/bad.json:2: not valid JSON: Extra data (column 1)",
            id="json: JSON Lines in a .json file",
        ),
        pytest.param(read_json, "[]", "posts/bad.json:1: no posts in the list", id="json: []"),
        pytest.param(
            read_json,
            '{"text": "a", "safepost_ignore": [{"rule": "tone", "why": "x"}]}',
            "posts/bad.json:1: safepost_ignore[0].reason: a suppression needs a reason: "
            "give each entry a rule and a reason",
            id="json: a suppression without a reason",
        ),
        pytest.param(
            read_jsonl,
            '{"text": "one"}\n{"text": "two"\n',
            "posts/bad.json:2: not valid JSON: Expecting ',' delimiter (column 15)",
            id="jsonl: a broken line",
        ),
        pytest.param(
            read_jsonl,
            '{"text": "one"}\n\n{"text": "two", "lang": "Norwegian"}\n',
            "posts/bad.json:3: lang: not an ISO 639-1 language code such as en or nb",
            id="jsonl: a bad field",
        ),
        pytest.param(read_jsonl, "\n\n", "posts/bad.json: no posts", id="jsonl: only blank lines"),
    ],
)
def test_bad_json(reader: Reader, text: str, message: str) -> None:
    assert first_error(reader, text, "posts/bad.json") == message


# --- .csv ----------------------------------------------------------------------


def test_classic_hootsuite_csv_without_header() -> None:
    text = load_text(CSV_DATA / "hootsuite_classic.csv")
    posts = read(read_csv, text)
    assert [line for line, _ in posts] == [1, 2, 3, 4, 8]
    assert [post.publish_at for _, post in posts] == [
        datetime(2011, 7, 5, 20, 0, tzinfo=UTC),
        datetime(2011, 7, 6, 9, 30, tzinfo=UTC),
        datetime(2011, 7, 6, 14, 15, tzinfo=UTC),
        datetime(2011, 7, 7, 8, 0, tzinfo=UTC),
        datetime(2011, 7, 13, 17, 45, tzinfo=UTC),
    ]
    first = posts[0][1]
    assert first.text == (
        "Who's #notguilty about eating all the tasty treats they want?! 🍰 "
        "https://example.com/treats"
    )
    assert posts[2][1].text == 'She said "best latte in town" — we\'ll take it ☕'
    assert posts[3][1].text.startswith("Three reasons to visit us this week:\n1. New pastries\n")
    assert first.metadata["csv"] == {
        "row": 1,
        "cells": [
            "07/05/2011 20:00",
            "Who's #notguilty about eating all the tasty treats they want?! 🍰",
            "https://example.com/treats",
        ],
        "extra": {},
    }


def test_scheduler_csv_with_header_date_and_time_columns() -> None:
    text = load_text(CSV_DATA / "scheduler_header.csv")
    posts = read(read_csv, text, csv=CsvLayout(timezone="Europe/Oslo"))
    assert [line for line, _ in posts] == [2, 3, 4, 6]
    assert [post.publish_at for _, post in posts] == [
        datetime(2024, 5, 1, 9, 0, tzinfo=OSLO),
        datetime(2024, 5, 2, 12, 30, tzinfo=OSLO),
        datetime(2024, 5, 17, 10, 0, tzinfo=OSLO),
        datetime(2024, 5, 21, 18, 45, tzinfo=OSLO),
    ]
    assert posts[0][1].publish_at.utcoffset() == timedelta(hours=2)
    assert posts[1][1].text == (
        'New in: the "Fjord" rain jacket 🧥 — waterproof, breathable, and 20% off this week. '
        "https://example.no/fjord"
    )
    assert posts[2][1].text == "Gratulerer med dagen! 🇳🇴\nHipp hipp hurra!"
    assert posts[2][1].metadata["csv"]["row"] == 4
    assert posts[2][1].metadata["csv"]["extra"] == {"Social Profile": "Acme Norway (Facebook)"}


def test_csv_columns_by_configured_names_and_explicit_date_format() -> None:
    text = (
        "Post ID;Caption text;When;Network\n"
        "p1;Hej verden 👋;2024-05-01T09:00+02:00;instagram\n"
        "p2;God morgen;02.05.2024 07:15;facebook\n"
    )
    layout = CsvLayout(
        message_column="caption text",
        date_column="When",
        id_column=0,
        date_format="%d.%m.%Y %H:%M",
        timezone="Europe/Oslo",
        delimiter=";",
    )
    with pytest.raises(InputError) as caught:
        read(read_csv, text, "drafts.csv", csv=layout)
    assert str(caught.value) == (
        'drafts.csv:2: When: cannot read "2024-05-01T09:00+02:00" '
        "as %d.%m.%Y %H:%M (the date_format)"
    )
    posts = read(read_csv, text.replace("2024-05-01T09:00+02:00", "01.05.2024 09:00"), csv=layout)
    assert [(post.id, post.text, post.publish_at) for _, post in posts] == [
        ("p1", "Hej verden 👋", datetime(2024, 5, 1, 9, tzinfo=OSLO)),
        ("p2", "God morgen", datetime(2024, 5, 2, 7, 15, tzinfo=OSLO)),
    ]
    assert posts[0][1].metadata["csv"]["extra"] == {"Network": "instagram"}


def test_csv_iso_dates_keep_their_offset_and_naive_ones_get_the_layout_zone() -> None:
    text = "Date & Time,Text,URL\n2024-05-01 09:00,a,\n2024-05-01T09:00:00-04:00,b,\n"
    posts = read(read_csv, text, csv=CsvLayout(timezone="America/New_York"))
    assert [post.publish_at for _, post in posts] == [
        datetime(2024, 5, 1, 9, tzinfo=ZoneInfo("America/New_York")),
        datetime(2024, 5, 1, 13, tzinfo=UTC),
    ]


def test_day_first_dates_are_detected_from_the_whole_file() -> None:
    text = "03/04/2024 09:00,Ambiguous on its own\n25/04/2024 09:00,Only day-first reads this\n"
    posts = read(read_csv, text)
    assert [post.publish_at.date().isoformat() for _, post in posts] == ["2024-04-03", "2024-04-25"]


def test_classic_layout_never_takes_the_first_row_for_a_header() -> None:
    text = "05/01/2024 09:00,Post\n"
    assert read(read_csv, text, csv=CLASSIC_LAYOUT)[0][1].text == "Post"
    assert first_error(read_csv, text) == (
        "posts/in:1: no date column; name one Date or set date_column"
    )


@pytest.mark.parametrize(
    ("text", "layout", "message"),
    [
        pytest.param(
            "Date,Message,Link\n05/01/2024 09:00,,https://example.com\n",
            CsvLayout(),
            "posts/bulk.csv:2: Message: empty; every row needs a message",
            id="a row without a message",
        ),
        pytest.param(
            '05/01/2024 09:00,"first\nrow"\n05/02/2024 09:00\n',
            CsvLayout(),
            "posts/bulk.csv:3: message (column 2): empty; every row needs a message",
            id="a classic row without a message, after a multi-line cell",
        ),
        pytest.param(
            "Date,Message\nnext Tuesday,Hello\n",
            CsvLayout(),
            'posts/bulk.csv:2: Date: cannot read "next Tuesday" as a date and time; '
            "write it as yyyy-mm-dd hh:mm or set date_format",
            id="an unparseable date",
        ),
        pytest.param(
            "Date,Time,Message\n05/01/2024,09:00,a\n05/32/2024,10:00,b\n",
            CsvLayout(),
            'posts/bulk.csv:3: Date + Time: cannot read "05/32/2024 10:00" as mm/dd/yyyy hh:mm, '
            "the date format of the other rows",
            id="a date unlike the others",
        ),
        pytest.param(
            "Date,Message\n,Hello\n",
            CsvLayout(),
            "posts/bulk.csv:2: Date: empty; every row needs a date and time",
            id="an empty date",
        ),
        pytest.param(
            "Date,Caption\n05/01/2024 09:00,Hello\n",
            CsvLayout(message_column="Body"),
            "posts/bulk.csv:1: no column named 'Body'; the header has: Date, Caption",
            id="a configured column that is not there",
        ),
        pytest.param(
            "Day,Message\n05/01/2024 09:00,Hello\n",
            CsvLayout(),
            "posts/bulk.csv:1: no date column; name one Date or set date_column",
            id="a header without a date column",
        ),
        pytest.param(
            "05/01/2024 09:00,Hello\n",
            CsvLayout(message_column="Message"),
            "posts/bulk.csv:1: no header row naming the column 'Message'",
            id="a configured name but no header",
        ),
        pytest.param(
            '05/01/2024 09:00,ok\n05/02/2024 09:00,"Hello, this never ends\n',
            CsvLayout(),
            "posts/bulk.csv:2: not valid CSV: a quoted cell is never closed",
            id="an unterminated quote",
        ),
        pytest.param(
            'Date,Message\n05/01/2024 09:00,"Hello" world\n',
            CsvLayout(),
            "posts/bulk.csv:2: not valid CSV: ',' expected after '\"'",
            id="text after a closing quote",
        ),
        pytest.param(
            "Date,Message\n,\n",
            CsvLayout(),
            "posts/bulk.csv: no rows below the header",
            id="only a header",
        ),
        pytest.param("", CsvLayout(), "posts/bulk.csv: no rows", id="an empty file"),
    ],
)
def test_bad_csv(text: str, layout: CsvLayout, message: str) -> None:
    assert first_error(read_csv, text, "posts/bulk.csv", csv=layout) == message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"timezone": "Europe/Olso"},
            "timezone: unknown time zone 'Europe/Olso'; use an IANA name such as Europe/Oslo",
            id="an unknown time zone",
        ),
        pytest.param(
            {"header": False, "message_column": "Message"},
            "message_column: names a column but the layout has no header; "
            "give a 0-based column number",
            id="a column name without a header",
        ),
    ],
)
def test_bad_layout(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        CsvLayout(**fields)  # type: ignore[arg-type]
    assert str(caught.value) == message


# --- write_verdicts_csv ----------------------------------------------------------


def rows(text: str) -> list[list[str]]:
    """Parse CSV text into rows."""
    return list(csv.reader(io.StringIO(text, newline="")))


def write(source: str, layout: CsvLayout, results: list[tuple[int, object]]) -> str:
    """Return what write_verdicts_csv writes."""
    out = io.StringIO(newline="")
    write_verdicts_csv(source, layout, results, out)  # type: ignore[arg-type]
    return out.getvalue()


def test_round_trip_of_the_classic_file_keeps_every_row_and_cell() -> None:
    source = load_text(CSV_DATA / "hootsuite_classic.csv")
    lines = [line for line, _ in read(read_csv, source)]
    results = [(lines[0], verdict("hold", "high", [HIJACK]))]
    results += [(line, verdict("publish", "none")) for line in lines[1:]]
    written = write(source, CLASSIC_LAYOUT, results)
    assert written.endswith("\r\n") and "1. New pastries\n2." in written
    before, after = rows(source), rows(written)
    assert len(after) == len(before) == 5
    for old, new in zip(before, after, strict=True):
        assert new[:3] == old + [""] * (3 - len(old))
        assert len(new) == 7
    assert after[0][3:] == ["hold", "high", "trend.hijack", HIJACK.message]
    assert after[2][3:] == ["publish", "none", "", ""]


def test_round_trip_of_the_header_file_marks_rows_that_failed() -> None:
    source = load_text(CSV_DATA / "scheduler_header.csv").replace("21.05.2024", "21.13.2024")
    layout = CsvLayout(timezone="Europe/Oslo")
    items = list(read_posts(source, ReadContext("bulk.csv", layout, keep_going=True), read_csv))
    assert [type(item).__name__ for _, item in items] == ["Post", "Post", "Post", "InputError"]
    results: list[tuple[int, object]] = [
        (line, verdict("review", "medium")) for line, item in items if isinstance(item, Post)
    ]
    results[1] = (results[1][0], RuleError("boom", key="tone.shouting"))
    after = rows(write(source, layout, results))
    before = rows(source)
    assert len(after) == len(before) == 6
    assert after[0] == ["Date", "Time", "Message", "Link", "Social Profile", *VERDICT_COLUMNS]
    assert [row[:5] for row in after] == before
    assert [row[5:] for row in after[1:]] == [
        ["review", "medium", "", ""],
        ["error", "", "", "tone.shouting: boom"],
        ["review", "medium", "", ""],
        [
            "error",
            "",
            "",
            'Date + Time: cannot read "21.13.2024 18:45" as dd.mm.yyyy hh:mm, '
            "the date format of the other rows",
        ],
        ["", "", "", ""],
    ]


def test_rows_without_a_verdict_are_errors_and_blank_lines_stay() -> None:
    source = "Date,Message\n05/01/2024 09:00,a\n\n05/02/2024 09:00,b\n"
    written = write(source, CsvLayout(), [(2, verdict("publish", "none"))])
    assert written == (
        "Date,Message,safepost_decision,safepost_risk,safepost_top_rule,safepost_top_message\n"
        "05/01/2024 09:00,a,publish,none,,\n"
        "\n"
        "05/02/2024 09:00,b,error,,,no verdict for this row\n"
    )


def test_writing_over_a_checked_file_replaces_its_verdict_columns() -> None:
    source = (
        "Date,Message,safepost_decision,safepost_risk,safepost_top_rule,safepost_top_message\n"
        "05/01/2024 09:00,a,hold,high,trend.hijack,old news\n"
    )
    written = write(source, CsvLayout(), [(2, verdict("publish", "none"))])
    assert rows(written)[1] == ["05/01/2024 09:00", "a", "publish", "none", "", ""]


# --- keep_going and the plugin -----------------------------------------------------


def test_keep_going_yields_good_posts_and_errors_in_order() -> None:
    text = '{"text": "one"}\nnot json\n{"text": "three", "sponsored": "maybe"}\n{"text": "four"}\n'
    items = list(read_posts(text, ReadContext("queue.jsonl", keep_going=True), read_jsonl))
    assert summary(items) == [
        (1, "one"),
        (2, "queue.jsonl:2: not valid JSON: Expecting value (column 1)"),
        (3, "queue.jsonl:3: sponsored: not true or false"),
        (4, "four"),
    ]


def test_without_keep_going_the_first_bad_post_raises() -> None:
    text = '{"text": "one"}\nnot json\n{"text": "three"}\n'
    assert first_error(read_jsonl, text, "queue.jsonl") == (
        "queue.jsonl:2: not valid JSON: Expecting value (column 1)"
    )


def test_keep_going_ends_with_the_error_that_stopped_the_reader() -> None:
    text = '[{"text": "one"}, {"text": "two"} {"text": "three"}]'
    items = list(read_posts(text, ReadContext("list.json", keep_going=True), read_json))
    assert summary(items) == [
        (1, "one"),
        (1, "two"),
        (1, "list.json:1: not valid JSON: Expecting ',' delimiter (column 35)"),
    ]


def test_keep_going_in_a_multi_post_markdown_file() -> None:
    text = "Good one\n+++\n---\nlang: xx1\n---\nBad one\n+++\nAnother good one\n"
    items = list(read_posts(text, ReadContext("multi.md", keep_going=True), read_markdown))
    assert summary(items) == [
        (1, "Good one\n"),
        (6, "multi.md:4: lang: not an ISO 639-1 language code such as en or nb"),
        (8, "Another good one\n"),
    ]


def test_the_plugin_registers_every_suffix_through_the_hookspec() -> None:
    manager = pluggy.PluginManager("safepost")
    manager.add_hookspecs(hookspecs)
    manager.register(readers)
    manager.check_pending()
    registered: dict[str, Reader] = {}
    manager.hook.register_readers(register=registered.__setitem__)
    assert registered == {
        ".txt": read_txt,
        ".md": read_markdown,
        ".markdown": read_markdown,
        ".json": read_json,
        ".jsonl": read_jsonl,
        ".csv": read_csv,
    }
