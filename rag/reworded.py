"""The question in the passages' own words: a word no retrieved passage holds, swapped for
the synonym they do hold ("who said the whole fight was pointless?" read as "... was
unnecessary?"), so its meaning is compared with the sentences as staff meant it; MiniLM
sets "pointless" apart from "an unnecessary dispute" (similarity 0.26 against 0.54), and
the evidence that decides abstention fell with it."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from rag.scoring import passage_terms
from rag.synonyms import synonyms
from rag.text import terms

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def reworded(question: str, texts: list[str]) -> str | None:
    """The question with each word the `texts` lack, and of which they hold a synonym,
    written as they write it; None when there is no such word. The texts' terms are the
    ones scoring already read (cached): their words are read only when a word is swapped."""
    held = frozenset().union(*(passage_terms(text) for text in texts))
    swaps: dict[str, str] = {}
    for word in _WORD.findall(question):
        stems = terms(word)
        if len(stems) == 1 and stems[0] not in held:
            found = sorted(term for term in synonyms(stems[0]) if term in held)
            if found:
                swaps[word] = found[0]
    if not swaps:
        return None
    written = _written(texts, frozenset(swaps.values()))
    rewritten = _WORD.sub(lambda m: written.get(swaps.get(m[0], ""), m[0]), question)
    return rewritten if rewritten != question else None


def _written(texts: list[str], wanted: frozenset[str]) -> dict[str, str]:
    """For each wanted term, the plainest word the texts write it as ("custom", not
    "customers")."""
    written: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall(text):
            stems = terms(word)
            shorter = len(stems) == 1 and len(word) < len(written.get(stems[0], word + " "))
            if shorter and stems[0] in wanted:
                written[stems[0]] = word.lower()
    return written


def reworded_meaning(
    question: str, texts: list[str], embed: Callable[[list[str]], np.ndarray]
) -> list[np.ndarray]:
    """The vector of the question in the `texts`' words, if they say one of its words
    otherwise (none: the question's own vector says it)."""
    alike = reworded(question, texts)
    return [] if alike is None else [embed([alike])[0]]
