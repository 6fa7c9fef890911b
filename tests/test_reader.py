"""The reader's how-many check: a lead sentence answers "how many X" only when a number in it
counts X (or a word naming the same thing), not when it counts something else; and on the
bundled corpus a reworded how-many question is answered while one whose count the documents
never give is declined."""

from __future__ import annotations

import numpy as np
import pytest

from rag.answer import ABSTAIN_TEXT
from rag.assistant import Assistant
from rag.reader import WordVectors, counted_noun, states_count
from tests.conftest import answered, sentence_block

SAME = {"staff": 0, "workers": 0}  # words the fake embedding puts on one axis


def _fake_embed(words: list[str]) -> np.ndarray:
    """One-hot vectors: the words in SAME share an axis, every other word has its own."""
    rows = np.zeros((len(words), 64))
    for row, word in enumerate(words):
        rows[row, SAME.get(word, 1 + sum(map(ord, word)) % 63)] = 1.0
    return rows


WORDS = WordVectors(_fake_embed)


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many federal agencies were using the tools?", "agencies"),
        ("Up to how many platforms can the service monitor?", "platforms"),
        ("how many jurors must agree on a verdict", "jurors"),
        ("How much was the deal worth?", None),
        ("When did the agencies stop?", None),
    ],
)
def test_the_counted_noun_of_a_how_many_question(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


@pytest.mark.parametrize(
    "sentence",
    [
        "Monitoring covers up to 10 platforms.",
        "Twelve of the platforms signed up in May.",
        "The service now reaches several hundred platforms.",
    ],
)
def test_a_number_of_the_asked_thing_states_the_count(sentence: str) -> None:
    question = "How many platforms can the service monitor?"
    assert states_count(question, sentence_block(sentence), WORDS) is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Agencies using the tools got a six month phase-out period.",
        "The agencies signed a $200 million deal.",
        "Several agencies were using the tools.",
    ],
)
def test_a_number_of_something_else_does_not(sentence: str) -> None:
    question = "How many federal agencies were using the tools?"
    assert states_count(question, sentence_block(sentence), WORDS) is False


def test_a_word_naming_the_same_thing_counts() -> None:
    block = sentence_block("This week, several hundred workers signed an open letter.")
    assert states_count("How many staff signed the letter?", block, WORDS) is True
    assert states_count("How many judges signed the letter?", block, WORDS) is False


def test_a_supposed_number_counts_only_for_a_question_of_what_can_be() -> None:
    """ "If an AI can write 10,000 emails" says what an AI can do, not what anyone did."""
    block = sentence_block(
        "If an AI can write 10,000 unique emails in five minutes, that is a massive advantage."
    )
    asked_what_was = "How many emails did the campaign send before the cutoff?"
    assert states_count(asked_what_was, block, WORDS) is False
    assert states_count("How many emails can an AI write?", block, WORDS) is True
    said = sentence_block("The campaign sent 10,000 emails, if the report is right.")
    assert states_count(asked_what_was, said, WORDS) is True  # the if-clause is elsewhere


def test_other_questions_are_not_read() -> None:
    block = sentence_block("The deal was worth $200 million.")
    assert states_count("How much was the deal worth?", block, WORDS) is None


def test_a_reworded_count_is_answered_and_a_missing_one_declined(
    corpus_assistant: Assistant,
) -> None:
    found = answered(corpus_assistant, "How many workers at OpenAI and Google backed Anthropic?")
    assert "several hundred" in found.answer
    missing = corpus_assistant.ask("How many government agencies were told to stop using Claude?")
    assert missing.abstained and missing.answer == ABSTAIN_TEXT, missing.evidence
    assert missing.retrieved, "the closest passages are still offered"
