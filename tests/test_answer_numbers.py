"""The how-many check: a lead sentence must state a count, and "one" as a pronoun is none."""

from __future__ import annotations

import pytest

from rag.forms import answer_form, fits_question
from rag.speakers import speaker_terms
from tests.conftest import sentence_block

QUESTION = "How many companies signed the pledge?"


def _fits(sentence: str, question: str = QUESTION) -> bool:
    return fits_question(question, sentence_block(sentence, "Pledge"), frozenset())


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the firms said the pledge was unfair.",
        "No one at the summit would discuss the pledge.",
        "The firms blamed one another for the failed pledge.",
        "Which one signed first was never disclosed.",
        "One can argue that the pledge meant little.",
        "Each one of the firms published a statement.",
        "It was one's duty to sign, the minister said.",
    ],
)
def test_one_as_a_pronoun_is_no_count(sentence):
    assert not _fits(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Only one company signed the pledge in the end.",
        "One firm signed; the others refused.",
        "One of the 14 firms signed the pledge.",  # the count is "14"
        "Two of the firms signed the pledge.",
        "The pledge was signed by one.",
    ],
)
def test_a_count_fits_a_how_many_question(sentence):
    assert _fits(sentence)


def test_one_of_still_fits_a_question_that_asks_no_count():
    assert _fits("One of the firms signed the pledge.", "Which firms signed the pledge?")


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("When does the six month phase out end?", "There is a six month phase out.", False),
        ("When was the six month phase out announced?", "It was announced on Friday.", True),
        ("How many of the 12 firms signed?", "Only 3 of the 12 firms signed.", True),
        ("How many of the 12 firms signed the pledge?", "The 12 firms saw the pledge.", False),
        ("What's the pledge valued at?", "The pledge was valued by all firms.", False),
        ("What's the pledge valued at?", "The pledge was valued at $2 million.", True),
        ("What did the town pay the firms for the pledge?", "The town paid the firms.", False),
        ("What did the town pay the firms for the pledge?", "It paid them $5,000.", True),
        ("What month has the most rain?", "Stores on State Road 80 closed.", False),
        ("When was the pledge signed?", "It was signed in 1988.", True),
        ("When was the pledge signed?", "It was signed 5 days after the vote.", True),
        ("When is the pledge signed?", "It is signed at 11:00 each morning.", True),
        # "may" and "march" name a month only capitalised; a span of time needs a word
        # placing it ("for years to come" says no when)
        ("When will the next pledge come?", "Talks may shape the next pledge.", False),
        ("When will the next pledge come?", "The firms march on to the next pledge.", False),
        ("When will the next pledge come?", "The next pledge comes in May.", True),
        ("When was the pledge signed?", "It will matter for years to come.", False),
        ("When was the pledge signed?", "It was signed two years ago.", True),
        ("When was the pledge signed?", "It was signed last week.", True),
    ],
)
def test_the_number_or_time_must_be_one_the_question_does_not_say(question, sentence, fits):
    assert _fits(sentence, question) is fits


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Dario Amodei say about the pledge?", {"dario", "amodei"}),
        ("what did the mayor call the firms?", {"mayor"}),
        ("What has the OpenAI boss told staff?", {"openai", "boss"}),
        ("What is the pledge called?", set()),  # naming, not a speaker
        ("What does the article say about the pledge?", set()),  # the document itself
        ("What is the name of the paper that called it a sham?", set()),
        ("What did the firms sign?", set()),
    ],
)
def test_the_speaker_a_what_did_x_say_question_asks_about(question, speaker):
    assert speaker_terms(question) == speaker


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("The mayor called the pledge a sham.", True),
        ("The minister called the pledge a sham.", False),  # someone else's words
        ("“It is a sham,” the mayor wrote.", True),
    ],
)
def test_asked_what_someone_said_the_lead_names_them(sentence, fits):
    assert _fits(sentence, "What did the mayor call the pledge?") is fits


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("“These repairs cannot wait,” the mayor wrote.", True),
        ("The mayor warned that the repairs could not wait.", True),
        ("The mayor visited the shed and the repairs on Monday.", False),
    ],
)
def test_asked_what_someone_said_a_sentence_reporting_it_leads(sentence, fits):
    """A sentence quoting the speaker or reporting their words is the shape the question asks
    for: it leads when it scores nearly as well as the best (rag/forms.py answer_form)."""
    form = answer_form("What did the mayor say about the repairs?")
    assert form is not None
    block = sentence_block(sentence, "Repairs")
    assert form.fits(block, block) is fits
