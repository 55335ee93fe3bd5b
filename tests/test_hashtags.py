"""Reading run-together hashtags: keys, camelCase, dictionary splits and hidden words."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from safepost.trends.hashtags import Reading, norm_key, readings


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param("#NotGuilty", "notguilty", id="case and the hash sign go"),
        pytest.param("＃ＮｏｔＧｕｉｌｔｙ", "notguilty", id="fullwidth letters fold by NFKC"),
        pytest.param("9/11", "911", id="a slash between digits goes"),
        pytest.param("#911", "911", id="a numeric tag keeps its digits"),
        pytest.param("9-11", "911", id="a hyphen between digits goes"),
        pytest.param("mother's day", "mothersday", id="apostrophes and spaces go"),
        pytest.param("not_guilty", "notguilty", id="underscores go"),
        pytest.param("Pokémon", "pokemon", id="accents on Latin letters go"),
        pytest.param("#blåmandag", "blamandag", id="the ring on a Norwegian a goes"),
        pytest.param("#Ødegaard", "odegaard", id="a Norwegian o-slash folds to o"),
        pytest.param("Ærø", "aero", id="ae and o-slash fold as Mastodon folds them"),
        pytest.param("Straße", "strasse", id="sharp s casefolds to ss"),
        pytest.param("ﬁre", "fire", id="ligatures unfold"),
        pytest.param("Йошкар-Ола", "йошкарола", id="Cyrillic short i keeps its breve"),
        pytest.param("#ДеньПобеды", "деньпобеды", id="Cyrillic letters stay Cyrillic"),
        pytest.param("٩/١١", "911", id="Arabic-Indic digits become ASCII digits"),
        pytest.param("#!?", "", id="punctuation alone gives an empty key"),
    ],
)
def test_norm_key(text: str, key: str) -> None:
    assert norm_key(text) == key


def texts(tag: str, hidden_words: frozenset[str] = frozenset()) -> list[str]:
    return [reading.text for reading in readings(tag, hidden_words=hidden_words)]


@pytest.mark.parametrize(
    ("tag", "hidden", "present", "absent"),
    [
        pytest.param("#notguilty", (), "not guilty", None, id="notguilty reads as not guilty"),
        pytest.param(
            "#WhyIStayed", (), "why i stayed", None, id="camelCase splits with one-letter words"
        ),
        pytest.param(
            "#susanalbumparty",
            {"anal"},
            "sus anal bum party",
            None,
            id="the hidden-word scan finds what the model ranks too low",
        ),
        pytest.param(
            "#susanalbumparty",
            (),
            "susan album party",
            "sus anal bum party",
            id="without the hidden word only dictionary readings come",
        ),
        pytest.param(
            "#nowthatcherisdead",
            (),
            "now that cher is dead",
            None,
            id="nowthatcherisdead can mention Cher",
        ),
        pytest.param(
            "#expertsexchange",
            (),
            "expert sex change",
            None,
            id="expertsexchange has its unlucky reading",
        ),
        pytest.param(
            "#therapistfinder",
            (),
            "the rapist finder",
            None,
            id="therapistfinder has its unlucky reading",
        ),
        pytest.param("#choosespain", (), "chooses pain", None, id="choosespain can mean pain"),
        pytest.param(
            "#kidsexchange",
            (),
            "kid sex change",
            None,
            id="kidsexchange keeps a reading three and a bit orders below the best",
        ),
        pytest.param(
            "#whorepresents",
            (),
            "whore presents",
            None,
            id="whorepresents keeps its reading at a gap of 3.4",
        ),
        pytest.param(
            "#ISISfan", (), "isis fan", None, id="an all-caps run also gets its dictionary reading"
        ),
        pytest.param("#Rio2016", (), "rio 2016", None, id="digits split from letters"),
        pytest.param(
            "#notguilty",
            (),
            None,
            "no t guilty",
            id="single letters other than a and i never form readings",
        ),
        pytest.param("#911", (), None, "9 11", id="a digit run is never split"),
    ],
)
def test_readings(tag: str, hidden: set[str], present: str | None, absent: str | None) -> None:
    found = texts(tag, frozenset(hidden))
    if present:
        assert present in found
    if absent:
        assert absent not in found


@pytest.mark.parametrize(
    ("tag", "only"),
    [
        pytest.param("#Aurora", ("aurora",), id="a plain word has one reading"),
        pytest.param("#911", ("911",), id="a number has one reading"),
        pytest.param("#ДеньПобеды", ("день", "победы"), id="a Cyrillic tag splits on case only"),
        pytest.param("#blåmandag", ("blåmandag",), id="a Norwegian tag stays whole"),
        pytest.param("#Ødegaard", ("ødegaard",), id="a Norwegian name stays whole"),
        pytest.param("#zxqvj", ("zxqvj",), id="a tag of no known words stays whole"),
    ],
)
def test_single_reading(tag: str, only: tuple[str, ...]) -> None:
    assert [reading.words for reading in readings(tag)] == [only]


def test_best_reading_comes_first_with_no_gap() -> None:
    found = readings("#therapistfinder")
    assert found[0] == Reading(("therapist", "finder"), "dictionary", 0.0)
    assert [r.delta for r in found] == sorted(r.delta for r in found)
    assert Reading(("the", "rapist", "finder"), "dictionary", 2.64) in found


def test_the_authors_camel_split_comes_first_when_its_words_are_known() -> None:
    found = readings("#NowThatChersDead")
    assert found[0].words == ("now", "that", "chers", "dead")
    assert found[0].source == "camel"
    assert found[0].delta > 0


def test_a_camel_split_that_agrees_with_the_dictionary_is_reported_once_as_camel() -> None:
    assert readings("#WhyIStayed")[0] == Reading(("why", "i", "stayed"), "camel", 0.0)
    assert sum(r.words == ("why", "i", "stayed") for r in readings("#WhyIStayed")) == 1


def test_lexicon_readings_come_whatever_their_gap() -> None:
    found = readings("#susanalbumparty", hidden_words={"anal"}, max_delta=1.0)
    assert [(r.words, r.source) for r in found] == [
        (("susan", "album", "party"), "dictionary"),
        (("sus", "anal", "bum", "party"), "lexicon"),
    ]


def test_a_hidden_word_whose_remainder_is_no_words_adds_nothing() -> None:
    assert "anal" not in {
        w for r in readings("#qzxanalqzx", hidden_words={"anal"}) for w in r.words
    }


def test_limit_caps_dictionary_readings() -> None:
    assert len(readings("#powergenitalia", limit=2)) == 2


@pytest.mark.parametrize(
    "tag", ["", "#", "#!!", "＃"], ids=["empty", "hash", "punct", "fullwidth hash"]
)
def test_a_tag_without_letters_or_digits_has_no_reading(tag: str) -> None:
    assert readings(tag) == ()


def test_readings_are_the_same_from_many_threads() -> None:
    tags = ["#therapistfinder", "#kidsexchange", "#WhyIStayed", "#choosespain"] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(readings, tags))
    assert results == [readings(tag) for tag in tags]
