"""Who a "what did X say / write / call ...?" question asks about: the answer is X's words,
so a lead must name X (not what someone else said)."""

from __future__ import annotations

import re
from functools import lru_cache

from rag.text import terms

# "What did <speaker> say / write / call / think ...?": the answer is the speaker's words.
_SPEAKER = re.compile(
    r"^\s*what\s+(?:did|does|do|has|have|had)\s+((?:(?!\b(?:that|which|who)\b).){2,60}?)\s+"
    r"(?:say|said|saying|write|wrote|written|tell|told|telling|argue|argued|claim|claimed|warn"
    r"|warned|call|called|calling|post|posted|tweet|tweeted|announce|announced|reply|replied"
    r"|answer|answered|respond|responded|think|thought|believe|believed|feel|felt)\b",
    re.IGNORECASE,
)
_NOT_SPEAKERS = frozenset(terms("article document text page report story author writer piece"))


@lru_cache(maxsize=256)
def speaker_terms(question: str) -> frozenset[str]:
    """The terms naming who a "what did X say / write / call ...?" question asks about
    ("Dario Amodei" -> dario, amodei; "the OpenAI boss" -> openai, boss); empty for any other
    question, or when X is the document itself ("what does the article say ...")."""
    match = _SPEAKER.match(question)
    if not match:
        return frozenset()
    said_by = frozenset(terms(match[1]))
    return frozenset() if said_by & _NOT_SPEAKERS else said_by
