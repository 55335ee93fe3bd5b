"""The tone, disclosure, dates, privacy and compliance families beyond their pack examples."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from safepost import Checker, PackError, Post
from safepost.config import Config
from safepost.families.dates import DayRule
from safepost.families.tone import ToneRule, ToneSpec
from safepost.matcher import PhraseCompiler
from safepost.nlp import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "examples" / "policy"
QUIET_DAY = "2026-04-14T10:00:00Z"  # no sensitive date anywhere
TONE = ("tone.shouting", "tone.punctuation")  # hostile wording (tone.*) is another pack's
BURIED = [("disclosure.buried", "medium")]


def findings(checker: Checker, text: str, prefix: str | tuple[str, ...],
             **fields: Any) -> list[tuple[str, str]]:
    """Return (rule, severity) of the findings whose rule id starts with `prefix`."""
    fields.setdefault("lang", "en")
    fields.setdefault("publish_at", QUIET_DAY)
    verdict = checker.check(text, **fields)
    return [(f.rule, f.severity) for f in verdict.findings if f.rule.startswith(prefix)]


def matched(checker: Checker, text: str, rule: str, **fields: Any) -> list[str | None]:
    """Return the matched text of each finding of one rule."""
    fields.setdefault("lang", "en")
    fields.setdefault("publish_at", QUIET_DAY)
    return [f.matched for f in checker.check(text, **fields).findings if f.rule == rule]


# ---------------------------------------------------------------------------------- tone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("THIS IS THE BIGGEST SALE OF THE YEAR", [("tone.shouting", "low")],
                     id="a sentence in capitals shouts"),
        pytest.param("NEW", [], id="one short word is not shouting"),
        pytest.param("SALE NOW ON", [], id="fewer letters than the minimum never shout"),
        pytest.param("Made in the USA, tested by NASA, loved by the FBI", [],
                     id="acronyms that stand alone do not count"),
        pytest.param("NEW! Our BIG autumn menu is HERE", [], id="a few capital words are emphasis"),
        pytest.param("#BIGSALE #SUMMERVIBES #THISISHUGE with @NASA today", [],
                     id="hashtags and mentions do not count"),
        pytest.param("WE LOVE OUR CUSTOMERS and our staff", [("tone.shouting", "low")],
                     id="short words inside a run of capitals count"),
        pytest.param("ДНЕС ВСИЧКО В МАГАЗИНА Е НАМАЛЕНО", [("tone.shouting", "low")],
                     id="Cyrillic capitals shout too"),
        pytest.param("Our summer menu is here!!!", [("tone.punctuation", "low")],
                     id="three exclamation marks pile up"),
        pytest.param("Our summer menu is here!!", [], id="two marks are below the run length"),
        pytest.param("Wait, what?!?!", [("tone.punctuation", "low")], id="mixed marks pile up"),
        pytest.param("Ready?!", [], id="an interrobang pair is fine"),
        pytest.param("Go to https://example.com/search?q=wow!!!&p=2 now", [],
                     id="marks inside a link do not count"),
    ],
)
def test_tone(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(checker, text, TONE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("WE ALREADY TOLD YOU THE STORE IS CLOSED", [("tone.shouting", "medium")],
                     id="shouting in a reply is one step higher"),
        pytest.param("Sorry to hear that!!!", [("tone.punctuation", "medium")],
                     id="a pile-up in a reply is one step higher"),
    ],
)
def test_tone_in_a_reply(checker: Checker, text: str, expected: list[tuple[str, str]]) -> None:
    assert findings(checker, text, TONE, in_reply_to="Why was the store closed?") == expected


def tone_rule(**fields: Any) -> ToneRule:
    """Build a tone rule from a spec with the given fields."""
    spec = ToneSpec.model_validate({
        "id": "tone.test", "category": "tone", "severity": "low", "message": "{matched}",
        "examples": {"flag": ["x"], "pass": ["y"]}, **fields})
    return ToneRule(spec, "en", PhraseCompiler(build_pipeline("en")))


@pytest.mark.parametrize(
    ("fields", "text", "fires"),
    [
        pytest.param({"kind": "shouting"}, "HALF OF THIS POST is in capitals", False,
                     id="half in capitals is under the default 0.6"),
        pytest.param({"kind": "shouting", "threshold": 0.4}, "HALF OF THIS POST is in capitals",
                     True, id="a lower threshold catches it"),
        pytest.param({"kind": "shouting", "min_letters": 3}, "SALE NOW ON", True,
                     id="a lower letter minimum catches short shouts"),
        pytest.param({"kind": "shouting", "max_acronym": 0}, "Visit NASA and ESA and JPL", False,
                     id="acronyms in a minority still stay under the threshold"),
        pytest.param({"kind": "shouting"}, "NASA and ESA", False,
                     id="short acronyms do not count by default"),
        pytest.param({"kind": "shouting", "min_letters": 3, "max_acronym": 0}, "NASA and ESA",
                     True, id="with no acronym allowance they do"),
        pytest.param({"kind": "punctuation", "run": 2}, "Hello!!", True,
                     id="a shorter run length catches two marks"),
        pytest.param({"kind": "punctuation", "run": 4}, "Hello!!!", False,
                     id="a longer run length lets three marks pass"),
    ],
)
def test_tone_settings(checker: Checker, fields: dict[str, Any], text: str, fires: bool) -> None:
    rule = tone_rule(**fields)
    assert rule.fires(checker.analyse(Post(text=text, lang="en"))) is fires


# ---------------------------------------------------------------------------- disclosure

AT_130 = "Morning run done and I am still smiling, these shoes are light and the grip is great " \
         "on wet roads, they look good with all I own, "
LATE_AD = AT_130 + "#ad and that is that."


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        pytest.param("instagram", BURIED, id="instagram folds at 125"),
        pytest.param("Instagram", BURIED, id="channel names ignore case"),
        pytest.param("tiktok", BURIED, id="tiktok folds at 100"),
        pytest.param("linkedin", [], id="linkedin folds at 140"),
        pytest.param("facebook", [], id="facebook folds at 477"),
        pytest.param("x", [], id="x shows the whole post"),
        pytest.param(None, BURIED, id="no channel uses the default fold"),
        pytest.param("myspace", BURIED,
                     id="an unknown channel uses the default fold"),
    ],
)
def test_disclosure_fold_per_channel(checker: Checker, channel: str | None,
                                     expected: list[tuple[str, str]]) -> None:
    assert LATE_AD.index("#ad") + 3 == len(AT_130) + 3 == 133
    assert findings(checker, LATE_AD, "disclosure.", sponsored=True, channel=channel) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Love these shoes! #running #fitness #ad", BURIED,
                     id="the last of three closing hashtags"),
        pytest.param("Love these shoes! #running #ad #fitness #style", BURIED,
                     id="inside a closing cluster"),
        pytest.param("Love these shoes! @fleetfoot https://fleetfoot.example #ad",
                     BURIED, id="mentions and links make a cluster"),
        pytest.param("Love these shoes! #running 🏃 #fitness ✨ #ad 🙌", BURIED,
                     id="emoji do not break a cluster"),
        pytest.param("Love these shoes! #running, #fitness; #ad", BURIED,
                     id="punctuation does not break a cluster"),
        pytest.param("Love these shoes! #fitness #ad", [], id="two closing tags are no cluster"),
        pytest.param("Love these shoes! #running #fitness #ad and thanks for reading", [],
                     id="words after the tags end the cluster"),
        pytest.param("#ad Love these shoes! #running #fitness #style #ad", [],
                     id="one disclosure in plain sight is enough"),
        pytest.param("Love these shoes, #ad", [], id="a short post with the tag at the end"),
    ],
)
def test_disclosure_buried_in_a_cluster(checker: Checker, text: str,
                                        expected: list[tuple[str, str]]) -> None:
    assert findings(checker, text, "disclosure.", sponsored=True, channel="x") == expected


@pytest.mark.parametrize(
    ("text", "weak"),
    [
        pytest.param("#sp New shoes from @fleetfoot", "#sp", id="#sp"),
        pytest.param("#spon New shoes from @fleetfoot", "#spon", id="#spon"),
        pytest.param("New shoes from @fleetfoot #partner", "#partner", id="#partner"),
        pytest.param("Thanks @fleetfoot for the shoes", "Thanks @fleetfoot", id="thanks @brand"),
        pytest.param("Thanks, @fleetfoot, for the shoes", "Thanks, @fleetfoot",
                     id="thanks, @brand"),
        pytest.param("Big thanks to @fleetfoot for the shoes", "Big thanks to @fleetfoot",
                     id="big thanks to @brand"),
        pytest.param("My collab with @fleetfoot is live", "collab", id="collab"),
    ],
)
def test_disclosure_weak_forms(checker: Checker, text: str, weak: str) -> None:
    assert findings(checker, text, "disclosure.", sponsored=True) == [("disclosure.weak", "medium")]
    assert matched(checker, text, "disclosure.weak", sponsored=True) == [weak]


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        pytest.param("Thanks everyone for the love", {"sponsored": True},
                     [("disclosure.missing", "high")],
                     id="a thank-you without a mention is no disclosure"),
        pytest.param("#ad #sp Thanks @fleetfoot", {"sponsored": True}, [],
                     id="a clear disclosure makes weak ones harmless"),
        pytest.param("#sp Thanks @fleetfoot, #ad", {"sponsored": False}, [],
                     id="a post that is not sponsored is never checked"),
        pytest.param("New shoes, so comfy", {"sponsored": False}, [],
                     id="no disclosure needed without sponsorship"),
        pytest.param("#PaidPartnership with @fleetfoot", {"sponsored": True}, [],
                     id="a disclosure phrase written as one hashtag"),
        pytest.param("#ad Elsker de nye skoene fra @fjellfot", {"sponsored": True, "lang": "nb"},
                     [("disclosure.weak", "medium")], id="an English tag is weak in Norwegian"),
        pytest.param("Reklame: elsker de nye skoene fra @fjellfot",
                     {"sponsored": True, "lang": "nb"}, [], id="reklame is clear in Norwegian"),
        pytest.param("Платено партньорство с @бързикрак", {"sponsored": True, "lang": "bg"}, [],
                     id="платено партньорство is clear in Bulgarian"),
        pytest.param("Спонсорирана публикация от @бързикрак", {"sponsored": True, "lang": "bg"}, [],
                     id="a Bulgarian stem covers the inflected form"),
    ],
)
def test_disclosure_cases(checker: Checker, text: str, fields: dict[str, Any],
                          expected: list[tuple[str, str]]) -> None:
    assert findings(checker, text, "disclosure.", **fields) == expected


# --------------------------------------------------------------------------------- dates

SALE = "Fall sale: 20% off all jackets"


def test_disclosure_hashtag_before_punctuation(checker: Checker) -> None:
    found = findings(checker, "Love these shoes #ad!", "disclosure.", sponsored=True, channel="x")
    assert found == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        pytest.param("Love these shoes #ad.", "en", id="a full stop after the tag"),
        pytest.param("Love these shoes (#ad)", "en", id="the tag in brackets"),
        pytest.param("#ad, love these shoes", "en", id="a comma after the tag"),
        pytest.param("Love these shoes #ad!!", "en", id="two exclamation marks after the tag"),
        pytest.param("Elsker de nye skoene #reklame!", "nb", id="a Norwegian tag before a !"),
        pytest.param("Elsker de nye skoene (#betaltsamarbeid).", "nb",
                     id="a Norwegian tag in brackets"),
        pytest.param("Обожавам новите обувки #реклама!", "bg", id="a Cyrillic tag before a !"),
        pytest.param("Обожавам новите обувки (#спонсорирано).", "bg",
                     id="a Cyrillic tag in brackets"),
    ],
)
def test_disclosure_tag_before_punctuation_in_every_language(
        checker: Checker, text: str, lang: str) -> None:
    assert findings(checker, text, "disclosure.", sponsored=True, channel="x", lang=lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "token"),
    [
        pytest.param("en", "Love these shoes #ad!", "#ad", id="hashtag before !"),
        pytest.param("en", "Thanks (@brand)!", "@brand", id="mention in brackets"),
        pytest.param("en", "Thanks @brand!", "@brand", id="mention before !"),
        pytest.param("bg", "Честит празник #България.", "#България", id="Cyrillic hashtag"),
        pytest.param("nb", "Sommer på #Blåbærtur, i dag!", "#Blåbærtur", id="hashtag with æøå"),
        pytest.param("nb", "God tur (#fjelltur)", "#fjelltur", id="Norwegian hashtag in brackets"),
    ],
)
def test_tags_and_mentions_stay_whole(checker: Checker, lang: str, text: str, token: str) -> None:
    doc = checker.analyse(Post(text=text, lang=lang)).doc
    assert token in [t.text for t in doc]


@pytest.mark.parametrize(
    ("publish_at", "region", "expected"),
    [
        pytest.param("2026-09-10T23:30:00Z", "US", [], id="19:30 on 10 September in New York"),
        pytest.param("2026-09-11T03:59:00Z", "US", [], id="23:59 on 10 September in New York"),
        pytest.param("2026-09-11T04:00:00Z", "US", [("dates.september-11", "high")],
                     id="midnight on 11 September in New York"),
        pytest.param("2026-09-12T03:59:00Z", "US", [("dates.september-11", "high")],
                     id="23:59 on 11 September in New York"),
        pytest.param("2026-09-12T04:00:00Z", "US", [], id="midnight on 12 September in New York"),
        pytest.param("2026-09-10T23:30:00Z", "GB", [("dates.september-11", "medium")],
                     id="00:30 on 11 September in London, elsewhere severity"),
        pytest.param("2026-09-10T09:59:00Z", None, [],
                     id="no region: before 11 September begins at UTC+14"),
        pytest.param("2026-09-10T10:00:00Z", None, [("dates.september-11", "medium")],
                     id="no region: 11 September has begun at UTC+14"),
        pytest.param("2026-09-12T11:59:00Z", None, [("dates.september-11", "medium")],
                     id="no region: 11 September still runs at UTC-12"),
        pytest.param("2026-09-12T12:00:00Z", None, [],
                     id="no region: 11 September is over everywhere"),
        pytest.param("2026-09-11T12:00:00Z", "CN", [("dates.september-11", "medium")],
                     id="a region without a time zone reads the day anywhere on Earth"),
    ],
)
def test_dates_across_time_zones(checker: Checker, publish_at: str, region: str | None,
                                 expected: list[tuple[str, str]]) -> None:
    assert findings(checker, SALE, "dates.", publish_at=publish_at, region=region) == expected


@pytest.mark.parametrize(
    ("text", "publish_at", "region", "expected"),
    [
        pytest.param(SALE, "2026-07-21T22:30:00Z", "NO", [("dates.norway-22-july", "high")],
                     id="00:30 on 22 July in Oslo"),
        pytest.param(SALE, "2026-07-22T10:00:00Z", None, [],
                     id="a national day does not apply without a region"),
        pytest.param(SALE, "2026-07-22T10:00:00Z", "SE", [], id="nor in a neighbouring country"),
        pytest.param(SALE, "2026-05-25T15:00:00Z", "US", [("dates.memorial-day", "medium")],
                     id="Memorial Day 2026 is 25 May"),
        pytest.param(SALE, "2027-05-31T15:00:00Z", "US", [("dates.memorial-day", "medium")],
                     id="Memorial Day 2027 is 31 May"),
        pytest.param(SALE, "2027-05-25T15:00:00Z", "US", [], id="25 May 2027 is a Tuesday"),
        pytest.param("9/11 deals: 20% off everything", "2026-03-01T12:00:00Z", "NO",
                     [("dates.september-11", "critical")], id="selling with 9/11 at any time"),
        pytest.param("#NeverForget 20% off all flags", "2026-03-01T12:00:00Z", None,
                     [("dates.september-11", "critical")], id="selling with #NeverForget"),
        pytest.param("We will never forget. Today we remember.", "2026-09-11T14:00:00Z", "US", [],
                     id="a respectful post on the day"),
        pytest.param("Remembering 9/11, 25 years on.", "2026-09-11T14:00:00Z", "US", [],
                     id="naming the day without selling"),
        pytest.param("Man up and try our hottest wings", "2026-03-08T12:00:00Z", None,
                     [("dates.womens-day", "critical")], id="sexist wording on Women's Day"),
        pytest.param("Man up and try our hottest wings", "2026-03-09T12:00:00Z", "NO", [],
                     id="the same wording the day after"),
        pytest.param("Spring sale: 20% off", "2026-03-08T12:00:00Z", None, [],
                     id="an ordinary sale on Women's Day"),
        pytest.param("Women's Day special: 20% off", "2026-07-01T12:00:00Z", None,
                     [("dates.womens-day", "medium")], id="selling with Women's Day"),
    ],
)
def test_dates_cases(checker: Checker, text: str, publish_at: str, region: str | None,
                     expected: list[tuple[str, str]]) -> None:
    assert findings(checker, text, "dates.", publish_at=publish_at, region=region) == expected


@pytest.mark.parametrize(
    ("rule", "year", "day"),
    [
        pytest.param("09-11", 2026, date(2026, 9, 11), id="a fixed day"),
        pytest.param("last Monday of May", 2026, date(2026, 5, 25), id="the last Monday of May"),
        pytest.param("last monday of may", 2027, date(2027, 5, 31), id="any case"),
        pytest.param("second Sunday of November", 2026, date(2026, 11, 8), id="the second Sunday"),
        pytest.param("first Monday of September", 2026, date(2026, 9, 7), id="the first Monday"),
        pytest.param("fourth Thursday of November", 2026, date(2026, 11, 26),
                     id="the fourth Thursday"),
    ],
)
def test_day_rules(rule: str, year: int, day: date) -> None:
    assert DayRule.parse(rule).on(year) == day


@pytest.mark.parametrize("rule", ["02-29", "13-01", "9/11", "fifth Monday of May",
                                  "last Funday of May", "May 25"])
def test_day_rules_refuse_what_is_not_a_yearly_day(rule: str) -> None:
    with pytest.raises(ValueError):
        DayRule.parse(rule)


WINDOW_PACK = """family: dates
category: sensitive_date
rules:
  - id: dates.launch-anniversary
    title: the launch anniversary
    date: "06-10"
    regions: ["NO"]
    severity: high
    window: {before: 12h, after: 1d}
    timezones: {"NO": Europe/Oslo}
    message: "Not on {term}."
    examples:
      flag: [{text: "Sale now on", region: "NO", publish_at: "2026-06-10T10:00:00Z"}]
      pass: [{text: "Sale now on", region: "NO", publish_at: "2026-06-20T10:00:00Z"}]
