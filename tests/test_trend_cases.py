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


ANTHONY = ("notguilty", "hashtag",
           ["Jury finds Casey Anthony not guilty of murdering her daughter"])
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
PRAYFOR = ("PrayForNepal", "hashtag",
           ["Earthquake in Nepal kills thousands, rescuers search rubble"])
ELECTION = ("ElectionNight", "hashtag", ["Polls close in tight presidential election race"])
BOOTS = ("boots on the ground", "phrase",
         ["Congress debates military strikes on Syria as troops stand by"])
SUPERBOWL = ("Super Bowl", "phrase", ["Chiefs and Eagles meet in the Super Bowl on Sunday"])
OUTBREAK = ("Texas Outbreak", "phrase", ["Measles outbreak in Texas spreads to 120 cases"])
FLOOD = ("Valencia", "phrase", ["Flash floods in Valencia leave more than 200 dead"])
SOLSTICE = ("Solstice", "phrase", ["Crowds gather at Stonehenge to greet the summer solstice"])
TITAN = ("Titan", "hashtag", ["Titan submersible: debris found, all five aboard are dead"])
NOTRE_DAME_FIRE = ("Notre Dame", "phrase", ["Fire engulfs Notre-Dame cathedral in Paris"])
NOTRE_DAME_GAME = ("Notre Dame", "phrase", ["Notre Dame beats USC in overtime thriller"])
HARVEY = ("Harvey", "phrase", ["Hurricane Harvey floods Houston, dozens dead"])
MH370 = ("MH370", "hashtag", ["Search for missing Malaysia Airlines flight MH370 with 239 aboard"])
MANCHESTER = ("Manchester", "phrase", ["Suicide bomber kills 22 at Manchester Arena concert"])
CHRISTCHURCH = ("Christchurch", "phrase", ["Gunman kills 51 at two Christchurch mosques"])
CHARLIE = ("JeSuisCharlie", "hashtag", ["Gunmen kill 12 at Charlie Hebdo offices in Paris"])
GRENFELL = ("Grenfell", "hashtag", ["Grenfell Tower fire kills 72 in London"])
MAYTHE4TH = ("MayThe4th", "hashtag", ["Star Wars Day: fans celebrate May the Fourth"])
FINAL = ("Champions League", "phrase", ["Real Madrid win Champions League on penalty shoot-out"])
ORCAS = ("OrcaWeek", "hashtag", ["Killer whales spotted off Seattle coast during Orca Week"])
ECLIPSE = ("Eclipse", "phrase", ["Millions watch total solar eclipse across North America"])
OSCARS = ("Oscars", "hashtag", ["Oscars 2024: the full list of winners"])
ERAS = ("ErasTour", "hashtag", ["Taylor Swift announces new Eras Tour dates"])
WORLDCUP = ("WorldCupFinal", "hashtag", ["Argentina beat France on penalties in World Cup final"])
LONDON_MARATHON = ("London Marathon", "phrase",
                   ["Record 50,000 runners finish the London Marathon"])
