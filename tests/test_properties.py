"""Any text, however hostile, gets a verdict or a clean SafepostError, and every span is true.

The CI run draws a few hundred inputs; `pytest -m slow tests/test_properties.py` draws
over 100,000 with the same strategies (see docs/reliability.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from conftest import bench_corpus
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safepost import Checker, Post, Verdict
from safepost.errors import InputError
from safepost.models import SEVERITIES, severity_rank
from safepost.readers import (
    ReadContext,
    read_csv,
    read_json,
    read_jsonl,
    read_markdown,
    read_posts,
    read_txt,
)

PUBLISH_AT = datetime(2024, 5, 1, 12, tzinfo=UTC)


CORPUS = bench_corpus()
SNAPSHOT = CORPUS.snapshot(60)
RISKY = [text for texts in CORPUS.RISKY.values() for text in texts]

# Characters that break naive text handling: bidi marks and overrides, combining marks, ZWJ
# emoji sequences and skin tones, NUL and other controls, BOM, lone surrogates, characters
# whose case folding changes their length, full-width and lookalike letters, line separators.
TRICKY = [
    "\u200f", "\u200e", "\u202e", "\u2066", "\u0301", "\u0308\u0308", "👨‍👩‍👧‍👦", "👍🏽", "🏳️‍🌈",
    "\x00", "\x07", "\x1b[31m", "\ufeff", "\u200b", "\u00ad", "\ud800", "\udfff", "ß", "İ",
    "ﬁ", "ΐ", "Ǆ", "Ａ", "е", "\r\n", "\r", "\u2028", "\u0085", "\t", "#", "＃", "@", "!!!",
    "#notguilty", "#Aurora", "https://example.com/a?b=c", "jane.doe@gmail.com",
    "+47 912 34 567", "order #12345678", "f*ck", "sh1t", "#ad",
]  # fmt: skip

any_char = st.one_of(st.characters(), st.characters(categories=["Cs"]))
fragment = st.one_of(st.sampled_from(TRICKY), st.sampled_from(RISKY),
                     st.text(any_char, max_size=12))


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Draw a text of tricky fragments, sometimes repeated into a long text."""
    text = "".join(draw(st.lists(fragment, max_size=10)))
    if draw(st.integers(0, 9)) == 0:
        text *= draw(st.integers(2, 300))
    return text


post_fields = st.fixed_dictionaries({
    "lang": st.sampled_from([None, "en", "nb", "bg"]),
    "publish_at": st.sampled_from([None, PUBLISH_AT]),
    "sponsored": st.booleans(),
    "in_reply_to": st.one_of(st.none(), hostile_text()),
    "channel": st.sampled_from([None, "x", "instagram"]),
})


def lone_surrogate(*texts: str | None) -> bool:
    """Return whether any text holds a surrogate code point, which UTF-8 cannot encode."""
    return any(t is not None and any("\ud800" <= c <= "\udfff" for c in t) for t in texts)


def assert_valid(verdict: Verdict, text: str) -> None:
    """Check what every verdict promises: shape, default decision mapping, honest spans."""
    assert isinstance(verdict, Verdict)
    Verdict.model_validate_json(verdict.model_dump_json())
    ranks = [severity_rank(f.severity) for f in verdict.findings]
    assert ranks == sorted(ranks, reverse=True), "findings are most severe first"
    assert verdict.risk == (verdict.findings[0].severity if verdict.findings else "none")
    worst = max(ranks, default=0)
    expected = ("hold" if worst >= severity_rank("high")
                else "review" if worst == severity_rank("medium") else "publish")
    assert verdict.decision == expected
    for finding in verdict.findings:
        assert finding.severity in SEVERITIES
        if finding.span is None:
            continue
        start, end = finding.span
        assert 0 <= start <= end <= len(text), (finding.rule, finding.span)
        assert text[start:end] == finding.matched, finding.rule


