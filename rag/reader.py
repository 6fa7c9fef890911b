"""A light reader over the sentences chosen to answer: does a how-many question's lead say
how many of the asked-for thing there are? Evidence that only measures words and meaning in
common answers "How many federal agencies ...?" with a sentence on the topic that counts
something else ("a six month phase-out period for agencies"); the parse tells them apart."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from rag import nlp
from rag.blocks import Block
from rag.questions import asks_possible
from rag.text import terms

_HOW_MANY = re.compile(r"\bhow many\b", re.IGNORECASE)
_NUMBER_ENTITIES = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_SUPPOSING = frozenset({"if", "unless"})
SAME_THING = 0.4  # word-vector cosine: synonyms measured 0.47-0.89, unrelated nouns 0.06-0.35
_WORD_CACHE = 2048


def counted_noun(question: str) -> str | None:
    """The noun a how-many question counts, lower-cased as written ("how many federal
    agencies ..." → "agencies"), or None for any other question (parsed only then)."""
    if not _HOW_MANY.search(question):
        return None
    doc = nlp.parse(question)
    for token in doc:
        if token.lower_ == "many" and token.i > 0 and doc[token.i - 1].lower_ == "how":
            head = token.head
            if head.pos_ == "PROPN" or any(c.dep_ == "cc" for c in head.children):
                for word in doc[head.i + 1 :]:  # "how many OpenAI and Google employees":
                    if word.pos_ not in ("NOUN", "PROPN", "CCONJ", "ADJ"):  # the companies
                        break  # only say whose employees are counted
                    head = word if word.pos_ in ("NOUN", "PROPN") else head
            return head.lower_ if head.pos_ in _NOUNS and head.i != token.i else None
    return None


def states_count(question: str, block: Block, words: WordVectors) -> bool | None:
    """Whether the block's sentences give a number of what a how-many question counts: a
    number whose noun is the asked-for one or names the same thing by word vectors ("staff",
    "workers"); None when the question is not a how-many question about a noun."""
    noun = counted_noun(question)
    if noun is None:
        return None
    outline = block.lead.outline
    shown = [i for i in block.indices if not outline.units[i].is_heading] or block.indices
    facts_only = not asks_possible(question)  # "If an AI can write 10,000 emails" says
    counted = {  # how many an AI can write, not how many the campaign sent
        word.lower_
        for doc in outline.parsed(shown).values()
        for word in _counted_words(doc, facts_only)
    }
    if any(terms(word) == terms(noun) for word in counted):  # "platform" for "platforms"
        return True
    return any(words.same_thing(noun, word) for word in counted)


def _counted_words(doc: Any, facts_only: bool = True) -> list[Any]:
    """The nouns the numbers of a parsed sentence count: a number's head noun (past the
    number words of one figure: "several hundred workers", "10 million views") or the noun
    after "of" ("twelve of the jurors")."""
    nouns = []
    for token in doc:
        if not (token.like_num or token.ent_type_ in _NUMBER_ENTITIES):
            continue
        if facts_only and supposed(token):
            continue
        head = token.head
        while head.like_num and head.head.i != head.i:
            head = head.head
        if head.pos_ in _NOUNS and not head.like_num:
            nouns.append(head)
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                nouns.extend(grand for grand in child.children if grand.pos_ in _NOUNS)
    return nouns


def supposed(token: Any) -> bool:
    """Whether the token stands in a clause that only supposes ("If an AI can write 10,000
    unique emails in five minutes, ..."): one of its heads is marked by if or unless."""
    for head in token.ancestors:
        if any(c.dep_ == "mark" and c.lower_ in _SUPPOSING for c in head.children):
            return True
    return any(c.dep_ == "mark" and c.lower_ in _SUPPOSING for c in token.children)


class WordVectors:
    """Single words' vectors from one embedding model, kept (least recently added out first)
    so a word met again costs nothing; one per engine, since models differ."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], size: int = _WORD_CACHE):
        self.embed = embed
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def same_thing(self, a: str, b: str) -> bool:
        """Two words whose vectors are close (cosine at least SAME_THING)."""
        with self._lock:
            known = {word: self._vectors[word] for word in (a, b) if word in self._vectors}
        missing = [word for word in (a, b) if word not in known]
        if missing:
            found = dict(zip(missing, self.embed(missing), strict=True))
            known.update(found)
            with self._lock:
                self._vectors.update(found)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return float(known[a] @ known[b]) >= SAME_THING
