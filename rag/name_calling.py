"""What someone called someone ("what did trump call anthropic?", "what insult did trump throw
at anthropic?"): a quotation naming the one called answers it, and its short answer is the
words naming them ("Leftwing nut jobs at Anthropic"), not the whole quote or a sentence
that only mentions both."""

from __future__ import annotations

import re
from typing import NamedTuple

from rag import nlp
from rag.blocks import Block
from rag.said import said_as, sentence_span, shown_units
from rag.subjects import THING_CALLED
from rag.text import QUOTATION, terms
from rag.types import ShortAnswer
from rag.weights import CHAT_WORDS

_CALLED = (
    r"(?:call|called|calling|label|labell?ed|brand|branded|dub|dubbed|insult|insulted"
    r"|slam|slammed|mock|mocked)"
)
_EPITHETS = r"(?:insults?|names?|nicknames?|labels?|slurs?)"
CALLING_ASKED = re.compile(
    rf"^\s*(?:what|how)(?:\s+{_EPITHETS})?\s+(?:did|does|do|has|had)\s+(?P<caller>.+?)\s+{_CALLED}\s+"
    r"(?P<called>.+?)\s*\??\s*$"
    rf"|^\s*what\s+{_EPITHETS}\s+(?:did|does|has|had)\s+"
    r"(?P<caller2>.+?)\s+(?:\w+\s+){0,2}?(?:at|on|against|for)\s+(?P<called2>\S+(?:\s+\S+)?)",
    re.IGNORECASE,
)
# words asking for the insult, said by no page: "insult", "throw", "names"
CALLING_WORDS = frozenset(
    terms("call called insult insults throw threw hurl hurled name names nickname label slur")
)
# A quote naming the one called may say little else of the question ("The Leftwing nut jobs
# at Anthropic have made a DISASTROUS MISTAKE ...", Trump said): it may lead down to this
# share of the best score.
CALLING_FLOOR = 0.3
_GENERAL = frozenset(terms("the people folks guys team staff"))
# "what did he call the company?": the quote names it ("nut jobs at Anthropic")
_ANY_COMPANY = frozenset(terms("company firm startup lab outfit"))
_PREPOSITIONS = frozenset("at of from in".split())


class Calling(NamedTuple):
    """Who called (terms of "trump") and whom ("anthropic") a question asks about."""

    caller: frozenset[str]
    called: frozenset[str]


def called_one(question: str) -> Calling | None:
    """Who a what-did-X-call-Y question asks about; None for any other question."""
    asked = CALLING_ASKED.search(question)
    if asked is None or THING_CALLED.match(question):
        return None
    called = asked["called"] or asked["called2"] or ""
    called = re.split(r"\s+(?:when|after|as|in|over|because|during)\b", called)[0]
    caller = frozenset(terms(asked["caller"] or asked["caller2"] or "")) - _GENERAL
    if not called:
        return None
    named = frozenset(terms(called)) - _GENERAL - CHAT_WORDS  # "them lol": no one named
    return Calling(caller, named or _ANY_COMPANY)  # "what did he call them?": as the company,
    # the name a quote calls something ("nut jobs at Anthropic")


def quotes_calling(block: Block, calling: Calling) -> bool:
    """A shown sentence quotes the caller, whom the block names, and the quote names the
    one called."""
    outline = block.lead.outline
    return bool(calling.caller & block.words) and any(
        _names_called(quote[1], calling.called)
        for index in shown_units(block)
        for quote in QUOTATION.finditer(outline.unit_text(index))
    )


def _names_called(quote: str, called: frozenset[str]) -> bool:
    """The quote names the one called, or (asked of "the company") calls a name something
    ("nut jobs at Anthropic")."""
    if called and called <= _ANY_COMPANY:
        return _naming_phrase(quote, called) is not None
    return bool(set(terms(quote)) & called)


def epithet(block: Block, calling: Calling) -> ShortAnswer | None:
    """The noun phrase of a quote that names the one called, from its first word after any
    article ("Leftwing nut jobs at Anthropic" of "The Leftwing nut jobs at Anthropic have
    made ..."); None when the block does not quote the caller so."""
    if not quotes_calling(block, calling):
        return None
    outline = block.lead.outline
    for index in shown_units(block):
        start, end = sentence_span(outline, index)
        for quote in QUOTATION.finditer(outline.text, start, end):
            found = _naming_phrase(quote[1], calling.called)
            if found is not None:
                begin = quote.start(1)
                return said_as(outline, begin + found[0], begin + found[1])
    return None


def _naming_phrase(quote: str, called: frozenset[str]) -> tuple[int, int] | None:
    """(start, end) in `quote` of "<noun phrase> at/of <the one called>"."""
    for token in nlp.parse(quote):
        if not set(terms(token.text)) & called and not (
            called and called <= _ANY_COMPANY and token.pos_ == "PROPN" and token.i > 0
        ):
            continue
        preposition = token.head
        noun = preposition.head
        if preposition.lower_ not in _PREPOSITIONS or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        first = noun.left_edge
        while first.i < noun.i and first.pos_ == "DET":
            first = first.nbor()
        return first.idx, token.idx + len(token.text)
    return None