"""


@pytest.fixture(scope="module")
def window_checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    pack = tmp_path_factory.mktemp("dates") / "window.yml"
    pack.write_text(WINDOW_PACK, encoding="utf-8")
    return Checker(Config(packs=[pack]))


@pytest.mark.parametrize(
    ("publish_at", "fires"),
    [
        pytest.param("2026-06-09T09:59:00Z", False, id="12h01 before the day in Oslo"),
        pytest.param("2026-06-09T10:00:00Z", True, id="12h before the day in Oslo"),
        pytest.param("2026-06-11T21:59:00Z", True, id="a minute less than a day after the day"),
        pytest.param("2026-06-11T22:00:00Z", False, id="a day after the day ends in Oslo"),
    ],
)
def test_dates_window_edges(window_checker: Checker, publish_at: str, fires: bool) -> None:
    found = findings(window_checker, "Sale now on", "dates.launch", publish_at=publish_at,
                     region="NO")
    assert found == ([("dates.launch-anniversary", "high")] if fires else [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(('date: "06-10"', 'date: "06-31"'),
                     "window.yml:6: rules[0].date: Value error, '06-31' is not a day that "
                     "every year has",
                     id="a day that does not exist"),
        pytest.param(("Europe/Oslo", "Europe/Osloo"),
                     "window.yml:10: rules[0].timezones: Value error, NO: unknown time zone "
                     "'Europe/Osloo'; use an IANA name such as America/New_York",
                     id="an unknown time zone"),
        pytest.param(("before: 12h", "before: soon"),
                     "window.yml:9: rules[0].window.before: Value error, 'soon' is not a duration; "
                     "write hours or days, e.g. 12h or 2d",
                     id="a window that is not a duration"),
    ],
)
def test_dates_pack_errors(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    pack = tmp_path / "window.yml"
    pack.write_text(WINDOW_PACK.replace(*change), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        Checker(Config(packs=[pack]))
    assert str(caught.value).replace(str(tmp_path) + "/", "").startswith(message)


# ------------------------------------------------------------------------------- privacy


@pytest.mark.parametrize(
    ("text", "rule", "found"),
    [
        pytest.param("Call Ola on +47 912 34 567", "privacy.phone", "+47 912 34 567",
                     id="an international number"),
        pytest.param("Jane's number is +1 (555) 123-4567", "privacy.phone", "+1 (555) 123-4567",
                     id="an international number with brackets"),
        pytest.param("Reach Jane on 555-123-4567", "privacy.phone", "555-123-4567",
                     id="a North American number"),
        pytest.param("Мария: 0888 123 456", "privacy.phone", "0888 123 456",
                     id="a number with a trunk zero"),
        pytest.param("Kari har 91 23 45 67", "privacy.phone", "91 23 45 67",
                     id="a Norwegian number"),
        pytest.param("tel. 91234567", "privacy.phone", "tel. 91234567",
                     id="digits after a phone word"),
        pytest.param("Order #12345678 ships today", "privacy.order-number", "Order #12345678",
                     id="an order number"),
        pytest.param("Re: order number ORD-48213", "privacy.order-number", "order number ORD-48213",
                     id="an order reference with letters"),
        pytest.param("Credited to account 1234-5678", "privacy.account-number", "account 1234-5678",
                     id="an account number"),
        pytest.param("Card 4111-1111-1111-1111 declined", "privacy.account-number",
                     "4111-1111-1111-1111", id="a card number"),
        pytest.param("Card 4111111111111111 declined", "privacy.account-number", "4111111111111111",
                     id="a card number without spaces"),
        pytest.param("IBAN GB29 NWBK 6016 1331 9268 19", "privacy.account-number",
                     "GB29 NWBK 6016 1331 9268 19", id="an IBAN"),
    ],
)
def test_privacy_finds(checker: Checker, text: str, rule: str, found: str) -> None:
    assert matched(checker, text, rule) == [found]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Was $1,299.99, now $999.99", id="prices"),
        pytest.param("Now 1 299 kr, was 12 999 kr", id="prices with spaces"),
        pytest.param("Serving you since 1999, 2001-2024 and beyond", id="years"),
        pytest.param("See you on 09/11/2026 or 2026-09-11", id="dates"),
        pytest.param("Open 24/7, 10:30-22:45", id="24/7 and opening hours"),
        pytest.param("Over 10 000 000 downloads and 1,000,000 reviews", id="big counts"),
        pytest.param("Call us free on 1-800-555-0199 or 0800 123 4567", id="toll-free numbers"),
        pytest.param("We're #1 for 2024, and #12 in Europe", id="rankings"),
        pytest.param("In case 2024 wasn't enough", id="a year after an order word"),
        pytest.param("Our account team is here for you", id="an account word without a number"),
    ],
)
def test_privacy_leaves_alone(checker: Checker, text: str) -> None:
    assert findings(checker, text, "privacy.") == []


@pytest.mark.parametrize(
    ("text", "found", "fields"),
    [
        pytest.param("We wrote to jane.doe@gmail.com", ["jane.doe@gmail.com"], {},
                     id="a customer's address in a post"),
        pytest.param("Sorry Jo, we've e-mailed jo.smith@example.org", ["jo.smith@example.org"],
                     {"in_reply_to": "My email is jo.smith@example.org, nobody answers!"},
                     id="a customer's address repeated in a reply"),
        pytest.param("Write to anna.berg@acme.com, our buyer", ["anna.berg@acme.com"], {},
                     id="a named address on the brand's own domain"),
        pytest.param("Mail <mailto:kari.nordmann@online.no>", ["kari.nordmann@online.no"], {},
                     id="an address inside a mailto link"),
        pytest.param("Kontakt kari.nordmann@online.no i dag", ["kari.nordmann@online.no"],
                     {"lang": "nb"}, id="in Norwegian"),
        pytest.param("Questions? support@acme.com or billing@acme.com", [], {},
                     id="the brand's role addresses"),
        pytest.param("Read https://medium.com/@jane.doe/our-story and follow @jane.doe", [], {},
                     id="a link with an @ and a mention are not addresses"),
    ],
)
def test_privacy_email(checker: Checker, text: str, found: list[str], fields: dict) -> None:
    verdict = checker.check(text, publish_at=QUIET_DAY, **{"lang": "en", **fields})
    emails = [f for f in verdict.findings if f.rule == "privacy.email"]
    assert [f.matched for f in emails] == found
    for finding in emails:
        assert text[finding.span[0]:finding.span[1]] == finding.matched
        assert (finding.category, finding.severity) == ("privacy", "medium")
    if found and "in_reply_to" not in fields:
        assert verdict.decision == "review"


def test_a_reply_repeating_the_customers_address_is_held(checker: Checker) -> None:
    verdict = checker.check("Sorry Jo, we've e-mailed jo.smith@example.org", lang="en",
                            in_reply_to="My email is jo.smith@example.org, nobody answers!",
                            publish_at=QUIET_DAY)
    assert [(f.rule, f.severity) for f in verdict.findings] == [
        ("reply.personal-data", "high"), ("privacy.email", "medium")]
    assert verdict.decision == "hold"


def test_an_address_is_still_never_matched_as_words(checker: Checker) -> None:
    verdict = checker.check("Write to shitake.fan@gmail.com or see https://x.com/fuck-this",
                            lang="en", publish_at=QUIET_DAY)
    assert [(f.rule, f.matched) for f in verdict.findings] == [
        ("privacy.email", "shitake.fan@gmail.com")]


def test_privacy_email_can_be_switched_off() -> None:
    checker = Checker(Config(disable=["privacy.email"]))
    assert matched(checker, "We wrote to jane.doe@gmail.com", "privacy.email") == []


# ---------------------------------------------------------------------------- compliance

GROUPS_PACK = """family: compliance
lang: en
category: policy
rules:
  - id: brand.any
    severity: medium
    when: {lexicon: lexicon.promo}
    require_any: ["T&Cs apply", "terms apply"]
    message: "Say {term}."
    examples: {flag: ["Sale now on"], pass: ["Sale now on, T&Cs apply"]}
  - id: brand.all
    severity: high
    when: {mentions: [giveaway]}
    require_all: ["no purchase necessary", "official rules", "18+"]
    message: "Say {term}."
    examples: {flag: ["Giveaway!"], pass: ["Giveaway! No purchase necessary. 18+. Official rules"]}
  - id: brand.forbid
    severity: high
    evasion: true
    forbid: [guaranteed, "risk-free"]
    unless: ["money-back guarantee"]
    exempt: ["source:"]
    message: "Not {term}."
    examples: {flag: ["Guaranteed!"], pass: ["Great!"]}
  - id: brand.channel
    severity: low
    when: {channel: [linkedin, x], sponsored: true}
    forbid: ["#follow"]
    message: "Not {term}."
    examples: {flag: [{text: "#follow", channel: x, sponsored: true}], pass: ["#follow"]}
