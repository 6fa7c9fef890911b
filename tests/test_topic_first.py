"""Staff ways of asking met in the fourteenth staff set: the topic typed first ("claude gov
- what is it exactly?"), a meeting's agenda (its "topics"), what a page advises ("what does
the article suggest?"), "if this works out", and what a page says was so before a change of
mind, which "earlier this week", "formerly Twitter" and "be used to" do not say. Unit
checks, then the bundled corpus in a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.advice import ADVICE_ASKED, advice, advises
from rag.asides import without_asides
from rag.assistant import Assistant
from rag.status import says_earlier
from rag.synonyms import synonyms
from rag.text import terms
from tests.conftest import answered, sentence_block


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("claude gov - what is it exactly", "what is claude gov"),
        ("ConductAtlas: what is it?", "what is ConductAtlas?"),
        ("constitutional ai - whats it", "what is constitutional ai"),
        ("the pentagon deal, what was it worth", "what was the pentagon deal worth"),
        ("so, what is it", "so, what is it"),  # a filler word is no topic
        ("what is it", "what is it"),
    ],
)
def test_a_topic_typed_first_is_asked_about(typed: str, read: str) -> None:
    assert without_asides(typed) == read


def test_what_says_a_thing_was_so_before() -> None:
    assert says_earlier("Previously, Trump had questioned its safeguards.")
    assert says_earlier("He used to call it a threat.")
    assert says_earlier("As noted earlier, the talks stalled.")
    assert not says_earlier("Hegseth met with Amodei earlier this week.")
    assert not says_earlier("It could allow AI to be used to control weapons.")
    assert not says_earlier("platforms like X (formerly Twitter) and Facebook")
    assert says_earlier("He was formerly a skeptic of the deal.")


def test_an_agenda_is_its_topics_and_meetings_are_talks() -> None:
    assert set(terms("topics")) <= synonyms(terms("agenda")[0])
    assert set(terms("talks")) <= synonyms(terms("meetings")[0])
    assert set(terms("changed")) <= synonyms(terms("revise")[0])
    assert set(terms("influence")) <= synonyms(terms("shape")[0])
    assert without_asides("if this works out, what could it shape") == (
        "if this is successful, what could it shape"
    )
    assert without_asides("if the talks don't work out what then") == "if the talks fail what then"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("if my team builds on one provider, what does the campaign-block article suggest", True),
        ("what should we do if claude gets cut off", True),
        ("any tips for teams building on claude?", True),
        ("what does the article say about the ban", False),
        ("what should the pentagon have done differently", False),  # no one asking for advice
    ],
)
def test_questions_asking_for_advice(question: str, asks: bool) -> None:
    assert (ADVICE_ASKED.search(question) is not None) is asks


def test_advice_is_a_sentence_telling_the_reader_what_to_do() -> None:
    assert advises(sentence_block("Diversify your tech stack."))
    assert advises(sentence_block("If you build on AI, make sure you have a backup model."))
    assert advises(sentence_block("If you're looking to grow, don't rely on a single provider."))
    assert not advises(sentence_block("The campaign tried to use Claude for outreach."))
    said = advice(sentence_block("If you build on AI, make sure you have a backup model."))
    assert said is not None and said.text == "If you build on AI, make sure you have a backup model"
    assert advice(sentence_block("The campaign tried to use Claude for outreach.")) is None


def test_staff_ways_of_asking_on_the_bundled_corpus(corpus_assistant: Assistant) -> None:
    """Each was declined or led by another sentence (tests/data/corpus_staff14.jsonl)."""
    gov = answered(corpus_assistant, "claude gov - what is it exactly")
    assert "fewer restrictions" in gov.answer.split("[1]")[0], gov.answer
    agenda = answered(
        corpus_assistant, "what's on the agenda for the anthropic / white house meetings"
    )
    assert "Safety Guardrails" in agenda.answer, agenda.answer
    before = answered(corpus_assistant, "before he flipped, what was trump's beef with anthropic")
    assert "foreign adversaries" in before.answer.split("[1]")[0], before.answer
    revised = answered(corpus_assistant, "did anthropic ever revise its aup?")
    assert "changed this document" in revised.answer, revised.answer
    bigger = answered(
        corpus_assistant, "if this works out, what could it shape across the industry"
    )
    assert "procurement" in bigger.answer, bigger.answer
    advice = answered(
        corpus_assistant,
        "if my team builds on one llm provider, what does the campaign-block article suggest",
    )
    assert "terms of service" in advice.answer.split("[1]")[0], advice.answer
