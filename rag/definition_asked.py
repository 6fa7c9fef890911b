"""Which questions ask what something is ("what is Claude Gov?", "who is Michael Horowitz?"),
and of what: a bare name or noun phrase, not one a clause follows ("what is the drug that ...")
nor a role ("who is Anthropic's CEO" asks for the person)."""

from __future__ import annotations

import re

_DEFINITION = re.compile(
    r"^\s*(?:what|who)(?:\s+is|\s+are|\s+was|\s+were|['’]?s\b)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$"
    r"|^\s*what does\s+(.+?)\s+(?:mean|stand for)\s*\??\s*$|^\s*define\s+(.+?)\s*\??\s*$"
    r"|^\s*(.+?)\s+(?:stands? for|means?)\s+what\s*\??\s*$",
    re.IGNORECASE,
)
_POSSESSIVE_ROLE = re.compile(r"\w['’]s?\s+\w")  # "Anthropic's CEO", "the Smiths' lawyer"
_CLAUSE = re.compile(
    r"\b(?:that|which|who|when|where|whose|after|before|because|did|does|do|has|have|had"
    r"|in|on|at|by|for|from|with|during)\b",
    re.IGNORECASE,
)


def definition_subject(question: str) -> str:
    """The X of "What is X?" when X is a bare name or noun phrase (no clause after it: "what
    is the drug that ..." asks for something else)."""
    match = _DEFINITION.match(question)
    if not match:
        return ""
    subject = next(group for group in match.groups() if group)
    subject = subject.split(",")[0].strip()  # "Michael Horowitz, the expert quoted ..."
    if len(subject.split()) > 6 or _CLAUSE.search(subject):
        return ""
    asks_who = question.lstrip()[:3].lower() == "who"
    if asks_who and not (subject[:1].isupper() and not match.group(0).lower().count(" the ")):
        return ""  # "who is the secretary of defense" asks for a person, not a description
    if asks_who and _POSSESSIVE_ROLE.search(subject):
        return ""  # "who is Anthropic's CEO" asks for the person holding a role
    return subject
