"""Replies to complaints: the labelled set per rule and language, and each check as a table."""

from __future__ import annotations

import importlib.util
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from safepost import Checker, InputError, Post
from safepost.config import Config
from safepost.families.replies import canonical, personal_data

ROOT = Path(__file__).parent.parent
MINIMUM = 0.9


def _bench():
    """Import bench/replies.py, which is a script, not part of the package."""
    spec = importlib.util.spec_from_file_location("bench_replies", ROOT / "bench" / "replies.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
SCORES = BENCH.evaluate()


def reply_rules(verdict) -> set[str]:
    """Return the ids of a verdict's reply findings."""
    return {f.rule for f in verdict.findings if f.rule.startswith("reply.")}


@pytest.mark.parametrize(("lang", "least"), [("en", 40), ("nb", 20), ("bg", 20)])
def test_the_labelled_set_is_large_enough(lang: str, least: int) -> None:
    cases = BENCH.load(BENCH.DATA / f"{lang}.jsonl")
    assert len(cases) >= least
    assert all(post.in_reply_to for post, _ in cases)
    assert any(not labels for _, labels in cases), "good replies belong in the set too"


@pytest.mark.parametrize("lang", ["en", "nb", "bg"])
def test_every_reply_rule_is_labelled_in_every_language(lang: str, checker: Checker) -> None:
    labelled = {rule for (code, rule), s in SCORES.items() if code == lang and s.tp + s.fn}
    assert labelled == {r.id for r in checker.rules(lang) if r.id.startswith("reply.")}


@pytest.mark.parametrize("key", sorted(SCORES), ids=[" ".join(key) for key in sorted(SCORES)])
def test_precision_and_recall(key: tuple[str, str]) -> None:
    score = SCORES[key]
    assert score.precision >= MINIMUM, score
    assert score.recall >= MINIMUM, score


COMPLAINT = "My order #48213 arrived broken."
GOOD = "So sorry it arrived broken! Please DM us and we'll send a new one today."


@pytest.mark.parametrize(
    ("text", "in_reply_to", "expected"),
    [
        (GOOD, COMPLAINT, set()),
        ("Please check our FAQ page.", COMPLAINT, {"reply.missing-acknowledgement",
                                                   "reply.missing-apology",
                                                   "reply.missing-private-channel"}),
        ("We hear you. Please DM us and we'll send a new one today.", COMPLAINT,
         {"reply.missing-apology"}),
        ("So sorry it arrived broken!", COMPLAINT,
         {"reply.missing-next-step", "reply.missing-private-channel"}),
        ("So sorry it arrived broken! We'll send a new one today.", COMPLAINT,
         {"reply.missing-private-channel"}),
        ("So sorry it arrived broken! Write to care@example.com and we'll send a new one.",
         COMPLAINT, set()),
        ("Sorry you feel that way. Please DM us.", COMPLAINT,
         {"reply.blame", "reply.missing-acknowledgement", "reply.missing-apology"}),
        ("So sorry! You should have received a tracking e-mail; we'll DM it to you now.",
         COMPLAINT, set()),
        ("Wow, what a shock 🙄 Please DM us and we'll send a new one.", COMPLAINT,
         {"reply.sarcasm", "reply.missing-acknowledgement", "reply.missing-apology"}),
        ("So sorry order #48213 arrived broken! DM us and we'll send a new one.", COMPLAINT,
         {"reply.personal-data"}),
        ("Thanks, glad you like it!", "Love the new menu!", set()),
    ],
    ids=[
        "a good reply gets no finding",
        "a brush-off lacks acknowledgement, apology and a private channel",
        "acknowledging is not apologising for a failure",
        "sympathy alone offers no next step",
        "an order problem needs a private channel",
        "an e-mail address of the brand is a private channel",
        "a non-apology is blame, not an apology",
        "an unless phrase cancels blame wording",
        "sarcasm is flagged",
        "the customer's order number is not repeated",
        "praise needs no acknowledgement of a problem",
    ],
)
def test_reply_checks(checker: Checker, text: str, in_reply_to: str, expected: set[str]) -> None:
    assert reply_rules(checker.check(text, lang="en", in_reply_to=in_reply_to)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, set()),
        ({"metadata": {"kind": "reply"}}, {"reply.blame"}),
        ({"in_reply_to": "The shirt doesn't fit."},
         {"reply.blame", "reply.missing-acknowledgement", "reply.missing-next-step"}),
    ],
    ids=["a post that answers nobody is no reply",
         "kind reply without the complaint: only checks that need no complaint",
         "in_reply_to makes a reply"],
)
def test_what_makes_a_reply(checker: Checker, fields: dict, expected: set[str]) -> None:
    verdict = checker.check("You should have read the size guide.", lang="en", **fields)
    assert reply_rules(verdict) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("write to anna.berg@example.com", ["anna.berg@example.com"]),
        ("order #4821 and ORD-48213", ["#4821", "ORD-48213"]),
        ("call +47 912 34 567 today", ["+47 912 34 567"]),
        ("reference 48213", ["48213"]),
        ("it cost 1 299,00 kr in 2026", []),
    ],
    ids=["e-mail", "order numbers", "phone", "bare reference", "prices and years are not personal"],
)
def test_personal_data_recognition(text: str, found: list[str]) -> None:
    assert [text[s:e] for _, (s, e) in personal_data(text)] == found


def test_a_phone_number_matches_without_its_country_code(checker: Checker) -> None:
    verdict = checker.check("Sorry! We'll call you on 912 34 567 today.", lang="en",
                            in_reply_to="Nobody calls back, my number is +47 912 34 567")
    assert reply_rules(verdict) == {"reply.personal-data"}


