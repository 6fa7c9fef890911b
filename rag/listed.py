""" "What are the main risks Anthropic is worried about?": a page lists such things one a line
under a heading in its own words ("What Anthropic is Afraid Of"), which the question's words
miss; the heading that names the question's subject and says one of its words in a synonym
leads, its list below it."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.outline import Block, Candidate
from rag.said import said_as
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import ShortAnswer

# "what topics are on the table?", "what are the main risks ...?", "which dangers ...?"
LISTED_QUESTION = re.compile(
    r"^\s*(?:so\s+)?(?:what|which)\s+(?:(?:are|were)\s+)?(?:the\s+|\w+['’]s\s+)?(?:main\s+"
    r"|key\s+|biggest\s+|major\s+|specific\s+|election\s+|legal\s+|security\s+)?(?:topics"
    r"|risks|dangers|areas|issues|concerns|fears|worries|threats|points|steps|examples|types"
    r"|kinds)\b"
    r"|(?:,|\bin)\s+(?:a\s+)?list\s*(?:pls|please)?\s*\??\s*$|^\s*list\s+(?:the|all)\b",
    re.IGNORECASE,
)


# What someone fears is a danger: "What Anthropic is Afraid Of" lists "the dangers Anthropic
# sees"
_FEARED = frozenset(terms("afraid scared fear fears worried concerned"))
_DANGERS = frozenset(terms("danger dangers threat threats risk risks hazard hazards"))


def _meant(word: str) -> frozenset[str]:
    return synonyms(word) | (_DANGERS if word in _FEARED else frozenset())


def list_heading_first(question: str, ranked: list[Candidate]) -> Candidate | None:
    """The heading over a bulleted list (among the candidates) that says a word of the
    question as written and another in a synonym ("afraid" for "worried"; what is feared for
    a danger), scored as the best
    candidate; None when the question asks for no list or no heading does."""
    if not ranked or not LISTED_QUESTION.search(question):
        return None
    asked = frozenset(terms(question))
    for candidate in ranked:  # its own words score a list heading low: all are read
        units = candidate.outline.units
        unit = units[candidate.index]
        following = candidate.index + 1
        if not unit.is_heading or following >= len(units) or not units[following].is_item:
            continue
        said = unit.words & asked
        meant = {word for word in unit.words - asked if _meant(word) & asked}
        if said and meant:
            best = ranked[0]  # whether to answer stays the best sentence's call
            return replace(
                candidate, score=best.score, coverage=best.coverage, similarity=best.similarity
            )
    return None


# A list item's label: its first words before a colon or dash ("• Mass Persuasion: AI can ...",
# "• Regulatory Alignment — Coordinating on ...").
_LABEL = re.compile(
    r"[\s•*·‣▪–-]*(?:\d+[.)]\s*)?(?P<label>[A-Z][^:—–\n]{1,60}?)(?::|\s+[—–]\s|\s+-\s)"
)


def item_labels(block: Block) -> ShortAnswer | None:
    """The labels of the lead block's list items, said as one answer ("Mass Persuasion,
    Deepfakes and Hallucinations"), quoted from the first label to the last; None unless
    two or more items, each opening a line, carry a label of six words at most."""
    outline = block.lead.outline
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
        spans.append(label.span("label"))
    if len(spans) < 2:
        return None
    labels = [outline.text[start:end] for start, end in spans]
    said = ", ".join(labels[:-1]) + " and " + labels[-1]
    return said_as(outline, spans[0][0], spans[-1][1], said)
