""" "What's X?" is answered by what a page says X is ("several custom models known as Claude
Gov that have fewer restrictions ..."), not by what X is used for; "who runs X?" asks for
X's chief, not for whoever is "running" something. Unit checks, then the bundled corpus in a
real store with the embedding model and spaCy."""

from __future__ import annotations

from dataclasses import replace

from rag.asides import without_asides
from rag.assistant import Assistant
from rag.definitions import defining_first
from rag.questions import Shape, classify
from rag.short import find_short_answer
from rag.text import terms
from tests.conftest import sentence_block, short_said


def _defined(question: str, text: str) -> str | None:
    shape: Shape = classify(question)
    found = find_short_answer(shape, question, frozenset(terms(question)), [sentence_block(text)])
    return None if found is None else found[0].quote


def test_what_a_sentence_says_a_thing_is_defines_it() -> None:
    said = "Acme is a bakery that sells sourdough bread to the whole town."
    assert _defined("what is Acme", said) == "a bakery that sells sourdough bread to the whole town"


def _leads(question: str, best: str, other: str) -> bool:
    """Whether `other` is moved ahead of `best` as the sentence saying what X is."""
    ranked = [
        replace(sentence_block(text).lead, score=score)
        for text, score in ((best, 1.0), (other, 0.9))
    ]
    return defining_first(classify(question), ranked) is not None


def test_only_a_sentence_saying_what_the_thing_is_leads_as_its_definition() -> None:
    """ "The initiation of sporulation ... is subject to ..." says nothing of what it is."""
    best = "Bacteria form spores when food runs short."
    assert _leads("What is sporulation?", best, "Sporulation is an adaptive strategy of cells.")
    other = "The initiation of sporulation in B. subtilis is subject to complex regulation."
    assert not _leads("What is sporulation?", best, other)


def test_a_thing_named_by_a_phrase_is_defined_by_that_phrase() -> None:
    text = "It created several custom models known as Claude Gov that have fewer restrictions."
    assert _defined("what's Claude Gov", text) == (
        "several custom models known as Claude Gov that have fewer restrictions"
    )


def test_who_runs_an_organisation_asks_for_its_chief() -> None:
    assert without_asides("who runs anthropic") == "who is anthropic's boss"
    assert without_asides("who runs policy at anthropic?") == "who runs policy at anthropic?"
    # the Pentagon's head is a secretary: "Venezuela's president" must not pass for its boss
    assert without_asides("who runs the pentagon") == "who runs the pentagon"


def test_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """The best sentence says what Claude Gov is used for; the one naming it leads."""
    said = short_said(corpus_assistant, "what's Claude Gov")
    assert "custom models" in said and "fewer restrictions" in said, said
    assert short_said(corpus_assistant, "who runs anthropic") == "Dario Amodei"
    # "he no longer views ... as a threat" denies the threat and says yes to the change
    changed = "did trump change his mind about anthropic being a security threat"
    assert short_said(corpus_assistant, changed).startswith("Yes: In a significant pivot")


def test_exactly_asks_the_same_definition(corpus_assistant: Assistant) -> None:
    assert without_asides("what is claude gov exactly") == "what is claude gov"
    assert without_asides("what exactly is claude gov?") == "what is claude gov?"
    assert without_asides("when exactly did it start") == "when exactly did it start"  # a date
    said = short_said(corpus_assistant, "what is claude gov exactly")
    assert "custom models" in said and "fewer restrictions" in said, said
