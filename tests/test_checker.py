"""The Checker on real-looking posts: spans point at the original text, whatever the disguise."""

from __future__ import annotations

import pytest
from conftest import rule_ids

from safepost import Checker, Post, RuleError, check
from safepost.config import Config


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        pytest.param("What the f*ck is this", "f*ck", id="a masked letter"),
        pytest.param("What the f**k is this", "f**k", id="two masked letters"),
        pytest.param("What the fu\u0441k is this", "fu\u0441k", id="a Cyrillic letter inside"),
        pytest.param("What the fu\u200dck is this", "fu\u200dck", id="a zero-width joiner inside"),
        pytest.param("What the ｆｕｃｋ is this", "ｆｕｃｋ", id="fullwidth letters"),
        pytest.param("What the f u c k is this", "f u c k", id="letters spaced apart"),
        pytest.param("What the f.u.c.k is this", "f.u.c.k", id="letters with dots"),
        pytest.param("What the fuuuuuck is this", "fuuuuuck", id="stretched letters"),
        pytest.param("What the fuc\u0301k is this", "fuc\u0301k", id="an accent on a letter"),
        pytest.param("What the f\u00fcck is this", "f\u00fcck", id="an umlaut on a letter"),
        pytest.param("What the phuck is this", None, id="a sound-alike is not claimed"),
    ],
)
def test_profanity_is_found_through_disguises(
    checker: Checker, text: str, matched: str | None
) -> None:
    verdict = checker.check(text, lang="en")
    profanity = [f for f in verdict.findings if f.category == "profanity"]
    if matched is None:
        assert profanity == []
        return
    assert [(f.rule, f.matched) for f in profanity] == [("profanity.fuck", matched)]
    start, end = profanity[0].span
    assert text[start:end] == matched
    assert verdict.decision == "hold"
    assert verdict.risk == "high"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Shoot us a DM and we'll sort it out", id="shoot us a DM"),
        pytest.param(
            "Check https://example.com/fuck-this-shit for details", id="words inside a link"
        ),
        pytest.param("Thanks @shitake_lover for the photo", id="words inside a mention"),
        pytest.param("Shiitake risotto is back", id="a word that contains a profane one"),
    ],
)
def test_harmless_posts_publish(checker: Checker, text: str) -> None:
    verdict = checker.check(text, lang="en")
    assert (verdict.decision, verdict.findings) == ("publish", [])


def test_context_changes_severity(checker: Checker) -> None:
    sympathy = checker.check("Our thoughts are with everyone affected by the shooting.", lang="en")
    promo = checker.check("Flash sale while the gunman is still at large! 20% off", lang="en")
    assert [(f.rule, f.severity) for f in sympathy.findings] == [("topic.mass-violence", "low")]
    assert [(f.rule, f.severity) for f in promo.findings] == [("topic.mass-violence", "critical")]
    assert (sympathy.decision, promo.decision) == ("publish", "hold")


def test_verdict_shape(checker: Checker) -> None:
    verdict = checker.check(Post(text="This is fucking great", id="p-1", lang="en"))
    assert verdict.post_id == "p-1"
    assert verdict.lang == "en"
    assert verdict.trend_status == "none"
    assert verdict.version == "0.1.0"
    assert 0 < verdict.score <= 100
    finding = verdict.findings[0]
    assert finding.model_dump() == {
        "rule": "profanity.fuck", "category": "profanity", "severity": "high",
        "message": "“fucking” is profanity; a brand account should not publish it.",
        "span": (8, 15), "matched": "fucking", "evidence": [],
        "suggestion": "Remove the word, or say what you mean without it.",
    }


def test_keyword_fields_override_the_post(checker: Checker) -> None:
    verdict = checker.check(Post(text="Hello", id="a"), id="b", lang="en")
    assert verdict.post_id == "b"


def test_module_level_check_reuses_one_checker() -> None:
    assert check("What the f*ck", lang="en").decision == "hold"
    assert check("What a lovely day", lang="en").decision == "publish"


def test_check_many_keeps_input_order_across_languages(checker: Checker) -> None:
    texts = ["Lovely day", "What the f*ck", "Lovely day again"] * 50
    verdicts = list(checker.check_many(Post(text=t, lang="en") for t in texts))
    assert [v.decision for v in verdicts] == ["publish", "hold", "publish"] * 50


def test_a_failing_rule_fails_the_check_naming_the_rule() -> None:
    from safepost import hookimpl
    from safepost.families.terms import TermRule

    class Broken(TermRule):
        family = "broken"

        def check(self, analysis):
            raise ZeroDivisionError("division by zero")

    class Plugin:
        @hookimpl
        def register_rule_families(self, register):
            register(Broken)

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        pack = Path(folder) / "broken.yml"
        pack.write_text(
            "family: broken\ncategory: policy\nrules:\n  - id: policy.broken\n    severity: low\n"
            "    message: m\n    match: [x]\n    examples: {flag: [x], pass: [y]}\n", "utf-8")
        checker = Checker(Config(packs=[pack]), plugins=[Plugin()])
        with pytest.raises(RuleError) as caught:
            checker.check("anything", lang="en")
    assert str(caught.value) == (
        "policy.broken: rule policy.broken failed: ZeroDivisionError: division by zero"
    )


