"""A correction of the last turn ("sorry i meant the pentagon one", "no, I meant the one about
the white house talks"): the last question asked again of what was meant, as "what about
...?" asks it; a page meant takes the place of the page the last question named (the name
swapped for a name would put the page's words inside the question's own)."""

from __future__ import annotations

import re

from rag.scoped import PAGE_NOUN

# "sorry i meant X", "no, i meant X", "oops meant X": what about X?
_MEANT = re.compile(
    r"^\s*(?:(?:sorry|oops|no|nah|wait|actually|ah|ok|okay)\b[\s,.!:;-]*)*(?:i\s+)?meant\s+(?!to\b)"
    r"(?P<meant>[^\s,;:?][^,;:?]*?(?:,\s*the\s+one\s+[^,;:?]+?)?)\s*[.?!]*\s*$",  # not "...,
    re.IGNORECASE,  # what does that say?": a question; "the other article, the one about X": X
)
# "the one about X", "the article on X", "the X one", "the X article": a page and its topic
_PAGE_MEANT = re.compile(
    rf"^(?:the\s+)?(?:one|{PAGE_NOUN})\s+(?:about|on|re|covering|regarding)\s+(?P<about>.+)$"
    r"|^the\s+(?!(?:first|second|third|last|other|same|next|previous|earlier|latter|former)\b)"
    rf"(?P<named>.+?)\s+(?:one|{PAGE_NOUN})$",  # not "the second one": one of a list
    re.IGNORECASE,
)
# the page a question names: "the trump u-turn article", "the story on the campaign ban"
_NOT_NAMING = (  # words that end a page's name: a verb or another phrase of the question
    r"(?:what|who|when|where|why|how|which|is|are|was|were|do|does|did|say|says|said|think"
    r"|thinks|write|wrote|report|reports|reported|the|a|an|in|on|of|about|to|for)"
)
_PAGE_NAMED = re.compile(
    rf"\b(?:the|that|this)\s+(?:(?!{_NOT_NAMING}\b)[\w'’.&/-]+\s+){{0,4}}?{PAGE_NOUN}\b"
    rf"(?:\s+(?:on|about|covering|regarding)\s+[^,?;:!]+?(?=\s*(?:[,?;:!]|$)|\s+{_NOT_NAMING}\b))?",
    re.IGNORECASE,
)


def meant_as_swap(question: str) -> str:
    """ "sorry i meant the pentagon one" as "what about the pentagon one?"; any other question
    as it is."""
    meant = _MEANT.match(question)
    return f"what about {meant['meant'].split(', ')[-1]}?" if meant else question


def page_swapped(subject: str, previous: str) -> str | None:
    """The previous question asked of the page `subject` describes ("the one about the white
    house talks") in place of the page it named ("in the trump u-turn article, what ...?"); None
    when `subject` describes no page or the previous question names none."""
    meant = _PAGE_MEANT.match(subject.strip())
    named = _PAGE_NAMED.search(previous)
    if meant is None or named is None:
        return None
    page = (
        f"the article about {meant['about']}" if meant["about"] else f"the {meant['named']} article"
    )
    return previous[: named.start()] + page + previous[named.end() :]
