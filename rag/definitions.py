"""What a sentence says a thing is ("X is a ...", "models known as Claude Gov", "the
International Emergency Economic Powers Act (IEEPA)"): the short answer to "what is X?" and
the sentence that should lead it, apart from the other kinds of short answer."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.blocks import Block
from rag.outline import Candidate, Outline
from rag.questions import Kind, Shape
from rag.said import said_as, sentence_span, shown_units
from rag.subjects import known_as
from rag.text import terms
from rag.types import ShortAnswer

_ACRONYM_ONLY = re.compile(r"[A-Z][A-Z&]{1,7}")
_SPELLED = r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the|to)\s+)*)+[A-Z][\w'’-]*)\s*\({}\)"
_SMALL_WORDS = frozenset("of for and on the to".split())
_DEFINING = 0.6  # of the best score: a sentence defining the subject may lead
_DEFINING_TOP = 5
_NAMING = re.compile(r"\b(?:known as|called|named|dubbed)\s", re.IGNORECASE)
_NOUN_PHRASE = re.compile(r"(?:an?|the|one)\b", re.IGNORECASE)  # "is a ...", "is one of ..."
PASSIVE = re.compile(  # "is currently used for", "is caused by"; not "is defined as"
    r"(?:(?:\w+ly|not|also|still|now|often)\s+)*(?!defined|known|called|considered)\w+(?:ed|en)"
    r"\s+(?:for|by|to|in|on|with|at|from|as)\b",
    re.IGNORECASE,
)
_COPULA = re.compile(r"\b(?:is|are|was|were|refers to|means|describes)\s+", re.IGNORECASE)
SHORT_SENTENCE = 30  # words: a longer definition or rest of a sentence is no short answer


def definition(subject: str, blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """What a shown sentence says the subject is: the words after "X is", "X refers to"; for
    an acronym the words it is written after ("the International Emergency Economic Powers
    Act (IEEPA)")."""
    wanted = set(terms(subject))
    acronym = subject.strip() if _ACRONYM_ONLY.fullmatch(subject.strip()) else ""
    for order, block in enumerate(blocks):
        for index in shown_units(block):
            found = _defined(wanted, acronym, block.lead.outline, index)
            if found is not None:
                return found, order
    return None


def defining_first(shape: Shape, ranked: list[Candidate]) -> Candidate | None:
    """For "what is X?", the best of the top sentences (at least `_DEFINING` of the best
    score) that says what X is, when the best says only something about it ("Claude Gov is
    currently largely used for ..." against "several custom models known as Claude Gov
    that have fewer restrictions ..."); None when the best defines it or none does."""
    if shape.kind is not Kind.DEFINITION or not shape.subject or not ranked:
        return None
    wanted = set(terms(shape.subject))
    acronym = shape.subject.strip() if _ACRONYM_ONLY.fullmatch(shape.subject.strip()) else ""
    for candidate in ranked[:_DEFINING_TOP]:
        if candidate.score < _DEFINING * ranked[0].score:
            break
        if _defined(wanted, acronym, candidate.outline, candidate.index, strict=True):
            best = ranked[0]  # whether to answer stays the best sentence's call
            return (
                None
                if candidate is best
                else replace(
                    candidate, score=best.score, coverage=best.coverage, similarity=best.similarity
                )
            )
    return None


def _defined(
    wanted: set[str], acronym: str, outline: Outline, index: int, strict: bool = False
) -> ShortAnswer | None:
    """What one sentence says the subject is (see `definition`); `strict`: only "X is a /
    the ..." with X all but alone before the verb, or a phrase naming X."""
    start, end = sentence_span(outline, index)
    sentence = outline.text[start:end]
    spelled = re.search(_SPELLED.format(re.escape(acronym)), sentence) if acronym else None
    if spelled is not None and (offset := _spelling_start(spelled[1], acronym)) >= 0:
        begin, finish = start + spelled.start(1) + offset, start + spelled.end(1)
        return said_as(outline, begin, finish)
    if wanted and _NAMING.search(sentence):
        doc = outline.parsed([index])[index]
        if (span := known_as(doc, frozenset(wanted))) is not None:  # "custom models known
            begin = outline.units[index].start  # as Claude Gov that have fewer ..."
            return said_as(outline, begin + span[0], begin + span[1])
    copula = _COPULA.search(sentence)
    if copula is None or copula.start() > 120 or PASSIVE.match(sentence, copula.end()):
        return None  # "Claude Gov is currently largely used for ...": its use, not it
    subject = set(terms(sentence[: copula.start()]))
    named = wanted and wanted <= subject
    if strict and (len(subject - wanted) > 1 or not _NOUN_PHRASE.match(sentence, copula.end())):
        return None  # "The initiation of sporulation ... is subject to ...": not it
    words = len(sentence[copula.end() :].split())
    if named and 1 < words <= SHORT_SENTENCE:
        return said_as(outline, start + copula.end(), end)
    return None


def _spelling_start(phrase: str, acronym: str) -> int:
    """Where the end of `phrase` whose main words' initials spell the acronym starts ("Under
    the International Emergency Economic Powers Act": at "International"), or -1."""
    words = list(re.finditer(r"\S+", phrase))
    for first in range(len(words) - 1):
        if words[first][0].lower() in _SMALL_WORDS:
            continue
        every = [w[0] for w in words[first:]]
        main = [word for word in every if word.lower() not in _SMALL_WORDS]
        if acronym.lower() in (
            "".join(w[0] for w in main).lower(),
            "".join(w[0] for w in every).lower(),
        ):
            return words[first].start()
    return -1
