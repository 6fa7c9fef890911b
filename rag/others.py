""" "Apart from deepfakes and hallucinations, what's the other risk?": the question names the
items it does not want, and its words find them first; the answer is the item of the same
list that it does not name ("Mass Persuasion: ...")."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.names import named_before
from rag.outline import Candidate, Outline
from rag.text import terms

_EXCLUDING = re.compile(
    r"^\s*(?:apart from|aside from|besides|other than|except(?: for)?|not counting)\s+"
    r"(?P<named>[^,?]+?)\s*,",
    re.IGNORECASE,
)
_READ = 6  # best candidates looked at for a named item
_NUMBER = re.compile(r"^\W*\d+[.)]?\W*$")


def excluded(question: str) -> frozenset[str]:
    """The words of the items a question sets aside ("deepfakes", "hallucinations"), or
    none for a question that sets nothing aside."""
    named = _EXCLUDING.search(question)
    return frozenset(terms(named["named"])) if named else frozenset()


def other_item(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The first item, in the list of one of the best candidates naming an item set aside,
    that names none of them, scored as that candidate; None when no list is found or every
    item of it is named."""
    named = excluded(question)
    if not named:
        return None
    for candidate in ranked[:_READ]:
        if not candidate.unit.is_item or not candidate.unit.words & named:
            continue
        passage = candidate.passage
        for first in _items(candidate.outline, candidate.index):
            unit = candidate.outline.units[first]
            inside = passage.start_char <= unit.start and unit.end <= passage.end_char
            if inside and not _item_words(candidate.outline, first) & named:
                return replace(candidate, index=_past_number(candidate.outline, first))
    return None


def _items(outline: Outline, index: int) -> list[int]:
    """The first sentence of each item of the list holding the sentence at `index`."""
    units = outline.units
    start = index
    while start > 0 and units[start - 1].is_item:
        start -= 1
    end = index
    while end + 1 < len(units) and units[end + 1].is_item:
        end += 1
    return [
        i
        for i in range(start, end + 1)
        if i == start or units[i].paragraph != units[i - 1].paragraph
    ]


def _past_number(outline: Outline, first: int) -> int:
    """The item's first sentence past its number ("2." read as a sentence of its own)."""
    units = outline.units
    after = first + 1
    numbered = _NUMBER.match(outline.unit_text(first)) is not None
    return (
        after
        if numbered and after < len(units) and units[after].paragraph == units[first].paragraph
        else first
    )


def _item_words(outline: Outline, first: int) -> frozenset[str]:
    units = outline.units
    words: set[str] = set()
    for unit in units[first:]:
        if unit.paragraph != units[first].paragraph:
            break
        words |= unit.words
    return frozenset(words)


# "which other AI labs got pentagon deals?" asked first: other than the one the best
# sentence is about ("Anthropic was the first major AI lab ..."), named nowhere in the question
_OTHER_ASKED = re.compile(r"\b(?:which|what|any)\s+other\b|\bwho\s+else\b", re.IGNORECASE)
_ALSO = re.compile(r"\b(?:also|too|similar|as\s+well|others?)\b", re.IGNORECASE)


def set_aside(
    question: str, context: str, texts: list[str], labels: tuple[str, ...], ranked: list[Candidate]
) -> frozenset[str]:
    """The terms of the names an answer to "who else ...?" or "which other ...?" is not: the
    ones the earlier question gave (rag/names.py) and the one of the asked kind (`labels`)
    the best sentence gives, when it gives one ("Google, OpenAI, and xAI signed similar
    deals", not "Anthropic was the first major AI lab ..."). Empty for any other question."""
    before = named_before(question, context, texts)
    if not labels or not ranked or not _OTHER_ASKED.search(question):
        return before
    best = ranked[0]
    text = best.outline.text
    found = {
        text[e.start : e.end]
        for e in best.outline.entities([best.index])[best.index]
        if e.label in labels
    }
    found = {name for name in found if not set(terms(name)) <= set(terms(question))}
    also = _ALSO.search(best.outline.unit_text(best.index))  # "OpenAI also signed ...": another
    if len(found) != 1 or also:  # "Google, OpenAI, and xAI signed similar deals": the others
        return before  # (the question's own names, "the Pentagon", not counted)
    return before | frozenset(terms(found.pop()))
