""" "What are the main risks Anthropic is worried about?": a page lists such things one a line
under a heading in its own words ("What Anthropic is Afraid Of"), which the question's words
miss; the heading that names the question's subject and says one of its words in a synonym
leads, its list below it."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.blocks import Block, is_title_line
from rag.outline import Candidate, Outline
from rag.said import said_as
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import ShortAnswer

_TALKED = (  # "what are anthropic and the white house talking about?": the talks' topics
    r"^\s*(?:so\s+)?what\s+(?:\w+\s+){0,3}?(?:are|were|is|was|do|does|did)\s+"
    r"(?:[\w'’-]+\s+){1,6}?(?:talking|discussing|negotiating|talk|discuss|negotiate)"
    r"(?:\s+(?:about|regarding|on|for|in|at|during)\b[^?]*)?\s*\??\s*$"  # "... about the model"
    r"|^\s*(?:so\s+)?what(?:['’]s|\s+is|\s+are|\s+was|\s+were)\s+(?:being\s+|getting\s+)?"
    r"(?:discussed|talked\s+about)\s+(?:in|at|during)\s+(?:the\s+|these\s+|those\s+"
    r"|[\w-]+['’]s\s+)?(?:[a-z-]+\s+)?(?:talks|negotiations|discussions)\b"  # "... in the
    # talks?", "... in Anthropic's direct talks"
)
# "what topics are on the table?", "what are the main risks ...?", "which dangers ...?",
# "what are they discussing?" (its topics), "what's on the agenda in the talks?"
LISTED_QUESTION = re.compile(
    r"^\s*(?:so\s+)?(?:what|which)\s+(?:(?:are|were)\s+)?(?:the\s+|\w+['’]s\s+)?"
    r"(?:(?:\d+|two|three|four|five|six)\s+)?(?:main\s+|key\s+|big\s+|biggest\s+|top\s+"
    r"|major\s+|specific\s+|election\s+|legal\s+|security\s+)?(?P<kind>topics"
    r"|risks|dangers|areas|issues|concerns|fears|worries|threats|points|steps|examples|types"
    r"|kinds|subjects|themes)\b"
    r"|(?:,|\bin)\s+(?:a\s+)?list\s*(?:pls|please)?\s*\??\s*$|^\s*list\s+(?:the|all)\b"
    r"|^\s*(?:so\s+)?what(?:['’]s|\s+is|\s+was|\s+are|\s+were)\s+on\s+the\s+(?:agenda|table)\b"
    r"|^\s*(?:so\s+)?what(?:['’]s|\s+is|\s+was)\s+(?:the\s+|their\s+)?agenda\s+(?:of|for|at|in)\b"
    r"|\b(?:topics|agenda)\s*\??\s*$"  # "anthropic next model talks topics"
    rf"|{_TALKED}",
    re.IGNORECASE,
)


_TOPICS = frozenset(terms("topic topics"))
_SECTION_READ = 3  # best candidates read for a heading the question says
# What someone fears is a danger: "What Anthropic is Afraid Of" lists "the dangers Anthropic
# sees"
_FEARED = frozenset(terms("afraid scared fear fears worried concerned"))
_DANGERS = frozenset(terms("danger dangers threat threats risk risks hazard hazards"))


def _meant(word: str) -> frozenset[str]:
    return synonyms(word) | (_DANGERS if word in _FEARED else frozenset())


def lists_asked(question: str, block: Block) -> bool:
    """The block lists two or more items under words saying the kind of thing asked for
    ("Key Topics in ..." or "... cover several critical areas:" for "what topics ...?"), in
    its sentences, heading or a synonym; any list for "..., list pls"."""
    asked = LISTED_QUESTION.search(question)
    if asked is None or sum(unit.is_item for unit in block.units) < 2:
        return False
    talked = re.search(_TALKED, question, re.IGNORECASE)
    if asked["kind"] is None and not talked:
        return True
    kind = set(terms("topics" if talked else asked["kind"]))
    said = block.words | block.lead.context_words()
    return any(word in said or _meant(word) & said for word in kind)


def list_heading_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The heading over a bulleted list (among the candidates) that says a word of the
    question as written and another in a synonym ("afraid" for "worried"; what is feared for
    a danger) in a document of the three best sentences, scored as the best candidate; None
    when the question asks for no list or no heading does."""
    if not ranked or not LISTED_QUESTION.search(question):
        return None
    asked = frozenset(terms(question))
    talked = _TOPICS if re.search(_TALKED, question, re.IGNORECASE) else frozenset()
    sources = {c.passage.source for c in ranked[:3]}  # not Anthropic's fears for the
    # Pentagon's concerns
    for candidate in ranked:  # its own words score a list heading low: all are read
        if candidate.passage.source not in sources:
            continue
        units = candidate.outline.units
        unit = units[candidate.index]
        opener = _list_opener(candidate.outline, candidate.index) if unit.is_heading else None
        if opener is None:
            continue
        said = unit.words & asked
        meant = {word for word in unit.words - asked if _meant(word) & asked}
        meant |= unit.words & talked  # "what are they discussing ...?": "Key Topics in ..."
        if talked and not said and opener != candidate.index:  # "... in the talks?": "The
            intro = units[opener].words  # conversations reportedly cover ...:" says "talks"
            said = frozenset(word for word in intro if word in asked or _meant(word) & asked)
        leads = candidate if opener == candidate.index else _at(ranked, candidate, opener)
        if said and meant and leads is not None:
            best = ranked[0]  # whether to answer stays the best sentence's call
            return replace(
                leads, score=best.score, coverage=best.coverage, similarity=best.similarity
            )
    return None


