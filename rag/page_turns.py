"""Bare follow-ups that ask of the page the last answer came from: "says who?", "src?" (what
the page cites), "when?" after "who wrote the piece on ...?" (when it was published) and
"who else?" after it (who added reporting). Asked of the event instead, "when?" found a
sentence about another time and "who else?" another person of the text."""

from __future__ import annotations

import re

from rag.advice import PAGE_ADVICE
from rag.page_facts import PageFact, asked_fact
from rag.story_turns import ASKS_NEXT

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
    r"^\s*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:how\s+many\s+sources\s+(?:do|does|did)\s+"
    r"(?:they|it)\s+(?:cite|list|use)(?:\s+and\s+which(?:\s+ones?)?)?|sources?|src"
    r"|what(?:['’]?s|\s+is|\s+are)\s+(?:the|their|its|your)\s+(?:(?:only|main|one|cited|listed)\s+)*"
    r"sources?(?:\s+(?:cited|listed))?|what\s+sources?\s+(?:does|do|did)\s+(?:it|they)\s+cite)"
    r"\s*\??\s*$",  # "what's its only cited source?"
    re.IGNORECASE,
)
# "no i meant where did the info come from, whats the source": the page's sources too
_INFO_FROM = re.compile(
    r"^\W*(?:(?:no|nah|sorry)\W+)?(?:i\s+meant\s+)?where\s+(?:did|does|do)\s+(?:the|this|that"
    r"|their|its)\s+(?:info|information|data|story|stuff)\s+come\s+from\b(?:\W+(?:what(?:['’]?s"
    r"|\s+is|\s+are)\s+(?:the|their|its)\s+sources?))?\W*$"
    # "how solid is the sourcing on that article"
    r"|^\W*(?:and\s+|so\s+)?how\s+(?:solid|reliable|good|strong|credible|trustworthy|thin)\s+"
    r"is\s+(?:the|its|their|that)\s+(?:sourcing|sources?)(?:\s+(?:on|in|for|of)\s+(?:that|the"
    r"|this|it)(?:\s+(?:article|piece|story|post|one))?)?\W*$",
    re.IGNORECASE,
)
# "where'd they get it from" after a question of the page (who wrote it): its sources
_GOT_FROM = re.compile(
    r"^\W*(?:and\s+|so\s+)?where(?:['’]d|\s+did|\s+does|\s+do)\s+(?:they|he|she|it|the\s+"
    r"(?:writer|author|reporter|site|article|piece))\s+get\s+(?:it|this|that|the\s+info|their"
    r"\s+info|the\s+story)(?:\s+from)?\W*$",
    re.IGNORECASE,
)
# "pub date?", "publication date?": the page's date, whatever the last turn asked
_PAGE_DATE = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:(?:the\s+|its\s+)?(?:pub|publish|published|publishing|publication)"
    r"\s+date|date\s+(?:published|posted)|(?:published|posted)\s+when)\W*$",
    re.IGNORECASE,
)
_BARE_WHEN = re.compile(r"^\W*(?:and\s+|so\s+)?when(?:\s+was\s+(?:that|it|this))?\W*$", re.I)
_WHO_ELSE = re.compile(r"^\W*(?:and\s+|so\s+)?who\s+else\W*$", re.IGNORECASE)
# "anyone else contribute?", "any other reporters?": after any question of the page
_ANYONE_ELSE = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:(?:did|does|has)\s+)?(?:who|any\s*(?:one|body))\s+else\s+"
    r"(?:contribute"
    r"|contributed|help|helped|work\s+on\s+it|worked\s+on\s+it|report|reported|involved|write"
    r"|wrote)(?:\s+(?:to|on)\s+(?:it|this|the\s+(?:piece|story|article)))?\W*$"
    r"|^\W*(?:and\s+|so\s+)?any\s+other\s+(?:authors?|writers?|reporters?|contributors?"
    r"|bylines?)\W*$",
    re.IGNORECASE,
)
_OF_THE_PAGE = frozenset({PageFact.WRITER, PageFact.CONTRIBUTORS, PageFact.OUTLET})
# "which article was that in?": the title of the page the last answer came from
_WHICH_PAGE = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:which|what)\s+(?:article|piece|story|page|post|report|doc(?:ument)?)"
    r"\s+(?:was|is)\s+(?:that|this|it)\s+(?:in|from|on)\W*$",
    re.IGNORECASE,
)


def asks_of_the_page(question: str) -> bool:
    """ "says who?", "src?", "anyone else contribute?", "what happened next?": a follow-up
    whatever the last turn was."""
    return bool(
        _SAYS_WHO.match(question)
        or _BARE_SOURCE.match(question)
        or _ANYONE_ELSE.match(question)
        or _INFO_FROM.match(question)
        or _PAGE_DATE.match(question)
        or PAGE_ADVICE.match(question)  # "whats the takeaway for us then"
        or ASKS_NEXT.match(question)  # "what happened next?"
        or _WHICH_PAGE.match(question)
    )


def page_follow_up(question: str, previous: str) -> str | None:
    """The page question a bare follow-up asks after the `previous` question (its own
    words): "Where's that story from?" for "says who?", "What are its sources?" for "src?",
    "When is it from?" for "when?" after a question about who wrote or published a page,
    "Who contributed additional reporting to it?" for "who else?" after who wrote it (or
    "anyone else contribute?" after any question of the page); None for any other."""
    if _SAYS_WHO.match(question):
        return "Where's that story from?"
    if _BARE_SOURCE.match(question) or _INFO_FROM.match(question):
        return "What are its sources?"
    if _PAGE_DATE.match(question):
        return "When is it from?"
    if _WHICH_PAGE.match(question):
        return "What's its title?"
    fact = asked_fact(previous)
    if fact is not None and _GOT_FROM.match(question):
        return "What are its sources?"
    if fact in _OF_THE_PAGE and _BARE_WHEN.match(question):
        return "When is it from?"
    if fact is PageFact.WRITER and _WHO_ELSE.match(question):
        return "Who contributed additional reporting to it?"
    if fact is not None and _ANYONE_ELSE.match(question):
        return "Who contributed additional reporting to it?"
    return None
