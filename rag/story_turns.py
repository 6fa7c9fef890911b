"""Follow-ups answered from the page the last answer came from, whatever they share with it:
what came next ("what happened after that?", "and then what?", "what did anthropic do
after?") is told in the sentences after the one the last answer led with, and "whats the
takeaway for us then?" by the page's advice."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.advice import PAGE_ADVICE, told_advice
from rag.blocks import grow_block
from rag.compose import Draft, compose
from rag.outline import Candidate, Outline
from rag.overview import page_passages
from rag.store_reader import StoreReader
from rag.types import Document, Passage

_THEN = r"(?:next|then|afterwards?|after(?:\s+(?:that|this|it))?)"
ASKS_NEXT = re.compile(
    r"^\W*(?:(?:and|so|ok|okay)\W+)?(?:"
    rf"what\s+(?:happened|came|followed)\s+{_THEN}"  # told, not "what happens next?" (to come)
    r"|what\s+(?:did|had)\s+(?:[\w'’-]+\s+){1,4}?"
    rf"(?:(?:supposedly|actually|reportedly)\s+)?do\s+{_THEN}"
    r"|then\s+what|what\s+next|what\s+followed)\s*\??\s*$",  # not "and then what, somebody
    re.IGNORECASE,  # complained?": what it says is found by its words
)


def asks_on_page(question: str) -> bool:
    """The follow-up asks what came after what the last answer told, or the page's advice."""
    return ASKS_NEXT.match(question) is not None or PAGE_ADVICE.match(question) is not None


def told_on_page(
    question: str,
    earlier: Draft,
    passages: list[Passage],
    store: StoreReader,
    outline_of: Callable[[Document], Outline],
    room: int,
) -> tuple[Draft, list[Passage], dict[str, Document]] | None:
    """The answer to a follow-up `asks_on_page` from the page `earlier` (the last answer)
    cites first, with that page's passages and document; None when the page tells nothing
    of it."""
    if not earlier.citations:
        return None
    source = earlier.citations[0].source
    paged = page_passages(passages, store, source)
    documents = store.get_documents([source])
    outline = outline_of(documents[source])
    if PAGE_ADVICE.match(question):
        told = told_advice(outline, paged, room, earlier.support)
    else:
        told = told_next(earlier, outline, paged, room)
    return None if told is None else (told, paged, documents)


def told_next(earlier: Draft, outline: Outline, paged: list[Passage], room: int) -> Draft | None:
    """The sentences after the one the earlier answer led with (its short answer's, else its
    first citation's first sentence) in that page, as an answer; None when the page says
    nothing after it, or `paged` (the page's passages) holds none of it."""
    cited, short = earlier.citations[0], earlier.short_answer
    at = cited.start_char
    if short is not None and short.source == cited.source:
        at = short.end_char - 1
    units = outline.units
    lead = next((i for i, unit in enumerate(units) if unit.start <= at < unit.end), len(units))
    shown = (i for i in range(lead + 1, len(units)) if not units[i].is_furniture)
    after = next((i for i in shown if not units[i].is_heading), None)
    if after is None:
        return None
    passage = next((p for p in paged if p.start_char <= units[after].start < p.end_char), None)
    if passage is None:
        return None
    block = grow_block(Candidate(passage, outline, after), room, [])
    return compose([block], paged, earlier.support, None)
