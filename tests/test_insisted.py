"""Questions that insist on a kind of answer ("which judge ...?", "on what exact date ...?",
"what's the name of ...?", "how much is Google's deal worth?") are declined when the lead
says no such thing, and still answered when it does. Unit checks, then the bundled corpus in
a real store with the embedding model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.questions import classify
from rag.subjects import asks_name, called
from rag.text import terms
from tests.conftest import short_said


def test_whats_typed_without_its_apostrophe_still_asks_a_name() -> None:
    assert asks_name("whats the name of the next anthropic model")
    assert asks_name("what's the name of the next anthropic model")
    assert not asks_name("what is the next anthropic model")


def test_how_much_something_is_worth_is_money_wherever_worth_stands() -> None:
    """Not "several hundred" workers of the same sentence."""
    assert classify("how much is openai's contract worth compared to anthropic's").labels == (
        "MONEY",
    )


@pytest.mark.parametrize(
    "question",
    [
        "What did officials clash with Anthropic over?",  # no one asked by role
        "whats the name of the first major AI lab to work with the US military?",  # subject
        "Which official wrote that these weapons have legitimate uses?",  # "Amodei" found
    ],
)
def test_an_ordinary_question_is_not_read_as_insisting(
    corpus_assistant: Assistant, question: str
) -> None:
    answer = corpus_assistant.ask(question)
    assert not answer.abstained, (question, answer.evidence)


def test_how_much_of_something_is_worth_doing_is_no_money() -> None:
    assert classify("How much of the report is worth reading?").labels != ("MONEY",)


def test_a_name_given_a_synonym_of_the_questions_thing_is_its_name() -> None:
    sentence = "It created several custom models known as Claude Gov that have fewer limits."
    span = called(sentence, frozenset(terms("what are the government versions of claude called")))
    assert span is not None and sentence[span[0] : span[1]] == "Claude Gov"


@pytest.mark.parametrize(
    "question",
    [
        "which judge ruled for anthropic in the march 2026 court case",
        "On what exact date did Anthropic cut off the Trump campaign's access?",
        "when exactly did trump first label anthropic a national security threat",
        "whats the name of the next anthropic model they're discussing with the white house",
        "How much is Google's Pentagon AI contract worth?",
        "who was the anthropic employee whose concerns got passed along through palantir",
    ],
)
def test_a_question_insisting_on_what_no_document_says_is_declined(
    corpus_assistant: Assistant, question: str
) -> None:
    answer = corpus_assistant.ask(question)
    assert answer.abstained, (question, answer.answer)
    assert answer.retrieved  # the nearest passages are still shown


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What are the two camps splitting the tech industry called?", None),  # quoted terms
        ("what are the government versions of claude called", "Claude Gov"),
        ("What is the name of Anthropic's approach for training its models?", "Constitutional AI"),
        ("how much was the deal worth", "$200 million"),
        ("who is the defense secretary", "Pete Hegseth"),
    ],
)
def test_a_question_insisting_on_what_a_document_says_is_answered(
    corpus_assistant: Assistant, question: str, said: str | None
) -> None:
    answer = corpus_assistant.ask(question)
    assert not answer.abstained, (question, answer.evidence)
    if said is not None:
        assert short_said(corpus_assistant, question) == said
