"""Yes or no for "Are A and B in the same province?", from the two leads a comparison
(rag.hops) cites: each names its place with the asked-for noun ("Jiangsu province"), or, asked
for a state, the state of a US address ("Jefferson County, New York, United States"); the same
name says yes, two names say no. Anything less certain gives no verdict."""

from __future__ import annotations

import re

from rag.nlp import entities
from rag.types import Citation, ShortAnswer

_SAME = re.compile(r"^\s*(?:are|is|were|was|do|does|did)\b.*\bsame\s+([a-z]+)\b", re.IGNORECASE)
_PLACE = frozenset({"GPE", "LOC", "FAC"})
_COUNTRY_OF_STATES = re.compile(r"(?:the\s+)?United\s+States\b", re.IGNORECASE)
_US_ADDRESS = re.compile(
    r"\b(?:County|Parish|Borough|[A-Z][a-z]+),\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?),\s+"
    r"(?:the\s+)?(?:United States|U\.S\.A?\.?|USA)\b"
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