def check_valid(checker: Checker, post: str | Post, **fields) -> None:
    """Check a post with the bundled packs: a valid verdict, or an InputError for a surrogate.

    No other outcome is clean: no text, however strange, may cost its verdict.
    """
    text = post if isinstance(post, str) else post.text
    if lone_surrogate(text, fields.get("in_reply_to")):
        with pytest.raises(InputError, match="lone surrogate"):
            checker.check(post, **fields)
        return
    assert_valid(checker.check(post, **fields), text)


CI = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50_000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@CI
@given(text=hostile_text(), fields=post_fields, with_trends=st.booleans())
def test_any_post_gets_a_valid_verdict_with_true_spans(checker: Checker, text: str,
                                                       fields: dict, with_trends: bool) -> None:
    check_valid(checker, text, trends=SNAPSHOT if with_trends else None, **fields)


def test_risky_fragments_still_yield_spans_amid_hostile_characters(checker: Checker) -> None:
    # A fixed witness that the properties above see findings with spans, not only empty verdicts.
    text = "\u202e\u200f👨‍👩‍👧 What the f*ck is this?! café\u0301 Call +47 912 34 567 \x00 #ad"
    verdict = checker.check(text, lang="en", publish_at=PUBLISH_AT)
    assert_valid(verdict, text)
    assert {"profanity.fuck", "privacy.phone"} <= {f.rule for f in verdict.findings}


def megabyte_post() -> str:
    """Return a realistic 1 MB post: prose in three languages, links, numbers, tags, emoji."""
    paragraph = " ".join([
        CORPUS.post_text(CORPUS._rng("megabyte", lang), lang, 700) for lang in ("en", "nb", "bg")
    ] + ["Call +47 912 34 567 or write to jane.doe@gmail.com, order #12345678.",
         "👨‍👩‍👧 \u200f#notguilty\u200e café\u0301 https://example.com/x?y=1 @someone"])
    return (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]


def test_a_megabyte_post_is_checked(checker: Checker) -> None:
    text = megabyte_post()
    verdict = checker.check(text, lang="en", publish_at=PUBLISH_AT, trends=SNAPSHOT)
    assert_valid(verdict, text)
    assert verdict.decision == "hold"
    assert {"privacy.phone", "privacy.order-number"} <= {f.rule for f in verdict.findings}


# --- readers ------------------------------------------------------------------------------

def read_all(reader: Callable, text: str, name: str) -> list[tuple[int, Post | InputError]]:
    """Read `text` with every error kept as an item; only an InputError may escape."""
    items = list(read_posts(text, ReadContext(path=name, keep_going=True), reader))
    for line, item in items:
        assert isinstance(line, int) and line >= 1
        assert isinstance(item, Post | InputError)
        if isinstance(item, Post):
            assert item.text.strip()
        else:
            assert item.path == name
    return items


MARKUP = ["---\n", "...\n", "+++\n", "```\n", "~~~\n", "<!--", "-->", "\n",
          "<!-- safepost: ignore tone -- the brand voice -->", "lang: en\n", "text: x\n",
          "posts:\n  - text: hi\n", "!!python/object/apply:os.system [ls]\n", "a: &x [1]\n",
          "b: *x\n", "metadata: {k: [1, {m: 2}]}\n", "publish_at: 2024-05-01T09:00:00+02:00\n",
          "safepost_ignore: [{rule: tone, reason: why}]\n", "{", "}", "[", "]", '"', ",", ":",
          '{"text": "hi"}', "null", "1e999", "\\ud800", "Date,Message,Link\n",
          "2024-05-01 10:00,", '"a ""quoted"" cell"', ";", "[" * 3000]  # fmt: skip
garbage = st.lists(st.one_of(st.sampled_from(MARKUP), fragment), max_size=16).map("".join)
READERS = {".txt": read_txt, ".md": read_markdown, ".json": read_json, ".jsonl": read_jsonl,
           ".csv": read_csv}


@CI
@given(suffix=st.sampled_from(sorted(READERS)), text=garbage)
def test_every_reader_yields_posts_or_input_errors(suffix: str, text: str) -> None:
    reader, name = READERS[suffix], f"posts{suffix}"
    items = read_all(reader, text, name)
    assert items, "a file never reads as nothing: no post is an error too"
    first_error = next((item for _, item in items if isinstance(item, InputError)), None)
    try:
        strict = list(read_posts(text, ReadContext(path=name), reader))
    except InputError as error:
        assert str(error) == str(first_error)
    else:
        assert first_error is None
        assert strict == items


