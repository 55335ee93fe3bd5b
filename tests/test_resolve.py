"""Resolving a post's hashtags and names against a trend snapshot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from safepost.models import TrendItem, TrendSnapshot
from safepost.trends.hashtags import readings
from safepost.trends.resolve import TrendIndex, TrendMatch, index_for

TERMS = [
    ("notguilty", "hashtag"),
    ("AuroraShooting", "hashtag"),
    ("Boston Marathon explosions", "phrase"),
    ("Hurricane Sandy", "phrase"),
    ("Cairo", "phrase"),
    ("9/11", "phrase"),
    ("porsche911", "hashtag"),
    ("912", "hashtag"),
    ("Maine", "phrase"),
    ("trip", "hashtag"),
    ("Mother's Day", "phrase"),
    ("Day of the Dead", "phrase"),
    ("rapist", "hashtag"),
    ("Cher dead", "phrase"),
    ("Ødegaard", "phrase"),
    ("Путин", "hashtag"),
    ("Теракт в Москве", "phrase"),
    ("17. mai", "phrase"),
    ("casey anthony verdict", "phrase"),
]


def snapshot(terms: list[tuple[str, str]] = TERMS) -> TrendSnapshot:
    items = [
        TrendItem(term=term, kind=kind, rank=rank) for rank, (term, kind) in enumerate(terms, 1)
    ]
    return TrendSnapshot(source="test", fetched_at=datetime(2011, 7, 5, tzinfo=UTC), items=items)


@pytest.fixture(scope="module")
def index() -> TrendIndex:
    return TrendIndex(snapshot())


def by_tag(index: TrendIndex, tag: str) -> list[tuple[str, str]]:
    return [(m.item.term, m.how) for m in index.match_tag(tag, readings(tag))]


def by_phrase(index: TrendIndex, phrase: str) -> list[tuple[str, str]]:
    return [(m.item.term, m.how) for m in index.match_phrase(phrase.split())]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        pytest.param(
            "#NotGuilty", [("notguilty", "exact")], id="a tag matches its trend whatever the case"
        ),
        pytest.param(
            "#notguity",
            [("notguilty", "fuzzy")],
            id="a one-letter typo in a long tag still matches",
        ),
        pytest.param("#911", [("9/11", "exact")], id="911 matches 9/11 by key"),
        pytest.param("#9-11", [("9/11", "exact")], id="9-11 matches 9/11 by key"),
        pytest.param(
            "#aurora", [("AuroraShooting", "segmented")], id="a word matches a trend tag made of it"
        ),
        pytest.param(
            "#BostonMarathon",
            [("Boston Marathon explosions", "segmented")],
            id="a tag's words match a longer trend phrase",
        ),
        pytest.param(
            "#mothersday",
            [("Mother's Day", "exact")],
            id="a tag matches a phrase with an apostrophe",
        ),
        pytest.param(
            "#therapistfinder",
            [("rapist", "segmented")],
            id="an unlucky reading of the tag matches a trend",
        ),
        pytest.param(
            "#nowthatcherisdead",
            [("Cher dead", "segmented")],
            id="words of a reading need not be next to each other when both sides are phrases",
        ),
        pytest.param(
            "#CaseyAnthonyVerdictReaction",
            [("casey anthony verdict", "segmented")],
            id="a tag containing a whole trend phrase matches it",
        ),
        pytest.param(
            "#Odegaard", [("Ødegaard", "exact")], id="a Norwegian name matches without its slash"
        ),
        pytest.param("#путин", [("Путин", "exact")], id="a Cyrillic tag matches whatever the case"),
        pytest.param("#17mai", [("17. mai", "exact")], id="a Norwegian date matches its tag"),
        pytest.param("#ai", [], id="ai does not match maine"),
        pytest.param("#rip", [], id="rip does not match trip"),
        pytest.param("#913", [], id="a number never matches a near number"),
        pytest.param("#Porsche911fan", [], id="a tag with digits matches exactly or not at all"),
        pytest.param("#theday", [], id="a reading of stopwords only never matches"),
        pytest.param(
            "#guiltypleasures", [], id="one shared word is not enough between two phrases"
        ),
    ],
)
def test_match_tag(index: TrendIndex, tag: str, expected: list[tuple[str, str]]) -> None:
    assert by_tag(index, tag) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        pytest.param(
            "Boston",
            [("Boston Marathon explosions", "segmented")],
            id="a name matches the trend phrase it is a word of",
        ),
        pytest.param(
            "Sandy", [("Hurricane Sandy", "segmented")], id="Sandy matches Hurricane Sandy"
        ),
        pytest.param("Cairo", [("Cairo", "exact")], id="a name matches the same trend exactly"),
        pytest.param(
            "Aurora",
            [("AuroraShooting", "segmented")],
            id="a name matches the words of a trend tag",
        ),
        pytest.param(
            "Boston Marathon",
            [("Boston Marathon explosions", "segmented")],
            id="a run of words matches a phrase that contains it",
        ),
        pytest.param("Mother's Day", [("Mother's Day", "exact")], id="a phrase matches itself"),
        pytest.param(
            "Москве", [("Теракт в Москве", "segmented")], id="a Cyrillic word matches its phrase"
        ),
        pytest.param("ai", [], id="the word ai does not match maine"),
        pytest.param("day", [], id="day alone does not match mother's day"),
        pytest.param("the", [], id="the alone never matches"),
        pytest.param("of the", [], id="a run of stopwords never matches"),
        pytest.param("911", [("9/11", "exact")], id="the number 911 matches 9/11"),
        pytest.param(
            "Porsche", [("porsche911", "segmented")], id="a name matches a tag it is a word of"
        ),
        pytest.param(
            "Boston Globe", [], id="a phrase sharing one word with a trend does not match"
        ),
    ],
)
def test_match_phrase(index: TrendIndex, phrase: str, expected: list[tuple[str, str]]) -> None:
    assert by_phrase(index, phrase) == expected


def test_the_number_does_not_match_the_car() -> None:
    index = TrendIndex(snapshot([("porsche911", "hashtag"), ("Porsche 911", "phrase")]))
    assert by_tag(index, "#911") == []
    assert by_phrase(index, "911") == []


def test_a_match_records_the_query_and_the_reading() -> None:
    index = TrendIndex(snapshot())
    [match] = index.match_tag("#therapistfinder", readings("#therapistfinder"))
    assert match.query == "#therapistfinder"
    assert match.score == 100.0
    assert match.reading is not None and match.reading.words == ("the", "rapist", "finder")
    assert match.reading.source == "dictionary"


def test_exact_matches_come_before_segmented_and_fuzzy_ones() -> None:
    index = TrendIndex(
        snapshot(
            [("notguity", "hashtag"), ("not guilty verdict", "phrase"), ("notguilty", "hashtag")]
        )
    )
    found = index.match_tag("#notguilty", readings("#notguilty"))
    assert [(m.item.term, m.how) for m in found] == [
        ("notguilty", "exact"),
        ("not guilty verdict", "segmented"),
        ("notguity", "fuzzy"),
    ]


def test_every_item_with_the_same_key_matches() -> None:
    index = TrendIndex(snapshot([("9/11", "phrase"), ("911", "hashtag"), ("9-11", "phrase")]))
    assert [m.item.term for m in index.match_tag("911", readings("911"))] == ["9/11", "911", "9-11"]


def test_a_fuzzy_match_carries_its_ratio() -> None:
    [match] = TrendIndex(snapshot()).match_tag("#notguity", readings("#notguity"))
    assert match == TrendMatch(match.item, "fuzzy", pytest.approx(94.1, abs=0.1), "#notguity")


def test_an_empty_snapshot_matches_nothing() -> None:
    assert TrendIndex(snapshot([])).match_tag("#notguilty", readings("#notguilty")) == []


def test_an_empty_query_matches_nothing(index: TrendIndex) -> None:
    assert index.match_tag("#", ()) == []
    assert index.match_phrase([]) == []


def test_index_for_reuses_the_index_of_the_same_snapshot_object() -> None:
    first, second = snapshot(), snapshot()
    assert index_for(first) is index_for(first)
    assert index_for(second) is not index_for(first)
    assert index_for(second).snapshot is second


def test_a_multi_word_item_is_found_in_running_text() -> None:
    index = TrendIndex(TrendSnapshot.model_validate({
        "source": "test", "fetched_at": "2013-09-05T12:00:00Z",
        "items": [{"term": "boots on the ground", "kind": "phrase"},
                  {"term": "the day", "kind": "phrase"}]}))
    words = ["whether", "its", "boots", "on", "the", "ground", "", "the", "day"]
    found = [(first, end, match.item.term, match.how) for first, end, match
             in index.find_phrases(words)]
    assert found == [(2, 6, "boots on the ground", "exact")]
