"""Posts judged against their moment: real incidents, constructed cases, harmless controls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import rule_ids

from safepost import Checker, TrendSnapshot

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def snapshot(*items: tuple[str, str, list[str]]) -> TrendSnapshot:
    """Build a snapshot from (term, kind, headlines) triples."""
    return TrendSnapshot.model_validate({
        "source": "test", "fetched_at": NOW.isoformat(), "region": "US",
        "items": [{"term": term, "kind": kind, "rank": rank,
                   "context": [{"title": title} for title in headlines]}
                  for rank, (term, kind, headlines) in enumerate(items, 1)],
    })


ANTHONY = ("notguilty", "hashtag", ["Jury finds Casey Anthony not guilty of murdering her daughter"])
AURORA = ("Aurora", "hashtag", ["Gunman kills 12 in mass shooting at Aurora, Colorado cinema"])
WHYISTAYED = ("WhyIStayed", "hashtag",
              ["Survivors of domestic violence share why they stayed with abusive partners"])
SANDY = ("Hurricane Sandy", "phrase", ["Hurricane Sandy death toll rises as millions lose power"])
BOSTON = ("Boston Marathon", "phrase", ["Explosions at Boston Marathon finish line kill three"])
CAIRO = ("Cairo", "phrase", ["Protesters killed as clashes spread across Cairo"])
BLACKOUT = ("SuperBowlBlackout", "hashtag", ["Power outage halts Super Bowl for 34 minutes"])
ICECREAM = ("NationalIceCreamDay", "hashtag", ["National Ice Cream Day: where to get free scoops"])
ROYALBABY = ("RoyalBaby", "hashtag", ["Duchess gives birth to a baby boy, palace announces"])
EUROVISION = ("Eurovision", "phrase", ["Sweden wins Eurovision with a power ballad"])
PRAYFOR = ("PrayForNepal", "hashtag", ["Earthquake in Nepal kills thousands, rescuers search rubble"])
ELECTION = ("ElectionNight", "hashtag", ["Polls close in tight presidential election race"])
OUTBREAK = ("Texas Outbreak", "phrase", ["Measles outbreak in Texas spreads to 120 cases"])
FLOOD = ("Valencia", "phrase", ["Flash floods in Valencia leave more than 200 dead"])
SOLSTICE = ("Solstice", "phrase", ["Crowds gather at Stonehenge to greet the summer solstice"])

CASES = [
    # Real incidents.
    ("Who's #notguilty about eating all the tasty treats they want?!", [ANTHONY],
     ["trend.hijack"], "hold"),
    ("#Aurora is trending, clearly about our Kim K inspired #Aurora dress ;) Shop now!", [AURORA],
     ["trend.tragedy-promo"], "hold"),
    ("#WhyIStayed You had pizza.", [WHYISTAYED], ["trend.hijack"], "hold"),
    ("In honor of Hurricane Sandy, 25% off everything for the next 36 hours!", [SANDY],
     ["topic.disaster", "trend.tragedy-promo"], "hold"),
    ("Stuck inside because of Hurricane Sandy? Free shipping on every order today!", [SANDY],
     ["topic.disaster", "trend.tragedy-promo"], "hold"),
    ("Boston Marathon runners: refuel with our new protein bar, 2 for 1 today", [BOSTON],
     ["trend.tragedy-promo"], "hold"),
    ("Cairo is in an uproar! Our new spring collection is too", [CAIRO], ["trend.hijack"], "hold"),
    ("Big savings tonight! #PrayForNepal", [PRAYFOR], ["trend.tragedy-promo"], "hold"),
    ("Stay home and shop the Valencia collection, 30% off!", [FLOOD], ["trend.tragedy-promo"], "hold"),
    ("Who else is glued to #ElectionNight? Grab a coffee and stay up with us", [ELECTION],
     ["trend.hijack"], "hold"),
    ("Texas Outbreak of savings: every boot 40% off", [OUTBREAK],
     ["topic.illness", "trend.tragedy-promo"], "hold"),
    ("#notguilty pleasures: our new donut box", [ANTHONY], ["trend.hijack"], "hold"),
    ("Feeling #NotGuilty today", [ANTHONY], ["trend.hijack"], "hold"),
    # Sympathy without promotion is at most low.
    ("Our thoughts are with everyone affected by the Boston Marathon bombing.", [BOSTON],
     ["trend.hijack", "topic.mass-violence"], "publish"),
    ("Our hearts go out to Nepal. We are donating to the relief fund. #PrayForNepal", [PRAYFOR],
     ["trend.hijack"], "publish"),
    # Harmless trends are never flagged.
    ("The lights went out but our snacks kept going #SuperBowlBlackout", [BLACKOUT], [], "publish"),
    ("Happy #NationalIceCreamDay! Two scoops for the price of one today", [ICECREAM], [], "publish"),
    ("Welcome to the world, little one! #RoyalBaby", [ROYALBABY], [], "publish"),
    ("Who are you cheering for at Eurovision tonight? 20% off snacks!", [EUROVISION], [], "publish"),
    ("Celebrate the Solstice with our midsummer menu, book now", [SOLSTICE], [], "publish"),
    ("Aurora dress, now in three colours. Shop now!", [SOLSTICE, BLACKOUT], [], "publish"),
    # A hashtag that only looks like a trend does not match it.
    ("Our new #AuroraBorealis light show starts tonight", [ICECREAM], [], "publish"),
    ("Meet our intern Sandy! She loves dogs and spreadsheets", [BLACKOUT], [], "publish"),
    ("Cool new #ai features are live", [("Maine", "phrase", ["Gunman kills 18 in Maine shootings"])],
     [], "publish"),
    ("Save on the #911 Carrera parts this week", [("Porsche911", "hashtag", ["Porsche unveils new 911"])],
     [], "publish"),
]


@pytest.mark.parametrize(("text", "items", "rules", "decision"), CASES,
                         ids=[c[0][:60] for c in CASES])
def test_post_against_its_moment(checker: Checker, text: str, items: list, rules: list[str],
                                 decision: str) -> None:
    verdict = checker.check(text, lang="en", publish_at=NOW, trends=snapshot(*items))
    assert (sorted(rule_ids(verdict)), verdict.decision) == (sorted(rules), decision)
    assert verdict.trend_status == "used"


def test_evidence_holds_the_headlines(checker: Checker) -> None:
    verdict = checker.check("Who's #notguilty about eating all the tasty treats they want?!",
                            lang="en", trends=snapshot(ANTHONY))
    finding = verdict.findings[0]
    assert finding.evidence == ["Jury finds Casey Anthony not guilty of murdering her daughter"]
    assert (finding.span, finding.matched) == ((6, 16), "#notguilty")
    assert finding.category == "trend_hijack"
    assert finding.severity == "high"


def test_without_trends_the_status_is_none(checker: Checker) -> None:
    verdict = checker.check("Who's #notguilty about eating all the tasty treats they want?!", lang="en")
    assert (verdict.findings, verdict.trend_status) == ([], "none")


def test_a_stale_snapshot_is_reported(checker: Checker) -> None:
    stale = snapshot(ANTHONY).model_copy(update={"stale": True})
    verdict = checker.check("#notguilty", lang="en", trends=stale)
    assert verdict.trend_status == "stale"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("Join us tonight for #susanalbumparty", True),
     ("#nowthatcherisdead is all over my feed", True),
     ("Join us tonight for #SusanAlbumParty", False),
     ("Happy #nationalicecreamday", False)],
)
def test_ambiguous_hashtags(checker: Checker, text: str, flagged: bool) -> None:
    verdict = checker.check(text, lang="en")
    found = [f for f in verdict.findings if f.rule == "hashtag.ambiguous"]
    assert bool(found) is flagged
    if flagged:
        assert len(found[0].evidence) >= 2


def test_recheck_reports_posts_whose_decision_changed(checker: Checker) -> None:
    from safepost import Post

    queue = [Post(id="treats", text="Who's #notguilty about eating all the tasty treats?", lang="en"),
             Post(id="coffee", text="Fresh coffee, every morning.", lang="en")]
    before = {v.post_id: v for v in checker.check_many(queue)}
    changes = list(checker.recheck(queue, trends=snapshot(ANTHONY), previous=before))
    assert [(c.post.id, c.previous.decision, c.verdict.decision) for c in changes] == [
        ("treats", "publish", "hold")]
    assert list(checker.recheck(queue, trends=snapshot(BLACKOUT), previous=before)) == []
