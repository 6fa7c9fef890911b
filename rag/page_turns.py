"""Bare follow-ups that ask of the page the last answer came from: "says who?", "src?" (what
the page cites), "when?" after "who wrote the piece on ...?" (when it was published) and
"who else?" after it (who added reporting). Asked of the event instead, "when?" found a
sentence about another time and "who else?" another person of the text."""

from __future__ import annotations

import re

from rag.page_facts import PageFact, asked_fact

# "says who?": what the previous answer's page cites for it; "where'd they source the
# story"; not "who said that?": the speaker
_SAYS_WHO = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:says\s+who|who\s+says(?:\s+so)?"
    r"|according\s+to\s+(?:whom|who)|where(?:['’]d|\s+did|\s+do)\s+they\s+(?:get|source|find)"
    r"\s+(?:the|this|that|their)\s+(?:story|info|information))\s*\??\s*$",
    re.IGNORECASE,
)
# "source?", "src?": the sources the page of the last answer lists ("The Economic Times");
# where it lists none, the turn is answered in the context of the last one, by the passage
# saying who told it ("according to one source familiar ...", "The Wall Street Journal
# reported")
_BARE_SOURCE = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:sources?|src|what(?:['’]s|\s+is)\s+(?:the"
    r"|their|its|your)\s+source)\s*\??\s*$",
    re.IGNORECASE,
)
_BARE_WHEN = re.compile(r"^\W*(?:and\s+|so\s+)?when(?:\s+was\s+(?:that|it|this))?\W*$", re.I)
_WHO_ELSE = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+else\W*$", re.IGNORECASE)
_OF_THE_PAGE = frozenset({PageFact.WRITER, PageFact.CONTRIBUTORS, PageFact.OUTLET})


def asks_of_the_page(question: str) -> bool:
    """ "says who?", "src?": a follow-up whatever the last turn was."""
    return bool(_SAYS_WHO.match(question) or _BARE_SOURCE.match(question))


def page_follow_up(question: str, previous: str) -> str | None:
    """The page question a bare follow-up asks after the `previous` question (its own
    words): "Where's that story from?" for "says who?", "What are its sources?" for "src?",
    "When is it from?" for "when?" after a question about who wrote or published a page,
    "Who contributed additional reporting to it?" for "who else?" after who wrote it; None
    for any other."""
    if _SAYS_WHO.match(question):
        return "Where's that story from?"
    if _BARE_SOURCE.match(question):
        return "What are its sources?"
    fact = asked_fact(previous)
    if fact in _OF_THE_PAGE and _BARE_WHEN.match(question):
        return "When is it from?"
    if fact is PageFact.WRITER and _WHO_ELSE.match(question):
        return "Who contributed additional reporting to it?"
    return None
