"""Questions asking where someone goes instead ("if a campaign gets kicked off claude where do
they go instead?", "what do campaigns use instead?"): no place answers them, but the
sentence saying what they move or switch to ("You move to open-source models"), though it
shares few of their words; what follows its "to" is the short answer."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.said import said_as, shown_sentences
from rag.text import terms
from rag.types import ShortAnswer

MOVE_ASKED = re.compile(
    r"\bwhere (?:do|does|did|would|will|can|could|should|might) .{1,60}?\b"
    r"(?:go|turn|move|switch|head|migrate)\b"
    r"|\bwhere (?:are|is|were|was) .{1,60}?\b(?:going|turning|moving|switching|heading|migrating)"
    r"\b(?!\s*\??\s*$)"  # "... going once cut off", not "where are the talks going?"
    r"|\bwhat\b.{1,60}?\b(?:use|turn to|switch to|go with|do)\s+instead\b"
    r"|\b(?:which|what)\b.{1,60}?\b(?:swap|switch|turn|move|migrate|pivot)\s+to\s*\??\s*$",
    re.IGNORECASE,
)
# Question words that only ask where to ("instead" is kept: a passage saying it often
# gives the alternative).
MOVE_WORDS = frozenset(terms("go turn head swap"))
_MOVED_TO = re.compile(
    r"\b(?:move|moves|moved|moving|switch|switches|switched|switching|shift|shifts|shifted"
    r"|shifting|turn|turns|turned|turning|migrate|migrates|migrated|go|goes|went)"
    r"(?:\s+[\w'’-]+){0,3}?\s+(?:to|toward|towards)\s+(?:the\s+)?",
    re.IGNORECASE,
)
# "instead" ending a clause or before "of" gives an alternative; before a verb ("instead
# permit all lawful use") it tells of a change of terms
_MOVED = re.compile(
    _MOVED_TO.pattern + r"|\binstead\b(?=\s*(?:[,.;:!?]|of\b|$))|\balternatives?\b",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(r"[,;:(]|\s+(?:because|so that|and then)\s")


def says_move(text: str) -> bool:
    """The text says where someone moves, switches or turns to, or what they use instead."""
    return _MOVED.search(text) is not None


def destination(blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """What the first shown sentence of the lead block saying a move moves to ("open-source
    models"), up to the end of its phrase."""
    for order, outline, start, end in shown_sentences(blocks[:1]):
        moved = _MOVED_TO.search(outline.text, start, end)
        if moved is None or moved.end() >= end:
            continue
        stop = _PHRASE_END.search(outline.text, moved.end(), end)
        return said_as(outline, moved.end(), stop.start() if stop else end), order
    return None
