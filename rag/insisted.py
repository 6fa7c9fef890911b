"""Questions that insist on one kind of answer ("on what exact date ...?", "which judge
...?", "what's the name of ...?"): when the lead says no such thing, the nearest sentences
are only the topic, so the engine declines (and shows them as the closest passages) rather
than answer beside the point."""

from __future__ import annotations

import re

from rag.outline import Block
from rag.subjects import asks_name
from rag.text import terms, without_terms_quoted
from rag.types import ShortAnswer

# A wh-question only: "did they set a specific date?" is answered by "no date was set"
_EXACT_TIME = re.compile(
    r"^\s*when\s+exactly\b|^\s*(?:on\s+|at\s+|in\s+)?(?:what|which|when)\b.*\b(?:exact|precise"
    r"|specific)\s+(?:date|day|time|year|month)\b",
    re.IGNORECASE,
)
_ROLES = (
    r"(?:judge|justice|staffer|employee|official|aide|lawyer|attorney|spokes(?:person|man|woman)"
    r"|engineer|reporter|journalist)"
)
_AUXILIARY = (
    r"(?:should|do|does|did|is|are|was|were|can|could|will|would|must|might|may|has|have|had)"
)
# One person by role, doing something: "which judge ruled ...", not "which employees are
# covered" or "what official reason ..."; or named by role: "who was the ... employee"
_ROLE_DOING = (
    rf"\b(?:which|what)\s+(?:(?!{_AUXILIARY}\b)[a-z-]+\s+)?{_ROLES}(?:\s+or\s+\w+)?\s+"
    r"(?:who\b|that\b|\w+ed\b|ruled\b|wrote\b|said\b|made\b|ran\b|led\b|gave\b)"
)
_ROLE_NAMED = rf"\b(?:who\s+(?:was|is)|name\s+of)\s+the\s+(?:[\w'’-]+\s+){{0,3}}{_ROLES}\b"
_ROLE_ASKED = re.compile(f"{_ROLE_DOING}|{_ROLE_NAMED}", re.IGNORECASE)
_UNDISCLOSED = re.compile(r"\b(?:undisclosed|not disclosed|did not disclose)\b", re.IGNORECASE)
_TIMES = frozenset({"DATE", "TIME"})
_PEOPLE = frozenset({"PERSON"})


def lacks_insisted_kind(
    question: str, block: Block, short: ShortAnswer | None, labels: tuple[str, ...]
) -> bool:
    """The question insists on a kind of answer the lead block does not give (and no short
    answer was found): an exact date and it names no date or time, a person by their role
    ("which judge") and it names no person; a thing's name, and it quotes no term nor does
    its lead's subject name something the question does not; a sum of money ("how much is
    Google's deal worth?"), and none of whose it asks, nor does it say the sum was not
    disclosed."""
    if short is not None:  # found ("Amodei", which the small model tags an organisation)
        return False
    if asks_name(question):
        quoted = without_terms_quoted(block.text) != block.text  # 'the "Safetyists"'
        return not quoted and not _subject_named(question, block)
    if labels == ("MONEY",):
        return _UNDISCLOSED.search(block.text) is None
    if _EXACT_TIME.search(question):
        return not _names(block, _TIMES)
    if _ROLE_ASKED.search(question):
        return not _names(block, _PEOPLE)
    return False


def _names(block: Block, labels: frozenset[str]) -> bool:
    outline = block.lead.outline
    found = outline.entities(block.indices)
    return any(entity.label in labels for entities in found.values() for entity in entities)


def _subject_named(question: str, block: Block) -> bool:
    """The lead sentence's subject is a name the question does not say ("Anthropic was the
    first major AI lab ..." for "what's the name of the first AI lab ...?")."""
    lead = block.lead
    asked = set(terms(question))
    for token in lead.outline.parsed([lead.index])[lead.index]:
        subject = token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "PROPN"
        if subject and not set(terms(token.text)) & asked:
            return True
    return False
