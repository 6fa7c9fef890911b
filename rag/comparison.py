"""Which two named things a question compares (`compared`: rag.hops asks the question of
each), and yes or no for "Are A and B in the same province?" from the two leads it cites:
each names its place with the asked-for noun ("Jiangsu province"), or, asked for a state, the
state of a US address ("Jefferson County, New York, United States"); the same name says yes,
two names say no. Anything less certain gives no verdict."""

from __future__ import annotations

import re
from typing import Any

from rag.nlp import entities, parse
from rag.types import Citation, ShortAnswer

_SAME = re.compile(r"^\s*(?:are|is|were|was|do|does|did)\b.*\bsame\s+([a-z]+)\b", re.IGNORECASE)
_PLACE = frozenset({"GPE", "LOC", "FAC"})
_COUNTRY_OF_STATES = re.compile(r"(?:the\s+)?United\s+States\b", re.IGNORECASE)
_US_ADDRESS = re.compile(
    r"\b(?:County|Parish|Borough|[A-Z][a-z]+),\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+"
    r"(?:the\s+)?(?:United States|U\.S\.A?\.?|USA)\b"
)
_COMPARES = re.compile(  # cues that two named things are compared
    r"\b(?:both|same|common|first|earlier|later|older|younger|more|most|less|larger|"
    r"smaller|bigger|longer|shorter|taller|[a-z]+er than)\b|^(?:which|who)\b.*\bor\b",
    re.IGNORECASE,
)


def same_verdict(question: str, names: list[str], leads: list[Citation]) -> ShortAnswer | None:
    """ "Yes"/"No" with the place each lead names with the question's noun, quoted from the
    first lead; None unless both leads name one."""
    asked = _SAME.search(question)
    if asked is None or len(leads) != 2:
        return None
    noun = asked[1].lower().rstrip("s")
    found = [_place_with(noun, lead.quote) for lead in leads]
    if noun == "state" and None in found:  # "in Jefferson County, New York, United States"
        found = [_us_state(lead.quote) for lead in leads]
    if found[0] is None or found[1] is None:
        return None
    (start, end), other = found[0], found[1]
    first = leads[0].quote[start:end]
    second = leads[1].quote[other[0] : other[1]]
    verdict = "Yes" if first.lower() == second.lower() else "No"
    return ShortAnswer(
        text=f"{verdict}: {names[0]} is in {first}, {names[1]} in {second}",
        source=leads[0].source,
        start_char=leads[0].start_char + start,
        end_char=leads[0].start_char + end,
        quote=first,
    )


def _place_with(noun: str, text: str) -> tuple[int, int] | None:
    """The span of the first place entity holding the noun or followed by it ("Jiangsu
    province", "Jiangxi" + " province")."""
    named = re.compile(rf"\b{noun}s?\b", re.IGNORECASE)
    following = re.compile(rf"\s+{noun}\b", re.IGNORECASE)
    for start, end, label in entities([text])[0]:
        if label not in _PLACE or _COUNTRY_OF_STATES.match(text, start, end):
            continue  # "the United States" holds "states" and is no state
        if named.search(text[start:end]):
            return start, end
        after = following.match(text, end)
        if after:
            return start, after.end()
    return None


def _us_state(text: str) -> tuple[int, int] | None:
    """The span of the US state in the first address ending "<county or parish>, <state>,
    United States" (the way encyclopedia articles place a town or an airport)."""
    found = _US_ADDRESS.search(text)
    return found.span(1) if found else None


def compared(question: str) -> tuple[tuple[int, int], list[str]] | None:
    """The span of "A or B" / "A and B" and the two names, when the question compares two
    named things ("Which band was formed first, The Exies or Circus Diablo?", "Are Nantong
    and Jingdezhen in the same province?"); None otherwise."""
    if not _COMPARES.search(question):
        return None
    doc = parse(question)
    for word in doc:
        if word.dep_ != "cc" or word.lower_ not in ("or", "and"):
            continue
        left = word.head
        right = next((c for c in left.children if c.dep_ == "conj" and c.i > word.i), None)
        if right is None:
            continue
        names = [_name_around(left, doc), _name_around(right, doc)]
        if all(names):
            start, end = names[0][0], names[1][1]  # type: ignore[index]
            texts = [question[a:b] for a, b in names]  # type: ignore[misc]
            return (start, end), texts
    return _joined_names(question, doc)


def _joined_names(question: str, doc: Any) -> tuple[tuple[int, int], list[str]] | None:
    """Two names either side of "and"/"or" the parser did not join ("Watertown
    International Airport and Alexandria International Airport", the "and" hung on the
    second name): the names around it."""
    for word in doc[1:-1]:
        if word.dep_ != "cc" or word.lower_ not in ("or", "and"):
            continue
        left, last = doc[word.i - 1], doc[word.i + 1]
        while last.i + 1 < len(doc) and doc[last.i + 1].pos_ == "PROPN":
            last = doc[last.i + 1]
        first, second = _name_around(left, doc), _name_around(last, doc)
        if first is not None and second is not None and last.pos_ == "PROPN":
            return (first[0], second[1]), [question[slice(*first)], question[slice(*second)]]
    return None


def _name_around(word: Any, doc: Any) -> tuple[int, int] | None:
    """The character span of the capitalised name `word` ends or heads (its compound words,
    a leading "the"), or None when it is no name."""
    if word.pos_ != "PROPN" or not word.text[:1].isupper():
        return None
    first = word
    while first.i > 0 and (
        (doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].dep_ in ("compound", "nmod"))
        or not doc[first.i - 1].whitespace_  # "SARS-CoV" is one name
    ):
        first = doc[first.i - 1]
    if first.i > 0 and doc[first.i - 1].lower_ == "the":
        first = doc[first.i - 1]
    return first.idx, word.idx + len(word.text)