PIDAY = ("PiDay", "hashtag", ["Maths fans celebrate Pi Day on March 14"])
BERGEN = ("Bergen", "phrase", ["Storbrann i Bergen: tre omkom i natt"])
VIKERSUND = ("Vikersund", "phrase", ["Norsk seier i skiflygingen i Vikersund"])
KALOYAN = ("Цар Калоян", "phrase", ["Наводнение в Цар Калоян: загинали и евакуирани"])
BABA_MARTA = ("Баба Марта", "phrase", ["Българите празнуват Баба Марта с мартеници"])

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
    ("Stay home and shop the Valencia collection, 30% off!", [FLOOD], ["trend.tragedy-promo"],
     "hold"),
    ("Who else is glued to #ElectionNight? Grab a coffee and stay up with us", [ELECTION],
     ["politics.election", "trend.hijack"], "hold"),
    ("\"Boots on the ground\" or not, let's not forget about sandals too. Shop now", [BOOTS],
     ["trend.tragedy-promo"], "hold"),
    ("Whether it's boots on the ground or sandals in the sand, shop the sale", [BOOTS],
     ["trend.tragedy-promo"], "hold"),
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
    ("Who's watching the super bowl tonight? Wings are 2 for 1", [SUPERBOWL], [], "publish"),
    ("Our new boots are made for the ground you walk on. Shop now", [BOOTS], [], "publish"),
    ("The lights went out but our snacks kept going #SuperBowlBlackout", [BLACKOUT], [],
     "publish"),
    ("Happy #NationalIceCreamDay! Two scoops for the price of one today", [ICECREAM], [],
     "publish"),
    ("Welcome to the world, little one! #RoyalBaby", [ROYALBABY], [], "publish"),
    ("Who are you cheering for at Eurovision tonight? 20% off snacks!", [EUROVISION], [],
     "publish"),
    ("Celebrate the Solstice with our midsummer menu, book now", [SOLSTICE], [], "publish"),
    ("Aurora dress, now in three colours. Shop now!", [SOLSTICE, BLACKOUT], [], "publish"),
    # A hashtag that only looks like a trend does not match it.
    ("Our new #AuroraBorealis light show starts tonight", [ICECREAM], [], "publish"),
    ("Meet our intern Sandy! She loves dogs and spreadsheets", [BLACKOUT], [], "publish"),
    ("Cool new #ai features are live",
     [("Maine", "phrase", ["Gunman kills 18 in Maine shootings"])], [], "publish"),
    ("Save on the #911 Carrera parts this week",
     [("Porsche911", "hashtag", ["Porsche unveils new 911"])], [], "publish"),
    # More moments: a sale, a plug or a riff on a tragedy is held ...
    ("Dive into savings with our #Titan sale, 50% off swimwear", [TITAN], ["trend.tragedy-promo"],
     "hold"),
    ("Notre Dame is burning up the charts: our candle sale ends tonight", [NOTRE_DAME_FIRE],
     ["trend.tragedy-promo"], "hold"),
    ("Our Harvey bundle ships free this week, grab yours!", [HARVEY], ["trend.tragedy-promo"],
     "hold"),
    ("#MH370 may be lost but our deals are easy to find", [MH370], ["trend.tragedy-promo"], "hold"),
    ("Flash sale for the Manchester crowd tonight!", [MANCHESTER], ["trend.tragedy-promo"], "hold"),
    ("Christchurch, we have a new store opening! Come by for free coffee", [CHRISTCHURCH],
     ["trend.hijack"], "hold"),
    ("Paris, our spring collection is here #JeSuisCharlie", [CHARLIE], ["trend.hijack"], "hold"),
    ("#Grenfell inspired tower of pancakes, yours for $5", [GRENFELL], ["trend.hijack"], "hold"),
    # ... sympathy stays low ...
    ("Our thoughts are with Christchurch today.", [CHRISTCHURCH], ["trend.hijack"], "publish"),
    ("We stand with Paris tonight. #JeSuisCharlie", [CHARLIE], ["trend.hijack"], "publish"),
    # ... and a harmless reason to trend, even in words that sound violent, flags nothing.
    ("Notre Dame fans, game-day pizza is 2 for 1 tonight", [NOTRE_DAME_GAME], [], "publish"),
    ("Happy #MayThe4th! Our lightsaber cookies are 20% off", [MAYTHE4TH], [], "publish"),
    ("Champions League final tonight! Wings are half price", [FINAL], [], "publish"),
    ("Killer deals for #OrcaWeek, book a whale-watching trip", [ORCAS], [], "publish"),
    ("Eclipse glasses, two for one while stocks last", [ECLIPSE], [], "publish"),
    ("Get your #Oscars party snacks delivered, free shipping tonight", [OSCARS], [], "publish"),
    ("Taylor Swift fans, our friendship bracelet kits are back! #ErasTour", [ERAS], [], "publish"),
    ("Who's watching #WorldCupFinal? Order pizza for the match", [WORLDCUP], [], "publish"),
    ("Marathon weekend! Runners get a free smoothie", [LONDON_MARATHON], [], "publish"),
    ("Have a sweet #PiDay: every pie is $3.14", [PIDAY], [], "publish"),
]

# The same judgement in Norwegian and Bulgarian: (lang, text, trends, rule ids, decision).
OTHER_LANGUAGES = [
    ("nb", "Bergen, nå med 20 % rabatt på alle jakker!", [BERGEN], ["trend.tragedy-promo"], "hold"),
    ("nb", "Våre tanker går til alle som er rammet av brannen i Bergen.", [BERGEN],
     ["topic.disaster", "trend.hijack"], "publish"),
    ("nb", "Skiflyging i Vikersund i dag! Vafler til halv pris", [VIKERSUND], [], "publish"),
    ("bg", "Цар Калоян, днес всичко е с 30% намаление!", [KALOYAN], ["trend.tragedy-promo"],
     "hold"),
    ("bg", "Мислите ни са с хората в Цар Калоян.", [KALOYAN], ["trend.hijack"], "publish"),
    ("bg", "Честит Баба Марта! Мартеници с 20% отстъпка", [BABA_MARTA], [], "publish"),
]
MOMENTS = [("en", *case) for case in CASES] + OTHER_LANGUAGES


@pytest.mark.parametrize(("lang", "text", "items", "rules", "decision"), MOMENTS,
                         ids=[f"{c[0]}: {c[1][:60]}" for c in MOMENTS])
def test_post_against_its_moment(checker: Checker, lang: str, text: str, items: list,
                                 rules: list[str], decision: str) -> None:
    verdict = checker.check(text, lang=lang, publish_at=NOW, trends=snapshot(*items))
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
    verdict = checker.check("Who's #notguilty about eating all the tasty treats they want?!",
                            lang="en")
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

    queue = [
        Post(id="treats", text="Who's #notguilty about eating all the tasty treats?", lang="en"),
        Post(id="coffee", text="Fresh coffee, every morning.", lang="en"),
    ]
    before = {v.post_id: v for v in checker.check_many(queue)}
    changes = list(checker.recheck(queue, trends=snapshot(ANTHONY), previous=before))
    assert [(c.post.id, c.previous.decision, c.verdict.decision) for c in changes] == [
        ("treats", "publish", "hold")]
    assert list(checker.recheck(queue, trends=snapshot(BLACKOUT), previous=before)) == []