"""


@pytest.fixture(scope="module")
def groups_checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    pack = tmp_path_factory.mktemp("compliance") / "brand.yml"
    pack.write_text(GROUPS_PACK, encoding="utf-8")
    return Checker(Config(packs=[pack]))


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        pytest.param("Sale now on", {}, [("brand.any", "Say “T&Cs apply” or “terms apply”.")],
                     id="require_any names every accepted phrase"),
        pytest.param("Sale now on, terms apply", {}, [], id="one phrase of require_any is enough"),
        pytest.param("Good morning", {}, [], id="require_any only under its condition"),
        pytest.param("Giveaway! No purchase necessary. Terms apply.", {},
                     [("brand.all", "Say “official rules” and “18+”.")],
                     id="require_all names the missing phrases"),
        pytest.param("Giveaway! No purchase necessary, 18+, official rules in bio. Terms apply.",
                     {}, [], id="require_all satisfied"),
        pytest.param("Results guaranteed, risk-free!", {},
                     [("brand.forbid", "Not guaranteed."), ("brand.forbid", "Not risk-free.")],
                     id="forbid flags every phrase"),
        pytest.param("Guar4nteed results", {}, [("brand.forbid", "Not guaranteed.")],
                     id="forbid with evasion catches disguises"),
        pytest.param("Backed by our money-back guarantee", {}, [],
                     id="unless cancels an overlapping phrase"),
        pytest.param("Guaranteed to blend faster (source: ACME lab)", {}, [],
                     id="exempt lifts the whole rule"),
        pytest.param("Please #follow us", {"channel": "LinkedIn", "sponsored": True},
                     [("brand.channel", "Not #follow.")], id="when: channel and sponsored hold"),
        pytest.param("Please #follow us", {"channel": "instagram", "sponsored": True}, [],
                     id="when: another channel"),
        pytest.param("Please #follow us", {"channel": "x", "sponsored": False}, [],
                     id="when: not sponsored"),
    ],
)
def test_compliance_groups(groups_checker: Checker, text: str, fields: dict[str, Any],
                           expected: list[tuple[str, str]]) -> None:
    verdict = groups_checker.check(text, lang="en", publish_at=QUIET_DAY, **fields)
    found = [(f.rule, f.message) for f in verdict.findings if f.rule.startswith("brand.")]
    assert found == expected


def test_compliance_rule_needs_a_group(tmp_path: Path) -> None:
    pack = tmp_path / "brand.yml"
    pack.write_text(GROUPS_PACK.replace('    forbid: ["#follow"]\n', ""), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        Checker(Config(packs=[pack]))
    assert str(caught.value).replace(str(tmp_path) + "/", "") == (
        "brand.yml:25: rules[3]: Value error, a compliance rule needs `require_any:`, "
        "`require_all:` or `forbid:`")


# ------------------------------------------------------------------------ the ACME policy


@pytest.fixture(scope="module")
def acme() -> Checker:
    return Checker(Config(packs=[POLICY]))


@pytest.mark.parametrize(
    ("post", "rules", "decision"),
    [
        pytest.param({"text": "Flash sale! 30% off every ACME blender this weekend only."},
                     ["acme.promo-terms"], "review", id="a promotion without its terms"),
        pytest.param({"text": "Flash sale! 30% off every ACME blender this weekend only. "
                              "T&Cs apply."},
                     [], "publish", id="a promotion with its terms"),
        pytest.param({"text": "Why pay Gl0bex prices? The ACME Pro does more. T&Cs apply."},
                     ["acme.competitor"], "review", id="a disguised competitor"),
        pytest.param({"text": "Our new juicer is clinically proven to boost immunity and "
                              "guaranteed to cure your Monday blues!"},
                     ["acme.claim-guarantee", "acme.claim-health", "acme.claim-health",
                      "acme.claim-clinical"], "hold", id="three kinds of forbidden claims"),
        pytest.param({"text": "Giveaway time! Tag a friend for a chance to win an ACME blender. "
                              "No purchase necessary. T&Cs apply."},
                     ["acme.giveaway-rules"], "hold", id="a giveaway without official rules"),
        pytest.param({"text": "#ad Use code MAYA20 for 20% off my favourite ACME blender, "
                              "T&Cs apply",
                      "sponsored": True, "channel": "instagram"},
                     ["acme.sponsored-offer", "acme.sponsored-offer"], "review",
                     id="a creator's post with a code"),
        pytest.param({"text": "Loving my ACME blender! Thanks @acme", "sponsored": True},
                     ["disclosure.weak"], "review", id="the bundled rules keep running"),
        pytest.param({"text": "Tell us your #AcmeMemories and #AskAcme anything"},
                     ["acme.campaign-tag", "campaign.open-question-hashtag"], "review",
                     id="our own open prompt and a bundled one"),
        pytest.param({"text": "Smoothie season is here. Which flavour first?"}, [], "publish",
                     id="an everyday post"),
    ],
)
def test_acme_policy(acme: Checker, post: dict[str, Any], rules: list[str], decision: str) -> None:
    verdict = acme.check(Post(lang="en", publish_at=datetime.fromisoformat(QUIET_DAY), **post))
    assert sorted(f.rule for f in verdict.findings) == sorted(rules)
    assert verdict.decision == decision
