"""spaCy pipelines: a blank tokenizer per language, lookup lemmas where they exist."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import (
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    get_lang_class,
)
from spacy.vectors import Vectors
from spacy.vocab import Vocab

from .hookspecs import hookimpl

_LEMMATIZER = "safepost_lookup_lemmatizer"
_RULE_TOKENIZER = "spacy.Tokenizer.v1"  # the rule-based tokenizer our hooks extend
_MAX_KNOWN = 100_000

# Hashtags, and words with leet or mask characters inside them (sh1t, $h1t, 0rg@5m, f**k,
# f.u.c.k), stay one token so rules see what the writer meant.
_KEEP_WHOLE = re.compile(
    r"^(?:[#＃][^\W_][\w]*"
    r"|[0-9$]*[^\W\d_]+(?:[0-9@$*#!|%_]+[^\W\d_]+)+[$*0-9]*"
    r"|\$[^\W\d_]{2,}[$*0-9]*"
    r"|[^\W\d_]+[$*]+"
    r"|(?:[^\W\d_][.\-_*·]){2,}[^\W\d_])$"
)
# A tag, a mention or a disguised word keeps its sign: without this, "#ad!" and "$h!t,"
# lose "#" and "$" as prefixes in the same step that "!" and "," go as suffixes, and the
# whole tag or word is never seen.
_TAG_START = re.compile(r"[#＃@＠][^\W_]|\$[^\W\d_]")


def build_pipeline(lang: str) -> Language:
    """Return a blank pipeline for `lang` with hashtag-aware tokenization and lookup lemmas.

    Where spacy-lookups-data has no lemma table (Bulgarian), the pipeline has no
    lemmatizer and rules match surface forms and stems (``word*``) instead.
    """
    # What spacy.blank(lang) builds, without its config round trip.
    language = get_lang_class(lang)
    standard = language.default_config["nlp"]["tokenizer"].get("@tokenizers") == _RULE_TOKENIZER
    nlp = language(create_tokenizer=_tokenizer if standard else None, create_vectors=_no_vectors)
    if _has_lemma_lookup(lang):
        if not Language.has_factory(_LEMMATIZER):
            Language.factory(_LEMMATIZER, assigns=["token.lemma"], func=_make_lemmatizer)
        nlp.add_pipe(_LEMMATIZER, name="lemmatizer")
    return nlp


def _no_vectors(vocab: Vocab) -> Vectors:
    """Return the empty vector table a blank pipeline has."""
    return Vectors(strings=vocab.strings)


def _tokenizer(nlp: Language) -> Tokenizer:
    """Return the language's default tokenizer with hashtags and disguised words kept whole.

    Every hook is passed to the constructor: setting one afterwards makes spaCy rebuild
    its thousands of special cases, a tenth of a second each time.
    """
    defaults = nlp.Defaults
    previous = defaults.token_match
    prefix_search = compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=prefix_search and (
            lambda text: None if _TAG_START.match(text) else prefix_search(text)),
        suffix_search=compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
        token_match=lambda text: _KEEP_WHOLE.match(text) or (previous(text) if previous else None),
        url_match=defaults.url_match,
    )


class LookupLemmatizer:
    """Sets each token's lemma from spacy-lookups-data's table, a whole doc at a time.

    It does what spaCy's lemmatizer does in lookup mode, without building spaCy's hashed
    lookup table, which costs a fifth of a second per language at start-up.
    """

    def __init__(self, nlp: Language) -> None:
        self._strings = nlp.vocab.strings
        self._table = _lemma_table(nlp.lang)
        self._known: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none yet."""
        orths, set_before = doc.to_array([ORTH, LEMMA]).T.tolist()  # no list per token
        known = self._known.get
        lemmas = [lemma or known(orth) or self._lemma(orth)
                  for orth, lemma in zip(orths, set_before, strict=True)]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
        return doc

    def _lemma(self, orth: int) -> int:
        """Look a word up in the table; a word it does not hold is its own lemma."""
        found = self._table.get(self._strings[orth])
        lemma = orth if found is None else self._strings.add(
            found if isinstance(found, str) else found[0])
        if len(self._known) >= _MAX_KNOWN:
            self._known = {}
        self._known[orth] = lemma
        return lemma


def _make_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp)


def _lookups_file(lang: str) -> Traversable:
    import spacy_lookups_data

    return files(spacy_lookups_data) / "data" / f"{lang}_lemma_lookup.json.gz"


@cache
def _lemma_table(lang: str) -> dict[str, str | list[str]]:
    return json.loads(gzip.decompress(_lookups_file(lang).read_bytes()))


@cache
def _has_lemma_lookup(lang: str) -> bool:
    try:
        return _lookups_file(lang).is_file()
    except ImportError:
        return False


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    raw = json.loads((files("safepost") / "data" / "function_words.json").read_text("utf-8"))
    return {lang: frozenset(words) for lang, words in raw.items()}


_LATIN_WORD = re.compile(r"[a-zæøåéèêóòôäöü]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def guess_language(text: str, candidates: Sequence[str]) -> str | None:
    """Guess the language by script, then by the most frequent function words."""
    cyrillic = 0 if text.isascii() else len(_CYRILLIC.findall(text))
    if cyrillic and cyrillic > len(_ASCII_LETTER.findall(text)):
        return "bg" if "bg" in candidates else None
    words = _LATIN_WORD.findall(text.casefold())
    table = _function_words()
    scores = {
        lang: sum(map(table[lang].__contains__, words))
        for lang in candidates
        if lang in table and lang != "bg"
    }
    if not scores or max(scores.values()) == 0:
        return None
    best = max(scores, key=lambda lang: scores[lang])
    return best


@hookimpl(trylast=True)
def detect_language(text: str, candidates: Sequence[str]) -> str | None:
    """Detect the language among the candidates by script and function words."""
    return guess_language(text, candidates)
