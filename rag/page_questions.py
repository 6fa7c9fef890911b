"""The page facts one follow-up asks together ("who wrote it and when?", "who wrote the
article and which site?"), asked one by one: each is found on its own line of the page, and
one search for both found only the byline."""

from __future__ import annotations

import re

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
    r"|(?:their|its)\s+sources?))\W*$",
    re.IGNORECASE,
)


def page_questions(question: str) -> list[str]:
    """The page facts a follow-up asks one by one: "who wrote it and when?" is who wrote it
    and when it was published (or, asked so, updated), "... and which site?" which site
    published it, "... and what's their source?" its sources; any other question is asked
    as it is."""
    asked = TWO_PAGE_FACTS.match(question)
    if asked is None:
        return [question]
    if asked["outlet"]:
        return ["Who wrote it?", "Which site published it?"]
    if asked["sources"]:
        return ["Who wrote it?", "What are its sources?"]
    return ["Who wrote it?", "When was it updated?" if asked["changed"] else "When is it from?"]
