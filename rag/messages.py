"""A message that is one question in two sentences: told, then asked ("Someone quoted said
the whole fight was pointless. Who said that?" is "Who said the whole fight was
pointless?"), or asked, then asked of ("wasn't there litigation before all this? how did that
turn out?" is "how did the litigation turn out?"); asked alone, the second sentence leaned on
nothing and found nothing."""

from __future__ import annotations

import re

from rag.conversation import IT_ASKED, rule_based
from rag.text import terms

# "Someone quoted said the whole fight was pointless. Who said that?": one question, told
# first and asked after ("Who said that?" alone found nothing to say it of)
_TOLD_THEN_ASKED = re.compile(
    r"^\s*(?P<told>[^?]{12,}?)[.!]\s+(?P<asked>who\s+(?:said|says|claimed|claims|argued"
    r"|argues)|is\s+(?:that|this|it)\s+(?:true|right|correct|accurate))"
    r"(?:\s+(?:that|this|so))?\s*\?\s*$",
    re.IGNORECASE,
)
_TOLD_SAYING = re.compile(
    r"\b(?:said|says|claimed|claims|argued|argues|wrote|called)\s+(?:that\s+)?(?P<what>.+)$",
    re.IGNORECASE,
)
_HEARD = re.compile(
    r"^(?:i\s+(?:heard|read|was\s+told|think|thought)|someone\s+told\s+me|apparently)"
    r"\s+(?:that\s+)?",
    re.IGNORECASE,
)


def asked_of_told(question: str) -> str | None:
    """The one question a message tells, then asks about ("X said Y. Who said that?" ->
    "Who said Y?", "Y. Is that true?" -> "is it true that Y?"): whole, no follow-up of
    the conversation; None for any other message."""
    match = _TOLD_THEN_ASKED.match(question)
    if match is None:
        return None
    told, asked = match["told"].strip(), match["asked"]
    if asked.lower().startswith("who"):
        saying = _TOLD_SAYING.search(told)
        return f"{asked} {saying['what'] if saying else told}?"
    return f"is it true that {_HEARD.sub('', told)}?"


_ITS = re.compile(r"\b(?:it|its|that|this|they|them|their|he|she|him|his|her)\b", re.IGNORECASE)
_CLAIM = re.compile(
    r"^\s*is\s+it\s+(?:true|right|correct|accurate|the\s+case)\s+(?:that\s+)?(?P<claim>.+?)\s*\?$",
    re.IGNORECASE,
)
_WHY_ALONE = re.compile(r"^\s*(?:and\s+|but\s+|if\s+so,?\s+)?(?:why|how\s+come)\s*\??\s*$", re.I)
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.I
)
_TOLD_TERMS = 3  # words a telling says for a question to be asked of it
_ACKNOWLEDGED = re.compile(
    r"^\s*(?:ok(?:ay)?|thanks?|thank\s+you|great|cool|got\s+it|good\s+to\s+know|makes\s+sense"
    r"|sure|nice|perfect)\b",
    re.IGNORECASE,
)
_TWO_ASKED = re.compile(r"^\s*(?P<first>[^?]{8,}[?.!])\s+(?P<then>[^?.!]{2,}\?)\s*$")


def asked_after(message: str) -> str | None:
    """A message asking or telling something, then asking a question leaning on it ("wasn't
    there litigation before all this? how did that turn out?", "The campaign says this is
    censorship. What's their argument?"), as the second asked of the first; else None."""
    parts = _TWO_ASKED.match(message)
    if parts is None:
        return None
    claim = _CLAIM.match(parts["first"])
    if claim and _WHY_ALONE.match(parts["then"]):  # "is it true X? why?": why X
        return f"Why is it that {claim['claim']}?"
    if _YES_NO.match(parts["then"]):
        return None  # "How does it get in? Is it through some partner?": the first is asked
    if not (IT_ASKED.match(parts["then"]) or _ITS.search(parts["then"])):
        return None  # a pronoun, not a bare "and when?": both are asked
    told = parts["first"].endswith((".", "!"))
    thanks = _ACKNOWLEDGED.match(parts["first"])
    if told and (not terms(parts["then"]) or thanks or len(terms(parts["first"])) < _TOLD_TERMS):
        return None  # "That article cites some numbers. What were they?": all in the telling;
        # "Ok thanks, that helps. Who else signed it?": the telling says nothing to lean on
    return rule_based(parts["then"], [parts["first"]])
