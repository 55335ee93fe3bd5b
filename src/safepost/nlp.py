"""spaCy pipelines: a blank tokenizer per language, lookup lemmas where they exist."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

import spacy
from spacy.language import Language

from .hookspecs import hookimpl

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
    nlp = spacy.blank(lang)
    previous = nlp.tokenizer.token_match
    nlp.tokenizer.token_match = lambda text: _KEEP_WHOLE.match(text) or (
        previous(text) if previous else None
    )
    if _has_lemma_lookup(lang):
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


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


def guess_language(text: str, candidates: Sequence[str]) -> str | None:
    """Guess the language by script, then by the most frequent function words."""
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if cyrillic > latin:
        return "bg" if "bg" in candidates else None
    words = _LATIN_WORD.findall(text.casefold())
    table = _function_words()
    scores = {
        lang: sum(w in table[lang] for w in words)
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
