"""spaCy pipelines: a blank tokenizer per language, lookup lemmas where they exist."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from spacy.util import get_lang_class

from .hookspecs import hookimpl

_LEMMATIZER = "safepost_lookup_lemmatizer"
_MAX_KNOWN = 100_000

# Hashtags, and words with leet or mask characters inside them (sh1t, f**k, f.u.c.k),
# stay one token so rules see what the writer meant.
_KEEP_WHOLE = re.compile(
    r"^(?:[#＃][^\W_][\w]*"
    r"|[^\W\d_]+(?:[0-9@$*#!|%_]+[^\W\d_]+)+[$*0-9]*"
    r"|[^\W\d_]+[$*]+"
    r"|(?:[^\W\d_][.\-_*·]){2,}[^\W\d_])$"
)


def build_pipeline(lang: str) -> Language:
    """Return a blank pipeline for `lang` with hashtag-aware tokenization and lookup lemmas.

    Where spacy-lookups-data has no lemma table (Bulgarian), the pipeline has no
    lemmatizer and rules match surface forms and stems (``word*``) instead.
    """
    nlp = get_lang_class(lang)()  # what spacy.blank(lang) builds, without its config round trip
    previous = nlp.tokenizer.token_match
    nlp.tokenizer.token_match = lambda text: _KEEP_WHOLE.match(text) or (
        previous(text) if previous else None
    )
    if _has_lemma_lookup(lang):
        if not Language.has_factory(_LEMMATIZER):
            Language.factory(_LEMMATIZER, assigns=["token.lemma"],
                             default_config=Language.get_factory_meta("lemmatizer").default_config,
                             func=_make_lemmatizer)
        nlp.add_pipe(_LEMMATIZER, name="lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


class LookupLemmatizer(Lemmatizer):
    """spaCy's lemmatizer, with lookup mode done on whole arrays instead of token by token."""

    def __call__(self, doc: Doc) -> Doc:
        """Set each token's lemma from the lookup table, as spaCy's lookup mode does."""
        if self.mode != "lookup":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        rows = doc.to_array([ORTH, LEMMA]).tolist()
        lemmas = [self._lemma(orth) if self.overwrite or lemma == 0 else lemma
                  for orth, lemma in rows]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
        return doc

    def _lemma(self, orth: int) -> int:
        known = self._known.get(orth)
        if known is None:
            found = self.lookups.get_table("lemma_lookup", {}).get(orth)
            if found is None:
                return orth
            known = self.vocab.strings.add(found if isinstance(found, str) else found[0])
            if len(self._known) >= _MAX_KNOWN:
                self._known.clear()
            self._known[orth] = known
        return known

    @cached_property
    def _known(self) -> dict[int, int]:
        return {}


def _make_lemmatizer(nlp: Language, model: Any, name: str, mode: str, overwrite: bool,
                     scorer: Any) -> LookupLemmatizer:
    return LookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


@lru_cache(maxsize=None)
def _has_lemma_lookup(lang: str) -> bool:
    try:
        import spacy_lookups_data
    except ImportError:
        return False
    return (files(spacy_lookups_data) / "data" / f"{lang}_lemma_lookup.json.gz").is_file()


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
    latin = len(_ASCII_LETTER.findall(text))
    if cyrillic > latin:
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
