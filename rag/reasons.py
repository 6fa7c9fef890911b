"""The short answer to a why-question: the cause a shown sentence states ("Because
Anthropic's terms of service explicitly prohibit ..."), said from its "because" or as the
whole sentence a cause word carries; a sentence restating what is asked in other words
("This is the irony of Anthropic's ban" for "why's that ironic?") is followed by the why."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.clauses import purpose
from rag.forms import asks_opinion, put_to_reader, says_unasked
from rag.outline import Outline
from rag.questions import REASON_WORDS
from rag.said import lead_sentence, said_as, shown_sentences
from rag.synonyms import synonyms
from rag.text import clean_for_display, terms
from rag.types import ShortAnswer

_BECAUSE = re.compile(r"\bbecause\b(?! of)", re.IGNORECASE)
_BECAUSE_OF = re.compile(
    r"\b(?:because of|due to|owing to|as a result of|thanks to|on account of|stem(?:s|med)? from"
    r"|result(?:s|ed)? from|(?:driven|prompted|triggered|motivated) by)\b",
    re.IGNORECASE,
)
_FOLLOWS = re.compile(r"\b(?:comes?|came|coming) (after|amid)\b", re.IGNORECASE)
_CAUSE = re.compile(
    r"\b(?:prohibit\w*|forbid\w*|bann?(?:ed|s)?|violat\w*|in order to|so that|in response to"
    r"|led to|caus(?:e|ed|es)|reasons?|aim(?:ed|s)? to|designed to"
    r"|(?:claim|argu|warn)(?:ing|ed|es|s)? that|citing|over concerns?"  # as rag/forms.py
    r"|who (?:felt|believed|feared|worried))\b",
    re.IGNORECASE,
)
_CONJUNCTIONS = frozenset("but and so yet however still".split())
_LEAD_WORDS = frozenset(
    "the a an it its this that these those they their there he she his her we our in on "
    "at for to by as of".split()
)


def reason(question: str, blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """The first shown sentence of the lead block's document stating a cause: from its
    "because" (or "due to": "Because of ...", "comes after": "After ...") to its end, or the
    whole sentence when a prohibition, purpose or other cause word carries it; the lead
    sentence first, and with no cause word there, the purpose it gives the asked action
    ("... to eliminate restrictions"). Another document's cause is most likely another
    event's: none is taken from there."""
    lead = lead_sentence(blocks[0])
    asked = frozenset(terms(question)) - REASON_WORDS  # "the reason for ...": a reason
    restated = _judged(question, asked)
    if lead is not None and (aim := _cause(*lead, asked, restated) or purpose(question, blocks[0])):
        return aim, 0
    source = blocks[0].lead.outline.source
    after: int | None = None  # the block whose last sentence said what is asked in other words
    for order, outline, start, end in shown_sentences(blocks):
        if outline.source != source:
            continue
        if after == order:  # "This is the irony of Anthropic's ban. It doesn't stop ...": why
            return _because(outline, start, end), order
        found = _cause(outline, start, end, asked, restated)
        if found is not None:
            return found, order
        after = order if _restates(outline.text[start:end], restated) else None
    return None


def _cause(
    outline: Outline, start: int, end: int, asked: frozenset[str], restated: frozenset[str]
) -> ShortAnswer | None:
    """The sentence text[start:end] said as a reason, if it states one (an argument put to
    the reader, "You don't see AT&T cutting off ... because ...", states none); a cause word
    the question says (`asked`: "why ... the ban ironic?") is its topic, not a cause."""
    sentence = outline.text[start:end]
    if put_to_reader(sentence):
        return None
    because = _BECAUSE.search(sentence)
    if because:
        rest = clean_for_display(sentence[because.end() :])
        return said_as(outline, start + because.start(), end, f"Because {rest}")
    because_of = _BECAUSE_OF.search(sentence)
    if because_of:
        rest = clean_for_display(sentence[because_of.end() :])
        return said_as(outline, start + because_of.start(), end, f"Because of {rest}")
    follows = _FOLLOWS.search(sentence)
    if follows:
        rest = clean_for_display(sentence[follows.end() :])
        return said_as(outline, start + follows.start(1), end, f"{follows[1].title()} {rest}")
    if says_unasked(_CAUSE, sentence, asked) and not _restates(sentence, restated):
        return _because(outline, start, end)  # not "This is the irony of Anthropic's ban"
        # for "why's that ironic?": it says what is asked about in other words
    return None


def _judged(question: str, asked: frozenset[str]) -> frozenset[str]:
    """For "why's that ironic?" (a judgement the page argues for), the other words for the
    question's ("irony" for "ironic"); none for other why-questions ("clash" for "dispute"
    is no restatement of why there was one)."""
    if not asks_opinion(question):
        return frozenset()
    return frozenset().union(*(synonyms(term) for term in asked)) - asked


def _restates(sentence: str, restated: frozenset[str]) -> bool:
    """The sentence says an asked word in other words ("the irony" for "ironic"), not as the
    cause it gives ("prohibit" for "block" is why they blocked)."""
    causes = {term for found in _CAUSE.finditer(sentence) for term in terms(found.group())}
    return bool((restated & set(terms(sentence))) - causes)


def _because(outline: Outline, start: int, end: int) -> ShortAnswer:
    """The sentence text[start:end] said as the reason: "Because <the sentence>"."""
    said = clean_for_display(outline.text[start:end])
    first, _, others = said.partition(" ")
    if first.lower().rstrip(",") in _CONJUNCTIONS:  # "Because But Anthropic argues ..."
        said = others[:1].upper() + others[1:]
        first, _, others = said.partition(" ")
    if first.lower() in _LEAD_WORDS:
        said = f"{first.lower()} {others}"
    return said_as(outline, start, end, f"Because {said}")
