"""Questions that insist on one kind of answer ("on what exact date ...?", "which judge
...?", "what's the name of ...?"): when the lead says no such thing, the nearest sentences
are only the topic, so the engine declines (and shows them as the closest passages) rather
than answer beside the point."""

from __future__ import annotations

import re

from rag.outline import Block
from rag.subjects import asks_name
from rag.text import without_terms_quoted

_EXACT_TIME = re.compile(
    r"\b(?:exact|precise|specific)\s+(?:date|day|time|year|month)\b|\bwhen\s+exactly\b",
    re.IGNORECASE,
)
_ROLES = (
    r"(?:judge|justice|staffer|employee|official|aide|lawyer|attorney|spokes(?:person|man|woman)"
    r"|engineer|reporter|journalist)s?"
)
_ROLE_ASKED = re.compile(
    rf"\b(?:which|what)\s+(?:\w+\s+)?{_ROLES}\b"
    rf"|\b(?:who\s+(?:was|is|were|are)|name\s+of)\s+the\s+(?:[\w'’-]+\s+){{0,3}}{_ROLES}\b",
    re.IGNORECASE,
)
_TIMES = frozenset({"DATE", "TIME"})
_PEOPLE = frozenset({"PERSON"})


def lacks_insisted_kind(
    question: str, block: Block, has_short: bool, labels: tuple[str, ...]
) -> bool:
    """The question insists on a kind of answer the lead block does not give: an exact date
    and it names no date or time, a person by their role ("which judge") and it names no
    person; a thing's name, and none was found for it (no short answer) nor is a term quoted;
    a sum of money ("how much is Google's deal worth?"), and none of whose it asks."""
    if asks_name(question) and not has_short:
        return without_terms_quoted(block.text) == block.text  # a term it quotes may be
        # the name ('you have the "Safetyists"')
    if labels == ("MONEY",) and not has_short:
        return True
    if _EXACT_TIME.search(question):
        return not _names(block, _TIMES)
    if _ROLE_ASKED.search(question):
        return not _names(block, _PEOPLE)
    return False


def _names(block: Block, labels: frozenset[str]) -> bool:
    outline = block.lead.outline
    found = outline.entities(block.indices)
    return any(entity.label in labels for entities in found.values() for entity in entities)
