"""What a conversation's earlier turns stand for in the next: the person a who-question's
answer names ("he"), whether a bare name is a person's, and whether an answer found by
leaning on the last turn says something of the question's own."""

from __future__ import annotations

import re

from rag.answer import Draft
from rag.conversation import NAME_RUN
from rag.dates import MONTH_OF_YEAR
from rag.lemmas import is_english
from rag.nlp import entities, is_person
from rag.page_facts import PAGE_WORDS, asks_page_only
from rag.questions import classify
from rag.referents import PEOPLE
from rag.text import terms
from rag.types import Passage
from rag.weights import wanted_terms

_EMPTY = frozenset(terms("get gets got make go long"))  # no topic: "how long do they get"
_NOT_PEOPLE = frozenset({"ORG", "PRODUCT", "GPE", "NORP", "WORK_OF_ART"})
_BARE_NAME = re.compile(r"[A-Z][a-z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]+){0,2}")
_WHEN = re.compile(r"^\s*when\b", re.IGNORECASE)
_NAMED = re.compile(
    r"\b(?:known as|called|named|dubbed)\s+([A-Z][\w-]*[a-z][\w-]*(?:\s+[A-Z][\w-]*)*)"
)
_POINTING = re.compile(
    r"\b(?:it|its|he|she|him|his|her|hers|they|them|their|theirs|those|these|others?|ones?)\b",
    re.IGNORECASE,
)


def person_answered(draft: Draft) -> str | None:
    """The person (or the people, by what they are: "Former OpenAI executives") the short
    answer to an earlier who-question names, else the one person its first quote names
    ('"...," says Michael Horowitz'), or None."""
    short, cited = draft.short_answer, draft.citations[0].quote if draft.citations else ""
    if short is not None and (is_person(short.text) or PEOPLE.search(short.text)):
        return short.text
    if (
        short is not None
        and _BARE_NAME.fullmatch(short.text)
        and not is_english(short.text.lower())
        and not {label for *_, label in entities([short.text])[0]} & _NOT_PEOPLE
    ):
        return short.text  # "Amodei", whom the tagger reads as no one ("OpenAI" is none)
    said = short.text if short is not None else cited
    people = {said[a:b] for a, b, label in entities([said])[0] if label == "PERSON"}
    return people.pop() if len(people) == 1 else None


def thing_answered(question: str, draft: Draft) -> str | None:
    """The name the short answer to an earlier what-question gives and the question does
    not ("Several custom models known as Claude Gov ..." for "what did Anthropic build for
    the military?": "Claude Gov"), when it gives exactly one, else the one name its text
    gives something ("known as ..."); the month an earlier when-question's answers ("April
    2026"); else None."""
    if draft.short_answer is None:
        return None
    if _WHEN.match(question):
        month = MONTH_OF_YEAR.fullmatch(draft.short_answer.text.strip())
        return month[0] if month else None
    asked = set(terms(question))
    names = {
        run[0]
        for run in NAME_RUN.finditer(draft.short_answer.text)
        if not set(terms(run[0])) <= asked  # not the question's own ("Anthropic")
        and not (run.start() == 0 and all(is_english(w) for w in run[0].split()))  # "Several"
    }
    if len(names) == 1:
        return names.pop()
    given = {name for name in _NAMED.findall(draft.answer) if not set(terms(name)) <= asked}
    return given.pop() if len(given) == 1 else None  # "... known as Claude Gov" in its text


def called_a_person(name: str, passages: list[Passage]) -> bool:
    """Whether the passages found for `name` tag it a person more often than not where they
    name it ("Donald Trump", "Trump said"; not "the Trump Administration"): the tagger reads
    a bare "Trump" in a question as an organisation."""
    labels = [
        label
        for passage, found in zip(passages, entities([p.text for p in passages]), strict=True)
        for start, end, label in found
        if passage.text[start:end] == name or passage.text[start:end].endswith(f" {name}")
    ]  # named so, not a modifier: "the Trump Administration"
    return labels.count("PERSON") * 2 > len(labels)


def says_own_words(draft: Draft, question: str, previous: str) -> bool:
    """An answer found in the previous turn's context that its lead backs with a word of the
    question's own ("the change of heart": "the change in Trump's perspective"), not only
    with the context's ("did they end up suing?" is not answered by the title it leans on)."""
    if draft.abstained or not draft.citations:
        return False
    own = set(wanted_terms(question, classify(question).shape_words)) - set(terms(previous))
    own -= _EMPTY  # "how long do the agencies get?": a six month phase-out answers
    if asks_page_only(question):  # "what was the headline?": the page's, not its words
        own -= PAGE_WORDS
    if not own:  # "what was the deadline?" asks only a kind of answer, of the last turn's
        return not _POINTING.search(question)  # topic; "theirs" points at what it missed
    return not own.isdisjoint(terms(draft.citations[0].quote))
