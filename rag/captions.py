"""A photo's caption, when a question asks about the photo ("when was the pic of amodei at the
senate hearing taken?"): captions are page furniture, never shown to answer anything else (a
caption's date is no date of the story), so the question was declined. The caption of the
retrieved documents that holds most of what the question says of the photo answers it."""

from __future__ import annotations

import itertools
import re

from rag.blocks import Block
from rag.compose import Draft, compose
from rag.outline import CAPTION, Candidate, Outline
from rag.said import said_as
from rag.text import terms
from rag.types import Passage, ShortAnswer

_PHOTO = re.compile(r"\b(?:photo(?:graph)?s?|pics?|pictures?|images?|captions?)\b", re.IGNORECASE)
PHOTO_WORDS = frozenset(
    terms(
        "photo photograph pic picture image caption taken take shot show shows shown event "
        "occasion place location date day year time moment top header banner above"
    )
)  # words about the photo, where it sits or what is asked of it, not what it shows
# ("that photo of him at the top"): not looked for
_HELD = 0.6  # share of the question's other words (by weight) the caption and its page hold
_KNOWN = 0.5  # share of the question's words (by weight) the documents must have at all
_OWN = 0.5  # share of the words its page does not hold that the caption holds itself
_WHEN = re.compile(r"\b(?:when|what (?:date|day|year|month)|which (?:date|day|year))\b", re.I)
_TIMES = frozenset({"DATE", "TIME"})


def asks_about_photo(question: str) -> bool:
    return _PHOTO.search(question) is not None


def caption_answer(
    question: str,
    weights: dict[str, float],
    outlines: list[tuple[Outline, Passage]],
    passages: list[Passage],
) -> Draft | None:
    """The caption holding the most of the question's words (`weights`, the photo words left
    out), with its page's title and front matter at least _HELD of them, itself at least _OWN
    of those its page does not hold,
    as the answer (the share held its evidence); for a when-question its date is the short
    answer. None when no caption holds enough (then the text answers it like any other).
    Only the question's own words count: what a follow-up leans on ("what did amodei write
    in his january post") says nothing of the photo."""
    typed = frozenset(terms(question))
    weights = {term: weight for term, weight in weights.items() if term in typed} or weights
    pages = {
        id(passage): frozenset(terms(passage.title))
        | frozenset(terms(outline.text[: outline.body_start]))
        for outline, passage in outlines
    }
    known = frozenset().union(
        *pages.values(), *(unit.words for outline, _ in outlines for unit in outline.units)
    )  # a word no document has tells no caption apart
    asked = list(weights)  # in the question's order: "ars technica" written "arstechnica"
    joined = {
        t for a, b in itertools.pairwise(asked) if _written_joined(a, b, known) for t in (a, b)
    }
    total = sum(w for t, w in weights.items() if t in known or t in joined)
    if total < _KNOWN * sum(weights.values()):
        return None
    best: tuple[float, Outline, Passage, list[int]] | None = None
    for outline, passage in outlines:
        page = pages[id(passage)]
        for caption in _captions(outline, passage):
            words = frozenset().union(*(outline.units[i].words for i in caption))
            held = sum(w for t, w in weights.items() if t in words | page | joined) / total
            rest = {t: w for t, w in weights.items() if t not in page | joined}  # "Dario Amodei"
            own = (
                sum(w for t, w in rest.items() if t in words) / sum(rest.values()) if rest else 1.0
            )
            # every word the page's: "the photo in the wired article" is that page's caption
            if own >= _OWN and held >= _HELD and (best is None or held > best[0]):
                best = (held, outline, passage, caption)
    if best is None:
        return None
    held, outline, passage, caption = best
    shown = [i for i in caption if not CAPTION.match(outline.unit_text(i))] or caption
    block = Block(Candidate(passage, outline, shown[0]), shown)
    short = _date(outline, shown) if _WHEN.search(question) else None
    return compose([block], passages, round(held, 4), short)


def _written_joined(first: str, second: str, known: frozenset[str]) -> bool:
    """Two stems of the question written as one word by the documents ("ar" + "technica" in
    "arstechnica"; a stem may have lost a letter or two)."""
    if first in known and second in known:
        return False
    most = len(first) + len(second) + 2
    return any(
        len(word) <= most and word.startswith(first) and word.endswith(second) for word in known
    )


def _captions(outline: Outline, passage: Passage) -> list[list[int]]:
    """The units of each caption line inside the passage: page furniture on a line with a
    credit ("Credit: Getty Images")."""
    lines: dict[int, list[int]] = {}
    for index, unit in enumerate(outline.units):
        inside = passage.start_char <= unit.start and unit.end <= passage.end_char
        if inside and unit.is_furniture and not unit.is_heading:
            lines.setdefault(unit.paragraph, []).append(index)
    return [
        indices
        for indices in lines.values()
        if any(CAPTION.search(outline.unit_text(i)) for i in indices)
    ]


def _date(outline: Outline, indices: list[int]) -> ShortAnswer | None:
    """The caption's first date ("Tuesday, July 25, 2023")."""
    for entities in outline.entities(indices).values():
        for entity in entities:
            if entity.label in _TIMES:
                return said_as(outline, entity.start, entity.end)
    return None