def section_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The first sentence under a heading among the best candidates that the question says
    every word of ("How other platforms handle this" for "how do other ai platforms handle
    political use?"), when that sentence says another word of it: its section answers, the
    heading only names it. Scored as the best candidate; None for a page's title (its whole
    story is under it) or a heading of fewer than two words."""
    asked = frozenset(terms(question))
    for candidate in ranked[:_SECTION_READ]:
        outline, index = candidate.outline, candidate.index
        unit = outline.units[index]
        heading = unit.is_heading or is_title_line(outline.unit_text(index))
        titled = sum(not u.is_furniture for u in outline.units[:index]) < 2  # (said twice)
        if not heading or titled or len(unit.words) < 2 or not unit.words <= asked:
            continue
        following = _at(ranked, candidate, index + 1)
        if following is None or outline.units[index + 1].is_heading or following.unit.is_item:
            continue  # (a list under it: list_heading_first's, its items asked one by one)
        if following.unit.words & (asked - unit.words):  # says the rest of it too: not "What
            # Anthropic is Afraid Of" for what it feared the new Pentagon wording would allow
            best = ranked[0]
            return replace(
                following, score=best.score, coverage=best.coverage, similarity=best.similarity
            )
    return None


def _list_opener(outline: Outline, index: int) -> int | None:
    """The unit right above a list's items: the heading `index` itself, or the line after
    it introducing them ("The conversations reportedly cover several critical areas:");
    None when no items follow."""
    units = outline.units
    if index + 1 < len(units) and units[index + 1].is_item:
        return index
    introduces = index + 1 < len(units) and outline.unit_text(index + 1).rstrip().endswith(":")
    return index + 1 if introduces and index + 2 < len(units) and units[index + 2].is_item else None


def _at(ranked: list[Candidate], near: Candidate, index: int) -> Candidate | None:
    """The candidate of unit `index` in `near`'s document, if one was retrieved."""
    source = near.passage.source
    return next((c for c in ranked if c.passage.source == source and c.index == index), None)


# A list item's label: its first words before a colon or dash ("• Mass Persuasion: AI can ...",
# "• Regulatory Alignment — Coordinating on ...").
_LABEL = re.compile(
    r"[\s•*·‣▪–-]*(?:\d+[.)]\s*)?(?P<label>[A-Z][^:—–\n]{1,60}?)(?::|\s+[—–]\s|\s+-\s)"
)

_NOT_LABELS = frozenset({"note", "nb", "n.b", "example", "e.g", "source", "update", "see"})


def item_labels(block: Block) -> ShortAnswer | None:
    """The labels of the lead block's list items, said as one answer ("Mass Persuasion,
    Deepfakes and Hallucinations"), quoted from the first label to the last; None unless
    two or more items, each opening a line, carry a label of six words at most, or the list
    goes on past the block (its labels would be said as if they were all)."""
    outline = block.lead.outline
    units = outline.units
    first, last = block.indices[0], block.indices[-1]
    if (last + 1 < len(units) and units[last + 1].is_item) or (
        first > 0 and units[first].is_item and units[first - 1].is_item
    ):
        return None
    starts = [
        unit
        for i, unit in zip(block.indices, block.units, strict=True)
        if unit.is_item and (i == 0 or outline.units[i - 1].paragraph != unit.paragraph)
    ]
    spans = []
    for unit in starts:
        line_start = outline.text.rfind("\n", 0, unit.start) + 1
        label = _LABEL.match(outline.text, line_start, unit.end)
        if label is None or len(label["label"].split()) > 6:
            return None
        start, end = label.span("label")
        end = start + len(label["label"].rstrip("*_ "))  # "**Safety**:"
        if outline.text[start:end].lower() in _NOT_LABELS:
            return None
        spans.append((start, end))
    if len(spans) < 2:
        return None
    labels = [outline.text[start:end] for start, end in spans]
    said = ", ".join(labels[:-1]) + " and " + labels[-1]
    return said_as(outline, spans[0][0], spans[-1][1], said)
