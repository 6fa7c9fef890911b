"""The page facts one follow-up asks together ("who wrote it and when?", "who wrote the
article and which site?"), asked one by one: each is found on its own line of the page, and
one search for both found only the byline."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.compose import Draft
from rag.two_part import joined

# "who wrote it and when?", "who wrote the article and which site?", "who wrote it, and
# what's their source?": its byline and its date, outlet or sources, each a page fact
TWO_PAGE_FACTS = re.compile(
    r"^\W*(?:and\s+)?who\s+(?:wrote|published|reported)\s+(?:it|this|that|the)"
    r"(?:\s+(?:story|article|piece|post|report))?\s*,?\s+(?:and|&)\s+(?:"
    r"(?P<when>when)(?:\s+(?:was|is)\s+(?:it|that|this)\s+(?:last\s+)?"
    r"(?:(?P<changed>updated|modified|revised)|published|posted|written|out)"
    r"|\s+did\s+(?:it|that|this)\s+(?:go\s+(?:up|live|online)|come\s+out))?"
    r"|(?P<outlet>(?:which|what)\s+(?:site|website|outlet|publication|paper|newspaper))"
    r"(?:\s+(?:published|ran|carried)\s+it|\s+(?:was|is)\s+it\s+(?:on|in|from))?"
    r"|(?P<sources>what(?:['’]s|\s+is|\s+are|\s+were)\s+(?:their|its|the|his|her)\s+sources?"
    r"|(?:their|its)\s+sources?|where(?:['’]d|\s+did)\s+(?:they|he|she)\s+get\s+(?:it|that|this"
    r"|the\s+info)(?:\s+from)?))\W*$",  # "who wrote that and where'd they get it from"
    re.IGNORECASE,
)


# "is it originally from ars?", "so it's not an ars original?", "so its a wired story not an
# ars one?": where the page first ran (the outlets named are no topic)
FIRST_RAN = re.compile(
    r"^(?!\W*when\b)(?:.*?\b(?:it|this|that)\s+originally\s+(?:from|ran|run|appeared)\b"
    r"|.*?\b(?:is|was|it['’]?s|it\s+is)\s+(?:it\s+)?(?:not\s+)?(?:an?\s+)?(?!the\b)[\w.-]+"
    r"(?:\s+[\w.-]+)?\s+original\s*\??\s*$"
    r"|.*?\ban?\s+[\w.-]+\s+(?:story|piece|article)\s*,?\s+not\s+an?\s+[\w.-]+(?:\s+one)?"
    r"\s*\??\s*$)",
    re.IGNORECASE,
)


def page_questions(question: str) -> list[str]:
    """The page facts a follow-up asks one by one: "who wrote it and when?" is who wrote it
    and when it was published (or, asked so, updated), "... and which site?" which site
    published it, "... and what's their source?" its sources; any other question is asked
    as it is."""
    if FIRST_RAN.search(question):  # "so its a wired story not an ars one?": the outlets
        return ["Where did it originally run?"]  # named are no topic of its sentences
    asked = TWO_PAGE_FACTS.match(question)
    if asked is None:
        return [question]
    if asked["outlet"]:
        return ["Who wrote it?", "Which site published it?"]
    if asked["sources"]:
        return ["Who wrote it?", "What are its sources?"]
    return ["Who wrote it?", "When was it updated?" if asked["changed"] else "When is it from?"]


def page_fact(own: str, contexts: list[str], answer: Callable[..., Draft]) -> Draft:
    """A follow-up's fact of the page the last answer came from ("who wrote it and when?":
    each fact, joined), asked in the context of each of `contexts` in turn (the earlier
    turn's words, then the page's title: the turn's words may tell little of the page) until
    one is answered; `answer(question, context=...)` drafts from that page's passages."""
    found: Draft | None = None
    for told in dict.fromkeys(contexts):
        drafts = [answer(asked, context=told) for asked in page_questions(own)]
        stated = [d for d in drafts if not d.abstained]
        draft = joined(*stated) if len(stated) == 2 else (stated or drafts)[0]
        if len(stated) == len(drafts):
            return draft
        if found is None or found.abstained:  # one fact of two: the title may find both
            found = draft
    if found is None:
        raise ValueError("page_fact needs a context to ask in")
    return found
