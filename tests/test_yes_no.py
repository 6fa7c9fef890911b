"""Yes or No only where a sentence says it: a FAQ's own answer word, a denial whose clause
holds what was asked (not a negation in a side clause), "Yes" only when the sentence says the
question's verbs too; a negated question gets no verdict. Real store, model and spaCy."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.forms import fits_question, put_to_reader
from rag.text import terms
from tests.conftest import answered, assistant_over, sentence_block, short_said

PARAGRAPHS = {
    "cafe.txt": [
        "The Harbor Cafe",
        "The Harbor Cafe opened on Pier 9 in 2019 and serves breakfast until noon.",
        "The mayor praised the cafe's pastries at the opening and said the town wanted to keep "
        "buying its bread, according to an aide who was not allowed to speak publicly.",
        "Is the Harbor Cafe part of the Miller Street Bakery?",
        "No. The Harbor Cafe is an independent business run by Ana Ortiz.",
    ],
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return assistant_over(PARAGRAPHS, tmp_path_factory)


def _short_text(assistant: Assistant, question: str) -> str:
    answer = answered(assistant, question)
    return answer.short_answer.text if answer.short_answer else ""


def test_a_faqs_own_answer_word_is_the_verdict(assistant: Assistant) -> None:
    text = _short_text(assistant, "Is the Harbor Cafe owned by the Miller Street Bakery?")
    assert text == "No: The Harbor Cafe is an independent business run by Ana Ortiz"


def test_a_negation_in_a_side_clause_is_no_no(assistant: Assistant) -> None:
    text = _short_text(assistant, "Did the mayor praise the cafe's pastries?")
    assert text.startswith("Yes: The mayor praised the cafe's pastries")


def test_yes_needs_the_questions_verbs_said(assistant: Assistant) -> None:
    text = _short_text(assistant, "Did the town want to stop buying the cafe's bread?")
    assert not text.startswith(("Yes", "No"))


def test_a_negated_question_gets_no_verdict(assistant: Assistant) -> None:
    text = _short_text(assistant, "Didn't the mayor praise the cafe's pastries?")
    assert not text.startswith(("Yes", "No"))


def test_a_denial_in_a_later_passage_outweighs_a_yes_by_words(
    corpus_assistant: Assistant,
) -> None:
    """The best sentence has every word of the question ("restrictions on using AI for fully
    autonomous weapons and mass domestic surveillance") but states no use; another says
    "The Pentagon does not currently use AI in these ways"."""
    answer = answered(
        corpus_assistant,
        "Does the Pentagon currently use AI for fully autonomous weapons or mass surveillance?",
    )
    assert answer.short_answer is not None
    assert answer.short_answer.text.startswith("No: The Pentagon does not currently use AI")
    trump = answered(corpus_assistant, "Does Trump still consider Anthropic a security threat?")
    assert trump.short_answer is not None and trump.short_answer.text.startswith("No: ")


def test_a_denial_of_nothing_but_the_names_is_no_no(corpus_assistant: Assistant) -> None:
    """ "Anthropic isn't like OpenAI or Google" says the question's three names, negated, and
    nothing of what it asks of them."""
    answer = answered(corpus_assistant, "did openai and google staff back anthropic?")
    assert answer.short_answer is None or not answer.short_answer.text.startswith("No")


def test_an_argument_put_to_the_reader_does_not_answer_did(corpus_assistant: Assistant) -> None:
    """ "You don't see AT&T cutting off a candidate's phone lines ..." (the campaign's
    argument) says every word of "did Anthropic cut off ...?" with its paragraph, and no
    fact; the sentences saying what Anthropic did lead."""
    question = "Did Anthropic cut off the Trump campaign?"
    assert not fits_question(question, sentence_block(_ARGUED), frozenset(terms(question)))
    why = "Why do campaigns say AI should be like a telephone?"  # asked for, it may lead
    assert fits_question(why, sentence_block(_ARGUED), frozenset(terms(why)))
    answer = answered(corpus_assistant, question)
    assert not answer.answer.startswith("You don't see AT&T"), answer.answer
    assert "cut off access" in answer.answer


_ARGUED = "You don't see AT&T cutting off a candidate's phone lines because of a speech."


def test_a_question_asked_in_passing_or_put_to_the_reader_gives_no_reason(
    corpus_assistant: Assistant,
) -> None:
    """ "So why should an AI company get to decide ...?" (a question the campaign asks) and
    "... because they don't like the stump speech" (of AT&T, put to the reader) give no
    reason why Anthropic refused; its terms of service do."""
    assert put_to_reader(_ARGUED) and not put_to_reader("Campaigns argue that AI is a tool.")
    assert not put_to_reader("You won't receive prior notice before a suspension.")  # a fact
    question = "why did the ai firm refuse to let the trump campaign use its chatbot?"
    said = answered(corpus_assistant, question).short_answer
    assert said is not None and said.text.startswith("Because Anthropic’s terms of service"), said


def test_a_denial_said_in_other_words_answers_no(corpus_assistant: Assistant) -> None:
    """ "Anthropic has denied ever raising concerns ..." denies a complaint (a synonym of
    "concerns") and answers "did ... admit to ...?" (a denial says no to an admission)."""
    for question in (
        "did anthropic complain about the pentagon",
        "Did Anthropic admit to raising concerns about how its models were used?",
    ):
        said = short_said(corpus_assistant, question)
        assert said.startswith("No: Anthropic has denied ever raising concerns"), (question, said)


def test_a_no_denies_the_asked_action_itself(corpus_assistant: Assistant) -> None:
    """ "The Pentagon does not currently use AI in these ways" denies a use, not that
    Anthropic objected (the sentence before it says so): no "No" for "did anthropic object
    ...?", while it still answers whether the Pentagon uses AI so."""
    objected = answered(corpus_assistant, "did anthropic object to how the pentagon used claude")
    said = objected.short_answer.text if objected.short_answer else ""
    assert not said.startswith("No: The Pentagon does not"), said
    used = short_said(corpus_assistant, "does the pentagon use ai for mass surveillance")
    assert used.startswith("No: The Pentagon does not currently use AI"), used
