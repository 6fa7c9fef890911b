""" "Who is Pete Hegseth?" asks what the named person is, not for another name: the answer is
the role the documents give them, the title before the name ("Defense Secretary Pete
Hegseth"), the phrase set beside it ("Dario Amodei, Anthropic's CEO, ...") or what a sentence
says they are ("Hegseth is the defense secretary"). Without one, the question is answered as
any who-question (it was answered "Defense", an organisation the title holds)."""

from __future__ import annotations

import re
from typing import Any

from rag.blocks import Block
from rag.lemmas import is_english
from rag.outline import Outline
from rag.said import said_as, shown_units
from rag.text import terms
from rag.types import ShortAnswer

_WHO_IS = re.compile(r"^\s*who(?:['’]s|\s+is|\s+was)\s+([^?]+?)\s*\??\s*$", re.IGNORECASE)
_APPOSITION = re.compile(r"\s*,\s*|\s+[(–—-]\s*")  # what the question says of the name
_NAMED = frozenset({"PERSON", "ORG"})
_TITLE_DEPS = frozenset({"compound", "amod"})
_SAID_DEPS = frozenset({"appos", "attr"})
_NOUNS = frozenset({"NOUN", "PROPN"})


def role_of(question: str, blocks: list[Block]) -> tuple[ShortAnswer, int] | None:
    """The role of the person (or organisation) the question names, from the first shown
    sentence giving one, with the index of its block; None when the question asks no
    "who is <name>?" or no sentence gives the named one a role."""
    match = _WHO_IS.match(question)
    name = _APPOSITION.split(match[1], maxsplit=1)[0] if match else ""  # "X, the expert ..."
    named = set(terms(name))
    if not named:
        return None
    for order, block in enumerate(blocks):
        outline = block.lead.outline
        for index in shown_units(block):
            doc = outline.parsed([index])[index]
            begin = outline.units[index].start
            for entity in doc.ents:
                if entity.label_ not in _NAMED or not named <= set(terms(entity.text)):
                    continue
                found = _role(doc, entity)
                if found is not None:
                    return said_as(outline, begin + found[0], begin + found[1]), order
    return None


def _role(doc: Any, entity: Any) -> tuple[int, int] | None:
    """Character offsets of the entity's title (the compound words before it), else of the
    phrase in apposition to it or equated with it by "is", in the parsed sentence."""
    root = entity.root
    title = [t for t in root.children if t.dep_ in _TITLE_DEPS and t.i < entity.start]
    if title:
        first = min(t.left_edge.i for t in title)
        words = doc[first : entity.start]
        if any(_common(t) for t in words):  # "Defense Secretary", not "Anthropic"
            return words.start_char, words.end_char
    before = _set_before(doc, entity)  # "Venezuela's president, Nicolás Maduro"
    if before is not None:
        words = doc[before.left_edge.i : before.i + 1]
        return words.start_char, words.end_char
    said = [t for t in root.children if t.dep_ == "appos" and t.pos_ in _NOUNS]
    if not said and root.dep_ == "nsubj" and root.head.lemma_ == "be":
        said = [t for t in root.head.children if t.dep_ in _SAID_DEPS and t.i > root.i]
    if not said:
        return None
    words = doc[said[0].left_edge.i : said[0].right_edge.i + 1]
    while len(words) > 1 and words[-1].is_punct:
        words = words[:-1]
    return words.start_char, words.end_char


def _set_before(doc: Any, entity: Any) -> Any:
    """The common noun heading the phrase set before the name by a comma, or None (read off
    the tokens: the parse often misses this apposition when link markup is blanked)."""
    index = entity.start - 1
    while index >= 0 and doc[index].is_space:
        index -= 1
    if index < 1 or doc[index].text != ",":
        return None
    noun = doc[index - 1]
    return noun if noun.pos_ in _NOUNS and _common(noun) else None


def _common(token: Any) -> bool:
    """A common noun, even capitalised in a title ("Secretary", "President"): no name."""
    if token.pos_ == "NOUN":
        return True
    return token.pos_ == "PROPN" and not token.ent_type_ and is_english(token.text.lower())


def people_of(outline: Outline, start: int, end: int) -> tuple[int, int]:
    """A who-answer naming an organisation that only says whose people they are ("OpenAI"
    of "founded by former OpenAI executives") widened to those people ("former OpenAI
    executives"); else the span as given."""
    index = next((i for i, u in enumerate(outline.units) if u.start <= start < u.end), None)
    if index is None:
        return start, end
    doc = outline.parsed([index])[index]
    begin = outline.units[index].start
    span = doc.char_span(start - begin, end - begin, alignment_mode="expand")
    if span is None:
        return start, end
    head = span.root.head
    if span.root.dep_ != "compound" or head.tag_ != "NNS" or head.i < span.end:
        return start, end
    words = doc[min(head.left_edge.i, span.start) : head.i + 1]
    return begin + words.start_char, begin + words.end_char
