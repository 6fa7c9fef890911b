"""Typos read as the word the documents write ("pentgon deal amount", "risks anthropic is
afriad of"): a question word no document and no dictionary holds, one letter off a word the
documents do hold, is searched and answered as that word; otherwise a typo weighs as a rare
word no passage says and the question is declined."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from rag.lemmas import in_dictionary, is_english
from rag.lexical import Lexicon
from rag.text import terms

_WORD = re.compile(r"\b[A-Za-z]{5,}\b")  # shorter words: one letter turns too many into others
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# "deplatformed" typed whole where a page hyphenates it ("de-platformed")
_PREFIX = re.compile(r"^(?:counter|multi|cross|under|anti|over|self|pre|non|sub|de|re|co|un)")


def corrected(question: str, lexicon: Lexicon) -> str:
    """The question with each misspelt word as the documents spell it (the most frequent of
    the documents' words one letter dropped, added, changed or two swapped away); the rest,
    names the documents do not hold among them, as typed."""

    def fixed(match: re.Match[str]) -> str:
        word = match[0]
        better = _respelt(word.lower(), lexicon, named=word[0].isupper() and match.start() > 0)
        if better is None:
            return word
        return better.capitalize() if word[0].isupper() else better

    return _WORD.sub(fixed, question)


def _respelt(word: str, lexicon: Lexicon, named: bool) -> str | None:
    """`named`: capitalised inside the question, a name ("Ars Technica") and no typo of a
    word ("technic"), only of a name the documents hold ("Hegsith": "Hegseth"). A dictionary
    word the documents lack is read in their spelling of it ("defence": "defense")."""
    stems = terms(word)
    if len(stems) != 1 or lexicon.document_frequency.get(stems[0]):
        return None
    if (
        (prefix := _PREFIX.match(word))
        and not named
        and not is_english(word)
        and all(  # "deplatformed": "de-platformed"
            lexicon.document_frequency.get(term)
            for term in (prefix[0], _stem(word[prefix.end() :]))
        )
    ):
        return f"{prefix[0]}-{word[prefix.end() :]}"
    if is_english(word):  # "defence" where the documents write "defense", or the other way
        spelt = [v for v in _other_spellings(word) if lexicon.document_frequency.get(_stem(v))]
        return spelt[0] if spelt and not named else None
    frequency: dict[str, int] = {}
    for variant in _one_letter_off(word):
        stem = _stem(variant)
        held = lexicon.document_frequency.get(stem, 0)
        if held and _as_written(variant, stem, named):
            frequency[variant] = held
    return max(frequency, key=lambda v: (frequency[v], v)) if frequency else None


def _as_written(variant: str, stem: str, named: bool) -> bool:
    """The variant is a word as the documents would write it: a name they hold as is
    ("hegseth"), or for a word not capitalised, a dictionary word ("afraid"); not a stem's
    spelling ("technics" of "technic(al)")."""
    if named:
        return variant == stem and not is_english(variant)
    plural = variant.endswith("s") and in_dictionary(variant[:-1])  # "hallucinations"
    return variant == stem or in_dictionary(variant) or plural


# British and American spellings of one word: (one ending, the other)
_SPELLINGS = (
    ("ence", "ense"),  # defence, licence, offence
    ("our", "or"),  # behaviour, favour, labour
    ("ise", "ize"),  # organise, criticise, recognise
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("isation", "ization"),
    ("isations", "izations"),
    ("yse", "yze"),  # analyse
    ("tre", "ter"),  # centre
    ("tres", "ters"),
    ("ogue", "og"),  # catalogue
    ("lled", "led"),  # cancelled
    ("lling", "ling"),
    ("mme", "m"),  # programme
    ("mmes", "ms"),
)


def _other_spellings(word: str) -> list[str]:
    """The word spelt the other side of the Atlantic ("defence" -> "defense")."""
    return [
        word[: -len(one)] + other
        for pair in _SPELLINGS
        for one, other in (pair, pair[::-1])
        if word.endswith(one) and len(word) > len(one) + 2
    ]


def _one_letter_off(word: str) -> set[str]:
    cut = (word[:i] + word[i + 1 :] for i in range(len(word)))
    added = (word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS)
    changed = (word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in _LETTERS)
    swapped = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
    return set(itertools.chain(cut, added, changed, swapped)) - {word}


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    stems = terms(word)
    return stems[0] if len(stems) == 1 else ""
