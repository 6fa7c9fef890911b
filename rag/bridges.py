"""A second search when the first answer names a bridge but not the answer: "Toad Hall is a
residential hall in a university located in what Australian city?" finds "Toad Hall is ... in
Australian National University", which names no city. The question asked again with that
name in place of the words the lead sentence already matched ("Australian National University
is a in a located in what city?") finds the passage that names the city; the answer cites
both. Only a second answer that names an entity of the asked-for kind is kept, so a question
the first search answered is never changed for a guess."""

from __future__ import annotations

import re

from rag.answer import Draft
from rag.hops import Ask, Hop, HopAnswer, compose, merged
from rag.nlp import entities
from rag.questions import classify
from rag.text import STOPWORDS, clean_for_display, terms
from rag.typed import part_of_title
from rag.types import Citation, Passage

# Labels of a thing a sentence may name on the way to the answer (not a date or an amount).
_BRIDGE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT"})
MAX_BRIDGES = 2  # names of the lead sentence tried, nearest to the question's words first
_TOKEN = re.compile(r"\S+")
_WH = frozenset("what which who whom whose when where how".split())
_CHOICE = re.compile(r"\bor\b", re.IGNORECASE)
_KEPT_AFTER_WH = 3  # words after the wh-word kept as written: they say what is asked for


def answer_via_bridge(question: str, draft: Draft, ask: Ask) -> HopAnswer | None:
    """The answer found by searching again with a name the draft's lead sentence gives,
    when the question asks for a kind of entity (a person, place, date ...) and the draft
    names none; None when the draft needs no second search or no second search finds one."""
    shape = classify(question)
    if not shape.labels or draft.abstained or draft.short_answer is not None:
        return None
    if not draft.citations:
        return None
    naming = draft.citations[0]
    for name in bridges(question, naming):
        search = rewritten(question, name, naming)
        if search is None or classify(search) != shape:
            continue  # nothing to put the name in place of, or it asks for something else
        passages, found = ask(search)
        if found.abstained or found.short_answer is None:
            continue
        said = set(terms(found.short_answer.text))
        if said <= set(terms(name)) or (
            said <= set(terms(question)) and not _CHOICE.search(question)
        ):
            continue  # the bridge itself, or a name the question says (unless it offers a
            # choice: "which is older, A or B?"), is no answer
        quoted = any(_overlap(c, naming) for c in found.citations)  # already in the answer
        hopped = compose(found, [] if quoted else [Hop(search, name, naming)])
        kept = [p for p in passages if _holds(p, naming)]
        return HopAnswer(hopped, merged(kept, passages), [search])
    return None


def bridges(question: str, naming: Citation) -> list[str]:
    """The names in the cited text (a person, organisation, place, work or event) that the
    question does not say, nearest to the question's words first, at most MAX_BRIDGES."""
    text = naming.quote
    asked = set(terms(question))
    anchors = [m.start() for m in _TOKEN.finditer(text) if set(terms(m.group())) & asked]
    found: dict[str, int] = {}
    for start, end, label in entities([text])[0]:
        name = clean_for_display(text[start:end]).strip(" ,.;:'’\"")
        if name.lower().startswith("the "):
            name = name[4:]
        own = set(terms(name))
        if label not in _BRIDGE_LABELS or not own or own <= asked or name in found:
            continue
        if part_of_title(text, start, end):
            continue  # "Dad" of "Major Dad"
        found[name] = min((abs(start - a) for a in anchors), default=len(text))
    return sorted(found, key=found.__getitem__)[:MAX_BRIDGES]


def rewritten(question: str, name: str, naming: Citation) -> str | None:
    """The question with `name` where the words its lead sentence matched stood: those words
    dropped (the first run of them replaced by the name), the wh-word and the few words
    after it kept, so the question still asks for the same kind of thing; None when the
    sentence matched none of the other words."""
    said = set(terms(naming.quote))
    words = _TOKEN.findall(question)
    wh = next((n for n, w in enumerate(words) if w.lower().strip("?,.") in _WH), len(words))
    kept: list[str] = []
    placed = False
    for n, word in enumerate(words):
        own = set(terms(word))
        matched = bool(own) and own <= said and not own <= STOPWORDS
        if matched and not wh <= n <= wh + _KEPT_AFTER_WH:
            if not placed:
                kept.append(name)
                placed = True
            continue
        kept.append(word)
    return " ".join(kept) if placed else None


def _holds(passage: Passage, citation: Citation) -> bool:
    return (
        passage.source == citation.source
        and passage.start_char <= citation.start_char
        and citation.end_char <= passage.end_char
    )


def _overlap(one: Citation, other: Citation) -> bool:
    return (
        one.source == other.source
        and one.start_char < other.end_char
        and other.start_char < one.end_char
    )
