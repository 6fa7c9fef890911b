"""Questions asking what sort of thing was done ("what sort of work was team trump hoping to
hand off to claude?"): examples answer them ("personalized fundraising emails, SMS targeting,
and perhaps even drafting policy responses"), not a sentence saying some work was wanted;
and questions asking for N things ("what two camps ...?"), answered by a block listing them."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.outline import Outline
from rag.said import said_as, sentence_span
from rag.types import ShortAnswer

EXAMPLES_ASKED = re.compile(
    r"\bwhat\s+(?:sorts?|kinds?|types?)\s+of\s+(?:work|tasks?|jobs?|things|stuff|uses?|content"
    r"|activities|projects|purposes|outreach)\b",
    re.IGNORECASE,
)
_PHRASE = r"[\w'’-]+(?: [\w'’-]+){0,4}"
SERIES = re.compile(rf"\b{_PHRASE}, {_PHRASE}, (?:and|or) (?:perhaps |even |maybe )*\w+")
_ENUMERATION_QUESTION = re.compile(
    r"\b(two|three|four|five|six|both)\s+(?:[a-z-]+\s+)?[a-z-]+s\b"
    # "name a couple of the things ...", "one of the risks in the list of ...": a list answers
    r"|\b(a couple of|a few of|some of|one of|any of|the list of|listed as)\s+(?:the\s+)?\w+s\b",
    re.IGNORECASE,
)
_ENUMERATES = re.compile(
    r"\b(?:on (?:the )?one (?:side|hand)|on the other (?:side|hand)|first(?:ly)?|second(?:ly)?"
    r"|third(?:ly)?|the former|the latter|another|both|either|whereas)\b",
    re.IGNORECASE,
)
# Two things in parallel, each after the same word: "to fully control lethal autonomous
# weapons or to conduct mass surveillance" (not "from avoiding defense work to embracing it")
_PAIR = re.compile(
    r"\b(?P<word>to|for|on|against)\s+[^,.;:]{3,80}?\s+(?:or|and)\s+(?P=word)\s+"
    r"(?!the\b)[^,.;:]{3,}",
    re.IGNORECASE,
)
_TWO = frozenset({"two", "both"})
# the words that introduce the examples: "We're talking about ...", "such as ..."
_INTRODUCED = re.compile(
    r".*?\b(?:talking about|such as|including|like|namely|for example|for instance)\s+",
    re.IGNORECASE,
)


def examples(outline: Outline, indices: list[int]) -> ShortAnswer | None:
    """The first of these sentences running examples in a series, from its first example
    (past "We're talking about", "such as") to its end; None when none does."""
    for index in indices:
        if SERIES.search(outline.unit_text(index)) is None:
            continue
        start, end = sentence_span(outline, index)
        introduced = _INTRODUCED.match(outline.text, start, end)
        if introduced is not None and introduced.end() < end:
            start = introduced.end()
        return said_as(outline, start, end)
    return None


def enumeration_asked(question: str) -> str | None:
    """How many things the question asks for ("two" of "what two camps ...?", "a couple
    of"); None when it asks for no number of things."""
    asked = _ENUMERATION_QUESTION.search(question)
    return None if asked is None else (asked[1] or asked[2])


def enumerates(block: Block, count: str | None = None) -> bool:
    """Two or more list items, or prose that counts through its items ("on one side ...
    on the other side") or runs them in a series ("fundraising emails, SMS targeting, and
    ... policy responses"); asked for two (`count`), a series of three is not the answer,
    but two things in parallel are ("to fully control ... weapons or to conduct ...")."""
    two = count is not None and count.lower() in _TWO
    return (
        sum(unit.is_item for unit in block.units) >= 2
        or len(_ENUMERATES.findall(block.text)) >= 2
        or (not two and SERIES.search(block.text) is not None)
        or (two and _PAIR.search(block.lead.outline.unit_text(block.lead.index)) is not None)
    )