def test_disable_and_severity_overrides() -> None:
    config = Config(disable=["profanity"], enable=["profanity.shit"],
                    severity={"profanity.shit": "critical"})
    verdict = Checker(config).check("Fucking shit", lang="en")
    assert [(f.rule, f.severity) for f in verdict.findings] == [("profanity.shit", "critical")]


def test_suppression_moves_a_finding_aside_with_its_reason(checker: Checker) -> None:
    ignore = {"rule": "profanity.fuck", "reason": "quote from a review"}
    post = Post(text="This is fucking great", lang="en", metadata={"safepost_ignore": [ignore]})
    verdict = checker.check(post)
    assert verdict.findings == []
    assert [(s.rule, s.reason) for s in verdict.suppressed] == [
        ("profanity.fuck", "quote from a review")
    ]
    assert verdict.decision == "publish"


def test_a_checker_is_safe_to_share_between_threads(checker: Checker) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Post {i}: what the f*ck" if i % 3 == 0 else f"Post {i}: lovely" for i in range(300)]
    sequential = [checker.check(t, lang="en") for t in texts]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda t: checker.check(t, lang="en"), texts))
    assert parallel == sequential
    assert rule_ids(parallel[0]) == ["profanity.fuck"]


def _recording_family(family: str, asked: list[str], **attributes: object) -> object:
    """Return a plugin with a rule family that notes each post it is asked about, and flags it."""
    from safepost import hookimpl
    from safepost.rule import Rule

    def check(self, analysis):
        asked.append(analysis.text)
        yield self.finding(analysis)

    rule = type("Recording", (Rule,), {"family": family, "check": check, **attributes})

    class Plugin:
        @hookimpl
        def register_rule_families(self, register):
            register(rule)

    return Plugin()


def test_a_rule_needing_an_owner_prefix_runs_only_when_an_owner_below_it_matched(
        tmp_path) -> None:
    seen: list[str] = []
    plugin = _recording_family("watch", seen, needs=("acme",))
    terms = tmp_path / "terms.yml"
    examples = "    examples: {flag: [Better than fizzcola], pass: [Plain water]}\n"
    terms.write_text("family: terms\ncategory: policy\nrules:\n  - id: acme.rival\n"
                     "    severity: low\n    message: m\n    match: [fizzcola]\n" + examples,
                     "utf-8")
    watch = tmp_path / "watch.yml"
    watch.write_text("family: watch\ncategory: policy\nrules:\n  - id: policy.watch\n"
                     "    severity: low\n    message: rival named\n" + examples, "utf-8")
    checker = Checker(Config(packs=[terms, watch]), plugins=[plugin])
    verdicts = list(checker.check_many(
        [Post(text="Better than fizzcola", lang="en"), Post(text="Plain water", lang="en")]))
    assert seen == ["Better than fizzcola"]
    assert [sorted(rule_ids(v)) for v in verdicts] == [["acme.rival", "policy.watch"], []]


def test_the_checker_never_asks_a_rule_that_does_not_report(tmp_path) -> None:
    asked: list[str] = []
    plugin = _recording_family("quiet", asked, reports=False)
    quiet = tmp_path / "quiet.yml"
    quiet.write_text("family: quiet\ncategory: policy\nrules:\n  - id: policy.quiet\n"
                     "    severity: high\n    message: never said\n"
                     "    examples: {flag: [Fresh coffee], pass: [Plain water]}\n", "utf-8")
    checker = Checker(Config(packs=[quiet]), plugins=[plugin])
    verdict = checker.check("Fresh coffee, every morning.", lang="en")
    assert asked == []
    assert "policy.quiet" not in rule_ids(verdict)
    assert "policy.quiet" in [rule.id for rule in checker.rules("en")]


_CACHED_POSTS = [
    "Who's #notguilty about eating all the tasty treats they want?!",
    "Tell us #WhyILoveAcme for a chance to win",
    "This is f*cking brilliant, 20% off today only",
    "s h i t happens, but our coffee doesn't",
    "Ring Kari på 91 23 45 67",
    "Got a question? Tweet it with #AskAcme",
]


@pytest.mark.parametrize("limit", ["safepost.matcher._MAX_LEXES",
                                   "safepost.families.pattern._MAX_TESTED"])
def test_a_full_cache_never_changes_a_verdict(checker: Checker, monkeypatch, limit) -> None:
    expected = [rule_ids(v) for v in checker.check_many(_CACHED_POSTS * 3)]
    monkeypatch.setattr(limit, 3)
    small = [rule_ids(v) for v in Checker().check_many(_CACHED_POSTS * 3)]
    assert small == expected
    assert any(ids for ids in expected[:len(_CACHED_POSTS)])