def test_canonical_text_ignores_case_punctuation_and_mentions() -> None:
    assert canonical("@anna Sorry, we'll FIX it!") == canonical("@bob sorry we'll fix it")


CANNED = "Hi there, we're so sorry for the delay! Please DM us and we'll look into it right away."


def test_a_reply_pasted_into_another_thread_is_canned() -> None:
    checker = Checker()
    posts = [Post(text=CANNED, lang="en", in_reply_to=c)
             for c in ("My order is late.", "The blender broke.", "My order is late.")]
    verdicts = list(checker.check_many(posts))
    assert ["reply.canned" in reply_rules(v) for v in verdicts] == [False, True, False]


def test_rechecking_a_queue_does_not_turn_its_first_reply_into_a_copy() -> None:
    checker = Checker()
    queue = [Post(id=str(i), text=CANNED, lang="en", in_reply_to=c)
             for i, c in enumerate(("My order is late.", "The blender broke."))]
    assert list(checker.recheck(queue, trends=None)) == []
    assert ["reply.canned" in reply_rules(v) for v in checker.check_many(queue)] == [False, True]


def test_short_replies_are_never_copies() -> None:
    checker = Checker()
    for complaint in ("My order is late.", "The blender broke."):
        verdict = checker.check("Sorry! DM us please.", lang="en", in_reply_to=complaint)
    assert "reply.canned" not in reply_rules(verdict)


def test_canned_memory_is_thread_safe() -> None:
    checker = Checker()
    checker.check("warm up", lang="en")
    complaints = [f"My order {n} is late." for n in range(16)]
    results: list[bool] = []
    lock = threading.Lock()

    def work(complaint: str) -> None:
        verdict = checker.check(CANNED, lang="en", in_reply_to=complaint)
        with lock:
            results.append("reply.canned" in reply_rules(verdict))

    threads = [threading.Thread(target=work, args=(c,)) for c in complaints]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] + [True] * 15


AT = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("complaint_at", "publish_at", "slow"),
    [
        (AT.isoformat(), AT + timedelta(hours=2), False),
        (AT.isoformat(), AT + timedelta(hours=2, seconds=1), True),
        (AT.isoformat(), datetime(2026, 3, 2, 9, 30, tzinfo=UTC), False),
        (AT.isoformat(), datetime(2026, 3, 2, 10, 30, tzinfo=UTC), True),
        ("2026-03-02T08:00:00Z", AT + timedelta(hours=1), False),
        (AT, AT + timedelta(hours=3), True),
    ],
    ids=["exactly on target", "a second late", "across time zones, in time",
         "across time zones, late", "Z suffix", "a datetime object"],
)
def test_response_time(checker: Checker, complaint_at, publish_at: datetime, slow: bool) -> None:
    verdict = checker.check(GOOD, lang="en", in_reply_to=COMPLAINT, publish_at=publish_at,
                            metadata={"complaint_at": complaint_at})
    assert ("reply.slow" in reply_rules(verdict)) is slow
    assert verdict.decision == "publish"


@pytest.mark.parametrize("value", ["yesterday", "2026-03-02T09:00:00"], ids=["not a time", "naive"])
def test_a_bad_complaint_time_is_an_input_error(checker: Checker, value: str) -> None:
    with pytest.raises(InputError) as error:
        checker.check(GOOD, lang="en", in_reply_to=COMPLAINT, metadata={"complaint_at": value})
    assert error.value.key == "metadata.complaint_at"


def test_a_team_sets_its_own_target_and_severity(tmp_path: Path) -> None:
    pack = tmp_path / "en" / "replies.yml"
    pack.parent.mkdir()
    pack.write_text(
        "family: reply\ncategory: tone\nrules:\n"
        "  - id: acme.reply-slow\n    kind: slow\n    severity: low\n    target: PT30M\n"
        "    message: 'Answered {term} hours after the complaint.'\n"
        "    examples:\n"
        "      flag: [{text: Hi, in_reply_to: Hey, publish_at: '2026-03-02T10:00:00Z',"
        " metadata: {complaint_at: '2026-03-02T09:00:00Z'}}]\n"
        "      pass: [{text: Hi, in_reply_to: Hey, publish_at: '2026-03-02T09:10:00Z',"
        " metadata: {complaint_at: '2026-03-02T09:00:00Z'}}]\n", encoding="utf-8")
    config = Config(packs=[tmp_path], disable=["reply.slow"],
                    severity={"acme.reply-slow": "medium"})
    verdict = Checker(config).check(GOOD, lang="en", in_reply_to=COMPLAINT,
                                    publish_at=datetime(2026, 3, 2, 9, 45, tzinfo=UTC),
                                    metadata={"complaint_at": "2026-03-02T09:00:00Z"})
    assert reply_rules(verdict) == set()
    assert [(f.rule, f.severity) for f in verdict.findings] == [("acme.reply-slow", "medium")]
    assert verdict.decision == "review"


@pytest.mark.parametrize("lang", ["en", "nb", "bg"])
def test_every_reply_rule_says_what_a_good_reply_does_and_gives_wording(
        checker: Checker, lang: str) -> None:
    specs = [r.spec for r in checker.rules(lang) if r.id.startswith("reply.")]
    assert len(specs) == 9
    assert all(s.suggestion and s.explain for s in specs)


@pytest.mark.parametrize(
    ("text", "decision"),
    [(GOOD, "publish"), ("Please DM us and we'll send a new one.", "review"),
     ("Your fault, you should have checked it.", "hold")],
    ids=["good reply publishes", "missing pieces go to review", "blame is held"],
)
def test_decisions(checker: Checker, text: str, decision: str) -> None:
    assert checker.check(text, lang="en", in_reply_to=COMPLAINT).decision == decision