@CI
@given(text=hostile_text())
def test_a_txt_file_is_its_post(text: str) -> None:
    assume(text.strip() and not lone_surrogate(text))
    [(line, post)] = read_all(read_txt, text, "post.txt")
    assert (line, post.text) == (1, text)


def plain_body(text: str) -> bool:
    """Return whether a Markdown body has no markup that the reader treats specially."""
    lines = text.splitlines()
    return bool(text.strip()) and not any(
        line.strip() in ("+++", "---", "...") or line.lstrip(" ").startswith(("```", "~~~"))
        for line in lines) and "<!--" not in text and "-->" not in text


@CI
@given(body=hostile_text(), lang=st.sampled_from(["en", "nb", "bg"]))
def test_a_markdown_body_below_front_matter_is_the_post_text(body: str, lang: str) -> None:
    assume(plain_body(body) and not lone_surrogate(body))
    [(line, post)] = read_all(read_markdown, f"---\nlang: {lang}\n---\n{body}", "post.md")
    assert (line, post.text, post.lang) == (4, body, lang)


json_posts = st.lists(st.fixed_dictionaries(
    {"text": hostile_text().filter(lambda t: t.strip() and not lone_surrogate(t))},
    optional={"lang": st.sampled_from(["en", "nb"]), "id": st.text(max_size=5),
              "metadata": st.dictionaries(st.text(max_size=4), st.text(any_char, max_size=4),
                                          min_size=1)},
), min_size=1, max_size=4)


@CI
@given(records=json_posts, ascii_only=st.booleans())
def test_json_and_jsonl_posts_come_back_exactly(records: list[dict], ascii_only: bool) -> None:
    as_list = json.dumps(records, ensure_ascii=ascii_only, indent=1)
    as_lines = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records)
    for reader, text, name in ((read_json, as_list, "posts.json"),
                               (read_jsonl, as_lines, "posts.jsonl")):
        items = read_all(reader, text, name)
        assert [post.model_dump(exclude_defaults=True) for _, post in items] == records


cells = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


@CI
@given(messages=st.lists(cells.filter(str.strip), min_size=1, max_size=5), link=st.booleans())
def test_csv_messages_come_back_exactly(messages: list[str], link: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Message", "Link"])
    for index, message in enumerate(messages):
        writer.writerow([f"2024-05-0{index + 1} 10:00", message, "https://ex.com" if link else ""])
    items = read_all(read_csv, out.getvalue(), "posts.csv")
    expected = [f"{m} https://ex.com" if link else m for m in messages]
    assert [post.text for _, post in items] == expected


@CI
@given(suffix=st.sampled_from(sorted(READERS)), text=garbage)
def test_whatever_a_reader_accepts_gets_a_verdict(checker: Checker, suffix: str,
                                                  text: str) -> None:
    items = read_all(READERS[suffix], text, f"posts{suffix}")
    for _, item in items:
        if isinstance(item, Post):
            check_valid(checker, item, publish_at=item.publish_at or PUBLISH_AT)


# --- the long fuzz: pytest -m slow tests/test_properties.py -------------------------------

@pytest.mark.slow
@SLOW
@given(text=hostile_text(), fields=post_fields, with_trends=st.booleans())
def test_fuzz_checker(checker: Checker, text: str, fields: dict, with_trends: bool) -> None:
    check_valid(checker, text, trends=SNAPSHOT if with_trends else None, **fields)


@pytest.mark.slow
@SLOW
@given(suffix=st.sampled_from(sorted(READERS)), text=garbage)
def test_fuzz_readers(checker: Checker, suffix: str, text: str) -> None:
    items = read_all(READERS[suffix], text, f"posts{suffix}")
    for _, item in items:
        if isinstance(item, Post):
            check_valid(checker, item, publish_at=item.publish_at or PUBLISH_AT)
