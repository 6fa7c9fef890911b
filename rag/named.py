"""Short answers that are names read from the text itself rather than from the entity
tagger: the words filling the question's wh-slot (rag/roles.py), the whole list a plural
question asks for, the name a sentence gives a thing ("known as Claude Gov") or says is of
the asked-for kind ("Navvulata ... is a 1998 Telugu comedy film")."""

from __future__ import annotations

import re

from rag.blocks import Block
from rag.outline import Outline
from rag.roles import asked_slot, owner_named, slot_filler, whole_list
from rag.said import lead_index, lead_sentence, said_as, shown_sentences, trimmed
from rag.subjects import asked_noun, called, extended_name, named_as
from rag.text import STOPWORDS, terms
from rag.types import ShortAnswer

Span = tuple[int, int]
# a quotation opened in a span and not closed there ("how 'preventative blocking")
_OPENS_QUOTE = re.compile(r"(?:^|(?<=\s))['‘\"“](?=\w)(?!.*['’\"”])", re.DOTALL)
# '"...," Amodei wrote.', '"...," says Michael Horowitz': whom a quote is put in the mouth of
_NAME_WORDS = r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){0,2}"
_SAYS = r"(?:says|said|writes|wrote|adds|added|notes|noted|told|argues|argued)"
_ATTRIBUTED = re.compile(
    rf"[,.?!][”\"]\s*,?\s*(?:{_SAYS}\s+(?P<after>{_NAME_WORDS})|(?P<before>{_NAME_WORDS})\s+{_SAYS}\b)"
)
NO_NAMES = frozenset("DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY".split())


def filled(question: str, asked: frozenset[str], block: Block) -> tuple[ShortAnswer, int] | None:
    """The words of the lead sentence that fill the question's wh-slot (rag/roles.py): the
    owner of the noun a "which X's ..." question names, or the verb's subject, object or
    place; none when they repeat the question or are tagged a time or a number."""
    index = lead_index(block)
    if index is None:
        return None
    outline = block.lead.outline
    span = filler(question, asked, outline, index) or filler(question, asked, outline, index, True)
    if span is None or _OPENS_QUOTE.search(outline.text, *span):
        return None  # "this reflects how 'preventative blocking": a phrase cut in its quote
    return said_as(outline, *span), 0


def filler(
    question: str, asked: frozenset[str], outline: Outline, index: int, lead: bool = False
) -> Span | None:
    """Offsets in the outline of the words of sentence `index` filling the question's
    wh-slot, as `filled` reads them, or None; for the `lead` sentence of the answer, the
    verb's clause need not say the question's other terms itself (`slot_filler`)."""
    begin = outline.units[index].start
    span = owner_named(question, outline.unit_text(index))
    slot = asked_slot(question) if span is None else None
    if slot is not None:
        before = outline.unit_text(index - 1) if index > 0 else ""
        span = slot_filler(outline.parsed([index])[index], slot, asked, before, lead)
    if span is None:
        return None
    start, end = trimmed(outline.text, begin + span[0], begin + span[1])
    for entity in outline.entities([index])[index]:  # "Street Journal" of "The Wall Street
        if entity.start < start < entity.end <= end and entity.label not in NO_NAMES:
            start = entity.start  # Journal" (its first word hangs off its second): whole
    words = set(terms(outline.text[start:end]))
    if not words or words <= asked:
        return None
    if slot is not None and (slot.role == "pobj" or slot.thing):
        return start, end  # "an annual output of what?", "what did they want?": any words
    for entity in outline.entities([index])[index]:
        if entity.start < end and start < entity.end and entity.label in NO_NAMES:
            return None  # "This week" for "who signed ...": no name (the tagger's other
            # labels are trusted less than the parse: "Harbor Gazette" was a PERSON)
    if slot is None or slot.role != "place":
        start, end = _named_part(outline, index, start, end)
    return start, end


def _named_part(outline: Outline, index: int, start: int, end: int) -> tuple[int, int]:
    """The entity inside a filler that ends with it, without a title before it ("Paul Reed"
    of "Governor Paul Reed"), or the filler itself."""
    for entity in outline.entities([index])[index]:
        if start <= entity.start and entity.end == end:
            before = outline.text[start : entity.start].split()
            if all(word[:1].isupper() for word in before):  # a title, not "an employee at"
                return entity.start, end
    return start, end


def listed(
    found: tuple[ShortAnswer, int], blocks: list[Block], asked: frozenset[str]
) -> ShortAnswer:
    """The short answer widened to the whole list of names it stands in, for a question that
    asks for several ("which companies ...": "Palantir and Amazon", not "Amazon")."""
    short, order = found
    outline = blocks[order].lead.outline
    start, end = whole_list(outline.text, short.start_char, short.end_char, asked)
    if (start, end) == (short.start_char, short.end_char):
        return short
    return said_as(outline, start, end)


def called_name(asked: frozenset[str], blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """The name a shown sentence gives a thing ("known as Claude Gov"), first found; else
    the name the lead sentence opens with, if it extends one of the question's words."""
    for order, outline, start, end in shown_sentences(blocks):
        span = called(outline.text[start:end], asked)
        if span is not None:
            return said_as(outline, start + span[0], start + span[1]), order
    lead = lead_sentence(blocks[0])
    if lead is None:
        return None
    outline, start, end = lead
    span = extended_name(outline.text[start:end], asked)
    return (said_as(outline, start + span[0], start + span[1]), 0) if span else None


def named_as_asked(
    question: str, asked: frozenset[str], blocks: list[Block]
) -> tuple[ShortAnswer, int] | None:
    """The name a shown sentence says is of the kind the question's noun names ("Navvulata
    ... is a 1998 Telugu comedy film" for "Which 1988 Telugu comedy ..."), first found."""
    noun = asked_noun(question)
    if not noun:
        return None
    for order, outline, start, end in shown_sentences(blocks):
        span = named_as(outline.text[start:end], noun, asked)
        if span is not None:
            return said_as(outline, *trimmed(outline.text, start + span[0], start + span[1])), order
    return None


def quote_speaker(asked: frozenset[str], blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """Whom a shown quote is attributed to ('"... a dangerous weapon to wield," Amodei
    wrote.' for "who said ...?"): the tagger often reads no person beside a quote."""
    for order, outline, start, end in shown_sentences(blocks):
        for match in _ATTRIBUTED.finditer(outline.text, start, end):
            group = "after" if match["after"] else "before"
            name = match[group]
            if set(terms(name)) & asked or name.lower() in STOPWORDS:
                continue  # "Trump said" for "what did trump say"; "But said" is none
            return said_as(outline, match.start(group), match.end(group)), order
    return None
