"""Who wrote a document: its byline as the page gives it ("By Jane Doe", a name line above
a reading time, an author's note under the article). "Who wrote the article on X?" asks for
that name, which no sentence about X holds, so the engine answered with X instead."""

from __future__ import annotations

import re

from rag.outline import Block, Candidate, Outline
from rag.text import terms
from rag.types import Passage, ShortAnswer

_WRITES = re.compile(
    r"\b(?:who|which (?:journalist|reporter|writer|author|person))\b[^?]*?"
    r"\b(?:wrote|write|writes|written|authored|penned)\b",
    re.IGNORECASE,
)
_AUTHOR_OF = re.compile(
    r"\b(?:author|writer|byline|reporter|journalist)s?\s+(?:of|for|on|behind)\b", re.IGNORECASE
)
_DOCUMENT = re.compile(
    r"\b(?:article|piece|story|report|post|blog|essay|column|write-?up|page|analysis|this|it)"
    r"s?\b",
    re.IGNORECASE,
)
# Words about the document and its writing: not its topic, so not looked for in its sentences.
AUTHOR_WORDS = frozenset(
    terms(
        "who wrote write writes written authored penned author writer byline reporter "
        "journalist article piece story report post blog essay column writeup write-up page "
        "analysis"
    )
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
_BY = re.compile(rf"^\W*(?i:by)\s+({_NAME})\s*(?:,|$|\band\b|&)")
_NAME_LINE = re.compile(rf"^\W*({_NAME})\s*(?:,\s*\S+(?:\s+\S+)?)?\s*$")
_READING = re.compile(r"\d+\s*min(?:ute)?s?\s+read|\b(?:updated|published|posted)\b", re.I)
_NOT_IN_NAMES = frozenset(
    "a an the this that these those our your my its their and or to in on at for with from of "
    "share leave reply read more comments subscribe post posts home menu search contact".split()
)
_EDGE = 30  # units read at each end of a document: where bylines and author notes sit
_NEAR = 3  # units after a name line that may confirm it (a reading time, the author's note)


def asks_author(question: str) -> bool:
    """Whether the question asks who wrote a document ("who wrote the article on ...?",
    "the author of the piece ...", "which journalist wrote the report ..."), not who wrote
    something a document reports ("who wrote the memo to staff?")."""
    if not (_WRITES.search(question) or _AUTHOR_OF.search(question)):
        return False
    return bool(_DOCUMENT.search(question))


def byline(outline: Outline) -> int | None:
    """The index of the unit naming the document's writer: a "By ..." line, else a short
    line that is only a name (a person's by spaCy, or confirmed by a reading time or an
    author's note starting with the name right after it); None when the page names none."""
    units = outline.units
    edges = [*range(min(_EDGE, len(units))), *range(max(_EDGE, len(units) - _EDGE), len(units))]
    short = [i for i in edges if len(outline.unit_text(i).split()) <= 8]
    for index in short:
        if _BY.match(outline.unit_text(index)):
            return index
    for index in short:
        match = _NAME_LINE.match(outline.unit_text(index))
        if match and _is_name(match.group(1)) and _confirmed(outline, index, match.group(1)):
            return index
    return None


def written_by(lead: Block, passages: list[Passage]) -> tuple[ShortAnswer, Block] | None:
    """The writer of the lead's document as the short answer, cited to its byline unit (a
    block of its own), when a retrieved passage of that document holds the byline (or it is
    the front matter's author field, which no passage holds)."""
    outline = lead.lead.outline
    index = byline(outline)
    if index is None:
        return None
    unit = outline.units[index]
    ours = [p for p in passages if p.source == outline.source]
    front = unit.end <= outline.body_start  # the front matter: no passage holds it
    passage = next(
        (p for p in ours if front or (p.start_char <= unit.start and unit.end <= p.end_char)),
        None,
    )
    if passage is None:
        return None
    text = outline.unit_text(index)
    match = _BY.match(text) or _NAME_LINE.match(text)
    assert match is not None
    start, end = unit.start + match.start(1), unit.start + match.end(1)
    name = outline.text[start:end]
    short = ShortAnswer(
        text=name, source=outline.source, start_char=start, end_char=end, quote=name
    )
    return short, Block(Candidate(passage, outline, index), [index])


def _is_name(words: str) -> bool:
    """No function or page word among them ("Share This Post", "Leave a Reply" are no
    names; "Will Knight" is)."""
    return all(word.lower() not in _NOT_IN_NAMES for word in words.split())


def _confirmed(outline: Outline, index: int, name: str) -> bool:
    """A name line is a byline when spaCy reads a person there, or (in the body) a reading
    time or date, or a sentence starting with the same name (an author's note), follows
    within _NEAR."""
    if any(e.label == "PERSON" for e in outline.entities([index])[index]):
        return True
    if outline.units[index].end <= outline.body_start:  # a front matter field: a person only
        return False
    after = range(index + 1, min(index + 1 + _NEAR, len(outline.units)))
    return any(
        _READING.search(outline.unit_text(i)) or outline.unit_text(i).startswith(f"{name} ")
        for i in after
    )
