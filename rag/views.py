"""Questions asking how someone sees a thing ("how does the trump camp describe anthropic's
refusal?"): a sentence giving that side's view answers them ("The response from the Trump
camp was predictable. They view this as Silicon Valley censorship."), not one saying what
the thing is in the writer's own view ("Anthropic's refusal ... is a form of risk
management") or by what means it was done."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.said import said_as, sentence_span, shown_units
from rag.text import terms
from rag.types import ShortAnswer

VIEW_ASKED = re.compile(
    r"^\s*how(?:['’]s|['’]re|\s+(?:do|does|did|is|are|was|were|would|will))\s+(?P<who>.+?)\s+"
    r"(?:view|see|describe|characteri[sz]e|interpret|portray|frame|framing|spin|spinning|regard"
    r"|perceive|paint|cast"
    r"|feel about|read)\b",
    re.IGNORECASE,
)
# a view said: "They view this as ...", "In their eyes, ...", "calls it ...", "see it as"
_VIEW_SAID = re.compile(
    r"\b(?:views?|viewed|viewing|sees?|saw|regards?|regarded|describes?|described|calls?"
    r"|called|brands?|branded|labels?|labell?ed|paints?|painted|frames?|framed)\s+"
    r"(?:this|that|it|the \w+|them|him|her)\s+as\b|\bin (?:their|his|her|its) (?:eyes|view)\b",
    re.IGNORECASE,
)
# A side's view is said in few of the question's words ("They view this as Silicon Valley
# censorship" for "how is the trump side spinning the ban?"): it may lead scoring this share
# of the best, as the viewer named and a view said keep other sentences out.
VIEW_FLOOR = 0.3
# words naming a side in general, not which one: "the trump side", "team trump"
_GENERAL = frozenset(terms("side sides camp camps team people folks crowd world the"))


def viewer(question: str) -> frozenset[str]:
    """The terms naming whose view a how-do-they-see-it question asks ("trump" of "the trump
    camp"); empty for any other question."""
    asked = VIEW_ASKED.search(question)
    if asked is None:
        return frozenset()
    who = frozenset(terms(asked["who"]))
    return (who - _GENERAL) or who


def gives_view(block: Block, who: frozenset[str]) -> bool:
    """A shown sentence says how someone sees a thing, and the block names the one asked
    about."""
    return bool(who & block.words) and _VIEW_SAID.search(block.text) is not None


def view(block: Block) -> ShortAnswer | None:
    """The view the block's first sentence saying one gives, from after its "as" (or "in
    their eyes,") to its end ("Silicon Valley censorship"); None when none says one."""
    outline = block.lead.outline
    for index in shown_units(block):
        start, end = sentence_span(outline, index)
        said = _VIEW_SAID.search(outline.text, start, end)
        if said is not None:
            begin = said.end()
            while begin < end and outline.text[begin] in " ,":
                begin += 1
            return said_as(outline, begin, end) if begin < end else None
    return None
