"""A deterministic corpus for the benchmarks: posts, trend snapshots and brand-policy packs.

Everything is drawn from a seeded `random.Random`, so two runs (and two machines) time the
same texts. Posts mix English, Norwegian and Bulgarian; short and long; hashtags (CamelCase
and run-together), @mentions, links, emoji; about one in eight carries something risky
(profanity, a sensitive topic, a trending tag with bad news behind it, a sale next to it).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from safepost.models import TrendContext, TrendItem, TrendSnapshot

SEED = 20240501

# fmt: off
WORDS = {lang: text.split() for lang, text in {
    "en": (
        "the our new your this we you and for with today week weekend team store coffee "
        "summer winter morning evening launch update customers community thanks everyone "
        "great fresh local season recipe menu order delivery free shipping code online "
        "event workshop webinar register join us link bio story photo video behind scenes "
        "city park bike ride run marathon race training goal win prize giveaway follow share "
        "love happy excited proud announce welcome back open hours holiday family friends kids "
        "dog cat garden book read music playlist night concert tickets available limited "
        "edition collection colour size style comfort quality handmade sustainable recycled "
        "partner brand product feature release version app download tips tricks guide how why "
        "what when where best favourite taste flavour chocolate ice cream cake bread pizza"
    ),
    "nb": (
        "vi og det er en på til med som har for ikke den av nye våre dere kan vil "
        "sommer vinter morgen kveld butikken kaffe lansering oppdatering kunder takk alle "
        "god fersk lokal sesong oppskrift meny bestilling levering gratis frakt kode nettbutikk "
        "arrangement kurs påmelding bli med lenke bilde video bak kulissene byen parken sykkel "
        "tur løp trening mål vinn premie følg del elsker glad stolt velkommen tilbake åpent "
        "ferie familie venner barn hund katt hage bok musikk konsert billetter begrenset "
        "kolleksjon farge størrelse komfort kvalitet bærekraftig produkt utgave beste smak is"
    ),
    "bg": (
        "ние и е на за с като има не от нови нашите вие може ще лято зима сутрин вечер "
        "магазина кафе пускане новини клиенти благодарим всички добро свежо местно сезон "
        "рецепта меню поръчка доставка безплатна код онлайн събитие курс регистрация "
        "присъединете се връзка снимка видео град парк колело разходка бягане тренировка цел "
        "спечелете награда последвайте споделете обичаме щастливи горди добре дошли отново "
        "отворено празник семейство приятели деца куче котка градина книга музика концерт "
        "билети ограничено колекция цвят размер качество продукт издание най вкус сладолед"
    ),
}.items()}
SYLLABLES = ["ka", "lo", "ra", "ven", "mar", "tis", "do", "bel", "qu", "ix", "or", "an", "zu",
             "fe", "ny", "la", "gro", "pet", "sim", "ul"]
EMOJI = ["😀", "🎉", "🔥", "❤️", "👍", "🙌", "☕", "🌞", "🚀", "✨", "🍦", "🎶", "💪", "🌍", "👀",
         "🤔", "😂", "🥳", "📣", "🛍️"]
RISKY = {
    "en": [
        "What the f*ck is this queue", "This is fucking amazing", "no bullshit, just coffee",
        "sh1t just got real", "Our hearts go out to the victims of the shooting",
        "Flash sale: 30% off everything, shop now!",
        "Who's #notguilty about eating all the treats?",
        "#Aurora is trending, clearly about our #Aurora dress ;) Shop now!",
        "Stuck inside because of Hurricane Sandy? Free shipping today!",
        "Join us tonight for #susanalbumparty", "He committed suicide in 2019",
        "Vote for the candidate who cares", "THIS IS THE BEST DEAL EVER!!!!!!",
    ],
    "nb": ["Helt jævlig bra tilbud i dag", "Faen, for et vær", "Salg! 50 % på alt #Aurora"],
    "bg": ["Супер разпродажба днес #Aurora", "Каква глупост, честно"],
}
CORE_TRENDS = [
    ("notguilty", "hashtag", "Jury finds Casey Anthony not guilty of murdering her daughter"),
    ("Aurora", "hashtag", "Gunman kills 12 in mass shooting at Aurora, Colorado cinema"),
    ("Hurricane Sandy", "phrase", "Hurricane Sandy death toll rises as millions lose power"),
    ("SuperBowlBlackout", "hashtag", "Power outage halts Super Bowl for 34 minutes"),
    ("NationalIceCreamDay", "hashtag", "Where to get free scoops this weekend"),
    ("Boston", "phrase", "Explosions at Boston Marathon finish line kill three"),
]
HEADLINES = [
    "{X} announces record quarter as shares climb", "Fans queue overnight for {X}",
    "{X} wins the final after extra time", "What {X} means for your weekend plans",
    "Storm warning: {X} braces for floods", "Three dead after shooting near {X}",
    "{X} trial: jury returns guilty verdict", "Outbreak of flu reported in {X}",
    "{X} festival draws thousands", "Review: {X} is the album of the summer",
]
# fmt: on


def _rng(*parts: object) -> random.Random:
    return random.Random(f"{SEED}:{':'.join(map(str, parts))}")


def trend_term(index: int) -> tuple[str, str]:
    """Return the term and kind of the index-th trend item (the same for every snapshot)."""
    if index < len(CORE_TRENDS):
        term, kind, _ = CORE_TRENDS[index]
        return term, kind
    rng = _rng("term", index)
    words = [_name(rng) for _ in range(rng.choice((1, 2, 2, 3)))]
    if rng.random() < 0.7:
        return "".join(words) + str(index % 100), "hashtag"
    return " ".join(words), "phrase"


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def snapshot(size: int) -> TrendSnapshot:
    """Return a snapshot of `size` items, each with up to two headlines."""
    items = []
    for index in range(size):
        term, kind = trend_term(index)
        rng = _rng("headlines", index)
        if index < len(CORE_TRENDS):
            titles = [CORE_TRENDS[index][2]]
        else:
            titles = [rng.choice(HEADLINES).format(X=term) for _ in range(rng.randint(0, 2))]
        items.append(TrendItem(term=term, kind=kind, rank=index + 1, volume=1000 * (size - index),
                               context=[TrendContext(title=t) for t in titles]))
    return TrendSnapshot(source="bench", fetched_at="2024-05-01T12:00:00Z", region="US",
                         items=items)


def _hashtag(rng: random.Random, lang: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        term, _ = trend_term(rng.randrange(500))
        return "#" + "".join(term.split())
    words = rng.sample(WORDS[lang], rng.choice((1, 2, 3)))
    if roll < 0.6:
        return "#" + "".join(words)
    return "#" + "".join(w.capitalize() for w in words)


def _piece(rng: random.Random, lang: str) -> str:
    roll = rng.random()
    if roll < 0.06:
        return _hashtag(rng, lang)
    if roll < 0.08:
        return "@" + rng.choice(WORDS["en"]) + rng.choice(("", "_co", "hq", "2024"))
    if roll < 0.09:
        return f"https://example.com/{rng.choice(WORDS['en'])}/{rng.randrange(10**6)}?utm_source=x"
    if roll < 0.12:
        return rng.choice(EMOJI)
    word = rng.choice(WORDS[lang])
    return word.capitalize() if rng.random() < 0.08 else word


def post_text(rng: random.Random, lang: str, length: int, *, risky: bool = False) -> str:
    """Return a post of about `length` characters (cut at a word boundary) in `lang`."""
    parts: list[str] = []
    size = 0
    if risky:
        parts.append(rng.choice(RISKY[lang]))
        size = len(parts[0])
    while size < length:
        sentence = [_piece(rng, lang) for _ in range(rng.randint(4, 14))]
        sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
        text = " ".join(sentence) + rng.choice((".", ".", "!", "?", "!!", " :)"))
        parts.append(text)
        size += len(text) + 1
    if risky and len(parts) > 1:
        rng.shuffle(parts)
    text = " ".join(parts)
    if len(text) > length:
        cut = text.rfind(" ", 0, length + 1)
        text = text[: cut if cut > length // 2 else length]
    return text.rstrip()


def _length(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.4:
        return rng.randint(30, 120)
    if roll < 0.8:
        return rng.randint(120, 280)
    if roll < 0.95:
        return rng.randint(280, 1000)
    return rng.randint(1000, 3000)


def _lang(rng: random.Random) -> str:
    return rng.choices(("en", "nb", "bg"), weights=(70, 15, 15))[0]


def posts(count: int, *, length: int | None = None, tag: str = "mixed") -> list[str]:
    """Return `count` post texts: mixed lengths, or all about `length` characters."""
    out = []
    for index in range(count):
        rng = _rng(tag, length, index)
        lang = _lang(rng)
        out.append(post_text(rng, lang, length or _length(rng), risky=rng.random() < 0.125))
    return out


def records(count: int) -> Iterator[dict[str, object]]:
    """Yield `count` posts as `.jsonl` records (text, id, and a language for some)."""
    for index, text in enumerate(posts(count, tag="records")):
        record: dict[str, object] = {"id": f"p{index}", "text": text}
        if index % 3 == 0:
            record["lang"] = "bg" if any("\u0400" <= c <= "\u04ff" for c in text) else "en"
        yield record


def write_jsonl(path: Path, count: int) -> Path:
    """Write `count` posts to a `.jsonl` file and return its path."""
    with path.open("w", encoding="utf-8") as out:
        for record in records(count):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def policy_pack(path: Path, terms: int) -> Path:
    """Write a brand-policy pack of `terms` terms (50 per rule, some phrases) and return it."""
    rng = _rng("policy", terms)
    vocabulary = sorted({w for w in WORDS["en"] if len(w) > 3})
    lines = ["family: terms", "category: policy", "severity: medium", "rules:"]
    for rule in range(0, terms, 50):
        batch = []
        for index in range(rule, min(rule + 50, terms)):
            if index % 5 == 0:
                batch.append(f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}x{index}")
            else:
                batch.append(f"brand{index}{rng.choice(vocabulary)}")
        lines += [
            f"  - id: policy.banned-{rule // 50}",
            "    message: \"“{matched}” is on the brand's banned list.\"",
            f"    match: {json.dumps(batch)}",
            f"    examples: {{flag: [{json.dumps(batch[0])}], pass: [\"a fine post\"]}}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
