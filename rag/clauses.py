"""The clause of a lead sentence a why- or what-happens-question asks for: what something
results in ("violations can result in | your account being throttled ..."), or the purpose
the lead gives after the question's own verb ("... has sought to change the terms ... | to
eliminate restrictions ...")."""

from __future__ import annotations

import re

from rag import nlp
from rag.blocks import Block
from rag.said import lead_sentence, said_as
from rag.synonyms import synonyms
from rag.text import terms
from rag.types import ShortAnswer

# A question opening with its case: "If the talks leave issues unresolved, what ...?"
CASE_FIRST = r"(?:if|should)\s+(?P<case>[^,?]+),\s*"
# "If the talks go well, what might Anthropic do?": asked what follows in that case
_CASE_ASKED = re.compile(rf"^\s*(?:(?:and|but)\s+)?{CASE_FIRST}(?:what|how)\b", re.IGNORECASE)
_RESULTS_IN = re.compile(r"\b(?:results? in|resulted in|leads? to|led to|ends? up|ended up)\s+")


def consequence(block: Block) -> ShortAnswer | None:
    """What the block's lead sentence says something results in or leads to, to its end:
    "violations can result in | your account being throttled, suspended ..."."""
    lead = lead_sentence(block)
    if lead is None:
        return None
    outline, start, end = lead
    found = _RESULTS_IN.search(outline.text, start, end)
    if found is None or found.end() >= end:
        return None
    return said_as(outline, found.end(), end)


def purpose(question: str, block: Block) -> ShortAnswer | None:
    """The purpose clause ("to eliminate restrictions ...", by spaCy's parse: an adverbial
    clause led by "to") that the lead sentence gives after the question's own verb
    ("why did the pentagon want to change the terms?": "... has sought to change the terms
    of a deal ... to eliminate restrictions on how AI can be deployed ..."), or None."""
    lead = lead_sentence(block)
    asked = {term for t in nlp.dependencies(question) if t.pos_ == "VERB" for term in terms(t.text)}
    if lead is None or not asked:
        return None
    outline, start, end = lead
    doc = nlp.dependencies(outline.text[start:end])
    after = next((t.i for t in doc if t.pos_ == "VERB" and set(terms(t.text)) & asked), None)
    if after is None:
        return None
    for token in doc[after + 1 :]:
        to = [c for c in token.children if c.dep_ == "aux" and c.lower_ == "to"]
        if token.dep_ in ("advcl", "xcomp") and token.pos_ == "VERB" and to and to[0].i > after:
            first, last = doc[to[0].i], doc[token.right_edge.i]
            return said_as(outline, start + first.idx, start + last.idx + len(last))
    return None


def case_asked(question: str) -> frozenset[str]:
    """The terms (and synonyms) of what a conditional question's case says of its subject
    ("go well" -> succeed, success, positive ... of "If the talks ... go well, what might
    Anthropic do?"); empty for any other question."""
    asked = _CASE_ASKED.match(question)
    if asked is None:
        return frozenset()
    case = asked["case"]
    subject = subject_of(case)
    said = set(terms(case)) - set(terms(subject or ""))
    return frozenset(said | {other for term in said for other in synonyms(term)})


def says_case(block: Block, case: frozenset[str]) -> bool:
    """The lead sentence says the asked case ("Positive outcomes from the discussions might
    ease ...", not "The engagement could significantly influence ...")."""
    return not case.isdisjoint(block.lead.unit.words)


def subject_of(clause: str) -> str | None:
    """The subject of a clause ("the talks between Anthropic and the administration" of
    "the talks between Anthropic and the administration leave issues unresolved")."""
    for token in nlp.dependencies(clause):
        if token.dep_ in ("nsubj", "nsubjpass"):  # the first: the tagger may read the
            # clause's verb as a helper ("leave" in "... leave issues unresolved")
            words = list(token.subtree)
            return clause[words[0].idx : words[-1].idx + len(words[-1].text)]
    return None
